// SPDX-License-Identifier: Apache-2.0
/*
 * What several subcommands share: the one-line error format, loading a
 * policy, option errors, and the path helpers several subcommands need.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The longest error line written; a longer one is cut. */
#define CLI_LINE_MAX 4096

static void cli_verror(const char *fmt, va_list ap)
{
	char line[CLI_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	/* An error is always exactly one line, whatever a file name holds. */
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
	}
	fflush(stdout);
	fprintf(stderr, "nono: %.*s\n", n, line);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_verror(fmt, ap);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[CLI_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd)
		cli_error("%s: %s (see 'nono help %s')", cmd, msg, cmd);
	else
		cli_error("%s (see 'nono --help')", msg);
	return CLI_EXIT_USAGE;
}

void cli_diag_error(const char *what, int rc, const nono_diag *diag)
{
	const char *msg = diag->message[0] ? diag->message : nono_strerror(rc);

	if (diag->file[0] && diag->line > 0)
		cli_error("%s:%u: %s", diag->file, diag->line, msg);
	else if (diag->file[0])
		cli_error("%s: %s", diag->file, msg);
	else if (what)
		cli_error("%s: %s", what, msg);
	else
		cli_error("%s", msg);
}

/* One error report for both loaders: they fail the same ways. */
static int cli_policy_load_with(int (*load)(const char *, nono_policy **,
					    nono_diag *),
				const char *path, nono_policy **out)
{
	nono_diag diag;
	int rc;

	nono_diag_clear(&diag);
	rc = load(path, out, &diag);
	if (rc < 0) {
		/* Name the policy when the loader did not, as the shim
		 * does: the message alone may not say which file. */
		if (!diag.file[0]) {
			cli_error("loading the policy %s: %s", path,
				  diag.message[0] ? diag.message
						  : nono_strerror(rc));
			return rc;
		}
		cli_diag_error(NULL, rc, &diag);
	}
	return rc;
}

int cli_policy_load(const char *path, nono_policy **out)
{
	return cli_policy_load_with(nono_policy_load, path, out);
}

int cli_policy_load_to_apply(const char *path, nono_policy **out)
{
	return cli_policy_load_with(nono_policy_load_to_apply, path, out);
}

void cli_print_help(const struct cli_command *cmd)
{
	fputs(cmd->usage, stdout);
	fputs("\n", stdout);
	fputs(cmd->help, stdout);
}

int cli_common_option(const struct cli_command *cmd, int c, char **argv)
{
	switch (c) {
	case 'h':
		cli_print_help(cmd);
		return CLI_EXIT_OK;
	case ':':
		return cli_usage_error(cmd->name,
				       "option '%s' needs an argument",
				       argv[optind - 1]);
	case '?':
		/* getopt_long sets optopt to a long option's value when it
		 * is given an argument it does not take ("--json=1"): name
		 * what was typed. */
		if (strncmp(argv[optind - 1], "--", 2) == 0 && optopt &&
		    strchr(argv[optind - 1], '='))
			return cli_usage_error(
				cmd->name, "option '%.*s' takes no argument",
				(int)strcspn(argv[optind - 1], "="),
				argv[optind - 1]);
		if (optopt && optopt < 0x80 &&
		    strncmp(argv[optind - 1], "--", 2) != 0)
			return cli_usage_error(cmd->name,
					       "unknown option '-%c'", optopt);
		return cli_usage_error(cmd->name, "unknown option '%s'",
				       argv[optind - 1]);
	default:
		/* An option the command lists but does not handle. */
		return cli_usage_error(cmd->name, "unknown option");
	}
}

pid_t cli_fork_with_pipe(const char *what, int fds[2])
{
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		cli_error("%s: pipe: %s", what, strerror(errno));
		return -1;
	}
	/* Nothing buffered may be written twice, by parent and child. */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_error("%s: fork: %s", what, strerror(errno));
		close(fds[0]);
		close(fds[1]);
	}
	return pid;
}

