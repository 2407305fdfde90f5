// SPDX-License-Identifier: Apache-2.0
/*
 * The musl build (docs/musl.md) with musl-linked programs: the probe of
 * tests/helpers built with musl-gcc, dynamically and statically linked, run
 * under the musl-built libnono_shim.so and under the musl-built `nono run`,
 * with the allowed and denied cases of the glibc suites (test_shim.c,
 * test_bad_policies.c, test_cli.c), and then the places where musl behaves
 * differently from glibc.
 *
 * This executable is built and run by the glibc build (Criterion is not
 * built for musl). It finds the musl build through NONO_MUSL_BUILD, the
 * absolute path of a build directory configured with meson/musl.ini;
 * scripts/test builds one and sets the variable, so that CI fails rather
 * than skips when musl is broken. Without the variable every test skips,
 * saying why.
 *
 * Every program runs in a child process (tu_spawn); nothing is sandboxed
 * in the test process. The layout each test starts with, under a fresh
 * directory T:
 *   T/policy.ini                the policy (see write_policy())
 *   T/ro/file                   granted read in most tests
 *   T/wo/, T/rw/                granted write, read_write
 *   T/out/secret, T/out/other   granted nothing
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

/* The musl build directory (scripts/test sets it). */
#define ENV_MUSL_BUILD "NONO_MUSL_BUILD"

/* The glibc build's programs, for the tests that mix the two. */
#define GLIBC_PROBE NONO_PROBE_PATH
#define GLIBC_SHIM NONO_SHIM_PATH

#define SPAWN_TIMEOUT_S 30
#define NOBODY_UID 65534

/* What the musl build made; NULL members when NONO_MUSL_BUILD is unset. */
static struct {
	char *build;
	char *shim;
	char *nono;
	char *probe;
	char *static_probe;
	char *thread_lib;
	char *ctor_lib;
	char *ctor_prog;
	char *lib;
	char *lib_probe;
} musl;

static char *T;
static char *policy_path;
static struct tu_proc proc;
/* A library copied into a system directory by one test; removed in
 * teardown whatever happens. */
static char *installed_lib;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

static void setup(void)
{
	const char *build = getenv(ENV_MUSL_BUILD);

	T = tu_tmpdir();
	policy_path = at("policy.ini");
	tu_mkdir(at("ro"));
	tu_mkdir(at("wo"));
	tu_mkdir(at("rw"));
	tu_mkdir(at("out"));
	tu_write_file(at("ro/file"), "read-only\n");
	tu_write_file(at("out/secret"), "secret\n");
	tu_write_file(at("out/other"), "other\n");
	if (!build || !*build)
		return;
	musl.build = tu_fmt("%s", build);
	musl.shim = tu_fmt("%s/shim/libnono_shim.so", build);
	musl.nono = tu_fmt("%s/cli/nono", build);
	musl.probe = tu_fmt("%s/tests/helpers/probe", build);
	musl.static_probe = tu_fmt("%s/tests/helpers/static_probe", build);
	musl.thread_lib =
		tu_fmt("%s/tests/helpers/libnono_test_thread.so", build);
	musl.ctor_lib = tu_fmt("%s/tests/helpers/libnono_test_ctor.so", build);
	musl.ctor_prog = tu_fmt("%s/tests/helpers/ctor_prog", build);
	musl.lib = tu_fmt("%s/lib/libnono.so", build);
	musl.lib_probe = tu_fmt("%s/tests/helpers/lib_probe", build);
}

static void teardown(void)
{
	if (installed_lib)
		unlink(installed_lib);
	tu_rm_rf(T);
}

TestSuite(musl, .init = setup, .fini = teardown);

static const char no_musl_build[] =
	ENV_MUSL_BUILD " is not set: build the musl variant (meson setup "
		       "build-musl --cross-file meson/musl.ini && ninja -C "
		       "build-musl) and set it to that directory, as "
		       "scripts/test does";

/*
 * The first call in every test: skips, saying why, without a musl build;
 * fails when the variable names a build that lacks something.
 */
