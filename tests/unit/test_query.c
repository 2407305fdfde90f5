// SPDX-License-Identifier: Apache-2.0
/*
 * Queries without applying: snapshot semantics, the most specific answer,
 * access adding up across grants, the network, and the JSON nono-py
 * prints. Paths live in a fresh temporary tree per test.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "caps-internal.h"
#include "libnono.h"
#include "testutil.h"

/* The tree every test starts from: root/{d/{sub/deep},dx,f.txt}, with
 * root canonical (so expected paths can be built from it). */
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
	p = tu_fmt("%s/d/sub", root);
	tu_mkdir(p);
	free(p);
	p = tu_fmt("%s/d/sub/deep", root);
	tu_mkdir(p);
	free(p);
	p = tu_fmt("%s/dx", root);
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

TestSuite(query, .init = setup, .fini = teardown);

/* root + "/" + rel, freed by the caller. */
static char *at(const char *rel)
{
	return tu_fmt("%s/%s", root, rel);
}

static void grant_dir(nono_caps *caps, const char *rel, nono_access mode)
{
	char *p = at(rel);
	int rc = nono_caps_allow_path(caps, p, mode);

	cr_assert_eq(rc, 0, "allow_path %s: %d", p, rc);
	free(p);
}

static void grant_file(nono_caps *caps, const char *rel, nono_access mode)
{
	char *p = at(rel);
	int rc = nono_caps_allow_file(caps, p, mode);

	cr_assert_eq(rc, 0, "allow_file %s: %d", p, rc);
	free(p);
}

static nono_query_result ask(const nono_query *q, const char *rel,
			     nono_access mode)
{
	nono_query_result r;
	char *p = at(rel);
	int rc = nono_query_path(q, p, mode, &r);

	cr_assert_eq(rc, 0, "query_path %s: %d", p, rc);
	free(p);
	return r;
}

/* Asserts an allowed answer naming grant `rel` with access `access`. */
static void expect_allowed(nono_query_result r, const char *rel,
			   nono_access access, const char *what)
{
	char *want = at(rel);

	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED,
		     "%s: should be allowed", what);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_GRANTED_PATH,
		     "%s: reason should be granted_path", what);
	cr_assert_not_null(r.granted_path, "%s: granted_path set", what);
	cr_assert_str_eq(r.granted_path, want, "%s: granted_path", what);
	cr_assert_eq(r.granted, access, "%s: granted access %d, want %d", what,
		     r.granted, access);
	free(want);
}

static char *json_of(nono_query_result r)
{
	char *j = nono_query_result_json(&r);

	cr_assert_not_null(j, "nono_query_result_json");
	return j;
}

Test(query, status_and_reason_names)
{
	cr_assert_str_eq(nono_query_status_str(NONO_QUERY_STATUS_ALLOWED),
			 "allowed", "ALLOWED");
	cr_assert_str_eq(nono_query_status_str(NONO_QUERY_STATUS_DENIED),
			 "denied", "DENIED");
	cr_assert_null(nono_query_status_str((nono_query_status)2),
		       "status out of range");
	cr_assert_str_eq(nono_query_reason_str(NONO_QUERY_REASON_GRANTED_PATH),
			 "granted_path", "GRANTED_PATH");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_PATH_NOT_GRANTED),
		"path_not_granted", "PATH_NOT_GRANTED");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_INSUFFICIENT_ACCESS),
		"insufficient_access", "INSUFFICIENT_ACCESS");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_NETWORK_ALLOWED),
		"network_allowed", "NETWORK_ALLOWED");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_NETWORK_BLOCKED),
		"network_blocked", "NETWORK_BLOCKED");
	cr_assert_str_eq(
		nono_query_reason_str(
			NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS),
		"network_blocked_except_ports", "NETWORK_BLOCKED_EXCEPT_PORTS");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_TCP_PORT_GRANTED),
		"tcp_port_granted", "TCP_PORT_GRANTED");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_DENIED_BY_RULE),
		"denied_by_rule", "DENIED_BY_RULE");
	cr_assert_null(nono_query_reason_str((nono_query_reason)8),
		       "reason out of range");
	cr_assert_null(nono_query_reason_str((nono_query_reason)-1),
		       "negative reason");
}

Test(query, new_and_free_arguments)
{
	nono_caps *caps = NULL;
	nono_query *q = (nono_query *)&q;

	cr_assert_eq(nono_query_new(NULL, &q), NONO_EINVAL, "NULL caps");
	cr_assert_null(q, "out should be cleared on failure");
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_query_new(caps, NULL), NONO_EINVAL, "NULL out");
	cr_assert_eq(nono_query_new(caps, &q), 0, "an empty set is fine");
	nono_query_free(q);
	nono_query_free(NULL);
	nono_caps_free(caps);
}

