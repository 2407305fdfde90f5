// SPDX-License-Identifier: Apache-2.0
/*
 * nono learn, run for real on the workflows of issue 17: each is learned
 * from `include = system`, and must then run under `nono run --policy`
 * with the policy written. A program that reads a key under a fake HOME
 * gets it refused and commented, never granted. A program that is not
 * installed skips its test and says so; scripts/deps --tests installs
 * them all.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define LEARN_TIMEOUT_S 200

static char *T;	   /* the test's scratch directory */
static char *W;	   /* T/work: where the workflows work */
static char *HOME; /* T/home, with the secrets */
static char *POLICY;
static struct tu_proc proc;

/* HOME and TMPDIR set here reach only this test's programs (tu_env
 * passes HOME on). */
static void setup(void)
{
	T = tu_tmpdir();
	W = tu_fmt("%s/work", T);
	HOME = tu_fmt("%s/home", T);
	POLICY = tu_fmt("%s/learned.ini", T);
	tu_mkdir(W);
	tu_mkdir(HOME);
	setenv("HOME", HOME, 1);
	unsetenv("TMPDIR");
}

static void teardown(void)
{
	tu_rm_rf(T);
	free(POLICY);
	free(HOME);
	free(W);
	free(T);
}

TestSuite(learn, .init = setup, .fini = teardown, .timeout = 600);

static char *read_policy(void)
{
	FILE *f = fopen(POLICY, "re");
	static char text[65536];
	size_t n;

	cr_assert(f, "nono learn wrote %s", POLICY);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Every line that grants something has a comment just above it saying
 * who asked: the policy is for a person to review. */
static void expect_commented(const char *text)
{
	const char *prev = "", *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len && line[0] != '#' && line[0] != '[' &&
		    strncmp(line, "version =", 9) != 0)
			cr_expect(prev[0] == '#',
				  "a comment says who asked for '%.*s':\n%s",
				  (int)len, line, text);
		prev = line;
		line += len + (end ? 1 : 0);
	}
}

/* Whether a line that is not a comment contains `what`. */
static bool granted(const char *text, const char *what)
{
	const char *line = text;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = strndup(line, len);
		bool hit = copy && copy[0] != '#' && strstr(copy, what);

		free(copy);
		if (hit)
			return true;
		line += len + (end ? 1 : 0);
	}
	return false;
}

/*
 * Learns a policy for `sh -c script`, then runs the script under nono run
 * with it: both must succeed. Returns the policy's text (static).
 */
static const char *learn_and_run(const char *script)
{
	char *learn[] = { NONO_CLI_PATH, "learn",	 "--output", POLICY,
			  "--rounds",	 "10",		 "--",	     "sh",
			  "-c",		 (char *)script, NULL };
	char *run[] = { NONO_CLI_PATH, "run", "--policy",     POLICY, "--",
			"sh",	       "-c",  (char *)script, NULL };
	const char *text;

	tu_spawn(&proc, learn, tu_env(NULL, NULL, NULL), LEARN_TIMEOUT_S);
	text = read_policy();
	cr_assert_eq(proc.status, 0,
		     "nono learn ends with nothing refused, got %d:\n%s\n"
		     "policy:\n%s",
		     proc.status, proc.err, text);
	expect_commented(text);
	tu_spawn(&proc, run, tu_env(NULL, NULL, NULL), LEARN_TIMEOUT_S);
	cr_assert_eq(proc.status, 0,
		     "the workflow runs under nono run with the learned "
		     "policy, got %d:\n%s\npolicy:\n%s",
		     proc.status, proc.err, text);
	return text;
}

Test(learn, git_init_and_commit)
{
	char *script;
	const char *text;

	TU_NEED("git");
	script = tu_fmt("set -e; cd '%s'; rm -rf repo; mkdir repo; cd repo; "
			"git init -q; echo hi > a; git add a; "
			"git -c user.name=t -c user.email=t@example.org "
			"commit -qm first; git log --oneline | grep -q first",
			W);
	text = learn_and_run(script);
	cr_expect(granted(text, "include = git"),
		  "git's configuration comes from the git profile:\n%s", text);
	free(script);
}

