// SPDX-License-Identifier: Apache-2.0
/* Path canonicalisation and prefix tests shared by caps, queries and state. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps-internal.h"

static int errno_to_nono(int err)
{
	switch (err) {
	case ENOENT:
		return NONO_ENOENT;
	case ENOTDIR:
		/* A component of the path is not a directory: nothing exists
		 * under that name, as nono reports it. */
		return NONO_ENOENT;
	case ENOMEM:
		return NONO_ENOMEM;
	default:
		return NONO_ECANON;
	}
}

int nono__path_canonical(const char *path, char **out)
{
	if (!path || !*path || !out)
		return NONO_EINVAL;
	char *r = realpath(path, NULL);
	if (!r)
		return errno_to_nono(errno);
	*out = r;
	return 0;
}

/* Appends component `c` (length n) to the absolute path in buf, folding
 * "." and "..". buf has room for PATH_MAX bytes. */
static int push_component(char *buf, size_t *len, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 1 && buf[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--;
		buf[*len] = '\0';
		return 0;
	}
	size_t need = *len + (*len > 1 ? 1 : 0) + n;
	if (need >= PATH_MAX)
		return NONO_EINVAL;
	if (*len > 1)
		buf[(*len)++] = '/';
	memcpy(buf + *len, c, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

/*
 * Symbolic links one walk may follow before it gives up with ELOOP: glibc's
 * realpath(3) threshold on Linux (__eloop_threshold()), so that the walk
 * below fails exactly where realpath would.
 */
#define PATH_MAX_LINKS 40

/*
 * The state of a forward walk: the canonical path resolved so far (no
 * symlink, no "." or ".." in it), the links followed, and whether the last
 * step resolved a name that a following ".." must find to be a searchable
 * directory (as realpath checks it: "file/.." fails).
 */
struct path_walk {
	char res[PATH_MAX];
	size_t len;
	char good[PATH_MAX]; /* res before the component being walked */
	unsigned links;
	bool check_dir;
	char *pending; /* 2 * PATH_MAX, allocated at the first symlink */
};

/* Drops the last component of w->res ("/" stays "/"). */
static void walk_pop(struct path_walk *w)
{
	while (w->len > 1 && w->res[w->len - 1] != '/')
		w->len--;
	if (w->len > 1)
		w->len--;
	w->res[w->len] = '\0';
}

/*
 * Resolves one component of the original path (`c`, `n` bytes, no slash)
 * on top of w->res, as realpath's walk does: "." stays, ".." goes up
 * (after checking that the name before it is a searchable directory), a
 * name is looked up with one readlink(2), and a symlink's target is walked
 * in its place, relative to the link's directory or to "/". Returns 0, -1
 * when the component does not resolve (realpath would fail on any path
 * that contains it; w is then left part-way), or NONO_ENOMEM.
 */
static int walk_component(struct path_walk *w, const char *c, size_t n)
{
	/* What is left to walk: the component itself, or once a symlink
	 * is met, its target followed by the rest of what was left. */
	const char *p = c, *end = c + n;

	while (p < end) {
		while (p < end && *p == '/')
			p++;
		const char *e = p;
		while (e < end && *e != '/')
			e++;
		size_t len = (size_t)(e - p);

		if (len == 0)
			break;
		if (len == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (w->check_dir && w->len > 1) {
				w->res[w->len] = '/';
				w->res[w->len + 1] = '\0';
				int ok = faccessat(AT_FDCWD, w->res, F_OK,
						   AT_EACCESS) == 0;
				w->res[w->len] = '\0';
				if (!ok)
					return -1;
			}
			w->check_dir = false;
			walk_pop(w);
			p = e;
			continue;
		}

		/* Room for "/name" and the "/" a later check appends. */
		size_t base = w->len;
		if (base + 1 + len + 2 > PATH_MAX)
			return -1;
		if (base > 1)
			w->res[w->len++] = '/';
		memcpy(w->res + w->len, p, len);
		w->len += len;
		w->res[w->len] = '\0';

		char target[PATH_MAX];
		ssize_t tn = readlink(w->res, target, sizeof(target) - 1);
		if (tn < 0) {
			if (errno == ENOMEM)
				return NONO_ENOMEM;
			/* EINVAL: it exists and is not a symlink. */
			if (errno != EINVAL)
				return -1;
			w->check_dir = true;
			p = e;
			continue;
		}
		if (++w->links > PATH_MAX_LINKS)
			return -1;
		target[tn] = '\0';

		/* Walk the target in place of the name: relative to the
		 * link's directory, or from the root. */
		w->len = base;
		w->res[w->len] = '\0';
		if (target[0] == '/') {
			w->len = 1;
			w->res[1] = '\0';
		}
		w->check_dir = false;
		if (!w->pending) {
			w->pending = malloc(2 * PATH_MAX);
			if (!w->pending)
				return NONO_ENOMEM;
		}
		size_t rest = (size_t)(end - e);
		if ((size_t)tn + rest >= 2 * PATH_MAX)
			return -1;
		/* `e` may point into pending itself: move the rest first. */
		memmove(w->pending + tn, e, rest);
		memcpy(w->pending, target, (size_t)tn);
		p = w->pending;
		end = w->pending + tn + rest;
	}
	return 0;
}

int nono__path_canonical_lenient(const char *path, char **out)
{
	if (!path || !*path || !out)
		return NONO_EINVAL;
	if (strlen(path) >= PATH_MAX)
		return NONO_EINVAL;

	char abs[2 * PATH_MAX];
	if (path[0] == '/') {
		strcpy(abs, path);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return NONO_ECANON;
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	}

	/*
	 * Resolve the longest prefix that exists, exactly as realpath(3)
	 * would walk it (symlinks before ".."), then fold the missing tail
	 * lexically on top: a name that does not exist cannot be a link.
	 *
	 * One forward walk, one readlink per component: the prefix up to
	 * the first component that does not resolve is the longest one
	 * realpath accepts, since realpath walks every shorter prefix on
	 * its way and fails on every longer one. (Calling realpath on ever
	 * shorter prefixes would cost a walk per missing component.)
	 */
	struct path_walk *w = malloc(sizeof(*w));
	if (!w)
		return NONO_ENOMEM;
	*w = (struct path_walk){ .res = "/", .len = 1 };

	const char *tail = abs + strlen(abs);
	int rc = 0;
	for (const char *p = abs; *p;) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		if (e == p)
			break;
		size_t good_len = w->len;
		memcpy(w->good, w->res, good_len + 1);
		rc = walk_component(w, p, (size_t)(e - p));
		if (rc == NONO_ENOMEM)
			goto free_walk;
		if (rc < 0) {
			/* Everything before this component resolved. */
			w->len = good_len;
			memcpy(w->res, w->good, good_len + 1);
			tail = p;
			rc = 0;
			break;
		}
		p = e;
	}

	char *buf = malloc(PATH_MAX);
	if (!buf) {
		rc = NONO_ENOMEM;
		goto free_walk;
	}
	size_t len = w->len;
	memcpy(buf, w->res, len + 1);
	for (const char *p = tail; *p && rc == 0;) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		rc = push_component(buf, &len, p, (size_t)(e - p));
		p = e;
	}
	if (rc) {
		free(buf);
		goto free_walk;
	}
	*out = buf;

free_walk:
	free(w->pending);
	free(w);
	return rc;
}

