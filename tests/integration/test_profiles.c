// SPDX-License-Identifier: Apache-2.0
/*
 * The built-in profiles and private_tmp of issue 18, proved with the real
 * programs: each workflow runs under `nono run` with the system profile,
 * the profile under test and a project directory, and fails without that
 * profile (or without private_tmp). A program that is not installed skips
 * its test and says so; scripts/deps --tests installs them all.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libnono.h"

#include "helpers/testutil.h"

#define NONO NONO_CLI_PATH
#define SHIM NONO_SHIM_PATH

static char *T;	   /* the test's scratch directory */
static char *PROJ; /* T/proj: the project directory, granted read+write */
static struct tu_proc proc;
static char *REAL_HOME; /* HOME as the test was started with, or NULL */

/* Each test runs in its own process: HOME and TMPDIR set here reach only
 * the programs of that test (tu_env passes HOME on). */
static void setup(void)
{
	char *home;

	REAL_HOME = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	T = tu_tmpdir();
	PROJ = tu_fmt("%s/proj", T);
	home = tu_fmt("%s/home", T);
	tu_mkdir(PROJ);
	tu_mkdir(home);
	setenv("HOME", home, 1);
	unsetenv("TMPDIR");
	free(home);
}

static void teardown(void)
{
	tu_rm_rf(T);
	free(REAL_HOME);
	free(PROJ);
	free(T);
}

TestSuite(profiles, .init = setup, .fini = teardown, .timeout = 240);

/*
 * Runs `sh -c SCRIPT` in PROJ under nono run with the system profile, the
 * profiles in `includes` (space-separated, may be ""), --private-tmp when
 * `private_tmp`, and PROJ read+write. Returns the status; output in proc.
 */
static int run_with(const char *includes, bool private_tmp, const char *script)
{
	char *cmd = tu_fmt("cd '%s' && exec '%s' run %s", PROJ, NONO,
			   private_tmp ? "--private-tmp " : "");
	const char *argv[] = { "/bin/sh", "-c", NULL, "sh", NULL, NULL };
	char *words = strdup(includes), *save = NULL;

	cr_assert_not_null(words, "strdup");
	for (char *w = strtok_r(words, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		char *more = tu_fmt("%s--include %s ", cmd, w);

		free(cmd);
		cmd = more;
	}
	free(words);
	{
		char *more =
			tu_fmt("%s--read-write . -- /bin/sh -c \"$1\"", cmd);

		free(cmd);
		cmd = more;
	}
	argv[2] = cmd;
	argv[4] = script;
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 120);
	free(cmd);
	return proc.status;
}

/* The workflow works with the profile(s) and prints `wanted`, and does
 * not without the last profile named. */
static void expect_needs(const char *with, const char *without,
			 bool private_tmp, const char *script,
			 const char *wanted)
{
	run_with(with, private_tmp, script);
	cr_assert_eq(proc.status, 0, "[%s] %s: status %d, out '%s', err '%s'",
		     with, script, proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, wanted, "[%s] %s: err '%s'", with, script,
			 proc.err);
	run_with(without, private_tmp, script);
	cr_assert(proc.status != 0 || strcmp(proc.out, wanted) != 0,
		  "[%s] %s works without the profile: out '%s'", without,
		  script, proc.out);
}

Test(profiles, proc_runs_ps_and_free)
{
	TU_NEED("ps");
	TU_NEED("free");
	expect_needs("proc", "", false,
		     "ps -e -o comm= | grep -c '^ps$' && free | grep -c Mem:",
		     "1\n1\n");
}

Test(profiles, pty_runs_tmux)
{
	TU_NEED("tmux");
	/* tmux's server listens on a UNIX socket in TMUX_TMPDIR. */
	expect_needs("pty", "", true,
		     /* A session and a server socket of this run's own:
		      * another run of the suite shares the private temp
		      * directory of the same policy. */
		     "t=t$$; tmux -L $t new-session -d -s $t 'sleep 30' && "
		     "tmux -L $t has-session -t $t && tmux -L $t kill-server "
		     "&& echo ok",
		     "ok\n");
}

