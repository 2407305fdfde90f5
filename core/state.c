// SPDX-License-Identifier: Apache-2.0
/*
 * nono's SandboxState: a capability set's filesystem grants and network
 * flag as JSON, in exactly the layout nono writes (serde_json's
 * to_string_pretty), so that files pass between nono and libnono.
 *
 * Reading uses json-c's tokener, bounded in size and depth, strict, and
 * UTF-8 validating: the text may come from anywhere. Writing is done here
 * by hand, because json-c's printer lays out and escapes differently from
 * serde_json (it writes "\/", for one) and byte-for-byte agreement is the
 * point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "caps-internal.h"

/* A state lists paths; sixteen MiB is far beyond any real one, and keeps
 * a hostile file from costing more than a bounded amount of memory. */
#define NONO_STATE_MAX_LEN (16u * 1024 * 1024)

/* The document needs three levels (object, "fs" array, entry object);
 * unknown keys may hold a little more, nothing needs this much. */
#define NONO_STATE_MAX_DEPTH 64

/* How much of a bad value a message quotes. */
#define NONO_QUOTE_MAX 64

struct state_entry {
	char *original;
	char *resolved;
	nono_access access;
	bool is_file;
};

/*
 * libnono's additions, under keys nono does not know and so ignores: TCP
 * and UDP port exceptions ("tcp_connect_ports", "tcp_bind_ports",
 * "udp_connect_ports", "udp_bind_ports") and process
 * scopes ("scopes": {"signal": ..., "abstract_unix": ...}), deny rules
 * ("deny": [{"original", "resolved", "is_file"}]), the command lists
 * ("commands": {"allow": [...], "block": [...]}, names as given),
 * "exec_writable": false, the baseline's settings ("unix": "granted",
 * "none" or "all"; "capabilities": "keep" or an array of names;
 * "metadata": "protect"; "kernel_log": "denials" or "off"). They are
 * written only when they differ from a
 * new set's, so that a state without them is written exactly as nono
 * writes it.
 */
struct state_ports {
	uint16_t *v;
	size_t len;
};

struct state_names {
	char **v;
	size_t len;
};

struct nono_state {
	struct state_entry *fs;
	size_t fs_len;
	bool net_blocked;
	struct state_ports tcp_connect;
	struct state_ports tcp_bind;
	struct state_ports udp_connect;
	struct state_ports udp_bind;
	nono_scope_mode scope_signal;
	nono_scope_mode scope_abstract_unix;
	struct state_entry *deny; /* .access unused */
	size_t deny_len;
	struct state_names allow_cmds;
	struct state_names block_cmds;
	bool no_exec_writable;
	nono_unix_mode unix_mode;
	uint64_t keep_capabilities;
	bool protect_metadata;
	nono_kernel_log kernel_log;
};

static void names_free(struct state_names *n)
{
	for (size_t i = 0; i < n->len; i++)
		free(n->v[i]);
	free(n->v);
}

void nono_state_free(nono_state *state)
{
	if (!state)
		return;
	free(state->tcp_connect.v);
	free(state->tcp_bind.v);
	free(state->udp_connect.v);
	free(state->udp_bind.v);
	for (size_t i = 0; i < state->fs_len; i++) {
		free(state->fs[i].original);
		free(state->fs[i].resolved);
	}
	free(state->fs);
	for (size_t i = 0; i < state->deny_len; i++) {
		free(state->deny[i].original);
		free(state->deny[i].resolved);
	}
	free(state->deny);
	names_free(&state->allow_cmds);
	names_free(&state->block_cmds);
	free(state);
}

/* A state with room for n entries, none filled. */
static struct nono_state *state_alloc(size_t n)
{
	struct nono_state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->fs = calloc(n ? n : 1, sizeof(*st->fs));
	if (!st->fs) {
		free(st);
		return NULL;
	}
	st->keep_capabilities = NONO_CAPABILITIES_DEFAULT;
	return st;
}

/* Copies one kind of port exception out of a set. 0 or NONO_ENOMEM. */
static int ports_from_caps(struct state_ports *p, const nono_caps *caps,
			   nono_tcp_op op)
{
	size_t n = nono_caps_tcp_port_count(caps, op);

	if (n == 0)
		return 0;
	p->v = calloc(n, sizeof(*p->v));
	if (!p->v)
		return NONO_ENOMEM;
	for (size_t i = 0; i < n; i++)
		p->v[i] = (uint16_t)nono_caps_tcp_port_at(caps, op, i);
	p->len = n;
	return 0;
}

/* Copies a command list out of a set. 0 or NONO_ENOMEM. */
static int names_from_strv(struct state_names *n, const struct nono__strv *sv)
{
	if (sv->len == 0)
		return 0;
	n->v = calloc(sv->len, sizeof(*n->v));
	if (!n->v)
		return NONO_ENOMEM;
	for (size_t i = 0; i < sv->len; i++) {
		n->v[i] = strdup(sv->v[i]);
		if (!n->v[i])
			return NONO_ENOMEM;
		n->len++;
	}
	return 0;
}

static int deny_from_caps(struct nono_state *st, const nono_caps *caps)
{
	if (caps->deny_len == 0)
		return 0;
	st->deny = calloc(caps->deny_len, sizeof(*st->deny));
	if (!st->deny)
		return NONO_ENOMEM;
	for (size_t i = 0; i < caps->deny_len; i++) {
		struct state_entry *d = &st->deny[i];

		st->deny_len++;
		d->original = strdup(caps->deny[i].original);
		d->resolved = strdup(caps->deny[i].resolved);
		d->is_file = caps->deny[i].is_file;
		if (!d->original || !d->resolved)
			return NONO_ENOMEM;
	}
	return 0;
}