Test(query, path_arguments)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	cr_assert_eq(nono_query_path(NULL, "/", NONO_ACCESS_READ, &r),
		     NONO_EINVAL, "NULL query");
	cr_assert_eq(nono_query_path(q, NULL, NONO_ACCESS_READ, &r),
		     NONO_EINVAL, "NULL path");
	cr_assert_eq(nono_query_path(q, "", NONO_ACCESS_READ, &r), NONO_EINVAL,
		     "empty path");
	cr_assert_eq(nono_query_path(q, "/", NONO_ACCESS_READ, NULL),
		     NONO_EINVAL, "NULL out");
	cr_assert_eq(nono_query_path(q, "/", (nono_access)0, &r), NONO_EINVAL,
		     "mode 0");
	cr_assert_eq(nono_query_path(q, "/", (nono_access)4, &r), NONO_EINVAL,
		     "mode 4");
	cr_assert_eq(nono_query_network(NULL, &r), NONO_EINVAL,
		     "network: NULL query");
	cr_assert_eq(nono_query_network(q, NULL), NONO_EINVAL,
		     "network: NULL out");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, granted_path_as_nono_py_prints_it)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	nono_query_result r = ask(q, "d/file.txt", NONO_ACCESS_READ);
	expect_allowed(r, "d", NONO_ACCESS_READ, "d/file.txt read");
	cr_assert_eq(r.requested, NONO_ACCESS_READ, "requested is kept");
	char *j = json_of(r);
	char *want = tu_fmt("{\"status\": \"allowed\", \"reason\": "
			    "\"granted_path\", \"granted_path\": \"%s/d\", "
			    "\"access\": \"read\"}",
			    root);
	cr_assert_str_eq(j, want, "JSON of an allowed answer");
	nono_free(j);
	free(want);

	/* The granted directory itself is covered. */
	expect_allowed(ask(q, "d", NONO_ACCESS_READ), "d", NONO_ACCESS_READ,
		       "d itself");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, path_not_granted)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ_WRITE);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	const char *outside[] = { "dx", "dx/a", "f.txt", "", "d/../dx" };
	for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
		nono_query_result r = ask(q, outside[i], NONO_ACCESS_READ);

		cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED, "%s: denied",
			     outside[i]);
		cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
			     "%s: path_not_granted", outside[i]);
		cr_assert_null(r.granted_path, "%s: no granted_path",
			       outside[i]);
		cr_assert_eq(r.granted, 0, "%s: granted is 0", outside[i]);
		char *j = json_of(r);
		cr_assert_str_eq(j,
				 "{\"status\": \"denied\", \"reason\": "
				 "\"path_not_granted\"}",
				 "%s: JSON", outside[i]);
		nono_free(j);
	}
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, insufficient_access)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	nono_query_result r = ask(q, "d/sub", NONO_ACCESS_WRITE);
	cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED,
		     "write on read: denied");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
		     "write on read: insufficient_access");
	cr_assert_eq(r.granted, NONO_ACCESS_READ, "granted read");
	cr_assert_eq(r.requested, NONO_ACCESS_WRITE, "requested write");
	cr_assert_null(r.granted_path, "no granted_path when denied");
	char *j = json_of(r);
	cr_assert_str_eq(j,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"insufficient_access\", \"granted\": \"read\", "
			 "\"requested\": \"write\"}",
			 "JSON of insufficient_access");
	nono_free(j);

	r = ask(q, "d/sub", NONO_ACCESS_READ_WRITE);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
		     "read+write on read: insufficient");
	cr_assert_eq(r.requested, NONO_ACCESS_READ_WRITE,
		     "requested read+write");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, snapshot_ignores_later_changes)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	grant_dir(caps, "dx", NONO_ACCESS_READ);
	grant_dir(caps, "d", NONO_ACCESS_WRITE);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	/* The snapshot owns its strings: the set can go away. */
	nono_caps_free(caps);

	r = ask(q, "dx/a", NONO_ACCESS_READ);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "a grant added later should not show");
	r = ask(q, "d/a", NONO_ACCESS_WRITE);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
		     "access added later should not show");
	cr_assert_eq(nono_query_network(q, &r), 0, "query_network");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED,
		     "blocking later should not show");
	expect_allowed(ask(q, "d/a", NONO_ACCESS_READ), "d", NONO_ACCESS_READ,
		       "the snapshot still answers after the set is freed");
	nono_query_free(q);
}

