// SPDX-License-Identifier: Apache-2.0
/*
 * nono's SandboxState JSON: the exact layout nono writes, round trips,
 * files written by nono, every way a document can be wrong, and the
 * rebuild of a capability set that checks every path again.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "libnono.h"
#include "testutil.h"

#define DATA NONO_TEST_DATA_DIR "/state/"

/* A canonical temporary root holding d/ and f.txt; removed after each
 * test. */
static char *root;

static void setup(void)
{
	char *tmp = tu_tmpdir();

	root = realpath(tmp, NULL);
	cr_assert_not_null(root, "realpath of the temporary directory");
	free(tmp);
	char *p = tu_fmt("%s/d", root);
	tu_mkdir(p);
	free(p);
	p = tu_fmt("%s/f.txt", root);
	tu_write_file(p, "x");
	free(p);
}

static void teardown(void)
{
	tu_rm_rf(root);
	free(root);
}

TestSuite(state, .init = setup, .fini = teardown);

/* The whole file, NUL-terminated; its length through len. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	char *buf;
	long n;

	cr_assert_not_null(f, "open %s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0, "seek %s", path);
	n = ftell(f);
	cr_assert_geq(n, 0, "size of %s", path);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf, "allocating for %s", path);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "read %s", path);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static nono_state *parse_ok(const char *json, size_t len)
{
	nono_state *st = NULL;
	nono_diag d;

	nono_diag_clear(&d);
	int rc = nono_state_from_json(json, len, &st, &d);
	cr_assert_eq(rc, 0, "from_json should succeed, got %d: %s\n%s", rc,
		     d.message, json);
	cr_assert_not_null(st, "from_json should return a state");
	return st;
}

static void expect_entry(const nono_caps *caps, size_t i, const char *orig,
			 const char *resolved, nono_access access, bool is_file)
{
	nono_fs_cap c;

	cr_assert_eq(nono_caps_fs_at(caps, i, &c), 0, "fs_get %zu", i);
	cr_assert_str_eq(c.original, orig, "entry %zu original", i);
	cr_assert_str_eq(c.resolved, resolved, "entry %zu resolved", i);
	cr_assert_eq(c.access, access, "entry %zu access", i);
	cr_assert_eq(c.is_file, is_file, "entry %zu is_file", i);
}

Test(state, argument_errors)
{
	nono_caps *caps = NULL;
	nono_state *st = (nono_state *)&st;
	nono_diag d;

	cr_assert_eq(nono_state_from_caps(NULL, &st), NONO_EINVAL,
		     "from_caps(NULL)");
	cr_assert_null(st, "out is cleared on failure");
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_state_from_caps(caps, NULL), NONO_EINVAL,
		     "from_caps with NULL out");
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_from_json(NULL, 0, &st, &d), NONO_EINVAL,
		     "from_json(NULL)");
	cr_assert_eq(d.code, NONO_EINVAL, "diag carries EINVAL");
	cr_assert_eq(nono_state_from_json("{}", 2, NULL, NULL), NONO_EINVAL,
		     "from_json with NULL out");
	cr_assert_null(nono_state_to_json(NULL), "to_json(NULL)");
	nono_caps *none = (nono_caps *)&none;
	cr_assert_eq(nono_state_to_caps(NULL, &none, NULL), NONO_EINVAL,
		     "to_caps(NULL)");
	cr_assert_null(none, "to_caps clears out on failure");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	cr_assert_eq(nono_state_to_caps(st, NULL, NULL), NONO_EINVAL,
		     "to_caps with NULL out");
	cr_assert_eq(nono_state_is_network_blocked(NULL), false,
		     "net_blocked(NULL) is false");
	nono_state_free(st);
	nono_state_free(NULL);
	nono_caps_free(caps);
}

Test(state, empty_set_as_serde_prints_it)
{
	nono_caps *caps = NULL;
	nono_state *st = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	char *j = nono_state_to_json(st);
	cr_assert_str_eq(j, "{\n  \"fs\": [],\n  \"net_blocked\": false\n}",
			 "an empty fs list prints as []");
	cr_assert_eq(nono_state_is_network_blocked(st), false, "not blocked");
	nono_free(j);
	nono_state_free(st);
	nono_caps_free(caps);
}

Test(state, layout_matches_the_golden_file)
{
	nono_caps *caps = NULL;
	nono_state *st = NULL;
	char *p = tu_fmt("%s/d/../d", root);
	char *link = tu_fmt("%s/link", root);
	char *file = tu_fmt("%s/f.txt", root);
	char *d = tu_fmt("%s/d", root);

	cr_assert_eq(symlink(file, link), 0, "symlink");
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, p, NONO_ACCESS_READ_WRITE), 0,
		     "allow_path");
	cr_assert_eq(nono_caps_allow_file(caps, link, NONO_ACCESS_READ), 0,
		     "allow_file");
	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_WRITE), 0,
		     "allow_path");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	/* The state is a copy: the set can change or go. */
	nono_caps_free(caps);

	char *tmpl = slurp(DATA "from-caps.json.in", NULL);
	char *want = tu_subst(tmpl, "@ROOT@", root);
	char *j = nono_state_to_json(st);
	cr_assert_not_null(j, "to_json");
	cr_assert_str_eq(j, want, "to_json should match the golden layout");
	cr_assert_eq(nono_state_is_network_blocked(st), true, "blocked");
	nono_free(j);
	free(want);
	free(tmpl);
	free(p);
	free(link);
	free(file);
	free(d);
	nono_state_free(st);
}