int nono_state_from_caps(const nono_caps *caps, nono_state **out)
{
	struct nono_state *st;

	if (!out)
		return NONO_EINVAL;
	*out = NULL;
	if (!caps)
		return NONO_EINVAL;
	st = state_alloc(caps->fs_len);
	if (!st)
		return NONO_ENOMEM;
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		struct state_entry *se = &st->fs[i];

		se->original = strdup(e->original);
		se->resolved = strdup(e->resolved);
		se->access = e->access;
		se->is_file = e->is_file;
		st->fs_len++;
		if (!se->original || !se->resolved)
			goto free_state;
	}
	st->net_blocked = caps->net_blocked;
	if (ports_from_caps(&st->tcp_connect, caps, NONO_TCP_CONNECT) ||
	    ports_from_caps(&st->tcp_bind, caps, NONO_TCP_BIND) ||
	    ports_from_caps(&st->udp_connect, caps, NONO_UDP_CONNECT) ||
	    ports_from_caps(&st->udp_bind, caps, NONO_UDP_BIND))
		goto free_state;
	st->scope_signal = caps->scope_signal;
	st->scope_abstract_unix = caps->scope_abstract_unix;
	if (deny_from_caps(st, caps) ||
	    names_from_strv(&st->allow_cmds, &caps->allow_cmds) ||
	    names_from_strv(&st->block_cmds, &caps->block_cmds))
		goto free_state;
	st->no_exec_writable = caps->no_exec_writable;
	st->unix_mode = caps->unix_mode;
	st->keep_capabilities = caps->keep_capabilities;
	st->protect_metadata = caps->protect_metadata;
	st->kernel_log = nono_caps_kernel_log(caps);
	*out = st;
	return 0;

free_state:
	nono_state_free(st);
	return NONO_ENOMEM;
}

bool nono_state_is_network_blocked(const nono_state *state)
{
	return state && state->net_blocked;
}

/*
 * Writes a string as serde_json does (nono__json_put_string without
 * ascii_only). serde cannot hold a path that is not UTF-8 in a string
 * (nono fails to save such a state); here each ill-formed sequence becomes
 * U+FFFD, so the document stays valid JSON, and such a path then fails to
 * load again rather than naming some other file.
 */
static void put_serde_string(FILE *f, const char *str)
{
	nono__json_put_string(f, str, false);
}

/* Writes `,\n  "key": [\n    443\n  ]` as serde lays it out, or nothing
 * for an empty list. */
static void put_ports(FILE *f, const char *key, const struct state_ports *p)
{
	if (p->len == 0)
		return;
	fprintf(f, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < p->len; i++)
		fprintf(f, "%s\n    %u", i ? "," : "", (unsigned)p->v[i]);
	fputs("\n  ]", f);
}

/* Writes one {"original", "resolved", "is_file"} object of the "deny"
 * list, as serde lays out the entries of "fs". */
static void put_deny(FILE *f, const struct state_entry *e, bool first)
{
	fputs(first ? "\n    {\n" : ",\n    {\n", f);
	fputs("      \"original\": ", f);
	put_serde_string(f, e->original);
	fputs(",\n      \"resolved\": ", f);
	put_serde_string(f, e->resolved);
	fprintf(f, ",\n      \"is_file\": %s\n    }",
		e->is_file ? "true" : "false");
}

/* Writes `"key": [...]` of names inside the "commands" object. */
/* "capabilities", unless it is the default: "keep", or the names. */
static void put_capabilities(FILE *f, uint64_t keep)
{
	bool first = true;

	if (keep == NONO_CAPABILITIES_DEFAULT)
		return;
	if (keep == NONO_CAPABILITIES_ALL) {
		fputs(",\n  \"capabilities\": \"keep\"", f);
		return;
	}
	fputs(",\n  \"capabilities\": [", f);
	for (unsigned cap = 0; cap < 64; cap++) {
		const char *name = nono_capability_name(cap);

		if (!(keep & (UINT64_C(1) << cap)) || !name)
			continue;
		fprintf(f, "%s\n    \"%s\"", first ? "" : ",", name);
		first = false;
	}
	fputs(first ? "]" : "\n  ]", f);
}

static void put_names(FILE *f, const char *key, const struct state_names *n)
{
	fprintf(f, "    \"%s\": [", key);
	for (size_t i = 0; i < n->len; i++) {
		fputs(i ? ",\n      " : "\n      ", f);
		put_serde_string(f, n->v[i]);
	}
	fputs(n->len ? "\n    ]" : "]", f);
}

