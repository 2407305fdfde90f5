// SPDX-License-Identifier: Apache-2.0
/*
 * nono_exec and nono_exec_capture, live: each test starts real programs
 * (sh, cat, env, sleep) in sandboxed children and checks their output and
 * wait status. nono_exec forks and applies in its own child, so the
 * Criterion process is never sandboxed; the tests check that too, by
 * reading after a run what the child was refused.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libnono.h"
#include "helpers/testutil.h"

static char *root;
static char *secret;

static void setup(void)
{
	root = tu_tmpdir();
	secret = tu_fmt("%s/secret.txt", root);
	tu_write_file(secret, "hunter2\n");
}

static void teardown(void)
{
	tu_rm_rf(root);
	free(root);
	free(secret);
}

TestSuite(exec, .init = setup, .fini = teardown);

/* What the programs here need to start: the system's files, read-only.
 * The test's own directory is not in it. */
static nono_caps *system_caps(void)
{
	static const char *const dirs[] = { "/usr", "/bin", "/lib", "/lib64",
					    "/etc" };
	nono_caps *caps = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int rc = nono_caps_allow_path(caps, dirs[i], NONO_ACCESS_READ);
		cr_assert(rc == 0 || rc == NONO_ENOENT, "allow_path %s: %s",
			  dirs[i], nono_strerror(rc));
	}
	/* dash gives a background job /dev/null as its stdin. */
	cr_assert_eq(
		nono_caps_allow_file(caps, "/dev/null", NONO_ACCESS_READ_WRITE),
		0, "allow_file /dev/null");
	return caps;
}

/* Runs argv (argv[0] an absolute path) under caps and captures it. */
static void capture(const nono_caps *caps, char *const argv[], const char *cwd,
		    int64_t timeout_ms, nono_exec_output *out)
{
	nono_exec_opts opts;
	nono_diag diag;
	int rc;

	nono_exec_opts_init(&opts);
	opts.path = argv[0];
	opts.argv = argv;
	opts.cwd = cwd;
	opts.stdin_fd = -1;
	opts.flags = NONO_EXEC_NEW_PROCESS_GROUP | NONO_EXEC_RESTORE_SIGNALS;
	rc = nono_exec_capture(caps, &opts, timeout_ms, out, &diag);
	cr_assert_eq(rc, 0, "nono_exec_capture %s: %s", argv[0], diag.message);
}

static bool all_bytes(const char *buf, size_t len, const char *pattern)
{
	size_t plen = strlen(pattern);

	for (size_t i = 0; i < len; i++) {
		if (buf[i] != pattern[i % plen])
			return false;
	}
	return true;
}

Test(exec, captures_megabytes_on_both_streams_without_deadlock)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	/* stderr first: a parent that read stdout to its end before
	 * looking at stderr would wait for ever on a child blocked on a
	 * full stderr pipe. */
	char *const argv[] = { "/bin/sh", "-c",
			       "yes err | head -c 3000000 >&2; "
			       "yes out | head -c 5000000",
			       NULL };

	capture(caps, argv, NULL, 60000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0,
		  "status %#x, stderr %.200s", out.status,
		  out.err ? out.err : "");
	cr_assert_eq(out.out_len, 5000000, "stdout has %zu bytes", out.out_len);
	cr_assert_eq(out.err_len, 3000000, "stderr has %zu bytes", out.err_len);
	cr_assert(all_bytes(out.out, out.out_len, "out\n"),
		  "stdout is yes's output");
	cr_assert(all_bytes(out.err, out.err_len, "err\n"),
		  "stderr is yes's output");
	cr_assert_eq(out.out[out.out_len], '\0', "stdout is NUL-terminated");
	cr_assert_not(out.timed_out, "no timeout was reached");
	nono_exec_output_clear(&out);
	cr_assert_null(out.out, "clear frees and zeroes");
	nono_caps_free(caps);
}

Test(exec, exit_status_and_empty_output)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/sh", "-c", "exit 42", NULL };

	capture(caps, argv, NULL, -1, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 42,
		  "status %#x", out.status);
	cr_assert_null(out.out, "no stdout: NULL");
	cr_assert_eq(out.out_len, 0, "no stdout");
	cr_assert_null(out.err, "no stderr: NULL");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, signalled_child_reports_its_signal)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/sh", "-c", "kill -TERM $$", NULL };

	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFSIGNALED(out.status) && WTERMSIG(out.status) == SIGTERM,
		  "status %#x", out.status);
	cr_assert_not(out.timed_out, "not a timeout");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