Test(state, round_trip)
{
	nono_caps *caps = NULL, *back = NULL;
	nono_state *st = NULL, *st2 = NULL;
	char *d = tu_fmt("%s/d", root);
	char *f = tu_fmt("%s/f.txt", root);

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, d, NONO_ACCESS_READ), 0,
		     "allow_path");
	cr_assert_eq(nono_caps_allow_file(caps, f, NONO_ACCESS_READ_WRITE), 0,
		     "allow_file");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	char *j = nono_state_to_json(st);
	cr_assert_not_null(j, "to_json");
	st2 = parse_ok(j, strlen(j));
	char *j2 = nono_state_to_json(st2);
	cr_assert_str_eq(j2, j, "JSON should survive a round trip unchanged");
	cr_assert_eq(nono_state_is_network_blocked(st2), false,
		     "network allowed");

	nono_diag diag;
	nono_diag_clear(&diag);
	cr_assert_eq(nono_state_to_caps(st2, &back, &diag), 0, "to_caps: %s",
		     diag.message);
	cr_assert_eq(nono_caps_fs_count(back), 2, "two entries come back");
	expect_entry(back, 0, d, d, NONO_ACCESS_READ, false);
	expect_entry(back, 1, f, f, NONO_ACCESS_READ_WRITE, true);
	cr_assert_eq(nono_caps_is_network_blocked(back), false,
		     "network allowed after the round trip");
	nono_free(j);
	nono_free(j2);
	nono_state_free(st);
	nono_state_free(st2);
	nono_caps_free(caps);
	nono_caps_free(back);
	free(d);
	free(f);
}

Test(state, loads_a_file_in_nono_py_format)
{
	size_t len;
	char *text = slurp(DATA "nono-py.json", &len);
	nono_state *st = parse_ok(text, len);
	nono_caps *caps = NULL;
	nono_diag d;

	cr_assert_eq(nono_state_is_network_blocked(st), true,
		     "net_blocked true");
	char *j = nono_state_to_json(st);
	cr_assert_str_eq(j, text,
			 "writing it again should give the same bytes");
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_to_caps(st, &caps, &d), 0, "to_caps: %s",
		     d.message);
	cr_assert_eq(nono_caps_fs_count(caps), 3, "three entries");
	char *tmp = realpath("/tmp", NULL);
	char *usr = realpath("/usr", NULL);
	cr_assert_not_null(tmp, "realpath /tmp");
	cr_assert_not_null(usr, "realpath /usr");
	expect_entry(caps, 0, "/tmp", tmp, NONO_ACCESS_READ_WRITE, false);
	expect_entry(caps, 1, "/usr", usr, NONO_ACCESS_READ, false);
	expect_entry(caps, 2, "/dev/null", "/dev/null", NONO_ACCESS_WRITE,
		     true);
	cr_assert_eq(nono_caps_is_network_blocked(caps), true,
		     "network blocked");
	free(tmp);
	free(usr);
	nono_free(j);
	nono_caps_free(caps);
	nono_state_free(st);
	free(text);
}

Test(state, unknown_keys_are_ignored)
{
	size_t len;
	char *text = slurp(DATA "extra-keys.json", &len);
	nono_state *st = parse_ok(text, len);
	nono_caps *caps = NULL;

	cr_assert_eq(nono_state_is_network_blocked(st), false,
		     "net_blocked false");
	cr_assert_eq(nono_state_to_caps(st, &caps, NULL), 0, "to_caps");
	cr_assert_eq(nono_caps_fs_count(caps), 1, "one entry");
	char *tmp = realpath("/tmp", NULL);
	expect_entry(caps, 0, "/tmp/", tmp, NONO_ACCESS_READ, false);
	free(tmp);
	nono_caps_free(caps);
	nono_state_free(st);
	free(text);
}

