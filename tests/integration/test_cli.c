// SPDX-License-Identifier: Apache-2.0
/*
 * The nono command, run as a real program. `nono run` applies a sandbox to
 * itself, so it only ever runs as a child spawned here (tu_spawn forks and
 * executes it), never inside the Criterion test process.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "libnono.h"
#include "../helpers/testutil.h"

#ifndef NONO_CLI_PATH
#error "NONO_CLI_PATH must name the nono executable"
#endif

#define SPAWN_TIMEOUT_S 30
#define MAX_ARGS 32

/* 128 KiB: static, not on the stack. Each test runs in its own process. */
static struct tu_proc proc;
/* A scratch directory per test, removed by the fini. */
static char *dir;

static void setup(void)
{
	dir = tu_tmpdir();
}

static void teardown(void)
{
	tu_rm_rf(dir);
	free(dir);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Runs argv (NULL-terminated) with a small clean environment. */
static int spawn_argv(char *const argv[])
{
	return tu_spawn(&proc, argv, tu_env(NULL, NULL, NULL), SPAWN_TIMEOUT_S);
}

/* Runs `nono ARGS...` (a NULL-terminated list). */
static int nono(const char *first, ...)
{
	char *argv[MAX_ARGS];
	size_t n = 0;
	va_list ap;

	argv[n++] = (char *)NONO_CLI_PATH;
	argv[n++] = (char *)first;
	va_start(ap, first);
	while (n < MAX_ARGS - 1 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return spawn_argv(argv);
}

/* Writes a file in the scratch directory; returns its path (free()). */
static char *scratch_file(const char *name, const char *content)
{
	char *path = tu_fmt("%s/%s", dir, name);

	tu_write_file(path, content);
	return path;
}

static char *scratch_dir(const char *name)
{
	char *path = tu_fmt("%s/%s", dir, name);

	cr_assert_eq(mkdir(path, 0755), 0, "mkdir %s: %s", path,
		     strerror(errno));
	return path;
}

/* Whether stderr is exactly one line beginning "nono: ". */
static bool one_nono_line(const char *err)
{
	const char *nl = strchr(err, '\n');

	return strncmp(err, "nono: ", 6) == 0 && nl && nl[1] == '\0';
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);

	cr_assert(in >= 0 && out >= 0, "copying %s to %s: %s", from, to,
		  strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(out, buf, (size_t)n), n, "write %s", to);
	cr_assert_eq(n, 0, "read %s: %s", from, strerror(errno));
	close(in);
	close(out);
}

/* ------------------------------------------------------------------ */
/* nono run                                                            */
/* ------------------------------------------------------------------ */

/*
 * A statically linked program ignores LD_PRELOAD, so only a sandbox that
 * nono applied to itself before exec can confine it.
 */
Test(cli, run_confines_a_static_program)
{
	char *pub = scratch_dir("public");
	char *allowed = scratch_file("public/ok.txt", "fine\n");
	char *secret = scratch_file("secret.txt", "password\n");
	char *policy = scratch_file(
		"p.ini", tu_fmt("[filesystem]\nread_file = %s\nread = %s\n",
				NONO_STATIC_PROBE_PATH, pub));
	char *probe[] = { (char *)NONO_STATIC_PROBE_PATH, "read", secret,
			  NULL };

	/* Without nono, the probe reads the secret: the denial below is the
	 * sandbox's doing. */
	cr_assert_eq(spawn_argv(probe), 0, "unsandboxed read: %s", proc.out);

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  NONO_STATIC_PROBE_PATH, "read", secret, NULL),
		     1, "denied read exits 1; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the read is denied");

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  NONO_STATIC_PROBE_PATH, "read", allowed, NULL),
		     0, "allowed read exits 0; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the read is allowed");
}

Test(cli, run_builds_the_sandbox_from_flags)
{
	char *pub = scratch_dir("public");
	char *allowed = scratch_file("public/ok.txt", "fine\n");
	char *other = scratch_file("other.txt", "x\n");

	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--read", pub, "--", NONO_STATIC_PROBE_PATH, "read",
			  allowed, NULL),
		     0, "granted by --read; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the read is allowed");

	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--read", pub, "--", NONO_STATIC_PROBE_PATH, "read",
			  other, NULL),
		     1, "not granted; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the read is denied");

	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--read-write", pub, "--", NONO_STATIC_PROBE_PATH,
			  "write", allowed, NULL),
		     0, "granted by --read-write; stderr: %s", proc.err);
	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--read", pub, "--", NONO_STATIC_PROBE_PATH, "write",
			  allowed, NULL),
		     1, "write under --read; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the write is denied");
}

Test(cli, run_policy_and_flags_combine)
{
	char *pub = scratch_dir("public");
	char *allowed = scratch_file("public/ok.txt", "fine\n");
	char *policy =
		scratch_file("p.ini", tu_fmt("[filesystem]\nread_file = %s\n",
					     NONO_STATIC_PROBE_PATH));

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  NONO_STATIC_PROBE_PATH, "read", allowed, NULL),
		     1, "the policy alone does not grant it");
	cr_assert_eq(nono("run", "--policy", policy, "--read", pub, "--",
			  NONO_STATIC_PROBE_PATH, "read", allowed, NULL),
		     0, "the flag adds to the policy; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the read is allowed");
}

Test(cli, run_block_net_blocks_tcp)
{
	tu_require_abi(4, "restricting TCP");
	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--block-net", "--", NONO_STATIC_PROBE_PATH,
			  "connect-tcp", "127.0.0.1", "9", NULL),
		     1, "connect fails; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n",
			 "refused by the sandbox, not by the port");
}

