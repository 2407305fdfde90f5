// SPDX-License-Identifier: Apache-2.0
/*
 * Deny rules, command lists and exec_writable without applying anything:
 * the capability set API, command resolution on PATH, what queries answer,
 * the state JSON, and the policy loader's keys and notes. What the kernel
 * then does is test_deny_live.c's.
 *
 * The tree each test starts with, under a fresh canonical directory T:
 *   T/home/.ssh/id, T/home/.ssh/id.pub, T/home/docs/a.txt, T/home/top.txt
 *   T/bin1/tool, T/bin2/tool   two different files
 *   T/bin3/tool -> ../bin1/tool
 *   T/bin4/tool/               a directory, not a command
 *   T/out/f                    outside the grants of most tests
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

static char *T;

/* A T-relative path, the tree's until teardown. */
#define at(rel) tu_at(rel)

static void setup(void)
{
	T = tu_tree_make();
	tu_mkdir(at("home"));
	tu_mkdir(at("home/.ssh"));
	tu_mkdir(at("home/docs"));
	tu_mkdir(at("bin1"));
	tu_mkdir(at("bin2"));
	tu_mkdir(at("bin3"));
	tu_mkdir(at("bin4"));
	tu_mkdir(at("bin4/tool"));
	tu_mkdir(at("out"));
	tu_write_file(at("home/.ssh/id"), "key\n");
	tu_write_file(at("home/.ssh/id.pub"), "pub\n");
	tu_write_file(at("home/docs/a.txt"), "a\n");
	tu_write_file(at("home/top.txt"), "top\n");
	tu_write_file(at("out/f"), "f\n");
	tu_write_bytes(at("bin1/tool"), "#!/bin/sh\n", 10, 0755);
	tu_write_bytes(at("bin2/tool"), "#!/bin/sh\n", 10, 0755);
	cr_assert_eq(symlink("../bin1/tool", at("bin3/tool")), 0, "symlink");
}

static void teardown(void)
{
	tu_tree_remove();
}

TestSuite(deny, .init = setup, .fini = teardown);

static nono_caps *caps_new(void)
{
	nono_caps *caps = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	return caps;
}

/* ---- the capability set ---------------------------------------------- */

Test(deny, deny_path_canonicalises_and_keeps_the_spelling)
{
	nono_caps *caps = caps_new();
	nono_deny_cap d;
	const char *spelled = at("home/docs/../.ssh/");

	cr_assert_eq(nono_caps_deny_path(caps, spelled), 0, "deny_path");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/.ssh")), 0,
		     "the same path again");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/top.txt")), 0,
		     "a file");
	cr_assert_eq(nono_caps_deny_count(caps), 2, "kept once: %zu",
		     nono_caps_deny_count(caps));
	cr_assert_eq(nono_caps_deny_at(caps, 0, &d), 0, "get 0");
	cr_assert_str_eq(d.original, spelled, "original spelling");
	cr_assert_str_eq(d.resolved, at("home/.ssh"), "canonical");
	cr_assert_not(d.is_file, "a directory");
	cr_assert_eq(nono_caps_deny_at(caps, 1, &d), 0, "get 1");
	cr_assert(d.is_file, "a file");
	cr_assert_eq(nono_caps_deny_at(caps, 2, &d), NONO_EINVAL, "range");
	nono_caps_free(caps);
}

Test(deny, deny_path_errors)
{
	nono_caps *caps = caps_new();
	nono_deny_cap d;

	cr_assert_eq(nono_caps_deny_path(caps, at("nonexistent")), NONO_ENOENT,
		     "a missing path");
	cr_assert_eq(nono_caps_deny_path(NULL, "/"), NONO_EINVAL, "NULL caps");
	cr_assert_eq(nono_caps_deny_path(caps, NULL), NONO_EINVAL, "NULL");
	cr_assert_eq(nono_caps_deny_path(caps, ""), NONO_EINVAL, "empty");
	cr_assert_eq(nono_caps_deny_count(caps), 0, "nothing added");
	cr_assert_eq(nono_caps_deny_count(NULL), 0, "count(NULL)");
	cr_assert_eq(nono_caps_deny_at(NULL, 0, &d), NONO_EINVAL, "get NULL");
	cr_assert_eq(nono_caps_deny_at(caps, 0, NULL), NONO_EINVAL,
		     "get into NULL");
	nono_caps_free(caps);
}