Test(state, accepted_variants)
{
	static const char *const ok[] = {
		"{\"fs\":[],\"net_blocked\":true}",
		"\r\n\t {\r\n\"net_blocked\" : false , \"fs\" : [ ] }\r\n",
		"{\"f\\u0073\": [], \"net_blocked\": false}",
		"{\"fs\": [], \"net_blocked\": true, \"x\": -0.5e+10}",
		"{\"fs\": [], \"net_blocked\": true, \"x\": 1e999999}",
		"{\"fs\": [], \"net_blocked\": true, \"x\": "
		"123456789012345678901234567890}",
		"{\"fs\": [], \"net_blocked\": true, \"x\": {\"fs\": 1, "
		"\"fs\": 2}}",
		"{\"fs\": [{\"original\": \"\\/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"write\", \"is_file\": false, \"x\": null}], "
		"\"net_blocked\": true}",
		"{\"fs\": [], \"net_blocked\": true, \"k\": "
		"\"\\ud83d\\ude00\"}",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		nono_state *st = parse_ok(ok[i], strlen(ok[i]));

		nono_state_free(st);
	}
}

struct bad_case {
	const char *json;
	const char *why; /* part of the message */
	unsigned line;	 /* diag.line */
};

#define ENTRY(body) "{\"fs\": [{" body "}], \"net_blocked\": true}"
#define GOOD_FIELDS                                        \
	"\"original\": \"/tmp\", \"resolved\": \"/tmp\", " \
	"\"access\": \"read\", \"is_file\": false"

static const struct bad_case bad[] = {
	{ "", "unexpected end of text", 1 },
	{ "  \n  ", "unexpected end of text", 2 },
	{ "{", "unexpected end of text", 1 },
	{ "{\"fs\": [", "unexpected end of text", 1 },
	{ "{\"fs\": [], \"net_blocked\": true", "unexpected end of text", 1 },
	{ "{\"fs\"", "unexpected end of text", 1 },
	{ "{\"fs", "unterminated string", 1 },
	{ "{\n  \"fs\": [],\n  \"net_blocked\": tru\n}", "expected a value",
	  3 },
	{ "{}", "missing field 'fs'", 0 },
	{ "[]", "the document must be an object, found array", 0 },
	{ "null", "the document must be an object, found null", 0 },
	{ "123", "the document must be an object, found int", 0 },
	{ "true", "the document must be an object, found boolean", 0 },
	{ "\"x\"", "the document must be an object, found string", 0 },
	{ "{\"fs\": [], }", "expected a quoted key", 1 },
	{ "{\"fs\": [],, \"net_blocked\": true}", "expected a quoted key", 1 },
	{ "{'fs': [], \"net_blocked\": true}", "expected a quoted key", 1 },
	{ "{fs: [], \"net_blocked\": true}", "expected a quoted key", 1 },
	{ "{\"fs\": [] /* c */, \"net_blocked\": true}", "expected ',' or '}'",
	  1 },
	{ "{\"fs\": [] \"net_blocked\": true}", "expected ',' or '}'", 1 },
	{ "{\"fs\" [], \"net_blocked\": true}", "expected ':'", 1 },
	{ "{\"fs\": [1 2], \"net_blocked\": true}", "expected ',' or ']'", 1 },
	{ "{\"fs\": [1,], \"net_blocked\": true}", "expected a value", 1 },
	{ "{\"fs\": [], \"net_blocked\": true} x", "trailing characters", 1 },
	{ "{\"fs\": [], \"net_blocked\": true}\n{}", "trailing characters", 2 },
	{ "\xef\xbb\xbf{\"fs\": [], \"net_blocked\": true}", "expected a value",
	  1 },
	{ "{\"fs\": [], \"net_blocked\": True}", "expected a value", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": NaN}", "expected a value",
	  1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": Infinity}",
	  "expected a value", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": 01}",
	  "expected ',' or '}'", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": 1.}", "bad number", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": .5}", "expected a value",
	  1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": 1e}", "bad number", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": -}", "bad number", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": +1}", "expected a value",
	  1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"a\tb\"}",
	  "control character", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\\x\"}",
	  "unknown escape", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\\u12\"}",
	  "bad \\u escape", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\\ud800\"}",
	  "lone surrogate", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\\udc00\"}",
	  "lone surrogate", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\\ud800\\u0041\"}",
	  "lone surrogate", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\xff\"}", "not UTF-8",
	  1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\xc0\xaf\"}",
	  "not UTF-8", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \"\xed\xa0\x80\"}",
	  "not UTF-8", 1 },
	{ "{\"fs\": [], \"net_blocked\": true, \"x\": \xff}",
	  "expected a value", 1 },
	{ "{\"fs\": [],\n\"net_blocked\": true,\n\"fs\": []}",
	  "duplicate field 'fs'", 3 },
	{ "{\"net_blocked\": true, \"fs\": [], \"net_blocked\": false}",
	  "duplicate field 'net_blocked'", 1 },
	{ ENTRY(GOOD_FIELDS ", \"access\": \"write\""),
	  "duplicate field 'access'", 1 },
	{ "{\"fs\": {}, \"net_blocked\": true}",
	  "'fs' must be an array, found object", 0 },
	{ "{\"fs\": null, \"net_blocked\": true}",
	  "'fs' must be an array, found null", 0 },
	{ "{\"fs\": 1e999, \"net_blocked\": true}",
	  "'fs' must be an array, found double", 0 },
	{ "{\"fs\": []}", "missing field 'net_blocked'", 0 },
	{ "{\"net_blocked\": true}", "missing field 'fs'", 0 },
	{ "{\"FS\": [], \"net_blocked\": true}", "missing field 'fs'", 0 },
	{ "{\"fs\": [], \"net_blocked\": \"true\"}",
	  "'net_blocked' must be true or false, found string", 0 },
	{ "{\"fs\": [], \"net_blocked\": 1}",
	  "'net_blocked' must be true or false, found int", 0 },
	{ "{\"fs\": [], \"net_blocked\": 123456789012345678901234567890}",
	  "'net_blocked' must be true or false", 0 },
	{ "{\"fs\": [], \"net_blocked\": null}",
	  "'net_blocked' must be true or false, found null", 0 },
	{ "{\"fs\": [1], \"net_blocked\": true}",
	  "'fs[0]' must be an object, found int", 0 },
	{ "{\"fs\": [[]], \"net_blocked\": true}",
	  "'fs[0]' must be an object, found array", 0 },
	{ ENTRY("\"resolved\": \"/tmp\", \"access\": \"read\", "
		"\"is_file\": false"),
	  "missing field 'fs[0].original'", 0 },
	{ ENTRY("\"original\": 5, \"resolved\": \"/tmp\", \"access\": "
		"\"read\", \"is_file\": false"),
	  "'fs[0].original' must be a string, found int", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": null, \"access\": "
		"\"read\", \"is_file\": false"),
	  "'fs[0].resolved' must be a string, found null", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"is_file\": false"),
	  "missing field 'fs[0].access'", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"rw\", \"is_file\": false"),
	  "unknown access mode 'rw'", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"READ\", \"is_file\": false"),
	  "unknown access mode 'READ'", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"re\\nad\", \"is_file\": false"),
	  "unknown access mode 're?ad'", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": 3, \"is_file\": false"),
	  "'fs[0].access' must be a string, found int", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"read\", \"is_file\": \"false\""),
	  "'fs[0].is_file' must be true or false, found string", 0 },
	{ ENTRY("\"original\": \"/tmp\", \"resolved\": \"/tmp\", "
		"\"access\": \"read\""),
	  "missing field 'fs[0].is_file'", 0 },
	{ ENTRY("\"original\": \"/t\\u0000mp\", \"resolved\": \"/tmp\", "
		"\"access\": \"read\", \"is_file\": false"),
	  "'fs[0].original' contains a NUL character", 0 },
	{ "{\"fs\": [{" GOOD_FIELDS "}, {\"original\": \"/tmp\"}], "
	  "\"net_blocked\": true}",
	  "missing field 'fs[1].resolved'", 0 },
};