Test(query, most_specific_grant_answers)
{
	/* Either insertion order gives the same answer (nono answers with
	 * the first grant inserted). */
	for (int order = 0; order < 2; order++) {
		nono_caps *caps = NULL;
		nono_query *q = NULL;

		cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
		if (order == 0) {
			grant_dir(caps, "d", NONO_ACCESS_READ_WRITE);
			grant_dir(caps, "d/sub", NONO_ACCESS_READ);
		} else {
			grant_dir(caps, "d/sub", NONO_ACCESS_READ);
			grant_dir(caps, "d", NONO_ACCESS_READ_WRITE);
		}
		cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

		expect_allowed(ask(q, "d/sub/deep/x", NONO_ACCESS_READ),
			       "d/sub", NONO_ACCESS_READ,
			       "read under d/sub: d/sub answers");
		/* d/sub lacks write; d, less specific, gives it. */
		expect_allowed(ask(q, "d/sub/x", NONO_ACCESS_WRITE), "d",
			       NONO_ACCESS_READ_WRITE,
			       "write under d/sub: d answers");
		/* No single grant gives read+write at d/sub: the most
		 * specific contributing grant is named, with the access
		 * all covering grants give together. */
		expect_allowed(ask(q, "d/sub/x", NONO_ACCESS_READ_WRITE),
			       "d/sub", NONO_ACCESS_READ_WRITE,
			       "read+write under d/sub");
		expect_allowed(ask(q, "d/other", NONO_ACCESS_READ), "d",
			       NONO_ACCESS_READ_WRITE, "outside d/sub");
		nono_query_free(q);
		nono_caps_free(caps);
	}
}

Test(query, access_adds_up_across_grants)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	grant_dir(caps, "d/sub", NONO_ACCESS_WRITE);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	expect_allowed(ask(q, "d/sub/x", NONO_ACCESS_READ_WRITE), "d/sub",
		       NONO_ACCESS_READ_WRITE,
		       "read from d and write from d/sub add up");
	expect_allowed(ask(q, "d/sub/x", NONO_ACCESS_READ), "d",
		       NONO_ACCESS_READ, "read alone comes from d");

	nono_query_result r = ask(q, "d/x", NONO_ACCESS_READ_WRITE);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
		     "outside d/sub only read is granted");
	cr_assert_eq(r.granted, NONO_ACCESS_READ, "granted is d's read");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, duplicate_grants_merge)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	grant_dir(caps, "d/sub/..", NONO_ACCESS_WRITE);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	expect_allowed(ask(q, "d/a", NONO_ACCESS_READ_WRITE), "d",
		       NONO_ACCESS_READ_WRITE,
		       "two grants on one directory add up");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, file_grants_cover_only_the_file)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_file(caps, "f.txt", NONO_ACCESS_WRITE);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	expect_allowed(ask(q, "f.txt", NONO_ACCESS_WRITE), "f.txt",
		       NONO_ACCESS_WRITE, "the file itself");
	r = ask(q, "f.txt/x", NONO_ACCESS_WRITE);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "a file grant does not cover names beneath it");
	r = ask(q, "f.txt2", NONO_ACCESS_WRITE);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "a file grant does not cover a longer name");
	r = ask(q, "f.txt", NONO_ACCESS_READ);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
		     "read on a write-only file");
	cr_assert_eq(r.granted, NONO_ACCESS_WRITE, "granted write");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, file_and_directory_grants_add_up)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, ".", NONO_ACCESS_READ);
	grant_file(caps, "f.txt", NONO_ACCESS_WRITE);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	expect_allowed(ask(q, "f.txt", NONO_ACCESS_READ_WRITE), "f.txt",
		       NONO_ACCESS_READ_WRITE,
		       "the file grant and its directory add up");
	expect_allowed(ask(q, "f.txt", NONO_ACCESS_WRITE), "f.txt",
		       NONO_ACCESS_WRITE, "the file grant alone gives write");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, prefix_is_component_wise)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	r = ask(q, "dx", NONO_ACCESS_READ);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "d must not cover dx");
	r = ask(q, "dx/d", NONO_ACCESS_READ);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "d must not cover dx/d");
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, root_grant_covers_everything)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_allow_path(caps, "/", NONO_ACCESS_READ), 0,
		     "allow_path /");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	const char *paths[] = { "/", "/etc", "/no/such/path", "//x" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		cr_assert_eq(nono_query_path(q, paths[i], NONO_ACCESS_READ, &r),
			     0, "query %s", paths[i]);
		cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED, "%s allowed",
			     paths[i]);
		cr_assert_str_eq(r.granted_path, "/", "%s: granted by /",
				 paths[i]);
	}
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, queried_path_is_canonicalised)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d/sub", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	/* A symlink elsewhere that points into the grant. */
	char *target = at("d/sub");
	char *link = at("link");
	cr_assert_eq(symlink(target, link), 0, "symlink");
	expect_allowed(ask(q, "link/new-file", NONO_ACCESS_READ), "d/sub",
		       NONO_ACCESS_READ, "through a symlink");
	/* "." and ".." in a missing tail fold lexically. */
	expect_allowed(ask(q, "d/./sub/missing/../x", NONO_ACCESS_READ),
		       "d/sub", NONO_ACCESS_READ, "dots folded");
	r = ask(q, "d/sub/missing/../../x", NONO_ACCESS_READ);
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     ".. leaves the grant");
	/* A relative path is taken against the working directory. */
	cr_assert_eq(chdir(target), 0, "chdir");
	cr_assert_eq(nono_query_path(q, "rel", NONO_ACCESS_READ, &r), 0,
		     "relative query");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED,
		     "a relative path inside the grant");
	cr_assert_eq(nono_query_path(q, "..", NONO_ACCESS_READ, &r), 0,
		     "relative query ..");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "the parent of the grant");
	free(target);
	free(link);
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, network)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	cr_assert_eq(nono_query_network(q, &r), 0, "query_network");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED, "allowed by default");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_NETWORK_ALLOWED,
		     "network_allowed");
	cr_assert_null(r.granted_path, "no path");
	char *j = json_of(r);
	cr_assert_str_eq(j,
			 "{\"status\": \"allowed\", \"reason\": "
			 "\"network_allowed\"}",
			 "JSON of network_allowed");
	nono_free(j);
	nono_query_free(q);

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	cr_assert_eq(nono_query_network(q, &r), 0, "query_network");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED, "blocked");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_NETWORK_BLOCKED,
		     "network_blocked");
	j = json_of(r);
	cr_assert_str_eq(j,
			 "{\"status\": \"denied\", \"reason\": "
			 "\"network_blocked\"}",
			 "JSON of network_blocked");
	nono_free(j);
	nono_query_free(q);
	nono_caps_free(caps);
}