Test(cli, run_passes_the_exit_status_through)
{
	char *policy = scratch_file("p.ini", "[policy]\ninclude = system\n");

	cr_assert_eq(nono("run", "--policy", policy, "--", "sh", "-c", "exit 7",
			  NULL),
		     7, "sh's status; stderr: %s", proc.err);
	cr_assert_eq(nono("run", "--policy", policy, "--", "sh", "-c", "exit 0",
			  NULL),
		     0, "sh's status; stderr: %s", proc.err);
	cr_assert_str_eq(proc.err, "", "nothing from nono on success");
}

Test(cli, run_missing_program_is_127)
{
	char *policy = scratch_file("p.ini", "[policy]\ninclude = system\n");

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  "nono-no-such-program", NULL),
		     127, "not found");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert(strstr(proc.err, "nono-no-such-program"),
		  "names the program: %s", proc.err);

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  tu_fmt("%s/missing", dir), NULL),
		     127, "a missing path is not found either");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
}

Test(cli, run_bad_policy_is_125)
{
	char *policy = scratch_file("bad.ini", "[filesystem]\nraed = /tmp\n");
	char *prefix = tu_fmt("nono: %s:2: ", policy);

	cr_assert_eq(nono("run", "--policy", policy, "--", "true", NULL), 125,
		     "a bad policy cannot be applied");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert(starts_with(proc.err, prefix),
		  "names file and line like the shim: %s", proc.err);
}

Test(cli, run_ungranted_program_is_126)
{
	char *policy = scratch_file("p.ini", "[network]\nblock = true\n");

	cr_assert_eq(nono("run", "--policy", policy, "--",
			  NONO_STATIC_PROBE_PATH, "fds", NULL),
		     126, "the sandbox hides the program from execve");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert_str_eq(proc.out, "", "the program did not run");
}

Test(cli, run_missing_grant_path_is_125)
{
	cr_assert_eq(nono("run", "--read", tu_fmt("%s/missing", dir), "--",
			  "true", NULL),
		     125, "a grant that cannot be made");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert(strstr(proc.err, "--read"), "names the option: %s", proc.err);
}

/* A listening TCP socket on 127.0.0.1, opened here (outside any sandbox);
 * its port through *port. */
static int tcp_listener(unsigned *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket");
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0, "bind");
	cr_assert_eq(listen(fd, 4), 0, "listen");
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0,
		     "getsockname");
	*port = ntohs(a.sin_port);
	return fd;
}

Test(cli, run_connect_tcp_opens_one_port)
{
	unsigned open_port, other_port;
	int open_fd, other_fd;
	char *open_s, *other_s;

	tu_require_abi(4, "port exceptions");
	open_fd = tcp_listener(&open_port);
	other_fd = tcp_listener(&other_port);
	open_s = tu_fmt("%u", open_port);
	other_s = tu_fmt("%u", other_port);

	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--block-net", "--connect-tcp", open_s, "--",
			  NONO_STATIC_PROBE_PATH, "connect-tcp", "127.0.0.1",
			  open_s, NULL),
		     0, "the excepted port connects; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "connected");
	cr_assert_eq(nono("run", "--read-file", NONO_STATIC_PROBE_PATH,
			  "--block-net", "--connect-tcp", open_s, "--",
			  NONO_STATIC_PROBE_PATH, "connect-tcp", "127.0.0.1",
			  other_s, NULL),
		     1, "another port is refused; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "refused by the sandbox");
	close(open_fd);
	close(other_fd);
}

Test(cli, run_port_options_are_checked)
{
	cr_assert_eq(nono("run", "--connect-tcp", "443", "--", "true", NULL),
		     125, "an exception to an open network");
	cr_assert_str_eq(proc.err,
			 "nono: --connect-tcp 443: port exceptions need "
			 "--block-net (or block = true in the policy)\n",
			 "the message");
	cr_assert_eq(nono("run", "--connect-tcp", "70000", "--", "true", NULL),
		     125, "a bad port is a usage error of nono run");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert_eq(nono("run", "--bind-tcp", "0", "--", "true", NULL), 125,
		     "port 0 is a usage error of nono run");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
}

Test(cli, usage_errors_are_2)
{
	/* nono run's are 125: its program's own statuses include 2. */
	cr_assert_eq(nono("run", NULL), 125, "no program");
	cr_assert(one_nono_line(proc.err), "one line: %s", proc.err);
	cr_assert_eq(nono("run", "--no-such-option", "--", "true", NULL), 125,
		     "unknown option");
	cr_assert(one_nono_line(proc.err), "one line: %s", proc.err);
	/* getopt_long reports a long option given an argument it does not
	 * take with the option's value ('j'), which is no option typed. */
	cr_assert_eq(nono("support", "--json=1", NULL), 2, "--json=1");
	cr_assert(strstr(proc.err, "option '--json' takes no argument"),
		  "names the option typed: %s", proc.err);
	cr_assert_eq(nono("frobnicate", NULL), 2, "unknown command");
	cr_assert(one_nono_line(proc.err), "one line: %s", proc.err);
	cr_assert_eq(nono("check", NULL), 2, "check without a file");
	cr_assert_eq(nono("why", "--network", NULL), 2, "why without policy");
	cr_assert_eq(nono("state", NULL), 2, "state without a file");
	cr_assert_eq(nono("wrap", "--", "true", NULL), 2,
		     "wrap without policy and output");
	char *argv[] = { (char *)NONO_CLI_PATH, NULL };
	cr_assert_eq(spawn_argv(argv), 2, "no command");
	cr_assert(one_nono_line(proc.err), "one line: %s", proc.err);
}

/* ------------------------------------------------------------------ */
/* help and version                                                     */
/* ------------------------------------------------------------------ */