Test(deny, clone_and_summary_carry_denies_commands_and_exec)
{
	nono_caps *caps = caps_new(), *copy = NULL;
	char *sum;
	char *line = tu_fmt("  %s [denied] (dir)\n", at("home/.ssh"));

	cr_assert_eq(
		nono_caps_allow_path(caps, at("home"), NONO_ACCESS_READ_WRITE),
		0, "grant");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/.ssh")), 0, "deny");
	cr_assert_eq(nono_caps_block_command(caps, at("bin1/tool")), 0,
		     "block");
	cr_assert_eq(nono_caps_allow_command(caps, at("bin2/tool")), 0,
		     "allow");
	cr_assert(nono_caps_exec_writable(caps), "default: true");
	cr_assert_eq(nono_caps_set_exec_writable(caps, false), 0, "set");
	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "clone");
	nono_caps_free(caps);

	cr_assert_eq(nono_caps_deny_count(copy), 1, "deny copied");
	cr_assert_eq(nono_caps_blocked_command_file_count(copy), 1,
		     "blocked file copied");
	cr_assert_str_eq(nono_caps_blocked_command_file_at(copy, 0),
			 at("bin1/tool"), "the file");
	cr_assert_eq(nono_caps_allowed_command_file_count(copy), 1,
		     "allowed file copied");
	cr_assert_not(nono_caps_exec_writable(copy), "exec_writable copied");
	sum = nono_caps_summary(copy);
	cr_assert_not_null(strstr(sum, line), "summary lists the deny: %s",
			   sum);
	cr_assert(nono_caps_exec_writable(NULL), "NULL: the default");
	cr_assert_eq(nono_caps_set_exec_writable(NULL, true), NONO_EINVAL,
		     "set NULL");
	nono_free(sum);
	free(line);
	nono_caps_free(copy);
}

/* ---- command resolution ---------------------------------------------- */

Test(deny, bare_name_resolves_to_every_match_on_path)
{
	nono_caps *caps = caps_new();
	char *path = tu_fmt("%s:relative/bin:%s::%s:%s", at("bin1"), at("bin2"),
			    at("bin3"), at("bin4"));

	setenv("PATH", path, 1);
	cr_assert_eq(nono_caps_block_command(caps, "tool"), 0, "block tool");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 1, "one name");
	cr_assert_str_eq(nono_caps_blocked_command_at(caps, 0), "tool",
			 "kept as given");
	cr_assert_eq(nono_caps_blocked_command_file_count(caps), 2,
		     "two files: bin3's is bin1's, bin4's is a directory, "
		     "empty and relative entries are skipped (got %zu)",
		     nono_caps_blocked_command_file_count(caps));
	cr_assert_str_eq(nono_caps_blocked_command_file_at(caps, 0),
			 at("bin1/tool"), "first match");
	cr_assert_str_eq(nono_caps_blocked_command_file_at(caps, 1),
			 at("bin2/tool"), "second match");
	cr_assert_null(nono_caps_blocked_command_file_at(caps, 2), "range");
	cr_assert_eq(nono_caps_command_blocked(caps, at("bin3/tool")), 1,
		     "the link is the blocked file");
	cr_assert_eq(nono_caps_command_blocked(caps, at("out/f")), 0,
		     "another file is not");
	cr_assert_eq(nono_caps_command_blocked(caps, at("nope")), 0,
		     "a missing file is not");
	cr_assert_eq(nono_caps_command_blocked(NULL, "/x"), NONO_EINVAL,
		     "NULL");
	free(path);
	nono_caps_free(caps);
}

Test(deny, absolute_and_missing_commands)
{
	nono_caps *caps = caps_new();

	setenv("PATH", at("bin2"), 1);
	cr_assert_eq(nono_caps_block_command(caps, at("bin3/tool")), 0,
		     "an absolute path");
	cr_assert_eq(nono_caps_blocked_command_file_count(caps), 1, "one");
	cr_assert_str_eq(nono_caps_blocked_command_file_at(caps, 0),
			 at("bin1/tool"), "canonical, not looked up on PATH");
	cr_assert_eq(nono_caps_block_command(caps, "nono-no-such-command"), 0,
		     "a name found nowhere is kept");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 2, "two names");
	cr_assert_eq(nono_caps_blocked_command_file_count(caps), 1,
		     "and withholds nothing");
	cr_assert_eq(nono_caps_block_command(caps, "bin/tool"), NONO_EINVAL,
		     "a relative path with a slash");
	cr_assert_eq(nono_caps_allow_command(caps, "./tool"), NONO_EINVAL,
		     "likewise for allow");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 2,
		     "a refused name is not kept");
	nono_caps_free(caps);
}

