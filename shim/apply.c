// SPDX-License-Identifier: Apache-2.0
/*
 * The shim's second step: loading and applying the policy that shim.c
 * found no marker for (the policy loader, the core, inih and json-c).
 * Everything shim.c says of the shim holds here: every failure ends in
 * shim_die(), and nothing is left behind on success but the sandbox and
 * the variables it sets.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libnono.h"
#include "shim.h"

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
	shim_log(SHIM_LOG_WARN,
		 "%s=%s: the shim cannot see what the sandbox refuses without "
		 "changing what the program does; to list each refusal and "
		 "the line to add, run it as: nono explain --policy %s -- "
		 "PROGRAM ARGS",
		 SHIM_ENV_LOG, SHIM_LOG_DENIALS, path);
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
 * from it (and in early mode the preloaded copy is loaded after the
 * sandbox is in force): without it the loader would print that the
 * preload is ignored, or a child given another policy could not apply it.
 * Reading the shim gives a program nothing it could not read elsewhere.
 * The set is taken, not copied, so that it keeps the descriptors the
 * loader opened (nono_policy_load_to_apply). Returns the set, to free with
 * nono_caps_free.
 */
static nono_caps *shim_caps_with_self(nono_policy *policy)
{
	nono_caps *caps = nono_policy_take_caps(policy);
	Dl_info info;
	int rc;

	/* Any object of this file will do; a data one, since ISO C has no
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

void shim_apply(const char *path, const char *identity, bool denials)
{
	nono_apply_result result = { 0 };
	nono_policy *policy = NULL;
	nono_caps *caps = NULL;
	unsigned flags = 0;
	nono_diag diag;
	int rc;

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
	if (denials)
		shim_denials_hint(path);
	nono_caps_free(caps);
	nono_policy_free(policy);
}