Test(cli, help_on_every_command)
{
	static const char *const commands[] = { "run",	     "check", "why",
						"wrap",	     "state", "support",
						"completion" };

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char *usage = tu_fmt("usage: nono %s", commands[i]);
		char *help_out;

		cr_assert_eq(nono(commands[i], "--help", NULL), 0, "%s --help",
			     commands[i]);
		cr_assert(starts_with(proc.out, usage), "%s --help: %s",
			  commands[i], proc.out);
		cr_assert_str_eq(proc.err, "", "no errors");
		help_out = strdup(proc.out);
		cr_assert(help_out, "strdup");

		cr_assert_eq(nono("help", commands[i], NULL), 0, "help %s",
			     commands[i]);
		cr_assert_str_eq(proc.out, help_out,
				 "help %s and %s --help agree", commands[i],
				 commands[i]);
		free(help_out);
		free(usage);
	}
	cr_assert_eq(nono("--help", NULL), 0, "nono --help");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		cr_assert(strstr(proc.out, commands[i]),
			  "the main help lists %s", commands[i]);
	cr_assert_eq(nono("help", "nosuch", NULL), 2, "help for nothing");
}

Test(cli, version)
{
	cr_assert_eq(nono("--version", NULL), 0, "--version");
	cr_assert_str_eq(proc.out, "nono " NONO_VERSION_STRING "\n",
			 "the version line");
}

/* ------------------------------------------------------------------ */
/* nono check                                                           */
/* ------------------------------------------------------------------ */

Test(cli, check_good_policy)
{
	char *pub = scratch_dir("public");
	char *policy = scratch_file(
		"p.ini",
		tu_fmt("[policy]\ninclude = system\n[filesystem]\nread = %s\n"
		       "[network]\nblock = true\n",
		       pub));
	char *line = tu_fmt("  %s [read] (dir)\n", pub);

	cr_assert_eq(nono("check", policy, NULL), 0, "a good policy; %s",
		     proc.err);
	cr_assert(strstr(proc.out, "Filesystem:\n"), "the summary: %s",
		  proc.out);
	cr_assert(strstr(proc.out, line), "lists the grant: %s", proc.out);
	cr_assert(strstr(proc.out, "  outbound: blocked\n"), "the network: %s",
		  proc.out);
	cr_assert(strstr(proc.out, "Commands:\n"), "the commands: %s",
		  proc.out);
	cr_assert(strstr(proc.out, "on_unsupported: fail\n"),
		  "on_unsupported: %s", proc.out);
	cr_assert(strstr(proc.out, "Kernel:\n"), "the kernel: %s", proc.out);
	cr_assert(strstr(proc.out, "Result: ok"), "the verdict: %s", proc.out);
	cr_assert_str_eq(proc.err, "", "no errors");
}

/* What holds beyond Landlock, and the limits left, for this kernel. */
Test(cli, check_says_what_the_baseline_enforces)
{
	char *policy = scratch_file(
		"p.ini", "[network]\nblock = true\nconnect_tcp = 443\n");
	nono_support_info info;

	nono_support_info_get(&info);
	cr_assert_eq(nono("check", policy, NULL), 0, "%s", proc.err);
	cr_assert(strstr(proc.out, "Beyond Landlock"), "%s", proc.out);
	cr_assert(strstr(proc.out, "terminal injection"), "%s", proc.out);
	cr_assert(strstr(proc.out, "capabilities root keeps: chown,"), "%s",
		  proc.out);
	cr_assert(strstr(proc.out, "Limits that remain"), "%s", proc.out);
	cr_assert(strstr(proc.out, "mmap(PROT_EXEC)"), "%s", proc.out);
	if (info.abi >= 4)
		cr_assert(strstr(proc.out, "listen(): refused"), "%s",
			  proc.out);
	if (info.abi < 9)
		cr_assert(strstr(proc.out, "UNIX sockets: granted, which this "
					   "kernel cannot tell apart"),
			  "%s", proc.out);

	policy = scratch_file("q.ini", "[network]\nblock = true\n"
				       "bind_tcp = 8080\nunix = all\n"
				       "[process]\ncapabilities = keep\n"
				       "[filesystem]\nmetadata = protect\n");
	cr_assert_eq(nono("check", policy, NULL), 0, "%s", proc.err);
	cr_assert(strstr(proc.out, "UNIX sockets: all:"), "%s", proc.out);
	cr_assert(strstr(proc.out, "capabilities root keeps: all"), "%s",
		  proc.out);
	cr_assert(strstr(proc.out, "metadata: protect"), "%s", proc.out);
	cr_assert_null(strstr(proc.out, "files its user owns"),
		       "no metadata limit with protect: %s", proc.out);
	if (info.abi >= 4)
		cr_assert(strstr(proc.out, "ephemeral port"), "%s", proc.out);
}

Test(cli, why_says_what_a_socket_needs)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *sock = tu_fmt("%s/sock", dir);
	char *policy = scratch_file("p.ini", "[network]\nunix = none\n");
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "bind");
	cr_assert_eq(nono("why", "--policy", policy, "--path", sock, NULL), 1,
		     "denied: nothing is granted; %s", proc.err);
	cr_assert(strstr(proc.out, "is a UNIX socket; connecting to it: none"),
		  "%s", proc.out);
	close(fd);
	free(sock);
}

Test(cli, check_shows_on_unsupported_warn)
{
	char *policy = scratch_file(
		"p.ini", "[policy]\ninclude = system\non_unsupported = warn\n");

	cr_assert_eq(nono("check", policy, NULL), 0, "a good policy; %s",
		     proc.err);
	cr_assert(strstr(proc.out, "on_unsupported: warn\n"),
		  "on_unsupported: %s", proc.out);
}

