// SPDX-License-Identifier: Apache-2.0
/*
 * Everything that must stop a program before it runs: bad policy files and
 * a bad environment. For each, the probe is started under the shim with a
 * command that would create T/ran, and the test checks that
 *  - the status is 126,
 *  - stderr is exactly one line, beginning "nono: ", naming the file and
 *    line where the error is in a file, and saying what is wrong,
 *  - nothing of the program ran: no T/ran, nothing on stdout.
 *
 * The policy texts are in the table below, with "@T@" standing for the
 * test's fresh directory T, which holds a file T/file and a directory
 * T/dir to point keys at.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define PROBE NONO_PROBE_PATH
#define SHIM NONO_SHIM_PATH

/* setpriv(1) runs the unreadable-policy case as this user. */
#define NOBODY_UID "65534"

static char *T;
static struct tu_proc proc;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

static void setup(void)
{
	T = tu_tmpdir();
	/* Readable by the unprivileged user of the unreadable-file case. */
	chmod(T, 0755);
	tu_write_file(at("file"), "a file\n");
	tu_mkdir(at("dir"));
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(bad_policies, .init = setup, .fini = teardown);

/*
 * Checks the outcome of a refused start. `file` is the file the message
 * must name followed by ":<line>:" when line > 0 (NULL: no file to name);
 * `needle` is a piece of the message that says what is wrong.
 */
static void expect_refused(const char *file, unsigned line, const char *needle)
{
	char *where;

	cr_assert_eq(proc.status, 126,
		     "status %d, expected 126 (stdout '%s', stderr '%s')",
		     proc.status, proc.out, proc.err);
	cr_assert(!tu_exists(at("ran")), "the program ran (T/ran exists)");
	cr_assert_str_empty(proc.out, "the program printed '%s'", proc.out);
	cr_assert(strncmp(proc.err, "nono: ", 6) == 0,
		  "stderr does not start with 'nono: ': '%s'", proc.err);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1,
		     "stderr is not exactly one line: '%s'", proc.err);
	cr_assert_eq(proc.err[strlen(proc.err) - 1], '\n',
		     "the line is not terminated: '%s'", proc.err);
	if (file && line > 0) {
		where = tu_fmt("nono: %s:%u: ", file, line);
		cr_assert(strncmp(proc.err, where, strlen(where)) == 0,
			  "the message does not start with '%s': '%s'", where,
			  proc.err);
	} else if (file) {
		cr_assert(strstr(proc.err, file),
			  "the message does not name '%s': '%s'", file,
			  proc.err);
	}
	cr_assert(strstr(proc.err, needle),
		  "the message does not say '%s': '%s'", needle, proc.err);
}

/* Runs `probe write T/ran` with the given environment. */
static void run_env(char **env)
{
	const char *argv[] = { PROBE, "write", at("ran"), NULL };

	tu_spawn(&proc, (char *const *)argv, env, 30);
}

/* ---- bad policy files ------------------------------------------------- */

struct bad_case {
	const char *text;    /* the policy; "@T@" stands for T */
	size_t len;	     /* bytes of text, when it holds a NUL; else 0 */
	const char *errfile; /* the file the error is in: NULL, the policy */
	unsigned line;	     /* the line the message must name */
	const char *needle;  /* what the message must say */
};

/*
 * Writes the policy as T/policy.ini, runs the probe under it and checks
 * the refusal.
 */
static void check_bad(const struct bad_case *c)
{
	char *policy = at("policy.ini");
	char *text;
	size_t len;

	if (c->len) {
		text = malloc(c->len);
		cr_assert_not_null(text, "malloc");
		memcpy(text, c->text, c->len);
		len = c->len;
	} else {
		text = tu_subst(c->text, "@T@", T);
		len = strlen(text);
	}
	tu_write_bytes(policy, text, len, 0644);
	free(text);
	run_env(tu_env(SHIM, policy, NULL));
	expect_refused(c->errfile ? tu_subst(c->errfile, "@T@", T) : policy,
		       c->line, c->needle);
}

#define BAD(name, line_, needle_, text_)            \
	Test(bad_policies, name)                    \
	{                                           \
		check_bad(&(const struct bad_case){ \
			.text = (text_),            \
			.line = (line_),            \
			.needle = (needle_),        \
		});                                 \
	}

/* Syntax. */
BAD(unterminated_section_header, 1, "']'", "[policy\n")
BAD(line_without_equals, 2, "key = value", "[filesystem]\nread /usr\n")
BAD(key_outside_any_section, 1, "before any [section]", "read = /usr\n")
BAD(empty_section_name, 1, "empty section name", "[]\nread = /usr\n")
BAD(over_long_line, 3, "long",
    "[filesystem]\n"
    "# A comment, then a line longer than inih's 200 bytes.\n"
    "read = /usr/././././././././././././././././././././././././././././"
    "././././././././././././././././././././././././././././././././././"
    "././././././././././././././././././././././././././././././././././"
    "./././././././././././././././././././\n")
