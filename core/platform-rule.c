// SPDX-License-Identifier: Apache-2.0
/*
 * Raw Seatbelt (SBPL) rules: the validator and the list kept in a
 * capability set.
 *
 * A rule is only ever used on macOS, but it is checked everywhere so that a
 * policy written on Linux fails the same way it would on a Mac. The check
 * is a guard against mistakes, not a full SBPL parser: it reads the rule as
 * S-expressions (strings and comments set aside), insists on balanced
 * parentheses, and refuses any (allow ...) form that names a file-read or
 * file-write operation together with a filter on the whole filesystem.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "caps-internal.h"

/* A rule is one S-expression or a few; anything longer is a mistake. */
#define NONO_RULE_MAX_LEN (64 * 1024)

/* Real SBPL rules nest a handful of levels; the limit keeps the frame
 * stack on the C stack and small. */
#define NONO_RULE_MAX_DEPTH 256

/* Atoms are compared in a fixed-size buffer; anything longer than this
 * cannot be one of the keywords the check looks for. */
#define NONO_ATOM_MAX 64

/* What the check remembers about one open list. */
struct rule_frame {
	size_t nelem;	  /* elements seen so far */
	bool head_allow;  /* (allow ...) */
	bool head_filter; /* (subpath ...) or (prefix ...) */
	bool file_op;	  /* an (allow ...) naming a file read/write op */
	bool root_filter; /* this list is, or holds, a filter on "/" */
};

struct rule_scan {
	const char *s;
	size_t len;
	size_t pos;
	struct rule_frame frames[NONO_RULE_MAX_DEPTH];
	size_t depth;
	nono_diag *diag;
};

/* Operations that read or write files: file*, file-read*, file-write* and
 * every file-read-... / file-write-... refinement, and `default`, which
 * stands for all operations at once. */
static bool is_file_rw_op(const char *atom)
{
	return strcasecmp(atom, "file*") == 0 ||
	       strncasecmp(atom, "file-read", 9) == 0 ||
	       strncasecmp(atom, "file-write", 10) == 0 ||
	       strcasecmp(atom, "default") == 0;
}

/*
 * Whether a filter argument names the root of the filesystem: "/", and
 * spellings the kernel resolves to it ("//", "/.", "/..", "/./"), since a
 * guard that "/." slips past guards nothing.
 */
static bool names_root(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 0 || s[0] != '/')
		return false;
	while (i < len) {
		size_t start;

		while (i < len && s[i] == '/')
			i++;
		start = i;
		while (i < len && s[i] != '/')
			i++;
		if (i - start == 0)
			continue;
		if (i - start == 1 && s[start] == '.')
			continue;
		if (i - start == 2 && s[start] == '.' && s[start + 1] == '.')
			continue;
		return false;
	}
	return true;
}

/* One more element in the innermost open list (none at the top level). */
static struct rule_frame *current(struct rule_scan *sc)
{
	return sc->depth ? &sc->frames[sc->depth - 1] : NULL;
}

static void add_atom(struct rule_scan *sc, const char *atom, size_t len)
{
	struct rule_frame *f = current(sc);
	char buf[NONO_ATOM_MAX + 1];

	if (!f)
		return;
	if (len <= NONO_ATOM_MAX) {
		memcpy(buf, atom, len);
		buf[len] = '\0';
		if (f->nelem == 0) {
			f->head_allow = strcasecmp(buf, "allow") == 0;
			f->head_filter = strcasecmp(buf, "subpath") == 0 ||
					 strcasecmp(buf, "prefix") == 0;
		} else if (f->head_allow && is_file_rw_op(buf)) {
			f->file_op = true;
		}
	}
	f->nelem++;
}

/* A string element; `s` still holds its escapes, which are resolved here
 * into `buf` (a backslash takes the next byte as it is). */
static void add_string(struct rule_scan *sc, const char *s, size_t len)
{
	struct rule_frame *f = current(sc);
	char buf[NONO_ATOM_MAX + 1];
	size_t n = 0;
	bool fits = true;

	if (!f)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		if (n == NONO_ATOM_MAX) {
			fits = false;
			break;
		}
		buf[n++] = s[i];
	}
	if (f->head_filter && f->nelem == 1 && fits && names_root(buf, n))
		f->root_filter = true;
	f->nelem++;
}

static int open_list(struct rule_scan *sc)
{
	struct rule_frame *parent = current(sc);

	if (sc->depth == NONO_RULE_MAX_DEPTH)
		return nono__diag_set(sc->diag, NONO_EINVAL,
				      "platform rule nests more than %d levels "
				      "deep (at offset %zu)",
				      NONO_RULE_MAX_DEPTH, sc->pos);
	if (parent)
		parent->nelem++;
	sc->frames[sc->depth++] = (struct rule_frame){ 0 };
	return 0;
}

static int close_list(struct rule_scan *sc)
{
	struct rule_frame f;
	struct rule_frame *parent;

	if (sc->depth == 0)
		return nono__diag_set(
			sc->diag, NONO_EINVAL,
			"platform rule has unbalanced parentheses: "
			"')' without '(' at offset %zu",
			sc->pos);
	f = sc->frames[--sc->depth];
	if (f.head_allow && f.file_op && f.root_filter)
		return nono__diag_set(sc->diag, NONO_EINVAL,
				      "platform rule must not allow file reads "
				      "or writes on the whole filesystem "
				      "(subpath \"/\")");
	parent = current(sc);
	if (parent && f.root_filter)
		parent->root_filter = true;
	return 0;
}

