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
 *
 * This file is the shim's first step: the set-uid refusal, NONO_LOG,
 * NONO_POLICY and the marker check. Loading and applying a policy is the
 * second (apply.c). A child that skips calls only the first, and since the
 * shim is bound lazily (shim/meson.build) it binds only the few C library
 * functions the first step calls: it costs little more than an empty
 * preload.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/auxv.h>
#endif

#include <dlfcn.h>
#ifdef __GLIBC__
#include <link.h>
#endif

#include "libnono.h"
#include "shim.h"
#include "util.h"

static const char *const shim_level_names[] = {
	[SHIM_LOG_ERROR] = "error",
	[SHIM_LOG_WARN] = "warn",
	[SHIM_LOG_INFO] = "info",
	[SHIM_LOG_DEBUG] = "debug",
};

/* NONO_LOG=denials: warnings, and where to see the refusals (apply.c,
 * shim_apply). */
static bool shim_denials;

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

static const char *shim_policy_path(void)
{
	const char *path = getenv(SHIM_ENV_POLICY);

	/* (else: cppcheck does not follow shim_die's _Noreturn into say.c) */
	if (!path)
		shim_die("%s is not set", SHIM_ENV_POLICY);
	else if (!*path)
		shim_die("%s is empty", SHIM_ENV_POLICY);
	/* A legacy program's working directory is not a safe anchor. */
	else if (path[0] != '/')
		shim_die("%s must be an absolute path, not '%s'",
			 SHIM_ENV_POLICY, path);
	return path;
}

/* Hashes a string and its terminating NUL, so that consecutive fields
 * cannot run into each other ("ab" + "c" differs from "a" + "bc"). NULL
 * (a name the library does not know) hashes as the empty string. */
static uint64_t shim_fnv1a_str(uint64_t hash, const char *s)
{
	if (!s)
		s = "";
	return nono__fnv1a(hash, s, strlen(s) + 1);
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
	uint64_t hash = NONO_FNV1A_INIT;

	hash = shim_fnv1a_str(hash, "nono-policy-path");
	hash = shim_fnv1a_str(hash, path);
	/* By hand, not with snprintf: a child that skips (the common case)
	 * then touches none of printf's pages of the C library. */
	for (int i = 15; i >= 0; i--, hash >>= 4)
		out[i] = "0123456789abcdef"[hash & 0xf];
	out[16] = '\0';
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
	const char *path;
	char identity[17];

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
	shim_apply(path, identity, shim_denials);
}
