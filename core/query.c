// SPDX-License-Identifier: Apache-2.0
/*
 * Queries without applying (nono's QueryContext).
 *
 * A query context is a snapshot of a capability set, indexed so that a
 * path query costs a handful of hash lookups however many grants there
 * are: one per component of the queried path. Grants with the same
 * resolved path are merged into one "level" when the snapshot is taken;
 * the access of all of them adds up, as it does in the kernel.
 *
 * Deny rules and blocked commands have levels of their own. A deny level
 * cancels what the grants above it give, on the way down the queried path,
 * as the backend's carve-out does (docs/deny.md): only grants beneath it
 * (explicit carve-ins) count past it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "caps-internal.h"

/* Every grant found at one resolved path. */
struct query_level {
	const char *path; /* borrowed from the snapshot; what granted_path
			   * points to */
	size_t len;
	uint64_t hash;
	unsigned dir_access;  /* union of directory grants here */
	unsigned file_access; /* union of file grants here */
	bool denied;	      /* a deny rule names this path */
	bool blocked;	      /* a blocked command resolved to this file */
	/* The grants here: grant_idx[first .. first + ngrants) are their
	 * indices in snap->fs. */
	size_t first;
	size_t ngrants;
	size_t deny; /* the deny rule here: its index in snap->deny */
};

struct nono_query {
	/* A copy of the set: what the levels' paths and an explanation's
	 * rules are borrowed from. */
	nono_caps *snap;
	size_t *grant_idx;
	struct query_level *levels;
	size_t nlevels;
	/* Open addressing, linear probing: index + 1 into levels, 0 free.
	 * At most half full, so probes stay short and always end. */
	size_t *slots;
	size_t mask;
	bool net_blocked;
	/* Copies of the TCP port exceptions; a handful at most, so a scan
	 * is the right lookup. */
	uint16_t *tcp_connect;
	size_t tcp_connect_len;
	uint16_t *tcp_bind;
	size_t tcp_bind_len;
	/* The deny levels, for "is a deny beneath this directory?": a
	 * handful at most, so a scan. Borrowed from levels. */
	const struct query_level **denies;
	size_t ndenies;
};

/* FNV-1a: simple, and it can be carried forward one byte at a time, so a
 * single pass over the queried path yields the hash of every prefix. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * FNV_PRIME;
}

static uint64_t fnv(const char *s, size_t len)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < len; i++)
		h = fnv_step(h, (unsigned char)s[i]);
	return h;
}

static struct query_level *lookup(const struct nono_query *q, const char *s,
				  size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & q->mask;

	for (;;) {
		size_t slot = q->slots[i];
		struct query_level *lv;

		if (slot == 0)
			return NULL;
		lv = &q->levels[slot - 1];
		if (lv->hash == hash && lv->len == len &&
		    memcmp(lv->path, s, len) == 0)
			return lv;
		i = (i + 1) & q->mask;
	}
}

static void insert_slot(struct nono_query *q, size_t level_index)
{
	size_t i = (size_t)q->levels[level_index].hash & q->mask;

	while (q->slots[i] != 0)
		i = (i + 1) & q->mask;
	q->slots[i] = level_index + 1;
}

const char *nono_query_status_str(nono_query_status status)
{
	switch (status) {
	case NONO_QUERY_STATUS_ALLOWED:
		return "allowed";
	case NONO_QUERY_STATUS_DENIED:
		return "denied";
	}
	return NULL;
}

const char *nono_query_reason_str(nono_query_reason reason)
{
	switch (reason) {
	case NONO_QUERY_REASON_GRANTED_PATH:
		return "granted_path";
	case NONO_QUERY_REASON_PATH_NOT_GRANTED:
		return "path_not_granted";
	case NONO_QUERY_REASON_INSUFFICIENT_ACCESS:
		return "insufficient_access";
	case NONO_QUERY_REASON_NETWORK_ALLOWED:
		return "network_allowed";
	case NONO_QUERY_REASON_NETWORK_BLOCKED:
		return "network_blocked";
	case NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS:
		return "network_blocked_except_ports";
	case NONO_QUERY_REASON_TCP_PORT_GRANTED:
		return "tcp_port_granted";
	case NONO_QUERY_REASON_DENIED_BY_RULE:
		return "denied_by_rule";
	}
	return NULL;
}

void nono_query_free(nono_query *query)
{
	if (!query)
		return;
	nono_caps_free(query->snap);
	free(query->grant_idx);
	free(query->levels);
	free(query->slots);
	free(query->tcp_connect);
	free(query->tcp_bind);
	free(query->denies);
	free(query);
}

static int copy_ports(uint16_t **dst, size_t *len,
		      const struct nono__ports *src)
{
	if (src->len == 0)
		return 0;
	*dst = malloc(src->len * sizeof(**dst));
	if (!*dst)
		return NONO_ENOMEM;
	memcpy(*dst, src->v, src->len * sizeof(**dst));
	*len = src->len;
	return 0;
}

/* The level of `path` (borrowed from the snapshot), made if there is none
 * yet. The level array was sized for every path that can come. */
