// SPDX-License-Identifier: Apache-2.0
/*
 * Deny rules and blocked commands with real programs: sh, cat, ls, mv,
 * python3 and rm run under libnono_shim.so (and under `nono run`) with a
 * policy that grants a home directory and takes ~/.ssh and ~/.gnupg out,
 * or blocks rm. Every program runs in a child (tu_spawn); nothing is
 * sandboxed in the test process.
 *
 * The home directory is a fresh T/home (HOME points there):
 *   ~/.ssh/id_ed25519, ~/.ssh/config   must stay out of reach
 *   ~/.gnupg/secring.gpg               likewise
 *   ~/docs/notes.txt, ~/.profile       the rest, usable
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

#define SHIM NONO_SHIM_PATH
#define NONO NONO_CLI_PATH
#define PYTHON "/usr/bin/python3"

static char *T;
static char *home;
static char *policy_path;
static struct tu_proc proc;
static char *paths[64];
static size_t npaths;

/* A path under the home directory, freed in teardown. */
static const char *h(const char *rel)
{
	char *p = tu_fmt("%s/%s", home, rel);

	cr_assert_lt(npaths, sizeof(paths) / sizeof(paths[0]), "room");
	paths[npaths++] = p;
	return p;
}

static void setup(void)
{
	T = tu_tmpdir();
	home = tu_fmt("%s/home", T);
	policy_path = tu_fmt("%s/policy.ini", T);
	tu_mkdir(home);
	tu_mkdir(h(".ssh"));
	tu_mkdir(h(".gnupg"));
	tu_mkdir(h("docs"));
	tu_write_file(h(".ssh/id_ed25519"), "PRIVATE-KEY\n");
	tu_write_file(h(".ssh/config"), "Host *\n");
	tu_write_file(h(".gnupg/secring.gpg"), "GPG-SECRET\n");
	tu_write_file(h("docs/notes.txt"), "my notes\n");
	tu_write_file(h(".profile"), "export X=1\n");
	/* The policy says ~; the program's HOME is what it means. */
	setenv("HOME", home, 1);
}

static void teardown(void)
{
	tu_rm_rf(T);
	free(T);
	free(home);
	free(policy_path);
	while (npaths > 0)
		free(paths[--npaths]);
}

TestSuite(deny, .init = setup, .fini = teardown);

/* The system profile, the home directory read-write with ~/.ssh and
 * ~/.gnupg taken out, and `extra` (more policy text, may be ""). */
static void write_policy(const char *extra)
{
	char *text = tu_fmt("[policy]\n"
			    "include = system\n"
			    "[filesystem]\n"
			    "read_write = ~\n"
			    "deny = ~/.ssh\n"
			    "deny = ~/.gnupg\n"
			    "%s",
			    extra);

	tu_write_file(policy_path, text);
	free(text);
}

static int run(const char *const argv[])
{
	return tu_spawn(&proc, (char *const *)argv,
			tu_env(SHIM, policy_path, NULL), 30);
}

#define RUN(...) run((const char *const[]){ __VA_ARGS__, NULL })

static bool secret_leaked(void)
{
	return strstr(proc.out, "PRIVATE-KEY") || strstr(proc.out, "GPG");
}

Test(deny, shell_uses_the_home_directory_but_not_its_secrets)
{
	write_policy("");
	RUN("/bin/sh", "-c",
	    "cat ~/docs/notes.txt && ls ~/docs && echo fresh > ~/docs/new.txt"
	    " && cat ~/docs/new.txt && cat ~/.profile && mkdir ~/docs/d && "
	    "mv ~/docs/new.txt ~/docs/d/ && cat ~/docs/d/new.txt");
	cr_assert_eq(proc.status, 0, "the rest of home works: %d, %s",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out,
			 "my notes\nnotes.txt\nfresh\nexport X=1\nfresh\n",
			 "output: '%s'", proc.out);

	RUN("/usr/bin/cat", h(".ssh/id_ed25519"));
	cr_assert_neq(proc.status, 0, "cat of the key fails");
	cr_assert_not(secret_leaked(), "nothing leaked: '%s'", proc.out);
	cr_assert(strstr(proc.err, "Permission denied"), "cat says: %s",
		  proc.err);

	RUN("/bin/ls", h(".ssh"));
	cr_assert_neq(proc.status, 0, "ls ~/.ssh fails");
	cr_assert_str_empty(proc.out, "nothing listed: '%s'", proc.out);
	RUN("/usr/bin/cat", h(".gnupg/secring.gpg"));
	cr_assert_neq(proc.status, 0, "~/.gnupg is denied too");
	cr_assert_not(secret_leaked(), "nothing leaked: '%s'", proc.out);
}

