// SPDX-License-Identifier: Apache-2.0
/*
 * The carve-out walk (core/carveout.c) without the kernel: its ops take a
 * recording fake for add_rule, so each test checks the exact list of rules
 * a carve-out makes, and what it reports as inexact, on a real tree of
 * files. test_deny_live.c has the kernel's side of the same cases.
 *
 * The tree each test starts with, under a fresh canonical directory T:
 *   T/g/way/d/s    a denied directory d with a file s
 *   T/g/way/x      a sibling of d
 *   T/g/y/         a sibling of the way, a directory
 *   T/g/z          a sibling of the way, a file
 *   T/out/         outside the grant of T/g
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carveout.h"
#include "helpers/testutil.h"

#define ALL 0xffu  /* what a grant gives, for these tests */
#define DENY 0xffu /* what a deny withholds */
#define EXEC 0x01u /* what exec_writable = false withholds */
#define MAX_RULES 64

static char *T;

/* A T-relative path, the tree's until teardown. */
#define at(rel) tu_at(rel)

static void setup(void)
{
	T = tu_tree_make();
	tu_mkdir(at("g"));
	tu_mkdir(at("g/way"));
	tu_mkdir(at("g/way/d"));
	tu_mkdir(at("g/y"));
	tu_mkdir(at("out"));
	tu_write_file(at("g/way/d/s"), "secret\n");
	tu_write_file(at("g/way/x"), "x\n");
	tu_write_file(at("g/z"), "z\n");
}

static void teardown(void)
{
	tu_tree_remove();
}

TestSuite(carve, .init = setup, .fini = teardown);

/* The fake backend: each rule as "PATH d|f ACCESS", T spelled "T". */
struct recorder {
	char *rule[MAX_RULES];
	size_t n;
};

static int record_rule(void *ctx, int fd, bool is_dir, uint64_t access,
		       const char *dir, size_t dir_len, const char *name,
		       nono_diag *diag)
{
	struct recorder *r = ctx;
	char *path = tu_fmt("%.*s%s%s", (int)dir_len, dir, name ? "/" : "",
			    name ? name : "");
	size_t tlen = strlen(T);

	(void)diag;
	cr_assert_geq(fd, 0, "an open descriptor for %s", path);
	cr_assert_lt(r->n, (size_t)MAX_RULES, "room for another rule");
	cr_assert(strncmp(path, T, tlen) == 0, "a rule inside T: %s", path);
	r->rule[r->n++] = tu_fmt("T%s %c %#jx", path + tlen, is_dir ? 'd' : 'f',
				 (uintmax_t)access);
	free(path);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct run {
	int rc;
	bool split[8];
	char inexact[2048];
	nono_diag diag;
};

/* Runs the walk with the fake; checks the sorted rules against `want`
 * (NULL-terminated, sorted). */
static void carve(const struct nono__carve_grant *grants, size_t ngrants,
		  const struct nono__carve_out *outs, size_t nouts,
		  const struct nono__carve_limits *limits,
		  const char *const *want, struct run *run)
{
	struct recorder rec = { .n = 0 };
	const struct nono__carve_ops ops = {
		.add_rule = record_rule,
		.ctx = &rec,
		.limits = limits,
	};
	size_t nwant = 0;

	cr_assert_leq(ngrants, sizeof(run->split), "few enough grants");
	run->inexact[0] = '\0';
	run->rc =
		nono__carve_add(grants, ngrants, outs, nouts, run->split, &ops,
				run->inexact, sizeof(run->inexact), &run->diag);
	cr_assert_eq(run->rc, 0, "the walk succeeds: %s", run->diag.message);
	qsort(rec.rule, rec.n, sizeof(rec.rule[0]), cmp_str);
	while (want[nwant])
		nwant++;
	for (size_t i = 0; i < rec.n || i < nwant; i++)
		cr_expect_str_eq(i < rec.n ? rec.rule[i] : "(none)",
				 i < nwant ? want[i] : "(none)",
				 "rule %zu (inexact: %s)", i, run->inexact);
	for (size_t i = 0; i < rec.n; i++)
		free(rec.rule[i]);
}

/* Checks that the inexact report contains `text` (taken and freed). */
static void expect_inexact(const struct run *run, char *text)
{
	cr_expect(strstr(run->inexact, text) != NULL, "inexact says \"%s\": %s",
		  text, run->inexact);
	free(text);
}

/* Grant T/g, deny T/g/way/d: the plain case. */
#define GRANT_G                                                   \
	{                                                         \
		.path = at("g"), .is_file = false, .access = ALL, \
	}
#define DENY_D                                                               \
	{                                                                    \
		.path = at("g/way/d"), .withheld = DENY, .whole_tree = true, \
	}

static const char *const plain_rules[] = {
	"T/g/way/x f 0xff",
	"T/g/y d 0xff",
	"T/g/z f 0xff",
	NULL,
};

Test(carve, deny_of_a_directory_rules)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	carve(grants, 1, outs, 1, NULL, plain_rules, &run);
	cr_expect(run.split[0], "the grant is split");
	cr_expect_str_eq(run.inexact, "", "exact");
}

Test(carve, hard_links_all_inside_the_denied_tree_are_exact)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	tu_mkdir(at("g/way/d/sub"));
	cr_assert_eq(link(at("g/way/d/s"), at("g/way/d/sub/s2")), 0, "link");
	carve(grants, 1, outs, 1, NULL, plain_rules, &run);
	cr_expect_str_eq(run.inexact, "", "every name is denied: exact");
}