static struct query_level *level_for(struct nono_query *q, const char *path)
{
	size_t len = strlen(path);
	uint64_t h = fnv(path, len);
	struct query_level *lv = lookup(q, path, len, h);

	if (lv)
		return lv;
	lv = &q->levels[q->nlevels];
	lv->path = path;
	lv->len = len;
	lv->hash = h;
	insert_slot(q, q->nlevels);
	q->nlevels++;
	return lv;
}

/* Indexes the grants: a level per resolved path, and each level's grants
 * as one run of grant_idx, in the order of the set. */
static int index_grants(struct nono_query *q)
{
	const nono_caps *caps = q->snap;
	size_t *level_of = malloc((caps->fs_len + 1) * sizeof(*level_of));
	size_t next = 0;

	q->grant_idx = malloc((caps->fs_len + 1) * sizeof(*q->grant_idx));
	if (!level_of || !q->grant_idx) {
		free(level_of);
		return NONO_ENOMEM;
	}
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		struct query_level *lv = level_for(q, e->resolved);

		if (e->is_file)
			lv->file_access |= (unsigned)e->access;
		else
			lv->dir_access |= (unsigned)e->access;
		lv->ngrants++;
		level_of[i] = (size_t)(lv - q->levels);
	}
	for (size_t l = 0; l < q->nlevels; l++) {
		q->levels[l].first = next;
		next += q->levels[l].ngrants;
		q->levels[l].ngrants = 0;
	}
	for (size_t i = 0; i < caps->fs_len; i++) {
		struct query_level *lv = &q->levels[level_of[i]];

		q->grant_idx[lv->first + lv->ngrants++] = i;
	}
	free(level_of);
	return 0;
}

