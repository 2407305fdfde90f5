// SPDX-License-Identifier: Apache-2.0
/*
 * libnono_shim.so: sandboxes a program that knows nothing about nono.
 *
 *   LD_PRELOAD=libnono_shim.so NONO_POLICY=/etc/nono/app.ini program
 *
 * A constructor reads the policy named by NONO_POLICY, builds the capability
 * set and applies it before the program's main() runs. Whatever goes wrong
 * ends the process with exit status 126 and one line on stderr that begins
 * "nono: " and names the step (docs/libnono_shim.7.in, EXIT STATUS): a program
 * must never run unsandboxed by accident.
 *
 * The shim lives inside other people's programs, so it exports no symbol
 * (shim.map), never uses stdio streams (the program's buffers are not ours:
 * every message is one write(2) to fd 2), leaves no file descriptor and no
 * allocation behind, and leaves the process with nothing changed but the
 * sandbox and one environment variable (SHIM_ENV_APPLIED, below), and
 * TMPDIR and its kin where the policy asks for private_tmp.
 *
 * LD_PRELOAD and NONO_POLICY are inherited, so every child process the
 * program starts loads the shim too; it recognises the policy its parent
 * applied and does nothing (shim_already_applied()). Only a child given
 * another NONO_POLICY loads that file, from inside the sandbox, which must
 * then grant read access to it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h> /* snprintf and vsnprintf only: no FILE streams. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/auxv.h>
#endif

#include <dlfcn.h>
#ifdef __GLIBC__
#include <link.h>
#include <sys/stat.h>
#endif

#include "libnono.h"
#include "util.h"

/* The environment the shim reads (docs/libnono_shim.7.in, ENVIRONMENT). */
#define SHIM_ENV_POLICY "NONO_POLICY"
#define SHIM_ENV_LOG "NONO_LOG"
/* Set by the shim after it applied a policy; see shim_already_applied(). */
#define SHIM_ENV_APPLIED "NONO_SHIM_APPLIED"

/* The exit status of a process the shim refuses to let run: the shell's
 * "found but cannot be executed", as env(1) and bubblewrap use it. */
#define SHIM_EXIT_REFUSED 126

/* The longest line the shim writes; a longer one is cut. */
#define SHIM_LINE_MAX 4096

enum shim_level {
	SHIM_LOG_ERROR = 0,
	SHIM_LOG_WARN = 1,
	SHIM_LOG_INFO = 2,
	SHIM_LOG_DEBUG = 3,
};

static const char *const shim_level_names[] = {
	[SHIM_LOG_ERROR] = "error",
	[SHIM_LOG_WARN] = "warn",
	[SHIM_LOG_INFO] = "info",
	[SHIM_LOG_DEBUG] = "debug",
};

/* Until NONO_LOG has been read, only errors are written. */
static enum shim_level shim_level = SHIM_LOG_ERROR;

/* NONO_LOG=denials: warnings, and where to see the refusals (see
 * shim_denials_hint). */
#define SHIM_LOG_DENIALS "denials"
static bool shim_denials;

/*
 * Writes "nono: <message>\n" in a single write(2), so that lines from
 * several processes under the same shim do not interleave. Control
 * characters in the message (a newline in a file name, say) become '?', so
 * that a message is always exactly one line.
 */
static void shim_vsay(const char *fmt, va_list ap)
{
	static const char prefix[] = "nono: ";
	char line[SHIM_LINE_MAX];
	size_t len = sizeof(prefix) - 1;
	int n;

	memcpy(line, prefix, len);
	n = vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - len - 2)
		n = (int)(sizeof(line) - len - 2);
	for (size_t i = len; i < len + (size_t)n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
	}
	len += (size_t)n;
	line[len++] = '\n';
	/* Nowhere to report a closed or full stderr: no check. */
	(void)nono__write_all(STDERR_FILENO, line, len);
}

static void shim_log(enum shim_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void shim_log(enum shim_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > shim_level)
		return;
	va_start(ap, fmt);
	shim_vsay(fmt, ap);
	va_end(ap);
}

