// SPDX-License-Identifier: Apache-2.0
/*
 * libnono_shim.so: sandboxes a program that knows nothing about nono.
 *
 *   LD_PRELOAD=libnono_shim.so NONO_POLICY=/etc/nono/app.ini program
 *
 * A constructor reads the policy named by NONO_POLICY, builds the capability
 * set and applies it before the program's main() runs. Whatever goes wrong
 * ends the process with exit status 126 and one line on stderr that begins
 * "nono: " and names the step (spec/policy.md, "Failure"): a program must
 * never run unsandboxed by accident.
 *
 * The shim lives inside other people's programs, so it exports no symbol
 * (shim.map), never uses stdio streams (the program's buffers are not ours:
 * every message is one write(2) to fd 2), leaves no file descriptor and no
 * allocation behind, and leaves the process with nothing changed but the
 * sandbox and one environment variable (SHIM_ENV_APPLIED, below).
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
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "libnono.h"

/* The environment the shim reads (spec/policy.md, "Environment"). */
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

static void shim_write_all(const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		/* Nowhere to report a closed or full stderr: give up. */
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

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
	shim_write_all(line, len);
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

	if (getenv(SHIM_ENV_APPLIED) &&
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 &&
	    strstr(msg, strerror(EACCES)))
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
	return getauxval(AT_SECURE) != 0 || getuid() != geteuid() ||
	       getgid() != getegid();
}

static void shim_read_log_level(void)
{
	const char *value = getenv(SHIM_ENV_LOG);

	/* An empty value is how shells unset a variable for one command. */
	if (!value || !*value)
		return;
	for (size_t i = 0;
	     i < sizeof(shim_level_names) / sizeof(shim_level_names[0]); i++) {
		if (strcmp(value, shim_level_names[i]) == 0) {
			shim_level = (enum shim_level)i;
			return;
		}
	}
	shim_die("%s: invalid value '%s' (expected error, warn, info or debug)",
		 SHIM_ENV_LOG, value);
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
 *  - nono_apply() sets no_new_privs, which is inherited and can never be
 *    cleared. A process without it cannot be inside a domain the shim
 *    made, so a marker without it is ignored: a stale or forged marker in
 *    an unconfined process does not switch the shim off.
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
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		shim_log(SHIM_LOG_DEBUG,
			 "%s is set but no_new_privs is not: no sandbox is in "
			 "place, applying",
			 SHIM_ENV_APPLIED);
		return false;
	}
	return true;
}

static void shim_log_plan(const nono_policy *policy, const char *path)
{
	char *summary;

	if (shim_level < SHIM_LOG_DEBUG)
		return;
	shim_log(SHIM_LOG_DEBUG, "policy %s (on_unsupported = %s)", path,
		 nono_policy_best_effort(policy) ? "warn" : "fail");
	for (size_t i = 0; i < nono_policy_note_count(policy); i++)
		shim_log(SHIM_LOG_DEBUG, "note: %s",
			 nono_policy_note(policy, i));
	summary = nono_caps_summary(nono_policy_caps(policy));
	/* The summary is only informative: without memory, skip it. */
	shim_log_lines(SHIM_LOG_DEBUG, summary);
	nono_free(summary);
}

/*
 * Runs when the dynamic linker initialises the shim, before the program's
 * own constructors and main(). Every failure ends in shim_die(); on success
 * everything allocated is freed before returning.
 */
__attribute__((constructor)) static void nono_shim_init(void)
{
	nono_apply_result result = { 0 };
	nono_policy *policy = NULL;
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
	if (shim_already_applied(identity)) {
		shim_log(SHIM_LOG_DEBUG,
			 "policy %s (%s) already applied to this process tree: "
			 "not stacking another layer",
			 path, identity);
		return;
	}

	nono_diag_clear(&diag);
	rc = nono_policy_load(path, &policy, &diag);
	if (rc < 0)
		shim_die_load(path, rc, &diag);

	shim_log_plan(policy, path);
	if (nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	nono_diag_clear(&diag);
	rc = nono_apply(nono_policy_caps(policy), flags, &result, &diag);
	if (rc < 0)
		shim_die_diag("applying the sandbox", rc, &diag);
	if (result.dropped)
		shim_log(SHIM_LOG_WARN, "not enforced by this kernel: %s",
			 result.dropped_details[0] ? result.dropped_details
						   : "(no details)");

	/* Without the marker every child would stack another layer and a
	 * deep enough chain would fail: better to stop now. */
	if (setenv(SHIM_ENV_APPLIED, identity, 1) < 0)
		shim_die("setting %s: %s", SHIM_ENV_APPLIED, strerror(errno));
	shim_log(SHIM_LOG_INFO,
		 "sandbox applied: policy %s (%s), Landlock ABI %d", path,
		 identity, result.abi);
	nono_policy_free(policy);
}