int nono_query_new(const nono_caps *caps, nono_query **out)
{
	struct nono_query *q;
	size_t n, nslots = 8;

	if (!out)
		return NONO_EINVAL;
	*out = NULL;
	if (!caps)
		return NONO_EINVAL;

	n = caps->fs_len + caps->deny_len + caps->block_files.len;
	while (nslots < n * 2) {
		if (nslots > SIZE_MAX / 4)
			return NONO_ENOMEM;
		nslots *= 2;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		return NONO_ENOMEM;
	q->net_blocked = caps->net_blocked;
	q->mask = nslots - 1;
	q->slots = calloc(nslots, sizeof(*q->slots));
	q->levels = calloc(n ? n : 1, sizeof(*q->levels));
	if (!q->slots || !q->levels || nono_caps_clone(caps, &q->snap) != 0)
		goto free_query;
	/* From here on the copy: the levels borrow its strings. */
	caps = q->snap;
	if (index_grants(q) != 0)
		goto free_query;
	q->denies = calloc(caps->deny_len + 1, sizeof(*q->denies));
	if (!q->denies)
		goto free_query;
	for (size_t i = 0; i < caps->deny_len; i++) {
		struct query_level *lv = level_for(q, caps->deny[i].resolved);

		if (!lv->denied) {
			q->denies[q->ndenies++] = lv;
			lv->deny = i;
		}
		lv->denied = true;
	}
	for (size_t i = 0; i < caps->block_files.len; i++) {
		const char *f = caps->block_files.v[i];

		if (nono__caps_file_blocked(caps, f))
			level_for(q, f)->blocked = true;
	}
	if (copy_ports(&q->tcp_connect, &q->tcp_connect_len,
		       &caps->tcp_connect) ||
	    copy_ports(&q->tcp_bind, &q->tcp_bind_len, &caps->tcp_bind))
		goto free_query;
	*out = q;
	return 0;

free_query:
	nono_query_free(q);
	return NONO_ENOMEM;
}

static bool valid_mode(nono_access mode)
{
	return mode == NONO_ACCESS_READ || mode == NONO_ACCESS_WRITE ||
	       mode == NONO_ACCESS_READ_WRITE;
}

/*
 * What the walk over the prefixes of the queried path found. Prefixes are
 * visited from the shortest ("/") to the path itself, so a later find is
 * always more specific than an earlier one.
 */
struct query_walk {
	unsigned want;
	unsigned all;			/* union of every covering grant */
	const struct query_level *last; /* the most specific covering level */
	unsigned last_access;
	const struct query_level *part; /* most specific with some of want */
	unsigned part_access;
	const struct query_level *deny; /* the last deny on the way */
	const struct query_level *self; /* the queried path's own level */
	/* For an explanation (NULL otherwise): the covering levels since
	 * the last deny, the least specific first; room for one per
	 * component and "/". */
	const struct query_level **seen;
	size_t nseen;
};

/* A deny rule at this level: what the grants above gave stops here. */
static void visit_deny(struct query_walk *w, const struct query_level *lv)
{
	if (!lv || !lv->denied)
		return;
	w->all = 0;
	w->last = NULL;
	w->last_access = 0;
	w->part = NULL;
	w->part_access = 0;
	w->deny = lv;
	w->nseen = 0;
}

static void visit(struct query_walk *w, const struct query_level *lv,
		  unsigned access)
{
	if (!lv || !access)
		return;
	w->all |= access;
	w->last = lv;
	w->last_access = access;
	if (access & w->want) {
		w->part = lv;
		w->part_access = access;
	}
	if (w->seen)
		w->seen[w->nseen++] = lv;
}

/* Visits every directory grant that is a component-wise prefix of p[0..len)
 * (as nono__path_is_beneath defines it), and the grants at it itself. */
static void walk(const struct nono_query *q, const char *p, size_t len,
		 struct query_walk *w)
{
	uint64_t h = FNV_OFFSET;
	const struct query_level *lv;

	if (len > 0 && p[0] == '/') {
		/* "/" is the one directory whose path ends in a slash. */
		if (len > 1) {
			lv = lookup(q, "/", 1, fnv("/", 1));
			visit(w, lv, lv ? lv->dir_access : 0);
			visit_deny(w, lv);
		}
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '/' && i > 0) {
				lv = lookup(q, p, i, h);
				visit(w, lv, lv ? lv->dir_access : 0);
				visit_deny(w, lv);
			}
			h = fnv_step(h, (unsigned char)p[i]);
		}
	} else {
		h = fnv(p, len);
	}
	lv = lookup(q, p, len, h);
	visit(w, lv, lv ? lv->dir_access | lv->file_access : 0);
	/* A deny at the path itself wins over a grant there. */
	visit_deny(w, lv);
	w->self = lv;
}

/* A deny strictly beneath directory dir[0..len), or NULL. */
static const struct query_level *deny_beneath(const struct nono_query *q,
					      const char *dir, size_t len)
{
	for (size_t i = 0; i < q->ndenies; i++) {
		const struct query_level *d = q->denies[i];

		if (d->len > len && memcmp(d->path, dir, len) == 0 &&
		    (d->path[len] == '/' || (len == 1 && dir[0] == '/')))
			return d;
	}
	return NULL;
}

/*
 * The deny rule that decides for `canon`, a path the grants reach (w):
 * a directory on the way from a grant to a denied path has no rule of its
 * own that would reach the denied one, so it cannot be listed or changed;
 * and a path that does not exist yet in such a directory would be a new
 * entry there, which gets nothing. NULL when no deny decides.
 */
static const struct query_level *deny_on_the_way(const struct nono_query *q,
						 const char *canon)
{
	const struct query_level *d;
	struct query_walk pw = { .want = 0 };
	struct stat st;
	const char *slash;
	size_t len;

	if (q->ndenies == 0)
		return NULL;
	d = deny_beneath(q, canon, strlen(canon));
	if (d)
		return d;
	if (lstat(canon, &st) == 0 || errno != ENOENT)
		return NULL;
	slash = strrchr(canon, '/');
	if (!slash)
		return NULL;
	len = slash == canon ? 1 : (size_t)(slash - canon);
	walk(q, canon, len, &pw);
	return pw.all ? deny_beneath(q, canon, len) : NULL;
}