Test(cli, check_bad_policy)
{
	char *policy = scratch_file("bad.ini",
				    "[policy]\ninclude = system\n[filesystem]\n"
				    "raed = /tmp\n");
	char *prefix = tu_fmt("nono: %s:4: ", policy);

	cr_assert_eq(nono("check", policy, NULL), 1, "a bad policy");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert(starts_with(proc.err, prefix), "file and line: %s", proc.err);
	cr_assert(strstr(proc.err, "raed"), "names the key: %s", proc.err);

	cr_assert_eq(nono("check", tu_fmt("%s/missing.ini", dir), NULL), 1,
		     "a missing policy");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
}

/* ------------------------------------------------------------------ */
/* nono why                                                             */
/* ------------------------------------------------------------------ */

/* A policy with one grant of each shape why must explain. */
static char *why_policy(bool block)
{
	char *pub = scratch_dir("public");

	scratch_file("public/f", "x\n");
	return scratch_file("why.ini", tu_fmt("[filesystem]\nread = %s\n"
					      "[network]\nblock = %s\n",
					      pub, block ? "true" : "false"));
}

Test(cli, why_allowed)
{
	char *policy = why_policy(false);
	char *path = tu_fmt("%s/public/f", dir);

	cr_assert_eq(nono("why", "--policy", policy, "--path", path, NULL), 0,
		     "allowed; %s", proc.err);
	cr_assert_str_eq(proc.out,
			 tu_fmt("allowed: read on %s is granted by "
				"[filesystem] read = %s/public at %s:2\n",
				path, dir, policy),
			 "the text");

	cr_assert_eq(
		nono("why", "--policy", policy, "--path", path, "--json", NULL),
		0, "allowed; %s", proc.err);
	cr_assert_str_eq(proc.out,
			 tu_fmt("{\"status\": \"allowed\", \"reason\": "
				"\"granted_path\", \"granted_path\": "
				"\"%s/public\", \"access\": \"read\"}\n",
				dir),
			 "the JSON");
}

/* Issue 17: /proc/self is nono's own pid when why canonicalises it; a
 * line naming that pid would be useless. */
Test(cli, why_proc_self_suggests_proc)
{
	char *policy = why_policy(false);

	/* Denied: 1, as test(1) says false. */
	cr_assert_eq(nono("why", "--policy", policy, "--path",
			  "/proc/self/status", NULL),
		     1, "an answer; %s", proc.err);
	cr_assert(strstr(proc.out, "read = /proc (") != NULL,
		  "suggests /proc: %s", proc.out);
	cr_assert(strstr(proc.out, "/proc/1") == NULL &&
			  strstr(proc.out, "/proc/2") == NULL,
		  "names no pid: %s", proc.out);
}

Test(cli, why_path_not_granted)
{
	char *policy = why_policy(false);
	char *path = tu_fmt("%s/elsewhere.txt", dir);

	scratch_file("elsewhere.txt", "x\n");
	cr_assert_eq(nono("why", "--policy", policy, "--path", path, "--op",
			  "write", NULL),
		     1, "denied; %s", proc.err);
	cr_assert_str_eq(proc.out,
			 tu_fmt("denied: %s is not covered by any grant; to "
				"allow it, add under [filesystem]: write_file "
				"= %s (or write = %s for everything in it)\n",
				path, path, dir),
			 "the text");

	cr_assert_eq(nono("why", "--policy", policy, "--path", path, "--op",
			  "write", "--json", NULL),
		     1, "denied");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"path_not_granted\"}\n",
			 "the JSON");
}

Test(cli, why_insufficient_access)
{
	char *policy = why_policy(false);
	char *path = tu_fmt("%s/public/f", dir);

	cr_assert_eq(nono("why", "--policy", policy, "--path", path, "--op",
			  "write", NULL),
		     1, "denied; %s", proc.err);
	cr_assert_str_eq(
		proc.out,
		tu_fmt("denied: %s is granted read (by [filesystem] "
		       "read = %s/public at %s:2), write was asked; to "
		       "allow it, add: read_write = %s/public\n",
		       path, dir, policy, dir),
		"the text");

	cr_assert_eq(nono("why", "--policy", policy, "--path", path, "--op",
			  "read_write", "--json", NULL),
		     1, "denied");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"insufficient_access\", \"granted\": \"read\", "
			 "\"requested\": \"read+write\"}\n",
			 "the JSON");
}

Test(cli, why_network)
{
	char *open_policy = why_policy(false);
	char *blocked =
		scratch_file("blocked.ini", "[network]\nblock = true\n");

	cr_assert_eq(nono("why", "--policy", open_policy, "--network", NULL), 0,
		     "allowed");
	cr_assert_str_eq(proc.out,
			 "allowed: network access is allowed ([network] "
			 "block is not set)\n",
			 "the text");
	cr_assert_eq(nono("why", "--policy", open_policy, "--network", "--json",
			  NULL),
		     0, "allowed");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"allowed\", \"reason\": "
			 "\"network_allowed\"}\n",
			 "the JSON");

	cr_assert_eq(nono("why", "--policy", blocked, "--network", NULL), 1,
		     "denied");
	cr_assert_str_eq(proc.out,
			 "denied: network access is blocked by [network] "
			 "block = true\n",
			 "the text");
	cr_assert_eq(
		nono("why", "--policy", blocked, "--network", "--json", NULL),
		1, "denied");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"network_blocked\"}\n",
			 "the JSON");
}

/* ---- nono why and the query agree ---------------------------------- */

#define NOBODY 65534

/* Becomes `uid` (and its group, no supplementary ones); 0 stays. */
static int become(uid_t uid)
{
	if (uid == 0)
		return 0;
	if (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid(uid) < 0)
		return -1;
	return 0;
}

static void become_pre_exec(void *arg)
{
	if (become(*(uid_t *)arg) < 0)
		_exit(255);
}

struct why_question {
	const char *policy;
	const char *path;
	uid_t uid;
	int fd; /* where the child writes what the query says */
};

