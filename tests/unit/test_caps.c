// SPDX-License-Identifier: Apache-2.0
/*
 * Capability sets (nono's CapabilitySet): grants and their errors,
 * symlinks and relative paths, commands, deduplication, coverage, the
 * summary text and deep copies. Paths live in a fresh temporary tree.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "libnono.h"
#include "testutil.h"

/* A canonical temporary root holding d/, d/sub/, dx/ and f.txt. */
static char *root;

static void setup(void)
{
	char *tmp = tu_tmpdir();

	root = realpath(tmp, NULL);
	cr_assert_not_null(root, "realpath of the temporary directory");
	free(tmp);
	const char *dirs[] = { "d", "d/sub", "dx" };
	for (size_t i = 0; i < 3; i++) {
		char *p = tu_fmt("%s/%s", root, dirs[i]);
		tu_mkdir(p);
		free(p);
	}
	char *p = tu_fmt("%s/f.txt", root);
	tu_write_file(p, "x");
	free(p);
}

static void teardown(void)
{
	tu_rm_rf(root);
	free(root);
}

TestSuite(caps, .init = setup, .fini = teardown);

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", root, rel);
}

static nono_caps *new_caps(void)
{
	nono_caps *caps = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_not_null(caps, "nono_caps_new gives a set");
	return caps;
}

static nono_fs_cap get(const nono_caps *caps, size_t i)
{
	nono_fs_cap c;

	cr_assert_eq(nono_caps_fs_at(caps, i, &c), 0, "fs_get %zu", i);
	return c;
}

Test(caps, new_set_is_empty_with_network_allowed)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_fs_count(caps), 0, "no fs entries");
	cr_assert_eq(nono_caps_is_network_blocked(caps), false,
		     "network allowed");
	cr_assert_eq(nono_caps_allowed_command_count(caps), 0, "no allowed");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 0, "no blocked");
	cr_assert_eq(nono_caps_platform_rule_count(caps), 0, "no rules");
	cr_assert_eq(nono_caps_new(NULL), NONO_EINVAL, "new(NULL)");
	nono_caps_free(caps);
	nono_caps_free(NULL);
}

Test(caps, allow_path_keeps_original_and_resolved)
{
	nono_caps *caps = new_caps();
	char *d = at("d/sub/..");
	char *want = at("d");

	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ_WRITE), 0,
		     "allow_path");
	cr_assert_eq(nono_caps_fs_count(caps), 1, "one entry");
	nono_fs_cap c = get(caps, 0);
	cr_assert_str_eq(c.original, d, "the caller's spelling is kept");
	cr_assert_str_eq(c.resolved, want, "the path is canonicalised");
	cr_assert_eq(c.access, NONO_ACCESS_READ_WRITE, "access");
	cr_assert_eq(c.is_file, false, "a directory grant");
	free(d);
	free(want);
	nono_caps_free(caps);
}

Test(caps, input_strings_are_copied)
{
	nono_caps *caps = new_caps();
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/d", root);
	cr_assert_eq(nono_caps_allow_path(caps, buf, NONO_ACCESS_READ), 0,
		     "allow_path");
	char *want = strdup(buf);
	memset(buf, 'x', strlen(buf));
	cr_assert_str_eq(get(caps, 0).original, want,
			 "the set keeps its own copy of the path");
	free(want);
	nono_caps_free(caps);
}

Test(caps, allow_file)
{
	nono_caps *caps = new_caps();
	char *f = at("f.txt");

	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_READ), 0,
		     "allow_file on a regular file");
	cr_assert_eq(nono_caps_allow_file(caps, "/dev/null", NONO_ACCESS_WRITE),
		     0, "allow_file on a device (any non-directory)");
	nono_fs_cap c = get(caps, 0);
	cr_assert_str_eq(c.resolved, f, "resolved");
	cr_assert_eq(c.is_file, true, "a file grant");
	cr_assert_eq(get(caps, 1).access, NONO_ACCESS_WRITE, "access");
	free(f);
	nono_caps_free(caps);
}