/*
 * The answer for canonical `canon`, walked into `w` (whose `want` and
 * `seen` the caller set): the one judgement every path query shares.
 */
static void judge(const struct nono_query *query, const char *canon,
		  nono_access mode, struct query_walk *w,
		  nono_query_result *out)
{
	const struct query_level *deny;

	walk(query, canon, strlen(canon), w);
	*out = (nono_query_result){
		.status = NONO_QUERY_STATUS_DENIED,
		.requested = mode,
	};
	deny = w->last ? deny_on_the_way(query, canon) : NULL;
	if (!w->last && w->deny) {
		out->reason = NONO_QUERY_REASON_DENIED_BY_RULE;
		out->denied_path = w->deny->path;
	} else if (!w->last) {
		out->reason = NONO_QUERY_REASON_PATH_NOT_GRANTED;
	} else if (deny) {
		out->reason = NONO_QUERY_REASON_DENIED_BY_RULE;
		out->denied_path = deny->path;
	} else if (w->self && w->self->blocked &&
		   (w->want & NONO_ACCESS_READ)) {
		/* A blocked command cannot be read either (docs/deny.md). */
		out->reason = NONO_QUERY_REASON_DENIED_BY_RULE;
		out->denied_path = w->self->path;
	} else if ((w->all & w->want) != w->want) {
		out->reason = NONO_QUERY_REASON_INSUFFICIENT_ACCESS;
		out->granted = (nono_access)w->all;
	} else if ((w->last_access & w->want) == w->want) {
		/* The most specific grant answers alone. */
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_GRANTED_PATH;
		out->granted_path = w->last->path;
		out->granted = (nono_access)w->last_access;
	} else {
		/*
		 * The most specific grant lacks some of what was asked, and
		 * less specific ones make up for it: READ on /a/b and WRITE
		 * on /a let a program read and write /a/b/c. Name the most
		 * specific grant that contributes; when it covers the request
		 * alone, its own access explains the answer, otherwise only
		 * the access of all covering grants together does. `part` is
		 * set: w->all has every bit of want, so some level had one.
		 */
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_GRANTED_PATH;
		out->granted_path = w->part->path;
		out->granted = (w->part_access & w->want) == w->want
				       ? (nono_access)w->part_access
				       : (nono_access)w->all;
	}
}

/* The lenient canonicalisation of queries, with its errors kept within
 * the documented codes: only memory can fail here in practice; a working
 * directory that no longer exists (for a relative path) is the caller's
 * argument gone bad. */
static int query_canonical(const char *path, char **canon)
{
	int rc = nono__path_canonical_lenient(path, canon);

	if (rc)
		return rc == NONO_ENOMEM ? NONO_ENOMEM : NONO_EINVAL;
	return 0;
}

int nono_path_canonical(const char *path, char **out)
{
	if (!out)
		return NONO_EINVAL;
	*out = NULL;
	if (!path || !*path)
		return NONO_EINVAL;
	return query_canonical(path, out);
}

int nono_query_path(const nono_query *query, const char *path, nono_access mode,
		    nono_query_result *out)
{
	struct query_walk w = { .want = (unsigned)mode };
	char *canon = NULL;
	int rc;

	if (!query || !path || !*path || !out || !valid_mode(mode))
		return NONO_EINVAL;
	rc = query_canonical(path, &canon);
	if (rc)
		return rc;
	judge(query, canon, mode, &w, out);
	free(canon);
	return 0;
}

int nono_query_path_canonical(const nono_query *query, const char *path,
			      nono_access mode, nono_query_result *out)
{
	struct query_walk w = { .want = (unsigned)mode };

	if (!query || !path || !out || !valid_mode(mode) ||
	    !nono__path_is_plain(path))
		return NONO_EINVAL;
	judge(query, path, mode, &w, out);
	return 0;
}

/* ---- explanations ---------------------------------------------------- */

/* An explanation and what it owns. */
struct explanation {
	nono_query_explanation pub;
	char *canon;
	nono_query_rule *rules; /* the grants, then the deny rule */
	size_t nrules;
};

/* How many rules the grants of `lv` can give: one per line that gave
 * one. */