char *nono_state_to_json(const nono_state *state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	if (!state)
		return NULL;
	f = open_memstream(&buf, &size);
	if (!f)
		return NULL;
	fputs("{\n  \"fs\": [", f);
	for (size_t i = 0; i < state->fs_len; i++) {
		const struct state_entry *e = &state->fs[i];
		const char *access = nono_access_str(e->access);

		fputs(i ? ",\n    {\n" : "\n    {\n", f);
		fputs("      \"original\": ", f);
		put_serde_string(f, e->original);
		fputs(",\n      \"resolved\": ", f);
		put_serde_string(f, e->resolved);
		fprintf(f, ",\n      \"access\": \"%s\"", access ? access : "");
		fprintf(f, ",\n      \"is_file\": %s\n    }",
			e->is_file ? "true" : "false");
	}
	/* serde prints an empty array as [] on the key's line. */
	fputs(state->fs_len ? "\n  ],\n" : "],\n", f);
	fprintf(f, "  \"net_blocked\": %s",
		state->net_blocked ? "true" : "false");
	put_ports(f, "tcp_connect_ports", &state->tcp_connect);
	put_ports(f, "tcp_bind_ports", &state->tcp_bind);
	put_ports(f, "udp_connect_ports", &state->udp_connect);
	put_ports(f, "udp_bind_ports", &state->udp_bind);
	if (state->scope_signal != NONO_SCOPE_MODE_DEFAULT ||
	    state->scope_abstract_unix != NONO_SCOPE_MODE_DEFAULT)
		fprintf(f,
			",\n  \"scopes\": {\n    \"signal\": \"%s\",\n"
			"    \"abstract_unix\": \"%s\"\n  }",
			nono_scope_mode_str(state->scope_signal),
			nono_scope_mode_str(state->scope_abstract_unix));
	if (state->deny_len) {
		fputs(",\n  \"deny\": [", f);
		for (size_t i = 0; i < state->deny_len; i++)
			put_deny(f, &state->deny[i], i == 0);
		fputs("\n  ]", f);
	}
	if (state->allow_cmds.len || state->block_cmds.len) {
		fputs(",\n  \"commands\": {\n", f);
		put_names(f, "allow", &state->allow_cmds);
		fputs(",\n", f);
		put_names(f, "block", &state->block_cmds);
		fputs("\n  }", f);
	}
	if (state->no_exec_writable)
		fputs(",\n  \"exec_writable\": false", f);
	if (state->unix_mode != NONO_UNIX_DEFAULT)
		fprintf(f, ",\n  \"unix\": \"%s\"",
			nono_unix_mode_str(state->unix_mode));
	put_capabilities(f, state->keep_capabilities);
	if (state->protect_metadata)
		fputs(",\n  \"metadata\": \"protect\"", f);
	if (state->kernel_log != NONO_KERNEL_LOG_DEFAULT)
		fprintf(f, ",\n  \"kernel_log\": \"%s\"",
			nono_kernel_log_str(state->kernel_log));
	fputs("\n}", f);
	return nono__memstream_finish(f, &buf);
}

/*
 * Copies a string value for quoting in a one-line message: at most
 * NONO_QUOTE_MAX bytes, anything that is not printable ASCII shown as '?',
 * so a hostile value cannot break the line or the terminal.
 */
static void quote(char *dst, size_t cap, const char *src, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 4 < cap; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		if (i + 1 == NONO_QUOTE_MAX && i + 1 < len) {
			memcpy(dst + n, "...", 3);
			n += 3;
			break;
		}
	}
	dst[n] = '\0';
}

/* `what` names the field, as fs[2].access; "" for the document. */
static int type_error(nono_diag *diag, const char *what, const char *want,
		      json_object *found)
{
	const char *type = json_type_to_name(json_object_get_type(found));

	if (!*what)
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: the document must be %s, "
					 "found %s",
					 want, type);
	return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
				 "state JSON: '%s' must be %s, found %s", what,
				 want, type);
}

/* A required string member of entry `i` of `list` ("fs" or "deny"),
 * which must hold no NUL byte (a path cannot). */
static int get_string(json_object *entry, const char *list, size_t i,
		      const char *key, const char **out, nono_diag *diag)
{
	json_object *v;
	char what[64];
	int len;

	snprintf(what, sizeof(what), "%s[%zu].%s", list, i, key);
	if (!json_object_object_get_ex(entry, key, &v))
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: missing field '%s'",
					 what);
	if (!json_object_is_type(v, json_type_string))
		return type_error(diag, what, "a string", v);
	*out = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if (len < 0 || strlen(*out) != (size_t)len)
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: '%s' contains a NUL "
					 "character",
					 what);
	return 0;
}

static int get_bool(json_object *obj, const char *what, const char *key,
		    bool *out, nono_diag *diag)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: missing field '%s'",
					 what);
	if (!json_object_is_type(v, json_type_boolean))
		return type_error(diag, what, "true or false", v);
	*out = json_object_get_boolean(v);
	return 0;
}

/* One entry of "fs", or of the optional "deny" list (libnono's addition),
 * whose entries have no access. */
static int read_entry(json_object *entry, const char *list, size_t i,
		      struct state_entry *se, nono_diag *diag)
{
	const char *original, *resolved, *access;
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "%s[%zu]", list, i);
	if (!json_object_is_type(entry, json_type_object))
		return type_error(diag, what, "an object", entry);
	rc = get_string(entry, list, i, "original", &original, diag);
	if (rc == 0)
		rc = get_string(entry, list, i, "resolved", &resolved, diag);
	if (rc == 0 && strcmp(list, "fs") == 0) {
		rc = get_string(entry, list, i, "access", &access, diag);
		if (rc == 0 && nono_access_parse(access, &se->access) != 0) {
			char q[NONO_QUOTE_MAX + 8];

			quote(q, sizeof(q), access, strlen(access));
			return nono__diag_set_at(
				diag, NONO_EPARSE, "", 0,
				"state JSON: 'fs[%zu].access': unknown "
				"access mode '%s' (expected read, "
				"write or read+write)",
				i, q);
		}
	}
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s[%zu].is_file", list, i);
	rc = get_bool(entry, what, "is_file", &se->is_file, diag);
	if (rc)
		return rc;
	se->original = strdup(original);
	se->resolved = strdup(resolved);
	if (!se->original || !se->resolved)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	return 0;
}