Test(caps, grant_errors)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *f = at("f.txt");
	char *missing = at("missing");
	char *under_file = at("f.txt/x");

	cr_assert_eq(nono_caps_allow_path(NULL, d, NONO_ACCESS_READ),
		     NONO_EINVAL, "NULL set");
	cr_assert_eq(nono_caps_allow_path(caps, NULL, NONO_ACCESS_READ),
		     NONO_EINVAL, "NULL path");
	cr_assert_eq(nono_caps_allow_path(caps, "", NONO_ACCESS_READ),
		     NONO_EINVAL, "empty path");
	cr_assert_eq(nono_caps_allow_path(caps, d, (nono_access)0), NONO_EINVAL,
		     "mode 0");
	cr_assert_eq(nono_caps_allow_path(caps, d, (nono_access)4), NONO_EINVAL,
		     "mode 4");
	cr_assert_eq(nono_caps_allow_file(NULL, f, NONO_ACCESS_READ),
		     NONO_EINVAL, "allow_file: NULL set");
	cr_assert_eq(nono_caps_allow_file(caps, NULL, NONO_ACCESS_READ),
		     NONO_EINVAL, "allow_file: NULL path");
	cr_assert_eq(nono_caps_allow_file(caps, f, (nono_access)7), NONO_EINVAL,
		     "allow_file: bad mode");
	cr_assert_eq(nono_caps_allow_path(caps, missing, NONO_ACCESS_READ),
		     NONO_ENOENT, "a missing directory");
	cr_assert_eq(nono_caps_allow_file(caps, missing, NONO_ACCESS_READ),
		     NONO_ENOENT, "a missing file");
	cr_assert_eq(nono_caps_allow_path(caps, under_file, NONO_ACCESS_READ),
		     NONO_ENOENT, "a name under a file does not exist");
	cr_assert_eq(nono_caps_allow_path(caps, f, NONO_ACCESS_READ),
		     NONO_ENOTDIR, "a file given to allow_path");
	cr_assert_eq(nono_caps_allow_file(caps, d, NONO_ACCESS_READ),
		     NONO_EISDIR, "a directory given to allow_file");
	cr_assert_eq(nono_caps_fs_count(caps), 0,
		     "failed grants leave the set unchanged");
	free(d);
	free(f);
	free(missing);
	free(under_file);
	nono_caps_free(caps);
}

Test(caps, unresolvable_paths_are_ecanon)
{
	nono_caps *caps = new_caps();
	char *a = at("loop-a");
	char *b = at("loop-b");
	char *longname = malloc(NAME_MAX + 2);

	cr_assert_eq(symlink(a, b), 0, "symlink b -> a");
	cr_assert_eq(symlink(b, a), 0, "symlink a -> b");
	cr_assert_eq(nono_caps_allow_path(caps, a, NONO_ACCESS_READ),
		     NONO_ECANON, "a symlink loop cannot be resolved");
	memset(longname, 'n', NAME_MAX + 1);
	longname[NAME_MAX + 1] = '\0';
	char *p = tu_fmt("%s/%s", root, longname);
	cr_assert_eq(nono_caps_allow_path(caps, p, NONO_ACCESS_READ),
		     NONO_ECANON, "a name longer than NAME_MAX");
	cr_assert_eq(nono_caps_fs_count(caps), 0, "nothing added");
	free(p);
	free(longname);
	free(a);
	free(b);
	nono_caps_free(caps);
}

Test(caps, symlinks_are_followed_and_original_kept)
{
	nono_caps *caps = new_caps();
	char *target = at("d/sub");
	char *link = at("link");
	char *flink = at("flink");
	char *f = at("f.txt");

	cr_assert_eq(symlink(target, link), 0, "symlink to a directory");
	cr_assert_eq(symlink("f.txt", flink), 0, "relative symlink to a file");
	cr_assert_eq(nono_caps_allow_path(caps, link, NONO_ACCESS_READ), 0,
		     "allow_path through a symlink");
	cr_assert_eq(nono_caps_allow_file(caps, flink, NONO_ACCESS_READ), 0,
		     "allow_file through a symlink");
	cr_assert_eq(nono_caps_allow_file(caps, link, NONO_ACCESS_READ),
		     NONO_EISDIR, "a symlink to a directory is a directory");
	nono_fs_cap c = get(caps, 0);
	cr_assert_str_eq(c.original, link, "original is the link");
	cr_assert_str_eq(c.resolved, target, "resolved is the target");
	c = get(caps, 1);
	cr_assert_str_eq(c.original, flink, "original is the file link");
	cr_assert_str_eq(c.resolved, f, "resolved is the file");
	free(target);
	free(link);
	free(flink);
	free(f);
	nono_caps_free(caps);
}