static size_t level_rule_count(const struct nono_query *q,
			       const struct query_level *lv)
{
	size_t n = 0;

	for (size_t g = 0; g < lv->ngrants; g++)
		n += 1 + q->snap->fs[q->grant_idx[lv->first + g]].nmore;
	return n;
}

/*
 * Appends the grants of level `lv` (its file grants only when `self`, the
 * queried path's own level) that give some of `*need`, one rule per line
 * that gave them, taking what they give out of *need; every one that
 * gives anything when need_all. x->rules has room for them all.
 */
static void add_level_rules(const struct nono_query *q, struct explanation *x,
			    const struct query_level *lv, bool self,
			    unsigned *need, bool need_all)
{
	const nono_caps *snap = q->snap;

	for (size_t g = 0; g < lv->ngrants; g++) {
		const struct nono__fs_entry *e =
			&snap->fs[q->grant_idx[lv->first + g]];

		if (e->is_file && !self)
			continue;
		for (size_t k = 0; k <= e->nmore; k++) {
			const struct nono__origin *o =
				k ? &e->more[k - 1] : &e->origin;
			unsigned gives = (unsigned)o->access;

			if (need_all ? !gives : !(gives & *need))
				continue;
			*need &= ~gives;
			x->rules[x->nrules++] = (nono_query_rule){
				.original =
					o->original ? o->original : e->original,
				.resolved = e->resolved,
				.access = o->access,
				.is_file = e->is_file,
				.origin_file = nono__origin_file(snap, o),
				.origin_line = o->line,
			};
		}
	}
}

void nono_query_explanation_free(nono_query_explanation *explanation)
{
	struct explanation *x = (struct explanation *)explanation;

	if (!x)
		return;
	free(x->canon);
	free(x->rules);
	free(x);
}

int nono_query_path_explain(const nono_query *query, const char *path,
			    nono_access mode, nono_query_explanation **out)
{
	struct query_walk w = { .want = (unsigned)mode };
	nono_query_result *res;
	struct explanation *x;
	unsigned need;
	size_t ncomp = 2, room = 1;
	int rc;

	if (!out)
		return NONO_EINVAL;
	*out = NULL;
	if (!query || !path || !*path || !valid_mode(mode))
		return NONO_EINVAL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NONO_ENOMEM;
	rc = query_canonical(path, &x->canon);
	if (rc)
		goto free_explanation;
	for (const char *p = x->canon; *p; p++)
		ncomp += *p == '/';
	rc = NONO_ENOMEM;
	w.seen = malloc(ncomp * sizeof(*w.seen));
	if (!w.seen)
		goto free_explanation;
	res = &x->pub.result;
	judge(query, x->canon, mode, &w, res);
	/* Room for every grant on the way and a deny rule, at once. */
	for (size_t i = 0; i < w.nseen; i++)
		room += level_rule_count(query, w.seen[i]);
	x->rules = malloc(room * sizeof(*x->rules));
	if (!x->rules)
		goto free_seen;

	/* Most specific first: the levels from the path itself up. */
	need = res->reason == NONO_QUERY_REASON_GRANTED_PATH ? (unsigned)mode
							     : 0;
	for (size_t i = w.nseen;
	     i > 0 &&
	     (need || res->reason == NONO_QUERY_REASON_INSUFFICIENT_ACCESS);
	     i--) {
		const struct query_level *lv = w.seen[i - 1];

		add_level_rules(query, x, lv, lv == w.self, &need,
				res->reason ==
					NONO_QUERY_REASON_INSUFFICIENT_ACCESS);
	}
	x->pub.grant_count = x->nrules;
	if (res->reason == NONO_QUERY_REASON_DENIED_BY_RULE) {
		const struct query_level *lv = lookup(
			query, res->denied_path, strlen(res->denied_path),
			fnv(res->denied_path, strlen(res->denied_path)));

		if (lv && lv->denied) {
			const struct nono__deny_entry *d =
				&query->snap->deny[lv->deny];

			x->rules[x->nrules++] = (nono_query_rule){
				.original = d->original,
				.resolved = d->resolved,
				.is_file = d->is_file,
				.origin_file = nono__origin_file(query->snap,
								 &d->origin),
				.origin_line = d->origin.line,
			};
		}
	}
	x->pub.canonical_path = x->canon;
	x->pub.grants = x->pub.grant_count ? x->rules : NULL;
	x->pub.deny = x->nrules > x->pub.grant_count ? &x->rules[x->nrules - 1]
						     : NULL;
	free(w.seen);
	*out = &x->pub;
	return 0;

free_seen:
	free(w.seen);
free_explanation:
	nono_query_explanation_free(&x->pub);
	return rc;
}