Test(state, malformed_documents_are_parse_errors)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_state *st = (nono_state *)&st;
		nono_diag d;
		size_t len = strlen(bad[i].json);
		/* An exact-size copy, so reading past len would show. */
		char *copy = malloc(len ? len : 1);

		cr_assert_not_null(copy, "malloc");
		memcpy(copy, bad[i].json, len);
		nono_diag_clear(&d);
		int rc = nono_state_from_json(copy, len, &st, &d);
		cr_expect_eq(rc, NONO_EPARSE,
			     "case %zu `%s`: want EPARSE, got %d", i,
			     bad[i].json, rc);
		cr_expect_null(st, "case %zu: out should stay NULL", i);
		cr_expect_eq(d.code, NONO_EPARSE, "case %zu: diag code", i);
		cr_expect(strstr(d.message, bad[i].why) != NULL,
			  "case %zu `%s`: message `%s` should contain `%s`", i,
			  bad[i].json, d.message, bad[i].why);
		cr_expect_eq(d.line, bad[i].line,
			     "case %zu `%s`: line %u, want %u (%s)", i,
			     bad[i].json, d.line, bad[i].line, d.message);
		cr_expect(strchr(d.message, '\n') == NULL,
			  "case %zu: the message is one line", i);
		free(copy);
	}
}

