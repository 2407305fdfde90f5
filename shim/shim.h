/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the shim's two objects share (shim.c, the preloaded libnono_shim.so,
 * and apply.c, the object it maps only when a policy must be applied): the
 * way they say things and die, and what the first hands to the second.
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

/* Each object has its own; the preloaded one reads NONO_LOG and hands the
 * level over (struct shim_start). */
extern enum shim_level shim_level;

void shim_log(enum shim_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Logs a multi-line text (a summary) one "nono: " line at a time. */
void shim_log_lines(enum shim_level level, const char *text);

/* The one way out on failure: one line on stderr, then _exit(126). */
_Noreturn void shim_die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * What the preloaded object found, handed to the applying one. `version`
 * must be the applying object's own SHIM_APPLY_VERSION: the two are built
 * together and a stale copy of either is refused rather than trusted with
 * a layout it does not know.
 */
struct shim_start {
	const char *version;
	const char *path;      /* NONO_POLICY, checked absolute */
	const char *identity;  /* shim_policy_identity() of path */
	const char *stub_file; /* the preloaded object's file, or NULL */
	enum shim_level level;
	bool denials;
};

/* The applying object's one export (apply.map), looked up by the
 * preloaded one with dlsym. */
#define SHIM_APPLY_ENTRY "nono__shim_apply"
typedef void shim_apply_fn(const struct shim_start *start);

#endif
