// SPDX-License-Identifier: Apache-2.0
/*
 * The fast path from policy to rules (issue 19): a policy loaded to be
 * applied (descriptors kept, paths opened once with openat2) gives the
 * same grants, errors and files as one loaded the full way, and the rules
 * left out as subsumed are exactly those another directory grant covers.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps-internal.h"
#include "landlock-compat.h"
#include "landlock-plan.h"
#include "libnono.h"

#define GOOD NONO_TEST_DATA_DIR "/policies/good"

/* Every right of Landlock ABI 7. */
#define ALL_FS ((1ULL << 16) - 1)

/* The grants of `fast` (loaded to be applied) are those of `full`, and
 * each descriptor it kept is on the file the full way names. Returns how
 * many descriptors were kept. */
static size_t same_grants(const char *what, const nono_policy *full,
			  const nono_policy *fast)
{
	const nono_caps *a = nono_policy_caps(full);
	const nono_caps *b = nono_policy_caps(fast);
	size_t kept = 0;

	cr_assert_eq(nono_caps_fs_count(b), nono_caps_fs_count(a),
		     "%s: grant counts differ", what);
	for (size_t i = 0; i < a->fs_len; i++) {
		const struct nono__fs_entry *x = &a->fs[i], *y = &b->fs[i];
		struct stat sx, sy;

		cr_assert_str_eq(y->original, x->original, "%s", what);
		cr_assert_str_eq(y->resolved, x->resolved, "%s", what);
		cr_assert_eq(y->access, x->access, "%s: %s", what, x->resolved);
		cr_assert_eq(y->is_file, x->is_file, "%s", what);
		cr_assert_eq(x->fd, -1, "%s: a copy keeps nothing", what);
		if (y->fd < 0)
			continue;
		kept++;
		/* The rule goes on the file the full way names. */
		cr_assert_eq(stat(x->resolved, &sx), 0, "%s", x->resolved);
		cr_assert_eq(fstat(y->fd, &sy), 0, "%s", x->resolved);
		cr_assert(sx.st_dev == sy.st_dev && sx.st_ino == sy.st_ino,
			  "%s: %s kept another file", what, x->resolved);
	}
	return kept;
}

Test(fastpath, every_good_policy_gives_the_same_grants_and_files)
{
	DIR *dir = opendir(GOOD);
	struct dirent *de;
	unsigned compared = 0;

	cr_assert_not_null(dir, "cannot list %s", GOOD);
	while ((de = readdir(dir)) != NULL) {
		char path[PATH_MAX];
		nono_policy *full = NULL, *fast = NULL;
		nono_diag dfull, dfast;
		int rfull, rfast;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", GOOD, de->d_name);
		rfull = nono_policy_load(path, &full, &dfull);
		rfast = nono_policy_load_to_apply(path, &fast, &dfast);
		cr_assert_eq(rfast, rfull, "%s: %d, the full way %d", path,
			     rfast, rfull);
		cr_assert_str_eq(dfast.message, dfull.message, "%s", path);
		cr_assert_eq(dfast.line, dfull.line, "%s", path);
		if (rfull < 0)
			continue;
		same_grants(path, full, fast);
		compared++;
		nono_policy_free(full);
		nono_policy_free(fast);
	}
	closedir(dir);
	cr_assert_gt(compared, 5, "only %u policies loaded", compared);
}

/* nono run builds its policy from its options in memory: loaded to be
 * applied, it keeps its descriptors as a policy file does. */
