// SPDX-License-Identifier: Apache-2.0
/* The capability set: nono's CapabilitySet. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps-internal.h"

/* ---- string vectors -------------------------------------------------- */

int nono__strv_push(struct nono__strv *sv, const char *s)
{
	char **v = nono__grow(sv->v, &sv->cap, sv->len, sizeof(*v), 4);
	if (!v)
		return NONO_ENOMEM;
	sv->v = v;
	char *copy = strdup(s);
	if (!copy)
		return NONO_ENOMEM;
	sv->v[sv->len++] = copy;
	return 0;
}

int nono__strv_copy(struct nono__strv *dst, const struct nono__strv *src)
{
	for (size_t i = 0; i < src->len; i++) {
		int rc = nono__strv_push(dst, src->v[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Whether `s` is in `sv`. */
static bool strv_has(const struct nono__strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->len; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* Drops the entries from `len` on, so that a step that failed half way
 * leaves the vector as it was. */
static void strv_truncate(struct nono__strv *sv, size_t len)
{
	while (sv->len > len)
		free(sv->v[--sv->len]);
}

void nono__strv_clear(struct nono__strv *sv)
{
	for (size_t i = 0; i < sv->len; i++)
		free(sv->v[i]);
	free(sv->v);
	*sv = (struct nono__strv){ 0 };
}

/* ---- access modes ---------------------------------------------------- */

NONO_API const char *nono_access_str(nono_access mode)
{
	switch (mode) {
	case NONO_ACCESS_READ:
		return "read";
	case NONO_ACCESS_WRITE:
		return "write";
	case NONO_ACCESS_READ_WRITE:
		return "read+write";
	}
	return NULL;
}

NONO_API int nono_access_parse(const char *text, nono_access *out)
{
	static const nono_access all[] = { NONO_ACCESS_READ, NONO_ACCESS_WRITE,
					   NONO_ACCESS_READ_WRITE };
	if (!text || !out)
		return NONO_EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		if (strcmp(text, nono_access_str(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	}
	return NONO_EINVAL;
}

static bool access_valid(nono_access mode)
{
	return nono_access_str(mode) != NULL;
}

/* ---- lifetime -------------------------------------------------------- */

NONO_API int nono_caps_new(nono_caps **out)
{
	if (!out)
		return NONO_EINVAL;
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return NONO_ENOMEM;
	(*out)->keep_capabilities = NONO_CAPABILITIES_DEFAULT;
	return 0;
}

static void fs_entry_free(struct nono__fs_entry *e)
{
	/* resolved lives in original's block. */
	free(e->original);
	for (size_t i = 0; i < e->nmore; i++)
		free(e->more[i].original);
	free(e->more);
	if (e->fd >= 0)
		close(e->fd);
}

static void deny_free_all(struct nono_caps *caps)
{
	for (size_t i = 0; i < caps->deny_len; i++) {
		free(caps->deny[i].original);
		free(caps->deny[i].resolved);
	}
	free(caps->deny);
	caps->deny = NULL;
	caps->deny_len = caps->deny_cap = 0;
}

NONO_API void nono_caps_free(nono_caps *caps)
{
	if (!caps)
		return;
	/* The descriptors first, with one system call where it can. */
	nono__path_close_fds(caps->fs, caps->fs_len);
	for (size_t i = 0; i < caps->fs_len; i++) {
		caps->fs[i].fd = -1;
		fs_entry_free(&caps->fs[i]);
	}
	free(caps->fs);
	nono__strv_clear(&caps->allow_cmds);
	nono__strv_clear(&caps->block_cmds);
	nono__strv_clear(&caps->platform_rules);
	nono__strv_clear(&caps->allow_files);
	nono__strv_clear(&caps->block_files);
	nono__strv_clear(&caps->origin_files);
	deny_free_all(caps);
	free(caps->tcp_connect.v);
	free(caps->tcp_bind.v);
	free(caps->udp_connect.v);
	free(caps->udp_bind.v);
	free(caps);
}

/*
 * Appends an entry: the two spellings are copied into one block (one
 * allocation per grant; the canonical spelling shares the original's
 * bytes where they are the same), and `fd` (-1 or a descriptor) is taken
 * over, closed on failure.
 */
static int fs_push(struct nono_caps *caps, const char *original,
		   const char *resolved, nono_access access, bool is_file,
		   unsigned mode, int fd)
{
	size_t olen = strlen(original) + 1;
	size_t rlen =
		strcmp(original, resolved) != 0 ? strlen(resolved) + 1 : 0;
	char *block;

	struct nono__fs_entry *fs = nono__grow(caps->fs, &caps->fs_cap,
					       caps->fs_len, sizeof(*fs), 64);
	if (!fs)
		goto fail;
	caps->fs = fs;
	block = malloc(olen + rlen);
	if (!block)
		goto fail;
	memcpy(block, original, olen);
	if (rlen)
		memcpy(block + olen, resolved, rlen);
	caps->fs[caps->fs_len++] = (struct nono__fs_entry){
		.original = block,
		.resolved = rlen ? block + olen : block,
		.access = access,
		.is_file = is_file,
		.mode = mode,
		.fd = fd,
		.origin = caps->cur_origin,
	};
	caps->fs[caps->fs_len - 1].origin.access = access;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	return NONO_ENOMEM;
}

/* Appends a denied path, taking ownership of both strings (freed on
 * failure). */
static int deny_push(struct nono_caps *caps, char *original, char *resolved,
		     bool is_file)
{
	struct nono__deny_entry *d = nono__grow(caps->deny, &caps->deny_cap,
						caps->deny_len, sizeof(*d), 4);
	if (!d) {
		free(original);
		free(resolved);
		return NONO_ENOMEM;
	}
	caps->deny = d;
	caps->deny[caps->deny_len++] = (struct nono__deny_entry){
		.original = original,
		.resolved = resolved,
		.is_file = is_file,
		.origin = caps->cur_origin,
	};
	return 0;
}

static int ports_push(struct nono__ports *p, uint16_t port)
{
	for (size_t i = 0; i < p->len; i++)
		if (p->v[i] == port)
			return 0;
	uint16_t *v = nono__grow(p->v, &p->cap, p->len, sizeof(*v), 4);
	if (!v)
		return NONO_ENOMEM;
	p->v = v;
	p->v[p->len++] = port;
	return 0;
}

static int ports_copy(struct nono__ports *dst, const struct nono__ports *src)
{
	for (size_t i = 0; i < src->len; i++) {
		int rc = ports_push(dst, src->v[i]);
		if (rc)
			return rc;
	}
	return 0;
}

NONO_API int nono_caps_clone(const nono_caps *caps, nono_caps **out)
{
	if (!caps || !out)
		return NONO_EINVAL;
	nono_caps *c = NULL;
	int rc = nono_caps_new(&c);
	if (rc)
		return rc;
	/* Origins keep their numbers: the file names are copied first. */
	rc = nono__strv_copy(&c->origin_files, &caps->origin_files);
	if (rc)
		goto fail;
	c->cur_origin = caps->cur_origin;
	/* Descriptors are not copied: the copy's rules open their paths
	 * when applied. */
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		struct nono__fs_entry *copy;

		rc = fs_push(c, e->original, e->resolved, e->access, e->is_file,
			     e->mode, -1);
		if (rc)
			goto fail;
		copy = &c->fs[c->fs_len - 1];
		copy->origin = e->origin;
		if (e->nmore) {
			copy->more = malloc(e->nmore * sizeof(*copy->more));
			if (!copy->more) {
				rc = NONO_ENOMEM;
				goto fail;
			}
			for (size_t k = 0; k < e->nmore; k++) {
				copy->more[k] = e->more[k];
				copy->more[k].original = NULL;
				copy->nmore = k + 1;
				if (e->more[k].original &&
				    !(copy->more[k].original =
					      strdup(e->more[k].original))) {
					rc = NONO_ENOMEM;
					goto fail;
				}
			}
		}
	}
	c->net_blocked = caps->net_blocked;
	for (size_t i = 0; i < caps->deny_len; i++) {
		const struct nono__deny_entry *d = &caps->deny[i];
		char *o = strdup(d->original);
		char *r = strdup(d->resolved);
		if (!o || !r) {
			free(o);
			free(r);
			rc = NONO_ENOMEM;
			goto fail;
		}
		rc = deny_push(c, o, r, d->is_file);
		if (rc)
			goto fail;
		c->deny[c->deny_len - 1].origin = d->origin;
	}
	c->no_exec_writable = caps->no_exec_writable;
	if ((rc = nono__strv_copy(&c->allow_cmds, &caps->allow_cmds)) ||
	    (rc = nono__strv_copy(&c->block_cmds, &caps->block_cmds)) ||
	    (rc = nono__strv_copy(&c->allow_files, &caps->allow_files)) ||
	    (rc = nono__strv_copy(&c->block_files, &caps->block_files)) ||
	    (rc = nono__strv_copy(&c->platform_rules, &caps->platform_rules)) ||
	    (rc = ports_copy(&c->tcp_connect, &caps->tcp_connect)) ||
	    (rc = ports_copy(&c->tcp_bind, &caps->tcp_bind)) ||
	    (rc = ports_copy(&c->udp_connect, &caps->udp_connect)) ||
	    (rc = ports_copy(&c->udp_bind, &caps->udp_bind)))
		goto fail;
	c->kernel_log = caps->kernel_log;
	c->scope_signal = caps->scope_signal;
	c->scope_abstract_unix = caps->scope_abstract_unix;
	c->unix_mode = caps->unix_mode;
	c->keep_capabilities = caps->keep_capabilities;
	c->protect_metadata = caps->protect_metadata;
	*out = c;
	return 0;
fail:
	nono_caps_free(c);
	return rc;
}

/* ---- grants ---------------------------------------------------------- */

/*
 * Resolves a grant's path the full way: realpath(3), then stat(2) of the
 * result for its kind. 0, or the error every grant of this path gives.
 */
static int resolve_full(const char *path, char **resolved, struct stat *st)
{
	int rc = nono__path_canonical(path, resolved);

	if (rc)
		return rc;
	if (stat(*resolved, st) != 0) {
		rc = errno == ENOENT ? NONO_ENOENT : NONO_ECANON;
		free(*resolved);
		*resolved = NULL;
	}
	return rc;
}

/*
 * Whether a grant keeps descriptor `fd`: in a set that keeps them, while
 * it lies in the lower half of what RLIMIT_NOFILE allows, so that the
 * process is left descriptors to apply the set and to run (a grant beyond
 * that opens its path when applied, as in any other set).
 */
static bool keep_fd(struct nono_caps *caps, int fd)
{
	if (!caps->keep_fds)
		return false;
	if (caps->fd_limit == 0) {
		struct rlimit rl;

		caps->fd_limit = 1;
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
			caps->fd_limit =
				rl.rlim_cur == RLIM_INFINITY ||
						rl.rlim_cur / 2 > INT_MAX
					? INT_MAX
					: (int)(rl.rlim_cur / 2);
	}
	return fd < caps->fd_limit;
}

static int add_fs(nono_caps *caps, const char *path, nono_access mode,
		  bool want_file)
{
	if (!caps || !path || !*path || !access_valid(mode))
		return NONO_EINVAL;
	char *canon = NULL;
	const char *resolved = path;
	struct stat st = { .st_mode = S_IFDIR };
	int fd = -1, rc;

	/*
	 * The fast way: a path spelled canonically with no symlink on the
	 * way is opened once, and that proves both (nono__path_open_plain);
	 * a symlink on the way is spliced in and the result opened so.
	 * O_DIRECTORY checks a directory's kind, an fstat a file's. Any
	 * failure takes the full way, which gives the exact error.
	 */
	rc = nono__path_open_plain(path, !want_file, &fd, &canon);
	if (rc == NONO_ENOENT || rc == NONO_ENOMEM)
		return rc;
	if (canon)
		resolved = canon;
	if (rc == 0 && want_file && fstat(fd, &st) != 0) {
		close(fd);
		fd = -1;
		free(canon);
		canon = NULL;
		resolved = path;
	}
	if (fd < 0) {
		rc = resolve_full(path, &canon, &st);
		if (rc)
			return rc;
		resolved = canon;
	}
	bool is_dir = S_ISDIR(st.st_mode);
	rc = 0;
	if (want_file && is_dir)
		rc = NONO_EISDIR;
	else if (!want_file && !is_dir)
		rc = NONO_ENOTDIR;
	if (rc == 0 && fd >= 0 && !keep_fd(caps, fd)) {
		close(fd);
		fd = -1;
	}
	if (rc == 0)
		rc = fs_push(caps, path, resolved, mode, want_file,
			     (unsigned)st.st_mode, fd);
	else if (fd >= 0)
		close(fd);
	free(canon);
	return rc;
}

NONO_API int nono_caps_allow_path(nono_caps *caps, const char *path,
				  nono_access mode)
{
	return add_fs(caps, path, mode, false);
}

NONO_API int nono_caps_allow_file(nono_caps *caps, const char *path,
				  nono_access mode)
{
	return add_fs(caps, path, mode, true);
}

NONO_API int nono_caps_set_keep_fds(nono_caps *caps, bool keep)
{
	if (!caps)
		return NONO_EINVAL;
	caps->keep_fds = keep;
	return 0;
}

NONO_API int nono_caps_block_network(nono_caps *caps)
{
	if (!caps)
		return NONO_EINVAL;
	caps->net_blocked = true;
	return 0;
}

NONO_API bool nono_caps_is_network_blocked(const nono_caps *caps)
{
	return caps && caps->net_blocked;
}

/* ---- Port exceptions and scopes ------------------------------------- */

static struct nono__ports *ports_of(const nono_caps *caps, nono_tcp_op op)
{
	switch (op) {
	case NONO_TCP_CONNECT:
		return (struct nono__ports *)&caps->tcp_connect;
	case NONO_TCP_BIND:
		return (struct nono__ports *)&caps->tcp_bind;
	case NONO_UDP_CONNECT:
		return (struct nono__ports *)&caps->udp_connect;
	case NONO_UDP_BIND:
		return (struct nono__ports *)&caps->udp_bind;
	}
	return NULL;
}

bool nono__caps_has_ports(const struct nono_caps *caps)
{
	return caps->tcp_connect.len > 0 || caps->tcp_bind.len > 0 ||
	       caps->udp_connect.len > 0 || caps->udp_bind.len > 0;
}

static int allow_tcp(nono_caps *caps, nono_tcp_op op, unsigned port)
{
	if (!caps)
		return NONO_EINVAL;
	if (port < 1 || port > 65535)
		return NONO_ERANGE;
	return ports_push(ports_of(caps, op), (uint16_t)port);
}

NONO_API int nono_caps_allow_tcp_connect(nono_caps *caps, unsigned port)
{
	return allow_tcp(caps, NONO_TCP_CONNECT, port);
}

NONO_API int nono_caps_allow_tcp_bind(nono_caps *caps, unsigned port)
{
	return allow_tcp(caps, NONO_TCP_BIND, port);
}

NONO_API int nono_caps_allow_udp_connect(nono_caps *caps, unsigned port)
{
	return allow_tcp(caps, NONO_UDP_CONNECT, port);
}

NONO_API int nono_caps_allow_udp_bind(nono_caps *caps, unsigned port)
{
	return allow_tcp(caps, NONO_UDP_BIND, port);
}

/*
 * The rules every backend relies on, checked here once (nono_apply calls
 * this before handing the set to the backend, and the SBPL generator,
 * which tests and fuzzers reach without nono_apply, calls it too).
 */
NONO_API int nono_caps_check(const nono_caps *caps, nono_diag *diag)
{
	static const struct {
		nono_tcp_op op;
		const char *what;
	} lists[] = {
		{ NONO_TCP_CONNECT, "TCP connect" },
		{ NONO_TCP_BIND, "TCP bind" },
		{ NONO_UDP_CONNECT, "UDP connect" },
		{ NONO_UDP_BIND, "UDP bind" },
	};

	if (!caps)
		return nono__diag_set(diag, NONO_EINVAL, "caps is NULL");
	/* Port exceptions reopen single ports of a blocked network; without
	 * the block they would mean nothing, which is surely a mistake. */
	if (!caps->net_blocked && nono__caps_has_ports(caps))
		return nono__diag_set(diag, NONO_EINVAL,
				      "%s port exceptions are given but the "
				      "network is not blocked",
				      caps->tcp_connect.len > 0 ||
						      caps->tcp_bind.len > 0
					      ? "TCP"
					      : "UDP");
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		const struct nono__ports *p = ports_of(caps, lists[l].op);

		for (size_t i = 0; i < p->len; i++)
			if (p->v[i] == 0)
				return nono__diag_set(diag, NONO_EINVAL,
						      "%s port 0 is not a port",
						      lists[l].what);
	}
	return 0;
}

NONO_API size_t nono_caps_tcp_port_count(const nono_caps *caps, nono_tcp_op op)
{
	const struct nono__ports *p = caps ? ports_of(caps, op) : NULL;
	return p ? p->len : 0;
}

NONO_API int nono_caps_tcp_port_at(const nono_caps *caps, nono_tcp_op op,
				   size_t index)
{
	const struct nono__ports *p = caps ? ports_of(caps, op) : NULL;
	if (!p || index >= p->len)
		return NONO_EINVAL;
	return p->v[index];
}

static nono_scope_mode *scope_of(const nono_caps *caps, nono_scope scope)
{
	switch (scope) {
	case NONO_SCOPE_SIGNAL:
		return (nono_scope_mode *)&caps->scope_signal;
	case NONO_SCOPE_ABSTRACT_UNIX:
		return (nono_scope_mode *)&caps->scope_abstract_unix;
	}
	return NULL;
}

const char *const nono__scope_mode_names[3] = {
	[NONO_SCOPE_MODE_DEFAULT] = "default",
	[NONO_SCOPE_MODE_ISOLATED] = "isolated",
	[NONO_SCOPE_MODE_ALLOWED] = "allow",
};

NONO_API const char *nono_scope_mode_str(nono_scope_mode mode)
{
	return NONO_NAME_OF(nono__scope_mode_names, mode);
}

NONO_API int nono_caps_set_scope(nono_caps *caps, nono_scope scope,
				 nono_scope_mode mode)
{
	nono_scope_mode *slot = caps ? scope_of(caps, scope) : NULL;
	if (!slot || !nono_scope_mode_str(mode))
		return NONO_EINVAL;
	*slot = mode;
	return 0;
}

NONO_API nono_scope_mode nono_caps_scope(const nono_caps *caps,
					 nono_scope scope)
{
	const nono_scope_mode *slot = caps ? scope_of(caps, scope) : NULL;
	return slot ? *slot : NONO_SCOPE_MODE_DEFAULT;
}

/* ---- commands -------------------------------------------------------- */

/*
 * Adds the canonical form of `candidate` to `files` when it is a regular
 * file not listed yet. A candidate that does not resolve (missing, not
 * searchable, a loop) is no match: execvp would not run it either.
 */
static int add_match(struct nono__strv *files, const char *candidate)
{
	char *canon = NULL;
	struct stat st;
	int rc = nono__path_canonical(candidate, &canon);

	if (rc == NONO_ENOMEM)
		return rc;
	if (rc)
		return 0;
	rc = 0;
	if (stat(canon, &st) == 0 && S_ISREG(st.st_mode) &&
	    !strv_has(files, canon))
		rc = nono__strv_push(files, canon);
	free(canon);
	return rc;
}

/*
 * Resolves a command into `files`: an absolute path as it is, a bare name
 * in every directory of PATH. Only absolute PATH entries count: an empty
 * or relative one means the working directory, which is no anchor for a
 * sandbox set up once for a whole process tree.
 */
static int resolve_command(struct nono__strv *files, const char *name)
{
	const char *path;
	char *dflt = NULL;
	int rc = 0;

	if (name[0] == '/')
		return add_match(files, name);
	path = getenv("PATH");
	if (!path) {
		size_t n = confstr(_CS_PATH, NULL, 0);

		if (n == 0)
			return 0;
		dflt = malloc(n);
		if (!dflt)
			return NONO_ENOMEM;
		confstr(_CS_PATH, dflt, n);
		path = dflt;
	}
	for (const char *p = path; rc == 0;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		char *candidate;

		if (len > 0 && p[0] == '/') {
			if (asprintf(&candidate, "%.*s/%s", (int)len, p, name) <
			    0) {
				rc = NONO_ENOMEM;
				break;
			}
			rc = add_match(files, candidate);
			free(candidate);
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	free(dflt);
	return rc;
}

/* Keeps `name` in `names` and what it resolves to in `files`; all or
 * nothing. */
static int add_command(struct nono__strv *names, struct nono__strv *files,
		       const char *name)
{
	size_t old_files;
	int rc;

	if (!name || !*name || (name[0] != '/' && strchr(name, '/')))
		return NONO_EINVAL;
	old_files = files->len;
	rc = resolve_command(files, name);
	if (rc == 0)
		rc = nono__strv_push(names, name);
	if (rc)
		strv_truncate(files, old_files);
	return rc;
}

NONO_API int nono_caps_allow_command(nono_caps *caps, const char *name)
{
	return caps ? add_command(&caps->allow_cmds, &caps->allow_files, name)
		    : NONO_EINVAL;
}

NONO_API int nono_caps_block_command(nono_caps *caps, const char *name)
{
	return caps ? add_command(&caps->block_cmds, &caps->block_files, name)
		    : NONO_EINVAL;
}

bool nono__caps_file_blocked(const struct nono_caps *caps, const char *file)
{
	/* Allow wins, compared by the files both names lead to: `allow =
	 * /bin/rm` lifts `block = rm` where /bin/rm is /usr/bin/rm. */
	return strv_has(&caps->block_files, file) &&
	       !strv_has(&caps->allow_files, file);
}

NONO_API int nono_caps_command_blocked(const nono_caps *caps, const char *path)
{
	char *canon = NULL;
	int rc;

	if (!caps || !path || !*path)
		return NONO_EINVAL;
	/* Nothing blocked: no need to know what the path is. */
	if (caps->block_files.len == 0)
		return 0;
	rc = nono__path_canonical(path, &canon);
	if (rc == NONO_ENOMEM)
		return rc;
	if (rc)
		return 0;
	rc = nono__caps_file_blocked(caps, canon) ? 1 : 0;
	free(canon);
	return rc;
}

static const char *strv_at(const struct nono__strv *sv, size_t index)
{
	return index < sv->len ? sv->v[index] : NULL;
}

NONO_API size_t nono_caps_allowed_command_count(const nono_caps *caps)
{
	return caps ? caps->allow_cmds.len : 0;
}

NONO_API const char *nono_caps_allowed_command_at(const nono_caps *caps,
						  size_t index)
{
	return caps ? strv_at(&caps->allow_cmds, index) : NULL;
}

NONO_API size_t nono_caps_blocked_command_count(const nono_caps *caps)
{
	return caps ? caps->block_cmds.len : 0;
}

NONO_API const char *nono_caps_blocked_command_at(const nono_caps *caps,
						  size_t index)
{
	return caps ? strv_at(&caps->block_cmds, index) : NULL;
}

NONO_API size_t nono_caps_allowed_command_file_count(const nono_caps *caps)
{
	return caps ? caps->allow_files.len : 0;
}

NONO_API const char *nono_caps_allowed_command_file_at(const nono_caps *caps,
						       size_t index)
{
	return caps ? strv_at(&caps->allow_files, index) : NULL;
}

NONO_API size_t nono_caps_blocked_command_file_count(const nono_caps *caps)
{
	return caps ? caps->block_files.len : 0;
}

NONO_API const char *nono_caps_blocked_command_file_at(const nono_caps *caps,
						       size_t index)
{
	return caps ? strv_at(&caps->block_files, index) : NULL;
}

/* ---- deny rules and execute in writable grants ---------------------- */

NONO_API int nono_caps_deny_path(nono_caps *caps, const char *path)
{
	char *resolved = NULL, *original;
	struct stat st;
	int rc;

	if (!caps || !path || !*path)
		return NONO_EINVAL;
	rc = nono__path_canonical(path, &resolved);
	if (rc)
		return rc;
	if (stat(resolved, &st) != 0) {
		rc = errno == ENOENT ? NONO_ENOENT : NONO_ECANON;
		free(resolved);
		return rc;
	}
	for (size_t i = 0; i < caps->deny_len; i++) {
		if (strcmp(caps->deny[i].resolved, resolved) == 0) {
			free(resolved);
			return 0;
		}
	}
	original = strdup(path);
	if (!original) {
		free(resolved);
		return NONO_ENOMEM;
	}
	return deny_push(caps, original, resolved, !S_ISDIR(st.st_mode));
}

NONO_API size_t nono_caps_deny_count(const nono_caps *caps)
{
	return caps ? caps->deny_len : 0;
}

NONO_API int nono_caps_deny_at(const nono_caps *caps, size_t index,
			       nono_deny_cap *out)
{
	if (!caps || !out || index >= caps->deny_len)
		return NONO_EINVAL;
	*out = (nono_deny_cap){
		.original = caps->deny[index].original,
		.resolved = caps->deny[index].resolved,
		.is_file = caps->deny[index].is_file,
	};
	return 0;
}

NONO_API int nono_caps_set_exec_writable(nono_caps *caps, bool allow)
{
	if (!caps)
		return NONO_EINVAL;
	caps->no_exec_writable = !allow;
	return 0;
}

NONO_API bool nono_caps_exec_writable(const nono_caps *caps)
{
	return !caps || !caps->no_exec_writable;
}

const char *const nono__unix_mode_names[4] = {
	[NONO_UNIX_DEFAULT] = "default",
	[NONO_UNIX_GRANTED] = "granted",
	[NONO_UNIX_NONE] = "none",
	[NONO_UNIX_ALL] = "all",
};

NONO_API const char *nono_unix_mode_str(nono_unix_mode mode)
{
	return NONO_NAME_OF(nono__unix_mode_names, mode);
}

NONO_API int nono_caps_set_unix(nono_caps *caps, nono_unix_mode mode)
{
	if (!caps || !nono_unix_mode_str(mode))
		return NONO_EINVAL;
	caps->unix_mode = mode;
	return 0;
}

NONO_API nono_unix_mode nono_caps_unix(const nono_caps *caps)
{
	return caps ? caps->unix_mode : NONO_UNIX_DEFAULT;
}

const char *const nono__kernel_log_names[3] = {
	[NONO_KERNEL_LOG_DEFAULT] = "default",
	[NONO_KERNEL_LOG_DENIALS] = "denials",
	[NONO_KERNEL_LOG_OFF] = "off",
};

NONO_API const char *nono_kernel_log_str(nono_kernel_log mode)
{
	return NONO_NAME_OF(nono__kernel_log_names, mode);
}

NONO_API int nono_caps_set_kernel_log(nono_caps *caps, nono_kernel_log mode)
{
	if (!caps || !nono_kernel_log_str(mode))
		return NONO_EINVAL;
	caps->kernel_log = mode;
	return 0;
}

NONO_API nono_kernel_log nono_caps_kernel_log(const nono_caps *caps)
{
	return caps ? caps->kernel_log : NONO_KERNEL_LOG_DEFAULT;
}

NONO_API int nono_caps_set_capabilities(nono_caps *caps, uint64_t keep)
{
	if (!caps)
		return NONO_EINVAL;
	caps->keep_capabilities = keep;
	return 0;
}

NONO_API uint64_t nono_caps_capabilities(const nono_caps *caps)
{
	return caps ? caps->keep_capabilities : NONO_CAPABILITIES_DEFAULT;
}

NONO_API int nono_caps_set_protect_metadata(nono_caps *caps, bool protect)
{
	if (!caps)
		return NONO_EINVAL;
	caps->protect_metadata = protect;
	return 0;
}

NONO_API bool nono_caps_protect_metadata(const nono_caps *caps)
{
	return caps && caps->protect_metadata;
}

/* ---- utilities ------------------------------------------------------- */

/*
 * Gives `into` the origins of `from`, which is merged into it, each with
 * its own spelling where it differs from into's; from's are taken over
 * (from->nmore is 0 after). 0 or NONO_ENOMEM (nothing changed).
 */
static int merge_origins(struct nono__fs_entry *into,
			 struct nono__fs_entry *from)
{
	size_t n = into->nmore + 1 + from->nmore;
	struct nono__origin *more = realloc(into->more, n * sizeof(*more));
	struct nono__origin first = from->origin;

	if (!more)
		return NONO_ENOMEM;
	into->more = more;
	if (strcmp(from->original, into->original) != 0) {
		first.original = strdup(from->original);
		if (!first.original)
			return NONO_ENOMEM;
	}
	more[into->nmore] = first;
	for (size_t k = 0; k < from->nmore; k++)
		more[into->nmore + 1 + k] = from->more[k];
	into->nmore = n;
	from->nmore = 0;
	return 0;
}

NONO_API int nono_caps_set_origin(nono_caps *caps, const char *file,
				  unsigned line)
{
	size_t i;

	if (!caps || (file && (!*file || line == 0)))
		return NONO_EINVAL;
	if (!file) {
		caps->cur_origin = (struct nono__origin){ 0 };
		return 0;
	}
	/* A policy names few files, one after the other: from the end. */
	for (i = caps->origin_files.len; i > 0; i--)
		if (strcmp(caps->origin_files.v[i - 1], file) == 0)
			break;
	if (i == 0) {
		int rc = nono__strv_push(&caps->origin_files, file);

		if (rc)
			return rc;
		i = caps->origin_files.len;
	}
	caps->cur_origin =
		(struct nono__origin){ .file = (unsigned)i, .line = line };
	return 0;
}

const char *nono__origin_file(const struct nono_caps *caps,
			      const struct nono__origin *o)
{
	if (o->file == 0 || o->file > caps->origin_files.len)
		return NULL;
	return caps->origin_files.v[o->file - 1];
}

NONO_API int nono_caps_deduplicate(nono_caps *caps)
{
	if (!caps)
		return NONO_EINVAL;
	/*
	 * Quadratic, but deduplication runs once on a set built by hand or
	 * from a policy file; the query index is where size matters. It
	 * runs on every policy load, though, on some fifty entries: a hash
	 * of each kept entry's resolved path (hash[j] for fs[j]) leaves
	 * strcmp to the pairs that are likely equal. Without room for the
	 * hashes of a large set, every pair is compared as before.
	 */
	uint64_t on_stack[64], *hash = on_stack;
	size_t kept = 0;
	int rc = 0;

	if (caps->fs_len > ARRAY_SIZE(on_stack))
		hash = malloc(caps->fs_len * sizeof(*hash));
	for (size_t i = 0; i < caps->fs_len; i++) {
		struct nono__fs_entry *e = &caps->fs[i];
		uint64_t h = hash ? nono__fnv1a(NONO_FNV1A_INIT, e->resolved,
						strlen(e->resolved))
				  : 0;
		size_t j;
		for (j = 0; j < kept; j++) {
			struct nono__fs_entry *k = &caps->fs[j];
			if ((!hash || hash[j] == h) &&
			    k->is_file == e->is_file &&
			    strcmp(k->resolved, e->resolved) == 0)
				break;
		}
		if (j < kept) {
			if (merge_origins(&caps->fs[j], e) != 0) {
				/* Keep every entry not yet merged, once. */
				for (size_t m = i; m < caps->fs_len; m++)
					caps->fs[kept++] = caps->fs[m];
				rc = NONO_ENOMEM;
				break;
			}
			caps->fs[j].access |= e->access;
			fs_entry_free(e);
		} else {
			if (hash)
				hash[kept] = h;
			caps->fs[kept++] = *e;
		}
	}
	caps->fs_len = kept;
	if (hash != on_stack)
		free(hash);
	return rc;
}

NONO_API int nono_caps_path_covered(const nono_caps *caps, const char *path)
{
	if (!caps || !path || !*path)
		return NONO_EINVAL;
	char *canon = NULL;
	int rc = nono__path_canonical_lenient(path, &canon);
	if (rc)
		return rc;
	int covered = 0;
	for (size_t i = 0; i < caps->fs_len && !covered; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		if (!e->is_file && nono__path_is_beneath(canon, e->resolved))
			covered = 1;
	}
	free(canon);
	return covered;
}

NONO_API size_t nono_caps_fs_count(const nono_caps *caps)
{
	return caps ? caps->fs_len : 0;
}

NONO_API int nono_caps_fs_at(const nono_caps *caps, size_t index,
			     nono_fs_cap *out)
{
	if (!caps || !out || index >= caps->fs_len)
		return NONO_EINVAL;
	const struct nono__fs_entry *e = &caps->fs[index];
	*out = (nono_fs_cap){
		.original = e->original,
		.resolved = e->resolved,
		.access = e->access,
		.is_file = e->is_file,
	};
	return 0;
}

NONO_API char *nono_caps_summary(const nono_caps *caps)
{
	if (!caps)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("Filesystem:\n", f);
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		fprintf(f, "  %s [%s] (%s)\n", e->resolved,
			nono_access_str(e->access),
			e->is_file ? "file" : "dir");
	}
	/* Deny rules are libnono's own, printed only where there are some,
	 * so that a set without them prints as nono prints it. */
	for (size_t i = 0; i < caps->deny_len; i++)
		fprintf(f, "  %s [denied] (%s)\n", caps->deny[i].resolved,
			caps->deny[i].is_file ? "file" : "dir");
	fputs("Network:\n", f);
	fprintf(f, "  outbound: %s\n",
		caps->net_blocked ? "blocked" : "allowed");
	/* Port exceptions are libnono's own; a set without them prints as
	 * nono prints it. */
	const struct {
		const struct nono__ports *ports;
		const char *what;
	} lists[] = { { &caps->tcp_connect, "tcp connect" },
		      { &caps->tcp_bind, "tcp bind" },
		      { &caps->udp_connect, "udp connect" },
		      { &caps->udp_bind, "udp bind" } };
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		if (lists[l].ports->len == 0)
			continue;
		fprintf(f, "  %s allowed:", lists[l].what);
		for (size_t i = 0; i < lists[l].ports->len; i++)
			fprintf(f, "%s %u", i ? "," : "",
				(unsigned)lists[l].ports->v[i]);
		fputc('\n', f);
	}
	return nono__memstream_finish(f, &buf);
}