static void need_musl(void)
{
	if (!musl.build)
		cr_skip_test("%s", no_musl_build);

	const char *files[] = {
		musl.shim,	   musl.nono,	    musl.probe,
		musl.static_probe, musl.thread_lib, musl.ctor_lib,
		musl.ctor_prog,	   musl.lib,	    musl.lib_probe,
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		cr_assert(tu_exists(files[i]),
			  "%s=%s but %s is missing: is it a musl build "
			  "(meson/musl.ini) that ninja has built?",
			  ENV_MUSL_BUILD, musl.build, files[i]);
}

/*
 * The environment of a program a test starts: PATH; LD_PRELOAD and
 * NONO_POLICY when given; then up to 4 extra "NAME=value" strings. Built
 * here rather than with tu_env(), which may add variables meant for the
 * glibc shim. Static storage, valid until the next call.
 */
static char **env_for(const char *preload, const char *policy,
		      const char *const extra[])
{
	static char *env[8];
	size_t n = 0;

	env[n++] = "PATH=/usr/bin:/bin";
	if (preload)
		env[n++] = tu_fmt("LD_PRELOAD=%s", preload);
	if (policy)
		env[n++] = tu_fmt("NONO_POLICY=%s", policy);
	for (size_t i = 0; extra && extra[i] && n < 7; i++)
		env[n++] = (char *)extra[i];
	env[n] = NULL;
	return env;
}

/*
 * Writes the policy T/policy.ini: the `system` profile, read access to
 * the musl probes and shim (which live in the build tree: a program the
 * probe starts must be able to execute them and load the shim), then
 * `body`, with "@T@" standing for T. Lines of `body` before any section
 * header belong to [filesystem].
 */
static void write_policy(const char *body)
{
	char *text = tu_subst(body, "@T@", T);
	char *policy = tu_fmt("[policy]\n"
			      "include = system\n"
			      "[filesystem]\n"
			      "read_file = %s\n"
			      "read_file = %s\n"
			      "read_file = %s\n"
			      "%s",
			      musl.probe, musl.static_probe, musl.shim, text);

	tu_write_file(policy_path, policy);
	free(policy);
	free(text);
}

/* Whether err is exactly one line that begins "nono: ". */
static bool one_nono_line(const char *err)
{
	const char *nl = strchr(err, '\n');

	return strncmp(err, "nono: ", 6) == 0 && nl && nl[1] == '\0';
}

/* Runs a binutils tool (in the C locale) and returns its stdout. */
static char *inspect(const char *tool, const char *flag1, const char *flag2,
		     const char *file)
{
	const char *argv[] = { tool, flag1, flag2, file, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };

	if (!flag2) {
		argv[2] = file;
		argv[3] = NULL;
	}
	tu_spawn(&proc, (char *const *)argv, env, SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "%s %s %s: status %d, '%s'", tool, flag1,
		     file, proc.status, proc.err);
	return proc.out;
}

/* A TCP listener on 127.0.0.1, opened here, outside any sandbox. */
static int listen_loopback(unsigned short *port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0,
		     "bind: %s", strerror(errno));
	cr_assert_eq(listen(fd, 16), 0, "listen: %s", strerror(errno));
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0,
		     "getsockname: %s", strerror(errno));
	*port = ntohs(addr.sin_port);
	return fd;
}

/* ---- the same cases as the glibc suites, three ways -------------------- */

/* How a test starts the musl probe. */
enum launch {
	/* The dynamic probe with LD_PRELOAD=musl shim, NONO_POLICY. */
	VIA_SHIM,
	/* musl `nono run --policy` with the static probe. */
	VIA_RUN_STATIC,
	/* musl `nono run --policy` with the dynamic probe. */
	VIA_RUN_DYNAMIC,
};

static const char *const launch_names[] = {
	[VIA_SHIM] = "musl probe under the musl shim",
	[VIA_RUN_STATIC] = "static musl probe under musl nono run",
	[VIA_RUN_DYNAMIC] = "musl probe under musl nono run",
};

static enum launch launches[] = { VIA_SHIM, VIA_RUN_STATIC, VIA_RUN_DYNAMIC };

static const char *probe_for(enum launch how)
{
	return how == VIA_RUN_STATIC ? musl.static_probe : musl.probe;
}

/*
 * Starts `program` the way `how` says, with the policy at policy_path and
 * the arguments args (NULL-terminated, at most 8). Returns its status;
 * proc holds what it printed.
 */