Test(query, json_escapes_as_python_does)
{
	static const struct {
		const char *path;
		const char *json;
	} cases[] = {
		{ "/a\"b", "/a\\\"b" },
		{ "/a\\b", "/a\\\\b" },
		{ "/a\nb\tc\rd\be\ff", "/a\\nb\\tc\\rd\\be\\ff" },
		{ "/\x01\x1f\x7f", "/\\u0001\\u001f\\u007f" },
		{ "/caf\xc3\xa9", "/caf\\u00e9" },
		{ "/\xe2\x82\xac", "/\\u20ac" },
		{ "/\xf0\x9f\x98\x80", "/\\ud83d\\ude00" },
		/* Not UTF-8: one U+FFFD per maximal bad sequence. */
		{ "/\xff", "/\\ufffd" },
		{ "/\xe2\x82", "/\\ufffd" },
		{ "/\xe2\x82x", "/\\ufffdx" },
		{ "/\xed\xa0\x80", "/\\ufffd\\ufffd\\ufffd" },
		{ "/~ /", "/~ /" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nono_query_result r = {
			.status = NONO_QUERY_STATUS_ALLOWED,
			.reason = NONO_QUERY_REASON_GRANTED_PATH,
			.granted_path = cases[i].path,
			.granted = NONO_ACCESS_READ_WRITE,
			.requested = NONO_ACCESS_READ,
		};
		char *j = json_of(r);
		char *want = tu_fmt("{\"status\": \"allowed\", \"reason\": "
				    "\"granted_path\", \"granted_path\": "
				    "\"%s\", \"access\": \"read+write\"}",
				    cases[i].json);
		cr_assert_str_eq(j, want, "case %zu", i);
		nono_free(j);
		free(want);
	}
}

Test(query, json_refuses_inconsistent_results)
{
	nono_query_result r = {
		.status = NONO_QUERY_STATUS_ALLOWED,
		.reason = NONO_QUERY_REASON_GRANTED_PATH,
		.granted_path = NULL,
		.granted = NONO_ACCESS_READ,
	};

	cr_assert_null(nono_query_result_json(NULL), "NULL result");
	cr_assert_null(nono_query_result_json(&r), "granted_path missing");
	r.granted_path = "/x";
	r.granted = (nono_access)0;
	cr_assert_null(nono_query_result_json(&r), "granted access missing");
	r.granted = NONO_ACCESS_READ;
	r.status = (nono_query_status)7;
	cr_assert_null(nono_query_result_json(&r), "status out of range");
	r.status = NONO_QUERY_STATUS_DENIED;
	r.reason = NONO_QUERY_REASON_INSUFFICIENT_ACCESS;
	r.requested = (nono_access)0;
	cr_assert_null(nono_query_result_json(&r), "requested missing");
	r.reason = (nono_query_reason)9;
	cr_assert_null(nono_query_result_json(&r), "reason out of range");
}

/* What a linear scan over every grant says, for comparison. */
static void brute_force(const nono_caps *caps, const char *canon,
			nono_access mode, nono_query_result *out)
{
	unsigned all = 0, last_access = 0, part_access = 0;
	const char *last = NULL, *part = NULL;
	size_t last_len = 0, part_len = 0;

	for (size_t i = 0; i < nono_caps_fs_count(caps); i++) {
		nono_fs_cap c;

		cr_assert_eq(nono_caps_fs_at(caps, i, &c), 0, "fs_get");
		bool covers =
			c.is_file ? strcmp(c.resolved, canon) == 0
				  : nono__path_is_beneath(canon, c.resolved);
		if (!covers)
			continue;
		all |= c.access;
		size_t len = strlen(c.resolved);
		if (!last || len > last_len) {
			last = c.resolved;
			last_len = len;
			last_access = 0;
		}
		if (len == last_len)
			last_access |= c.access;
	}
	/* Second pass: the access at each level is the union there. */
	for (size_t i = 0; i < nono_caps_fs_count(caps); i++) {
		nono_fs_cap c;
		unsigned here = 0;

		nono_caps_fs_at(caps, i, &c);
		for (size_t k = 0; k < nono_caps_fs_count(caps); k++) {
			nono_fs_cap o;

			nono_caps_fs_at(caps, k, &o);
			bool covers = o.is_file ? strcmp(o.resolved, canon) == 0
						: nono__path_is_beneath(
							  canon, o.resolved);
			if (covers && strcmp(o.resolved, c.resolved) == 0)
				here |= o.access;
		}
		size_t len = strlen(c.resolved);
		if ((here & mode) && (!part || len > part_len)) {
			part = c.resolved;
			part_len = len;
			part_access = here;
		}
	}
	*out = (nono_query_result){ .status = NONO_QUERY_STATUS_DENIED,
				    .requested = mode };
	if (!last) {
		out->reason = NONO_QUERY_REASON_PATH_NOT_GRANTED;
	} else if ((all & mode) != mode) {
		out->reason = NONO_QUERY_REASON_INSUFFICIENT_ACCESS;
		out->granted = (nono_access)all;
	} else if ((last_access & mode) == (unsigned)mode) {
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_GRANTED_PATH;
		out->granted_path = last;
		out->granted = (nono_access)last_access;
	} else {
		out->status = NONO_QUERY_STATUS_ALLOWED;
		out->reason = NONO_QUERY_REASON_GRANTED_PATH;
		out->granted_path = part;
		out->granted = (part_access & mode) == (unsigned)mode
				       ? (nono_access)part_access
				       : (nono_access)all;
	}
}

/*
 * The other two entry points give the same answer for canonical path `p`:
 * the one for canonical paths, and the explanation, whose grants cover
 * the path, the first at granted_path, and together give what was asked
 * (allowed) or what was granted (insufficient access).
 */
static void compare_entry_points(const nono_query *q, const char *p,
				 nono_access m, const nono_query_result *got)
{
	nono_query_explanation *x = NULL;
	nono_query_result canon;
	unsigned together = 0;

	cr_assert_eq(nono_query_path_canonical(q, p, m, &canon), 0,
		     "canonical %s", p);
	cr_assert_eq(memcmp(&canon, got, sizeof(canon)), 0,
		     "%s mode %d: the canonical entry point agrees", p, m);
	cr_assert_eq(nono_query_path_explain(q, p, m, &x), 0, "explain %s", p);
	cr_assert_eq(memcmp(&x->result, got, sizeof(*got)), 0,
		     "%s mode %d: the explanation agrees", p, m);
	cr_assert_str_eq(x->canonical_path, p, "%s: judged as itself", p);
	cr_assert_null(x->deny, "%s: no deny rule", p);
	for (size_t i = 0; i < x->grant_count; i++) {
		const nono_query_rule *g = &x->grants[i];

		cr_assert(g->is_file ? strcmp(g->resolved, p) == 0
				     : nono__path_is_beneath(p, g->resolved),
			  "%s: grant %s covers it", p, g->resolved);
		cr_assert_null(g->origin_file, "%s: no origin was set", p);
		together |= (unsigned)g->access;
	}
	if (got->reason == NONO_QUERY_REASON_GRANTED_PATH) {
		cr_assert_gt(x->grant_count, 0, "%s: grants named", p);
		cr_assert_str_eq(x->grants[0].resolved, got->granted_path,
				 "%s: the first is granted_path", p);
		cr_assert_eq(together & m, (unsigned)m,
			     "%s mode %d: together they give it", p, m);
	} else if (got->reason == NONO_QUERY_REASON_INSUFFICIENT_ACCESS) {
		cr_assert_eq(together, (unsigned)got->granted,
			     "%s mode %d: every covering grant", p, m);
	} else {
		cr_assert_eq(x->grant_count, 0, "%s: no grant", p);
	}
	nono_query_explanation_free(x);
}

/* Compares one query with the linear scan. */
static void compare(const nono_query *q, const nono_caps *caps, const char *p,
		    nono_access m)
{
	nono_query_result got, want;

	cr_assert_eq(nono_query_path(q, p, m, &got), 0, "query %s", p);
	brute_force(caps, p, m, &want);
	cr_assert_eq(got.status, want.status, "%s mode %d: status", p, m);
	cr_assert_eq(got.reason, want.reason, "%s mode %d: reason", p, m);
	cr_assert_eq(got.granted, want.granted, "%s mode %d: granted", p, m);
	if (want.granted_path)
		cr_assert_str_eq(got.granted_path, want.granted_path,
				 "%s mode %d: granted_path", p, m);
	else
		cr_assert_null(got.granted_path, "%s mode %d: no path", p, m);
	compare_entry_points(q, p, m, &got);
}

Test(query, index_agrees_with_a_linear_scan)
{
	/* Every directory of a tree three levels deep with the names a, ab
	 * and b (so that "a" is a string prefix of "ab" but does not cover
	 * it), granted pseudo-randomly, then every directory and a missing
	 * name below each queried for every mode. */
	static const char *const names[] = { "a", "ab", "b" };
	char *dirs[3 + 9 + 27];
	size_t ndirs = 0, checked = 0;
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	unsigned seed = 12345;

	for (size_t i = 0; i < 3; i++) {
		dirs[ndirs++] = tu_fmt("%s", names[i]);
		for (size_t j = 0; j < 3; j++) {
			dirs[ndirs++] = tu_fmt("%s/%s", names[i], names[j]);
			for (size_t k = 0; k < 3; k++)
				dirs[ndirs++] = tu_fmt("%s/%s/%s", names[i],
						       names[j], names[k]);
		}
	}
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	for (size_t i = 0; i < ndirs; i++) {
		char *p = at(dirs[i]);
		unsigned pick;

		tu_mkdir(p);
		seed = seed * 1103515245u + 12345u;
		pick = (seed >> 16) % 5;
		/* 1..3 are the modes; 0 and 4 leave the directory out. */
		if (pick >= 1 && pick <= 3)
			cr_assert_eq(nono_caps_allow_path(caps, p,
							  (nono_access)pick),
				     0, "allow_path %s", p);
		free(p);
	}
	cr_assert_gt(nono_caps_fs_count(caps), 10, "enough grants");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	for (size_t i = 0; i < ndirs; i++) {
		char *p = at(dirs[i]);
		char *below = tu_fmt("%s/zz", p);

		for (int m = 1; m <= 3; m++) {
			compare(q, caps, p, (nono_access)m);
			compare(q, caps, below, (nono_access)m);
			checked += 2;
		}
		free(p);
		free(below);
		free(dirs[i]);
	}
	cr_assert_eq(checked, 39 * 2 * 3, "every case was compared");
	nono_query_free(q);
	nono_caps_free(caps);
}

/* TCP port exceptions: the network query says they exist, the TCP query
 * answers for one port, and the snapshot does not follow later changes. */
Test(query, tcp_ports)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;
	char *json;

	cr_assert_eq(nono_caps_new(&caps), 0, "caps");
	cr_assert_eq(nono_query_new(caps, &q), 0, "query, network open");
	cr_assert_eq(nono_query_tcp(q, NONO_TCP_CONNECT, 443, &r), 0, "tcp");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED,
		     "open network: allowed");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_NETWORK_ALLOWED,
		     "network_allowed");
	json = nono_query_result_json(&r);
	cr_assert_str_eq(json,
			 "{\"status\": \"allowed\", \"reason\": "
			 "\"network_allowed\", \"op\": \"connect\", "
			 "\"port\": 443}",
			 "json: %s", json);
	nono_free(json);
	nono_query_free(q);

	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "connect 443");
	cr_assert_eq(nono_caps_allow_tcp_bind(caps, 8080), 0, "bind 8080");
	cr_assert_eq(nono_query_new(caps, &q), 0, "query, blocked");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 444), 0,
		     "added after the snapshot");

	cr_assert_eq(nono_query_network(q, &r), 0, "network");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED, "blocked: denied");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS,
		     "blocked with exceptions");

	cr_assert_eq(nono_query_tcp(q, NONO_TCP_CONNECT, 443, &r), 0, "443");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED,
		     "connect 443 allowed");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_TCP_PORT_GRANTED,
		     "by the exception");
	json = nono_query_result_json(&r);
	cr_assert_str_eq(json,
			 "{\"status\": \"allowed\", \"reason\": "
			 "\"tcp_port_granted\", \"op\": \"connect\", "
			 "\"port\": 443}",
			 "json: %s", json);
	nono_free(json);

	cr_assert_eq(nono_query_tcp(q, NONO_TCP_CONNECT, 444, &r), 0, "444");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED,
		     "444 is not in the snapshot");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_NETWORK_BLOCKED,
		     "network_blocked");
	cr_assert_eq(nono_query_tcp(q, NONO_TCP_BIND, 443, &r), 0, "bind 443");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_DENIED,
		     "a connect exception does not allow bind");
	cr_assert_eq(nono_query_tcp(q, NONO_TCP_BIND, 8080, &r), 0, "bind");
	cr_assert_eq(r.status, NONO_QUERY_STATUS_ALLOWED, "bind 8080 allowed");

	cr_assert_eq(nono_query_tcp(q, NONO_TCP_BIND, 0, &r), NONO_ERANGE,
		     "port 0");
	cr_assert_eq(nono_query_tcp(q, NONO_TCP_BIND, 65536, &r), NONO_ERANGE,
		     "port 65536");
	cr_assert_eq(nono_query_tcp(q, (nono_tcp_op)3, 80, &r), NONO_EINVAL,
		     "bad op");
	cr_assert_eq(nono_query_tcp(NULL, NONO_TCP_BIND, 80, &r), NONO_EINVAL,
		     "NULL query");
	nono_query_free(q);
	nono_caps_free(caps);
}