/* Skips a string starting at the opening quote; returns its body through
 * `body`/`body_len`, or an error when it never ends. */
static int scan_string(struct rule_scan *sc, size_t *body, size_t *body_len)
{
	size_t start = sc->pos;
	size_t i = start + 1;

	while (i < sc->len && sc->s[i] != '"') {
		if (sc->s[i] == '\\')
			i++;
		i++;
	}
	if (i >= sc->len)
		return nono__diag_set(
			sc->diag, NONO_EINVAL,
			"platform rule has an unterminated string "
			"starting at offset %zu",
			start);
	*body = start + 1;
	*body_len = i - (start + 1);
	sc->pos = i + 1;
	return 0;
}

static bool is_delim(char c)
{
	return isspace((unsigned char)c) || c == '(' || c == ')' || c == '"' ||
	       c == ';';
}

static int scan(struct rule_scan *sc)
{
	int rc;

	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];

		if (isspace((unsigned char)c)) {
			sc->pos++;
		} else if (c == ';') {
			while (sc->pos < sc->len && sc->s[sc->pos] != '\n')
				sc->pos++;
		} else if (c == '#' && sc->pos + 1 < sc->len &&
			   sc->s[sc->pos + 1] == '|') {
			/* Block comments do not nest, as in nono. */
			const char *end = NULL;
			size_t from = sc->pos + 2;

			if (from < sc->len)
				end = memmem(sc->s + from, sc->len - from, "|#",
					     2);
			if (!end)
				return nono__diag_set(
					sc->diag, NONO_EINVAL,
					"platform rule has an unterminated "
					"block comment starting at offset %zu",
					sc->pos);
			sc->pos = (size_t)(end - sc->s) + 2;
		} else if (c == '#' && sc->pos + 1 < sc->len &&
			   sc->s[sc->pos + 1] == '\\') {
			/*
			 * A TinyScheme character literal such as #\) reads
			 * as one atom there, while this scanner would see a
			 * parenthesis: the two readings could disagree on
			 * where a form ends, so a rule could hide a grant
			 * from the check. No rule needs one: refuse them.
			 */
			return nono__diag_set(sc->diag, NONO_EINVAL,
					      "platform rule has a character "
					      "literal (#\\) at offset %zu, "
					      "which is not allowed",
					      sc->pos);
		} else if (c == '(') {
			rc = open_list(sc);
			if (rc)
				return rc;
			sc->pos++;
		} else if (c == ')') {
			rc = close_list(sc);
			if (rc)
				return rc;
			sc->pos++;
		} else if (c == '"' || (c == '#' && sc->pos + 1 < sc->len &&
					sc->s[sc->pos + 1] == '"')) {
			/* "..." and SBPL's #"..." regex literals alike. */
			size_t body = 0, body_len = 0;

			if (c == '#')
				sc->pos++;
			rc = scan_string(sc, &body, &body_len);
			if (rc)
				return rc;
			add_string(sc, sc->s + body, body_len);
		} else {
			size_t start = sc->pos;

			while (sc->pos < sc->len && !is_delim(sc->s[sc->pos]))
				sc->pos++;
			add_atom(sc, sc->s + start, sc->pos - start);
		}
	}
	if (sc->depth)
		return nono__diag_set(
			sc->diag, NONO_EINVAL,
			"platform rule has unbalanced parentheses: "
			"%zu '(' not closed",
			sc->depth);
	return 0;
}

int nono_platform_rule_validate(const char *rule, nono_diag *diag)
{
	struct rule_scan sc;
	size_t len, i = 0;

	if (!rule)
		return nono__diag_set(diag, NONO_EINVAL,
				      "platform rule is NULL");
	len = strnlen(rule, NONO_RULE_MAX_LEN + 1);
	if (len > NONO_RULE_MAX_LEN)
		return nono__diag_set(diag, NONO_EINVAL,
				      "platform rule is longer than %d bytes",
				      NONO_RULE_MAX_LEN);
	while (i < len && isspace((unsigned char)rule[i]))
		i++;
	if (i == len || rule[i] != '(')
		return nono__diag_set(diag, NONO_EINVAL,
				      "platform rule must be an S-expression "
				      "starting with '('");
	sc = (struct rule_scan){
		.s = rule,
		.len = len,
		.pos = i,
		.diag = diag,
	};
	return scan(&sc);
}

int nono_caps_platform_rule(nono_caps *caps, const char *rule, nono_diag *diag)
{
	int rc;

	if (!caps)
		return nono__diag_set(diag, NONO_EINVAL,
				      "capability set is NULL");
	rc = nono_platform_rule_validate(rule, diag);
	if (rc)
		return rc;
	rc = nono__strv_push(&caps->platform_rules, rule);
	if (rc)
		return nono__diag_set(diag, rc, "cannot store platform rule");
	return 0;
}

size_t nono_caps_platform_rule_count(const nono_caps *caps)
{
	return caps ? caps->platform_rules.len : 0;
}

const char *nono_caps_platform_rule_at(const nono_caps *caps, size_t index)
{
	if (!caps || index >= caps->platform_rules.len)
		return NULL;
	return caps->platform_rules.v[index];
}