static int launch_program(enum launch how, const char *program,
			  const char *const args[])
{
	const char *argv[16];
	size_t n = 0;

	if (how != VIA_SHIM) {
		argv[n++] = musl.nono;
		argv[n++] = "run";
		argv[n++] = "--policy";
		argv[n++] = policy_path;
		argv[n++] = "--";
	}
	argv[n++] = program;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	return tu_spawn(&proc, (char *const *)argv,
			how == VIA_SHIM ? env_for(musl.shim, policy_path, NULL)
					: env_for(NULL, NULL, NULL),
			SPAWN_TIMEOUT_S);
}

/* Starts the probe that goes with `how`. */
static int launch(enum launch how, const char *const args[])
{
	return launch_program(how, probe_for(how), args);
}

#define LAUNCH(how, ...) \
	launch((how), (const char *const[]){ __VA_ARGS__, NULL })

/*
 * Runs the probe and checks its answer: "ok" with status 0, or the errno
 * name with status 1; and that neither the shim nor nono said anything.
 */
static void expect_probe(enum launch how, const char *want,
			 const char *const args[])
{
	char *line = tu_fmt("%s\n", want);

	launch(how, args);
	cr_assert_str_eq(proc.out, line,
			 "%s: probe %s %s: expected %s, got '%s' (status %d, "
			 "stderr '%s')",
			 launch_names[how], args[0], args[1] ? args[1] : "",
			 want, proc.out, proc.status, proc.err);
	cr_assert_eq(proc.status, strcmp(want, "ok") == 0 ? 0 : 1,
		     "%s: probe %s %s: status %d for %s", launch_names[how],
		     args[0], args[1] ? args[1] : "", proc.status, want);
	cr_assert_str_empty(proc.err, "%s: probe %s: stderr '%s'",
			    launch_names[how], args[0], proc.err);
	free(line);
}

#define EXPECT(how, want, ...) \
	expect_probe((how), (want), (const char *const[]){ __VA_ARGS__, NULL })

/* A test run once per way of starting the probe. */
#define LAUNCH_TEST(name)                                                \
	ParameterizedTestParameters(musl, name)                          \
	{                                                                \
		return cr_make_param_array(enum launch, launches,        \
					   sizeof(launches) /            \
						   sizeof(launches[0])); \
	}                                                                \
	ParameterizedTest(enum launch *how_p, musl, name)

LAUNCH_TEST(read_grant_allows_reading_and_listing)
{
	enum launch how = *how_p;

	need_musl();
	write_policy("read = @T@/ro\n");
	EXPECT(how, "ok", "read", at("ro/file"));
	EXPECT(how, "ok", "ls", at("ro"));
	EXPECT(how, "EACCES", "read", at("out/secret"));
	EXPECT(how, "EACCES", "ls", at("out"));
}

LAUNCH_TEST(writes_are_denied_outside_write_grants)
{
	enum launch how = *how_p;

	need_musl();
	write_policy("read = @T@/ro\nread_write = @T@/rw\n");
	EXPECT(how, "ok", "write", at("rw/new"));
	cr_assert(tu_exists(at("rw/new")),
		  "%s: the granted write did not happen", launch_names[how]);
	EXPECT(how, "EACCES", "write", at("ro/file"));
	EXPECT(how, "EACCES", "append", at("ro/file"));
	EXPECT(how, "EACCES", "mkdir", at("ro/sub"));
	EXPECT(how, "EACCES", "rm", at("ro/file"));
	EXPECT(how, "EACCES", "write", at("out/new"));
	cr_assert(!tu_exists(at("out/new")),
		  "%s: a denied write created a file", launch_names[how]);
	cr_assert(tu_exists(at("ro/file")),
		  "%s: the denied rm removed the file", launch_names[how]);
}

LAUNCH_TEST(execute_needs_read)
{
	enum launch how = *how_p;

	need_musl();
	/* Copies of the probe in a read tree, a write-only tree and a tree
	 * with no grant; under the shim the one that runs loads the shim
	 * again and must recognise its parent's policy. */
	tu_copy_file(probe_for(how), at("ro/probe2"), 0755);
	tu_copy_file(probe_for(how), at("wo/probe2"), 0755);
	tu_copy_file(probe_for(how), at("out/probe2"), 0755);
	write_policy("read = @T@/ro\nwrite = @T@/wo\n");
	EXPECT(how, "ok", "exec", at("ro/probe2"), "read", at("ro/file"));
	EXPECT(how, "EACCES", "exec", at("ro/probe2"), "read",
	       at("out/secret"));
	EXPECT(how, "EACCES", "exec", at("wo/probe2"));
	EXPECT(how, "EACCES", "exec", at("out/probe2"));
}