bool cli_log_warnings(void)
{
	const char *level = getenv(CLI_ENV_LOG);

	return level &&
	       (strcmp(level, "warn") == 0 || strcmp(level, "info") == 0 ||
		strcmp(level, "debug") == 0);
}

const char *cli_fs_key(bool is_file, nono_access access)
{
	switch (access) {
	case NONO_ACCESS_READ:
		return is_file ? "read_file" : "read";
	case NONO_ACCESS_WRITE:
		return is_file ? "write_file" : "write";
	case NONO_ACCESS_READ_WRITE:
		return is_file ? "read_write_file" : "read_write";
	}
	return NULL;
}

char *cli_canonical_lenient(const char *path)
{
	char *canon = NULL;
	int rc = nono_path_canonical(path, &canon);

	if (rc < 0)
		errno = -rc;
	return canon;
}

/* Whether `path` is a regular file; sets *executable. */
static bool cli_is_program(const char *path, bool *executable)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	*executable = access(path, X_OK) == 0;
	return true;
}

char *cli_find_program(const char *program)
{
	const char *search = getenv("PATH");
	char *found = NULL;
	bool executable = false;
	bool denied = false;
	char default_path[256];

	if (!program || !*program) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(program, '/')) {
		if (!cli_is_program(program, &executable)) {
			/* A directory or device cannot be run either. */
			if (access(program, F_OK) == 0) {
				errno = EACCES;
				return NULL;
			}
			return NULL;
		}
		if (!executable) {
			errno = EACCES;
			return NULL;
		}
		return strdup(program);
	}

	/* execvp(3)'s default when PATH is unset. */
	if (!search) {
		size_t n =
			confstr(_CS_PATH, default_path, sizeof(default_path));

		if (n == 0 || n > sizeof(default_path))
			strcpy(default_path, "/bin:/usr/bin");
		search = default_path;
	}
	for (const char *p = search;; p++) {
		size_t len = strcspn(p, ":");
		char *candidate;

		/* An empty entry means the working directory, as in
		 * execvp(3). */
		if (asprintf(&candidate, "%.*s/%s", len ? (int)len : 1,
			     len ? p : ".", program) < 0)
			return NULL;
		if (cli_is_program(candidate, &executable)) {
			if (executable) {
				found = candidate;
				break;
			}
			denied = true;
		}
		free(candidate);
		p += len;
		if (!*p)
			break;
	}
	if (!found)
		errno = denied ? EACCES : ENOENT;
	return found;
}

/* What the UNIX socket setting means on a kernel with Landlock ABI `abi`. */
const char *cli_unix_words(const nono_caps *caps, int abi)
{
	nono_unix_mode mode = nono_caps_unix(caps);

	if (mode == NONO_UNIX_DEFAULT)
		mode = nono_caps_is_network_blocked(caps) ? NONO_UNIX_GRANTED
							  : NONO_UNIX_ALL;
	switch (mode) {
	case NONO_UNIX_GRANTED:
		return abi >= 9
			       ? "granted: connect and send only to sockets "
				 "beneath a write grant (Landlock)"
			       : "granted, which this kernel cannot tell apart "
				 "(Landlock ABI 9): no UNIX socket can be "
				 "created; socketpair() works";
	case NONO_UNIX_NONE:
		return "none: no UNIX socket can be created; socketpair() "
		       "works";
	default:
		return "all: any UNIX socket, wherever it is (docker.sock, "
		       "ssh-agent, D-Bus, X11...)";
	}
}

int cli_set_private_tmp(const nono_policy *policy)
{
	const char *dir = nono_policy_private_tmp(policy);
	const char *const *vars = nono_private_tmp_vars();

	for (size_t i = 0; dir && vars[i]; i++) {
		if (setenv(vars[i], dir, 1) < 0) {
			cli_error("setting %s: %s", vars[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}
