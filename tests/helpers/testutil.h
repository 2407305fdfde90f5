/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the test executables. Tests that apply a sandbox do it
 * only in a child forked here, never in Criterion's own test process (which
 * reports to the runner over a socket).
 */
#ifndef NONO_TESTUTIL_H
#define NONO_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libnono.h"

/*
 * Runs fn(arg) in a forked child, which exits with fn's return value (and
 * with 127 if fn returns a negative value). Returns the child's exit status
 * 0..255, or 128 + signal number if it was killed, or -1 if fork failed.
 */
int tu_in_child(int (*fn)(void *arg), void *arg);

/* What tu_spawn saw. */
struct tu_proc {
	int status; /* exit status, 128 + signal if killed, -1: spawn failed */
	char out[65536]; /* stdout, NUL-terminated, cut if longer */
	char err[65536]; /* stderr, likewise */
};

/*
 * Runs argv[0] (looked up on PATH if it has no '/') with environment envp
 * (NULL: this process's), stdin from /dev/null, and waits for it. Captures
 * stdout and stderr into *p. Kills it after timeout_s seconds (status then
 * 128 + SIGKILL). Returns p->status.
 */
int tu_spawn(struct tu_proc *p, char *const argv[], char *const envp[],
	     unsigned timeout_s);

/*
 * As tu_spawn, but calls pre_exec(arg) in the child just before the exec,
 * with stdin, stdout and stderr already in place (to set resource limits,
 * say). pre_exec runs after fork in a copy of the test process: it must
 * only make system calls, and must not return on failure but _exit(255).
 */
int tu_spawn_pre(struct tu_proc *p, char *const argv[], char *const envp[],
		 unsigned timeout_s, void (*pre_exec)(void *arg), void *arg);

/*
 * An environment for a program under the shim: LD_PRELOAD=shim (if not
 * NULL; and LD_AUDIT=shim too when NONO_TEST_EARLY is set, for the early
 * mode run of the suite), NONO_POLICY=policy (if not NULL), PATH, HOME, LANG
 * and the sanitizer options (ASAN_, UBSAN_, LSAN_OPTIONS) from this
 * process, and up to 8 extra "NAME=value" strings (NULL-terminated list,
 * may be NULL). The result is static storage, valid until the next call.
 */
char **tu_env(const char *shim, const char *policy, const char *const extra[]);

/* A fresh directory under /tmp (mkdtemp), as a static-lifetime string the
 * caller frees with free(). Aborts the test on failure. */
char *tu_tmpdir(void);

/*
 * A scratch tree for one test. tu_tree_make() creates a fresh directory
 * under /tmp and returns its real path, T; tu_at(rel) spells T/rel; both
 * strings are the tree's, valid until tu_tree_remove() removes the tree
 * and frees them all (a suite's .init and .fini). Abort on failure.
 */
char *tu_tree_make(void);
char *tu_at(const char *rel);
void tu_tree_remove(void);

/* Writes `content` to `path` (created 0644, truncated). Aborts on failure. */
void tu_write_file(const char *path, const char *content);

/* Removes a tree (best effort), for cleanup. */
void tu_rm_rf(const char *path);

/* printf into a new malloc'd string. Aborts on failure. */
char *tu_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes `len` bytes of `data` (which may hold NUL bytes) to `path`,
 * created with `mode` and truncated. Aborts on failure. */
void tu_write_bytes(const char *path, const void *data, size_t len,
		    unsigned mode);

/* Creates a directory (0755). Aborts on failure. */
void tu_mkdir(const char *path);

/* Whether `path` exists (lstat: a dangling symlink exists). */
bool tu_exists(const char *path);

/*
 * What `nm -D --defined-only` lists for the object `file` beyond the names
 * in `allowed` (NULL-terminated): its lines, one per line, in a malloc'd
 * string the caller frees; empty when it exports nothing else. Aborts the
 * test when nm fails.
 */
char *tu_unexpected_exports(const char *file, const char *const allowed[]);

/* Copies the file `from` to `to`, created with `mode` (chmod'ed after
 * creation, so the umask does not apply). Aborts on failure. */
void tu_copy_file(const char *from, const char *to, unsigned mode);

/* A new malloc'd copy of `text` with every `token` replaced by `value`.
 * Aborts on failure. */