LAUNCH_TEST(child_processes_inherit_the_sandbox)
{
	enum launch how = *how_p;
	const char *probe = probe_for(how);

	need_musl();
	write_policy("read = @T@/ro\n");
	/* A child process (fork and exec), then a chain of 20 execs: more
	 * than the 16 layers the kernel would allow if each exec of the
	 * shim stacked one. */
	EXPECT(how, "ok", "spawn", probe, "read", at("ro/file"));
	EXPECT(how, "EACCES", "spawn", probe, "read", at("out/secret"));
	EXPECT(how, "ok", "chain", "20", at("ro/file"));
	EXPECT(how, "EACCES", "chain", "20", at("out/secret"));
}

LAUNCH_TEST(network_block_denies_tcp_connect)
{
	enum launch how = *how_p;
	unsigned short port;
	int fd = listen_loopback(&port);
	char *port_text = tu_fmt("%u", port);

	need_musl();
	/* Control: without block the connection is made. */
	write_policy("");
	EXPECT(how, "ok", "connect-tcp", "127.0.0.1", port_text);
	/* The seccomp filter refuses the socket itself. */
	write_policy("[network]\nblock = true\n");
	EXPECT(how, "EACCES", "connect-tcp", "127.0.0.1", port_text);
	close(fd);
}

LAUNCH_TEST(connect_tcp_opens_one_port)
{
	enum launch how = *how_p;
	unsigned short open_port, other_port;
	int open_fd = listen_loopback(&open_port);
	int other_fd = listen_loopback(&other_port);

	need_musl();
	/* TCP sockets pass the seccomp filter; Landlock checks the port. */
	write_policy(tu_fmt("[network]\nblock = true\nconnect_tcp = %u\n",
			    open_port));
	EXPECT(how, "ok", "connect-tcp", "127.0.0.1", tu_fmt("%u", open_port));
	EXPECT(how, "EACCES", "connect-tcp", "127.0.0.1",
	       tu_fmt("%u", other_port));
	close(open_fd);
	close(other_fd);
}

/*
 * Checks a refused start of `probe write T/ran`: status `status` (126 from
 * the shim, 125 from nono run, which keeps 126 for a program that cannot
 * be executed), nothing of the program ran (no T/ran, nothing on stdout),
 * and stderr is one line that begins "nono: ", names `file` (followed by
 * ":<line>: " when line > 0) and says `needle`.
 */
static void expect_refused_with(int status, const char *who, const char *file,
				unsigned line, const char *needle)
{
	cr_assert_eq(proc.status, status,
		     "%s: status %d, expected %d (stdout '%s', stderr '%s')",
		     who, proc.status, status, proc.out, proc.err);
	cr_assert(!tu_exists(at("ran")), "%s: the program ran (T/ran exists)",
		  who);
	cr_assert_str_empty(proc.out, "%s: the program printed '%s'", who,
			    proc.out);
	cr_assert(one_nono_line(proc.err),
		  "%s: stderr is not one 'nono: ' line: '%s'", who, proc.err);
	if (file && line > 0) {
		char *where = tu_fmt("nono: %s:%u: ", file, line);

		cr_assert(strncmp(proc.err, where, strlen(where)) == 0,
			  "%s: the message does not start with '%s': '%s'", who,
			  where, proc.err);
		free(where);
	} else if (file) {
		cr_assert(strstr(proc.err, file),
			  "%s: the message does not name '%s': '%s'", who, file,
			  proc.err);
	}
	cr_assert(strstr(proc.err, needle),
		  "%s: the message does not say '%s': '%s'", who, needle,
		  proc.err);
}

/* The shim's refusal: 126. */
static void expect_refused(const char *who, const char *file, unsigned line,
			   const char *needle)
{
	expect_refused_with(126, who, file, line, needle);
}

static const struct {
	const char *text;
	unsigned line;
	const char *needle;
} bad_policies[] = {
	{ "[filesystem]\nraed = /tmp\n", 2, "unknown key 'raed'" },
	{ "[filesystem]\nread /usr\n", 2, "key = value" },
	{ "[filesytem]\nread = /usr\n", 1, "filesytem" },
	{ "[filesystem]\nread = /usr\n    /etc\n", 3, "indented" },
	{ "[policy]\ninclude = system\n[network]\nblock = maybe\n", 4,
	  "maybe" },
};

