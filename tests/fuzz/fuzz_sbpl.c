// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the Seatbelt profile generator (core/sbpl.c), its path
 * checks and escaping, and the platform-rule validator it calls again.
 *
 * The input builds a capability set directly in struct nono_caps, as a
 * corrupted state or a future caller could, since the generator does not
 * need the paths to exist. Byte 0 holds flags; the rest is records
 * separated by NUL bytes, each a tag byte and a text:
 *
 *   flags: bit 0 network blocked, bits 1-2 signal scope mode (raw, so
 *          out-of-range values too), bit 3 best effort, bit 4 a blocked
 *          command, bit 5 exec_writable = false
 *   tag & 3 == 0: a grant, or a deny rule when tag & 0x20; access
 *          (tag >> 2) & 3 (0 is invalid), a file when tag & 0x10; the
 *          text is "resolved", or "original\x01resolved"
 *   tag & 3 == 1: a platform rule, through nono_caps_platform_rule(), or
 *          pushed raw (unvalidated) when tag & 4
 *   tag & 3 == 2: a TCP port from the first two text bytes (big-endian),
 *          bind when tag & 4, connect otherwise; pushed raw (port 0 and
 *          duplicates included) when tag & 8
 *   tag & 3 == 3: a command: a resolved file pushed raw to the block
 *          list (tag & 4) or the allow list (tag & 8), else a name added
 *          to the allow list
 *
 * What must hold: the generator returns 0 or one of its documented
 * errors, with a one-line reason; on success the profile reads as
 * balanced SBPL, every generated line is a comment or exactly one form
 * (so no path ended its string and added a rule), and each grant's
 * canonical path appears escaped.
 */
#include <stdbool.h>
#include <string.h>

#include "caps-internal.h"
#include "fuzz.h"
#include "sbpl.h"

#define FUZZ_MAX_RECORDS 64

/* Where the generated rules end and the raw platform rules begin. */
static const char platform_marker[] = "\n; Platform rules, last:";

/* A grant as the library keeps one: original and resolved in one block
 * (fs_entry_free frees original alone), no descriptor. */
static bool push_fs(nono_caps *caps, const char *text, nono_access access,
		    bool is_file)
{
	const char *sep = strchr(text, '\x01');
	size_t olen = sep ? (size_t)(sep - text) : strlen(text);
	const char *r = sep ? sep + 1 : text;
	size_t rlen = strlen(r);
	struct nono__fs_entry *fs;
	char *block = malloc(olen + rlen + 2);

	fs = block ? realloc(caps->fs, (caps->fs_len + 1) * sizeof(*fs)) : NULL;
	if (!fs) {
		free(block);
		return false;
	}
	memcpy(block, text, olen);
	block[olen] = '\0';
	memcpy(block + olen + 1, r, rlen + 1);
	caps->fs = fs;
	caps->fs_cap = caps->fs_len + 1;
	caps->fs[caps->fs_len++] = (struct nono__fs_entry){
		.original = block,
		.resolved = block + olen + 1,
		.access = access,
		.is_file = is_file,
		.fd = -1,
	};
	return true;
}

static bool push_deny(nono_caps *caps, const char *text, bool is_file)
{
	const char *sep = strchr(text, '\x01');
	struct nono__deny_entry *d;
	char *original, *resolved;

	original = sep ? strndup(text, (size_t)(sep - text)) : strdup(text);
	resolved = strdup(sep ? sep + 1 : text);
	d = realloc(caps->deny, (caps->deny_len + 1) * sizeof(*d));
	if (!original || !resolved || !d) {
		free(original);
		free(resolved);
		if (d)
			caps->deny = d;
		return false;
	}
	caps->deny = d;
	caps->deny_cap = caps->deny_len + 1;
	caps->deny[caps->deny_len++] = (struct nono__deny_entry){
		.original = original,
		.resolved = resolved,
		.is_file = is_file,
	};
	return true;
}

static bool push_port_raw(struct nono__ports *p, uint16_t port)
{
	uint16_t *v = realloc(p->v, (p->len + 1) * sizeof(*v));

	if (!v)
		return false;
	p->v = v;
	p->cap = p->len + 1;
	p->v[p->len++] = port;
	return true;
}

static void add_record(nono_caps *caps, const char *rec)
{
	unsigned char tag = (unsigned char)rec[0];
	const char *text = rec[0] ? rec + 1 : rec;

	switch (tag & 3) {
	case 0:
		if (tag & 0x20)
			push_deny(caps, text, tag & 0x10);
		else
			push_fs(caps, text, (nono_access)((tag >> 2) & 3),
				tag & 0x10);
		break;
	case 1:
		if (tag & 4)
			nono__strv_push(&caps->platform_rules, text);
		else
			nono_caps_platform_rule(caps, text, NULL);
		break;
	case 2: {
		uint16_t port = 0;
		struct nono__ports *p =
			tag & 4 ? &caps->tcp_bind : &caps->tcp_connect;

		if (text[0])
			port = (uint16_t)((unsigned char)text[0] << 8 |
					  (unsigned char)text[1]);
		if (tag & 8)
			push_port_raw(p, port);
		else if (tag & 4)
			nono_caps_allow_tcp_bind(caps, port);
		else
			nono_caps_allow_tcp_connect(caps, port);
		break;
	}
	default:
		if (tag & 4)
			nono__strv_push(&caps->block_files, text);
		else if (tag & 8)
			nono__strv_push(&caps->allow_files, text);
		else
			nono_caps_allow_command(caps, text);
		break;
	}
}