Test(caps, relative_paths_use_the_working_directory)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *sub = at("d/sub");
	char *dx = at("dx");

	cr_assert_eq(chdir(d), 0, "chdir");
	cr_assert_eq(nono_caps_allow_path(caps, "sub", NONO_ACCESS_READ), 0,
		     "relative allow_path");
	cr_assert_eq(nono_caps_allow_path(caps, "../dx", NONO_ACCESS_WRITE), 0,
		     "relative allow_path with ..");
	cr_assert_eq(nono_caps_allow_path(caps, ".", NONO_ACCESS_READ), 0,
		     "allow_path .");
	nono_fs_cap c = get(caps, 0);
	cr_assert_str_eq(c.original, "sub", "original as spelled");
	cr_assert_str_eq(c.resolved, sub, "resolved against the cwd");
	cr_assert_str_eq(get(caps, 1).resolved, dx, "../dx");
	cr_assert_str_eq(get(caps, 2).original, ".", "original .");
	cr_assert_str_eq(get(caps, 2).resolved, d, "resolved .");
	free(d);
	free(sub);
	free(dx);
	nono_caps_free(caps);
}

Test(caps, network)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	cr_assert_eq(nono_caps_is_network_blocked(caps), true, "blocked");
	cr_assert_eq(nono_caps_block_network(caps), 0, "blocking twice");
	cr_assert_eq(nono_caps_is_network_blocked(caps), true, "still blocked");
	cr_assert_eq(nono_caps_block_network(NULL), NONO_EINVAL,
		     "block_network(NULL)");
	cr_assert_eq(nono_caps_is_network_blocked(NULL), false,
		     "is_network_blocked(NULL) is false");
	nono_caps_free(caps);
}

Test(caps, commands)
{
	nono_caps *caps = new_caps();
	char name[8] = "git";

	cr_assert_eq(nono_caps_allow_command(caps, name), 0, "allow git");
	cr_assert_eq(nono_caps_allow_command(caps, "make"), 0, "allow make");
	cr_assert_eq(nono_caps_block_command(caps, "rm"), 0, "block rm");
	strcpy(name, "xxx");
	cr_assert_eq(nono_caps_allowed_command_count(caps), 2, "two allowed");
	cr_assert_str_eq(nono_caps_allowed_command_at(caps, 0), "git",
			 "first allowed, copied");
	cr_assert_str_eq(nono_caps_allowed_command_at(caps, 1), "make",
			 "second allowed, in order");
	cr_assert_null(nono_caps_allowed_command_at(caps, 2), "out of range");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 1, "one blocked");
	cr_assert_str_eq(nono_caps_blocked_command_at(caps, 0), "rm",
			 "blocked");
	cr_assert_null(nono_caps_blocked_command_at(caps, 1), "out of range");

	cr_assert_eq(nono_caps_allow_command(NULL, "a"), NONO_EINVAL,
		     "allow: NULL set");
	cr_assert_eq(nono_caps_allow_command(caps, NULL), NONO_EINVAL,
		     "allow: NULL name");
	cr_assert_eq(nono_caps_block_command(NULL, "a"), NONO_EINVAL,
		     "block: NULL set");
	cr_assert_eq(nono_caps_block_command(caps, NULL), NONO_EINVAL,
		     "block: NULL name");
	cr_assert_eq(nono_caps_allowed_command_count(NULL), 0, "count(NULL)");
	cr_assert_eq(nono_caps_blocked_command_count(NULL), 0, "count(NULL)");
	cr_assert_null(nono_caps_allowed_command_at(NULL, 0), "allowed(NULL)");
	cr_assert_null(nono_caps_blocked_command_at(NULL, 0), "blocked(NULL)");
	nono_caps_free(caps);
}