Test(fastpath, a_buffer_loaded_to_apply_keeps_the_same_grants)
{
	static const char text[] = "[policy]\ninclude = system\n"
				   "[filesystem]\nread = /usr/share\n";
	nono_policy *full = NULL, *fast = NULL;
	nono_diag d;

	cr_assert_eq(nono_policy_load_buffer("nono run", text, sizeof(text) - 1,
					     &full, &d),
		     0, "%s", d.message);
	cr_assert_eq(nono_policy_load_buffer_to_apply(
			     "nono run", text, sizeof(text) - 1, &fast, &d),
		     0, "%s", d.message);
	cr_assert_gt(same_grants("buffer", full, fast), 5,
		     "the buffer's grants kept no descriptors");
	nono_policy_free(fast);
	fast = NULL;
	cr_assert_eq(nono_policy_load_buffer_to_apply("nono run", "[x", 2,
						      &fast, &d),
		     NONO_EPARSE, "a bad buffer is the same error");
	cr_assert_null(fast);
	nono_policy_free(full);
}

/* A tree of directories and files under a fresh temporary directory. */
static char tree[64];

static void tree_make(void)
{
	static const char *const dirs[] = { "a", "a/b", "a/b/c", "a-x", "d" };
	static const char *const files[] = { "a/f", "a/b/g", "d/h" };
	char p[PATH_MAX];

	snprintf(tree, sizeof(tree), "/tmp/nono-fastpath-XXXXXX");
	cr_assert_not_null(mkdtemp(tree));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(p, sizeof(p), "%s/%s", tree, dirs[i]);
		cr_assert_eq(mkdir(p, 0700), 0, "%s", p);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		snprintf(p, sizeof(p), "%s/%s", tree, files[i]);
		int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		cr_assert_geq(fd, 0, "%s", p);
		close(fd);
	}
}

static void tree_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
	cr_assert_eq(system(cmd), 0);
}

struct grant {
	const char *path;
	nono_access access;
	bool is_file;
	bool subsumed;
};

/* Grants `g` in order and checks which nono__ll_subsumed() leaves out. */
static void check_subsumed(const struct grant *g, size_t n)
{
	nono_caps *caps = NULL;
	bool skip[16] = { false };
	char p[PATH_MAX];

	cr_assert_leq(n, 16);
	cr_assert_eq(nono_caps_new(&caps), 0);
	for (size_t i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/%s", tree, g[i].path);
		cr_assert_eq(
			g[i].is_file
				? nono_caps_allow_file(caps, p, g[i].access)
				: nono_caps_allow_path(caps, p, g[i].access),
			0, "%s", p);
	}
	cr_assert_eq(nono__ll_subsumed(caps, ALL_FS, skip), 0);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(skip[i], g[i].subsumed, "%s (%s): %s", g[i].path,
			     nono_access_str(g[i].access),
			     g[i].subsumed ? "should be left out"
					   : "should be added");
	nono_caps_free(caps);
}

Test(fastpath, same_rights_beneath_is_subsumed, .init = tree_make,
     .fini = tree_remove)
{
	const struct grant g[] = {
		{ "a/b", NONO_ACCESS_READ, false, true },
		{ "a", NONO_ACCESS_READ, false, false },
		{ "a/b/c", NONO_ACCESS_READ, false, true },
		/* Beside a, not beneath it, though sorted near it. */
		{ "a-x", NONO_ACCESS_READ, false, false },
	};

	check_subsumed(g, sizeof(g) / sizeof(*g));
}

Test(fastpath, more_rights_beneath_are_kept, .init = tree_make,
     .fini = tree_remove)
{
	const struct grant g[] = {
		{ "a", NONO_ACCESS_READ, false, false },
		{ "a/b", NONO_ACCESS_READ_WRITE, false, false },
		/* Covered by a/b's write, not by a's read alone. */
		{ "a/b/c", NONO_ACCESS_READ_WRITE, false, true },
		/* Fewer rights than a: covered. */
		{ "d", NONO_ACCESS_READ_WRITE, false, false },
		{ "d/h", NONO_ACCESS_READ, true, true },
	};

	check_subsumed(g, sizeof(g) / sizeof(*g));
}