LAUNCH_TEST(bad_policy_stops_the_program)
{
	enum launch how = *how_p;
	char *missing = at("missing.ini");
	/* nono run's own failure is 125; the shim's refusal 126. */
	int refused = how == VIA_SHIM ? 126 : 125;

	need_musl();
	for (size_t i = 0; i < sizeof(bad_policies) / sizeof(bad_policies[0]);
	     i++) {
		tu_write_file(policy_path, bad_policies[i].text);
		LAUNCH(how, "write", at("ran"));
		expect_refused_with(refused, launch_names[how], policy_path,
				    bad_policies[i].line,
				    bad_policies[i].needle);
	}
	/* No file at all: the message names it. */
	policy_path = missing;
	LAUNCH(how, "write", at("ran"));
	expect_refused_with(refused, launch_names[how], missing, 0, missing);
}

/* ---- the shim's own refusals ------------------------------------------ */

Test(musl, shim_environment_errors_stop_the_program)
{
	const char *argv[] = { NULL, "write", NULL, NULL };
	const char *bad_log[] = { "NONO_LOG=trace", NULL };
	char *good = at("good.ini");

	need_musl();
	argv[0] = musl.probe;
	argv[2] = at("ran");
	tu_write_file(good, "[policy]\ninclude = system\n");

	tu_spawn(&proc, (char *const *)argv, env_for(musl.shim, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	expect_refused("NONO_POLICY unset", NULL, 0, "NONO_POLICY is not set");
	tu_spawn(&proc, (char *const *)argv, env_for(musl.shim, "", NULL),
		 SPAWN_TIMEOUT_S);
	expect_refused("NONO_POLICY empty", NULL, 0, "NONO_POLICY is empty");
	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, "good.ini", NULL), SPAWN_TIMEOUT_S);
	expect_refused("NONO_POLICY relative", NULL, 0, "absolute");
	tu_spawn(&proc, (char *const *)argv, env_for(musl.shim, good, bad_log),
		 SPAWN_TIMEOUT_S);
	expect_refused("NONO_LOG=trace", NULL, 0, "NONO_LOG");
}

Test(musl, shim_is_silent_on_success_and_info_says_one_line)
{
	const char *argv[] = { NULL, "read", NULL, NULL };
	const char *info[] = { "NONO_LOG=info", NULL };

	need_musl();
	argv[0] = musl.probe;
	argv[2] = at("ro/file");
	write_policy("read = @T@/ro\n");
	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, policy_path, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "status %d, '%s'", proc.status, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "stdout '%s'", proc.out);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);
	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, policy_path, info), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "info: status %d", proc.status);
	cr_assert(one_nono_line(proc.err) &&
			  strncmp(proc.err, "nono: sandbox applied", 21) == 0,
		  "info: '%s'", proc.err);
}

Test(musl, shim_refuses_when_uid_differs_from_euid)
{
	/*
	 * As in test_shim.c: the probe becomes uid 0 / euid nobody, as a
	 * set-uid program is, then dlopen()s the shim. Control first.
	 */
	const char *argv[] = { NULL, "setuid-dlopen", "0", NULL, NULL };
	char *nobody = tu_fmt("%d", NOBODY_UID);

	need_musl();
	if (geteuid() != 0)
		cr_skip_test("needs root to change the effective uid");
	argv[0] = musl.probe;
	argv[3] = musl.shim;
	write_policy("");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, policy_path, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "control: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	argv[2] = nobody;
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, policy_path, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 126, "status %d, '%s'", proc.status,
		     proc.out);
	cr_assert_str_eq(proc.err,
			 "nono: refusing to run in a set-uid/set-gid process\n",
			 "message '%s'", proc.err);
	cr_assert_str_empty(proc.out, "the program went on: '%s'", proc.out);
}

/* ---- where musl differs ------------------------------------------------ */