Test(caps, deduplicate_merges_access)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *d2 = at("d/sub/..");
	char *dx = at("dx");
	char *f = at("f.txt");

	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0, "d");
	cr_assert_eq(nono_caps_allow_path(caps, dx, NONO_ACCESS_READ), 0, "dx");
	cr_assert_eq(nono_caps_allow_path(caps, d2, NONO_ACCESS_WRITE), 0,
		     "d again");
	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_WRITE), 0, "f");
	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_WRITE), 0,
		     "f again");
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate");
	cr_assert_eq(nono_caps_fs_count(caps), 3, "d, dx and f remain");
	nono_fs_cap c = get(caps, 0);
	cr_assert_str_eq(c.original, d, "the first spelling is kept");
	cr_assert_str_eq(c.resolved, d, "resolved");
	cr_assert_eq(c.access, NONO_ACCESS_READ_WRITE,
		     "READ and WRITE merge to READ_WRITE");
	cr_assert_str_eq(get(caps, 1).resolved, dx,
			 "order of first appearance");
	cr_assert_eq(get(caps, 1).access, NONO_ACCESS_READ, "dx unchanged");
	cr_assert_str_eq(get(caps, 2).resolved, f, "the file last");
	cr_assert_eq(get(caps, 2).access, NONO_ACCESS_WRITE, "f access");
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate again");
	cr_assert_eq(nono_caps_fs_count(caps), 3, "idempotent");
	cr_assert_eq(nono_caps_deduplicate(NULL), NONO_EINVAL,
		     "deduplicate(NULL)");
	free(d);
	free(d2);
	free(dx);
	free(f);
	nono_caps_free(caps);
}

Test(caps, deduplicate_keeps_file_and_directory_apart)
{
	nono_caps *caps = new_caps();
	char *p = at("x");

	/* The same name granted as a directory, then (after it was
	 * replaced) as a file: two kinds, two entries. */
	tu_mkdir(p);
	cr_assert_eq(nono_caps_allow_path(caps, p, NONO_ACCESS_READ), 0,
		     "directory");
	cr_assert_eq(rmdir(p), 0, "rmdir");
	tu_write_file(p, "file");
	cr_assert_eq(nono_caps_allow_file(caps, p, NONO_ACCESS_WRITE), 0,
		     "file");
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate");
	cr_assert_eq(nono_caps_fs_count(caps), 2, "both kinds kept");
	cr_assert_eq(get(caps, 0).is_file, false, "the directory first");
	cr_assert_eq(get(caps, 0).access, NONO_ACCESS_READ, "not merged");
	cr_assert_eq(get(caps, 1).is_file, true, "then the file");
	free(p);
	nono_caps_free(caps);
}

/* The line round `r` (0..2) grants m<i> on. */
static unsigned dedup_line(unsigned r, unsigned i)
{
	return r * 100 + i + 1;
}

Test(caps, deduplicate_merges_out_of_order)
{
	/* More entries than deduplicate keeps hashes for on its stack, each
	 * first granted in a scrambled order, then some again in two other
	 * orders, with other spellings and from other lines. */
	enum { N = 100 };
	nono_caps *caps = new_caps();
	nono_query *q = NULL;
	char *dirs[N];

	for (unsigned i = 0; i < N; i++) {
		char *rel = tu_fmt("m%u", i);

		dirs[i] = at(rel);
		tu_mkdir(dirs[i]);
		free(rel);
	}
	for (unsigned r = 0; r < 3; r++) {
		for (unsigned k = 0; k < N; k++) {
			unsigned i = r == 0   ? k * 7 % N
				     : r == 1 ? N - 1 - k
					      : k * 37 % N;
			nono_access a =
				r == 1 ? NONO_ACCESS_WRITE : NONO_ACCESS_READ;
			char *p;

			if ((r == 1 && i % 3) || (r == 2 && i % 5))
				continue;
			p = r == 2 ? tu_fmt("%s/.", dirs[i])
				   : tu_fmt("%s", dirs[i]);
			cr_assert_eq(nono_caps_set_origin(caps, "p.ini",
							  dedup_line(r, i)),
				     0, "origin");
			cr_assert_eq(nono_caps_allow_path(caps, p, a), 0, "%s",
				     p);
			free(p);
		}
	}
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate");
	cr_assert_eq(nono_caps_fs_count(caps), N, "one entry per directory");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	for (unsigned k = 0; k < N; k++) {
		unsigned i = k * 7 % N;
		nono_fs_cap c = get(caps, k);
		nono_query_explanation *x = NULL;
		char *p = tu_fmt("%s/x", dirs[i]);

		cr_assert_str_eq(c.original, dirs[i], "entry %u: first seen",
				 k);
		cr_assert_eq(c.access,
			     i % 3 ? NONO_ACCESS_READ : NONO_ACCESS_READ_WRITE,
			     "entry %u: merged access", k);
		if (i % 3 == 0 || i % 5) {
			free(p);
			continue;
		}
		/* Read twice, write never: every line that reads, in the
		 * order given. */
		cr_assert_eq(
			nono_query_path_explain(q, p, NONO_ACCESS_WRITE, &x), 0,
			"explain");
		cr_assert_eq(x->grant_count, 2, "m%u: both lines", i);
		cr_assert_eq(x->grants[0].origin_line, dedup_line(0, i),
			     "m%u: the first line first", i);
		cr_assert_eq(x->grants[1].origin_line, dedup_line(2, i),
			     "m%u: then the other", i);
		cr_assert_str_eq(x->grants[0].original, dirs[i], "spelling");
		cr_assert(strcmp(x->grants[1].original, dirs[i]) != 0,
			  "m%u: the other line's own spelling", i);
		nono_query_explanation_free(x);
		free(p);
	}
	nono_query_free(q);
	for (unsigned i = 0; i < N; i++)
		free(dirs[i]);
	nono_caps_free(caps);
}