Test(deny, unset_path_uses_the_system_default)
{
	nono_caps *caps = caps_new();

	if (!tu_exists("/bin/sh"))
		cr_skip_test("no /bin/sh");
	unsetenv("PATH");
	cr_assert_eq(nono_caps_block_command(caps, "sh"), 0, "block sh");
	cr_assert_geq(nono_caps_blocked_command_file_count(caps), 1,
		      "found on confstr(_CS_PATH)");
	cr_assert_eq(nono_caps_command_blocked(caps, "/bin/sh"), 1,
		     "/bin/sh is blocked");
	nono_caps_free(caps);
}

Test(deny, allow_wins_by_the_resolved_file)
{
	nono_caps *caps = caps_new();

	setenv("PATH", at("bin1"), 1);
	cr_assert_eq(nono_caps_block_command(caps, "tool"), 0, "block");
	cr_assert_eq(nono_caps_command_blocked(caps, at("bin1/tool")), 1,
		     "blocked");
	cr_assert_eq(nono_caps_allow_command(caps, at("bin3/tool")), 0,
		     "allow another spelling of the same file");
	cr_assert_eq(nono_caps_command_blocked(caps, at("bin1/tool")), 0,
		     "allow wins");
	cr_assert_eq(nono_caps_blocked_command_file_count(caps), 1,
		     "the block list still has it");
	nono_caps_free(caps);
}

/* ---- queries --------------------------------------------------------- */

static nono_query *home_query(void)
{
	nono_caps *caps = caps_new();
	nono_query *q = NULL;

	cr_assert_eq(
		nono_caps_allow_path(caps, at("home"), NONO_ACCESS_READ_WRITE),
		0, "grant home");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/.ssh")), 0, "deny");
	cr_assert_eq(nono_caps_allow_file(caps, at("home/.ssh/id.pub"),
					  NONO_ACCESS_READ),
		     0, "carve-in");
	cr_assert_eq(nono_caps_allow_path(caps, at("bin1"), NONO_ACCESS_READ),
		     0, "grant bin1");
	cr_assert_eq(nono_caps_block_command(caps, at("bin1/tool")), 0,
		     "block");
	cr_assert_eq(nono_caps_deny_path(caps, at("out")), 0, "deny out");
	cr_assert_eq(nono_query_new(caps, &q), 0, "query_new");
	/* The query is a snapshot: later changes do not show. */
	cr_assert_eq(nono_caps_deny_path(caps, at("home/docs")), 0, "late");
	nono_caps_free(caps);
	return q;
}

static void expect_query(const nono_query *q, const char *rel, nono_access mode,
			 nono_query_status status, nono_query_reason reason,
			 const char *path_rel)
{
	nono_query_result r;
	const char *p = at(rel);

	cr_assert_eq(nono_query_path(q, p, mode, &r), 0, "query %s", rel);
	cr_expect_eq(r.status, status, "%s %s: status %s", rel,
		     nono_access_str(mode), nono_query_status_str(r.status));
	cr_expect_eq(r.reason, reason, "%s %s: reason %s, want %s", rel,
		     nono_access_str(mode), nono_query_reason_str(r.reason),
		     nono_query_reason_str(reason));
	if (reason == NONO_QUERY_REASON_DENIED_BY_RULE) {
		cr_assert_not_null(r.denied_path, "%s: denied_path", rel);
		cr_expect_str_eq(r.denied_path, at(path_rel),
				 "%s: the rule that decides", rel);
	} else {
		cr_expect_null(r.denied_path, "%s: no denied_path", rel);
	}
	if (reason == NONO_QUERY_REASON_GRANTED_PATH)
		cr_expect_str_eq(r.granted_path, at(path_rel), "%s: granted by",
				 rel);
}

