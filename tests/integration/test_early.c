// SPDX-License-Identifier: Apache-2.0
/*
 * Early mode: the shim as an auditor (LD_AUDIT), in force before any code
 * of the program runs, the constructors of its shared libraries included.
 *
 * ctor_prog is linked against ctor_lib, whose constructor tries to write
 * the file named by NONO_TEST_CTOR_FILE; main() prints how that went. The
 * policy grants read access to the build tree (where the program, its
 * library and the shim live) and nothing under the test directory T.
 *
 * The rest of the shim's suite runs in early mode too: the 'shim_early'
 * test in tests/meson.build.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/testutil.h"

#define SHIM NONO_SHIM_PATH
#define CTOR_PROG NONO_CTOR_PROG_PATH
#define PROBE NONO_PROBE_PATH

static char *T;
static char *policy_path;
static char *ctor_file;
static struct tu_proc proc;

static void setup(void)
{
	T = tu_tmpdir();
	policy_path = tu_fmt("%s/policy.ini", T);
	ctor_file = tu_fmt("%s/written-by-a-constructor", T);
	tu_write_file(policy_path, tu_fmt("[policy]\ninclude = system\n"
					  "[filesystem]\nread = %s\n",
					  NONO_BUILD_ROOT));
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(early, .init = setup, .fini = teardown);

/* Runs argv with NONO_POLICY, NONO_TEST_CTOR_FILE and the given loader
 * variables (NULL-terminated "NAME=value" list). */
static int run(const char *const loader[], const char *const argv[])
{
	const char *extra[8] = { 0 };
	size_t n = 0;

	extra[n++] = tu_fmt("NONO_POLICY=%s", policy_path);
	extra[n++] = tu_fmt("NONO_TEST_CTOR_FILE=%s", ctor_file);
	for (size_t i = 0; loader[i] && n < 7; i++)
		extra[n++] = loader[i];
	return tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra),
			30);
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;

	for (const char *p = haystack; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

Test(early, preload_mode_lets_library_constructors_run_first)
{
	/* The gap early mode closes, documented in the README: under
	 * LD_PRELOAD alone, glibc runs the program's own libraries'
	 * constructors before the shim's. */
	const char *loader[] = { tu_fmt("LD_PRELOAD=%s", SHIM), NULL };
	const char *argv[] = { CTOR_PROG, NULL };

	run(loader, argv);
	cr_assert_eq(proc.status, 0, "status %d, stderr '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: ok\n",
			 "the constructor ran unconfined: '%s'", proc.out);
	cr_assert(tu_exists(ctor_file), "the constructor's file is there");
}

Test(early, audit_mode_confines_library_constructors)
{
	const char *loader[] = { tu_fmt("LD_AUDIT=%s", SHIM), NULL };
	const char *argv[] = { CTOR_PROG, NULL };

	run(loader, argv);
	cr_assert_eq(proc.status, 0, "main still runs: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: EACCES\n",
			 "the constructor was confined: '%s'", proc.out);
	cr_assert(!tu_exists(ctor_file), "the constructor wrote its file");
	cr_assert_str_empty(proc.err, "silent on success: '%s'", proc.err);
}

Test(early, audit_and_preload_apply_once)
{
	const char *loader[] = { tu_fmt("LD_AUDIT=%s", SHIM),
				 tu_fmt("LD_PRELOAD=%s", SHIM), "NONO_LOG=info",
				 NULL };
	const char *argv[] = { CTOR_PROG, NULL };

	run(loader, argv);
	cr_assert_eq(proc.status, 0, "status %d, stderr '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "main ran, constructor write: EACCES\n",
			 "the constructor was confined: '%s'", proc.out);
	cr_assert_eq(count(proc.err, "sandbox applied"), 1,
		     "applied once, by the auditor: '%s'", proc.err);
}

Test(early, audit_and_preload_children_add_no_layer)
{
	/* The preloaded copy sets the marker the auditor cannot (it has
	 * its own environment), so a 20-deep chain of execs works. */
	const char *loader[] = { tu_fmt("LD_AUDIT=%s", SHIM),
				 tu_fmt("LD_PRELOAD=%s", SHIM), NULL };
	char *file = tu_fmt("%s/tests/helpers/probe", NONO_BUILD_ROOT);
	const char *argv[] = { PROBE, "chain", "20", file, NULL };

	run(loader, argv);
	cr_assert_eq(proc.status, 0, "chain of 20: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "chain of 20: '%s'", proc.out);

	argv[3] = ctor_file;
	tu_write_file(ctor_file, "outside\n");
	run(loader, argv);
	cr_assert_str_eq(proc.out, "EACCES\n",
			 "still confined at the end of the chain: '%s'",
			 proc.out);
}

Test(early, audit_mode_alone_stacks_a_layer_per_exec)
{
	/* Under LD_AUDIT alone the marker cannot reach the program's
	 * environment, so every child loads and applies the policy again:
	 * the policy must let it be read, and past the kernel's 16 nested
	 * layers the chain fails closed, saying what to do. */
	const char *loader[] = { tu_fmt("LD_AUDIT=%s", SHIM), NULL };
	char *file = tu_fmt("%s/tests/helpers/probe", NONO_BUILD_ROOT);
	const char *argv[] = { PROBE, "chain", "8", file, NULL };

	tu_write_file(policy_path,
		      tu_fmt("[policy]\ninclude = system\n"
			     "[filesystem]\nread = %s\nread_file = %s\n",
			     NONO_BUILD_ROOT, policy_path));
	run(loader, argv);
	cr_assert_eq(proc.status, 0, "chain of 8: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "chain of 8: '%s'", proc.out);

	argv[2] = "20";
	run(loader, argv);
	cr_assert_eq(proc.status, 126, "chain of 20: status %d", proc.status);
	cr_assert(strstr(proc.err, "too many nested sandboxes") &&
			  strstr(proc.err, "LD_PRELOAD"),
		  "the message says what to do: '%s'", proc.err);
}

Test(early, audit_mode_bad_policy_fails_closed)
{
	const char *loader[] = { tu_fmt("LD_AUDIT=%s", SHIM), NULL };
	const char *argv[] = { CTOR_PROG, NULL };

	tu_write_file(policy_path, "[filesystem]\nraed = /tmp\n");
	run(loader, argv);
	cr_assert_eq(proc.status, 126, "status %d", proc.status);
	cr_assert_str_empty(proc.out, "nothing of the program ran: '%s'",
			    proc.out);
	cr_assert(!tu_exists(ctor_file), "no constructor ran");
	cr_assert(strncmp(proc.err, tu_fmt("nono: %s:2: ", policy_path),
			  strlen(policy_path) + 9) == 0,
		  "one line naming file and line: '%s'", proc.err);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1, "one line: '%s'",
		     proc.err);
}

Test(early, audit_mode_without_a_policy_fails_closed)
{
	const char *argv[] = { CTOR_PROG, NULL };
	const char *extra[] = { tu_fmt("LD_AUDIT=%s", SHIM), NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra), 30);
	cr_assert_eq(proc.status, 126, "status %d", proc.status);
	cr_assert_str_eq(proc.err, "nono: NONO_POLICY is not set\n",
			 "the message: '%s'", proc.err);
	cr_assert_str_empty(proc.out, "the program did not run");
}
