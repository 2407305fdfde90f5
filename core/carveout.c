// SPDX-License-Identifier: Apache-2.0
/*
 * Carve-outs: grants with paths taken back out, as rules a kernel that can
 * only grant will take (carveout.h; the design is in docs/deny.md).
 *
 * Every grant a carve-out reduces, and every carve-out that reduces one,
 * goes into a tree of path components rooted at "/". One walk down that
 * tree then emits all the rules: on each node the rights that flow into it
 * from the grants above, less what is withheld anywhere beneath it; on
 * every entry of a directory that something beneath must be withheld from,
 * the full rights (the entries leading towards a carve-out are nodes of
 * their own). Several carve-outs in one tree thus cost one listing of each
 * directory on the way, however many there are.
 *
 * Everything is opened relative to its parent's descriptor, with
 * O_NOFOLLOW, and a symbolic link never becomes a rule: a rule on what a
 * link points to would grant a whole tree back (Debian's /usr/bin/X11 is a
 * link to "." and would return /usr/bin with the blocked command in it),
 * while the kernel judges an access through a link where its target lies.
 *
 * A rule holds on an object, whatever path reaches it: a bind mount of a
 * directory on the way, or of anything taken out, is the same object
 * under another name, and so is another hard link of a file. So a first
 * pass records every object that must not get some rights (the guards:
 * each directory on the way from "/", each carve-out, and, for a deny,
 * everything beneath it, checking each file's link count on the way), and
 * the walk that adds the rules leaves out any rule that would give a
 * guarded object what it must not have.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "carveout.h"

#define NO_NODE SIZE_MAX

/* One path component of the tree. */
struct cnode {
	const char *path; /* an input path through this node, borrowed */
	size_t plen;	  /* this node's own path is path[0..plen) */
	const char *name; /* the component, inside path; not terminated */
	size_t name_len;
	size_t parent;
	size_t first_child;
	size_t next_sibling;
	size_t nchildren;
	uint64_t grant_dir;  /* split directory grants at this path */
	uint64_t grant_file; /* split file grants at this path */
	bool has_grant_dir;
	bool has_grant_file;
	uint64_t withheld;	 /* carve-outs at this path */
	uint64_t withheld_below; /* carve-outs strictly beneath */
	bool grant_below;	 /* a split grant strictly beneath */
	bool whole_tree;	 /* a carve-out here wants its tree checked */
};

struct ctree {
	struct cnode *n;
	size_t len;
	size_t cap;
};

/* A carved non-directory with more than one name: its other names in the
 * same directory are found while listing it, the rest are reported. */
struct link_rec {
	const struct cnode *node;
	dev_t dev;
	ino_t ino;
	nlink_t nlink;
	nlink_t found;
};

void nono__fd_batch_flush(struct nono__fd_batch *b)
{
	nono__fds_close(b->fd, b->n);
	b->n = 0;
}

void nono__fd_batch_add(struct nono__fd_batch *b, int fd)
{
	b->fd[b->n++] = fd;
	if (b->n == NONO_FD_BATCH)
		nono__fd_batch_flush(b);
}

int nono__fd_batch_openat(struct nono__fd_batch *b, int dirfd, const char *path,
			  int flags)
{
	int fd = openat(dirfd, path, flags);

	if (fd < 0 && errno == EMFILE && b->n > 0) {
		/* The batch holds descriptors this process may need. */
		nono__fd_batch_flush(b);
		fd = openat(dirfd, path, flags);
	}
	return fd;
}

/*
 * An object no rule may give `mask` to: a directory on the way to a
 * carve-out (any right on it reaches beneath it), a carve-out itself, or
 * an entry beneath a whole_tree carve-out. Sorted by (dev, ino), one entry
 * per object, the masks of its names merged.
 */
struct guard {
	dev_t dev;
	ino_t ino;
	uint64_t mask;
	const struct cnode *node; /* for messages */
	bool inside;		  /* beneath node, rather than node itself */
};

struct guards {
	struct guard *v;
	size_t len;
	size_t cap;
};

struct walk {
	const struct ctree *t;
	const struct nono__carve_ops *ops;
	const struct nono__carve_grant *grants;
	size_t ngrants;
	struct nono__carve_limits limits;
	char *inexact;
	size_t inexact_cap;
	nono_diag *diag;
	struct nono__fd_batch batch;
	struct guards guards;
};