/*
 * What the query says, as `uid` asks it: "allowed"/"denied", the
 * canonical path judged and " at FILE:LINE" of every rule the answer
 * rests on, one per line.
 */
static int query_child(void *arg)
{
	const struct why_question *w = arg;
	nono_policy *pol = NULL;
	nono_query *q = NULL;
	nono_query_explanation *x = NULL;
	FILE *f;

	if (become(w->uid) < 0 ||
	    nono_policy_load(w->policy, &pol, NULL) != 0 ||
	    nono_query_new(nono_policy_caps(pol), &q) != 0 ||
	    nono_query_path_explain(q, w->path, NONO_ACCESS_READ, &x) != 0)
		return 1;
	f = fdopen(w->fd, "w");
	if (!f)
		return 1;
	fprintf(f, "%s\n%s\n", nono_query_status_str(x->result.status),
		x->canonical_path);
	for (size_t i = 0; i < x->grant_count; i++)
		fprintf(f, " at %s:%u\n", x->grants[i].origin_file,
			x->grants[i].origin_line);
	if (x->deny)
		fprintf(f, " at %s:%u\n", x->deny->origin_file,
			x->deny->origin_line);
	fclose(f);
	nono_query_explanation_free(x);
	nono_query_free(q);
	nono_policy_free(pol);
	return 0;
}

/*
 * Asks the library and `nono why` the same question as `uid`, and asserts
 * that the text says what the query says: the verdict (and exit status),
 * the canonical path judged where it is not the path asked, and the line
 * of every rule. Returns the query's verdict, "allowed" or "denied".
 */
static const char *why_agrees(const char *policy, const char *path, uid_t uid)
{
	static char said[4096];
	struct why_question w = { policy, path, uid, -1 };
	char *argv[] = { (char *)NONO_CLI_PATH,
			 "why",
			 "--policy",
			 (char *)policy,
			 "--path",
			 (char *)path,
			 NULL };
	int fds[2];
	ssize_t n;
	char *status, *canon, *line, *save;

	cr_assert_eq(pipe2(fds, O_CLOEXEC), 0, "pipe");
	w.fd = fds[1];
	cr_assert_eq(tu_in_child(query_child, &w), 0, "the query for %s", path);
	close(fds[1]);
	n = read(fds[0], said, sizeof(said) - 1);
	close(fds[0]);
	cr_assert_gt(n, 0, "the query said something");
	said[n] = '\0';
	status = strtok_r(said, "\n", &save);
	canon = strtok_r(NULL, "\n", &save);
	cr_assert(status && canon, "the query's answer: %s", said);

	tu_spawn_pre(&proc, argv, tu_env(NULL, NULL, NULL), SPAWN_TIMEOUT_S,
		     become_pre_exec, &uid);
	cr_assert_eq(proc.status, strcmp(status, "allowed") == 0 ? 0 : 1,
		     "%s: why's status for '%s'; %s", path, status, proc.err);
	cr_assert(starts_with(proc.out, status), "%s: says %s: %s", path,
		  status, proc.out);
	if (strcmp(canon, path) != 0)
		cr_assert(strstr(proc.out, tu_fmt("(judged as %s)", canon)),
			  "%s: names the path judged, %s: %s", path, canon,
			  proc.out);
	else
		cr_assert(!strstr(proc.out, "judged as"),
			  "%s: judged as itself: %s", path, proc.out);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL)
		cr_assert(strstr(proc.out, line), "%s: names '%s': %s", path,
			  line, proc.out);
	return strcmp(status, "allowed") == 0 ? "allowed" : "denied";
}

Test(cli, why_and_the_query_agree)
{
	char *pub = scratch_dir("pub");
	char *locked = scratch_dir("pub/locked");
	char *policy;

	scratch_file("pub/f", "x\n");
	policy = scratch_file("p.ini", tu_fmt("[filesystem]\nread = %s\n"
					      "deny = %s/pub/locked\n",
					      pub, dir));
	/* A symlink: judged where it points. */
	cr_assert_eq(symlink("pub/f", tu_fmt("%s/link", dir)), 0, "symlink");
	cr_assert_str_eq(why_agrees(policy, tu_fmt("%s/link", dir), 0),
			 "allowed", "the link's target is granted");
	/* A symlink loop (ELOOP): what cannot be resolved is judged as
	 * written, by the query and by why alike. */
	cr_assert_eq(symlink("loop", tu_fmt("%s/loop", pub)), 0, "loop");
	cr_assert_str_eq(why_agrees(policy, tu_fmt("%s/loop/x", pub), 0),
			 "allowed", "beneath the grant as written");
	/* The deny rule's line. */
	cr_assert_str_eq(why_agrees(policy, tu_fmt("%s/x", locked), 0),
			 "denied", "beneath the deny");

	/* EACCES: a directory nobody cannot search. Root follows the link
	 * in it out of the grant; nobody cannot, and both the query and
	 * why judge the path as written, beneath the grant. */
	if (geteuid() != 0)
		cr_skip_test("needs root to ask as another user");
	policy = scratch_file("open.ini",
			      tu_fmt("[filesystem]\nread = %s\n", pub));
	cr_assert_eq(symlink("/etc", tu_fmt("%s/out", locked)), 0, "symlink");
	chmod(dir, 0755);
	chmod(pub, 0755);
	chmod(locked, 0700);
	chmod(policy, 0644);
	cr_assert_str_eq(why_agrees(policy, tu_fmt("%s/out/passwd", locked), 0),
			 "denied", "root: /etc/passwd is not granted");
	cr_assert(strstr(proc.out, "(judged as /etc/passwd)"), "root: %s",
		  proc.out);
	cr_assert_str_eq(
		why_agrees(policy, tu_fmt("%s/out/passwd", locked), NOBODY),
		"allowed", "nobody: beneath the grant as written");
}