Test(learn, python_tempfile_and_multiprocessing)
{
	char *job = tu_fmt("%s/job.py", W), *script;
	const char *text;

	if (access("/usr/bin/python3", X_OK) != 0)
		cr_skip_test("/usr/bin/python3 is not installed");
	tu_write_file(job,
		      "import multiprocessing, os, tempfile\n"
		      "def sq(x):\n"
		      "    return x * x\n"
		      "if __name__ == '__main__':\n"
		      "    with tempfile.NamedTemporaryFile('w') as f:\n"
		      "        f.write('data')\n"
		      "    with tempfile.TemporaryDirectory() as d:\n"
		      "        open(os.path.join(d, 'x'), 'w').write('y')\n"
		      "    with multiprocessing.Pool(2) as p:\n"
		      "        assert sum(p.map(sq, range(100))) == 328350\n");
	script = tu_fmt("/usr/bin/python3 '%s'", job);
	text = learn_and_run(script);
	cr_expect(granted(text, "include = shm"),
		  "SemLock's /dev/shm comes from the shm profile:\n%s", text);
	cr_expect(granted(text, "private_tmp = true"),
		  "tempfile's files go to private_tmp:\n%s", text);
	free(script);
	free(job);
}

Test(learn, gcc_and_make)
{
	char *dir = tu_fmt("%s/c", W), *path, *script;
	const char *text;

	TU_NEED("gcc");
	TU_NEED("make");
	tu_mkdir(dir);
	path = tu_fmt("%s/main.c", dir);
	tu_write_file(path, "#include <stdio.h>\n#include \"util.h\"\n"
			    "int main(void) { printf(\"%d\\n\", twice(21)); "
			    "return 0; }\n");
	free(path);
	path = tu_fmt("%s/util.c", dir);
	tu_write_file(path, "#include \"util.h\"\n"
			    "int twice(int x) { return 2 * x; }\n");
	free(path);
	path = tu_fmt("%s/util.h", dir);
	tu_write_file(path, "int twice(int x);\n");
	free(path);
	path = tu_fmt("%s/Makefile", dir);
	tu_write_file(path, "prog: main.o util.o\n\tgcc -o prog main.o util.o\n"
			    "%.o: %.c util.h\n\tgcc -O2 -c $< -o $@\n"
			    "clean:\n\trm -f prog *.o\n");
	free(path);
	script = tu_fmt("set -e; cd '%s'; make -s clean; make -s; "
			"test \"$(./prog)\" = 42",
			dir);
	text = learn_and_run(script);
	cr_expect(granted(text, "private_tmp = true"),
		  "gcc's temporary files go to private_tmp:\n%s", text);
	free(script);
	free(dir);
}

Test(learn, shell_pipeline_with_a_large_heredoc)
{
	char *sh = tu_fmt("%s/heredoc.sh", W), *script;
	size_t cap = 1 << 20, len = 0;
	char *body = malloc(cap);
	const char *text;

	TU_NEED("bash");
	cr_assert(body, "memory");
	len += (size_t)snprintf(body + len, cap - len,
				"set -e\ncat <<'EOF' | sort | uniq -c | "
				"sort -rn | head -3 > '%s/out.txt'\n",
				W);
	/* Over 64 KiB: bash writes it to a temporary file rather than a
	 * pipe. */
	for (int i = 0; i < 9000; i++)
		len += (size_t)snprintf(body + len, cap - len,
					"line %d of the here-document\n",
					i % 500);
	cr_assert_gt(len, 65536 + 1024, "the here-document is over 64 KiB");
	snprintf(body + len, cap - len,
		 "EOF\ntest $(wc -l < '%s/out.txt') = 3\n", W);
	tu_write_file(sh, body);
	script = tu_fmt("bash '%s'", sh);
	text = learn_and_run(script);
	cr_expect(granted(text, "private_tmp = true"),
		  "the here-document goes to private_tmp:\n%s", text);
	free(script);
	free(body);
	free(sh);
}

Test(learn, sqlite_with_a_large_sort)
{
	char *script;
	const char *text;

	TU_NEED("sqlite3");
	/* A small page cache, so that the sort spills to temporary files. */
	script = tu_fmt(
		"set -e; cd '%s'; rm -f big.db; "
		"n=$(sqlite3 big.db 'PRAGMA cache_size = 100; "
		"CREATE TABLE t(x TEXT); "
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
		"n WHERE i < 200000) INSERT INTO t SELECT hex(randomblob(16)) "
		"FROM n; SELECT count(*) FROM (SELECT x FROM t ORDER BY x);'); "
		"test \"$n\" = 200000",
		W);
	text = learn_and_run(script);
	cr_expect(granted(text, "private_tmp = true"),
		  "sqlite's sort files go to private_tmp:\n%s", text);
	free(script);
}