/* Appends to a NUL-terminated message list, "; " between items; what does
 * not fit is cut (these are messages, not data). */
static void note(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len > 0 && len + 2 < cap) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

static bool node_holds_grant(const struct cnode *c)
{
	return c->has_grant_dir || c->has_grant_file || c->grant_below;
}

/* ---- guards --------------------------------------------------------- */

/* Files in order of device, then inode: how guards and the names of
 * multiply linked files are sorted, and guards searched. */
static int cmp_file_id(dev_t dev_a, ino_t ino_a, dev_t dev_b, ino_t ino_b)
{
	if (dev_a != dev_b)
		return dev_a < dev_b ? -1 : 1;
	if (ino_a != ino_b)
		return ino_a < ino_b ? -1 : 1;
	return 0;
}

static int guard_push(struct guards *g, const struct stat *st, uint64_t mask,
		      const struct cnode *node, bool inside)
{
	struct guard *v = nono__grow(g->v, &g->cap, g->len, sizeof(*v), 64);

	if (!v)
		return NONO_ENOMEM;
	g->v = v;
	g->v[g->len++] = (struct guard){
		.dev = st->st_dev,
		.ino = st->st_ino,
		.mask = mask,
		.node = node,
		.inside = inside,
	};
	return 0;
}

static int cmp_guard(const void *a, const void *b)
{
	const struct guard *x = a, *y = b;
	int c = cmp_file_id(x->dev, x->ino, y->dev, y->ino);

	/* The object's own carve-out or directory on the way names it
	 * best: a node before an entry inside one. */
	return c ? c : (int)x->inside - (int)y->inside;
}

/* Sorts the guards and merges the names of one object into one. */
static void guards_seal(struct guards *g)
{
	size_t out = 0;

	if (g->len == 0)
		return;
	qsort(g->v, g->len, sizeof(*g->v), cmp_guard);
	for (size_t i = 1; i < g->len; i++) {
		if (g->v[i].dev == g->v[out].dev &&
		    g->v[i].ino == g->v[out].ino)
			g->v[out].mask |= g->v[i].mask;
		else
			g->v[++out] = g->v[i];
	}
	g->len = out + 1;
}

static const struct guard *guard_find(const struct guards *g,
				      const struct stat *st)
{
	size_t lo = 0, hi = g->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct guard *m = &g->v[mid];
		int c = cmp_file_id(m->dev, m->ino, st->st_dev, st->st_ino);

		if (c == 0)
			return m;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Whether a rule giving `access` to the object `st`, named `dir`/`name`,
 * would give a guarded object some of what it must not have: then the
 * rule is to be left out, and `inexact` says so.
 */
static bool guarded(struct walk *w, const struct stat *st, uint64_t access,
		    const char *dir, size_t dir_len, const char *name)
{
	const struct guard *g = guard_find(&w->guards, st);
	const struct cnode *n;
	const char *sep = name && dir_len > 1 ? "/" : "";
	char what[PATH_MAX + 64];

	if (!g || !(access & g->mask))
		return false;
	n = g->node;
	if (g->inside)
		snprintf(what, sizeof(what),
			 "an entry beneath %.*s, which is "
			 "taken out",
			 (int)n->plen, n->path);
	else if (n->withheld)
		snprintf(what, sizeof(what), "%.*s, which is taken out",
			 (int)n->plen, n->path);
	else
		snprintf(what, sizeof(what),
			 "%.*s, a directory on the way to "
			 "a path taken out",
			 (int)n->plen, n->path);
	note(w->inexact, w->inexact_cap,
	     "%.*s%s%s is the same %s as %s (a bind mount or another hard "
	     "link): its rule would reach what is taken out, so it is left "
	     "out",
	     (int)dir_len, dir, sep, name ? name : "",
	     S_ISDIR(st->st_mode) ? "directory" : "file", what);
	return true;
}

/* ---- the tree ------------------------------------------------------- */

static size_t tree_new_node(struct ctree *t, const struct cnode *init)
{
	struct cnode *n = nono__grow(t->n, &t->cap, t->len, sizeof(*n), 16);

	if (!n)
		return NO_NODE;
	t->n = n;
	t->n[t->len] = *init;
	return t->len++;
}

/* The node of canonical absolute `path`, made with its ancestors as
 * needed; NO_NODE when out of memory. Indices, not pointers, are held
 * across calls: the array moves as it grows. */
static size_t tree_insert(struct ctree *t, const char *path)
{
	size_t cur = 0;
	const char *p = path;

	while (*p) {
		size_t len, c;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len == 0)
			break;
		for (c = t->n[cur].first_child; c != NO_NODE;
		     c = t->n[c].next_sibling) {
			if (t->n[c].name_len == len &&
			    memcmp(t->n[c].name, p, len) == 0)
				break;
		}
		if (c == NO_NODE) {
			struct cnode init = {
				.path = path,
				.plen = (size_t)(p - path) + len,
				.name = p,
				.name_len = len,
				.parent = cur,
				.first_child = NO_NODE,
				.next_sibling = t->n[cur].first_child,
			};

			c = tree_new_node(t, &init);
			if (c == NO_NODE)
				return NO_NODE;
			t->n[cur].first_child = c;
			t->n[cur].nchildren++;
		}
		cur = c;
		p += len;
	}
	return cur;
}