BAD(indented_continuation_line, 3, "indented",
    "[filesystem]\nread = /usr\n    /etc\n")

/* Sections and keys. */
BAD(unknown_section, 1, "filesytem", "[filesytem]\nread = /usr\n")
BAD(upper_case_section, 1, "Filesystem", "[Filesystem]\nread = /usr\n")
BAD(unknown_key_in_filesystem, 3, "unknown key 'raed' in [filesystem]",
    "[filesystem]\nread = /usr\nraed = /usr\n")
BAD(upper_case_key, 2, "Read", "[filesystem]\nRead = /usr\n")
BAD(unknown_key_in_policy, 2, "incldue", "[policy]\nincldue = system\n")
BAD(key_in_the_wrong_section, 2, "unknown key 'read' in [network]",
    "[network]\nread = /usr\n")
BAD(duplicate_single_valued_key, 3, "on_unsupported",
    "[policy]\non_unsupported = fail\non_unsupported = warn\n")

/* Values. */
BAD(bad_version, 2, "unsupported version", "[policy]\nversion = 2\n")
BAD(bad_on_unsupported, 2, "maybe", "[policy]\non_unsupported = maybe\n")
BAD(bad_boolean, 2, "yes", "[network]\nblock = yes\n")
BAD(empty_path, 2, "empty value", "[filesystem]\nread =\n")
BAD(relative_path, 2, "relative", "[filesystem]\nread = relative/dir\n")
BAD(dot_relative_path, 2, "./dir", "[filesystem]\nread_file = ./dir\n")
BAD(missing_path, 2, "not-there: path not found",
    "[filesystem]\nread = @T@/not-there\n")
BAD(file_where_a_directory_is_expected, 2, "expected a directory",
    "[filesystem]\nread = @T@/file\n")
BAD(directory_where_a_file_is_expected, 2, "expected a file",
    "[filesystem]\nread_write_file = @T@/dir\n")
BAD(unset_variable_in_path, 2, "NONO_TEST_SURELY_UNSET",
    "[filesystem]\nread = ${NONO_TEST_SURELY_UNSET}/x\n")
BAD(path_through_a_file, 2, "not found",
    "[filesystem]\nread = @T@/file/below\n")
BAD(unknown_profile, 2, "sytem", "[policy]\ninclude = sytem\n")
BAD(relative_include, 2, "profiles/x.ini",
    "[policy]\ninclude = profiles/x.ini\n")
BAD(missing_include, 3, "absent.ini",
    "[policy]\ninclude = system\ninclude = @T@/absent.ini\n")
BAD(unbalanced_seatbelt_rule, 2, "unbalanced",
    "[macos]\nseatbelt = (allow file-read* (literal \"/a\")\n")
BAD(seatbelt_rule_granting_the_root, 2, "subpath \"/\"",
    "[macos]\nseatbelt = (allow file-read* (subpath \"/\"))\n")
BAD(invalid_state_json, 2, "JSON", "{\"fs\": [\n")
BAD(state_json_without_net_blocked, 0, "net_blocked", "{\"fs\": []}\n")
BAD(binary_garbage, 1, "control character",
    "\x7f"
    "ELF\x02\x01\x01\n[\x01\x02\n")

Test(bad_policies, nul_byte_in_the_file)
{
	static const char text[] = "[filesystem]\nread = /usr\0/etc\n";

	check_bad(&(const struct bad_case){
		.text = text,
		.len = sizeof(text) - 1,
		.line = 2,
		.needle = "NUL",
	});
}

Test(bad_policies, error_in_an_included_file_names_that_file)
{
	char *inner = at("inner.ini");

	tu_write_file(inner, "[filesystem]\n\nraed = /usr\n");
	check_bad(&(const struct bad_case){
		.text = "[policy]\ninclude = @T@/inner.ini\n",
		.errfile = "@T@/inner.ini",
		.line = 3,
		.needle = "raed",
	});
}

Test(bad_policies, include_cycle)
{
	/* policy.ini -> a.ini -> b.ini -> a.ini */
	tu_write_file(at("a.ini"),
		      tu_subst("[policy]\ninclude = @T@/b.ini\n", "@T@", T));
	tu_write_file(at("b.ini"),
		      tu_subst("[policy]\n\ninclude = @T@/a.ini\n", "@T@", T));
	check_bad(&(const struct bad_case){
		.text = "[policy]\ninclude = @T@/a.ini\n",
		.errfile = "@T@/b.ini",
		.line = 3,
		.needle = "cycle",
	});
}

Test(bad_policies, include_of_itself)
{
	check_bad(&(const struct bad_case){
		.text = "[policy]\ninclude = @T@/policy.ini\n",
		.line = 2,
		.needle = "cycle",
	});
}