Test(learn, a_key_in_ssh_is_refused_and_commented_never_granted)
{
	char *ssh = tu_fmt("%s/.ssh", HOME);
	char *key = tu_fmt("%s/id_ed25519", ssh);
	char *in = tu_fmt("%s/in.txt", W);
	char *script = tu_fmt("cat '%s'; cat '%s'", key, in);
	char *learn[] = { NONO_CLI_PATH, "learn", "--output", POLICY, "--",
			  "sh",		 "-c",	  script,     NULL };
	char *run[] = { NONO_CLI_PATH, "run", "--policy", POLICY,
			"--",	       "cat", key,	  NULL };
	char *comment = tu_fmt("# cat: read %s", key);
	const char *text;

	tu_mkdir(ssh);
	tu_write_file(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	tu_write_file(in, "input\n");
	tu_spawn(&proc, learn, tu_env(NULL, NULL, NULL), LEARN_TIMEOUT_S);
	text = read_policy();
	cr_expect_eq(proc.status, 1,
		     "nono learn says something is left refused, got %d: %s",
		     proc.status, proc.err);
	cr_expect(strstr(proc.err, "sensitive"),
		  "the report says why it is left: %s", proc.err);
	cr_expect(strstr(text, comment),
		  "the refusal is written as a comment:\n%s", text);
	cr_expect(!granted(text, ".ssh") && !granted(text, HOME),
		  "nothing grants ~/.ssh, nor the home above it:\n%s", text);
	cr_expect(granted(text, in) || granted(text, W),
		  "the other file is granted:\n%s", text);
	tu_spawn(&proc, run, tu_env(NULL, NULL, NULL), LEARN_TIMEOUT_S);
	cr_expect_neq(proc.status, 0,
		      "the key stays unreadable under the learned policy");
	free(comment);
	free(script);
	free(in);
	free(key);
	free(ssh);
}

Test(learn, many_files_of_one_directory_become_the_directory)
{
	char *data = tu_fmt("%s/data", W), *env = tu_fmt("%s/env", W);
	char *script, *path;
	const char *text;

	tu_mkdir(data);
	tu_mkdir(env);
	for (char c = 'a'; c <= 'c'; c++) {
		path = tu_fmt("%s/%c", data, c);
		tu_write_file(path, "x\n");
		free(path);
		path = tu_fmt("%s/%c", env, c);
		tu_write_file(path, "x\n");
		free(path);
	}
	/* A directory with a .env file is never granted whole. */
	path = tu_fmt("%s/.env", env);
	tu_write_file(path, "TOKEN=secret\n");
	free(path);
	script = tu_fmt("cat %s/a %s/b %s/c %s/a %s/b %s/c", data, data, data,
			env, env, env);
	text = learn_and_run(script);
	path = tu_fmt("read = %s\n", data);
	cr_expect(strstr(text, path), "three files became '%s':\n%s", path,
		  text);
	free(path);
	path = tu_fmt("read_file = %s/a\n", env);
	cr_expect(strstr(text, path),
		  "a directory holding .env stays file by file:\n%s", text);
	free(path);
	path = tu_fmt("read = %s\n", env);
	cr_expect(!strstr(text, path), "not '%s':\n%s", path, text);
	free(path);
	free(script);
	free(env);
	free(data);
}

/*
 * NONO_LOG=denials (issue 17, part 3): the shim cannot see refusals from
 * inside without changing what the program does, so it says once, in the
 * process that applies the policy, to use nono explain; the program runs
 * as it would without the setting.
 */
Test(learn, shim_denials_says_once_to_use_nono_explain)
{
	char *policy = tu_fmt("%s/p.ini", T);
	char *argv[] = { "/bin/sh", "-c",
			 "cat /etc/hostname; sh -c 'cat /etc/hostname'; "
			 "exit 3",
			 NULL };
	const char *extra[] = { "NONO_LOG=denials", NULL };
	const char *first, *again;

	tu_write_file(policy, "[policy]\ninclude = system\n");
	tu_spawn(&proc, argv, tu_env(NONO_SHIM_PATH, policy, extra),
		 LEARN_TIMEOUT_S);
	cr_expect_eq(proc.status, 3, "the program's own status, got %d: %s",
		     proc.status, proc.err);
	first = strstr(proc.err, "nono explain --policy");
	cr_expect(first, "the shim names nono explain: %s", proc.err);
	again = first ? strstr(first + 1, "nono explain --policy") : NULL;
	cr_expect(!again, "once, not in every child: %s", proc.err);
	cr_expect(strstr(proc.err, "Permission denied"),
		  "the refusals happen as without the setting: %s", proc.err);
	free(policy);
}