/* The state letter of /proc/PID/stat; 0 when the process is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	char *close_paren;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return 0;
	}
	fclose(f);
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] ? close_paren[2] : 0;
}

Test(exec, timeout_kills_the_child_and_its_group)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	struct timespec t0, t1;
	/* The shell starts a grandchild, says its pid, and waits: the
	 * timeout must end both, the grandchild through the group. */
	char *const argv[] = { "/bin/sh", "-c", "sleep 30 & echo $!; wait",
			       NULL };
	pid_t grandchild;
	char state = 'R';

	clock_gettime(CLOCK_MONOTONIC, &t0);
	capture(caps, argv, NULL, 300, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert(out.timed_out, "the timeout is reported: status %#x, %s",
		  out.status, out.err ? out.err : "");
	cr_assert(WIFSIGNALED(out.status) && WTERMSIG(out.status) == SIGKILL,
		  "killed with SIGKILL: status %#x", out.status);
	cr_assert_lt(t1.tv_sec - t0.tv_sec, 10, "returned soon after 300 ms");
	cr_assert_not_null(out.out, "the grandchild's pid was printed");
	grandchild = (pid_t)atoi(out.out);
	cr_assert_gt(grandchild, 0, "pid in %s", out.out);
	/* Killed, it lingers as a zombie until whoever inherited it reaps
	 * it; either way it no longer runs. */
	for (int i = 0; i < 200; i++) {
		state = proc_state(grandchild);
		if (state == 0 || state == 'Z')
			break;
		usleep(10000);
	}
	cr_assert(state == 0 || state == 'Z',
		  "grandchild %d still runs (state %c)", (int)grandchild,
		  state);
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, setup_failure_exits_126_with_one_line)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/true", NULL };
	char *missing = tu_fmt("%s/missing", root);

	capture(caps, argv, missing, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 126,
		  "status %#x", out.status);
	char *want = tu_fmt("nono: failed to chdir to %s: No such file or "
			    "directory\n",
			    missing);
	cr_assert_str_eq(out.err ? out.err : "", want, "the one line");
	nono_exec_output_clear(&out);
	free(want);
	free(missing);
	nono_caps_free(caps);
}

Test(exec, apply_failure_exits_126_with_the_reason)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/true", NULL };

	/* Port exceptions without a blocked network: nono_apply refuses. */
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "port");
	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 126,
		  "status %#x", out.status);
	cr_assert_not_null(out.err, "a message");
	cr_assert(strncmp(out.err, "nono: sandbox apply failed: TCP port",
			  36) == 0,
		  "message: %s", out.err);
	cr_assert_eq(strchr(out.err, '\n'), out.err + out.err_len - 1,
		     "exactly one line: %s", out.err);
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, exec_failure_exits_127)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/nonexistent/program", "x", NULL };

	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 127,
		  "status %#x", out.status);
	cr_assert_str_eq(out.err ? out.err : "",
			 "nono: exec failed: /nonexistent/program: No such "
			 "file or directory\n",
			 "the one line");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, child_is_sandboxed_and_caller_is_not)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/cat", secret, NULL };
	char buf[64] = "";
	int fd;

	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 1,
		  "cat fails: status %#x", out.status);
	cr_assert_null(out.out, "nothing of the secret came out");
	cr_assert_not_null(strstr(out.err ? out.err : "", "Permission denied"),
			   "refused by the sandbox: %s", out.err);
	nono_exec_output_clear(&out);

	/* The test process itself still reads it, and is not confined. */
	fd = open(secret, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "the caller still opens %s: %s", secret,
		      strerror(errno));
	cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0, "and reads it");
	close(fd);
	cr_assert_str_eq(buf, "hunter2\n", "the secret");

	/* Granted, the same command reads it. */
	cr_assert_eq(nono_caps_allow_path(caps, root, NONO_ACCESS_READ), 0,
		     "grant %s", root);
	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0,
		  "granted: status %#x, %s", out.status, out.err);
	cr_assert_str_eq(out.out, "hunter2\n", "granted: the content");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, other_descriptors_are_closed_in_the_child)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	/* Not close-on-exec, as a careless caller would leave it. */
	int fd = open(secret, O_RDONLY);
	char *const argv[] = { "/bin/sh", "-c", "cat <&9", NULL };

	cr_assert_geq(fd, 0, "open");
	cr_assert_eq(dup2(fd, 9), 9, "dup2");
	close(fd);
	capture(caps, argv, NULL, 10000, &out);
	close(9);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) != 0,
		  "fd 9 is not there: status %#x", out.status);
	cr_assert_null(out.out, "nothing was read through it");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, environment_and_working_directory)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_opts opts;
	nono_exec_output out;
	char *const env_argv[] = { "/usr/bin/env", NULL };
	char *const envp[] = { "A=1", "B=two words", NULL };
	char *const pwd_argv[] = { "/bin/pwd", NULL };
	char *canonical = realpath(root, NULL);

	/* No environment unless one is given. */
	capture(caps, env_argv, NULL, 10000, &out);
	cr_assert_null(out.out, "an empty environment: %s", out.out);
	nono_exec_output_clear(&out);

	nono_exec_opts_init(&opts);
	opts.path = env_argv[0];
	opts.envp = envp;
	cr_assert_eq(nono_exec_capture(caps, &opts, 10000, &out, NULL), 0,
		     "capture");
	cr_assert_str_eq(out.out, "A=1\nB=two words\n", "exactly envp");
	nono_exec_output_clear(&out);

	cr_assert_eq(nono_caps_allow_path(caps, root, NONO_ACCESS_READ), 0,
		     "grant");
	capture(caps, pwd_argv, root, 10000, &out);
	char *want = tu_fmt("%s\n", canonical);
	cr_assert_str_eq(out.out ? out.out : "", want, "pwd in cwd");
	nono_exec_output_clear(&out);
	free(want);
	free(canonical);
	nono_caps_free(caps);
}

