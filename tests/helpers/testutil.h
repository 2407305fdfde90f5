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

/* Copies the file `from` to `to`, created with `mode` (chmod'ed after
 * creation, so the umask does not apply). Aborts on failure. */
void tu_copy_file(const char *from, const char *to, unsigned mode);

/* A new malloc'd copy of `text` with every `token` replaced by `value`.
 * Aborts on failure. */
char *tu_subst(const char *text, const char *token, const char *value);

/* How many times `c` occurs in `s`. */
size_t tu_count_char(const char *s, char c);

#endif