Test(musl, set_uid_program_is_confined_by_nono_run_not_the_shim)
{
	/*
	 * A set-uid copy of the musl probe (owned by nobody), run by root.
	 * musl's loader ignores LD_PRELOAD in a secure-execution process
	 * altogether (glibc loads a set-uid library from a system directory,
	 * and the shim then refuses): the shim never runs, and the program
	 * reads a file its policy does not grant. `nono run` sets
	 * no_new_privs, so the set-user-ID bit is ignored at exec and the
	 * program runs as its caller, inside the sandbox.
	 */
	char *suid = at("suid-probe");
	const char *secret[] = { "read", at("out/secret"), NULL };
	const char *granted[] = { "read", at("ro/file"), NULL };

	need_musl();
	if (geteuid() != 0)
		cr_skip_test("needs root to make a set-uid program");
	/* Readable by nobody: only a sandbox can deny it. */
	cr_assert_eq(chmod(T, 0755), 0, "chmod: %s", strerror(errno));
	tu_copy_file(musl.probe, suid, 0755);
	cr_assert_eq(chown(suid, NOBODY_UID, (gid_t)-1), 0, "chown: %s",
		     strerror(errno));
	cr_assert_eq(chmod(suid, 04755), 0, "chmod: %s", strerror(errno));
	write_policy("read = @T@/ro\nread_file = @T@/suid-probe\n");

	launch_program(VIA_SHIM, suid, secret);
	cr_assert_eq(proc.status, 0,
		     "LD_PRELOAD: status %d, stdout '%s', stderr '%s' (musl "
		     "is expected not to load the shim here: docs/musl.md)",
		     proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "LD_PRELOAD: '%s'", proc.out);
	cr_assert_str_empty(proc.err, "LD_PRELOAD: the shim spoke: '%s'",
			    proc.err);

	launch_program(VIA_RUN_DYNAMIC, suid, secret);
	cr_assert_eq(proc.status, 1, "nono run: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "nono run: '%s'", proc.out);
	launch_program(VIA_RUN_DYNAMIC, suid, granted);
	cr_assert_str_eq(proc.out, "ok\n", "nono run, granted: '%s' '%s'",
			 proc.out, proc.err);
}

Test(musl, shim_runs_before_the_constructors_of_the_programs_libraries)
{
	/*
	 * ctor_prog is linked against a library whose constructor writes
	 * NONO_TEST_CTOR_FILE. musl runs the constructors of preloaded
	 * libraries before those of the program's own libraries (glibc runs
	 * them after: see docs/musl.md), so under the musl shim that write
	 * is already confined.
	 */
	char *target = at("out/ctor-wrote");
	char *ctor_env = tu_fmt("NONO_TEST_CTOR_FILE=%s", target);
	const char *extra[] = { ctor_env, NULL };
	const char *argv[] = { NULL, NULL };

	need_musl();
	argv[0] = musl.ctor_prog;
	write_policy(tu_fmt("read_file = %s\nread_file = %s\n", musl.ctor_prog,
			    musl.ctor_lib));
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, extra),
		 SPAWN_TIMEOUT_S);
	cr_assert_str_eq(proc.out, "main ran, constructor write: ok\n",
			 "control, without the shim: '%s' '%s'", proc.out,
			 proc.err);
	cr_assert_eq(unlink(target), 0, "control: %s", strerror(errno));

	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, policy_path, extra), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "status %d, '%s'", proc.status, proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: EACCES\n",
			 "the library's constructor ran outside the sandbox: "
			 "'%s'",
			 proc.out);
	cr_assert(!tu_exists(target), "the constructor wrote %s", target);
}