Test(deny, queries_explain_each_case)
{
	nono_query *q = home_query();
	const nono_query_status A = NONO_QUERY_STATUS_ALLOWED,
				D = NONO_QUERY_STATUS_DENIED;
	const nono_query_reason G = NONO_QUERY_REASON_GRANTED_PATH,
				R = NONO_QUERY_REASON_DENIED_BY_RULE;

	expect_query(q, "home/.ssh/id", NONO_ACCESS_READ, D, R, "home/.ssh");
	expect_query(q, "home/.ssh", NONO_ACCESS_READ, D, R, "home/.ssh");
	expect_query(q, "home/.ssh/new", NONO_ACCESS_WRITE, D, R, "home/.ssh");
	expect_query(q, "home/.ssh/id.pub", NONO_ACCESS_READ, A, G,
		     "home/.ssh/id.pub");
	expect_query(q, "home/.ssh/id.pub", NONO_ACCESS_WRITE, D,
		     NONO_QUERY_REASON_INSUFFICIENT_ACCESS, NULL);
	/* On the way: the home directory itself, and a new entry in it. */
	expect_query(q, "home", NONO_ACCESS_READ, D, R, "home/.ssh");
	expect_query(q, "home", NONO_ACCESS_WRITE, D, R, "home/.ssh");
	expect_query(q, "home/new.txt", NONO_ACCESS_WRITE, D, R, "home/.ssh");
	/* Existing entries there, and everything off the way. */
	expect_query(q, "home/top.txt", NONO_ACCESS_READ_WRITE, A, G, "home");
	expect_query(q, "home/docs/a.txt", NONO_ACCESS_READ_WRITE, A, G,
		     "home");
	expect_query(q, "home/docs/new.txt", NONO_ACCESS_WRITE, A, G, "home");
	/* A blocked command cannot be read; its siblings can. */
	expect_query(q, "bin1/tool", NONO_ACCESS_READ, D, R, "bin1/tool");
	expect_query(q, "bin1", NONO_ACCESS_READ, A, G, "bin1");
	/* A deny outside every grant still names itself. */
	expect_query(q, "out/f", NONO_ACCESS_READ, D, R, "out");
	nono_query_free(q);
}

Test(deny, denied_by_rule_as_json)
{
	nono_query *q = home_query();
	nono_query_result r;
	char *want = tu_fmt("{\"status\": \"denied\", \"reason\": "
			    "\"denied_by_rule\", \"denied_path\": \"%s\"}",
			    at("home/.ssh"));
	char *json;

	cr_assert_eq(
		nono_query_path(q, at("home/.ssh/id"), NONO_ACCESS_READ, &r), 0,
		"query");
	json = nono_query_result_json(&r);
	cr_assert_str_eq(json, want, "the JSON");
	cr_assert_str_eq(
		nono_query_reason_str(NONO_QUERY_REASON_DENIED_BY_RULE),
		"denied_by_rule", "reason name");
	cr_assert_null(nono_query_reason_str((nono_query_reason)8),
		       "past the end");
	r.denied_path = NULL;
	cr_assert_null(nono_query_result_json(&r),
		       "a denied_by_rule without its path is not printed");
	nono_free(json);
	free(want);
	nono_query_free(q);
}

/* ---- state JSON ------------------------------------------------------ */

static nono_caps *state_caps(void)
{
	nono_caps *caps = caps_new();

	cr_assert_eq(
		nono_caps_allow_path(caps, at("home"), NONO_ACCESS_READ_WRITE),
		0, "grant");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/.ssh")), 0, "deny");
	cr_assert_eq(nono_caps_deny_path(caps, at("home/top.txt")), 0,
		     "deny a file");
	cr_assert_eq(nono_caps_allow_command(caps, "git"), 0, "allow git");
	cr_assert_eq(nono_caps_block_command(caps, at("bin1/tool")), 0,
		     "block");
	cr_assert_eq(nono_caps_set_exec_writable(caps, false), 0, "exec");
	return caps;
}

static char *to_json(const nono_caps *caps)
{
	nono_state *st = NULL;
	char *json;

	cr_assert_eq(nono_state_from_caps(caps, &st), 0, "from_caps");
	json = nono_state_to_json(st);
	cr_assert_not_null(json, "to_json");
	nono_state_free(st);
	return json;
}

static nono_caps *from_json(const char *json, int want_rc, const char *msg)
{
	nono_state *st = NULL;
	nono_caps *caps = NULL;
	nono_diag d;
	int rc;

	nono_diag_clear(&d);
	rc = nono_state_from_json(json, strlen(json), &st, &d);
	if (rc == 0) {
		rc = nono_state_to_caps(st, &caps, &d);
		nono_state_free(st);
	}
	cr_assert_eq(rc, want_rc, "%s: got %s (%s), want %s\n%s", msg,
		     nono_strerror(rc), d.message, nono_strerror(want_rc),
		     json);
	return caps;
}