Test(carve, hard_link_beside_the_way_is_left_out_and_reported)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	cr_assert_eq(link(at("g/way/d/s"), at("g/alias")), 0, "link");
	/* T/g/alias is an entry of a directory on the way: its rule would
	 * be the denied file's, so there is none. */
	carve(grants, 1, outs, 1, NULL, plain_rules, &run);
	expect_inexact(&run, tu_fmt("%s has 2 hard links, not all beneath %s",
				    at("g/way/d/s"), at("g/way/d")));
	expect_inexact(&run, tu_fmt("%s is the same file as an entry beneath "
				    "%s, which is taken out",
				    at("g/alias"), at("g/way/d")));
}

Test(carve, hard_link_deeper_in_a_sibling_is_reported)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	cr_assert_eq(link(at("g/way/d/s"), at("g/y/alias")), 0, "link");
	/* T/g/y's rule reaches its alias, and only a scan of T/g/y could
	 * find it: the rules stay, the deny is reported inexact. */
	carve(grants, 1, outs, 1, NULL, plain_rules, &run);
	expect_inexact(&run, tu_fmt("%s has 2 hard links", at("g/way/d/s")));
}

Test(carve, hard_link_outside_every_grant_is_reported_too)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	/* Where the other name is cannot be known without a scan of the
	 * file system, so it is reported wherever it is. */
	cr_assert_eq(link(at("g/way/d/s"), at("out/alias")), 0, "link");
	carve(grants, 1, outs, 1, NULL, plain_rules, &run);
	expect_inexact(&run, tu_fmt("%s has 2 hard links", at("g/way/d/s")));
}

Test(carve, a_grant_that_is_another_name_of_a_denied_file_is_not_added)
{
	const struct nono__carve_grant grants[] = {
		GRANT_G,
		{ .path = at("out/alias"), .is_file = true, .access = ALL },
	};
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	cr_assert_eq(link(at("g/way/d/s"), at("out/alias")), 0, "link");
	carve(grants, 2, outs, 1, NULL, plain_rules, &run);
	cr_expect(run.split[1], "the caller is told not to add the grant");
	expect_inexact(&run, tu_fmt("%s is the same file as an entry beneath",
				    at("out/alias")));
}

Test(carve, a_grant_beneath_the_deny_stands_and_is_not_checked)
{
	const struct nono__carve_grant grants[] = {
		GRANT_G,
		{ .path = at("g/way/d/s"), .is_file = true, .access = ALL },
	};
	const struct nono__carve_out outs[] = { DENY_D };
	struct run run;

	carve(grants, 2, outs, 1, NULL, plain_rules, &run);
	cr_expect_not(run.split[1], "the carve-in is the caller's to add");
	cr_expect_str_eq(run.inexact, "", "exact");
}

Test(carve, more_entries_than_the_cap_is_inexact)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	const struct nono__carve_limits limits = { .max_entries = 3,
						   .max_depth = 8 };
	struct run run;

	for (int i = 0; i < 4; i++) {
		char *rel = tu_fmt("g/way/d/f%d", i);

		tu_write_file(at(rel), "f\n");
		free(rel);
	}
	carve(grants, 1, outs, 1, &limits, plain_rules, &run);
	expect_inexact(&run, tu_fmt("%s cannot be checked whole for other "
				    "names of what is in it (hard links, bind "
				    "mounts): more than 3 entries",
				    at("g/way/d")));
}

Test(carve, deeper_than_the_cap_is_inexact)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = { DENY_D };
	const struct nono__carve_limits limits = { .max_entries = 100,
						   .max_depth = 2 };
	struct run run;

	tu_mkdir(at("g/way/d/1"));
	carve(grants, 1, outs, 1, &limits, plain_rules, &run);
	cr_expect_str_eq(run.inexact, "", "two levels are within the cap");
	tu_mkdir(at("g/way/d/1/2"));
	carve(grants, 1, outs, 1, &limits, plain_rules, &run);
	expect_inexact(&run, tu_fmt("%s is more than 2 levels deep",
				    at("g/way/d/1/2")));
}

/* What exec_writable = false takes out is not walked (docs/deny.md). */
Test(carve, a_carve_out_that_is_not_whole_tree_is_not_walked)
{
	const struct nono__carve_grant grants[] = { GRANT_G };
	const struct nono__carve_out outs[] = {
		{ .path = at("g/way/d"), .withheld = EXEC },
	};
	static const char *const want[] = {
		"T/g d 0xfe",
		"T/g/way d 0xfe",
		"T/g/way/d d 0xfe",
		"T/g/way/x f 0xff",
		"T/g/y d 0xff",
		"T/g/z f 0xff",
		NULL,
	};
	struct run run;

	cr_assert_eq(link(at("g/way/d/s"), at("g/y/alias")), 0, "link");
	carve(grants, 1, outs, 1, NULL, want, &run);
	cr_expect_str_eq(run.inexact, "", "not walked, nothing reported");
}

Test(carve, a_deny_outside_every_grant_walks_nothing)
{
	const struct nono__carve_grant grants[] = {
		{ .path = at("out"), .is_file = false, .access = ALL },
	};
	const struct nono__carve_out outs[] = { DENY_D };
	static const char *const none[] = { NULL };
	struct run run;

	cr_assert_eq(link(at("g/way/d/s"), at("out/alias")), 0, "link");
	carve(grants, 1, outs, 1, NULL, none, &run);
	cr_expect_not(run.split[0], "nothing split");
	cr_expect_str_eq(run.inexact, "", "nothing walked");
}