char *tu_subst(const char *text, const char *token, const char *value);

/* How many times `c` occurs in `s`. */
size_t tu_count_char(const char *s, char c);

/* ---- Live tests: fork, apply in the child, report to the parent ---- */

/*
 * Exit statuses a child of tu_apply_in_child reserves. An operation run
 * after the apply exits with 0 or with an errno value, capped at
 * TU_CHILD_ERRNO_MAX (tu_errno_code).
 */
#define TU_CHILD_ERRNO_MAX 119
#define TU_CHILD_APPLY_FAILED 120
#define TU_CHILD_SETUP_FAILED 121

/* How many results a child can send with tu_send_result. */
#define TU_MAX_RESULTS 32

/* errno as an operation's exit status: 1 to TU_CHILD_ERRNO_MAX. */
int tu_errno_code(void);

/* What a child of tu_apply_in_child tells the parent. */
struct tu_report {
	int apply_rc;
	/* The operation's status before nono_apply, with control_first:
	 * what the kernel says without the sandbox. */
	int control;
	nono_apply_result result;
	char message[sizeof(((nono_diag *)0)->message)]; /* if apply failed */
	size_t nresults;
	int results[TU_MAX_RESULTS]; /* what tu_send_result sent, in order */
};

/* What to run in the child: pre, nono_apply(caps, flags), op. */
struct tu_apply {
	const nono_caps *caps;
	unsigned flags;
	/* Before nono_apply (NULL: nothing); non-zero ends the child with
	 * TU_CHILD_SETUP_FAILED. */
	int (*pre)(void *arg);
	/* After nono_apply (NULL: nothing); its return value is the child's
	 * exit status. Not run when the apply fails, unless
	 * op_even_if_apply_fails (the child then exits with
	 * TU_CHILD_APPLY_FAILED). */
	int (*op)(void *arg);
	bool op_even_if_apply_fails;
	/* Run op once before nono_apply too, into tu_report.control. */
	bool control_first;
	/* In the parent, while the child runs (NULL: nothing): to act from
	 * outside the sandbox while the child waits for it. */
	void (*meanwhile)(void *arg);
	void *arg; /* given to pre, op and meanwhile */
};

/*
 * Forks; the child runs a->pre, nono_apply and a->op, and reports the
 * apply to the parent through a pipe. Fills *rep (asserting that the report
 * arrived) and returns the child's exit status, as tu_in_child does.
 */
int tu_apply_in_child(const struct tu_apply *a, struct tu_report *rep);

/* As tu_apply_in_child, asserting that nono_apply succeeded; returns the
 * exit status (op's result). */
int tu_apply_ok(const struct tu_apply *a);

/* In op, in the child: sends one result to the parent, which finds it in
 * tu_report.results. Returns 0, or -1 if it could not be sent. */
int tu_send_result(int value);

/* ---- Skipping live tests, and CI's NONO_MUST_WORK ---- */

/*
 * The environment variable CI sets (.ci/run) to 1 so that a live test
 * cannot skip where the kernel has what it needs: these machines run
 * Landlock, and a skip there hides a broken test or a broken machine.
 */
#define TU_MUST_WORK_ENV "NONO_MUST_WORK"

/* This kernel's support info, read once. */
const nono_support_info *tu_support(void);

/* Skips unless Landlock is usable here (the kernel lacks it: no
 * failure even under NONO_MUST_WORK). */
void tu_require_landlock(void);

/* Skips unless the kernel has Landlock ABI `abi`, naming `what` needs it. */
void tu_require_abi(int abi, const char *what);

/*
 * Skips the test for a reason of this machine (no namespace, no IPv6, no
 * privilege). With NONO_MUST_WORK=1 the test fails instead whenever the
 * kernel has `features` (enum nono_feature bits; 0: Landlock itself): the
 * skip would then hide something the kernel could have shown.
 */
void tu_skip(unsigned features, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Whether `prog` can be run: an absolute path that is executable, or a
 * name the shell finds on PATH. */
bool tu_have(const char *prog);

/* Skips the test, saying how to install it, when `prog` is missing. */
#define TU_NEED(prog)                                                     \
	do {                                                              \
		if (!tu_have(prog))                                       \
			cr_skip_test("%s is not installed (scripts/deps " \
				     "--tests installs it)",              \
				     prog);                               \
	} while (0)

#endif