Test(caps, path_covered_is_component_wise)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *f = at("f.txt");
	struct {
		const char *rel;
		int want;
	} cases[] = {
		{ "d", 1 },	{ "d/sub", 1 }, { "d/missing/x", 1 },
		{ "dx", 0 },	{ "dx/d", 0 },	{ "d/../dx", 0 },
		{ "f.txt", 0 }, { "", 0 },	{ "d/./sub/../", 1 },
	};

	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0,
		     "allow d");
	/* A file grant covers nothing for path_covered. */
	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_READ), 0,
		     "allow f.txt");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = at(cases[i].rel);

		cr_assert_eq(nono_caps_path_covered(caps, p), cases[i].want,
			     "path_covered(%s)", p);
		free(p);
	}
	cr_assert_eq(nono_caps_path_covered(NULL, d), NONO_EINVAL,
		     "path_covered(NULL, ...)");
	cr_assert_eq(nono_caps_path_covered(caps, NULL), NONO_EINVAL,
		     "path_covered(..., NULL)");
	cr_assert_eq(nono_caps_path_covered(caps, ""), NONO_EINVAL,
		     "path_covered(..., \"\")");
	free(d);
	free(f);
	nono_caps_free(caps);
}

Test(caps, path_covered_follows_symlinks)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *link = at("link");

	cr_assert_eq(symlink(d, link), 0, "symlink");
	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0,
		     "allow d");
	char *through = at("link/sub");
	cr_assert_eq(nono_caps_path_covered(caps, through), 1,
		     "a path through a symlink into the grant");
	free(through);
	free(d);
	free(link);
	nono_caps_free(caps);
}

Test(caps, fs_get_bounds)
{
	nono_caps *caps = new_caps();
	nono_fs_cap c;
	char *d = at("d");

	cr_assert_eq(nono_caps_fs_at(caps, 0, &c), NONO_EINVAL,
		     "index 0 of an empty set");
	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0,
		     "allow d");
	cr_assert_eq(nono_caps_fs_at(caps, 1, &c), NONO_EINVAL,
		     "index past the end");
	cr_assert_eq(nono_caps_fs_at(caps, 0, NULL), NONO_EINVAL, "NULL out");
	cr_assert_eq(nono_caps_fs_at(NULL, 0, &c), NONO_EINVAL, "NULL set");
	cr_assert_eq(nono_caps_fs_count(NULL), 0, "fs_count(NULL)");
	free(d);
	nono_caps_free(caps);
}

Test(caps, summary_text)
{
	nono_caps *caps = new_caps();
	char *d = at("d");
	char *f = at("f.txt");

	/*
	 * The layout libnono.h documents: a "Filesystem:" header (kept even
	 * with no grants), one line per grant, the network, and a newline
	 * after every line. nono's own summary differs in two details: no
	 * header without grants, and no newline after the last line.
	 */
	char *s = nono_caps_summary(caps);
	cr_assert_str_eq(s, "Filesystem:\nNetwork:\n  outbound: allowed\n",
			 "summary of an empty set");
	nono_free(s);

	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ_WRITE), 0,
		     "allow d");
	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_READ), 0,
		     "allow f");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	s = nono_caps_summary(caps);
	char *want = tu_fmt("Filesystem:\n"
			    "  %s [read+write] (dir)\n"
			    "  %s [read] (file)\n"
			    "Network:\n"
			    "  outbound: blocked\n",
			    d, f);
	cr_assert_str_eq(s, want, "summary with grants");
	nono_free(s);
	free(want);
	cr_assert_null(nono_caps_summary(NULL), "summary(NULL)");
	free(d);
	free(f);
	nono_caps_free(caps);
}