static int read_deny(json_object *root, struct nono_state *st, nono_diag *diag)
{
	json_object *arr;
	size_t n;

	if (!json_object_object_get_ex(root, "deny", &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return type_error(diag, "deny", "an array", arr);
	n = json_object_array_length(arr);
	if (n == 0)
		return 0;
	st->deny = calloc(n, sizeof(*st->deny));
	if (!st->deny)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	for (size_t i = 0; i < n; i++) {
		int rc;

		/* Counted first, so that free sees a half-filled entry. */
		st->deny_len++;
		rc = read_entry(json_object_array_get_idx(arr, i), "deny", i,
				&st->deny[i], diag);
		if (rc)
			return rc;
	}
	return 0;
}

/* One optional list of command names in "commands". */
static int read_names(json_object *cmds, const char *key,
		      struct state_names *out, nono_diag *diag)
{
	char what[32];
	json_object *arr;
	size_t n;

	snprintf(what, sizeof(what), "commands.%s", key);
	if (!json_object_object_get_ex(cmds, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return type_error(diag, what, "an array of command names", arr);
	n = json_object_array_length(arr);
	if (n == 0)
		return 0;
	out->v = calloc(n, sizeof(*out->v));
	if (!out->v)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char *name;

		if (!json_object_is_type(v, json_type_string))
			return type_error(diag, what,
					  "an array of command names", v);
		name = json_object_get_string(v);
		if (!*name ||
		    strlen(name) != (size_t)json_object_get_string_len(v))
			return nono__diag_set_at(
				diag, NONO_EPARSE, "", 0,
				"state JSON: '%s' holds an "
				"empty name or a NUL character",
				what);
		out->v[i] = strdup(name);
		if (!out->v[i])
			return nono__diag_set(diag, NONO_ENOMEM,
					      "state JSON: out of memory");
		out->len++;
	}
	return 0;
}

/*
 * An optional mode `key` of `obj`, one of names[first..n) (a table of
 * caps-internal.h); *out set to its value when present. `want` lists the
 * names for the message.
 */
static int read_mode(json_object *obj, const char *key,
		     const char *const *names, size_t n, size_t first,
		     const char *want, unsigned *out, nono_diag *diag)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return 0;
	for (size_t i = first; i < n; i++) {
		if (json_object_is_type(v, json_type_string) &&
		    strcmp(json_object_get_string(v), names[i]) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	}
	return type_error(diag, key, want, v);
}

/* "unix", "kernel_log", "capabilities" and "metadata", each optional; the
 * default modes are never written, so they are not read either. */
static int read_baseline(json_object *root, struct nono_state *st,
			 nono_diag *diag)
{
	unsigned unix_mode = st->unix_mode, kernel_log = st->kernel_log;
	json_object *v;
	int rc;

	rc = read_mode(root, "unix", nono__unix_mode_names,
		       ARRAY_SIZE(nono__unix_mode_names), NONO_UNIX_GRANTED,
		       "\"granted\", \"none\" or \"all\"", &unix_mode, diag);
	if (rc == 0)
		rc = read_mode(root, "kernel_log", nono__kernel_log_names,
			       ARRAY_SIZE(nono__kernel_log_names),
			       NONO_KERNEL_LOG_DENIALS,
			       "\"denials\" or \"off\"", &kernel_log, diag);
	if (rc)
		return rc;
	st->unix_mode = (nono_unix_mode)unix_mode;
	st->kernel_log = (nono_kernel_log)kernel_log;
	if (json_object_object_get_ex(root, "metadata", &v)) {
		if (!json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v), "protect") != 0)
			return type_error(diag, "metadata", "\"protect\"", v);
		st->protect_metadata = true;
	}
	if (!json_object_object_get_ex(root, "capabilities", &v))
		return 0;
	if (json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "keep") == 0) {
		st->keep_capabilities = NONO_CAPABILITIES_ALL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_array))
		return type_error(diag, "capabilities",
				  "\"keep\" or an array of names", v);
	st->keep_capabilities = 0;
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *name = json_object_array_get_idx(v, i);
		int cap = json_object_is_type(name, json_type_string)
				  ? nono_capability_from_name(
					    json_object_get_string(name))
				  : NONO_EINVAL;

		if (cap < 0)
			return type_error(diag, "capabilities",
					  "capability names", name);
		st->keep_capabilities |= UINT64_C(1) << cap;
	}
	return 0;
}

static int read_commands(json_object *root, struct nono_state *st,
			 nono_diag *diag)
{
	json_object *cmds, *v;
	int rc;

	if (json_object_object_get_ex(root, "exec_writable", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return type_error(diag, "exec_writable",
					  "true or false", v);
		st->no_exec_writable = !json_object_get_boolean(v);
	}
	if (!json_object_object_get_ex(root, "commands", &cmds))
		return 0;
	if (!json_object_is_type(cmds, json_type_object))
		return type_error(diag, "commands", "an object", cmds);
	rc = read_names(cmds, "allow", &st->allow_cmds, diag);
	if (rc == 0)
		rc = read_names(cmds, "block", &st->block_cmds, diag);
	return rc;
}

/* An optional list of TCP ports (libnono's addition). */
static int read_ports(json_object *root, const char *key, struct state_ports *p,
		      nono_diag *diag)
{
	json_object *arr;
	size_t n;

	if (!json_object_object_get_ex(root, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return type_error(diag, key, "an array of ports", arr);
	n = json_object_array_length(arr);
	if (n > 65535)
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: '%s' lists more ports "
					 "than there are",
					 key);
	if (n == 0)
		return 0;
	p->v = calloc(n, sizeof(*p->v));
	if (!p->v)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		int64_t port;

		if (!json_object_is_type(v, json_type_int))
			return type_error(diag, key, "an array of ports", v);
		port = json_object_get_int64(v);
		if (port < 1 || port > 65535)
			return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
						 "state JSON: '%s' has a port "
						 "out of range (1..65535)",
						 key);
		p->v[p->len++] = (uint16_t)port;
	}
	return 0;
}

