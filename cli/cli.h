/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The nono command: one file per subcommand, this header between them.
 * The CLI uses libnono's public API only (libnono.h), like any other
 * program would; it is the one place besides the shim that prints and
 * exits.
 */
#ifndef NONO_CLI_H
#define NONO_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libnono.h"
#include "util.h"

/* Exit statuses, documented in docs/nono.1.in. 126 and 127 are the
 * shell's "found but cannot be executed" and "not found", as env(1) uses
 * them; 125 is `nono run`'s own failure, as env, timeout, chroot and nice
 * use it, since the program it runs may itself exit 1 or 2. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAILURE = 1,	   /* bad policy, failed check, I/O error */
	CLI_EXIT_USAGE = 2,	   /* bad command line */
	CLI_EXIT_RUN_FAILED = 125, /* nono run: its own failure, any kind */
	CLI_EXIT_CANNOT_RUN = 126, /* sandbox not applied, not executable */
	CLI_EXIT_NOT_FOUND = 127,  /* program not found */
};

/* The environment variable the shim and `nono run` read their log level
 * from (docs/libnono_shim.7.in, ENVIRONMENT). */
#define CLI_ENV_LOG "NONO_LOG"

/* The marker the shim sets after applying a policy (shim/shim.c,
 * shim_already_applied). One that comes from outside could switch the
 * shim off in a process with no_new_privs from elsewhere, so `nono run`
 * and the wrappers of `nono wrap` never pass an inherited one on. */
#define CLI_ENV_SHIM_APPLIED "NONO_SHIM_APPLIED"

/* One subcommand: `run` gets argv starting at the subcommand's name and
 * returns the exit status. `usage` is the synopsis and `help` the rest of
 * the --help text; both end in a newline. */
struct cli_command {
	const char *name;
	const char *summary; /* one line for `nono --help` */
	const char *usage;
	const char *help;
	int (*run)(int argc, char **argv);
	/* getopt_long's table, which `nono completion` makes the shell
	 * completions from; NULL: no options. */
	const struct option *options;
};

extern const struct cli_command cli_run_command;
extern const struct cli_command cli_check_command;
extern const struct cli_command cli_why_command;
extern const struct cli_command cli_wrap_command;
extern const struct cli_command cli_state_command;
extern const struct cli_command cli_support_command;
extern const struct cli_command cli_explain_command;
extern const struct cli_command cli_learn_command;
extern const struct cli_command cli_completion_command;

/* Every subcommand, in `nono --help` order (main.c); *count gets how
 * many. */
const struct cli_command *const *cli_command_list(size_t *count);

/* Writes "nono: <message>\n" to stderr as one line: control characters
 * in the message (a newline in a file name) become '?'. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As cli_error, and returns CLI_EXIT_USAGE, pointing to the help of
 * `cmd` (NULL: the top-level help). */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Prints a library error the way the shim does: "nono: file:line: msg"
 * where the diag has a file and line, "nono: file: msg" where it has a
 * file only, and "nono: <what>: msg" otherwise (what may be NULL: then
 * "nono: msg").
 */
void cli_diag_error(const char *what, int rc, const nono_diag *diag);

/* Loads a policy file; on failure prints the error line and returns a
 * negative code. */
int cli_policy_load(const char *path, nono_policy **out);

/* As cli_policy_load, for a policy this process applies (nono run): its
 * set keeps each grant's descriptor (nono_policy_load_to_apply), to take
 * with nono_policy_take_caps(). */
int cli_policy_load_to_apply(const char *path, nono_policy **out);

/* Prints the --help text of `cmd` to stdout. */
void cli_print_help(const struct cli_command *cmd);

/*
 * What a subcommand returns for an option `c` (getopt_long's return
 * value, with opterr = 0 and a leading ':' in the short options) that it
 * does not handle itself: --help/-h printed (CLI_EXIT_OK), or a usage
 * error (a missing argument, an unknown option).
 */
int cli_common_option(const struct cli_command *cmd, int c, char **argv);

/*
 * A pipe (both ends O_CLOEXEC, in fds) and a forked child, stdio flushed
 * first: returns the child's pid, 0 in the child, or -1 with
 * "<what>: pipe: ..." or "<what>: fork: ..." printed and nothing left
 * open. Each side closes the end it does not use.
 */
pid_t cli_fork_with_pipe(const char *what, int fds[2]);

/* Whether NONO_LOG asks for warnings (warn, info or debug). */
bool cli_log_warnings(void);

/* One Landlock-era feature bit, for `support` and `check`. */
struct cli_feature {
	unsigned bit;	   /* enum nono_feature */
	const char *key;   /* JSON key: "fs_refer" */
	const char *words; /* "rename and link across directories" */
};

extern const struct cli_feature cli_features[];
extern const size_t cli_feature_count;

/*
 * Whether the kernel's audit subsystem is enabled (cli/audit.c): 1 on, 0
 * off or absent, -1 unknown. `why` receives the reason for 0 (no audit in
 * the kernel) and -1, or "".
 */
int cli_audit_status(char *why, size_t len);

/* The policy key for a filesystem grant of this kind and access:
 * "read", "write_file", ...; NULL for an invalid access. */
const char *cli_fs_key(bool is_file, nono_access access);

/* Points TMPDIR and its kin at the policy's private temporary directory
 * (private_tmp = true), as nono run, explain and learn run a program.
 * Returns 0, or -1 with the error printed. */
int cli_set_private_tmp(const nono_policy *policy);

/* What the policy's [network] unix setting means on a kernel with
 * Landlock ABI `abi`, in words, for nono check and nono why. Static. */
const char *cli_unix_words(const nono_caps *caps, int abi);

/*
 * Canonicalises `path` as far as it exists, with the library's one
 * canonicaliser (nono_path_canonical), as queries do. A new string
 * (free()), or NULL with errno set.
 */
char *cli_canonical_lenient(const char *path);

/*
 * Finds `program` as execvp(3) would: a name with a '/' is taken as it
 * is, anything else is searched on PATH (the system default when PATH is
 * unset). Returns a new string (free()) with the path of an executable
 * regular file; NULL with errno ENOENT when there is none, EACCES when
 * one was found but is not executable, or another errno.
 */
char *cli_find_program(const char *program);

#endif /* NONO_CLI_H */