/*
 * Replaces the first symbolic link in the plain path in buf (PATH_MAX
 * bytes) by the link's target: every name before the link is checked with
 * one readlink(2) (EINVAL: not a link), as realpath(3) walks them, and the
 * link itself with one more. 0, or -1 when the result is not a plain
 * spelling (a target with "." or ".."), a name is missing, no link is
 * found, or the target is long: the full way then decides. The target
 * buffer is small so that the walk stays on the stack pages already in use
 * (a long target is rare, and realpath takes it).
 */
static int splice_first_link(char *buf)
{
	char target[256];
	size_t n = strlen(buf);

	for (size_t e = 1; e <= n; e++) {
		if (e < n && buf[e] != '/')
			continue;
		char c = buf[e];
		buf[e] = '\0';
		ssize_t tn = readlink(buf, target, sizeof(target));
		int err = errno;
		buf[e] = c;
		if (tn < 0) {
			if (err != EINVAL)
				return -1;
			continue;
		}
		if (tn == 0 || (size_t)tn >= sizeof(target))
			return -1;
		/* A relative target is read in the link's directory, which
		 * is link-free: every name before it was checked. */
		size_t dir = 0;
		if (target[0] != '/') {
			dir = e;
			while (buf[dir - 1] != '/')
				dir--;
		}
		if (dir + (size_t)tn + (n - e) >= PATH_MAX)
			return -1;
		memmove(buf + dir + tn, buf + e, n - e + 1);
		memcpy(buf + dir, target, (size_t)tn);
		return nono__path_is_plain(buf) ? 0 : -1;
	}
	return -1;
}