/* One optional scope mode: "default", "isolated" or "allow". */
static int read_scope(json_object *scopes, const char *key,
		      nono_scope_mode *out, nono_diag *diag)
{
	unsigned mode = *out;
	int rc = read_mode(
		scopes, key, nono__scope_mode_names,
		ARRAY_SIZE(nono__scope_mode_names), NONO_SCOPE_MODE_DEFAULT,
		"\"default\", \"isolated\" or \"allow\"", &mode, diag);

	*out = (nono_scope_mode)mode;
	return rc;
}

static int read_scopes(json_object *root, struct nono_state *st,
		       nono_diag *diag)
{
	json_object *scopes;
	int rc;

	if (!json_object_object_get_ex(root, "scopes", &scopes))
		return 0;
	if (!json_object_is_type(scopes, json_type_object))
		return type_error(diag, "scopes", "an object", scopes);
	rc = read_scope(scopes, "signal", &st->scope_signal, diag);
	if (rc == 0)
		rc = read_scope(scopes, "abstract_unix",
				&st->scope_abstract_unix, diag);
	return rc;
}

static int read_root(json_object *root, struct nono_state **out,
		     nono_diag *diag)
{
	struct nono_state *st;
	json_object *fs;
	size_t n;
	bool net_blocked = false;
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return type_error(diag, "", "an object", root);
	if (!json_object_object_get_ex(root, "fs", &fs))
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON: missing field 'fs'");
	if (!json_object_is_type(fs, json_type_array))
		return type_error(diag, "fs", "an array", fs);
	rc = get_bool(root, "net_blocked", "net_blocked", &net_blocked, diag);
	if (rc)
		return rc;

	n = json_object_array_length(fs);
	st = state_alloc(n);
	if (!st)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	st->net_blocked = net_blocked;
	rc = read_ports(root, "tcp_connect_ports", &st->tcp_connect, diag);
	if (rc == 0)
		rc = read_ports(root, "tcp_bind_ports", &st->tcp_bind, diag);
	if (rc == 0)
		rc = read_ports(root, "udp_connect_ports", &st->udp_connect,
				diag);
	if (rc == 0)
		rc = read_ports(root, "udp_bind_ports", &st->udp_bind, diag);
	if (rc == 0)
		rc = read_scopes(root, st, diag);
	if (rc == 0)
		rc = read_deny(root, st, diag);
	if (rc == 0)
		rc = read_commands(root, st, diag);
	if (rc == 0)
		rc = read_baseline(root, st, diag);
	if (rc)
		goto free_state;
	for (size_t i = 0; i < n; i++) {
		/* Counted before reading so that free sees a half-filled
		 * entry (its pointers start out NULL). */
		st->fs_len++;
		rc = read_entry(json_object_array_get_idx(fs, i), "fs", i,
				&st->fs[i], diag);
		if (rc)
			goto free_state;
	}
	*out = st;
	return 0;

free_state:
	nono_state_free(st);
	return rc;
}

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * A strict RFC 8259 check of the text, run before json-c builds the tree.
 *
 * json-c's strict mode still takes single-quoted keys, NaN, raw control
 * characters in strings and "1."; serde_json, and so nono, refuse all of
 * them, and a state file one accepts and the other refuses helps nobody.
 * The check also gives every syntax error a line and column, and refuses
 * a field this file reads (fs, net_blocked, and the fields of an fs entry)
 * given twice in one object, where json-c would silently keep the last
 * and serde reports a duplicate field. It allocates nothing and keeps its
 * own bounded stack, so no input can make it recurse or crash.
 */
enum json_key {
	KEY_OTHER = 0,
	KEY_FS,
	KEY_NET_BLOCKED,
	KEY_ORIGINAL,
	KEY_RESOLVED,
	KEY_ACCESS,
	KEY_IS_FILE,
	KEY_TCP_CONNECT_PORTS,
	KEY_TCP_BIND_PORTS,
	KEY_SCOPES,
	KEY_DENY,
	KEY_COMMANDS,
	KEY_EXEC_WRITABLE,
	KEY_ALLOW,
	KEY_BLOCK,
	KEY_UNIX,
	KEY_CAPABILITIES,
	KEY_METADATA,
	KEY_UDP_CONNECT_PORTS,
	KEY_UDP_BIND_PORTS,
	KEY_KERNEL_LOG,
};

static const char *const json_key_names[] = {
	[KEY_FS] = "fs",
	[KEY_NET_BLOCKED] = "net_blocked",
	[KEY_ORIGINAL] = "original",
	[KEY_RESOLVED] = "resolved",
	[KEY_ACCESS] = "access",
	[KEY_IS_FILE] = "is_file",
	[KEY_TCP_CONNECT_PORTS] = "tcp_connect_ports",
	[KEY_TCP_BIND_PORTS] = "tcp_bind_ports",
	[KEY_SCOPES] = "scopes",
	[KEY_DENY] = "deny",
	[KEY_COMMANDS] = "commands",
	[KEY_EXEC_WRITABLE] = "exec_writable",
	[KEY_ALLOW] = "allow",
	[KEY_BLOCK] = "block",
	[KEY_UNIX] = "unix",
	[KEY_CAPABILITIES] = "capabilities",
	[KEY_METADATA] = "metadata",
	[KEY_UDP_CONNECT_PORTS] = "udp_connect_ports",
	[KEY_UDP_BIND_PORTS] = "udp_bind_ports",
	[KEY_KERNEL_LOG] = "kernel_log",
};

/* Where a container sits in nono's document. */
enum json_role {
	ROLE_OTHER = 0,
	ROLE_ROOT,     /* the top-level object */
	ROLE_FS,       /* the array under "fs" or "deny" */
	ROLE_ENTRY,    /* an object in that array */
	ROLE_COMMANDS, /* the object under "commands" */
};