Test(musl, preloaded_constructors_run_in_ld_preload_order)
{
	/*
	 * A second preloaded library starts a thread in its constructor.
	 * musl runs preloaded constructors in the order LD_PRELOAD lists
	 * them (glibc in reverse). Listed after the shim, the thread starts
	 * inside the sandbox; listed before it, the shim finds two threads,
	 * and must refuse unless the kernel can restrict every thread
	 * (Landlock ABI 8).
	 */
	char *marker = at("ran");
	const char *argv[] = { NULL, "write", NULL, NULL };
	nono_support_info info;

	need_musl();
	argv[0] = musl.probe;
	argv[2] = marker;
	write_policy("read_write = @T@\n");
	cr_assert_eq(nono_support_info_get(&info), 0, "support info");

	tu_spawn(&proc, (char *const *)argv,
		 env_for(tu_fmt("%s %s", musl.shim, musl.thread_lib),
			 policy_path, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "shim first: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert(tu_exists(marker), "shim first: the program did not run");
	cr_assert_eq(unlink(marker), 0, "unlink: %s", strerror(errno));

	tu_spawn(&proc, (char *const *)argv,
		 env_for(tu_fmt("%s %s", musl.thread_lib, musl.shim),
			 policy_path, NULL),
		 SPAWN_TIMEOUT_S);
	if (info.features & NONO_FEATURE_ALL_THREADS) {
		cr_assert_eq(proc.status, 0, "thread first: status %d, '%s'",
			     proc.status, proc.err);
		return;
	}
	cr_assert_eq(proc.status, 126, "thread first: status %d, '%s'",
		     proc.status, proc.out);
	cr_assert(!tu_exists(marker), "thread first: the program ran");
	cr_assert(one_nono_line(proc.err) && strstr(proc.err, "thread"),
		  "thread first: message '%s'", proc.err);
}

Test(musl, libraries_load_by_name_inside_the_sandbox)
{
	/*
	 * musl's loader reads its search path from /etc/ld-musl-<arch>.path
	 * when it first looks a library up by name, which may be long after
	 * the sandbox is in place; if the file exists but cannot be read, it
	 * searches nowhere. The system profile grants it. A library is
	 * copied into the first directory it lists (and removed in
	 * teardown), then loaded by name from inside the sandbox.
	 */
	struct utsname uts;
	char *path_file;
	char buf[4096] = { 0 };
	const char *argv[] = { NULL, "setuid-dlopen", "0", NULL, NULL };
	FILE *f;

	need_musl();
	if (geteuid() != 0)
		cr_skip_test("needs root to install a library");
	cr_assert_eq(uname(&uts), 0, "uname: %s", strerror(errno));
	path_file = tu_fmt("/etc/ld-musl-%s.path", uts.machine);
	f = fopen(path_file, "re");
	cr_assert_not_null(f, "%s: %s (Debian's musl package installs it)",
			   path_file, strerror(errno));
	cr_assert_gt(fread(buf, 1, sizeof(buf) - 1, f), 0, "%s is empty",
		     path_file);
	fclose(f);
	buf[strcspn(buf, ":\n")] = '\0';
	cr_assert(buf[0] == '/', "%s: first directory '%s'", path_file, buf);
	installed_lib =
		tu_fmt("%s/libnono-test-musl-%d.so", buf, (int)getpid());
	tu_copy_file(musl.ctor_lib, installed_lib, 0755);

	argv[0] = musl.probe;
	argv[3] = strrchr(installed_lib, '/') + 1;
	write_policy("");
	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, policy_path, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "dlopen(\"%s\"): status %d, '%s' '%s'",
		     argv[3], proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "dlopen: '%s'", proc.out);
}

Test(musl, a_child_of_the_other_libc_is_stopped_not_run_unconfined)
{
	/*
	 * LD_PRELOAD is inherited. A glibc program started under the musl
	 * shim cannot load it (nor can a musl program load the glibc
	 * shim): the dynamic loader stops the child with status 127 before
	 * any of its code runs.
	 */
	char *marker = at("ran");
	const char *musl_argv[] = { NULL,    "spawn", GLIBC_PROBE,
				    "write", marker,  NULL };
	const char *glibc_argv[] = { GLIBC_PROBE, "spawn", NULL,
				     "write",	  marker,  NULL };

	need_musl();
	musl_argv[0] = musl.probe;
	glibc_argv[2] = musl.probe;
	write_policy(tu_fmt("read_write = @T@\nread_file = %s\n"
			    "read_file = %s\n",
			    GLIBC_PROBE, GLIBC_SHIM));

	tu_spawn(&proc, (char *const *)musl_argv,
		 env_for(musl.shim, policy_path, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 127,
		     "glibc child of a musl program: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	cr_assert(!tu_exists(marker), "the glibc child ran");

	tu_spawn(&proc, (char *const *)glibc_argv,
		 env_for(GLIBC_SHIM, policy_path, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 127,
		     "musl child of a glibc program: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	cr_assert(!tu_exists(marker), "the musl child ran");
}

Test(musl, musl_nono_run_confines_a_glibc_program)
{
	const char *argv[] = { NULL,	    "run",  "--policy", NULL, "--",
			       GLIBC_PROBE, "read", NULL,	NULL };

	need_musl();
	argv[0] = musl.nono;
	argv[3] = policy_path;
	write_policy(tu_fmt("read = @T@/ro\nread_file = %s\n", GLIBC_PROBE));
	argv[7] = at("ro/file");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_str_eq(proc.out, "ok\n", "granted: '%s' '%s'", proc.out,
			 proc.err);
	argv[7] = at("out/secret");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 1, "denied: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "denied: '%s'", proc.out);
}

/* ---- the musl build itself --------------------------------------------- */

Test(musl, library_applies_a_policy_in_a_musl_program)
{
	/* lib_probe links the musl libnono.so: load, apply, read. */
	const char *argv[] = { NULL, NULL, NULL, NULL };

	need_musl();
	argv[0] = musl.lib_probe;
	argv[1] = policy_path;
	write_policy("read = @T@/ro\n");
	argv[2] = at("ro/file");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "granted: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "granted: '%s'", proc.out);
	argv[2] = at("out/secret");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 1, "denied: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "denied: '%s'", proc.out);

	/* The loader's error reaches the program through the library. */
	tu_write_file(policy_path, "[filesystem]\nraed = /tmp\n");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 126, "bad policy: status %d, '%s'",
		     proc.status, proc.out);
	cr_assert(strstr(proc.err, "unknown key 'raed'"), "bad policy: '%s'",
		  proc.err);
}

Test(musl, library_exports_only_the_api)
{
	/*
	 * The musl libnono.so has inih, json-c and libseccomp linked in
	 * (meson.build): their symbols must stay inside it.
	 */
	static const char *const allowed[] = { "_init", "_fini" };
	char *save = NULL;
	char *out;
	size_t api = 0;

	need_musl();
	out = inspect("nm", "-D", "--defined-only", musl.lib);
	for (char *line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *name = strrchr(line, ' ');
		bool ok = false;

		name = name ? name + 1 : line;
		if (strncmp(name, "nono_", 5) == 0) {
			api++;
			continue;
		}
		for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]);
		     i++)
			ok = ok || strcmp(name, allowed[i]) == 0;
		cr_expect(ok, "the musl libnono.so exports '%s'", line);
	}
	cr_assert_gt(api, 0, "the musl libnono.so exports no nono_ function");
}

Test(musl, programs_are_linked_against_musl)
{
	need_musl();
	cr_assert(strstr(inspect("readelf", "-l", NULL, musl.probe),
			 "/lib/ld-musl-"),
		  "the probe's interpreter is not musl's:\n%s", proc.out);
	cr_assert(strstr(inspect("readelf", "-l", NULL, musl.nono),
			 "/lib/ld-musl-"),
		  "nono's interpreter is not musl's:\n%s", proc.out);
	cr_assert_null(strstr(inspect("readelf", "-l", NULL, musl.static_probe),
			      "INTERP"),
		       "the static probe has an interpreter:\n%s", proc.out);
}

Test(musl, shim_needs_only_musl_libc)
{
	char *dyn;
	char *save = NULL;
	size_t needed = 0;

	need_musl();
	dyn = inspect("readelf", "-d", NULL, musl.shim);
	for (char *line = strtok_r(dyn, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "(NEEDED)"))
			continue;
		needed++;
		cr_assert(strstr(line, "[libc.so]"),
			  "the musl shim needs more than musl's libc.so: %s",
			  line);
	}
	cr_assert_eq(needed, 1, "NEEDED entries: %zu", needed);
}

Test(musl, shim_exports_no_symbols)
{
	/* What the linker may still add to an object that exports nothing. */
	static const char *const allowed[] = { "_init", "_fini", NULL };
	char *extra;

	need_musl();
	extra = tu_unexpected_exports(musl.shim, allowed);
	cr_expect_str_eq(extra, "", "the musl shim exports:\n%s", extra);
	free(extra);
}

Test(musl, shim_leaves_no_file_descriptor_open)
{
	const char *argv[] = { NULL, "fds", NULL };
	int without, with;

	need_musl();
	argv[0] = musl.probe;
	write_policy("read = /proc\n");
	tu_spawn(&proc, (char *const *)argv, env_for(NULL, NULL, NULL),
		 SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "fds without the shim: %d", proc.status);
	without = atoi(proc.out);
	tu_spawn(&proc, (char *const *)argv,
		 env_for(musl.shim, policy_path, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0, "fds with the shim: %d, '%s'", proc.status,
		     proc.err);
	with = atoi(proc.out);
	cr_assert_gt(without, 0, "no fd count: '%s'", proc.out);
	cr_assert_eq(with, without, "the musl shim left %d fds open",
		     with - without);
}
