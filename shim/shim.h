/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the shim's parts share (shim.c, which decides whether there is a
 * policy to apply, apply.c, which loads and applies it, and say.c): the way
 * they say things and die.
 */
#ifndef NONO_SHIM_H
#define NONO_SHIM_H

#include <stdbool.h>

/* The environment the shim reads (docs/libnono_shim.7.in, ENVIRONMENT). */
#define SHIM_ENV_POLICY "NONO_POLICY"
#define SHIM_ENV_LOG "NONO_LOG"
/* Set by the shim after it applied a policy; see shim_already_applied(). */
#define SHIM_ENV_APPLIED "NONO_SHIM_APPLIED"
/* NONO_LOG=denials: warnings, and where to see the refusals. */
#define SHIM_LOG_DENIALS "denials"

/* The exit status of a process the shim refuses to let run: the shell's
 * "found but cannot be executed", as env(1) and bubblewrap use it. */
#define SHIM_EXIT_REFUSED 126

enum shim_level {
	SHIM_LOG_ERROR = 0,
	SHIM_LOG_WARN = 1,
	SHIM_LOG_INFO = 2,
	SHIM_LOG_DEBUG = 3,
};

/* From NONO_LOG (shim.c); errors only until it has been read. */
extern enum shim_level shim_level;

void shim_log(enum shim_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Logs a multi-line text (a summary) one "nono: " line at a time. */
void shim_log_lines(enum shim_level level, const char *text);

/* The one way out on failure: one line on stderr, then _exit(126). */
_Noreturn void shim_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Loads and applies the policy at `path` (NONO_POLICY, checked absolute),
 * then sets the marker to `identity` (shim.c, shim_policy_identity) and,
 * for private_tmp, TMPDIR and its kin. `denials`: NONO_LOG=denials was
 * asked for. Returns only on success, with everything it allocated freed.
 */
void shim_apply(const char *path, const char *identity, bool denials);

#endif