/* Logs a multi-line text (a summary) one "nono: " line at a time. */
static void shim_log_lines(enum shim_level level, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		if (n > 0)
			shim_log(level, "%.*s", (int)n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

/*
 * The one way out on failure. _exit(), not exit(): the program's atexit
 * handlers and stdio buffers belong to a program that never ran.
 */
static _Noreturn void shim_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static _Noreturn void shim_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shim_vsay(fmt, ap);
	va_end(ap);
	_exit(SHIM_EXIT_REFUSED);
}

/*
 * Dies with what a library call put into its diag: "file:line: message"
 * where the error comes from a file, otherwise "<step>: message".
 */
static _Noreturn void shim_die_diag(const char *step, int rc,
				    const nono_diag *diag)
{
	const char *msg = diag->message[0] ? diag->message : nono_strerror(rc);

	if (diag->file[0] && diag->line > 0)
		shim_die("%s:%u: %s", diag->file, diag->line, msg);
	if (diag->file[0])
		shim_die("%s: %s", diag->file, msg);
	shim_die("%s: %s", step, msg);
}

/*
 * Dies with the loader's error. A child given another NONO_POLICY than the
 * one its parent applied loads that file from inside the parent's
 * sandbox, and cannot when the parent's policy does not grant read access
 * to it: the message then says how to fix it, since "Permission denied" on
 * a file that is plainly readable outside the sandbox is a puzzle.
 */
static _Noreturn void shim_die_load(const char *path, int rc,
				    const nono_diag *diag)
{
	const char *msg = diag->message[0] ? diag->message : nono_strerror(rc);
	const char *file = diag->file[0] ? diag->file : path;

	if (getenv(SHIM_ENV_APPLIED) && nono_is_confined() &&
	    diag->step == NONO_STEP_READ_FILE && diag->sys_errno == EACCES)
		shim_die("%s: %s (this process is inside a sandbox that does "
			 "not let it read this policy: grant read_file = %s)",
			 file, msg, file);
	/* Name the policy when the loader did not. */
	if (!diag->file[0])
		shim_die("loading the policy %s: %s", path, msg);
	shim_die_diag("loading the policy", rc, diag);
}

/*
 * Whether this is a set-uid or set-gid process (or one the kernel marked
 * for secure execution for another reason, such as file capabilities).
 *
 * The shim refuses to act there, as minijail's preload does: its input
 * (the environment) comes from a less privileged user, who must not be
 * able to steer a privileged program through it. Refusing means failing
 * closed with status 126, not running the program unsandboxed: a security
 * tool that quietly does nothing when asked to confine a program is worse
 * than one that stops it.
 *
 * glibc's ld.so only preloads a library into such a process when it is
 * named without a '/' and lies in a system library directory with its own
 * set-user-ID bit set; in every other case the shim is not loaded at all,
 * and cannot say anything.
 */
static bool shim_is_privileged(void)
{
#ifdef __linux__
	if (getauxval(AT_SECURE) != 0)
		return true;
#else
	/* macOS: the kernel's record that the process changed identity. */
	if (issetugid())
		return true;
#endif
	return getuid() != geteuid() || getgid() != getegid();
}

static void shim_read_log_level(void)
{
	const char *value = getenv(SHIM_ENV_LOG);

	/* An empty value is how shells unset a variable for one command. */
	if (!value || !*value)
		return;
	if (strcmp(value, SHIM_LOG_DENIALS) == 0) {
		shim_level = SHIM_LOG_WARN;
		shim_denials = true;
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(shim_level_names); i++) {
		if (strcmp(value, shim_level_names[i]) == 0) {
			shim_level = (enum shim_level)i;
			return;
		}
	}
	shim_die("%s: invalid value '%s' (expected error, warn, info, debug or "
		 "denials)",
		 SHIM_ENV_LOG, value);
}

/*
 * NONO_LOG=denials, said once, in the process that applies the policy.
 * What the sandbox refuses is an errno returned by the kernel to the
 * program; the shim sees none of it without changing what the program
 * does (wrapping libc's calls, a SIGSYS handler, a supervising process),
 * and Landlock's audit records need the kernel's audit subsystem and
 * privileges to read. `nono explain` sees it from outside
 * (docs/explain.md).
 */
static void shim_denials_hint(const char *path)
{
	if (shim_denials)
		shim_log(SHIM_LOG_WARN,
			 "%s=%s: the shim cannot see what the sandbox refuses "
			 "without changing what the program does; to list "
			 "each refusal and the line to add, run it as: nono "
			 "explain --policy %s -- PROGRAM ARGS",
			 SHIM_ENV_LOG, SHIM_LOG_DENIALS, path);
}

static const char *shim_policy_path(void)
{
	const char *path = getenv(SHIM_ENV_POLICY);

	if (!path)
		shim_die("%s is not set", SHIM_ENV_POLICY);
	if (!*path)
		shim_die("%s is empty", SHIM_ENV_POLICY);
	/* A legacy program's working directory is not a safe anchor. */
	if (path[0] != '/')
		shim_die("%s must be an absolute path, not '%s'",
			 SHIM_ENV_POLICY, path);
	return path;
}

/* 64-bit FNV-1a, continued from `hash`. */
static uint64_t shim_fnv1a(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		hash ^= p[i];
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}

/* Hashes a string and its terminating NUL, so that consecutive fields
 * cannot run into each other ("ab" + "c" differs from "a" + "bc"). NULL
 * (a name the library does not know) hashes as the empty string. */
static uint64_t shim_fnv1a_str(uint64_t hash, const char *s)
{
	if (!s)
		s = "";
	return shim_fnv1a(hash, s, strlen(s) + 1);
}

/*
 * The identity of the policy a process is asked to apply: a 64-bit FNV-1a
 * hash of the NONO_POLICY value, the absolute path of the file. It is the
 * name of the file, not its content, on purpose: a child can then tell
 * that its parent applied this policy without reading the file again, so
 * a policy need not grant read access to itself for its program to start
 * others, and a child whose HOME or other variables differ does not
 * expand the policy into a different, stacked layer. What the parent
 * applied is what confines the whole tree, even if the file changes later.
 *
 * Writes 16 hex digits and a NUL into out.
 */
static void shim_policy_identity(const char *path, char out[17])
{
	uint64_t hash = UINT64_C(0xcbf29ce484222325);

	hash = shim_fnv1a_str(hash, "nono-policy-path");
	hash = shim_fnv1a_str(hash, path);
	snprintf(out, 17, "%016" PRIx64, hash);
}

/*
 * Whether an ancestor already applied this very policy to this process.
 *
 * LD_PRELOAD and NONO_POLICY are inherited by every child, and so is the
 * Landlock domain. Applying the policy again in each child would stack one
 * more layer per exec, and the kernel allows 16: a chain of 17 execs (a
 * shell script calling a shell script...) would start failing. So after a
 * successful apply, the shim sets SHIM_ENV_APPLIED to the identity of the
 * policy (shim_policy_identity()), and a process that finds the identity
 * of its own NONO_POLICY there does not load or apply it again.
 *
 * Skipping never widens what confines a process:
 *  - When the marker was inherited from an ancestor that applied the
 *    policy, the process is inside that domain, which the kernel keeps for
 *    the process and every descendant: it is already at least as strict as
 *    a new layer of the same policy.
 *  - A marker can otherwise only come from whoever set up the environment
 *    of the process tree, and they could just as well have left out
 *    LD_PRELOAD: the shim was never a defence against its own caller.
 *    (A sandboxed program that sets the marker for its children only
 *    affects children already inside its own domain.)
 *  - nono_is_confined() must also hold: on Linux, no_new_privs and the
 *    answer of the baseline seccomp filter's probe, both of which only
 *    nono_apply() sets together and the kernel never clears (no_new_privs
 *    alone is set by systemd, setpriv and container runtimes too); on
 *    macOS, a Seatbelt profile. A stale or forged marker in a process
 *    that no sandbox of nono's confines does not switch the shim off.
 * A marker for a different policy (a child started with another
 * NONO_POLICY) does not match, and that policy is loaded and applied as a
 * further layer, which can only narrow what the child may do.
 */
static bool shim_already_applied(const char *identity)
{
	const char *marker = getenv(SHIM_ENV_APPLIED);

	if (!marker)
		return false;
	if (strcmp(marker, identity) != 0) {
		shim_log(SHIM_LOG_DEBUG,
			 "%s=%s is another policy than this one (%s): applying "
			 "it as a further layer",
			 SHIM_ENV_APPLIED, marker, identity);
		return false;
	}
	if (!nono_is_confined()) {
		shim_log(SHIM_LOG_DEBUG,
			 "%s is set but this process is not confined: no "
			 "sandbox is in place, applying",
			 SHIM_ENV_APPLIED);
		return false;
	}
	return true;
}

static void shim_log_plan(const nono_policy *policy, const nono_caps *caps,
			  const char *path)
{
	char *summary;

	if (shim_level < SHIM_LOG_DEBUG)
		return;
	shim_log(SHIM_LOG_DEBUG, "policy %s (on_unsupported = %s)", path,
		 nono_policy_best_effort(policy) ? "warn" : "fail");
	for (size_t i = 0; i < nono_policy_note_count(policy); i++)
		shim_log(SHIM_LOG_DEBUG, "note: %s",
			 nono_policy_note(policy, i));
	summary = nono_caps_summary(caps);
	/* The summary is only informative: without memory, skip it. */
	shim_log_lines(SHIM_LOG_DEBUG, summary);
	nono_free(summary);
}

/*
 * The policy's capability set, taken from it, plus read access to the
 * shim's own file. Every child the program starts loads the shim again
 * from that file (and in early mode the preloaded copy is loaded after the
 * sandbox is in force): without it the loader would print that the
 * preload is ignored. Reading the shim gives a program nothing it could
 * not read elsewhere. The set is taken, not copied, so that it keeps the
 * descriptors the loader opened (nono_policy_load_to_apply). Returns the
 * set, to free with nono_caps_free.
 */
static nono_caps *shim_caps_with_self(nono_policy *policy)
{
	nono_caps *caps = nono_policy_take_caps(policy);
	Dl_info info;
	int rc;

	/* Any object of the shim will do; a data one, since ISO C has no
	 * cast from a function pointer to void *. */
	if (!dladdr((const void *)&shim_level, &info) || !info.dli_fname ||
	    info.dli_fname[0] != '/') {
		shim_log(SHIM_LOG_DEBUG, "cannot find the shim's own file: "
					 "children may not load it");
		return caps;
	}
	rc = nono_caps_allow_file(caps, info.dli_fname, NONO_ACCESS_READ);
	if (rc < 0)
		shim_log(SHIM_LOG_DEBUG, "granting read on %s: %s",
			 info.dli_fname, nono_strerror(rc));
	return caps;
}

/*
 * Early mode (LD_AUDIT), glibc only.
 *
 * glibc runs the constructors of a program's own shared libraries before a
 * preloaded library's, so under LD_PRELOAD alone they run unconfined for a
 * moment. An auditor (LD_AUDIT=libnono_shim.so) is loaded into a namespace
 * of its own before anything of the program, and its constructor (the same
 * nono__shim_init() below) runs then: the sandbox is in force before the
 * first object of the program is even mapped.
 *
 * That namespace has its own copy of libc, with its own environment: the
 * auditor cannot set the marker (SHIM_ENV_APPLIED) where the program and
 * its children would see it. So early mode is best used with the shim
 * preloaded as well (LD_AUDIT=shim LD_PRELOAD=shim, as `nono wrap` does).
 * The auditor then tells the preloaded copy, when the loader maps it, that
 * the policy is applied (la_objopen() sets shim_audit_applied in that copy,
 * found at the same offset from its load address as ours); the preloaded
 * copy applies nothing more and sets the marker for the children.
 * Under LD_AUDIT alone, each child applies the policy again as a further
 * layer of the same policy, which is correct but limits a chain of
 * execs to the kernel's 16 layers.
 */
static volatile int shim_audit_applied;

#ifdef __GLIBC__
/* The auditor's own file, to recognise its preloaded twin. */
static dev_t shim_self_dev;
static ino_t shim_self_ino;
static uintptr_t shim_self_base;
static bool shim_self_known;

static void shim_audit_know_self(void)
{
	struct link_map *map = NULL;
	struct stat st;
	Dl_info info;

	if (!dladdr1((void *)&shim_audit_applied, &info, (void **)&map,
		     RTLD_DL_LINKMAP) ||
	    !map || !info.dli_fname || stat(info.dli_fname, &st) < 0)
		return;
	shim_self_dev = st.st_dev;
	shim_self_ino = st.st_ino;
	shim_self_base = map->l_addr;
	shim_self_known = true;
}

/* The auditor's first callback; the constructor has already run. Any
 * version of the interface will do: the shim asks for no other callback
 * than la_objopen, which every version has. */
__attribute__((visibility("default"))) unsigned int la_version(unsigned int v)
{
	shim_audit_know_self();
	return v < LAV_CURRENT ? v : LAV_CURRENT;
}

/* Called for every object the loader maps. When it is this very file in
 * the program's namespace (the preloaded copy), tell it the policy is in
 * force. Returns 0: no symbol binding is audited. */
__attribute__((visibility("default"))) unsigned int
la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie)
{
	struct stat st;

	(void)cookie;
	if (!shim_self_known || lmid != LM_ID_BASE || !map->l_name ||
	    !map->l_name[0] || stat(map->l_name, &st) < 0 ||
	    st.st_dev != shim_self_dev || st.st_ino != shim_self_ino)
		return 0;
	*(volatile int *)(map->l_addr + ((uintptr_t)&shim_audit_applied -
					 shim_self_base)) = 1;
	return 0;
}
#endif