Test(state, syntax_errors_give_the_column)
{
	nono_state *st = NULL;
	nono_diag d;
	const char *text = "{\n  \"fs\": [],\n  \"net_blocked\": yes\n}";

	nono_diag_clear(&d);
	cr_assert_eq(nono_state_from_json(text, strlen(text), &st, &d),
		     NONO_EPARSE, "a bad value is a parse error");
	cr_assert_eq(d.line, 3, "line of the bad value");
	cr_assert(strstr(d.message, "line 3, column 18") != NULL,
		  "the message should give line and column: %s", d.message);
	cr_assert_str_eq(d.file, "", "no file for an in-memory document");
}

Test(state, reads_at_most_len_bytes)
{
	const char *text = "{\"fs\": [], \"net_blocked\": true}garbage";
	nono_state *st = parse_ok(text, strlen(text) - strlen("garbage"));

	cr_assert_eq(nono_state_is_network_blocked(st), true,
		     "the prefix is read");
	nono_state_free(st);
}

Test(state, nul_bytes)
{
	const char ok[] = "{\"fs\": [], \"net_blocked\": true}\0\0\0";
	const char bad_mid[] = "{\"fs\": [],\n\0 \"net_blocked\": true}";
	nono_state *st = NULL;
	nono_diag d;

	/* The terminator and padding of a buffer may be included. */
	st = parse_ok(ok, sizeof(ok));
	nono_state_free(st);
	st = NULL;
	nono_diag_clear(&d);
	cr_assert_eq(
		nono_state_from_json(bad_mid, sizeof(bad_mid) - 1, &st, &d),
		NONO_EPARSE, "a NUL inside the text is an error");
	cr_assert(strstr(d.message, "NUL byte") != NULL,
		  "the message names the NUL: %s", d.message);
	cr_assert_eq(d.line, 2, "the NUL is on line 2");
	cr_assert_null(st, "no state");
}

Test(state, size_is_bounded)
{
	size_t limit = 16u * 1024 * 1024;
	const char *doc = "{\"fs\": [], \"net_blocked\": true}";
	char *buf = malloc(limit + 1);
	nono_state *st = NULL;
	nono_diag d;

	cr_assert_not_null(buf, "malloc 16 MiB");
	memset(buf, ' ', limit + 1);
	memcpy(buf, doc, strlen(doc));
	st = parse_ok(buf, limit);
	nono_state_free(st);
	st = NULL;
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_from_json(buf, limit + 1, &st, &d), NONO_EPARSE,
		     "over 16 MiB is refused");
	cr_assert(strstr(d.message, "larger than") != NULL,
		  "the message says why: %s", d.message);
	free(buf);
}

Test(state, deep_nesting_is_refused_without_recursion)
{
	size_t depth = 1000000;
	char *buf = malloc(depth + 64);
	nono_state *st = NULL;
	nono_diag d;

	cr_assert_not_null(buf, "malloc");
	strcpy(buf, "{\"fs\": [], \"net_blocked\": true, \"x\": ");
	size_t n = strlen(buf);
	memset(buf + n, '[', depth);
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_from_json(buf, n + depth, &st, &d), NONO_EPARSE,
		     "a million open brackets are refused");
	cr_assert(strstr(d.message, "nested too deeply") != NULL,
		  "the message says why: %s", d.message);

	/* 60 levels under the root are within the limit. */
	char small[256];
	strcpy(small, "{\"fs\": [], \"net_blocked\": true, \"x\": ");
	n = strlen(small);
	memset(small + n, '[', 60);
	memset(small + n + 60, ']', 60);
	strcpy(small + n + 120, "}");
	st = parse_ok(small, strlen(small));
	nono_state_free(st);
	free(buf);
}

/* Every prefix and every one-byte change of a valid document either
 * parses or is a clean EPARSE with a message: nothing crashes (these run
 * under ASan and UBSan in CI). */
Test(state, damaged_documents_never_crash)
{
	size_t len;
	char *text = slurp(DATA "nono-py.json", &len);
	static const char subst[] = { '\0', '"', '\\', '{', '}', '[',  ']',
				      ',',  ':', '0',  'x', ' ', '\n', '\xff' };
	size_t parsed = 0, refused = 0;

	for (size_t cut = 0; cut < len; cut++) {
		nono_state *st = NULL;
		nono_diag d;
		char *copy = malloc(cut ? cut : 1);

		memcpy(copy, text, cut);
		nono_diag_clear(&d);
		int rc = nono_state_from_json(copy, cut, &st, &d);
		cr_assert_eq(rc, NONO_EPARSE, "prefix of %zu bytes: %d", cut,
			     rc);
		cr_assert_neq(d.message[0], '\0', "prefix %zu: a message", cut);
		free(copy);
	}
	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k < sizeof(subst); k++) {
			nono_state *st = NULL;
			nono_diag d;
			char *copy = malloc(len);

			memcpy(copy, text, len);
			copy[i] = subst[k];
			nono_diag_clear(&d);
			int rc = nono_state_from_json(copy, len, &st, &d);
			cr_assert(rc == 0 || rc == NONO_EPARSE,
				  "byte %zu -> %#x: rc %d", i,
				  (unsigned char)subst[k], rc);
			if (rc == 0) {
				char *j = nono_state_to_json(st);

				cr_assert_not_null(j, "to_json");
				nono_free(j);
				nono_state_free(st);
				parsed++;
			} else {
				cr_assert_null(st, "no state on error");
				cr_assert_neq(d.message[0], '\0',
					      "a message on error");
				refused++;
			}
			free(copy);
		}
	}
	cr_assert_gt(parsed, 0, "some changes keep the document valid");
	cr_assert_gt(refused, 0, "most changes break it");
	free(text);
}

