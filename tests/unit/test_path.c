// SPDX-License-Identifier: Apache-2.0
/*
 * The path helpers of core/ (caps-internal.h): strict and lenient
 * canonicalisation, and the component-wise prefix test every coverage
 * question rests on.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "caps-internal.h"
#include "testutil.h"

/* A canonical temporary root holding d/sub/ and f.txt, and the links
 * ld -> d and lf -> f.txt. */
static char *root;

static void setup(void)
{
	char *tmp = tu_tmpdir();

	root = realpath(tmp, NULL);
	cr_assert_not_null(root, "realpath of the temporary directory");
	free(tmp);
	char *p = tu_fmt("%s/d", root);
	tu_mkdir(p);
	free(p);
	p = tu_fmt("%s/d/sub", root);
	tu_mkdir(p);
	free(p);
	p = tu_fmt("%s/f.txt", root);
	tu_write_file(p, "x");
	free(p);
	p = tu_fmt("%s/ld", root);
	cr_assert_eq(symlink("d", p), 0, "symlink ld");
	free(p);
	p = tu_fmt("%s/lf", root);
	cr_assert_eq(symlink("f.txt", p), 0, "symlink lf");
	free(p);
}

static void teardown(void)
{
	tu_rm_rf(root);
	free(root);
}

TestSuite(path, .init = setup, .fini = teardown);

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", root, rel);
}

/* Canonicalises root/rel and expects root/want (or "want" as it is when
 * it starts with '/'). */
static void expect_canon(bool lenient, const char *rel, const char *want)
{
	char *in = rel[0] == '/' ? strdup(rel) : at(rel);
	char *exp = want[0] == '/' ? strdup(want) : at(want);
	char *out = NULL;
	int rc = lenient ? nono__path_canonical_lenient(in, &out)
			 : nono__path_canonical(in, &out);

	cr_assert_eq(rc, 0, "%s(%s): %d", lenient ? "lenient" : "canonical", in,
		     rc);
	cr_assert_str_eq(out, exp, "%s(%s)", lenient ? "lenient" : "canonical",
			 in);
	free(out);
	free(in);
	free(exp);
}

Test(path, canonical_resolves_existing_paths)
{
	expect_canon(false, "d", "d");
	expect_canon(false, "d/", "d");
	expect_canon(false, "d/./sub/..", "d");
	expect_canon(false, "ld/sub", "d/sub");
	expect_canon(false, "lf", "f.txt");
	expect_canon(false, "/", "/");
	expect_canon(false, "//", "/");
}

Test(path, canonical_relative_to_cwd)
{
	char *d = at("d");
	char *out = NULL;

	cr_assert_eq(chdir(d), 0, "chdir");
	cr_assert_eq(nono__path_canonical("sub", &out), 0, "relative");
	char *want = at("d/sub");
	cr_assert_str_eq(out, want, "sub against the cwd");
	free(out);
	cr_assert_eq(nono__path_canonical("..", &out), 0, "..");
	cr_assert_str_eq(out, root, ".. against the cwd");
	free(out);
	free(want);
	free(d);
}

Test(path, canonical_errors)
{
	char *out = (char *)"untouched";
	char *missing = at("missing");
	char *under_file = at("f.txt/x");
	char *a = at("loop-a");
	char *b = at("loop-b");

	cr_assert_eq(nono__path_canonical(NULL, &out), NONO_EINVAL, "NULL");
	cr_assert_eq(nono__path_canonical("", &out), NONO_EINVAL, "empty");
	cr_assert_eq(nono__path_canonical("/", NULL), NONO_EINVAL, "NULL out");
	cr_assert_eq(nono__path_canonical(missing, &out), NONO_ENOENT,
		     "missing");
	cr_assert_eq(nono__path_canonical(under_file, &out), NONO_ENOENT,
		     "a name under a file");
	cr_assert_eq(symlink(a, b), 0, "symlink");
	cr_assert_eq(symlink(b, a), 0, "symlink");
	cr_assert_eq(nono__path_canonical(a, &out), NONO_ECANON, "a loop");
	free(missing);
	free(under_file);
	free(a);
	free(b);
}

Test(path, lenient_keeps_a_missing_tail)
{
	expect_canon(true, "d", "d");
	expect_canon(true, "missing", "missing");
	expect_canon(true, "missing/deeper/x", "missing/deeper/x");
	expect_canon(true, "ld/missing", "d/missing");
	expect_canon(true, "d/missing/../sub", "d/sub");
	expect_canon(true, "d/missing/./x/", "d/missing/x");
	expect_canon(true, "d/missing/../../x", "x");
	expect_canon(true, "/no/such/../../../../x", "/x");
	expect_canon(true, "/", "/");
	expect_canon(true, "/..", "/");
	/* Beneath a file nothing exists; the name is kept as written. */
	expect_canon(true, "f.txt/x", "f.txt/x");
}

Test(path, lenient_relative_to_cwd)
{
	char *d = at("d");
	char *out = NULL;

	cr_assert_eq(chdir(d), 0, "chdir");
	cr_assert_eq(nono__path_canonical_lenient("new/file", &out), 0,
		     "relative missing path");
	char *want = at("d/new/file");
	cr_assert_str_eq(out, want, "against the cwd");
	free(out);
	free(want);
	free(d);
}

Test(path, lenient_errors)
{
	char *out = NULL;
	char *longp = malloc(PATH_MAX + 2);

	cr_assert_eq(nono__path_canonical_lenient(NULL, &out), NONO_EINVAL,
		     "NULL");
	cr_assert_eq(nono__path_canonical_lenient("", &out), NONO_EINVAL,
		     "empty");
	cr_assert_eq(nono__path_canonical_lenient("/", NULL), NONO_EINVAL,
		     "NULL out");
	longp[0] = '/';
	memset(longp + 1, 'a', PATH_MAX);
	longp[PATH_MAX + 1] = '\0';
	cr_assert_eq(nono__path_canonical_lenient(longp, &out), NONO_EINVAL,
		     "longer than PATH_MAX");
	free(longp);
}

Test(path, is_beneath_is_component_wise)
{
	static const struct {
		const char *path, *dir;
		bool want;
	} cases[] = {
		{ "/tmp", "/tmp", true },     { "/tmp/a", "/tmp", true },
		{ "/tmp/a/b", "/tmp", true }, { "/tmpx", "/tmp", false },
		{ "/tm", "/tmp", false },     { "/tmp", "/tmp/a", false },
		{ "/", "/", true },	      { "/anything/at/all", "/", true },
		{ "relative", "/", false },   { "/a/b", "/a/b/c", false },
		{ "/ab/c", "/a", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert_eq(nono__path_is_beneath(cases[i].path, cases[i].dir),
			     cases[i].want, "is_beneath(%s, %s)", cases[i].path,
			     cases[i].dir);
	cr_assert_eq(nono__path_is_beneath(NULL, "/"), false, "NULL path");
	cr_assert_eq(nono__path_is_beneath("/", NULL), false, "NULL dir");
}