Test(deny, secrets_cannot_be_written_moved_or_replaced)
{
	write_policy("");
	RUN("/bin/sh", "-c", "echo evil >> ~/.ssh/authorized_keys");
	cr_assert_neq(proc.status, 0, "appending a key fails");
	cr_assert_not(tu_exists(h(".ssh/authorized_keys")), "no file made");

	RUN("/bin/mv", h(".ssh"), h("docs/stolen"));
	cr_assert_neq(proc.status, 0, "mv ~/.ssh away fails");
	RUN("/bin/sh", "-c", "mkdir ~/docs/fake && mv ~/docs/fake ~/.ssh");
	cr_assert_neq(proc.status, 0, "replacing ~/.ssh fails");
	RUN("/bin/ln", "-s", h("docs"), h(".gnupg/link"));
	cr_assert_neq(proc.status, 0, "a link into ~/.gnupg fails");
	RUN("/bin/cp", h(".ssh/id_ed25519"), h("docs/copy"));
	cr_assert_neq(proc.status, 0, "copying the key out fails");
	cr_assert_not(tu_exists(h("docs/copy")), "no copy made");
	cr_assert(tu_exists(h(".ssh/id_ed25519")) &&
			  !tu_exists(h("docs/stolen")),
		  "~/.ssh is where it was");
}

/* What the design costs, as documented: the home directory itself, being
 * on the way to ~/.ssh, cannot be listed or given new entries. */
Test(deny, the_home_directory_itself_is_on_the_way)
{
	write_policy("");
	RUN("/bin/ls", home);
	cr_assert_neq(proc.status, 0, "ls ~ fails");
	RUN("/bin/sh", "-c", "echo x > ~/new-top-level-file");
	cr_assert_neq(proc.status, 0, "a new file in ~ fails");
	RUN("/bin/sh", "-c", "echo more >> ~/.profile && cat ~/.profile");
	cr_assert_eq(proc.status, 0, "an existing file in ~ writes: %s",
		     proc.err);
	cr_assert_str_eq(proc.out, "export X=1\nmore\n", "'%s'", proc.out);
}

Test(deny, python_uses_the_rest_and_is_refused_the_secrets)
{
	static const char script[] =
		"import os\n"
		"h = os.environ['HOME']\n"
		"print(open(h + '/docs/notes.txt').read().strip())\n"
		"open(h + '/docs/py.txt', 'w').write('from python')\n"
		"print(sorted(os.listdir(h + '/docs')))\n"
		"for p in ('/.ssh/id_ed25519', '/.gnupg/secring.gpg'):\n"
		"    try:\n"
		"        open(h + p).read()\n"
		"        print('LEAK', p)\n"
		"    except PermissionError:\n"
		"        print('denied', p)\n"
		"try:\n"
		"    os.listdir(h + '/.ssh')\n"
		"    print('LEAK listing')\n"
		"except PermissionError:\n"
		"    print('denied listing')\n";

	if (!tu_exists(PYTHON))
		cr_skip_test("no %s", PYTHON);
	write_policy("");
	RUN(PYTHON, "-I", "-c", script);
	cr_assert_eq(proc.status, 0, "python3 runs: %d, %s", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out,
			 "my notes\n['notes.txt', 'py.txt']\n"
			 "denied /.ssh/id_ed25519\n"
			 "denied /.gnupg/secring.gpg\ndenied listing\n",
			 "python3 said '%s'", proc.out);
	cr_assert(tu_exists(h("docs/py.txt")), "python3 wrote its file");
}

/* ---- block = rm ------------------------------------------------------- */

static const char *victim(void)
{
	const char *f = h("docs/victim");

	tu_write_file(f, "v\n");
	return f;
}