/* ---- the first pass: what rules must not reach ---------------------- */

/* A file beneath a whole_tree carve-out with more than one name. */
struct multi {
	dev_t dev;
	ino_t ino;
	nlink_t nlink;
	char *path; /* the first name found, for messages */
};

/* The walk of everything beneath one whole_tree carve-out. */
struct scan {
	struct walk *w;
	const struct cnode *top;
	const char **carve_ins; /* grants beneath top, skipped */
	size_t ncarve_ins;
	size_t entries;
	bool stopped;
	bool mounts;	     /* a mount point was found beneath top */
	struct multi *multi; /* names of files with other names */
	size_t nmulti;
	size_t multi_cap;
	char path[PATH_MAX];
};

static void scan_stop(struct scan *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Ends the walk of s->top, unfinished: what it did not check might be
 * reachable another way, so the carve-out is inexact. */
static void scan_stop(struct scan *s, const char *fmt, ...)
{
	char why[PATH_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	note(s->w->inexact, s->w->inexact_cap,
	     "%.*s cannot be checked whole for other names of what is in it "
	     "(hard links, bind mounts): %s",
	     (int)s->top->plen, s->top->path, why);
	s->stopped = true;
}

static bool scan_is_carve_in(const struct scan *s)
{
	for (size_t i = 0; i < s->ncarve_ins; i++)
		if (strcmp(s->carve_ins[i], s->path) == 0)
			return true;
	return false;
}

/* Records one name of a file with several. */
static int scan_multi(struct scan *s, const struct stat *st)
{
	struct multi *m =
		nono__grow(s->multi, &s->multi_cap, s->nmulti, sizeof(*m), 16);
	char *path;

	if (!m)
		return NONO_ENOMEM;
	s->multi = m;
	path = strdup(s->path);
	if (!path)
		return NONO_ENOMEM;
	s->multi[s->nmulti++] = (struct multi){
		.dev = st->st_dev,
		.ino = st->st_ino,
		.nlink = st->st_nlink,
		.path = path,
	};
	return 0;
}

static int cmp_multi(const void *a, const void *b)
{
	const struct multi *x = a, *y = b;

	return cmp_file_id(x->dev, x->ino, y->dev, y->ino);
}

/*
 * Notes every file beneath the carve-out with a name outside it: a rule on
 * a directory elsewhere reaches the file through that name, and only a
 * scan of every grant could say where it is. The names found beneath it
 * account for the file's link count, unless a mount point beneath it
 * could show one name twice: then every file with several names counts.
 */
static void scan_report_links(struct scan *s)
{
	struct walk *w = s->w;

	/* A walk that stopped has said that it cannot vouch for any. */
	if (s->stopped)
		return;
	/* qsort's pointer must not be NULL, even for no elements. */
	if (s->nmulti > 1)
		qsort(s->multi, s->nmulti, sizeof(*s->multi), cmp_multi);
	for (size_t i = 0, j; i < s->nmulti; i = j) {
		for (j = i + 1;
		     j < s->nmulti && s->multi[j].dev == s->multi[i].dev &&
		     s->multi[j].ino == s->multi[i].ino;
		     j++)
			;
		if (s->mounts || (nlink_t)(j - i) < s->multi[i].nlink)
			note(w->inexact, w->inexact_cap,
			     "%s has %ju hard links, not all beneath %.*s: a "
			     "grant may reach it through another name",
			     s->multi[i].path, (uintmax_t)s->multi[i].nlink,
			     (int)s->top->plen, s->top->path);
	}
}

/*
 * Records every entry of the directory open for reading at `dfd` (taken
 * and closed here), whose path fills s->path[0..plen), as a guard, and
 * every non-directory with other names; `depth` levels beneath the
 * carve-out. Returns 0 or NONO_ENOMEM; what cannot be checked stops the
 * walk and is noted.
 */
static int scan_dir(struct scan *s, int dfd, size_t plen, unsigned depth)
{
	struct walk *w = s->w;
	struct dirent *de;
	struct stat dst;
	dev_t parent_dev;
	DIR *d;
	int rc = 0;

	if (fstat(dfd, &dst) < 0) {
		s->path[plen] = '\0';
		scan_stop(s, "cannot stat %s: %s", s->path, strerror(errno));
		close(dfd);
		return 0;
	}
	parent_dev = dst.st_dev;
	d = fdopendir(dfd);
	if (!d) {
		s->path[plen] = '\0';
		scan_stop(s, "cannot list %s: %s", s->path, strerror(errno));
		close(dfd);
		return 0;
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		const char *name = de->d_name;
		size_t len = strlen(name);
		struct stat st;
		int fd;

		if (name[0] == '.' &&
		    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		if (++s->entries > w->limits.max_entries) {
			scan_stop(s, "more than %zu entries",
				  w->limits.max_entries);
			break;
		}
		if (plen + 1 + len >= sizeof(s->path)) {
			scan_stop(s, "a path longer than %zu bytes",
				  sizeof(s->path) - 1);
			break;
		}
		s->path[plen] = '/';
		memcpy(s->path + plen + 1, name, len + 1);
		/* A grant beneath the carve-out gives what it gives, by
		 * design: neither it nor what is beneath it is guarded. */
		if (s->ncarve_ins && scan_is_carve_in(s))
			continue;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			scan_stop(s, "cannot stat %s: %s", s->path,
				  strerror(errno));
			break;
		}
		rc = guard_push(&w->guards, &st, s->top->withheld, s->top,
				true);
		if (rc)
			break;
		/* A mount point's listed inode is the one it covers, and
		 * a mount of another file system has its own device. */
		if (st.st_ino != de->d_ino || st.st_dev != parent_dev)
			s->mounts = true;
		if (!S_ISDIR(st.st_mode)) {
			if (!S_ISLNK(st.st_mode) && st.st_nlink > 1)
				rc = scan_multi(s, &st);
			if (rc)
				break;
			continue;
		}
		if (depth >= w->limits.max_depth) {
			scan_stop(s, "%s is more than %u levels deep", s->path,
				  w->limits.max_depth);
			break;
		}
		fd = openat(dfd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			scan_stop(s, "cannot list %s: %s", s->path,
				  strerror(errno));
			break;
		}
		rc = scan_dir(s, fd, plen + 1 + len, depth + 1);
		if (rc || s->stopped)
			break;
	}
	if (rc == 0 && !s->stopped && errno) {
		s->path[plen] = '\0';
		scan_stop(s, "reading %s: %s", s->path, strerror(errno));
	}
	closedir(d);
	return rc;
}

/* Guards everything beneath the whole_tree carve-out `n`, open at `fd`. */
static int scan_tree(struct walk *w, const struct cnode *n, int fd)
{
	struct scan *s = calloc(1, sizeof(*s));
	int dfd, rc = 0;

	if (!s)
		return NONO_ENOMEM;
	*s = (struct scan){ .w = w, .top = n };
	if (n->plen >= sizeof(s->path)) {
		scan_stop(s, "its path is too long");
		goto free_scan;
	}
	memcpy(s->path, n->path, n->plen);
	s->path[n->plen] = '\0';
	for (size_t i = 0; i < w->ngrants; i++)
		if (strcmp(w->grants[i].path, s->path) != 0 &&
		    nono__path_is_beneath(w->grants[i].path, s->path))
			s->ncarve_ins++;
	if (s->ncarve_ins) {
		s->carve_ins = calloc(s->ncarve_ins, sizeof(*s->carve_ins));
		if (!s->carve_ins) {
			rc = NONO_ENOMEM;
			goto free_scan;
		}
		s->ncarve_ins = 0;
		for (size_t i = 0; i < w->ngrants; i++)
			if (strcmp(w->grants[i].path, s->path) != 0 &&
			    nono__path_is_beneath(w->grants[i].path, s->path))
				s->carve_ins[s->ncarve_ins++] =
					w->grants[i].path;
	}
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		scan_stop(s, "cannot list it: %s", strerror(errno));
	else /* "/" is the one path that ends in a slash */
		rc = scan_dir(s, dfd, n->plen == 1 ? 0 : n->plen, 1);
	if (rc == 0)
		scan_report_links(s);

free_scan:
	for (size_t i = 0; i < s->nmulti; i++)
		free(s->multi[i].path);
	free(s->multi);
	free(s->carve_ins);
	free(s);
	return rc;
}

/*
 * Guards node `ni` (open at `fd`, `st` its stat) and every node beneath
 * it at or beneath which something is withheld, with what each must not
 * get. What cannot be opened is left to the second pass, which says so
 * where it matters.
 */
static int guard_nodes(struct walk *w, size_t ni, int fd, const struct stat *st)
{
	const struct cnode *n = &w->t->n[ni];
	int rc;

	rc = guard_push(&w->guards, st, n->withheld | n->withheld_below, n,
			false);
	if (rc == 0 && n->whole_tree && S_ISDIR(st->st_mode))
		rc = scan_tree(w, n, fd);
	if (rc || !S_ISDIR(st->st_mode))
		return rc;
	for (size_t c = n->first_child; rc == 0 && c != NO_NODE;
	     c = w->t->n[c].next_sibling) {
		const struct cnode *k = &w->t->n[c];
		char name[256];
		struct stat cst;
		int cfd;

		if (!(k->withheld | k->withheld_below) ||
		    k->name_len >= sizeof(name))
			continue;
		memcpy(name, k->name, k->name_len);
		name[k->name_len] = '\0';
		cfd = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0)
			continue;
		if (fstat(cfd, &cst) == 0 && !S_ISLNK(cst.st_mode))
			rc = guard_nodes(w, c, cfd, &cst);
		close(cfd);
	}
	return rc;
}

/* ---- rules ---------------------------------------------------------- */

static int walk_fail(struct walk *w, const struct cnode *n, const char *name,
		     const char *what, int err)
{
	const char *sep = name && n->plen > 1 ? "/" : "";

	return nono__diag_set(w->diag, NONO_EAPPLY, "%.*s%s%s: %s%s%s",
			      (int)n->plen, n->path, sep, name ? name : "",
			      what, err ? ": " : "", err ? strerror(err) : "");
}

/* Children sorted by name, for the lookup of each listed entry. */
static int cmp_child(const void *a, const void *b)
{
	const struct cnode *x = *(const struct cnode *const *)a;
	const struct cnode *y = *(const struct cnode *const *)b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static bool is_child(const struct cnode *const *kids, size_t n,
		     const char *name)
{
	size_t lo = 0, hi = n, len = strlen(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cnode *k = kids[mid];
		size_t m = k->name_len < len ? k->name_len : len;
		int c = memcmp(k->name, name, m);

		if (c == 0)
			c = k->name_len < len ? -1 : k->name_len > len;
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int walk_dir(struct walk *w, size_t ni, int fd, const struct stat *st,
		    uint64_t a_in);

/*
 * One node beneath a directory being walked: opened without following a
 * final symlink, its kind checked against what was granted there, then
 * either walked (a directory) or given its rule (anything else). `rec`
 * receives a carved non-directory with other names.
 */
static int visit_child(struct walk *w, size_t ci, int parent_fd, uint64_t a,
		       struct link_rec *rec, bool *recorded)
{
	const struct cnode *c = &w->t->n[ci];
	char name[256];
	struct stat st;
	uint64_t in, r;
	int fd, rc = 0;

	*recorded = false;
	if (c->name_len >= sizeof(name))
		return walk_fail(w, c, NULL, "name too long", 0);
	memcpy(name, c->name, c->name_len);
	name[c->name_len] = '\0';

	fd = openat(parent_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		/* A carved path that is gone has nothing left to take
		 * out; a granted one is an error, as for any grant. */
		if (errno == ENOENT && !node_holds_grant(c))
			return 0;
		return walk_fail(w, c, NULL,
				 errno == ENOENT ? "granted, but no longer "
						   "exists"
						 : "cannot open",
				 errno == ENOENT ? 0 : errno);
	}
	if (fstat(fd, &st) < 0) {
		rc = walk_fail(w, c, NULL, "fstat", errno);
		goto close_fd;
	}
	if (S_ISLNK(st.st_mode)) {
		/* It was canonical when it was named, so it was replaced
		 * since; what it points to is judged where that lies. */
		if (node_holds_grant(c))
			rc = walk_fail(w, c, NULL,
				       "granted, but now a symbolic link", 0);
		goto close_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		if (c->has_grant_file)
			rc = walk_fail(w, c, NULL,
				       "granted as a file, but now a directory",
				       0);
		else
			rc = walk_dir(w, ci, fd, &st, a);
		goto close_fd;
	}
	if (c->has_grant_dir || c->grant_below) {
		rc = walk_fail(w, c, NULL,
			       "granted as a directory (or a path beneath "
			       "it), but no longer a directory",
			       0);
		goto close_fd;
	}
	in = a | c->grant_file;
	r = in & ~c->withheld;
	if (r && !guarded(w, &st, r, c->path, c->plen, NULL))
		rc = w->ops->add_rule(w->ops->ctx, fd, false, r, c->path,
				      c->plen, NULL, w->diag);
	/* Rules hold on the file, not on the name: another name in a
	 * directory whose rule gives what is withheld here would give it
	 * back. */
	if (rc == 0 && (in & c->withheld) && st.st_nlink > 1) {
		*rec = (struct link_rec){
			.node = c,
			.dev = st.st_dev,
			.ino = st.st_ino,
			.nlink = st.st_nlink,
		};
		*recorded = true;
	}

close_fd:
	close(fd);
	return rc;
}

/* Whether the entry `name` is another name of a carved file; counts it. */
static bool is_carved_link(int dirfd, const char *name, ino_t d_ino,
			   struct link_rec *recs, size_t nrecs)
{
	struct stat st;
	bool stated = false;

	for (size_t i = 0; i < nrecs; i++) {
		/* d_ino is the inode of the name (a mount point's differs,
		 * but a mount point is no hard link): stat only on a hit. */
		if (recs[i].ino != d_ino)
			continue;
		if (!stated) {
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				return false;
			stated = true;
		}
		if (st.st_dev == recs[i].dev && st.st_ino == recs[i].ino) {
			recs[i].found++;
			return true;
		}
	}
	return false;
}

/*
 * The rule for one entry off the way: the full rights, as a directory or
 * file rule as the entry is. The cost of a carve-out is this function
 * times the entries of each directory on the way, so it asks the kernel
 * for as little as it can: an O_PATH open, a stat (the listing's d_type
 * would say the kind, but only a stat says which object a mount point
 * holds), the rule, the close.
 */
static int add_entry(struct walk *w, const struct cnode *dir, int dirfd,
		     const char *name, uint64_t a)
{
	const int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;
	int fd, rc;

	fd = nono__fd_batch_openat(&w->batch, dirfd, name, flags);
	if (fd < 0) {
		/* Removed since the listing: nothing to grant. */
		if (errno == ENOENT)
			return 0;
		return walk_fail(w, dir, name, "cannot open", errno);
	}
	if (fstat(fd, &st) < 0) {
		rc = walk_fail(w, dir, name, "fstat", errno);
		goto close_fd;
	}
	rc = 0;
	if (S_ISLNK(st.st_mode) ||
	    guarded(w, &st, a, dir->path, dir->plen, name))
		goto close_fd;
	rc = w->ops->add_rule(w->ops->ctx, fd, S_ISDIR(st.st_mode), a,
			      dir->path, dir->plen, name, w->diag);
	nono__fd_batch_add(&w->batch, fd);
	return rc;

close_fd:
	close(fd);
	return rc;
}

/*
 * A directory on the way to a carve-out that takes some of `a` away: the
 * nodes beneath it first (each walked or given its own rule), then every
 * other entry gets `a`; symbolic links get nothing.
 */
static int split_dir(struct walk *w, size_t ni, int fd, uint64_t a)
{
	const struct cnode *n = &w->t->n[ni];
	const struct cnode **kids;
	struct link_rec *recs;
	size_t nkids = 0, nrecs = 0;
	struct dirent *de;
	DIR *d;
	int dfd, rc = 0;

	kids = calloc(n->nchildren, sizeof(*kids));
	recs = calloc(n->nchildren, sizeof(*recs));
	if (!kids || !recs) {
		rc = nono__diag_set(w->diag, NONO_ENOMEM, "out of memory");
		goto free_arrays;
	}
	for (size_t c = n->first_child; c != NO_NODE;
	     c = w->t->n[c].next_sibling) {
		bool recorded;

		kids[nkids++] = &w->t->n[c];
		rc = visit_child(w, c, fd, a, &recs[nrecs], &recorded);
		if (rc)
			goto free_arrays;
		nrecs += recorded;
	}
	qsort(kids, nkids, sizeof(*kids), cmp_child);

	/* Listing needs a descriptor opened for reading; the O_PATH one
	 * that led here does not require read access to the path above. */
	dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = walk_fail(w, n, NULL,
			       "cannot list it to take a path "
			       "beneath it out",
			       errno);
		goto free_arrays;
	}
	d = fdopendir(dfd);
	if (!d) {
		rc = walk_fail(w, n, NULL, "cannot list", errno);
		close(dfd);
		goto free_arrays;
	}
	for (errno = 0; (de = readdir(d)); errno = 0) {
		const char *name = de->d_name;

		if (name[0] == '.' &&
		    (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		if (de->d_type == DT_LNK || is_child(kids, nkids, name))
			continue;
		if (nrecs && de->d_type != DT_DIR &&
		    is_carved_link(dfd, name, de->d_ino, recs, nrecs))
			continue;
		rc = add_entry(w, n, dfd, name, a);
		if (rc)
			break;
	}
	if (rc == 0 && errno)
		rc = walk_fail(w, n, NULL, "reading the directory", errno);
	nono__fd_batch_flush(&w->batch);
	closedir(d);

	for (size_t i = 0; rc == 0 && i < nrecs; i++) {
		const struct cnode *c = recs[i].node;
		nlink_t elsewhere = recs[i].nlink - 1 - recs[i].found;

		if (elsewhere > 0)
			note(w->inexact, w->inexact_cap,
			     "%.*s has %ju hard link(s) outside its "
			     "directory, through which a grant may still "
			     "reach it",
			     (int)c->plen, c->path, (uintmax_t)elsewhere);
	}

free_arrays:
	free(kids);
	free(recs);
	return rc;
}

/*
 * Walks the directory node `ni`, open at `fd` (O_PATH, `st` its stat),
 * with `a_in` the rights flowing in from the split grants above it.
 */
static int walk_dir(struct walk *w, size_t ni, int fd, const struct stat *st,
		    uint64_t a_in)
{
	const struct cnode *n = &w->t->n[ni];
	uint64_t a = (a_in | n->grant_dir) & ~n->withheld;
	uint64_t here = a & ~n->withheld_below;
	int rc = 0;

	/* A rule here reaches everything beneath, so it carries only
	 * what nothing beneath withholds. */
	if (here && !guarded(w, st, here, n->path, n->plen, NULL))
		rc = w->ops->add_rule(w->ops->ctx, fd, true, here, n->path,
				      n->plen, NULL, w->diag);
	if (rc || n->nchildren == 0)
		return rc;
	if (a & n->withheld_below)
		return split_dir(w, ni, fd, a);

	/* Nothing that flows in here is withheld beneath, so the rule
	 * above already says it all; only grants further down remain. */
	for (size_t c = n->first_child; rc == 0 && c != NO_NODE;
	     c = w->t->n[c].next_sibling) {
		struct link_rec rec;
		bool recorded;

		if (node_holds_grant(&w->t->n[c]))
			rc = visit_child(w, c, fd, a, &rec, &recorded);
	}
	return rc;
}

/* Whether grant `g` is reduced by carve-out `o`. */
static bool reduces(const struct nono__carve_out *o,
		    const struct nono__carve_grant *g)
{
	if (!(g->access & o->withheld))
		return false;
	if (g->is_file)
		return strcmp(g->path, o->path) == 0;
	return nono__path_is_beneath(o->path, g->path);
}

static int build_tree(struct ctree *t, const struct nono__carve_grant *grants,
		      size_t ngrants, const bool *split,
		      const struct nono__carve_out *outs, size_t nouts,
		      const bool *active)
{
	const struct cnode root = {
		.path = "/",
		.plen = 1,
		.name = "",
		.parent = NO_NODE,
		.first_child = NO_NODE,
		.next_sibling = NO_NODE,
	};

	if (tree_new_node(t, &root) == NO_NODE)
		return NONO_ENOMEM;
	for (size_t i = 0; i < ngrants; i++) {
		size_t ni;

		if (!split[i])
			continue;
		ni = tree_insert(t, grants[i].path);
		if (ni == NO_NODE)
			return NONO_ENOMEM;
		if (grants[i].is_file) {
			t->n[ni].grant_file |= grants[i].access;
			t->n[ni].has_grant_file = true;
		} else {
			t->n[ni].grant_dir |= grants[i].access;
			t->n[ni].has_grant_dir = true;
		}
	}
	for (size_t i = 0; i < nouts; i++) {
		size_t ni;

		if (!active[i])
			continue;
		ni = tree_insert(t, outs[i].path);
		if (ni == NO_NODE)
			return NONO_ENOMEM;
		t->n[ni].withheld |= outs[i].withheld;
		t->n[ni].whole_tree |= outs[i].whole_tree;
	}
	/* A child always comes after its parent in the array, so one pass
	 * from the end sums every subtree. */
	for (size_t i = t->len; i-- > 1;) {
		struct cnode *c = &t->n[i];
		struct cnode *p = &t->n[c->parent];

		p->withheld_below |= c->withheld | c->withheld_below;
		p->grant_below |=
			c->has_grant_dir || c->has_grant_file || c->grant_below;
	}
	return 0;
}

int nono__carve_add(const struct nono__carve_grant *grants, size_t ngrants,
		    const struct nono__carve_out *outs, size_t nouts,
		    bool *split, const struct nono__carve_ops *ops,
		    char *inexact, size_t inexact_cap, nono_diag *diag)
{
	struct ctree t = { 0 };
	struct walk w = {
		.t = &t,
		.ops = ops,
		.grants = grants,
		.ngrants = ngrants,
		.limits = {
			.max_entries = NONO_CARVE_MAX_ENTRIES,
			.max_depth = NONO_CARVE_MAX_DEPTH,
		},
		.inexact = inexact,
		.inexact_cap = inexact_cap,
		.diag = diag,
	};
	bool *active;
	bool any = false;
	struct stat st;
	int fd, rc;

	for (size_t i = 0; i < ngrants; i++)
		split[i] = false;
	if (nouts == 0)
		return 0;
	if (ops->limits)
		w.limits = *ops->limits;
	active = calloc(nouts, sizeof(*active));
	if (!active)
		return nono__diag_set(diag, NONO_ENOMEM, "out of memory");
	for (size_t o = 0; o < nouts; o++) {
		for (size_t g = 0; g < ngrants; g++) {
			if (reduces(&outs[o], &grants[g])) {
				split[g] = true;
				active[o] = true;
				any = true;
			}
		}
	}
	if (!any) {
		rc = 0;
		goto free_active;
	}
	rc = build_tree(&t, grants, ngrants, split, outs, nouts, active);
	if (rc) {
		nono__diag_set(diag, rc, "out of memory");
		goto free_tree;
	}

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = nono__diag_set(diag, NONO_EAPPLY, "open /: %s",
				    strerror(errno));
		goto close_root;
	}
	rc = guard_nodes(&w, 0, fd, &st);
	if (rc) {
		nono__diag_set(diag, rc, "out of memory");
		goto close_root;
	}
	guards_seal(&w.guards);
	rc = walk_dir(&w, 0, fd, &st, 0);

	/* The grants the caller adds as they are: one that is the same
	 * object as a guarded one (a bind mount of it) is left out too. */
	for (size_t i = 0; rc == 0 && i < ngrants; i++) {
		struct stat gst;

		if (!split[i] && stat(grants[i].path, &gst) == 0 &&
		    guarded(&w, &gst, grants[i].access, grants[i].path,
			    strlen(grants[i].path), NULL))
			split[i] = true;
	}

close_root:
	if (fd >= 0)
		close(fd);
	free(w.guards.v);
free_tree:
	free(t.n);
free_active:
	free(active);
	return rc;
}