Test(fastpath, file_under_directory, .init = tree_make, .fini = tree_remove)
{
	const struct grant g[] = {
		{ "a/f", NONO_ACCESS_READ, true, true },
		{ "a/b/g", NONO_ACCESS_READ_WRITE, true, false },
		{ "a", NONO_ACCESS_READ, false, false },
		/* The same file twice: the second adds nothing. */
		{ "d/h", NONO_ACCESS_READ, true, false },
		{ "d/h", NONO_ACCESS_READ, true, false },
	};

	check_subsumed(g, sizeof(g) / sizeof(*g));
}

/*
 * Applies `caps` in a child, which must then open `yes` and not `no`;
 * `lost_yes` and `lost_no` say what failed otherwise.
 */
static void check_live(const nono_caps *caps, const char *yes, const char *no,
		       const char *lost_yes, const char *lost_no)
{
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		nono_diag diag;
		int fd;

		if (nono_apply(caps, 0, NULL, &diag) < 0)
			_exit(10);
		fd = open(yes, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(11);
		close(fd);
		fd = open(no, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			_exit(12);
		}
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "status %d (10: apply, 11: %s, 12: %s)", status, lost_yes,
		  lost_no);
}

/*
 * With a deny carve-out the grants are split around it and none is left
 * out as subsumed: a grant beneath the other may be the one that gives
 * back what the carve-out takes (a more specific grant wins, docs/deny.md).
 * Checked live: the inner grant still reaches its file.
 */
Test(fastpath, deny_carve_out_keeps_inner_grants, .init = tree_make,
     .fini = tree_remove)
{
	char a[PATH_MAX], b[PATH_MAX], g[PATH_MAX], f[PATH_MAX];
	nono_caps *caps = NULL;

	snprintf(a, sizeof(a), "%s/a", tree);
	snprintf(b, sizeof(b), "%s/a/b", tree);
	snprintf(g, sizeof(g), "%s/a/b/g", tree);
	snprintf(f, sizeof(f), "%s/a/f", tree);
	cr_assert_eq(nono_caps_new(&caps), 0);
	cr_assert_eq(nono_caps_allow_path(caps, "/", NONO_ACCESS_READ), 0);
	cr_assert_eq(nono_caps_allow_path(caps, b, NONO_ACCESS_READ), 0);
	cr_assert_eq(nono_caps_deny_path(caps, a), 0);
	check_live(caps, g, f, "the inner grant was lost", "the deny was lost");
	nono_caps_free(caps);
}

/*
 * Grants spelled through symbolic links: the fast way splices each link's
 * target in and opens the result refusing links (nono__path_open_plain).
 * Each must give what realpath(3) and stat(2) give, the full way: the same
 * resolved spelling, the descriptor on that file, the same error.
 */
struct linked {
	const char *path;
	bool is_file;
	int rc;	   /* 0: resolves as realpath does */
	bool fast; /* taken the fast way: the descriptor is kept */
};

static void check_linked(const struct linked *l, size_t n)
{
	nono_caps *caps = NULL;
	char p[PATH_MAX];

	cr_assert_eq(nono_caps_new(&caps), 0);
	cr_assert_eq(nono_caps_set_keep_fds(caps, true), 0);
	for (size_t i = 0; i < n; i++) {
		size_t before = caps->fs_len;
		int rc;

		snprintf(p, sizeof(p), "%s/%s", tree, l[i].path);
		rc = l[i].is_file
			     ? nono_caps_allow_file(caps, p, NONO_ACCESS_READ)
			     : nono_caps_allow_path(caps, p, NONO_ACCESS_READ);
		cr_assert_eq(rc, l[i].rc, "%s: %d, expected %d", l[i].path, rc,
			     l[i].rc);
		if (rc)
			continue;
		cr_assert_eq(caps->fs_len, before + 1, "%s", l[i].path);
		const struct nono__fs_entry *e = &caps->fs[before];
		char *real = realpath(p, NULL);
		struct stat sr, sf;

		cr_assert_not_null(real, "%s", p);
		cr_assert_str_eq(e->resolved, real, "%s", l[i].path);
		cr_assert_eq(e->fd >= 0, l[i].fast, "%s: %s", l[i].path,
			     l[i].fast ? "the full way was taken"
				       : "a descriptor was kept");
		free(real);
		if (e->fd < 0)
			continue;
		real = e->resolved;
		cr_assert_eq(stat(real, &sr), 0);
		cr_assert_eq(fstat(e->fd, &sf), 0);
		cr_assert(sr.st_dev == sf.st_dev && sr.st_ino == sf.st_ino,
			  "%s: the descriptor is not on %s", l[i].path, real);
	}
	nono_caps_free(caps);
}

