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
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "carveout.h"

#define NO_NODE SIZE_MAX

/* Entry descriptors closed together, at most this many open at once. */
#define FD_BATCH 64

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

/*
 * Descriptors of entries whose rule is added, waiting to be closed. A
 * system call is the unit of cost of a carve-out (one per entry to open,
 * one to add the rule), so the closes are done together, with one
 * close_range() where the batch is a run of consecutive numbers (the
 * kernel hands out the lowest free number, so it nearly always is; as
 * every number in the run is held here, none is anyone else's).
 */
struct fd_batch {
	int fd[FD_BATCH];
	size_t n;
};

static void batch_flush(struct fd_batch *b)
{
	int lo = b->n ? b->fd[0] : 0, hi = lo;

	for (size_t i = 1; i < b->n; i++) {
		lo = b->fd[i] < lo ? b->fd[i] : lo;
		hi = b->fd[i] > hi ? b->fd[i] : hi;
	}
#ifdef SYS_close_range
	if (b->n > 1 && (size_t)(hi - lo) + 1 == b->n &&
	    syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0) {
		b->n = 0;
		return;
	}
#endif
	for (size_t i = 0; i < b->n; i++)
		close(b->fd[i]);
	b->n = 0;
}

static void batch_add(struct fd_batch *b, int fd)
{
	b->fd[b->n++] = fd;
	if (b->n == FD_BATCH)
		batch_flush(b);
}

struct walk {
	const struct ctree *t;
	const struct nono_carve_ops *ops;
	char *inexact;
	size_t inexact_cap;
	nono_diag *diag;
	struct fd_batch batch;
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

/* ---- the tree ------------------------------------------------------- */

static size_t tree_new_node(struct ctree *t, const struct cnode *init)
{
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct cnode *n = realloc(t->n, cap * sizeof(*n));

		if (!n)
			return NO_NODE;
		t->n = n;
		t->cap = cap;
	}
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

/* ---- rules ---------------------------------------------------------- */

static int walk_fail(struct walk *w, const struct cnode *n, const char *name,
		     const char *what, int err)
{
	const char *sep = name && n->plen > 1 ? "/" : "";

	return nono_diag_set(w->diag, NONO_EAPPLY, "%.*s%s%s: %s%s%s",
			     (int)n->plen, n->path, sep, name ? name : "", what,
			     err ? ": " : "", err ? strerror(err) : "");
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

static int walk_dir(struct walk *w, size_t ni, int fd, uint64_t a_in);

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
			rc = walk_dir(w, ci, fd, a);
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
	if (r)
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
 * for as little as it can: the type from the listing (d_type), an O_PATH
 * open, the rule, the close; a stat only where the listing did not say.
 */
static int add_entry(struct walk *w, const struct cnode *dir, int dirfd,
		     const char *name, unsigned char d_type, uint64_t a)
{
	const int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	bool is_dir = d_type == DT_DIR;
	bool known = d_type != DT_UNKNOWN;
	int fd, rc;

	/* O_DIRECTORY makes a directory that became a link since the
	 * listing fail, rather than take a directory rule. */
	fd = openat(dirfd, name, flags | (is_dir ? O_DIRECTORY : 0));
	if (fd < 0 && errno == EMFILE && w->batch.n > 0) {
		/* The batch holds descriptors this process may need. */
		batch_flush(&w->batch);
		fd = openat(dirfd, name, flags | (is_dir ? O_DIRECTORY : 0));
	}
	if (fd < 0 && is_dir && (errno == ENOTDIR || errno == ELOOP)) {
		known = false;
		fd = openat(dirfd, name, flags);
	}
	if (fd < 0) {
		/* Removed since the listing: nothing to grant. */
		if (errno == ENOENT)
			return 0;
		return walk_fail(w, dir, name, "cannot open", errno);
	}
	if (!known) {
		struct stat st;

		if (fstat(fd, &st) < 0) {
			rc = walk_fail(w, dir, name, "fstat", errno);
			goto close_fd;
		}
		rc = 0;
		if (S_ISLNK(st.st_mode))
			goto close_fd;
		is_dir = S_ISDIR(st.st_mode);
	}
	rc = w->ops->add_rule(w->ops->ctx, fd, is_dir, a, dir->path, dir->plen,
			      name, w->diag);
	batch_add(&w->batch, fd);
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
		rc = nono_diag_set(w->diag, NONO_ENOMEM, "out of memory");
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
		rc = add_entry(w, n, dfd, name, de->d_type, a);
		if (rc)
			break;
	}
	if (rc == 0 && errno)
		rc = walk_fail(w, n, NULL, "reading the directory", errno);
	batch_flush(&w->batch);
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
 * Walks the directory node `ni`, open at `fd` (O_PATH), with `a_in` the
 * rights flowing in from the split grants above it.
 */
static int walk_dir(struct walk *w, size_t ni, int fd, uint64_t a_in)
{
	const struct cnode *n = &w->t->n[ni];
	uint64_t a = (a_in | n->grant_dir) & ~n->withheld;
	uint64_t here = a & ~n->withheld_below;
	int rc = 0;

	/* A rule here reaches everything beneath, so it carries only
	 * what nothing beneath withholds. */
	if (here)
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
static bool reduces(const struct nono_carve_out *o,
		    const struct nono_carve_grant *g)
{
	if (!(g->access & o->withheld))
		return false;
	if (g->is_file)
		return strcmp(g->path, o->path) == 0;
	return nono_path_is_beneath(o->path, g->path);
}

static int build_tree(struct ctree *t, const struct nono_carve_grant *grants,
		      size_t ngrants, const bool *split,
		      const struct nono_carve_out *outs, size_t nouts,
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

int nono_carve_add(const struct nono_carve_grant *grants, size_t ngrants,
		   const struct nono_carve_out *outs, size_t nouts, bool *split,
		   const struct nono_carve_ops *ops, char *inexact,
		   size_t inexact_cap, nono_diag *diag)
{
	struct ctree t = { 0 };
	struct walk w = {
		.t = &t,
		.ops = ops,
		.inexact = inexact,
		.inexact_cap = inexact_cap,
		.diag = diag,
	};
	bool *active;
	bool any = false;
	int fd, rc;

	for (size_t i = 0; i < ngrants; i++)
		split[i] = false;
	if (nouts == 0)
		return 0;
	active = calloc(nouts, sizeof(*active));
	if (!active)
		return nono_diag_set(diag, NONO_ENOMEM, "out of memory");
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
		nono_diag_set(diag, rc, "out of memory");
		goto free_tree;
	}

	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		rc = nono_diag_set(diag, NONO_EAPPLY, "open /: %s",
				   strerror(errno));
		goto free_tree;
	}
	rc = walk_dir(&w, 0, fd, 0);
	close(fd);

free_tree:
	free(t.n);
free_active:
	free(active);
	return rc;
}