struct json_frame {
	char kind; /* '{' or '[' */
	enum json_role role;
	enum json_key key; /* objects: the key whose value comes next */
	unsigned seen;	   /* bit per json_key already given */
};

struct json_check {
	const char *s;
	size_t len;
	size_t pos;
	struct json_frame stack[NONO_STATE_MAX_DEPTH];
	size_t depth;
	const char *why;   /* set on error; pos is where */
	enum json_key dup; /* the field given twice, for the message */
};

static int check_fail(struct json_check *c, const char *why)
{
	c->why = why;
	return -1;
}

static void check_skip_space(struct json_check *c)
{
	while (c->pos < c->len && is_json_space(c->s[c->pos]))
		c->pos++;
}

static int hex_value(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	if (h >= 'a' && h <= 'f')
		return h - 'a' + 10;
	if (h >= 'A' && h <= 'F')
		return h - 'A' + 10;
	return -1;
}

/* Reads the four hex digits of a \u escape at pos; -1 if they are not. */
static long check_hex4(struct json_check *c)
{
	long v = 0;

	if (c->len - c->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(c->s[c->pos + (size_t)i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	c->pos += 4;
	return v;
}

/*
 * Checks a string starting at its opening quote. When `key` is not NULL,
 * the string is an object key: it is decoded as far as needed to tell
 * whether it is one of json_key_names.
 */
static int check_string(struct json_check *c, enum json_key *key)
{
	/* Longer than every key of json_key_names ("tcp_connect_ports" is
	 * 17): a shorter buffer left the longer keys unchecked. */
	char name[32];
	size_t n = 0;
	bool plain = true; /* still comparable with json_key_names */

	c->pos++;
	for (;;) {
		unsigned char ch;
		long cp = -1;

		if (c->pos >= c->len)
			return check_fail(c, "unterminated string");
		ch = (unsigned char)c->s[c->pos];
		if (ch == '"') {
			c->pos++;
			break;
		}
		if (ch < 0x20)
			return check_fail(c, "control character in a string "
					     "(it must be escaped)");
		if (ch == '\\') {
			char e;

			if (++c->pos >= c->len)
				return check_fail(c, "unterminated string");
			e = c->s[c->pos++];
			switch (e) {
			case '"':
			case '\\':
			case '/':
				cp = e;
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u':
				cp = check_hex4(c);
				if (cp < 0)
					return check_fail(c, "bad \\u escape");
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return check_fail(c, "lone surrogate "
							     "in \\u escape");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					long lo;

					if (c->len - c->pos < 2 ||
					    c->s[c->pos] != '\\' ||
					    c->s[c->pos + 1] != 'u')
						return check_fail(
							c, "lone surrogate in "
							   "\\u escape");
					c->pos += 2;
					lo = check_hex4(c);
					if (lo < 0xdc00 || lo > 0xdfff)
						return check_fail(
							c, "lone surrogate in "
							   "\\u escape");
				}
				break;
			default:
				c->pos--;
				return check_fail(c, "unknown escape in a "
						     "string");
			}
		} else if (ch < 0x80) {
			cp = ch;
			c->pos++;
		} else {
			uint32_t u;
			size_t used = nono__utf8_next(
				(const unsigned char *)c->s + c->pos,
				c->len - c->pos, &u);

			if (u == NONO_UTF8_INVALID)
				return check_fail(c, "text is not UTF-8");
			c->pos += used;
			plain = false;
		}
		if (cp >= 0x80 || n + 1 >= sizeof(name))
			plain = false;
		else if (cp >= 0)
			name[n++] = (char)cp;
	}
	if (key) {
		*key = KEY_OTHER;
		name[n] = '\0';
		for (size_t i = 1; plain && i < ARRAY_SIZE(json_key_names); i++)
			if (strcmp(name, json_key_names[i]) == 0)
				*key = (enum json_key)i;
	}
	return 0;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int check_number(struct json_check *c)
{
	const char *s = c->s;

	if (c->pos < c->len && s[c->pos] == '-')
		c->pos++;
	if (c->pos >= c->len || !is_digit(s[c->pos]))
		return check_fail(c, "bad number");
	if (s[c->pos] == '0')
		c->pos++;
	else
		while (c->pos < c->len && is_digit(s[c->pos]))
			c->pos++;
	if (c->pos < c->len && s[c->pos] == '.') {
		c->pos++;
		if (c->pos >= c->len || !is_digit(s[c->pos]))
			return check_fail(c, "bad number");
		while (c->pos < c->len && is_digit(s[c->pos]))
			c->pos++;
	}
	if (c->pos < c->len && (s[c->pos] == 'e' || s[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->len && (s[c->pos] == '+' || s[c->pos] == '-'))
			c->pos++;
		if (c->pos >= c->len || !is_digit(s[c->pos]))
			return check_fail(c, "bad number");
		while (c->pos < c->len && is_digit(s[c->pos]))
			c->pos++;
	}
	return 0;
}

static int check_literal(struct json_check *c, const char *word)
{
	size_t n = strlen(word);

	if (c->len - c->pos < n || memcmp(c->s + c->pos, word, n) != 0)
		return check_fail(c, "expected a value");
	c->pos += n;
	return 0;
}

static int check_push(struct json_check *c, char kind)
{
	struct json_frame *parent = c->depth ? &c->stack[c->depth - 1] : NULL;
	enum json_role role = ROLE_OTHER;

	if (c->depth == NONO_STATE_MAX_DEPTH)
		return check_fail(c, "nested too deeply");
	if (!parent)
		role = ROLE_ROOT;
	else if (parent->role == ROLE_ROOT &&
		 (parent->key == KEY_FS || parent->key == KEY_DENY))
		role = ROLE_FS;
	else if (parent->role == ROLE_ROOT && parent->key == KEY_COMMANDS)
		role = ROLE_COMMANDS;
	else if (parent->role == ROLE_FS)
		role = ROLE_ENTRY;
	c->stack[c->depth++] = (struct json_frame){
		.kind = kind,
		.role = role,
	};
	c->pos++;
	return 0;
}

/* Reads `"key" :` in the innermost object. */
static int check_key(struct json_check *c)
{
	struct json_frame *f = &c->stack[c->depth - 1];
	size_t at;
	enum json_key key;

	check_skip_space(c);
	if (c->pos >= c->len)
		return check_fail(c, "unexpected end of text");
	if (c->s[c->pos] != '"')
		return check_fail(c, "expected a quoted key");
	at = c->pos;
	if (check_string(c, &key))
		return -1;
	if (key != KEY_OTHER &&
	    (f->role == ROLE_ROOT || f->role == ROLE_ENTRY ||
	     f->role == ROLE_COMMANDS)) {
		if (f->seen & (1u << key)) {
			c->pos = at;
			c->dup = key;
			return check_fail(c, "duplicate field");
		}
		f->seen |= 1u << key;
	}
	f->key = key;
	check_skip_space(c);
	if (c->pos >= c->len)
		return check_fail(c, "unexpected end of text");
	if (c->s[c->pos] != ':')
		return check_fail(c, "expected ':'");
	c->pos++;
	return 0;
}

static int check_json(struct json_check *c)
{
	bool want_value = true;

	while (want_value || c->depth) {
		if (want_value) {
			char ch;
			int rc;

			check_skip_space(c);
			if (c->pos >= c->len)
				return check_fail(c, "unexpected end of text");
			ch = c->s[c->pos];
			if (ch == '{' || ch == '[') {
				if (check_push(c, ch))
					return -1;
				check_skip_space(c);
				if (c->pos < c->len &&
				    c->s[c->pos] == (ch == '{' ? '}' : ']')) {
					c->pos++;
					c->depth--;
					want_value = false;
				} else if (ch == '{') {
					if (check_key(c))
						return -1;
				}
				continue;
			}
			if (ch == '"')
				rc = check_string(c, NULL);
			else if (ch == '-' || is_digit(ch))
				rc = check_number(c);
			else if (ch == 't')
				rc = check_literal(c, "true");
			else if (ch == 'f')
				rc = check_literal(c, "false");
			else if (ch == 'n')
				rc = check_literal(c, "null");
			else
				rc = check_fail(c, "expected a value");
			if (rc)
				return -1;
			want_value = false;
			continue;
		}
		/* After a value inside a container: a comma or the end. */
		check_skip_space(c);
		if (c->pos >= c->len)
			return check_fail(c, "unexpected end of text");
		if (c->s[c->pos] == ',') {
			c->pos++;
			if (c->stack[c->depth - 1].kind == '{' && check_key(c))
				return -1;
			want_value = true;
		} else if (c->s[c->pos] ==
			   (c->stack[c->depth - 1].kind == '{' ? '}' : ']')) {
			c->pos++;
			c->depth--;
		} else {
			return check_fail(c, c->stack[c->depth - 1].kind == '{'
						     ? "expected ',' or '}'"
						     : "expected ',' or ']'");
		}
	}
	check_skip_space(c);
	if (c->pos < c->len)
		return check_fail(c, "trailing characters after the document");
	return 0;
}

/* Fills a parse error at byte `offset`: line and column, 1-based. `key`
 * names the field for a duplicate, else it is KEY_OTHER. */
static int syntax_error(nono_diag *diag, const char *json, size_t offset,
			const char *why, enum json_key key)
{
	size_t bol = 0;
	unsigned line = 1;

	for (size_t i = 0; i < offset; i++) {
		if (json[i] == '\n') {
			line++;
			bol = i + 1;
		}
	}
	if (key != KEY_OTHER)
		return nono__diag_set_at(diag, NONO_EPARSE, "", line,
					 "state JSON: %s '%s' at line %u, "
					 "column %zu",
					 why, json_key_names[key], line,
					 offset - bol + 1);
	return nono__diag_set_at(diag, NONO_EPARSE, "", line,
				 "state JSON: %s at line %u, column %zu", why,
				 line, offset - bol + 1);
}

int nono_state_from_json(const char *json, size_t len, nono_state **out,
			 nono_diag *diag)
{
	struct json_check check;
	struct json_tokener *tok;
	json_object *root;
	const char *nul;
	int rc;

	if (!out)
		return nono__diag_set(diag, NONO_EINVAL, "out is NULL");
	*out = NULL;
	if (!json)
		return nono__diag_set(diag, NONO_EINVAL, "state JSON is NULL");
	if (len > NONO_STATE_MAX_LEN)
		return nono__diag_set_at(diag, NONO_EPARSE, "", 0,
					 "state JSON is larger than %u bytes",
					 NONO_STATE_MAX_LEN);

	/*
	 * JSON text never holds a raw NUL. A caller that passes the size of
	 * a buffer may include the terminator and the padding after it, so
	 * NULs are accepted at the end only; anywhere else the text is
	 * damaged.
	 */
	nul = memchr(json, '\0', len);
	if (nul) {
		size_t at = (size_t)(nul - json);

		for (size_t i = at; i < len; i++)
			if (json[i] != '\0')
				return syntax_error(diag, json, at, "NUL byte",
						    KEY_OTHER);
		len = at;
	}

	/* About a kilobyte: the stack of 64 frames. */
	check = (struct json_check){ .s = json, .len = len };
	if (check_json(&check))
		return syntax_error(diag, json, check.pos, check.why,
				    check.dup);

	/* The text is valid JSON within the depth limit: json-c fails now
	 * only when memory runs out. Its own limit is set above ours so
	 * that it never decides first. */
	tok = json_tokener_new_ex(NONO_STATE_MAX_DEPTH + 2);
	if (!tok)
		return nono__diag_set(diag, NONO_ENOMEM,
				      "state JSON: out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	/* len fits in an int: it is at most NONO_STATE_MAX_LEN. */
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (!root && json_tokener_get_error(tok) == json_tokener_continue) {
		/* A number at the very end of the text may go on as far as
		 * json-c knows; a space ends it, and changes nothing else. */
		root = json_tokener_parse_ex(tok, " ", 1);
	}
	if (!root && json_tokener_get_error(tok) == json_tokener_success) {
		/* json-c represents a JSON null by a NULL object. */
		rc = type_error(diag, "", "an object", NULL);
		goto free_tokener;
	}
	if (!root) {
		rc = nono__diag_set_at(
			diag, NONO_EPARSE, "", 0, "state JSON: %s",
			json_tokener_error_desc(json_tokener_get_error(tok)));
		goto free_tokener;
	}
	rc = read_root(root, out, diag);
	json_object_put(root);
free_tokener:
	json_tokener_free(tok);
	return rc;
}

int nono_state_to_caps(const nono_state *state, nono_caps **out,
		       nono_diag *diag)
{
	nono_caps *caps;
	int rc;

	if (!out)
		return nono__diag_set(diag, NONO_EINVAL, "out is NULL");
	*out = NULL;
	if (!state)
		return nono__diag_set(diag, NONO_EINVAL, "state is NULL");
	rc = nono_caps_new(&caps);
	if (rc)
		return nono__diag_set(diag, rc, "cannot create capability set");
	for (size_t i = 0; i < state->fs_len; i++) {
		const struct state_entry *e = &state->fs[i];

		/* Back through the checks every grant goes through: a
		 * crafted or stale state cannot name what allow_path would
		 * refuse. */
		if (e->is_file)
			rc = nono_caps_allow_file(caps, e->original, e->access);
		else
			rc = nono_caps_allow_path(caps, e->original, e->access);
		if (rc) {
			char q[NONO_QUOTE_MAX + 8];

			quote(q, sizeof(q), e->original, strlen(e->original));
			nono__diag_set(diag, rc, "state fs[%zu]: %s '%s': %s",
				       i, e->is_file ? "file" : "directory", q,
				       nono_strerror(rc));
			goto free_caps;
		}
	}
	if (state->net_blocked) {
		rc = nono_caps_block_network(caps);
		if (rc) {
			nono__diag_set(diag, rc, "cannot block the network");
			goto free_caps;
		}
	}
	for (size_t i = 0; i < state->tcp_connect.len && rc == 0; i++)
		rc = nono_caps_allow_tcp_connect(caps, state->tcp_connect.v[i]);
	for (size_t i = 0; i < state->tcp_bind.len && rc == 0; i++)
		rc = nono_caps_allow_tcp_bind(caps, state->tcp_bind.v[i]);
	for (size_t i = 0; i < state->udp_connect.len && rc == 0; i++)
		rc = nono_caps_allow_udp_connect(caps, state->udp_connect.v[i]);
	for (size_t i = 0; i < state->udp_bind.len && rc == 0; i++)
		rc = nono_caps_allow_udp_bind(caps, state->udp_bind.v[i]);
	if (rc == 0)
		rc = nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 state->scope_signal);
	if (rc == 0)
		rc = nono_caps_set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX,
					 state->scope_abstract_unix);
	if (rc == 0)
		rc = nono_caps_set_exec_writable(caps,
						 !state->no_exec_writable);
	if (rc == 0)
		rc = nono_caps_set_unix(caps, state->unix_mode);
	if (rc == 0)
		rc = nono_caps_set_capabilities(caps, state->keep_capabilities);
	if (rc == 0)
		rc = nono_caps_set_protect_metadata(caps,
						    state->protect_metadata);
	if (rc == 0)
		rc = nono_caps_set_kernel_log(caps, state->kernel_log);
	if (rc) {
		nono__diag_set(diag, rc, "state: %s", nono_strerror(rc));
		goto free_caps;
	}
	for (size_t i = 0; i < state->deny_len; i++) {
		const struct state_entry *e = &state->deny[i];

		/* Canonicalised again, as every grant is. */
		rc = nono_caps_deny_path(caps, e->original);
		if (rc) {
			char q[NONO_QUOTE_MAX + 8];

			quote(q, sizeof(q), e->original, strlen(e->original));
			nono__diag_set(diag, rc, "state deny[%zu]: '%s': %s", i,
				       q, nono_strerror(rc));
			goto free_caps;
		}
	}
	/* Resolved again too, on this process's PATH. */
	for (size_t i = 0; rc == 0 && i < state->allow_cmds.len; i++)
		rc = nono_caps_allow_command(caps, state->allow_cmds.v[i]);
	for (size_t i = 0; rc == 0 && i < state->block_cmds.len; i++)
		rc = nono_caps_block_command(caps, state->block_cmds.v[i]);
	if (rc) {
		nono__diag_set(diag, rc, "state commands: %s",
			       rc == NONO_EINVAL ? "a name is neither a bare "
						   "name nor an absolute path"
						 : nono_strerror(rc));
		goto free_caps;
	}
	*out = caps;
	return 0;

free_caps:
	nono_caps_free(caps);
	return rc;
}