int nono__path_open_plain(const char *path, bool want_dir, int *fd,
			  char **spliced)
{
	/* Set once openat2 turned out to be missing or filtered: the full
	 * path is then taken without trying again. */
	static atomic_bool unavailable;
	char buf[PATH_MAX];
	const char *p = path;

	*spliced = NULL;
	if (atomic_load(&unavailable))
		return -1;
	for (unsigned links = 0;; links++) {
		int r = nono__open_plain(p, want_dir);
		if (r >= 0) {
			if (p != path && !(*spliced = strdup(p))) {
				close(r);
				return NONO_ENOMEM;
			}
			*fd = r;
			return 0;
		}
		if (errno == ENOSYS || errno == EPERM)
			atomic_store(&unavailable, true);
		/* The walk stops at the first symlink (ELOOP) or missing
		 * name, whichever comes first: ENOENT means no symlink came
		 * before the missing name, and realpath fails there too. */
		if (errno == ENOENT && p == path)
			return NONO_ENOENT;
		/*
		 * A symlink on the way: its target spliced in and the whole
		 * opened again refusing links, so that the descriptor and the
		 * spelling stay one (a link swapped meanwhile makes that open
		 * fail, never land elsewhere). A few links are followed so;
		 * anything unusual, a missing name after a link included,
		 * takes the full way, which gives the exact error.
		 */
		if (errno != ELOOP || links == 8)
			return -1;
		if (p == path) {
			/* nono__open_plain took it: shorter than PATH_MAX. */
			strcpy(buf, path);
			p = buf;
		}
		if (splice_first_link(buf) != 0)
			return -1;
	}
}

static int fd_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void nono__fds_close(int *fds, size_t n)
{
	qsort(fds, n, sizeof(*fds), fd_cmp);
	/* Each run of consecutive descriptors, all the caller's own, with
	 * one close_range(2); a descriptor alone with close(2). */
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && fds[j] == fds[j - 1] + 1)
			j++;
#ifdef SYS_close_range
		if (j - i > 1 && syscall(SYS_close_range, (unsigned)fds[i],
					 (unsigned)fds[j - 1], 0) == 0) {
			i = j;
			continue;
		}
#endif
		for (; i < j; i++)
			close(fds[i]);
	}
}

void nono__path_close_fds(const struct nono__fs_entry *fs, size_t n)
{
	int *fds = malloc((n + 1) * sizeof(*fds));
	size_t count = 0;

	if (!fds) {
		for (size_t i = 0; i < n; i++)
			if (fs[i].fd >= 0)
				close(fs[i].fd);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (fs[i].fd >= 0)
			fds[count++] = fs[i].fd;
	nono__fds_close(fds, count);
	free(fds);
}