Test(deny, state_round_trips_byte_for_byte)
{
	nono_caps *caps = state_caps(), *back;
	char *json = to_json(caps), *again;
	char *want = tu_fmt("  \"deny\": [\n    {\n      \"original\": "
			    "\"%s\",\n      \"resolved\": \"%s\",\n      "
			    "\"is_file\": false\n    },",
			    at("home/.ssh"), at("home/.ssh"));

	cr_assert_not_null(strstr(json, want), "the deny list:\n%s", json);
	cr_assert_not_null(strstr(json, "  \"commands\": {\n    \"allow\": "
					"[\n      \"git\"\n    ],\n    "
					"\"block\": [\n"),
			   "the command lists:\n%s", json);
	cr_assert_not_null(strstr(json, ",\n  \"exec_writable\": false\n}"),
			   "exec_writable:\n%s", json);
	back = from_json(json, 0, "read back");
	cr_assert_eq(nono_caps_deny_count(back), 2, "two denies");
	cr_assert_eq(nono_caps_blocked_command_file_count(back), 1,
		     "the blocked file resolved again");
	cr_assert_not(nono_caps_exec_writable(back), "exec_writable");
	again = to_json(back);
	cr_assert_str_eq(again, json, "byte for byte");
	nono_free(again);
	nono_free(json);
	free(want);
	nono_caps_free(back);
	nono_caps_free(caps);
}

Test(deny, state_without_them_writes_no_new_keys)
{
	nono_caps *caps = caps_new();
	char *json;

	cr_assert_eq(nono_caps_allow_path(caps, at("home"), NONO_ACCESS_READ),
		     0, "grant");
	json = to_json(caps);
	cr_assert_null(strstr(json, "deny"), "no deny key:\n%s", json);
	cr_assert_null(strstr(json, "commands"), "no commands key");
	cr_assert_null(strstr(json, "exec_writable"), "no exec key");
	nono_free(json);
	nono_caps_free(caps);
}

Test(deny, state_to_caps_checks_the_deny_again)
{
	nono_caps *caps = state_caps();
	char *json = to_json(caps);
	nono_state *st = NULL;
	nono_caps *back = NULL;
	nono_diag d;

	tu_rm_rf(at("home/.ssh"));
	cr_assert_eq(nono_state_from_json(json, strlen(json), &st, &d), 0,
		     "parses");
	cr_assert_eq(nono_state_to_caps(st, &back, &d), NONO_ENOENT,
		     "a deny of a path gone since: %s", d.message);
	cr_assert_not_null(strstr(d.message, "deny[0]"), "named: %s",
			   d.message);
	nono_state_free(st);
	nono_free(json);
	nono_caps_free(caps);
}