Test(bad_policies, includes_nested_too_deep)
{
	/* policy.ini -> d1 -> d2 -> ... -> d12: deeper than 8. */
	for (int i = 1; i < 12; i++)
		tu_write_file(
			at(tu_fmt("d%d.ini", i)),
			tu_fmt("[policy]\ninclude = %s/d%d.ini\n", T, i + 1));
	tu_write_file(at("d12.ini"), "[filesystem]\nread = /usr\n");
	/* Which file reports it is the loader's choice; it is one of T's. */
	check_bad(&(const struct bad_case){
		.text = "[policy]\ninclude = @T@/d1.ini\n",
		.errfile = "@T@/",
		.line = 0,
		.needle = "nested deeper than 8",
	});
}

/* ---- the policy file itself ------------------------------------------- */

Test(bad_policies, policy_file_missing)
{
	char *policy = at("absent.ini");

	run_env(tu_env(SHIM, policy, NULL));
	expect_refused(policy, 0, "No such file");
}

Test(bad_policies, policy_under_a_missing_directory)
{
	char *policy = at("no-such-dir/policy.ini");

	run_env(tu_env(SHIM, policy, NULL));
	expect_refused(policy, 0, "No such file");
}

Test(bad_policies, policy_is_a_directory)
{
	char *policy = at("dir");

	run_env(tu_env(SHIM, policy, NULL));
	expect_refused(policy, 0, "directory");
}

Test(bad_policies, policy_is_empty)
{
	/*
	 * An empty file is a valid policy that grants nothing: the shim
	 * applies it, so the program starts (it is loaded already) but may
	 * not touch any file. Not an error, but the place where a mistake
	 * would let a program run unsandboxed, so it is checked here.
	 */
	char *policy = at("empty.ini");

	tu_write_file(policy, "");
	run_env(tu_env(SHIM, policy, NULL));
	cr_assert_eq(proc.status, 1, "status %d, stderr '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the probe said '%s'", proc.out);
	cr_assert_str_empty(proc.err, "the shim said '%s'", proc.err);
	cr_assert(!tu_exists(at("ran")), "the program wrote T/ran");
}

Test(bad_policies, policy_unreadable)
{
	/*
	 * Root reads a file of mode 000, so the program runs as nobody:
	 * setpriv(1) drops to nobody first, without the shim, and env(1)
	 * then starts the probe under it.
	 */
	char *policy = at("secret.ini");
	char *preload = tu_fmt("LD_PRELOAD=%s", SHIM);
	char *policy_env = tu_fmt("NONO_POLICY=%s", policy);
	char *ran = at("ran");
	const char *argv[] = { "setpriv",
			       "--reuid=" NOBODY_UID,
			       "--regid=" NOBODY_UID,
			       "--clear-groups",
			       "env",
			       preload,
			       policy_env,
			       PROBE,
			       "write",
			       ran,
			       NULL };
	char *env[] = { "PATH=/usr/bin:/bin", NULL };

	if (geteuid() != 0)
		cr_skip_test("needs root to run the probe as another user");
	/* Let nobody create T/ran, so that only the shim can stop it. */
	chmod(T, 0777);
	tu_write_bytes(policy, "[policy]\ninclude = system\n", 26, 0);
	tu_spawn(&proc, (char *const *)argv, env, 30);
	expect_refused(policy, 0, "Permission denied");

	/* Control: readable, nobody runs the probe. */
	chmod(policy, 0644);
	tu_write_file(policy, tu_fmt("[policy]\ninclude = system\n"
				     "[filesystem]\nread_file = %s\n"
				     "read_write = %s\n",
				     PROBE, T));
	tu_spawn(&proc, (char *const *)argv, env, 30);
	cr_assert_eq(proc.status, 0, "control: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert(tu_exists(ran), "control: the probe did not write T/ran");
}

/* ---- the environment -------------------------------------------------- */

Test(bad_policies, nono_policy_unset)
{
	run_env(tu_env(SHIM, NULL, NULL));
	expect_refused(NULL, 0, "NONO_POLICY is not set");
}

Test(bad_policies, nono_policy_empty)
{
	run_env(tu_env(SHIM, "", NULL));
	expect_refused(NULL, 0, "NONO_POLICY is empty");
}

Test(bad_policies, nono_policy_relative)
{
	/* Even when the relative path names a good policy. */
	tu_write_file(at("good.ini"), "[policy]\ninclude = system\n");
	cr_assert_eq(chdir(T), 0, "chdir: %s", strerror(errno));
	run_env(tu_env(SHIM, "good.ini", NULL));
	expect_refused(NULL, 0, "absolute");
	cr_assert(strstr(proc.err, "good.ini"),
		  "the message does not name the path: '%s'", proc.err);
}

Test(bad_policies, nono_log_invalid)
{
	const char *extra[] = { "NONO_LOG=trace", NULL };

	tu_write_file(at("good.ini"), "[policy]\ninclude = system\n");
	run_env(tu_env(SHIM, at("good.ini"), extra));
	expect_refused(NULL, 0, "NONO_LOG");
	cr_assert(strstr(proc.err, "trace"),
		  "the message does not name the value: '%s'", proc.err);
}