Test(profiles, shm_runs_a_multiprocessing_pool)
{
	TU_NEED("/usr/bin/python3");
	expect_needs("shm", "", false,
		     "/usr/bin/python3 -c 'import multiprocessing as m; "
		     "print(sum(m.Pool(2).map(abs, [-1, -2])))'",
		     "3\n");
}

Test(profiles, git_reads_the_user_config)
{
	char *cfg = tu_fmt("%s/.gitconfig", getenv("HOME"));

	TU_NEED("git");
	tu_write_file(cfg, "[user]\n\tname = Profile Test\n"
			   "\temail = t@example.org\n");
	expect_needs("git", "", false,
		     "git init -q r && cd r && echo x > f && git add f && "
		     "git commit -q -m first && git log --format=%an",
		     "Profile Test\n");
	free(cfg);
}

Test(profiles, python_serves_a_file_and_makes_a_venv)
{
	char *f = tu_fmt("%s/served.txt", PROJ);

	TU_NEED("/usr/bin/python3");
	tu_write_file(f, "served\n");
	/* mimetypes opens /etc/mime.types, which the profile grants. */
	expect_needs(
		"python", "", true,
		/* A port of this run's own: a fixed one collided with
		 * another run of the suite on the same machine. */
		"p=$((20000 + $$ % 20000)); "
		"/usr/bin/python3 -m http.server $p --bind 127.0.0.1 "
		">/dev/null 2>&1 & s=$!; for i in $(seq 50); do "
		"/usr/bin/python3 -c 'import sys, urllib.request as u; print(u."
		"urlopen(\"http://127.0.0.1:%s/served.txt\" % sys.argv[1])."
		"read().decode().strip())' $p 2>/dev/null && break; "
		"sleep 0.2; done; kill $s",
		"served\n");
	if (system("/usr/bin/python3 -c 'import ensurepip' 2>/dev/null") != 0)
		cr_skip_test("python3 -m venv: ensurepip is not installed "
			     "(Debian's python3-venv)");
	expect_needs("python", "", true,
		     "/usr/bin/python3 -m venv v && v/bin/python -m pip "
		     "--version | cut -d' ' -f1",
		     "pip\n");
	free(f);
}

Test(profiles, node_runs_a_script_and_npm_pack)
{
	char *npm = tu_fmt("%s/.npm", getenv("HOME"));
	char *pkg = tu_fmt("%s/package.json", PROJ);
	char *js = tu_fmt("%s/index.js", PROJ);

	TU_NEED("node");
	TU_NEED("npm");
	/* An optional grant needs its directory to exist at load time:
	 * npm made it on its first run, outside any sandbox. */
	tu_mkdir(npm);
	tu_write_file(pkg, "{\"name\": \"pk\", \"version\": \"1.0.0\"}\n");
	tu_write_file(js, "module.exports = 1;\n");
	expect_needs("node", "", true,
		     "node -e 'console.log(require(\"./index.js\"))' && "
		     "npm pack --offline >/dev/null 2>&1 && ls pk-1.0.0.tgz",
		     "1\npk-1.0.0.tgz\n");
	/* os.cpus() reads /proc: empty without, as the profile says. */
	expect_needs("node proc", "node", false,
		     "node -e 'console.log(require(\"os\").cpus().length > "
		     "0)'",
		     "true\n");
	free(npm);
	free(pkg);
	free(js);
}