Test(deny, bad_state_additions_are_errors)
{
	static const char *const bad[] = {
		"{\"fs\": [], \"net_blocked\": false, \"deny\": 3}",
		"{\"fs\": [], \"net_blocked\": false, \"deny\": [3]}",
		"{\"fs\": [], \"net_blocked\": false, \"deny\": [{\"original\":"
		" \"/\", \"resolved\": \"/\"}]}",
		"{\"fs\": [], \"net_blocked\": false, \"deny\": [], \"deny\": "
		"[]}",
		"{\"fs\": [], \"net_blocked\": false, \"commands\": []}",
		"{\"fs\": [], \"net_blocked\": false, \"commands\": {\"block\":"
		" [1]}}",
		"{\"fs\": [], \"net_blocked\": false, \"commands\": {\"block\":"
		" [\"\"]}}",
		"{\"fs\": [], \"net_blocked\": false, \"commands\": {\"block\":"
		" [], \"block\": []}}",
		"{\"fs\": [], \"net_blocked\": false, \"exec_writable\": "
		"\"no\"}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		from_json(bad[i], NONO_EPARSE, "a bad addition");
	from_json("{\"fs\": [], \"net_blocked\": false, \"commands\": "
		  "{\"block\": [\"bin/x\"]}}",
		  NONO_EINVAL, "a relative command path");
	nono_caps_free(from_json("{\"fs\": [], \"net_blocked\": false, "
				 "\"commands\": {\"block\": [\"x\"]}, "
				 "\"exec_writable\": true}",
				 0, "good additions"));
}

/* ---- the policy loader ----------------------------------------------- */

static nono_policy *load(const char *text, int want_rc, nono_diag *d)
{
	nono_policy *pol = NULL;
	char *body = tu_subst(text, "@T@", T);
	int rc = nono_policy_load_buffer("<test>", body, strlen(body), &pol, d);

	cr_assert_eq(rc, want_rc, "load: %s (%s:%u: %s)\n%s", nono_strerror(rc),
		     d->file, d->line, d->message, body);
	free(body);
	return pol;
}

/* Whether some note of the policy contains `text`. */
static bool has_note(const nono_policy *pol, const char *text)
{
	for (size_t i = 0; i < nono_policy_note_count(pol); i++)
		if (strstr(nono_policy_note(pol, i), text))
			return true;
	return false;
}

Test(deny, policy_keys_load)
{
	nono_diag d;
	nono_policy *pol = load("[filesystem]\n"
				"read_write = @T@/home\n"
				"deny = @T@/home/.ssh\n"
				"deny = -@T@/home/.gnupg\n"
				"exec_writable = false\n"
				"[commands]\n"
				"block = @T@/bin1/tool\n"
				"allow = @T@/bin2/tool\n"
				"block = nono-no-such-command\n",
				0, &d);
	const nono_caps *caps = nono_policy_caps(pol);
	nono_deny_cap dc;

	cr_assert_eq(nono_caps_deny_count(caps), 1, "one deny");
	cr_assert_eq(nono_caps_deny_at(caps, 0, &dc), 0, "get");
	cr_assert_str_eq(dc.resolved, at("home/.ssh"), "resolved");
	cr_assert_not(nono_caps_exec_writable(caps), "exec_writable = false");
	cr_assert_eq(nono_caps_blocked_command_count(caps), 2, "two blocked");
	cr_assert_eq(nono_caps_command_blocked(caps, at("bin1/tool")), 1,
		     "tool blocked");
	cr_assert_eq(nono_caps_allowed_command_count(caps), 1, "one allowed");
	cr_assert(has_note(pol, "deny = -"), "the optional deny is noted");
	cr_assert(has_note(pol, "skipped"), "as skipped");
	cr_assert(has_note(pol, "block = nono-no-such-command: found nowhere "
				"on PATH"),
		  "the command found nowhere is noted");
	cr_assert(has_note(pol, at("bin1/tool")),
		  "what a command resolved to is noted");
	nono_policy_free(pol);
}

Test(deny, policy_notes_deny_outside_grants_and_carve_ins)
{
	nono_diag d;
	nono_policy *pol = load("[filesystem]\n"
				"deny = @T@/out\n"
				"read = @T@/home\n"
				"deny = @T@/home/.ssh\n"
				"read_file = @T@/home/.ssh/id.pub\n"
				"read = @T@/home/docs\n"
				"deny = @T@/home/docs\n",
				0, &d);

	cr_assert(has_note(pol, "<test>:2: deny = "),
		  "the note names the line");
	cr_assert(has_note(pol, "/out: outside every grant, nothing to take "
				"out"),
		  "deny outside every grant");
	cr_assert(has_note(pol, "stands (a more specific grant wins)"),
		  "the carve-in");
	cr_assert(has_note(pol, "a deny wins at its own path"),
		  "the same path");
	nono_policy_free(pol);
}

Test(deny, policy_errors)
{
	nono_diag d;

	load("[filesystem]\ndeny = @T@/nonexistent\n", NONO_ENOENT, &d);
	cr_assert_eq(d.line, 2, "line");
	cr_assert_not_null(strstr(d.message, "deny = "), "%s", d.message);
	load("[filesystem]\ndeny = home/.ssh\n", NONO_EPARSE, &d);
	cr_assert_not_null(strstr(d.message, "relative path"), "%s", d.message);
	load("[filesystem]\nexec_writable = no\n", NONO_EPARSE, &d);
	cr_assert_not_null(strstr(d.message, "expected true or false"), "%s",
			   d.message);
	load("[filesystem]\nexec_writable = false\nexec_writable = false\n",
	     NONO_EPARSE, &d);
	cr_assert_not_null(strstr(d.message, "duplicate key"), "%s", d.message);
	load("[commands]\nblock = ./rm\n", NONO_EPARSE, &d);
	cr_assert_not_null(strstr(d.message, "bare name or an absolute path"),
			   "%s", d.message);
}