static void tree_link(const char *target, const char *name)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", tree, name);
	cr_assert_eq(symlink(target, p), 0, "%s", p);
}

Test(fastpath, grants_through_links_resolve_as_realpath, .init = tree_make,
     .fini = tree_remove)
{
	char abs[PATH_MAX];

	snprintf(abs, sizeof(abs), "%s/d", tree);
	tree_link("a/b", "l-rel");
	tree_link(abs, "l-abs");
	tree_link("l-rel", "l-chain");
	tree_link("a", "l-mid");
	tree_link("../d", "a/up");
	tree_link("a/f", "l-file");
	tree_link("nothing", "l-dangle");
	tree_link("b/./c", "a/l-dot");
	tree_link("l-loop", "l-loop");

	const struct linked l[] = {
		{ "l-rel", false, 0, true },
		{ "l-abs", false, 0, true },
		{ "l-chain", false, 0, true },
		{ "l-mid/b/c", false, 0, true },
		/* Targets spelled with ".." or ".": the full way. */
		{ "a/up", false, 0, false },
		{ "a/l-dot", false, 0, false },
		{ "l-file", true, 0, true },
		{ "l-mid/up/h", true, 0, false },
		{ "l-dangle", false, NONO_ENOENT, false },
		{ "l-mid/nothing", false, NONO_ENOENT, false },
		/* Past eight links the full way gives its error. */
		{ "l-loop", false, NONO_ECANON, false },
		{ "l-file", false, NONO_ENOTDIR, false },
		{ "l-rel", true, NONO_EISDIR, false },
	};

	check_linked(l, sizeof(l) / sizeof(*l));
}

/*
 * A link swapped for another after the grant resolved it: the rule stays
 * on what was resolved (the descriptor kept, or the resolved spelling
 * where none is kept), never on the link's new target. Checked live.
 */
static void swap_after_grant(bool keep)
{
	char link[PATH_MAX], tmp[PATH_MAX], a[PATH_MAX], d[PATH_MAX],
		f[PATH_MAX], h[PATH_MAX];
	nono_caps *caps = NULL;

	snprintf(link, sizeof(link), "%s/l", tree);
	snprintf(tmp, sizeof(tmp), "%s/l.new", tree);
	snprintf(a, sizeof(a), "%s/a", tree);
	snprintf(d, sizeof(d), "%s/d", tree);
	snprintf(f, sizeof(f), "%s/a/f", tree);
	snprintf(h, sizeof(h), "%s/d/h", tree);
	cr_assert_eq(symlink(a, link), 0);
	cr_assert_eq(nono_caps_new(&caps), 0);
	cr_assert_eq(nono_caps_set_keep_fds(caps, keep), 0);
	cr_assert_eq(nono_caps_allow_path(caps, link, NONO_ACCESS_READ), 0);
	cr_assert_str_eq(caps->fs[0].resolved, a);
	cr_assert_eq(symlink(d, tmp), 0);
	cr_assert_eq(rename(tmp, link), 0);
	check_live(caps, f, h, "what was resolved was lost",
		   "the rule followed the link's new target");
	nono_caps_free(caps);
	cr_assert_eq(unlink(link), 0);
}

Test(fastpath, a_link_swapped_after_the_grant_keeps_its_rule, .init = tree_make,
     .fini = tree_remove)
{
	swap_after_grant(true);
	swap_after_grant(false);
}