Test(deny, block_rm_stops_rm_at_every_depth_under_the_shim)
{
	write_policy("[commands]\nblock = rm\n");
	const char *f = victim();
	char *one = tu_fmt("rm %s", f);
	char *two = tu_fmt("sh -c 'rm %s'", f);
	char *three = tu_fmt("sh -c \"sh -c 'rm %s'\"", f);

	RUN("/usr/bin/rm", f);
	cr_assert_eq(proc.status, 126, "rm itself is stopped by the shim: %d",
		     proc.status);
	cr_assert(strstr(proc.err, "blocked command"), "and says why: %s",
		  proc.err);
	RUN("/bin/sh", "-c", one);
	cr_assert_eq(proc.status, 126, "sh -c rm: %d, %s", proc.status,
		     proc.err);
	RUN("/bin/sh", "-c", two);
	cr_assert_eq(proc.status, 126, "a shell's shell: %d", proc.status);
	RUN("/bin/sh", "-c", three);
	cr_assert_eq(proc.status, 126, "three shells down: %d", proc.status);
	if (tu_exists(PYTHON)) {
		char *py = tu_fmt("import subprocess, sys; "
				  "sys.exit(subprocess.call(['rm', '%s']))",
				  f);
		RUN(PYTHON, "-I", "-c", py);
		cr_assert_neq(proc.status, 0, "python3's subprocess: %d",
			      proc.status);
		free(py);
	}
	cr_assert(tu_exists(f), "rm never ran");

	/* Everything else still runs, ELF interpreter and all. */
	RUN("/bin/sh", "-c", "ls ~/docs >/dev/null && cat ~/docs/victim");
	cr_assert_eq(proc.status, 0, "ls and cat run: %s", proc.err);
	free(one);
	free(two);
	free(three);
}

Test(deny, allow_rm_lifts_the_block)
{
	write_policy("[commands]\nblock = rm\nallow = /bin/rm\n");
	const char *f = victim();
	char *one = tu_fmt("rm %s", f);

	RUN("/bin/sh", "-c", one);
	cr_assert_eq(proc.status, 0, "rm runs: %d, %s", proc.status, proc.err);
	cr_assert_not(tu_exists(f), "rm removed the file");
	free(one);
}

Test(deny, block_rm_under_nono_run)
{
	write_policy("[commands]\nblock = rm\n");
	const char *f = victim();
	char *two = tu_fmt("sh -c 'rm %s'", f);
	/* clang-format off */
	const char *direct[] = { NONO, "run", "--policy", policy_path, "--",
				 "rm", f, NULL };
	const char *nested[] = { NONO, "run", "--policy", policy_path, "--",
				 "sh", "-c", two, NULL };
	/* clang-format on */

	tu_spawn(&proc, (char *const *)direct, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 126, "nono run rm: %d, %s", proc.status,
		     proc.err);
	cr_assert(strstr(proc.err, "blocked command"), "says why: %s",
		  proc.err);
	tu_spawn(&proc, (char *const *)nested, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 126, "rm under a shell's shell: %d, %s",
		     proc.status, proc.err);
	cr_assert(tu_exists(f), "rm never ran");
	free(two);
}

Test(deny, nono_why_explains_denies)
{
	write_policy("[commands]\nblock = rm\n");
	/* clang-format off */
	const char *argv[] = { NONO, "why", "--policy", policy_path, "--path",
			       h(".ssh/id_ed25519"), "--json", NULL };
	/* clang-format on */
	char *rp = realpath(h(".ssh"), NULL);
	char *want = tu_fmt("{\"status\": \"denied\", \"reason\": "
			    "\"denied_by_rule\", \"denied_path\": \"%s\"}\n",
			    rp);

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 1, "why answers denied: %s", proc.err);
	cr_assert_str_eq(proc.out, want, "the JSON");
	argv[5] = "/usr/bin/rm";
	argv[6] = NULL;
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert(strstr(proc.out, "is a blocked command"), "rm: %s", proc.out);
	argv[5] = home;
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert(strstr(proc.out, "lies on the way to [filesystem] deny = "),
		  "home: %s", proc.out);
	free(want);
	free(rp);
}