Test(state, to_caps_fails_on_a_deleted_path)
{
	nono_caps *caps = NULL, *back = (nono_caps *)&back;
	nono_state *st = NULL;
	nono_diag d;
	char *gone = tu_fmt("%s/gone", root);

	tu_mkdir(gone);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, gone, NONO_ACCESS_READ), 0,
		     "allow_path");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	cr_assert_eq(rmdir(gone), 0, "rmdir");
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_to_caps(st, &back, &d), NONO_ENOENT,
		     "a deleted directory fails with ENOENT");
	cr_assert_null(back, "no set on failure");
	cr_assert_eq(d.code, NONO_ENOENT, "diag code");
	cr_assert(strstr(d.message, gone) != NULL,
		  "the message names the path: %s", d.message);
	cr_assert(strstr(d.message, nono_strerror(NONO_ENOENT)) != NULL,
		  "the message names the error: %s", d.message);
	nono_state_free(st);
	nono_caps_free(caps);
	free(gone);
}

Test(state, to_caps_checks_the_kind_again)
{
	nono_caps *caps = NULL, *back = NULL;
	nono_state *st = NULL;
	nono_diag d;
	char *p = tu_fmt("%s/x", root);

	/* A directory that has become a file. */
	tu_mkdir(p);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, p, NONO_ACCESS_READ), 0,
		     "allow_path");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	cr_assert_eq(rmdir(p), 0, "rmdir");
	tu_write_file(p, "now a file");
	nono_diag_clear(&d);
	cr_assert_eq(nono_state_to_caps(st, &back, &d), NONO_ENOTDIR,
		     "a directory grant on a file fails");
	cr_assert(strstr(d.message, "directory") != NULL,
		  "the message says a directory was expected: %s", d.message);
	nono_state_free(st);
	nono_caps_free(caps);

	/* A file that has become a directory. */
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_file(caps, p, NONO_ACCESS_READ), 0,
		     "allow_file");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	cr_assert_eq(unlink(p), 0, "unlink");
	tu_mkdir(p);
	cr_assert_eq(nono_state_to_caps(st, &back, NULL), NONO_EISDIR,
		     "a file grant on a directory fails");
	nono_state_free(st);
	nono_caps_free(caps);
	free(p);
}

Test(state, strings_are_escaped_as_serde_does)
{
	/* A directory whose name needs every kind of escape. */
	const char *name = "q\"b\\n\nt\tc\x01"
			   "e\xc3\xa9/";
	char *dir = tu_fmt("%s/%.*s", root, (int)strlen(name) - 1, name);
	nono_caps *caps = NULL, *back = NULL;
	nono_state *st = NULL, *st2 = NULL;

	tu_mkdir(dir);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, dir, NONO_ACCESS_READ), 0,
		     "allow_path");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	char *j = nono_state_to_json(st);
	char *want = tu_fmt("%s/q\\\"b\\\\n\\nt\\tc\\u0001e\xc3\xa9\"", root);
	cr_assert(strstr(j, want) != NULL, "serde escapes: want `%s` in\n%s",
		  want, j);
	st2 = parse_ok(j, strlen(j));
	cr_assert_eq(nono_state_to_caps(st2, &back, NULL), 0,
		     "to_caps after the round trip");
	nono_fs_cap c;
	cr_assert_eq(nono_caps_fs_at(back, 0, &c), 0, "fs_get");
	cr_assert_str_eq(c.original, dir, "the name survives the round trip");
	nono_free(j);
	free(want);
	free(dir);
	nono_state_free(st);
	nono_state_free(st2);
	nono_caps_free(caps);
	nono_caps_free(back);
}