Test(profiles, rust_builds_with_cargo)
{
	/* rustup's homes are the real user's: they cannot be faked. */
	char *cargo;

	if (!REAL_HOME)
		cr_skip_test("HOME is not set: no rustup home to use");
	setenv("HOME", REAL_HOME, 1);
	cargo = tu_fmt("%s/.cargo/bin/cargo", getenv("HOME"));
	if (!tu_have(cargo) && !tu_have("cargo"))
		cr_skip_test("cargo is not installed (rustup: not a Debian "
			     "package here)");
	free(cargo);
	expect_needs("rust", "", true,
		     "PATH=\"$HOME/.cargo/bin:$PATH\"; "
		     "cargo new -q --offline --vcs none hello && cd hello && "
		     "cargo build -q --offline && ./target/debug/hello",
		     "Hello, world!\n");
}

Test(profiles, man_shows_a_page_through_a_pager)
{
	TU_NEED("man");
	TU_NEED("script");
	TU_NEED("less");
	/* man pages through less on the terminal script makes; q ends it. */
	expect_needs("pty man", "pty", true,
		     "(sleep 2; printf q) | TERM=xterm PAGER=less script -qec "
		     "'man ls' "
		     "/dev/null | grep -c 'list directory contents'",
		     "1\n");
}

Test(profiles, imagemagick_reads_its_security_policy)
{
	TU_NEED("/usr/bin/convert");
	if (access("/etc/ImageMagick-6/policy.xml", R_OK) != 0 &&
	    access("/etc/ImageMagick-7/policy.xml", R_OK) != 0)
		cr_skip_test("no ImageMagick policy.xml to read");
	/* Debian's policy refuses PDF: with the profile the conversion is
	 * refused; without it, ImageMagick quietly writes the PDF. */
	expect_needs("imagemagick", "", false,
		     "/usr/bin/convert -size 8x8 xc:red red.png && "
		     "/usr/bin/convert red.png red.gif && "
		     "! /usr/bin/convert red.png red.pdf 2>err && "
		     "grep -c 'not allowed by the security policy' err",
		     "1\n");
}

/* ---- private_tmp ---------------------------------------------------- */