int nono_query_network(const nono_query *query, nono_query_result *out)
{
	if (!query || !out)
		return NONO_EINVAL;
	*out = (nono_query_result){ 0 };
	if (query->net_blocked) {
		out->status = NONO_QUERY_STATUS_DENIED;
		out->reason =
			query->tcp_connect_len || query->tcp_bind_len
				? NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS
				: NONO_QUERY_REASON_NETWORK_BLOCKED;
	} else {
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_NETWORK_ALLOWED;
	}
	return 0;
}

static bool port_listed(const uint16_t *ports, size_t len, unsigned port)
{
	for (size_t i = 0; i < len; i++)
		if (ports[i] == port)
			return true;
	return false;
}

int nono_query_tcp(const nono_query *query, nono_tcp_op op, unsigned port,
		   nono_query_result *out)
{
	if (!query || !out || (op != NONO_TCP_CONNECT && op != NONO_TCP_BIND))
		return NONO_EINVAL;
	if (port < 1 || port > 65535)
		return NONO_ERANGE;
	*out = (nono_query_result){ .tcp_op = op, .port = port };
	if (!query->net_blocked) {
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_NETWORK_ALLOWED;
	} else if (op == NONO_TCP_CONNECT
			   ? port_listed(query->tcp_connect,
					 query->tcp_connect_len, port)
			   : port_listed(query->tcp_bind, query->tcp_bind_len,
					 port)) {
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_TCP_PORT_GRANTED;
	} else {
		out->status = NONO_QUERY_STATUS_DENIED;
		out->reason = NONO_QUERY_REASON_NETWORK_BLOCKED;
	}
	return 0;
}

/* Writes `"key": "value"` preceded by ", " as json.dumps separates
 * items. */
static void put_item(FILE *f, const char *key, const char *value)
{
	fprintf(f, ", \"%s\": ", key);
	/* As json.dumps writes it by default, as nono-py prints it. */
	nono__json_put_string(f, value, true);
}

char *nono_query_result_json(const nono_query_result *result)
{
	const char *status, *reason, *granted = NULL, *requested = NULL;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	if (!result)
		return NULL;
	status = nono_query_status_str(result->status);
	reason = nono_query_reason_str(result->reason);
	if (!status || !reason)
		return NULL;
	/* A result that names a grant must say what it gives; refuse to
	 * print one that does not rather than print a half-empty object. */
	if (result->reason == NONO_QUERY_REASON_GRANTED_PATH) {
		granted = nono_access_str(result->granted);
		if (!result->granted_path || !granted)
			return NULL;
	} else if (result->reason == NONO_QUERY_REASON_INSUFFICIENT_ACCESS) {
		granted = nono_access_str(result->granted);
		requested = nono_access_str(result->requested);
		if (!granted || !requested)
			return NULL;
	} else if (result->reason == NONO_QUERY_REASON_DENIED_BY_RULE &&
		   !result->denied_path) {
		return NULL;
	}

	f = open_memstream(&buf, &size);
	if (!f)
		return NULL;
	fprintf(f, "{\"status\": \"%s\", \"reason\": \"%s\"", status, reason);
	if (result->tcp_op == NONO_TCP_CONNECT ||
	    result->tcp_op == NONO_TCP_BIND)
		fprintf(f, ", \"op\": \"%s\", \"port\": %u",
			result->tcp_op == NONO_TCP_CONNECT ? "connect" : "bind",
			result->port);
	if (result->reason == NONO_QUERY_REASON_GRANTED_PATH) {
		put_item(f, "granted_path", result->granted_path);
		put_item(f, "access", granted);
	} else if (result->reason == NONO_QUERY_REASON_INSUFFICIENT_ACCESS) {
		put_item(f, "granted", granted);
		put_item(f, "requested", requested);
	} else if (result->reason == NONO_QUERY_REASON_DENIED_BY_RULE) {
		put_item(f, "denied_path", result->denied_path);
	}
	fputc('}', f);
	return nono__memstream_finish(f, &buf);
}