Test(state, non_utf8_paths_are_written_lossily)
{
	char *dir = tu_fmt("%s/bad\xff", root);
	nono_caps *caps = NULL, *back = NULL;
	nono_state *st = NULL, *st2 = NULL;

	tu_mkdir(dir);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, dir, NONO_ACCESS_READ), 0,
		     "allow_path");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	char *j = nono_state_to_json(st);
	cr_assert_not_null(j, "to_json");
	char *want = tu_fmt("%s/bad\xef\xbf\xbd\"", root);
	cr_assert(strstr(j, want) != NULL,
		  "the bad byte is written as U+FFFD:\n%s", j);
	/* The document is valid, and its path names no existing file. */
	st2 = parse_ok(j, strlen(j));
	cr_assert_eq(nono_state_to_caps(st2, &back, NULL), NONO_ENOENT,
		     "the replaced name does not exist");
	nono_free(j);
	free(want);
	free(dir);
	nono_state_free(st);
	nono_state_free(st2);
	nono_caps_free(caps);
}

/* libnono's additions: written only where they differ from a new set,
 * read back, and rebuilt into the capability set. */
Test(state, ports_and_scopes_round_trip)
{
	nono_caps *caps = NULL;
	nono_state *st = NULL;
	char *json;

	cr_assert_eq(nono_caps_new(&caps), 0, "caps");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "connect 443");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 8443), 0,
		     "connect 8443");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 8080), 0, "bind 8080");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED),
		     0, "signals allowed");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	json = nono_state_to_json(st);
	cr_assert_str_eq(json,
			 "{\n"
			 "  \"fs\": [],\n"
			 "  \"net_blocked\": true,\n"
			 "  \"tcp_connect_ports\": [\n"
			 "    443,\n"
			 "    8443\n"
			 "  ],\n"
			 "  \"tcp_bind_ports\": [\n"
			 "    8080\n"
			 "  ],\n"
			 "  \"scopes\": {\n"
			 "    \"signal\": \"allow\",\n"
			 "    \"abstract_unix\": \"default\"\n"
			 "  }\n"
			 "}",
			 "layout with ports and scopes: %s", json);
	nono_state_free(st);
	nono_caps_free(caps);

	st = parse_ok(json, strlen(json));
	cr_assert_eq(nono_state_to_caps(st, &caps, NULL), 0, "to_caps");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 2,
		     "two connect ports back");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 1), 8443,
		     "second connect port back");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_BIND, 0), 8080,
		     "bind port back");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_ALLOWED, "signal scope back");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_DEFAULT, "abstract scope back");
	nono_caps_free(caps);
	nono_state_free(st);
	nono_free(json);
}

Test(state, bad_ports_and_scopes_are_parse_errors)
{
	static const char *const docs[] = {
		"{\"fs\": [], \"net_blocked\": true, \"tcp_connect_ports\": "
		"443}",
		"{\"fs\": [], \"net_blocked\": true, \"tcp_connect_ports\": "
		"[0]}",
		"{\"fs\": [], \"net_blocked\": true, \"tcp_bind_ports\": "
		"[65536]}",
		"{\"fs\": [], \"net_blocked\": true, \"tcp_bind_ports\": "
		"[\"80\"]}",
		"{\"fs\": [], \"net_blocked\": true, \"tcp_bind_ports\": "
		"[80.5]}",
		"{\"fs\": [], \"net_blocked\": true, \"scopes\": []}",
		"{\"fs\": [], \"net_blocked\": true, \"scopes\": {\"signal\": "
		"1}}",
		"{\"fs\": [], \"net_blocked\": true, "
		"\"scopes\": {\"abstract_unix\": \"open\"}}",
		"{\"fs\": [], \"net_blocked\": true, \"tcp_bind_ports\": [], "
		"\"tcp_bind_ports\": []}",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		nono_state *st = NULL;
		nono_diag d;

		cr_assert_eq(
			nono_state_from_json(docs[i], strlen(docs[i]), &st, &d),
			NONO_EPARSE, "document %zu is refused: %s", i, docs[i]);
		cr_assert_null(st, "no state for document %zu", i);
		cr_assert_str_neq(d.message, "", "a message for document %zu",
				  i);
	}
}