/* The entry point for canonical paths refuses, from the spelling alone,
 * a path that is not spelled canonically. */
Test(query, canonical_entry_point_refuses_other_spellings)
{
	static const char *const bad[] = {
		"",	 "d",  "./d", "/a/./b", "/a/../b", "/a//b",
		"/a/b/", "//", "/..", "/.",	"a/b",
	};
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_result r;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(nono_query_path_canonical(q, bad[i],
						       NONO_ACCESS_READ, &r),
			     NONO_EINVAL, "'%s' is refused", bad[i]);
	cr_assert_eq(nono_query_path_canonical(q, NULL, NONO_ACCESS_READ, &r),
		     NONO_EINVAL, "NULL path");
	cr_assert_eq(nono_query_path_canonical(q, "/", (nono_access)0, &r),
		     NONO_EINVAL, "bad mode");
	cr_assert_eq(nono_query_path_canonical(q, "/", NONO_ACCESS_READ, &r), 0,
		     "/ is canonical");
	cr_assert_eq(r.reason, NONO_QUERY_REASON_PATH_NOT_GRANTED,
		     "/ not granted");
	/* A missing tail is taken as written. */
	char *p = at("d/none/x");
	cr_assert_eq(nono_query_path_canonical(q, p, NONO_ACCESS_READ, &r), 0,
		     "a missing tail");
	expect_allowed(r, "d", NONO_ACCESS_READ, "missing tail");
	free(p);
	nono_query_free(q);
	nono_caps_free(caps);
}