Test(profiles, private_tmp_builds_with_gcc_and_make_j2)
{
	char *a = tu_fmt("%s/a.c", PROJ), *m = tu_fmt("%s/m.c", PROJ);
	char *mk = tu_fmt("%s/Makefile", PROJ);

	TU_NEED("gcc");
	TU_NEED("make");
	tu_write_file(a, "int f(void) { return 1; }\n");
	tu_write_file(m, "int f(void);\nint main(void) { return f() - 1; }\n");
	tu_write_file(mk, "p: a.o m.o\n\tgcc -o p a.o m.o\n"
			  "%.o: %.c\n\tgcc -c -o $@ $<\n");
	run_with("", true, "make -s -j2 && ./p && echo built");
	cr_assert_eq(proc.status, 0, "status %d, err '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "built\n", "err '%s'", proc.err);
	run_with("", false, "rm -f *.o p; make -s -j2");
	cr_assert_neq(proc.status, 0, "gcc needs a temporary directory");
	cr_assert(strstr(proc.err, "temporary file"), "err '%s'", proc.err);
	free(a);
	free(m);
	free(mk);
}

Test(profiles, private_tmp_lets_sort_spill_to_disk)
{
	const char *script = "seq 1 300000 | sort -S 64K -n -r | head -1";

	run_with("", true, script);
	cr_assert_str_eq(proc.out, "300000\n", "status %d, err '%s'",
			 proc.status, proc.err);
	run_with("", false, script);
	cr_assert(strstr(proc.err, "cannot create temporary file"),
		  "sort spills to /tmp without it: err '%s'", proc.err);
}

Test(profiles, private_tmp_holds_a_100k_heredoc)
{
	/* bash writes a here-document larger than a pipe to a file. */
	const char *script = "bash -c 'cat <<EOF | wc -c\n"
			     "$(head -c 102400 /dev/zero | tr \"\\0\" a)\n"
			     "EOF'";

	TU_NEED("bash");
	run_with("", true, script);
	cr_assert_str_eq(proc.out, "102401\n", "status %d, err '%s'",
			 proc.status, proc.err);
	run_with("", false, script);
	cr_assert(strstr(proc.err, "here-document"), "err '%s'", proc.err);
}

Test(profiles, private_tmp_under_the_shim)
{
	char *policy = tu_fmt("%s/p.ini", T);
	const char *argv[] = {
		"/bin/sh", "-c",
		"test -n \"$TMPDIR\" && test \"$TMPDIR\" = \"$TMP\" && "
		"test \"$TMPDIR\" = \"$TMUX_TMPDIR\" && "
		"test \"$TMPDIR\" = \"$SQLITE_TMPDIR\" && "
		"echo x > \"$TMPDIR/f\" && ls -ld \"$TMPDIR\" | cut -c1-10",
		NULL
	};

	tu_write_file(policy, "[policy]\ninclude = system\n"
			      "[filesystem]\nprivate_tmp = true\n");
	tu_spawn(&proc, (char *const *)argv, tu_env(SHIM, policy, NULL), 60);
	cr_assert_eq(proc.status, 0, "status %d, err '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "drwx------\n", "err '%s'", proc.err);
	free(policy);
}

/* ---- /proc/self and nono run from flags ------------------------------ */

Test(profiles, proc_self_is_refused_with_its_message)
{
	char *policy = tu_fmt("%s/p.ini", T);
	const char *argv[] = { NONO, "run",  "--policy", policy,
			       "--", "true", NULL };

	tu_write_file(policy, "[policy]\ninclude = system\n"
			      "[filesystem]\nread = /proc/self/status\n");
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	/* nono run's own failure (a bad policy): 125. */
	cr_assert_eq(proc.status, 125, "status %d", proc.status);
	cr_assert(strstr(proc.err, "p.ini:4: read = /proc/self/status: a "
				   "per-process path") &&
			  strstr(proc.err, "use include = proc"),
		  "err '%s'", proc.err);
	free(policy);
}

Test(profiles, nono_run_read_write_dot_make)
{
	char *mk = tu_fmt("%s/Makefile", PROJ);
	char *in = tu_fmt("%s/in.txt", PROJ);
	char *cmd = tu_fmt("cd '%s' && '%s' run --read-write . -- make -s "
			   "&& cat out.txt",
			   PROJ, NONO);
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };

	TU_NEED("make");
	tu_write_file(mk, "out.txt: in.txt\n\ttr a-z A-Z < in.txt > $@\n"
			  "\ttouch $(HOME)/escaped || true\n");
	tu_write_file(in, "built\n");
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 60);
	cr_assert_eq(proc.status, 0, "status %d, err '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "BUILT\n", "err '%s'", proc.err);
	free(mk);
	mk = tu_fmt("%s/escaped", getenv("HOME"));
	cr_assert_not(tu_exists(mk), "make wrote outside the project");
	free(mk);
	free(in);
	free(cmd);
}

Test(profiles, nono_run_no_system_grants_nothing_more)
{
	const char *argv[] = { NONO, "run", "--no-system", "--read-write",
			       ".",  "--",  "/bin/true",   NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 126, "nothing grants /usr: status %d",
		     proc.status);
}

Test(profiles, nono_run_refuses_flags_with_a_policy)
{
	const char *argv[] = { NONO,	    "run",	 "--policy",
			       "/dev/null", "--include", "proc",
			       "--",	    "true",	 NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	/* A usage error is one of nono run's own failures: 125. */
	cr_assert_eq(proc.status, 125, "usage error: status %d", proc.status);
}

Test(profiles, nono_check_lists_the_profiles)
{
	const char *argv[] = { NONO, "check", "--profiles", NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 0, "status %d", proc.status);
	for (size_t i = 0; i < nono_builtin_profile_count(); i++) {
		char *line = tu_fmt("%-12s %s\n", nono_builtin_profile_name(i),
				    nono_builtin_profile_description(i));

		cr_assert(strstr(proc.out, line), "'%s' in '%s'", line,
			  proc.out);
		free(line);
	}
}