/*
 * Runs when the dynamic linker initialises the shim, before the program's
 * own constructors and main(). Every failure ends in shim_die(); on success
 * everything allocated is freed before returning.
 */
__attribute__((constructor)) static void nono__shim_init(void)
{
	nono_apply_result result = { 0 };
	nono_policy *policy = NULL;
	nono_caps *caps = NULL;
	const char *path;
	char identity[17];
	unsigned flags = 0;
	nono_diag diag;
	int rc;

	/* Before reading anything from the environment. */
	if (shim_is_privileged())
		shim_die("refusing to run in a set-uid/set-gid process");
	shim_read_log_level();
	path = shim_policy_path();

	shim_policy_identity(path, identity);
	if (shim_audit_applied) {
		/* The auditor applied the policy to this process (or found
		 * it applied by an ancestor): only the marker is left to
		 * set, where the program's children see it. */
		if (setenv(SHIM_ENV_APPLIED, identity, 1) < 0)
			shim_die("setting %s: %s", SHIM_ENV_APPLIED,
				 strerror(errno));
		shim_log(SHIM_LOG_DEBUG,
			 "policy %s (%s) handled by the auditor (LD_AUDIT) in "
			 "this process: not stacking another layer",
			 path, identity);
		return;
	}
	if (shim_already_applied(identity)) {
		shim_log(SHIM_LOG_DEBUG,
			 "policy %s (%s) already applied to this process tree: "
			 "not stacking another layer",
			 path, identity);
		return;
	}

	nono_diag_clear(&diag);
	rc = nono_policy_load_to_apply(path, &policy, &diag);
	if (rc < 0)
		shim_die_load(path, rc, &diag);

	caps = shim_caps_with_self(policy);
	/* The program was started before the sandbox existed, so the kernel
	 * could not refuse it as it will refuse its children: a blocked
	 * command is stopped here (docs/deny.md). */
	if (nono_caps_command_blocked(caps, "/proc/self/exe") == 1) {
		char *exe = realpath("/proc/self/exe", NULL);

		shim_die("%s is a blocked command ([commands] block in %s)",
			 exe ? exe : "this program", path);
	}
	shim_log_plan(policy, caps, path);
	if (nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	nono_diag_clear(&diag);
	rc = nono_apply(caps, flags, &result, &diag);
	/* The kernel nests at most 16 sandboxes. Under LD_AUDIT alone every
	 * child applies the policy again (the auditor cannot leave the
	 * marker where the program sees it): say how to avoid that. */
	if (rc == NONO_EAPPLY && diag.step == NONO_STEP_RESTRICT_SELF &&
	    diag.sys_errno == E2BIG)
		shim_die("applying the sandbox: %s (too many nested sandboxes; "
			 "in early mode set LD_PRELOAD to the shim as well as "
			 "LD_AUDIT, so that children recognise the policy "
			 "their parent applied)",
			 diag.message);
	if (rc < 0)
		shim_die_diag("applying the sandbox", rc, &diag);
	/* A carve-out the kernel cannot express exactly has details but no
	 * feature bit. */
	if (result.dropped || result.dropped_details[0])
		shim_log(SHIM_LOG_WARN, "not enforced by this kernel: %s",
			 result.dropped_details[0] ? result.dropped_details
						   : "(no details)");

	/* Without the marker every child would stack another layer and a
	 * deep enough chain would fail: better to stop now. */
	if (setenv(SHIM_ENV_APPLIED, identity, 1) < 0)
		shim_die("setting %s: %s", SHIM_ENV_APPLIED, strerror(errno));
	/* private_tmp = true: the program and its children write their
	 * temporary files where the sandbox lets them. Children that skip
	 * the policy (shim_already_applied) inherit the variables. */
	if (nono_policy_private_tmp(policy)) {
		const char *const *vars = nono_private_tmp_vars();

		for (size_t i = 0; vars[i]; i++)
			if (setenv(vars[i], nono_policy_private_tmp(policy),
				   1) < 0)
				shim_die("setting %s: %s", vars[i],
					 strerror(errno));
	}
	shim_log(SHIM_LOG_INFO,
		 "sandbox applied: policy %s (%s), Landlock ABI %d", path,
		 identity, result.abi);
	shim_denials_hint(path);
	nono_caps_free(caps);
	nono_policy_free(policy);
}