Test(caps, clone_is_independent)
{
	nono_caps *caps = new_caps();
	nono_caps *copy = NULL;
	char *d = at("d");
	char *dx = at("dx");

	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0,
		     "allow d");
	cr_assert_eq(nono_caps_allow_command(caps, "git"), 0, "allow git");
	cr_assert_eq(nono_caps_block_command(caps, "rm"), 0, "block rm");
	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "clone");
	cr_assert_neq(copy, caps, "a new set");

	/* Changes to the original do not show in the copy... */
	cr_assert_eq(nono_caps_allow_path(caps, dx, NONO_ACCESS_WRITE), 0,
		     "allow dx on the original");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block the original");
	cr_assert_eq(nono_caps_allow_command(caps, "make"), 0, "allow make");
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate");
	cr_assert_eq(nono_caps_fs_count(copy), 1, "copy keeps one entry");
	cr_assert_eq(nono_caps_is_network_blocked(copy), false,
		     "copy keeps the network allowed");
	cr_assert_eq(nono_caps_allowed_command_count(copy), 1,
		     "copy keeps one allowed command");
	/* ...and its strings outlive the original. */
	nono_caps_free(caps);
	nono_fs_cap c = get(copy, 0);
	cr_assert_str_eq(c.original, d, "copied original");
	cr_assert_str_eq(c.resolved, d, "copied resolved");
	cr_assert_str_eq(nono_caps_allowed_command_at(copy, 0), "git",
			 "copied command");
	cr_assert_str_eq(nono_caps_blocked_command_at(copy, 0), "rm",
			 "copied blocked command");

	/* Changes to the copy do not reach a second copy either. */
	nono_caps *copy2 = NULL;
	cr_assert_eq(nono_caps_clone(copy, &copy2), 0, "clone the clone");
	cr_assert_eq(nono_caps_block_network(copy), 0, "block the copy");
	cr_assert_eq(nono_caps_is_network_blocked(copy2), false,
		     "second copy unaffected");

	cr_assert_eq(nono_caps_clone(NULL, &copy2), NONO_EINVAL, "clone(NULL)");
	cr_assert_eq(nono_caps_clone(copy, NULL), NONO_EINVAL,
		     "clone with NULL out");
	nono_caps_free(copy);
	nono_caps_free(copy2);
	free(d);
	free(dx);
}

Test(caps, tcp_port_exceptions)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 0,
		     "no connect ports at first");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "connect 443");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 80), 0, "connect 80");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0,
		     "connect 443 again");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 65535), 0, "bind 65535");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 1), 0, "bind 1");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 2,
		     "a port given twice is kept once");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 0), 443,
		     "in the order given");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 1), 80,
		     "second connect port");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 2),
		     NONO_EINVAL, "index past the end");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_BIND), 2,
		     "two bind ports");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_BIND, 0), 65535,
		     "bind port kept apart from connect ports");

	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 0), NONO_ERANGE,
		     "port 0");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 65536), NONO_ERANGE,
		     "port 65536");
	cr_assert_eq(nono_caps_allow_tcp_connect(NULL, 1), NONO_EINVAL,
		     "connect on NULL");
	cr_assert_eq(nono_caps_allow_tcp_bind(NULL, 1), NONO_EINVAL,
		     "bind on NULL");
	cr_assert_eq(nono_caps_tcp_port_count(NULL, NONO_TCP_BIND), 0,
		     "count of NULL");
	cr_assert_eq(nono_caps_tcp_port_count(caps, (nono_tcp_op)3), 0,
		     "count of an unknown operation");
	cr_assert_eq(nono_caps_tcp_port_at(NULL, NONO_TCP_BIND, 0), NONO_EINVAL,
		     "port of NULL");
	cr_assert_eq(nono_caps_tcp_port_at(caps, (nono_tcp_op)0, 0),
		     NONO_EINVAL, "port of an unknown operation");

	char *sum = nono_caps_summary(caps);
	cr_assert_str_eq(sum,
			 "Filesystem:\nNetwork:\n  outbound: allowed\n"
			 "  tcp connect allowed: 443, 80\n"
			 "  tcp bind allowed: 65535, 1\n",
			 "the summary lists the port exceptions");
	nono_free(sum);

	nono_caps *copy = NULL;
	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "clone");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 22), 0, "connect 22");
	cr_assert_eq(nono_caps_tcp_port_count(copy, NONO_TCP_CONNECT), 2,
		     "the clone has its own port list");
	cr_assert_eq(nono_caps_tcp_port_at(copy, NONO_TCP_BIND, 1), 1,
		     "the clone copied the bind ports");
	nono_caps_free(copy);
	nono_caps_free(caps);
}