Test(cli, why_tcp_ports)
{
	char *p = scratch_file("ports.ini", "[network]\nblock = true\n"
					    "connect_tcp = 443\n"
					    "bind_tcp = 8080\n");

	cr_assert_eq(nono("why", "--policy", p, "--network", NULL), 1,
		     "denied");
	cr_assert_str_eq(proc.out,
			 "denied: network access is blocked by [network] "
			 "block = true, except outbound TCP to port(s) 443 "
			 "and listening on TCP port(s) 8080\n",
			 "the text names the exceptions");
	cr_assert_eq(nono("why", "--policy", p, "--network", "--json", NULL), 1,
		     "denied");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"network_blocked_except_ports\"}\n",
			 "the JSON");
	cr_assert_eq(nono("why", "--policy", p, "--connect-tcp", "443", NULL),
		     0, "allowed");
	cr_assert_str_eq(proc.out,
			 "allowed: outbound TCP to port 443 is granted by "
			 "[network] connect_tcp = 443\n",
			 "the granting rule");
	cr_assert_eq(nono("why", "--policy", p, "--connect-tcp", "80", "--json",
			  NULL),
		     1, "denied");
	cr_assert_str_eq(proc.out,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"network_blocked\", \"op\": \"connect\", "
			 "\"port\": 80}\n",
			 "the JSON of a denied port");
	cr_assert_eq(nono("why", "--policy", p, "--bind-tcp", "443", NULL), 1,
		     "denied");
	cr_assert_str_eq(proc.out,
			 "denied: listening on TCP port 443 is blocked by "
			 "[network] block = true; to allow it, add under "
			 "[network]: bind_tcp = 443\n",
			 "a connect exception does not allow bind");
	cr_assert_eq(nono("why", "--policy", p, "--bind-tcp", "0", NULL), 2,
		     "port 0 is a usage error");
	cr_assert_eq(nono("why", "--policy", p, "--network", "--bind-tcp", "1",
			  NULL),
		     2, "two questions are a usage error");
}

Test(cli, why_errors)
{
	char *policy = why_policy(false);
	char *bad = scratch_file("bad.ini", "[network]\nblock = maybe\n");

	cr_assert_eq(nono("why", "--policy", bad, "--network", NULL), 2,
		     "a bad policy: no answer, so not 1 (denied)");
	cr_assert(starts_with(proc.err, tu_fmt("nono: %s:2: ", bad)),
		  "file and line: %s", proc.err);
	cr_assert_eq(nono("why", "--policy", policy, "--path", "/tmp",
			  "--network", NULL),
		     2, "both questions");
	cr_assert_eq(nono("why", "--policy", policy, "--path", "/tmp", "--op",
			  "execute", NULL),
		     2, "a bad op");
	cr_assert(one_nono_line(proc.err), "one line: %s", proc.err);
}

/* ------------------------------------------------------------------ */
/* nono wrap                                                            */
/* ------------------------------------------------------------------ */

struct wrap_case {
	char *policy;
	char *secret;
	char *allowed;
};

static struct wrap_case wrap_setup(void)
{
	char *pub = scratch_dir("public");
	struct wrap_case c = {
		.allowed = scratch_file("public/it's a file", "fine\n"),
		.secret = scratch_file("secret.txt", "password\n"),
	};

	c.policy = scratch_file(
		"p.ini", tu_fmt("[policy]\ninclude = system\n"
				"[filesystem]\nread = %s\nread_file = %s\n",
				pub, NONO_STATIC_PROBE_PATH));
	return c;
}

static int run_wrapper(const char *wrapper, const char *arg)
{
	char *argv[] = { (char *)wrapper, (char *)arg, NULL };

	return spawn_argv(argv);
}