/* The lines a grant came from survive deduplication, each with what it
 * gave and how it spelled the path; a deny rule names its own. */
Test(query, explanation_names_the_lines)
{
	nono_caps *caps = NULL;
	nono_query *q = NULL;
	nono_query_explanation *x = NULL;
	char *link = at("link"), *p;

	cr_assert_eq(symlink(root, link), 0, "symlink");
	/* An existing file: a new one would be on the way to the deny. */
	p = at("d/f");
	tu_write_file(p, "x");
	free(p);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_set_origin(caps, "", 1), NONO_EINVAL, "empty");
	cr_assert_eq(nono_caps_set_origin(caps, "p.ini", 0), NONO_EINVAL,
		     "line 0");
	cr_assert_eq(nono_caps_set_origin(NULL, NULL, 0), NONO_EINVAL, "NULL");
	grant_dir(caps, "dx", NONO_ACCESS_READ); /* no origin */
	cr_assert_eq(nono_caps_set_origin(caps, "p.ini", 3), 0, "origin");
	grant_dir(caps, "d", NONO_ACCESS_READ);
	cr_assert_eq(nono_caps_set_origin(caps, "q.ini", 7), 0, "origin");
	p = tu_fmt("%s/d", link);
	cr_assert_eq(nono_caps_allow_path(caps, p, NONO_ACCESS_WRITE), 0,
		     "through the link");
	free(p);
	cr_assert_eq(nono_caps_set_origin(caps, "p.ini", 9), 0, "origin");
	p = at("d/sub/deep");
	cr_assert_eq(nono_caps_deny_path(caps, p), 0, "deny");
	free(p);
	cr_assert_eq(nono_caps_set_origin(caps, NULL, 0), 0, "stop");
	grant_dir(caps, "d/sub", NONO_ACCESS_READ); /* no origin */
	cr_assert_eq(nono_caps_deduplicate(caps), 0, "deduplicate");
	cr_assert_eq(nono_query_new(caps, &q), 0, "nono_query_new");

	/* Write comes from q.ini alone, spelled through the link. */
	p = tu_fmt("%s/d/f", link);
	cr_assert_eq(nono_query_path_explain(q, p, NONO_ACCESS_WRITE, &x), 0,
		     "explain");
	free(p);
	p = at("d/f");
	cr_assert_str_eq(x->canonical_path, p, "judged through the link");
	free(p);
	cr_assert_eq(x->result.status, NONO_QUERY_STATUS_ALLOWED, "allowed");
	cr_assert_eq(x->grant_count, 1, "one line gives write");
	cr_assert_str_eq(x->grants[0].origin_file, "q.ini", "its file");
	cr_assert_eq(x->grants[0].origin_line, 7, "its line");
	cr_assert_eq(x->grants[0].access, NONO_ACCESS_WRITE, "its access");
	cr_assert(strncmp(x->grants[0].original, link, strlen(link)) == 0,
		  "its spelling: %s", x->grants[0].original);
	nono_query_explanation_free(x);

	/* Read and write: both lines, read's first (the entry's own). */
	p = at("d/f");
	cr_assert_eq(nono_query_path_explain(q, p, NONO_ACCESS_READ_WRITE, &x),
		     0, "explain");
	free(p);
	cr_assert_eq(x->grant_count, 2, "two lines");
	cr_assert_eq(x->grants[0].origin_line, 3, "read's line");
	cr_assert_eq(x->grants[1].origin_line, 7, "write's line");
	nono_query_explanation_free(x);

	/* Beneath the deny: the rule and its line. */
	p = at("d/sub/deep/x");
	cr_assert_eq(nono_query_path_explain(q, p, NONO_ACCESS_READ, &x), 0,
		     "explain");
	free(p);
	cr_assert_eq(x->result.reason, NONO_QUERY_REASON_DENIED_BY_RULE,
		     "denied");
	cr_assert_not_null(x->deny, "the deny rule");
	cr_assert_str_eq(x->deny->resolved, x->result.denied_path, "its path");
	cr_assert_str_eq(x->deny->origin_file, "p.ini", "its file");
	cr_assert_eq(x->deny->origin_line, 9, "its line");
	cr_assert_eq(x->grant_count, 0, "no grant");
	nono_query_explanation_free(x);

	/* A grant added without an origin says so... */
	p = at("dx/a");
	cr_assert_eq(nono_query_path_explain(q, p, NONO_ACCESS_READ, &x), 0,
		     "explain");
	free(p);
	cr_assert_eq(x->grant_count, 1, "one grant");
	cr_assert_null(x->grants[0].origin_file, "no origin");
	cr_assert_eq(x->grants[0].origin_line, 0, "no line");
	nono_query_explanation_free(x);

	/* ...and a symlink loop is judged as written, as the query does. */
	free(link);
	link = at("d/loop");
	cr_assert_eq(symlink("loop", link), 0, "symlink loop");
	cr_assert_eq(nono_query_path_explain(q, link, NONO_ACCESS_READ, &x), 0,
		     "explain a loop");
	cr_assert_str_eq(x->canonical_path, link, "the loop as written");
	cr_assert_eq(x->result.reason, NONO_QUERY_REASON_GRANTED_PATH,
		     "under d");
	nono_query_explanation_free(x);

	cr_assert_eq(nono_query_path_explain(q, "", NONO_ACCESS_READ, &x),
		     NONO_EINVAL, "empty path");
	cr_assert_null(x, "nothing returned");
	nono_query_explanation_free(NULL);
	free(link);
	nono_query_free(q);
	nono_caps_free(caps);
}