Test(caps, scopes)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_DEFAULT, "signal scope starts as default");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_DEFAULT,
		     "abstract unix starts as default");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED),
		     0, "allow signals");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX,
					 NONO_SCOPE_MODE_ISOLATED),
		     0, "isolate abstract unix sockets");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_ALLOWED, "signal scope set");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_ISOLATED, "the scopes are kept apart");

	cr_assert_eq(nono_caps_set_scope(NULL, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED),
		     NONO_EINVAL, "set on NULL");
	cr_assert_eq(nono_caps_set_scope(caps, (nono_scope)3,
					 NONO_SCOPE_MODE_ALLOWED),
		     NONO_EINVAL, "unknown scope");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 (nono_scope_mode)3),
		     NONO_EINVAL, "unknown mode");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_ALLOWED,
		     "a refused change changes nothing");
	cr_assert_eq(nono_caps_scope(NULL, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_DEFAULT, "scope of NULL");
	cr_assert_eq(nono_caps_scope(caps, (nono_scope)0),
		     NONO_SCOPE_MODE_DEFAULT,
		     "an unknown scope reads as default");

	cr_assert_str_eq(nono_scope_mode_str(NONO_SCOPE_MODE_DEFAULT),
			 "default", "default");
	cr_assert_str_eq(nono_scope_mode_str(NONO_SCOPE_MODE_ISOLATED),
			 "isolated", "isolated");
	cr_assert_str_eq(nono_scope_mode_str(NONO_SCOPE_MODE_ALLOWED), "allow",
			 "allow");
	cr_assert_null(nono_scope_mode_str((nono_scope_mode)3), "unknown mode");

	nono_caps *copy = NULL;
	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "clone");
	cr_assert_eq(nono_caps_scope(copy, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_ISOLATED, "the clone copies scopes");
	nono_caps_free(copy);
	nono_caps_free(caps);
}

Test(caps, tcp_ports_and_scopes)
{
	nono_caps *caps = new_caps();
	nono_caps *copy = NULL;
	char *s;

	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "connect 443");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0,
		     "443 again is kept once");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 80), 0, "connect 80");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 65535), 0, "bind 65535");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 0), NONO_ERANGE, "port 0");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 65536), NONO_ERANGE,
		     "port 65536");
	cr_assert_eq(nono_caps_allow_tcp_bind(NULL, 80), NONO_EINVAL, "NULL");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 2,
		     "two connect ports");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 0), 443,
		     "in the order given");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 2),
		     NONO_EINVAL, "out of range");
	cr_assert_eq(nono_caps_tcp_port_count(caps, (nono_tcp_op)9), 0,
		     "bad op counts nothing");

	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_DEFAULT, "a new set has the default");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED),
		     0, "allow signals");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX,
					 NONO_SCOPE_MODE_ISOLATED),
		     0, "isolate abstract sockets");
	cr_assert_eq(nono_caps_set_scope(caps, (nono_scope)7,
					 NONO_SCOPE_MODE_ALLOWED),
		     NONO_EINVAL, "bad scope");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 (nono_scope_mode)9),
		     NONO_EINVAL, "bad mode");
	cr_assert_str_eq(nono_scope_mode_str(NONO_SCOPE_MODE_ALLOWED), "allow",
			 "mode name");
	cr_assert_null(nono_scope_mode_str((nono_scope_mode)9), "bad mode");

	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "clone");
	cr_assert_eq(nono_caps_tcp_port_at(copy, NONO_TCP_BIND, 0), 65535,
		     "the clone has the bind port");
	cr_assert_eq(nono_caps_scope(copy, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_ISOLATED, "the clone has the scope");

	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	s = nono_caps_summary(caps);
	cr_assert_str_eq(s,
			 "Filesystem:\n"
			 "Network:\n"
			 "  outbound: blocked\n"
			 "  tcp connect allowed: 443, 80\n"
			 "  tcp bind allowed: 65535\n",
			 "summary lists the exceptions: %s", s);
	nono_free(s);
	nono_caps_free(copy);
	nono_caps_free(caps);
}