/* What ends an atom, as SBPL's reader (and the validator) has it. */
static bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v' || c == '(' || c == ')' || c == '"' || c == ';';
}

/*
 * Reads `s` as SBPL: strings ("..." and #"...") with backslash escapes,
 * ';' comments, and #| |# comments where a token starts (inside an atom,
 * "#|" is part of it). Returns the number of top-level forms, or -1
 * when something is left open or a ')' closes nothing.
 */
static int sbpl_forms(const char *s, size_t len)
{
	int depth = 0, forms = 0;
	/* Whether s[i] continues an atom. A token starts after a delimiter
	 * and also right after a comment or a string ends: "|##|" is two
	 * comments, not a comment and an atom (a fuzz find). */
	bool in_atom = false;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == ';') {
			while (i < len && s[i] != '\n')
				i++;
			in_atom = false;
		} else if (c == '#' && i + 1 < len && s[i + 1] == '|' &&
			   !in_atom) {
			const char *end =
				memmem(s + i + 2, len - i - 2, "|#", 2);

			if (!end)
				return -1;
			i = (size_t)(end - s) + 1;
		} else if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\')
					i++;
			}
			if (i >= len)
				return -1;
			in_atom = false;
		} else if (c == '(') {
			depth++;
			in_atom = false;
		} else if (c == ')') {
			if (--depth < 0)
				return -1;
			if (depth == 0)
				forms++;
			in_atom = false;
		} else {
			in_atom = !is_delim(c);
		}
	}
	return depth == 0 ? forms : -1;
}

/* Every line of the generated part: a comment, or exactly one form, in
 * printable characters only. */
static void check_generated(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = 0;

		while (i + n < len && s[i + n] != '\n')
			n++;
		for (size_t k = 0; k < n; k++)
			FUZZ_CHECK((unsigned char)s[i + k] >= 0x20 &&
					   s[i + k] != 0x7f,
				   "control character in line: %.*s", (int)n,
				   s + i);
		if (s[i] != ';')
			FUZZ_CHECK(sbpl_forms(s + i, n) == 1,
				   "not exactly one form: %.*s", (int)n, s + i);
		i += n + 1;
	}
}

/* The escaped literal of `path` must appear in the profile. */
static void check_path_written(const char *profile, const char *path)
{
	size_t len = strlen(path);
	char *lit = malloc(2 * len + 3);
	size_t n = 0;

	if (!lit)
		return;
	lit[n++] = '"';
	for (size_t i = 0; i < len; i++) {
		if (path[i] == '"' || path[i] == '\\')
			lit[n++] = '\\';
		lit[n++] = path[i];
	}
	lit[n++] = '"';
	lit[n] = '\0';
	FUZZ_CHECK(strstr(profile, lit), "grant %s not written", lit);
	free(lit);
}

static void check_profile(const nono_caps *caps, const char *profile)
{
	const char *marker = strstr(profile, platform_marker);
	size_t len = strlen(profile);
	size_t gen_len = marker ? (size_t)(marker - profile) + 1 : len;

	FUZZ_CHECK(strncmp(profile, "(version 1)\n(deny default)\n", 27) == 0,
		   "profile does not start with the header");
	FUZZ_CHECK(len > 0 && profile[len - 1] == '\n', "no final newline");
	FUZZ_CHECK(sbpl_forms(profile, len) > 0, "profile is not balanced");
	FUZZ_CHECK((marker != NULL) == (caps->platform_rules.len > 0),
		   "platform rule section %s",
		   marker ? "without rules" : "missing");
	check_generated(profile, gen_len);
	for (size_t i = 0; i < caps->fs_len; i++)
		check_path_written(profile, caps->fs[i].resolved);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nono_apply_result result;
	nono_caps *caps = NULL;
	char *profile = NULL;
	unsigned flags = 0;
	nono_diag diag;
	char *text;
	size_t pos;
	int rc;

	if (size == 0 || nono_caps_new(&caps) != 0)
		return 0;
	text = malloc(size + 1);
	if (!text) {
		nono_caps_free(caps);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';

	caps->net_blocked = data[0] & 1;
	caps->scope_signal = (nono_scope_mode)((data[0] >> 1) & 3);
	if (data[0] & 8)
		flags |= NONO_APPLY_BEST_EFFORT;
	if (data[0] & 0x10)
		nono_caps_block_command(caps, "rm");
	caps->no_exec_writable = data[0] & 0x20;

	/* Records: from byte 1, each up to the next NUL. */
	pos = 1;
	for (int n = 0; pos < size && n < FUZZ_MAX_RECORDS; n++) {
		add_record(caps, text + pos);
		pos += strlen(text + pos) + 1;
	}

	nono_diag_clear(&diag);
	rc = nono__sbpl_generate(caps, flags, &profile, &result, &diag);
	FUZZ_CHECK(rc == 0 || rc == NONO_EINVAL || rc == NONO_EUNSUPPORTED ||
			   rc == NONO_ENOMEM,
		   "unexpected error %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(profile, "success without a profile");
		check_profile(caps, profile);
	} else {
		FUZZ_CHECK(!profile, "a profile on failure");
		FUZZ_CHECK(diag.code == rc, "diag code %d for %d", diag.code,
			   rc);
		FUZZ_CHECK(diag.message[0], "no reason given");
		for (const char *p = diag.message; *p; p++)
			FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f,
				   "control character in message: %s",
				   diag.message);
	}
	free(profile);
	free(text);
	nono_caps_free(caps);
	return 0;
}