Test(state, baseline_settings_round_trip)
{
	nono_caps *caps = NULL;
	nono_state *st = NULL;
	char *json;

	cr_assert_eq(nono_caps_new(&caps), 0, "caps");
	cr_assert_eq(nono_caps_set_unix(caps, NONO_UNIX_NONE), 0, "unix");
	cr_assert_eq(nono_caps_set_capabilities(
			     caps, (UINT64_C(1) << 0) | (UINT64_C(1) << 13)),
		     0, "capabilities");
	cr_assert_eq(nono_caps_set_protect_metadata(caps, true), 0, "metadata");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	json = nono_state_to_json(st);
	cr_assert_str_eq(json,
			 "{\n"
			 "  \"fs\": [],\n"
			 "  \"net_blocked\": false,\n"
			 "  \"unix\": \"none\",\n"
			 "  \"capabilities\": [\n"
			 "    \"chown\",\n"
			 "    \"net_raw\"\n"
			 "  ],\n"
			 "  \"metadata\": \"protect\"\n"
			 "}",
			 "layout with the baseline's settings: %s", json);
	nono_state_free(st);
	nono_caps_free(caps);

	st = parse_ok(json, strlen(json));
	cr_assert_eq(nono_state_to_caps(st, &caps, NULL), 0, "to_caps");
	cr_assert_eq(nono_caps_unix(caps), NONO_UNIX_NONE, "unix back");
	cr_assert_eq(nono_caps_capabilities(caps),
		     (UINT64_C(1) << 0) | (UINT64_C(1) << 13),
		     "capabilities back");
	cr_assert(nono_caps_protect_metadata(caps), "metadata back");
	nono_caps_free(caps);
	nono_state_free(st);
	nono_free(json);

	/* "keep", and a state without the keys: the defaults. */
	const char keep[] = "{\"fs\": [], \"net_blocked\": false, "
			    "\"capabilities\": \"keep\"}";
	st = parse_ok(keep, strlen(keep));
	cr_assert_eq(nono_state_to_caps(st, &caps, NULL), 0, "to_caps");
	cr_assert_eq(nono_caps_capabilities(caps), NONO_CAPABILITIES_ALL,
		     "keep");
	cr_assert_eq(nono_caps_unix(caps), NONO_UNIX_DEFAULT, "unix default");
	cr_assert(!nono_caps_protect_metadata(caps), "metadata default");
	nono_caps_free(caps);
	nono_state_free(st);
}

Test(state, bad_baseline_settings_are_parse_errors)
{
	static const char *const docs[] = {
		"{\"fs\": [], \"net_blocked\": true, \"unix\": \"some\"}",
		"{\"fs\": [], \"net_blocked\": true, \"unix\": 1}",
		"{\"fs\": [], \"net_blocked\": true, \"metadata\": \"allow\"}",
		"{\"fs\": [], \"net_blocked\": true, \"capabilities\": "
		"\"all\"}",
		"{\"fs\": [], \"net_blocked\": true, \"capabilities\": "
		"[\"sys_admn\"]}",
		"{\"fs\": [], \"net_blocked\": true, \"capabilities\": [1]}",
		"{\"fs\": [], \"net_blocked\": true, \"unix\": \"all\", "
		"\"unix\": \"none\"}",
		"{\"fs\": [], \"net_blocked\": true, \"kernel_log\": \"on\"}",
		/* Keys longer than 15 characters are checked for duplicates
		 * too. */
		"{\"fs\": [], \"net_blocked\": true, \"tcp_connect_ports\": "
		"[], "
		"\"tcp_connect_ports\": []}",
		"{\"fs\": [], \"net_blocked\": true, \"udp_connect_ports\": "
		"[], "
		"\"udp_connect_ports\": []}",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		nono_state *st = NULL;
		nono_diag d;

		cr_assert_eq(
			nono_state_from_json(docs[i], strlen(docs[i]), &st, &d),
			NONO_EPARSE, "document %zu is refused: %s", i, docs[i]);
		cr_assert_null(st, "no state for document %zu", i);
	}
}

Test(state, udp_ports_and_kernel_log_round_trip)
{
	nono_caps *caps = NULL;
	nono_state *st = NULL;
	char *json;

	cr_assert_eq(nono_caps_new(&caps), 0, "caps");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_udp_connect(caps, 53), 0, "udp 53");
	cr_assert_eq(nono_caps_allow_udp_bind(caps, 5353), 0, "udp 5353");
	cr_assert_eq(nono_caps_set_kernel_log(caps, NONO_KERNEL_LOG_DENIALS), 0,
		     "kernel_log");
	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	json = nono_state_to_json(st);
	cr_assert(strstr(json, "\"udp_connect_ports\": [\n    53\n  ]"), "%s",
		  json);
	cr_assert(strstr(json, "\"kernel_log\": \"denials\""), "%s", json);
	nono_state_free(st);
	nono_caps_free(caps);

	st = parse_ok(json, strlen(json));
	cr_assert_eq(nono_state_to_caps(st, &caps, NULL), 0, "to_caps");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_UDP_CONNECT), 1,
		     "udp connect back");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_UDP_BIND, 0), 5353,
		     "udp bind back");
	cr_assert_eq(nono_caps_kernel_log(caps), NONO_KERNEL_LOG_DENIALS,
		     "kernel_log back");
	nono_caps_free(caps);
	nono_state_free(st);
	nono_free(json);
}