Test(cli, wrap_dynamic_program_through_the_shim)
{
	struct wrap_case c = wrap_setup();
	char *wrapper = tu_fmt("%s/wrapped", dir);
	struct stat st;

	cr_assert_eq(nono("wrap", "--policy", c.policy, "--shim",
			  NONO_SHIM_PATH, "--output", wrapper, "--",
			  NONO_PROBE_PATH, "read", NULL),
		     0, "wrap; %s", proc.err);
	cr_assert_eq(stat(wrapper, &st), 0, "the wrapper exists");
	cr_assert_eq(st.st_mode & 07777, 0755, "mode 0755, not %o",
		     st.st_mode & 07777);

	cr_assert_eq(run_wrapper(wrapper, c.secret), 1, "denied; stderr: %s",
		     proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the shim confines it");
	/* The quote and the space survive both the script and exec. */
	cr_assert_eq(run_wrapper(wrapper, c.allowed), 0, "allowed; stderr: %s",
		     proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the granted read");
}

Test(cli, wrap_uses_early_mode_for_dynamic_programs)
{
	/* ctor_prog's library constructor writes a file the policy does
	 * not grant: the wrapper's early mode confines it, --no-early does
	 * not (the constructor runs before a preloaded shim's). */
	char *policy = scratch_file(
		"p.ini", tu_fmt("[policy]\ninclude = system\n"
				"[filesystem]\nread = %s/tests/helpers\n",
				NONO_BUILD_ROOT));
	char *wrapper = tu_fmt("%s/wrapped", dir);
	char *late = tu_fmt("%s/late", dir);
	char *file = tu_fmt("NONO_TEST_CTOR_FILE=%s/ctor-wrote", dir);
	char *argv[] = { "env", file, wrapper, NULL };

	cr_assert_eq(nono("wrap", "--policy", policy, "--shim", NONO_SHIM_PATH,
			  "--output", wrapper, "--", NONO_CTOR_PROG_PATH, NULL),
		     0, "wrap; %s", proc.err);
	cr_assert_eq(spawn_argv(argv), 0, "the wrapper; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: EACCES\n",
			 "early mode confines the constructor: %s", proc.out);

	cr_assert_eq(nono("wrap", "--no-early", "--policy", policy, "--shim",
			  NONO_SHIM_PATH, "--output", late, "--",
			  NONO_CTOR_PROG_PATH, NULL),
		     0, "wrap --no-early; %s", proc.err);
	argv[2] = late;
	cr_assert_eq(spawn_argv(argv), 0, "the wrapper; stderr: %s", proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: ok\n",
			 "preload mode lets it run first: %s", proc.out);
}

Test(cli, wrap_static_program_through_nono_run)
{
	struct wrap_case c = wrap_setup();
	char *wrapper = tu_fmt("%s/wrapped", dir);
	char text[4096] = "";
	FILE *f;

	cr_assert_eq(nono("wrap", "--policy", c.policy, "--output", wrapper,
			  "--", NONO_STATIC_PROBE_PATH, "read", NULL),
		     0, "wrap; %s", proc.err);
	f = fopen(wrapper, "r");
	cr_assert(f, "open the wrapper");
	cr_assert_gt(fread(text, 1, sizeof(text) - 1, f), 0, "read it");
	fclose(f);
	cr_assert(strstr(text, " run --policy "), "uses nono run: %s", text);
	cr_assert_null(strstr(text, "LD_PRELOAD"), "not the shim: %s", text);

	cr_assert_eq(run_wrapper(wrapper, c.secret), 1, "denied; stderr: %s",
		     proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "nono run confines it");
	cr_assert_eq(run_wrapper(wrapper, c.allowed), 0, "allowed; stderr: %s",
		     proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the granted read");
}

Test(cli, wrap_refuses_without_the_shim)
{
	struct wrap_case c = wrap_setup();
	char *wrapper = tu_fmt("%s/wrapped", dir);
	char *shim = tu_fmt("%s/libnono_shim.so", dir);

	copy_file(NONO_SHIM_PATH, shim);
	cr_assert_eq(nono("wrap", "--policy", c.policy, "--shim", shim,
			  "--output", wrapper, "--", NONO_PROBE_PATH, "read",
			  NULL),
		     0, "wrap; %s", proc.err);
	cr_assert_eq(run_wrapper(wrapper, c.allowed), 0,
		     "runs with the shim; %s", proc.err);

	cr_assert_eq(unlink(shim), 0, "remove the shim");
	cr_assert_eq(run_wrapper(wrapper, c.secret), 126, "refuses");
	cr_assert_str_eq(proc.out, "", "the program did not run");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
}

Test(cli, wrap_refuses_without_the_policy)
{
	struct wrap_case c = wrap_setup();
	char *wrapper = tu_fmt("%s/wrapped", dir);
	char *static_wrapper = tu_fmt("%s/wrapped-static", dir);

	cr_assert_eq(nono("wrap", "--policy", c.policy, "--shim",
			  NONO_SHIM_PATH, "--output", wrapper, "--",
			  NONO_PROBE_PATH, "read", NULL),
		     0, "wrap; %s", proc.err);
	cr_assert_eq(nono("wrap", "--policy", c.policy, "--output",
			  static_wrapper, "--", NONO_STATIC_PROBE_PATH, "read",
			  NULL),
		     0, "wrap; %s", proc.err);

	cr_assert_eq(unlink(c.policy), 0, "remove the policy");
	cr_assert_eq(run_wrapper(wrapper, c.secret), 126, "refuses");
	cr_assert_str_eq(proc.out, "", "the program did not run");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	cr_assert_eq(run_wrapper(static_wrapper, c.secret), 126, "refuses");
	cr_assert_str_eq(proc.out, "", "the program did not run");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
}

Test(cli, wrap_does_not_overwrite_without_force)
{
	struct wrap_case c = wrap_setup();
	char *wrapper = scratch_file("wrapped", "precious\n");
	char text[64] = "";
	FILE *f;

	cr_assert_eq(nono("wrap", "--policy", c.policy, "--shim",
			  NONO_SHIM_PATH, "--output", wrapper, "--",
			  NONO_PROBE_PATH, NULL),
		     1, "refuses to overwrite");
	cr_assert(one_nono_line(proc.err), "one nono: line, got: %s", proc.err);
	f = fopen(wrapper, "r");
	cr_assert(f, "still there");
	cr_assert_gt(fread(text, 1, sizeof(text) - 1, f), 0, "read it");
	fclose(f);
	cr_assert_str_eq(text, "precious\n", "untouched");

	cr_assert_eq(nono("wrap", "--policy", c.policy, "--shim",
			  NONO_SHIM_PATH, "--output", wrapper, "--force", "--",
			  NONO_PROBE_PATH, "read", NULL),
		     0, "--force replaces it; %s", proc.err);
	cr_assert_eq(run_wrapper(wrapper, c.allowed), 0, "the new wrapper");
}

Test(cli, wrap_bad_policy)
{
	char *bad = scratch_file("bad.ini", "[filesystem]\nraed = /tmp\n");
	char *wrapper = tu_fmt("%s/wrapped", dir);

	cr_assert_eq(nono("wrap", "--policy", bad, "--shim", NONO_SHIM_PATH,
			  "--output", wrapper, "--", NONO_PROBE_PATH, NULL),
		     1, "a bad policy");
	cr_assert(starts_with(proc.err, tu_fmt("nono: %s:2: ", bad)),
		  "file and line: %s", proc.err);
	cr_assert_neq(access(wrapper, F_OK), 0, "no wrapper written");
}

/* ------------------------------------------------------------------ */
/* nono state                                                           */
/* ------------------------------------------------------------------ */

Test(cli, state_reads_back)
{
	char *pub = scratch_dir("public");
	char *file = scratch_file("f.txt", "x\n");
	char *policy = scratch_file(
		"p.ini",
		tu_fmt("[filesystem]\nread = %s\nread_write_file = %s\n"
		       "[network]\nblock = true\n",
		       pub, file));
	nono_state *state = NULL;
	nono_caps *caps = NULL;
	nono_fs_cap cap;
	nono_diag diag;

	cr_assert_eq(nono("state", policy, NULL), 0, "state; %s", proc.err);
	cr_assert_eq(
		nono_state_from_json(proc.out, strlen(proc.out), &state, &diag),
		0, "libnono reads it back: %s", diag.message);
	cr_assert(nono_state_is_network_blocked(state),
		  "the network is blocked");
	cr_assert_eq(nono_state_to_caps(state, &caps, &diag), 0, "to caps: %s",
		     diag.message);
	cr_assert_eq(nono_caps_fs_count(caps), 2, "two grants");
	cr_assert_eq(nono_caps_fs_at(caps, 0, &cap), 0, "grant 0");
	cr_assert_str_eq(cap.resolved, pub, "the directory");
	cr_assert_eq(cap.access, NONO_ACCESS_READ, "read");
	cr_assert(!cap.is_file, "a directory");
	cr_assert_eq(nono_caps_fs_at(caps, 1, &cap), 0, "grant 1");
	cr_assert_str_eq(cap.resolved, file, "the file");
	cr_assert_eq(cap.access, NONO_ACCESS_READ_WRITE, "read+write");
	cr_assert(cap.is_file, "a file");
	nono_caps_free(caps);
	nono_state_free(state);

	/* The state is a policy file too. */
	char *again = scratch_file("state.json", proc.out);
	char *first = strdup(proc.out);

	cr_assert(first, "strdup");
	cr_assert_eq(nono("state", again, NULL), 0, "state of the state; %s",
		     proc.err);
	cr_assert_str_eq(proc.out, first, "the same JSON");
}

Test(cli, state_bad_policy)
{
	char *bad = scratch_file("bad.ini", "[filesystem]\nraed = /tmp\n");

	cr_assert_eq(nono("state", bad, NULL), 1, "a bad policy");
	cr_assert(starts_with(proc.err, tu_fmt("nono: %s:2: ", bad)),
		  "file and line: %s", proc.err);
	cr_assert_str_eq(proc.out, "", "no JSON");
}

/* ------------------------------------------------------------------ */
/* nono support                                                         */
/* ------------------------------------------------------------------ */

Test(cli, support_text)
{
	nono_support_info info;

	nono_support_info_get(&info);
	cr_assert_eq(nono("support", NULL), info.is_supported ? 0 : 1,
		     "status follows support");
	cr_assert(strstr(proc.out, tu_fmt("platform: %s\n", info.platform)),
		  "the platform: %s", proc.out);
	cr_assert(strstr(proc.out, tu_fmt("abi: %d\n", info.abi)),
		  "the ABI: %s", proc.out);
	cr_assert(strstr(proc.out, tu_fmt("details: %s\n", info.details)),
		  "the details: %s", proc.out);
}

/* The shim's installed path (the shim_dir option) and the line to paste
 * name the same file (issue 20). */
Test(cli, support_prints_the_shim_line)
{
	const char *shim, *line;

	nono("support", NULL);
	shim = strstr(proc.out, "\nshim: /");
	cr_assert(shim, "a shim line: %s", proc.out);
	shim += strlen("\nshim: ");
	cr_assert(strstr(shim, "/nono/libnono_shim.so"),
		  "in a private directory by default: %s", shim);
	line = strstr(proc.out, "  LD_PRELOAD=");
	cr_assert(line, "the line to paste: %s", proc.out);
	line += strlen("  LD_PRELOAD=");
	cr_assert_eq(strncmp(line, shim, strcspn(shim, " \n")), 0,
		     "the same path: %s", proc.out);
	cr_assert(strstr(line, " NONO_POLICY="), "with the policy: %s", line);
}

Test(cli, support_json)
{
	nono_support_info info;
	struct json_object *root, *v, *features, *fs;

	nono_support_info_get(&info);
	cr_assert_eq(nono("support", "--json", NULL), info.is_supported ? 0 : 1,
		     "status follows support");
	root = json_tokener_parse(proc.out);
	cr_assert(root && json_object_is_type(root, json_type_object),
		  "a JSON object: %s", proc.out);
	cr_assert(json_object_object_get_ex(root, "is_supported", &v) &&
			  json_object_is_type(v, json_type_boolean),
		  "is_supported");
	cr_assert_eq(json_object_get_boolean(v), info.is_supported,
		     "is_supported agrees");
	cr_assert(json_object_object_get_ex(root, "platform", &v), "platform");
	cr_assert_str_eq(json_object_get_string(v), info.platform,
			 "platform agrees");
	cr_assert(json_object_object_get_ex(root, "details", &v), "details");
	cr_assert_str_eq(json_object_get_string(v), info.details,
			 "details agree");
	cr_assert(json_object_object_get_ex(root, "abi", &v) &&
			  json_object_is_type(v, json_type_int),
		  "abi");
	cr_assert_eq(json_object_get_int(v), info.abi, "abi agrees");
	cr_assert(json_object_object_get_ex(root, "features", &features) &&
			  json_object_is_type(features, json_type_object),
		  "features");
	cr_assert(json_object_object_get_ex(features, "fs", &fs) &&
			  json_object_is_type(fs, json_type_boolean),
		  "features.fs");
	cr_assert_eq(json_object_get_boolean(fs),
		     (info.features & NONO_FEATURE_FS) != 0, "fs agrees");
	json_object_put(root);
}