Test(exec, nono_exec_gives_the_descriptors_and_the_pid)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_opts opts;
	char *const argv[] = { "/bin/sh", "-c", "echo out; echo err >&2",
			       NULL };
	int fds[2];
	char buf[64] = "";
	ssize_t n, got = 0;
	pid_t pid = 0;
	int status;

	cr_assert_eq(pipe(fds), 0, "pipe");
	nono_exec_opts_init(&opts);
	opts.path = argv[0];
	opts.argv = argv;
	opts.stdin_fd = -1;
	/* The same descriptor twice: both streams into one pipe. */
	opts.stdout_fd = fds[1];
	opts.stderr_fd = fds[1];
	cr_assert_eq(nono_exec(caps, &opts, &pid, NULL), 0, "nono_exec");
	close(fds[1]);
	cr_assert_gt(pid, 0, "a pid");
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	close(fds[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid, "the caller reaps it");
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x",
		  status);
	cr_assert_str_eq(buf, "out\nerr\n", "both streams, in order");
	nono_caps_free(caps);
}

Test(exec, stdin_minus_one_is_dev_null)
{
	tu_require_landlock();
	nono_caps *caps = system_caps();
	nono_exec_output out;
	char *const argv[] = { "/bin/cat", NULL };

	/* /dev/null is opened by the caller, before the sandbox. */
	capture(caps, argv, NULL, 10000, &out);
	cr_assert(WIFEXITED(out.status) && WEXITSTATUS(out.status) == 0,
		  "status %#x, %s", out.status, out.err);
	cr_assert_null(out.out, "end of input at once");
	nono_exec_output_clear(&out);
	nono_caps_free(caps);
}

Test(exec, bad_arguments_are_refused_before_forking)
{
	nono_caps *caps = NULL;
	nono_exec_opts opts;
	nono_exec_output out;
	nono_diag diag;
	pid_t pid = 0;

	cr_assert_eq(nono_caps_new(&caps), 0, "caps");
	nono_exec_opts_init(&opts);
	cr_assert_eq(opts.stdin_fd, 0, "init: the caller's stdin");
	cr_assert_eq(opts.stderr_fd, 2, "init: the caller's stderr");

	cr_assert_eq(nono_exec(caps, &opts, &pid, &diag), NONO_EINVAL,
		     "no path");
	cr_assert_str_eq(diag.message, "no program to run (path is NULL)",
			 "says why");
	opts.path = "";
	cr_assert_eq(nono_exec(caps, &opts, &pid, NULL), NONO_EINVAL,
		     "empty path");
	opts.path = "/bin/true";
	cr_assert_eq(nono_exec(NULL, &opts, &pid, NULL), NONO_EINVAL,
		     "NULL caps");
	cr_assert_eq(nono_exec(caps, NULL, &pid, NULL), NONO_EINVAL,
		     "NULL opts");
	cr_assert_eq(nono_exec(caps, &opts, NULL, NULL), NONO_EINVAL,
		     "NULL pid");
	opts.stdout_fd = 987;
	cr_assert_eq(nono_exec(caps, &opts, &pid, &diag), NONO_EINVAL,
		     "closed descriptor");
	cr_assert_str_eq(diag.message,
			 "stdout_fd 987 is not an open descriptor", "names it");
	opts.stdout_fd = 1;
	opts.flags = 1u << 20;
	cr_assert_eq(nono_exec(caps, &opts, &pid, NULL), NONO_EINVAL,
		     "unknown flags");
	opts.flags = 0;
	opts.apply_flags = 1u << 20;
	cr_assert_eq(nono_exec_capture(caps, &opts, -1, &out, NULL),
		     NONO_EINVAL, "unknown apply flags");
	cr_assert_null(out.out, "out is cleared on failure");
	cr_assert_eq(nono_exec_capture(caps, &opts, -1, NULL, NULL),
		     NONO_EINVAL, "NULL out");
	cr_assert_eq(pid, 0, "nothing was started");
	cr_assert_str_eq(nono_strerror(NONO_ESPAWN), "cannot start the process",
			 "the new error's name");
	nono_exec_output_clear(NULL);
	nono_exec_opts_init(NULL);
	nono_caps_free(caps);
}
