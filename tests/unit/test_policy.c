// SPDX-License-Identifier: Apache-2.0
/*
 * The policy loader: every key on good input (checked through the public
 * caps accessors), a table of bad policies in tests/data/policies/bad with
 * the exact code, file, line and words of each error, the file checks
 * (size, type), JSON states, path expansion, the built-in profile (loaded,
 * and applied in a child to run python3), and the docs' key list.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libnono.h"

#include "expand.h"
#include "keys.h"
#include "profiles.h"
#include "util.h"
#include "helpers/testutil.h"

#define POLICIES NONO_TEST_DATA_DIR "/policies"
#define DOCS_POLICY_MD NONO_TEST_DATA_DIR "/../../docs/policy.md"

/* The variables the policies in tests/data/policies expect (see the README
 * there). Criterion runs each test in its own process, so setting them in
 * the suite's init touches no other test. */
static void setup_env(void)
{
	setenv("NONO_TEST_POLICIES", POLICIES, 1);
	setenv("NONO_TEST_EMPTY", "", 1);
	unsetenv("NONO_TEST_SURELY_UNSET");
}

TestSuite(policy, .init = setup_env);

static char *pol_path(const char *rel)
{
	return tu_fmt("%s/%s", POLICIES, rel);
}

/* The canonical path of something under tests/data/policies. */
static char *real_path(const char *rel)
{
	char *p = pol_path(rel);
	char *r = realpath(p, NULL);

	cr_assert_not_null(r, "realpath(%s) failed: %s", p, strerror(errno));
	free(p);
	return r;
}

static nono_policy *load_ok(const char *rel)
{
	char *path = pol_path(rel);
	nono_policy *pol = NULL;
	nono_diag d;
	int rc = nono_policy_load(path, &pol, &d);

	cr_assert_eq(rc, 0, "%s should load, got %s: %s:%u: %s", rel,
		     nono_strerror(rc), d.file, d.line, d.message);
	cr_assert_not_null(pol, "%s: no policy returned", rel);
	cr_assert_not_null(nono_policy_caps(pol), "%s: no caps", rel);
	free(path);
	return pol;
}

static nono_policy *load_buf_ok(const char *text)
{
	nono_policy *pol = NULL;
	nono_diag d;
	int rc =
		nono_policy_load_buffer("<test>", text, strlen(text), &pol, &d);

	cr_assert_eq(rc, 0, "buffer should load, got %s: %s:%u: %s",
		     nono_strerror(rc), d.file, d.line, d.message);
	return pol;
}

/* Asserts entry i of caps: the resolved path is the canonical form of
 * `rel` (under the policies dir), with the given access and kind. */
static void expect_fs(const nono_caps *caps, size_t i, const char *rel,
		      nono_access access, bool is_file)
{
	char *want = real_path(rel);
	nono_fs_cap cap;

	cr_assert_eq(nono_caps_fs_at(caps, i, &cap), 0,
		     "entry %zu should exist (count %zu)", i,
		     nono_caps_fs_count(caps));
	cr_assert_str_eq(cap.resolved, want, "entry %zu resolved path", i);
	cr_assert_eq(cap.access, access, "entry %zu (%s) access: %s, want %s",
		     i, rel, nono_access_str(cap.access),
		     nono_access_str(access));
	cr_assert_eq(cap.is_file, is_file, "entry %zu (%s) is_file", i, rel);
	free(want);
}

/* ------------------------------------------------------------------ */
/* Good policies                                                        */
/* ------------------------------------------------------------------ */

Test(policy, every_supported_key)
{
	nono_policy *pol = load_ok("good/all-keys.ini");
	const nono_caps *caps = nono_policy_caps(pol);
	char *orig = pol_path("tree/dir-a");
	nono_fs_cap cap;

	cr_assert_eq(nono_caps_fs_count(caps), 6, "six grants, got %zu",
		     nono_caps_fs_count(caps));
	expect_fs(caps, 0, "tree/dir-a", NONO_ACCESS_READ, false);
	expect_fs(caps, 1, "tree/dir-b", NONO_ACCESS_WRITE, false);
	expect_fs(caps, 2, "tree/dir-c", NONO_ACCESS_READ_WRITE, false);
	expect_fs(caps, 3, "tree/file-a", NONO_ACCESS_READ, true);
	expect_fs(caps, 4, "tree/file-b", NONO_ACCESS_WRITE, true);
	expect_fs(caps, 5, "tree/file-c", NONO_ACCESS_READ_WRITE, true);
	/* The original is the expanded spelling: what to_caps re-checks. */
	nono_caps_fs_at(caps, 0, &cap);
	cr_assert_str_eq(cap.original, orig, "original keeps the expansion");
	cr_assert(nono_caps_is_network_blocked(caps), "block = true");
	cr_assert(nono_policy_best_effort(pol), "on_unsupported = warn");
	cr_assert_eq(nono_caps_platform_rule_count(caps), 1, "one rule");
	cr_assert_str_eq(nono_caps_platform_rule_at(caps, 0),
			 "(allow mach-lookup (global-name "
			 "\"com.apple.system.logger\"))",
			 "seatbelt rule kept as written");
	cr_assert_eq(nono_policy_note_count(pol), 0, "no notes");
	free(orig);
	nono_policy_free(pol);
}

Test(policy, tcp_ports_and_scopes)
{
	nono_policy *pol = load_ok("good/ports.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	cr_assert(nono_caps_is_network_blocked(caps), "block = true");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 2,
		     "two distinct connect ports (443 given twice)");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 0), 443,
		     "first connect port");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_CONNECT, 1), 8443,
		     "second connect port");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_BIND), 1,
		     "one bind port");
	cr_assert_eq(nono_caps_tcp_port_at(caps, NONO_TCP_BIND, 0), 8080,
		     "bind port");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_ALLOWED, "signals = allow");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_ABSTRACT_UNIX),
		     NONO_SCOPE_MODE_ISOLATED,
		     "abstract_unix = isolated, written explicitly");
	nono_policy_free(pol);

	/* Without [process], both scopes keep the default. */
	pol = load_ok("good/ports-block-included.ini");
	caps = nono_policy_caps(pol);
	cr_assert(nono_caps_is_network_blocked(caps),
		  "block = true from the included file");
	cr_assert_eq(nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT), 1,
		     "the port exception of the including file");
	cr_assert_eq(nono_caps_scope(caps, NONO_SCOPE_SIGNAL),
		     NONO_SCOPE_MODE_DEFAULT, "signals default");
	nono_policy_free(pol);
}

Test(policy, baseline_keys)
{
	nono_policy *pol = load_ok("good/hardening.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	cr_assert(nono_caps_protect_metadata(caps), "metadata = protect");
	cr_assert_eq(nono_caps_unix(caps), NONO_UNIX_NONE, "unix = none");
	cr_assert_eq(nono_caps_capabilities(caps),
		     (UINT64_C(1) << 0) | (UINT64_C(1) << 10) |
			     (UINT64_C(1) << 18),
		     "chown, net_bind_service and sys_chroot, in any "
		     "spelling");
	nono_policy_free(pol);

	/* Without them: the defaults, which are the safe ones. */
	pol = load_buf_ok("[network]\nblock = true\n");
	caps = nono_policy_caps(pol);
	cr_assert(!nono_caps_protect_metadata(caps), "metadata default");
	cr_assert_eq(nono_caps_unix(caps), NONO_UNIX_DEFAULT, "unix default");
	cr_assert_eq(nono_caps_capabilities(caps), NONO_CAPABILITIES_DEFAULT,
		     "capabilities default");
	nono_policy_free(pol);

	pol = load_buf_ok("[process]\ncapabilities = keep\n"
			  "[network]\nunix = all\n");
	caps = nono_policy_caps(pol);
	cr_assert_eq(nono_caps_capabilities(caps), NONO_CAPABILITIES_ALL,
		     "capabilities = keep");
	cr_assert_eq(nono_caps_unix(caps), NONO_UNIX_ALL, "unix = all");
	nono_policy_free(pol);

	pol = load_buf_ok("[process]\ncapabilities = none\n");
	cr_assert_eq(nono_caps_capabilities(nono_policy_caps(pol)), 0,
		     "capabilities = none");
	nono_policy_free(pol);
}

Test(policy, repeated_keys_add_entries)
{
	nono_policy *pol = load_ok("good/repeated.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	cr_assert_eq(nono_caps_fs_count(caps), 4, "four grants");
	expect_fs(caps, 0, "tree/dir-a", NONO_ACCESS_READ, false);
	expect_fs(caps, 1, "tree/dir-b", NONO_ACCESS_READ, false);
	expect_fs(caps, 2, "tree/file-a", NONO_ACCESS_READ, true);
	expect_fs(caps, 3, "tree/file-b", NONO_ACCESS_READ, true);
	cr_assert_eq(nono_caps_platform_rule_count(caps), 2, "two rules");
	cr_assert_str_eq(nono_caps_platform_rule_at(caps, 1),
			 "(allow signal (target self))", "second rule");
	cr_assert_not(nono_caps_is_network_blocked(caps), "network default");
	cr_assert_not(nono_policy_best_effort(pol), "fail is the default");
	nono_policy_free(pol);
}

Test(policy, inih_syntax_that_is_accepted)
{
	nono_policy *pol = load_ok("good/syntax.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	/* Comments, an inline " ;" comment, "key: value", "key=value" and a
	 * section opened twice. */
	cr_assert_eq(nono_caps_fs_count(caps), 4, "four grants, got %zu",
		     nono_caps_fs_count(caps));
	expect_fs(caps, 0, "tree/dir-a", NONO_ACCESS_READ, false);
	expect_fs(caps, 1, "tree/dir-b", NONO_ACCESS_READ, false);
	expect_fs(caps, 2, "tree/file-a", NONO_ACCESS_READ, true);
	expect_fs(caps, 3, "tree/file-b", NONO_ACCESS_READ, true);
	nono_policy_free(pol);
}

Test(policy, crlf_bom_and_utf8_comments)
{
	nono_policy *pol = load_ok("good/crlf.ini");

	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 1, "crlf");
	expect_fs(nono_policy_caps(pol), 0, "tree/dir-a", NONO_ACCESS_READ,
		  false);
	cr_assert(nono_caps_is_network_blocked(nono_policy_caps(pol)),
		  "crlf: block = true\\r read as true");
	nono_policy_free(pol);

	pol = load_ok("good/bom.ini");
	expect_fs(nono_policy_caps(pol), 0, "tree/dir-a", NONO_ACCESS_READ,
		  false);
	nono_policy_free(pol);

	pol = load_ok("good/utf8.ini");
	cr_assert_not(nono_caps_is_network_blocked(nono_policy_caps(pol)),
		      "utf8: block = false");
	nono_policy_free(pol);
}

Test(policy, empty_policy_grants_nothing)
{
	const char *files[] = { "good/empty.ini", "good/comments-only.ini" };

	for (size_t i = 0; i < 2; i++) {
		nono_policy *pol = load_ok(files[i]);
		const nono_caps *caps = nono_policy_caps(pol);

		cr_assert_eq(nono_caps_fs_count(caps), 0, "%s: no grants",
			     files[i]);
		cr_assert_not(nono_caps_is_network_blocked(caps),
			      "%s: network as in nono's default", files[i]);
		cr_assert_not(nono_policy_best_effort(pol), "%s: fail",
			      files[i]);
		nono_policy_free(pol);
	}
}

Test(policy, block_false_and_on_unsupported_fail)
{
	nono_policy *pol = load_ok("good/block-false.ini");

	cr_assert_not(nono_caps_is_network_blocked(nono_policy_caps(pol)),
		      "block = false leaves the network allowed");
	nono_policy_free(pol);
	pol = load_ok("good/fail.ini");
	cr_assert_not(nono_policy_best_effort(pol), "on_unsupported = fail");
	nono_policy_free(pol);
}

Test(policy, tilde_uses_home)
{
	char *home = pol_path("tree");
	nono_policy *pol;

	setenv("HOME", home, 1);
	pol = load_ok("good/home.ini");
	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 2, "two");
	expect_fs(nono_policy_caps(pol), 0, "tree", NONO_ACCESS_READ, false);
	expect_fs(nono_policy_caps(pol), 1, "tree/file-a", NONO_ACCESS_READ,
		  true);
	nono_policy_free(pol);
	free(home);
}

Test(policy, double_dollar_is_a_literal_dollar)
{
	char *tmp = tu_tmpdir();
	char *dir = tu_fmt("%s/a$b", tmp);
	nono_policy *pol;
	nono_fs_cap cap;

	cr_assert_eq(mkdir(dir, 0755), 0, "mkdir %s", dir);
	setenv("NONO_TEST_TMP", tmp, 1);
	pol = load_ok("good/dollar.ini");
	cr_assert_eq(nono_caps_fs_at(nono_policy_caps(pol), 0, &cap), 0,
		     "one grant");
	cr_assert_str_eq(cap.original, dir, "$$ became one '$'");
	nono_policy_free(pol);
	tu_rm_rf(tmp);
	free(dir);
	free(tmp);
}

Test(policy, optional_paths_are_skipped_with_a_note)
{
	nono_policy *pol = load_ok("good/optional.ini");
	char *file = pol_path("good/optional.ini");
	char *want;
	const char *n0, *n1;

	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 1,
		     "only the existing path is granted");
	expect_fs(nono_policy_caps(pol), 0, "tree/dir-a", NONO_ACCESS_READ,
		  false);
	cr_assert_eq(nono_policy_note_count(pol), 2, "two notes, got %zu",
		     nono_policy_note_count(pol));
	n0 = nono_policy_note(pol, 0);
	n1 = nono_policy_note(pol, 1);
	want = tu_fmt("%s:2: read = -/nonexistent/nono-test-optional: "
		      "skipped, path not found",
		      file);
	cr_assert_str_eq(n0, want, "first note names file, line and path");
	cr_assert(strstr(n1, ":3: read_file = -${NONO_TEST_POLICIES}/tree/"
			     "no-such-file ("),
		  "second note shows spelling and expansion: %s", n1);
	cr_assert_null(nono_policy_note(pol, 2), "out of range note");
	free(want);
	free(file);
	nono_policy_free(pol);
}

Test(policy, longest_line_is_accepted)
{
	nono_policy *pol = load_ok("good/max-line.ini");

	cr_assert_eq(nono_caps_platform_rule_count(nono_policy_caps(pol)), 1,
		     "a 198-byte line is read whole");
	cr_assert_eq(
		strlen(nono_caps_platform_rule_at(nono_policy_caps(pol), 0)),
		strlen("(allow file-read* (literal \"\"))") + 150,
		"the rule is whole, trailing blanks stripped");
	nono_policy_free(pol);
}

Test(policy, include_file)
{
	nono_policy *pol = load_ok("good/include-file.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	/* The include comes first, so its grants do. */
	cr_assert_eq(nono_caps_fs_count(caps), 2, "two grants");
	expect_fs(caps, 0, "tree/file-a", NONO_ACCESS_READ, true);
	expect_fs(caps, 1, "tree/dir-a", NONO_ACCESS_READ, false);
	cr_assert(nono_caps_is_network_blocked(caps), "block from include");
	nono_policy_free(pol);
}

Test(policy, include_diamond_is_not_a_cycle)
{
	nono_policy *pol = load_ok("good/diamond.ini");
	const nono_caps *caps = nono_policy_caps(pol);

	/* included.ini's grant twice, merged into one. */
	cr_assert_eq(nono_caps_fs_count(caps), 3, "three grants, got %zu",
		     nono_caps_fs_count(caps));
	expect_fs(caps, 0, "tree/file-a", NONO_ACCESS_READ, true);
	expect_fs(caps, 1, "tree/dir-a", NONO_ACCESS_READ, false);
	expect_fs(caps, 2, "tree/dir-b", NONO_ACCESS_READ, false);
	cr_assert(nono_caps_is_network_blocked(caps), "block, agreed by all");
	nono_policy_free(pol);
}

Test(policy, include_depth_8_is_allowed)
{
	/* d1 .. d9: d9 sits at depth 8. */
	nono_policy *pol = load_ok("depth/d1.ini");

	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 0, "empty");
	nono_policy_free(pol);
}

Test(policy, skipped_note_names_any_line)
{
	/* The line number of a note, from one digit to six. */
	static const unsigned lines[] = { 2, 9, 10, 99, 100, 1000, 654321 };

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		size_t blank = lines[i] - 2, len = 13 + blank + 28;
		char *text = malloc(len + 1);
		nono_policy *pol = NULL;
		nono_diag d;
		char *want;

		cr_assert_not_null(text, "malloc");
		memcpy(text, "[filesystem]\n", 13);
		memset(text + 13, '\n', blank);
		memcpy(text + 13 + blank, "read = -/nonexistent/nono-x\n", 28);
		cr_assert_eq(nono_policy_load_buffer("t", text, len, &pol, &d),
			     0, "line %u: %s", lines[i], d.message);
		want = tu_fmt("t:%u: read = -/nonexistent/nono-x: skipped, "
			      "path not found",
			      lines[i]);
		cr_assert_eq(nono_policy_note_count(pol), 1, "one note");
		cr_assert_str_eq(nono_policy_note(pol, 0), want, "the note");
		free(want);
		free(text);
		nono_policy_free(pol);
	}
}

Test(policy, optional_include_is_skipped)
{
	nono_policy *pol = load_ok("good/include-optional.ini");

	cr_assert_eq(nono_policy_note_count(pol), 1, "one note");
	cr_assert(strstr(nono_policy_note(pol, 0),
			 ":2: include = -/nonexistent/nono-test.ini: skipped"),
		  "note: %s", nono_policy_note(pol, 0));
	nono_policy_free(pol);
}

Test(policy, same_directory_twice_merges)
{
	nono_policy *pol = load_ok("good/dedup.ini");

	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 1,
		     "read and write on one directory: one grant");
	expect_fs(nono_policy_caps(pol), 0, "tree/dir-a",
		  NONO_ACCESS_READ_WRITE, false);
	nono_policy_free(pol);
}

Test(policy, include_profile_adds_system)
{
	nono_policy *pol = load_ok("good/include-profile.ini");
	const nono_caps *caps = nono_policy_caps(pol);
	size_t n = nono_caps_fs_count(caps);
	nono_fs_cap last;

	cr_assert_gt(n, 4, "system grants several paths");
	cr_assert_eq(nono_caps_path_covered(caps, "/usr/bin"), 1,
		     "/usr/bin covered");
	nono_caps_fs_at(caps, n - 1, &last);
	cr_assert(strstr(last.resolved, "/tree/dir-c"), "own grant is last");
	for (size_t i = 0; i < nono_policy_note_count(pol); i++)
		cr_assert(strstr(nono_policy_note(pol, i), "<builtin:system>:"),
			  "notes come from the profile: %s",
			  nono_policy_note(pol, i));
	nono_policy_free(pol);
}

/* ------------------------------------------------------------------ */
/* The built-in profile                                                 */
/* ------------------------------------------------------------------ */

static bool has_grant(const nono_caps *caps, const char *resolved,
		      nono_access access, bool is_file)
{
	for (size_t i = 0; i < nono_caps_fs_count(caps); i++) {
		nono_fs_cap c;

		nono_caps_fs_at(caps, i, &c);
		if (strcmp(c.resolved, resolved) == 0 && c.is_file == is_file &&
		    (c.access & access) == access)
			return true;
	}
	return false;
}

Test(policy, system_profile_loads_here)
{
	nono_policy *pol = load_buf_ok("[policy]\ninclude = system\n");
	const nono_caps *caps = nono_policy_caps(pol);

	cr_assert(has_grant(caps, "/usr", NONO_ACCESS_READ, false), "/usr");
	cr_assert(has_grant(caps, "/dev/null", NONO_ACCESS_READ_WRITE, true),
		  "/dev/null read+write");
	cr_assert(has_grant(caps, "/dev/zero", NONO_ACCESS_READ, true),
		  "/dev/zero");
	cr_assert(has_grant(caps, "/dev/urandom", NONO_ACCESS_READ, true),
		  "/dev/urandom");
	cr_assert_eq(nono_caps_path_covered(caps, "/etc/ssl/private"), 0,
		     "the profile does not grant TLS private keys");
	cr_assert_eq(nono_caps_path_covered(caps, "/proc/self"), 0,
		     "nor /proc");
	cr_assert_not(nono_caps_is_network_blocked(caps), "network untouched");
	for (size_t i = 0; i < nono_policy_note_count(pol); i++)
		cr_assert(strstr(nono_policy_note(pol, i), "skipped"),
			  "only optional paths make notes: %s",
			  nono_policy_note(pol, i));
	nono_policy_free(pol);
}

Test(policy, every_builtin_profile_loads)
{
	for (size_t i = 0; i < nono__profile_count; i++) {
		char *text = tu_fmt("[policy]\ninclude = %s\n",
				    nono__profiles[i].name);
		nono_policy *pol = load_buf_ok(text);

		cr_assert_gt(nono_caps_fs_count(nono_policy_caps(pol)), 0,
			     "profile %s grants something",
			     nono__profiles[i].name);
		nono_policy_free(pol);
		free(text);
	}
}

Test(policy, builtin_profiles_are_listed)
{
	cr_assert_eq(nono_builtin_profile_count(), nono__profile_count,
		     "the public count is the table's");
	cr_assert_geq(nono_builtin_profile_count(), 10,
		      "ten profiles at least");
	for (size_t i = 0; i < nono_builtin_profile_count(); i++) {
		const char *doc = nono_builtin_profile_description(i);

		cr_assert_str_eq(nono_builtin_profile_name(i),
				 nono__profiles[i].name, "name %zu", i);
		cr_assert(doc && *doc && !strchr(doc, '\n'),
			  "profile %s: a one-line description",
			  nono__profiles[i].name);
	}
	cr_assert_null(nono_builtin_profile_name(nono__profile_count),
		       "out of range");
	cr_assert_null(nono_builtin_profile_description(nono__profile_count),
		       "out of range");
	static const char *const wanted[] = { "system",	    "proc", "pty",
					      "shm",	    "git",  "python",
					      "node",	    "rust", "man",
					      "imagemagick" };
	for (size_t i = 0; i < sizeof(wanted) / sizeof(*wanted); i++)
		cr_assert_not_null(nono__profile_find(wanted[i]), "profile %s",
				   wanted[i]);
}

/* Makes HOME/rel (and its directories) for each of `n` names. */
static void make_home_files(const char *home, const char *const *rel, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = tu_fmt("%s/%s", home, rel[i]);
		char *cmd = tu_fmt("mkdir -p \"$(dirname '%s')\"", p);

		cr_assert_eq(system(cmd), 0, "%s", cmd);
		tu_write_file(p, "x\n");
		free(cmd);
		free(p);
	}
}

/* Whether reading HOME/rel gets `want`, for each of `n` names. */
static void expect_home_reads(const nono_query *q, const char *home,
			      const char *const *rel, size_t n,
			      nono_query_status want)
{
	for (size_t i = 0; i < n; i++) {
		char *p = tu_fmt("%s/%s", home, rel[i]);
		nono_query_result r;

		cr_assert_eq(nono_query_path(q, p, NONO_ACCESS_READ, &r), 0,
			     "query %s", p);
		cr_assert_eq(r.status, want, "%s must %sbe readable", p,
			     want == NONO_QUERY_STATUS_ALLOWED ? "" : "not ");
		free(p);
	}
}

/* Every profile at once, in a home that holds every credential file the
 * tools of the profiles know: none of them may be readable. */
Test(policy, profiles_never_grant_credentials)
{
	static const char *const secrets[] = { ".git-credentials",
					       ".config/git/credentials",
					       ".npmrc",
					       ".cargo/credentials.toml",
					       ".cargo/credentials",
					       ".ssh/id_ed25519",
					       ".config/gh/hosts.yml",
					       ".pypirc",
					       ".netrc",
					       ".docker/config.json",
					       ".local/share/keyrings/x" };
	static const char *const granted[] = {
		".gitconfig",	      ".config/git/config",
		".cargo/config.toml", ".npm/_cacache/x",
		".pyenv/version",     ".rustup/settings.toml",
	};
	size_t nsecrets = sizeof(secrets) / sizeof(*secrets);
	size_t ngranted = sizeof(granted) / sizeof(*granted);
	char *home = tu_tmpdir();
	char *text = tu_fmt("[policy]\ninclude = system\n");
	nono_query *q = NULL;
	nono_policy *pol;

	setenv("HOME", home, 1);
	make_home_files(home, secrets, nsecrets);
	make_home_files(home, granted, ngranted);
	for (size_t i = 0; i < nono__profile_count; i++) {
		char *more = tu_fmt("%sinclude = %s\n", text,
				    nono__profiles[i].name);

		free(text);
		text = more;
	}
	pol = load_buf_ok(text);
	cr_assert_eq(nono_query_new(nono_policy_caps(pol), &q), 0, "query");
	expect_home_reads(q, home, secrets, nsecrets, NONO_QUERY_STATUS_DENIED);
	expect_home_reads(q, home, granted, ngranted,
			  NONO_QUERY_STATUS_ALLOWED);
	nono_query_free(q);
	nono_policy_free(pol);
	free(text);
	tu_rm_rf(home);
	free(home);
}

Test(policy, private_tmp_is_made_private_and_granted)
{
	static const char text[] = "[filesystem]\nprivate_tmp = true\n";
	char *base = tu_tmpdir();
	char *user = tu_fmt("%s/nono-%u/", base, (unsigned)geteuid());
	nono_policy *pol, *again, *other;
	const char *dir;
	struct stat st;

	setenv("TMPDIR", base, 1);
	pol = load_buf_ok(text);
	dir = nono_policy_private_tmp(pol);
	cr_assert_not_null(dir, "a directory");
	cr_assert_eq(strncmp(dir, user, strlen(user)), 0, "%s lies in %s", dir,
		     user);
	cr_assert_eq(stat(dir, &st), 0, "%s exists", dir);
	cr_assert(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700,
		  "%s: mode %o", dir, st.st_mode & 07777);
	cr_assert(has_grant(nono_policy_caps(pol), dir, NONO_ACCESS_READ_WRITE,
			    false),
		  "%s granted read and write", dir);

	again = load_buf_ok(text);
	cr_assert_str_eq(nono_policy_private_tmp(again), dir,
			 "the same policy, the same directory");
	other = load_buf_ok("[filesystem]\nprivate_tmp = true\n"
			    "read = /usr\n");
	cr_assert_str_neq(nono_policy_private_tmp(other), dir,
			  "another policy, another directory");
	nono_policy_free(again);
	nono_policy_free(other);
	nono_policy_free(pol);

	pol = load_buf_ok("[filesystem]\nprivate_tmp = false\n");
	cr_assert_null(nono_policy_private_tmp(pol), "not asked for");
	nono_policy_free(pol);

	/* A directory someone else could enter is refused, not used. */
	user[strlen(user) - 1] = '\0';
	cr_assert_eq(chmod(user, 0755), 0, "chmod %s", user);
	{
		nono_policy *bad = NULL;
		nono_diag d;
		int rc = nono_policy_load_buffer("<test>", text, strlen(text),
						 &bad, &d);

		cr_assert_eq(rc, NONO_EINVAL, "refused: %s", d.message);
		cr_assert_null(bad, "nothing loaded");
		cr_assert_eq(d.line, 2, "the line of private_tmp");
		cr_assert(strstr(d.message, "private_tmp = true: nono-") &&
				  strstr(d.message, "is not private"),
			  "message: %s", d.message);
	}
	tu_rm_rf(base);
	free(user);
	free(base);
}

struct run_args {
	const char *policy;
	const char *code;
	const char *err_file;
};

/* In the child: stderr to a file, load, apply, exec python3. */
static int run_python_sandboxed(void *arg)
{
	const struct run_args *a = arg;
	nono_policy *pol = NULL;
	nono_diag d;
	int fd;

	fd = open(a->err_file, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 2) < 0)
		return 100;
	if (nono_policy_load_buffer("<test>", a->policy, strlen(a->policy),
				    &pol, &d) != 0)
		return 101;
	if (nono_apply(nono_policy_caps(pol), 0, NULL, &d) != 0) {
		fprintf(stderr, "apply: %s\n", d.message);
		return 102;
	}
	execl("/usr/bin/python3", "python3", "-c", a->code, (char *)NULL);
	return 103;
}

static void read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

Test(policy, system_profile_runs_python3)
{
	char *tmp = tu_tmpdir();
	char *err_file = tu_fmt("%s/stderr", tmp);
	char *secret = pol_path("tree/file-a");
	char *deny_code = tu_fmt("open('%s').read()", secret);
	struct run_args a = {
		.policy = "[policy]\ninclude = system\n",
		.code = "import json, locale, ssl, time\n"
			"locale.setlocale(locale.LC_ALL, '')\n"
			"time.localtime()\n"
			"ssl.create_default_context()\n"
			"open('/dev/null', 'w').write('x')\n",
		.err_file = err_file,
	};
	char errbuf[4096];
	int status;

	tu_require_landlock();
	if (access("/usr/bin/python3", X_OK) != 0)
		cr_skip_test("/usr/bin/python3 is not installed");

	tu_write_file(err_file, "");
	status = tu_in_child(run_python_sandboxed, &a);
	read_text(err_file, errbuf, sizeof(errbuf));
	cr_assert_eq(status, 0, "python3 under the system profile: %d: %s",
		     status, errbuf);
	cr_assert_str_empty(errbuf, "python3 wrote nothing to stderr");

	/* The same sandbox must deny what it does not grant, or the check
	 * above proves nothing. */
	a.code = deny_code;
	tu_write_file(err_file, "");
	status = tu_in_child(run_python_sandboxed, &a);
	read_text(err_file, errbuf, sizeof(errbuf));
	cr_assert_eq(status, 1, "reading %s must fail: %d", secret, status);
	cr_assert(strstr(errbuf, "PermissionError"), "denied: %s", errbuf);
	tu_rm_rf(tmp);
	free(deny_code);
	free(secret);
	free(err_file);
	free(tmp);
}

/* ------------------------------------------------------------------ */
/* Bad policies                                                         */
/* ------------------------------------------------------------------ */

/* Arrays, not pointers: Criterion hands the parameters to a fresh
 * process, where a pointer into this one's data would not be valid. */
struct bad_case {
	char file[48]; /* under tests/data/policies */
	int code;
	char where[48]; /* the file the error is in; "": `file` */
	unsigned line;
	char msg[192]; /* a substring of the message */
};

static const struct bad_case bad_cases[] = {
	/* Syntax. */
	{ "bad/syntax-missing-bracket.ini", NONO_EPARSE, "", 1,
	  "section header without a closing ']'" },
	{ "bad/syntax-bare-key.ini", NONO_EPARSE, "", 2,
	  "expected 'key = value'" },
	{ "bad/key-before-section.ini", NONO_EPARSE, "", 2,
	  "key 'read' before any [section]" },
	{ "bad/missing-key-name.ini", NONO_EPARSE, "", 2,
	  "missing key name before '='" },
	{ "bad/empty-section.ini", NONO_EPARSE, "", 1,
	  "empty section name []" },
	{ "bad/text-after-section.ini", NONO_EPARSE, "", 1,
	  "unexpected text after the section header" },
	{ "bad/continuation.ini", NONO_EPARSE, "", 3, "indented line" },
	{ "bad/continuation-tab.ini", NONO_EPARSE, "", 3, "indented line" },
	{ "bad/indented-section.ini", NONO_EPARSE, "", 1, "indented line" },
	{ "bad/long-line.ini", NONO_EPARSE, "", 2,
	  "line longer than 198 bytes" },
	{ "bad/nul-byte.ini", NONO_EPARSE, "", 2, "NUL byte" },
	{ "bad/bad-utf8.ini", NONO_EPARSE, "", 2, "not valid UTF-8" },
	{ "bad/overlong-utf8.ini", NONO_EPARSE, "", 2, "not valid UTF-8" },
	{ "bad/control-char.ini", NONO_EPARSE, "", 2,
	  "control character 0x1b" },
	{ "bad/lone-cr.ini", NONO_EPARSE, "", 2, "control character 0x0d" },
	/* Names. */
	{ "bad/unknown-section.ini", NONO_EPARSE, "", 4,
	  "unknown section [foo]" },
	{ "bad/unknown-section-key.ini", NONO_EPARSE, "", 1,
	  "unknown section [fs]" },
	{ "bad/uppercase-section.ini", NONO_EPARSE, "", 1,
	  "unknown section [Filesystem]" },
	{ "bad/unknown-key.ini", NONO_EPARSE, "", 2,
	  "unknown key 'raed' in [filesystem]" },
	{ "bad/uppercase-key.ini", NONO_EPARSE, "", 2,
	  "unknown key 'Read' in [filesystem]" },
	{ "bad/key-wrong-section.ini", NONO_EPARSE, "", 2,
	  "unknown key 'read' in [network]" },
	/* Values. */
	{ "bad/empty-value.ini", NONO_EPARSE, "", 2,
	  "empty value for 'read' in [filesystem]" },
	{ "bad/bad-boolean.ini", NONO_EPARSE, "", 2,
	  "block = yes: expected true or false" },
	{ "bad/bad-boolean-case.ini", NONO_EPARSE, "", 2,
	  "block = True: expected true or false" },
	{ "bad/bad-version.ini", NONO_EPARSE, "", 2,
	  "version = 2: unsupported version" },
	{ "bad/bad-on-unsupported.ini", NONO_EPARSE, "", 2,
	  "on_unsupported = ignore: expected fail or warn" },
	{ "bad/bad-signals-value.ini", NONO_EPARSE, "", 2,
	  "signals = maybe: expected isolated or allow" },
	{ "bad/bad-command.ini", NONO_EPARSE, "", 2,
	  "allow = bin/git: a command is a bare name or an absolute path" },
	{ "bad/port-out-of-range.ini", NONO_EPARSE, "", 3,
	  "connect_tcp = 70000: port out of range (1..65535)" },
	{ "bad/port-zero.ini", NONO_EPARSE, "", 2,
	  "bind_tcp = 0: port out of range" },
	{ "bad/port-not-number.ini", NONO_EPARSE, "", 2,
	  "connect_tcp = https: expected a port number" },
	{ "bad/seatbelt-root.ini", NONO_EPARSE, "", 2,
	  "seatbelt = (allow file-read* (subpath \"/\")): " },
	{ "bad/seatbelt-unbalanced.ini", NONO_EPARSE, "", 2,
	  "seatbelt = (allow process-fork: " },
	{ "bad/seatbelt-not-sexp.ini", NONO_EPARSE, "", 2,
	  "seatbelt = allow process-fork: " },
	/* Single-valued keys. */
	{ "bad/duplicate-block.ini", NONO_EPARSE, "", 5,
	  "duplicate key 'block' in [network] (first at line 2)" },
	{ "bad/duplicate-version.ini", NONO_EPARSE, "", 5,
	  "duplicate key 'version' in [policy] (first at line 2)" },
	{ "bad/conflict.ini", NONO_EPARSE, "bad/conflict-included.ini", 3,
	  "conflicting values for 'block' in [network]: 'false' here, "
	  "'true' at " },
	/* Paths. */
	{ "bad/relative-path.ini", NONO_EPARSE, "", 2,
	  "read = usr/lib: relative path (paths must be absolute)" },
	{ "bad/missing-path.ini", NONO_ENOENT, "", 2,
	  "read = /nonexistent/nono-test-missing: path not found" },
	{ "bad/file-as-dir.ini", NONO_ENOTDIR, "", 2,
	  "/tree/file-a): expected a directory" },
	{ "bad/dir-as-file.ini", NONO_EISDIR, "", 2,
	  "/tree/dir-a): expected a file" },
	{ "bad/unterminated-var.ini", NONO_EPARSE, "", 2,
	  "read = ${HOME/x: '${' without a closing '}'" },
	{ "bad/unset-var.ini", NONO_EPARSE, "", 2,
	  "${NONO_TEST_SURELY_UNSET} is not set" },
	{ "bad/empty-var.ini", NONO_EPARSE, "", 2,
	  "${NONO_TEST_EMPTY} is empty" },
	{ "bad/bad-var-name.ini", NONO_EPARSE, "", 2,
	  "invalid variable name '${1X}'" },
	{ "bad/bare-dollar.ini", NONO_EPARSE, "", 2, "'$' must start ${NAME}" },
	{ "bad/tilde-user.ini", NONO_EPARSE, "", 2,
	  "'~name' is not supported" },
	{ "bad/hash-comment.ini", NONO_EPARSE, "", 2,
	  "'#' starts a comment only at the start of a line" },
	{ "bad/empty-optional.ini", NONO_EPARSE, "", 2,
	  "read = -: empty path after '-'" },
	/* Deny rules, exec_writable and commands. */
	{ "bad/deny-missing.ini", NONO_ENOENT, "", 2,
	  "deny = /nonexistent/nono-test-missing: path not found" },
	{ "bad/deny-relative.ini", NONO_EPARSE, "", 2,
	  "deny = home/.ssh: relative path (paths must be absolute)" },
	{ "bad/exec-writable-value.ini", NONO_EPARSE, "", 2,
	  "exec_writable = no: expected true or false" },
	{ "bad/command-relative.ini", NONO_EPARSE, "", 2,
	  "block = ./rm: a command is a bare name or an absolute path" },
	/* The baseline's keys (issue 16). */
	{ "bad/capabilities-unknown.ini", NONO_EPARSE, "", 2,
	  "capabilities = chown, sys_admn: unknown capability 'sys_admn'" },
	{ "bad/capabilities-no-comma.ini", NONO_EPARSE, "", 2,
	  "capabilities = chown net_raw: capability names are separated by "
	  "commas" },
	{ "bad/unix-value.ini", NONO_EPARSE, "", 2,
	  "unix = some: expected granted or none or all" },
	{ "bad/metadata-value.ini", NONO_EPARSE, "", 2,
	  "metadata = keep: expected allow or protect" },
	/* Port exceptions without a blocked network. */
	{ "bad/tcp-without-block.ini", NONO_EPARSE, "", 2,
	  "connect_tcp = 443: port exceptions need block = true in [network]" },
	{ "bad/bind-tcp-block-false.ini", NONO_EPARSE, "", 3,
	  "bind_tcp = 8080: port exceptions need block = true in [network]" },
	/* Includes. */
	{ "bad/include-cycle-a.ini", NONO_EPARSE, "bad/include-cycle-b.ini", 3,
	  "include-cycle-a.ini -> " POLICIES "/bad/include-cycle-b.ini -> " },
	{ "bad/include-self.ini", NONO_EPARSE, "", 2, "include cycle: " },
	{ "depth/d0.ini", NONO_EPARSE, "depth/d8.ini", 3,
	  "includes nested deeper than 8: " },
	{ "bad/include-relative.ini", NONO_EPARSE, "", 2,
	  "include = policies/other.ini: relative path" },
	/* Per-process paths (issue 18). */
	{ "bad/proc-self.ini", NONO_EPARSE, "", 2,
	  "read = /proc/self: a per-process path: it would name the process "
	  "that loads the policy, not the program nor its children; use "
	  "include = proc" },
	{ "bad/proc-pid.ini", NONO_EPARSE, "", 2,
	  "read_file = -/proc/1/cmdline: a per-process path" },
	{ "bad/deny-proc-self.ini", NONO_EPARSE, "", 2,
	  "deny = /proc/thread-self: a per-process path" },
	{ "bad/dev-stdout.ini", NONO_EPARSE, "", 2,
	  "read_write_file = /dev/stdout: a per-process path (a symlink into "
	  "/proc/self/fd)" },
	{ "bad/private-tmp-value.ini", NONO_EPARSE, "", 2,
	  "private_tmp = yes: expected true or false" },
	{ "bad/include-unknown-profile.ini", NONO_EPARSE, "", 2,
	  "include = sytem: unknown built-in profile (known: system, proc, "
	  "pty, shm, git, python, node, rust, man, imagemagick)" },
	{ "bad/include-missing.ini", NONO_ENOENT, "", 2,
	  "include = /nonexistent/nono-test.ini: cannot open: No such file "
	  "or directory" },
	{ "bad/include-dir.ini", NONO_EISDIR, "", 2,
	  "/tree): cannot read: is a directory" },
	{ "bad/include-json.ini", NONO_EPARSE, "", 2,
	  "/good/state.json is a JSON state, which cannot be included" },
	{ "bad/include-bad.ini", NONO_EPARSE, "bad/unknown-key.ini", 2,
	  "unknown key 'raed' in [filesystem]" },
	/* JSON states. */
	{ "bad/state-syntax.json", NONO_EPARSE, "", 2, "state JSON: " },
	{ "bad/state-empty.json", NONO_EPARSE, "", 0, "fs" },
	{ "bad/state-missing-path.json", NONO_ENOENT, "", 0,
	  "/nonexistent/nono-test" },
	{ "bad/state-bad-access.json", NONO_EPARSE, "", 0, "execute" },
	{ "bad/state-nul.json", NONO_EPARSE, "", 1, "NUL byte" },
};

ParameterizedTestParameters(policy, bad_policy)
{
	return cr_make_param_array(struct bad_case, (void *)bad_cases,
				   sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(const struct bad_case *c, policy, bad_policy)
{
	char *path = pol_path(c->file);
	char *where = pol_path(c->where[0] ? c->where : c->file);
	nono_policy *pol = (nono_policy *)&pol; /* must be reset to NULL */
	nono_diag d;
	int rc;

	setup_env();
	rc = nono_policy_load(path, &pol, &d);
	cr_assert_eq(rc, c->code, "%s: code %s, want %s (%s:%u: %s)", c->file,
		     nono_strerror(rc), nono_strerror(c->code), d.file, d.line,
		     d.message);
	cr_assert_null(pol, "%s: no policy on error", c->file);
	cr_assert_eq(d.code, c->code, "%s: diag code", c->file);
	cr_assert_str_eq(d.file, where, "%s: error file", c->file);
	cr_assert_eq(d.line, c->line, "%s: line %u, want %u (%s)", c->file,
		     d.line, c->line, d.message);
	cr_assert(strstr(d.message, c->msg), "%s: message '%s' lacks '%s'",
		  c->file, d.message, c->msg);
	cr_assert_null(strchr(d.message, '\n'), "%s: one line", c->file);
	free(path);
	free(where);
}

Test(policy, bad_policy_data_is_all_tested)
{
	/* Every file in bad/ is in the table, so that none rots unseen. */
	char *path = pol_path("bad");
	DIR *dir = opendir(path);
	struct dirent *e;
	size_t files = 0;

	cr_assert_not_null(dir, "open %s", path);
	while ((e = readdir(dir))) {
		bool found = false;

		if (e->d_name[0] == '.')
			continue;
		files++;
		for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]);
		     i++) {
			const struct bad_case *c = &bad_cases[i];
			const char *w = c->where[0] ? c->where : c->file;

			if ((strncmp(c->file, "bad/", 4) == 0 &&
			     strcmp(c->file + 4, e->d_name) == 0) ||
			    (strncmp(w, "bad/", 4) == 0 &&
			     strcmp(w + 4, e->d_name) == 0))
				found = true;
		}
		cr_expect(found, "bad/%s is not in the table", e->d_name);
	}
	closedir(dir);
	cr_assert_gt(files, 30, "the bad/ corpus is there");
	free(path);
}

/* The message the shim prints is "nono: FILE:LINE: MESSAGE"; the diag keeps
 * the parts apart, and the message carries no location of its own. */
Test(policy, diag_parts_make_the_shim_line)
{
	char *path = pol_path("bad/unknown-key.ini");
	char *want =
		tu_fmt("nono: %s:2: unknown key 'raed' in [filesystem]", path);
	nono_policy *pol = NULL;
	nono_diag d;
	char line[3072];

	cr_assert_eq(nono_policy_load(path, &pol, &d), NONO_EPARSE, "error");
	snprintf(line, sizeof(line), "nono: %s:%u: %s", d.file, d.line,
		 d.message);
	cr_assert_str_eq(line, want, "the shim's line");
	free(want);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Files that are not policy text                                       */
/* ------------------------------------------------------------------ */

static void expect_load_error(const char *path, int code, const char *msg)
{
	nono_policy *pol = NULL;
	nono_diag d;
	int rc = nono_policy_load(path, &pol, &d);

	cr_assert_eq(rc, code, "%s: %s, want %s (%s)", path, nono_strerror(rc),
		     nono_strerror(code), d.message);
	cr_assert_null(pol, "%s: no policy", path);
	cr_assert_str_eq(d.file, path, "%s: diag names the file", path);
	cr_assert_eq(d.line, 0, "%s: no line", path);
	cr_assert(strstr(d.message, msg), "%s: '%s' lacks '%s'", path,
		  d.message, msg);
}

Test(policy, missing_file)
{
	expect_load_error("/nonexistent/nono-test.ini", NONO_ENOENT,
			  "cannot open: No such file or directory");
}

Test(policy, directory_as_policy)
{
	char *dir = pol_path("tree");

	expect_load_error(dir, NONO_EISDIR, "cannot read: is a directory");
	free(dir);
}

Test(policy, fifo_as_policy_does_not_block)
{
	char *tmp = tu_tmpdir();
	char *fifo = tu_fmt("%s/fifo", tmp);

	cr_assert_eq(mkfifo(fifo, 0600), 0, "mkfifo");
	/* With no writer, opening it for reading would wait forever; the
	 * loader must refuse it without opening it. */
	expect_load_error(fifo, NONO_EINVAL, "a FIFO, not a regular file");
	tu_rm_rf(tmp);
	free(fifo);
	free(tmp);
}

Test(policy, device_as_policy)
{
	expect_load_error("/dev/null", NONO_EINVAL,
			  "a character device, not a regular file");
}

Test(policy, too_large_file)
{
	char *tmp = tu_tmpdir();
	char *big = tu_fmt("%s/big.ini", tmp);
	char *ok = tu_fmt("%s/ok.ini", tmp);
	FILE *f = fopen(big, "we");
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_not_null(f, "create %s", big);
	/* Comment lines only: 1 MiB + 1 byte. */
	for (size_t i = 0; i < 1024 * 1024 / 64; i++)
		fprintf(f, "#%62s\n", "");
	fputc('\n', f);
	fclose(f);
	expect_load_error(big, NONO_EPARSE,
			  "policy file too large (more than 1048576 bytes)");

	/* Exactly 1 MiB is fine. */
	cr_assert_eq(truncate(big, 1024 * 1024), 0, "truncate");
	cr_assert_eq(rename(big, ok), 0, "rename");
	cr_assert_eq(nono_policy_load(ok, &pol, &d), 0, "1 MiB loads: %s",
		     d.message);
	nono_policy_free(pol);
	tu_rm_rf(tmp);
	free(big);
	free(ok);
	free(tmp);
}

Test(policy, buffer_too_large)
{
	size_t len = 1024 * 1024 + 1;
	char *buf = malloc(len);
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_not_null(buf, "malloc");
	memset(buf, '\n', len);
	cr_assert_eq(nono_policy_load_buffer("big", buf, len, &pol, &d),
		     NONO_EPARSE, "too large");
	cr_assert(strstr(d.message, "policy file too large"), "%s", d.message);
	cr_assert_str_eq(d.file, "big", "named");
	free(buf);
}

Test(policy, too_many_entries)
{
	char *tmp = tu_tmpdir();
	char *part = tu_fmt("%s/part.ini", tmp);
	char *top =
		tu_fmt("[policy]\ninclude = %s\ninclude = %s\n", part, part);
	FILE *f = fopen(part, "we");
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_not_null(f, "create %s", part);
	fprintf(f, "[macos]\n");
	for (int i = 0; i < 60000; i++)
		fprintf(f, "seatbelt=(a)\n");
	fclose(f);
	cr_assert_eq(nono_policy_load_buffer("top", top, strlen(top), &pol, &d),
		     NONO_EPARSE, "120000 entries are too many: %s", d.message);
	cr_assert(strstr(d.message, "too many entries (more than 100000"), "%s",
		  d.message);
	cr_assert_str_eq(d.file, part, "in the included file");
	tu_rm_rf(tmp);
	free(top);
	free(part);
	free(tmp);
}

Test(policy, too_many_files)
{
	size_t n = 200;
	char *text = malloc(n * 20 + 16);
	size_t o = 0;
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_not_null(text, "malloc");
	o += (size_t)sprintf(text, "[policy]\n");
	for (size_t i = 0; i < n; i++)
		o += (size_t)sprintf(text + o, "include = system\n");
	cr_assert_eq(nono_policy_load_buffer("many", text, o, &pol, &d),
		     NONO_EPARSE, "too many files: %s", d.message);
	cr_assert(strstr(d.message, "too many included files"), "%s",
		  d.message);
	/* Line 1 is [policy]; the 129th include is on line 130. */
	cr_assert_eq(d.line, 130, "the include past the limit: %u", d.line);
	free(text);
}

Test(policy, bad_arguments)
{
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_eq(nono_policy_load(NULL, &pol, &d), NONO_EINVAL, "NULL");
	cr_assert_eq(nono_policy_load("", &pol, &d), NONO_EINVAL, "empty");
	cr_assert_eq(nono_policy_load("/x", NULL, &d), NONO_EINVAL, "no out");
	cr_assert_eq(nono_policy_load_buffer("x", NULL, 3, &pol, &d),
		     NONO_EINVAL, "NULL data");
	cr_assert_eq(nono_policy_load_buffer("x", "", 0, NULL, NULL),
		     NONO_EINVAL, "no out, no diag");
	cr_assert_null(nono_policy_caps(NULL), "caps(NULL)");
	cr_assert_not(nono_policy_best_effort(NULL), "best_effort(NULL)");
	cr_assert_eq(nono_policy_note_count(NULL), 0, "note_count(NULL)");
	cr_assert_null(nono_policy_note(NULL, 0), "note(NULL)");
	nono_policy_free(NULL);
}

Test(policy, diag_may_be_null)
{
	nono_policy *pol = NULL;
	char *path = pol_path("bad/unknown-key.ini");

	cr_assert_eq(nono_policy_load(path, &pol, NULL), NONO_EPARSE,
		     "error without a diag");
	cr_assert_eq(nono_policy_load("/nonexistent/x", &pol, NULL),
		     NONO_ENOENT, "missing without a diag");
	free(path);
}

Test(policy, buffer_name_in_messages)
{
	const char text[] = "[network]\nblock = maybe\n";
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_eq(nono_policy_load_buffer("my-policy", text,
					     sizeof(text) - 1, &pol, &d),
		     NONO_EPARSE, "bad boolean");
	cr_assert_str_eq(d.file, "my-policy", "the name");
	cr_assert_eq(d.line, 2, "line");
	cr_assert_eq(
		nono_policy_load_buffer(NULL, text, sizeof(text) - 1, &pol, &d),
		NONO_EPARSE, "bad boolean, no name");
	cr_assert_str_eq(d.file, "<buffer>", "the default name");
}

Test(policy, buffer_need_not_be_terminated)
{
	const char text[] = "[network]\nblock = true\nXXXX";
	nono_policy *pol = NULL;
	nono_diag d;

	cr_assert_eq(
		nono_policy_load_buffer("t", text, strlen(text) - 4, &pol, &d),
		0, "len bounds the text: %s", d.message);
	cr_assert(nono_caps_is_network_blocked(nono_policy_caps(pol)),
		  "blocked");
	nono_policy_free(pol);
}

Test(policy, first_error_wins)
{
	/* A bad value on line 2 and an unknown section on line 4: the
	 * error reported is the first in the file. */
	const char text[] = "[network]\nblock = maybe\n\n[foo]\n";
	nono_policy *pol = NULL;
	nono_diag d;

	nono_policy_load_buffer("t", text, sizeof(text) - 1, &pol, &d);
	cr_assert_eq(d.line, 2, "line %u: %s", d.line, d.message);
}

Test(policy, nothing_from_a_file_with_an_error)
{
	char *tmp = tu_tmpdir();
	char *text =
		tu_fmt("[filesystem]\nread_write = %s\nraed = /usr\n", tmp);
	nono_policy *pol = (nono_policy *)&text;
	nono_diag d;

	cr_assert_eq(nono_policy_load_buffer("t", text, strlen(text), &pol, &d),
		     NONO_EPARSE, "unknown key");
	cr_assert_null(pol, "the good line before the error gives nothing");
	tu_rm_rf(tmp);
	free(text);
	free(tmp);
}

/* A grant of `value` with `key`: 0 when it loads, else the message. */
static int load_grant(const char *key, const char *value, nono_diag *d)
{
	char *text = tu_fmt("[filesystem]\n%s = %s\n", key, value);
	nono_policy *pol = NULL;
	int rc = nono_policy_load_buffer("t", text, strlen(text), &pol, d);

	nono_policy_free(pol);
	free(text);
	return rc;
}

Test(policy, per_process_paths_by_spelling)
{
	/* Where each per-process spelling ends, and what only looks like
	 * one. Optional, so that a spelling that is let through loads
	 * whether or not it exists. */
	static const struct {
		const char *value;
		const char *err; /* NULL: loads */
	} cases[] = {
		{ "-/dev/fd", "(a symlink into /proc/self/fd)" },
		{ "-/dev/fd/0", "(a symlink into /proc/self/fd)" },
		{ "-/dev/stdin", "(a symlink into /proc/self/fd)" },
		{ "-/dev/stdout", "(a symlink into /proc/self/fd)" },
		{ "-/dev/stderr/x", "(a symlink into /proc/self/fd)" },
		{ "-/proc/self", "a per-process path: it would name" },
		{ "-/proc/self/fd", "a per-process path: it would name" },
		{ "-/proc/thread-self", "a per-process path: it would name" },
		{ "-/proc/1", "a per-process path: it would name" },
		{ "-/proc/42/x", "a per-process path: it would name" },
		{ "-/dev/fdx", NULL },
		{ "-/dev/stdinx", NULL },
		{ "-/devx/fd", NULL },
		{ "-/dev", NULL },
		{ "-/proc/selfish", NULL },
		{ "-/proc/thread-selfx", NULL },
		{ "-/proc/1x", NULL },
		{ "-/procx/self", NULL },
		{ "-/proc/", NULL },
	};
	nono_diag d;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int rc = load_grant("read", cases[i].value, &d);

		if (!cases[i].err) {
			cr_assert_eq(rc, 0, "%s: %s", cases[i].value,
				     d.message);
			continue;
		}
		cr_assert_eq(rc, NONO_EPARSE, "%s refused", cases[i].value);
		cr_assert(strstr(d.message, cases[i].err), "%s: %s",
			  cases[i].value, d.message);
	}
}

Test(policy, per_process_paths_by_target)
{
	/* A spelling of its own that resolves into /proc/<pid>. */
	char *tmp = tu_tmpdir();
	char *link = tu_fmt("%s/init", tmp);
	nono_diag d;

	cr_assert_eq(symlink("/proc/1", link), 0, "symlink");
	cr_assert_eq(load_grant("read", link, &d), NONO_EPARSE, "refused");
	cr_assert(strstr(d.message, "a per-process path: it would name"), "%s",
		  d.message);
	tu_rm_rf(tmp);
	free(link);
	free(tmp);
}

/* ------------------------------------------------------------------ */
/* JSON states                                                          */
/* ------------------------------------------------------------------ */

Test(policy, json_state)
{
	nono_policy *pol = load_ok("good/state.json");
	const nono_caps *caps = nono_policy_caps(pol);

	cr_assert_eq(nono_caps_fs_count(caps), 2, "two grants");
	cr_assert(has_grant(caps, "/usr", NONO_ACCESS_READ, false), "/usr");
	cr_assert(has_grant(caps, "/dev/null", NONO_ACCESS_READ_WRITE, true),
		  "/dev/null");
	cr_assert(nono_caps_is_network_blocked(caps), "net_blocked");
	cr_assert_not(nono_policy_best_effort(pol), "a state is strict");
	nono_policy_free(pol);

	pol = load_ok("good/state-blank-first.json");
	cr_assert_eq(nono_caps_fs_count(nono_policy_caps(pol)), 0, "empty");
	nono_policy_free(pol);
}

Test(policy, json_state_round_trip)
{
	/* What nono_state_to_json writes loads back as the same set. */
	nono_policy *pol = load_ok("good/all-keys.ini");
	nono_state *st = NULL;
	char *json, *back_sum, *sum;
	nono_policy *back = NULL;
	nono_diag d;

	cr_assert_eq(nono_state_from_caps(nono_policy_caps(pol), &st), 0,
		     "state");
	json = nono_state_to_json(st);
	cr_assert_not_null(json, "json");
	cr_assert_eq(
		nono_policy_load_buffer("state", json, strlen(json), &back, &d),
		0, "state loads as a policy: %s", d.message);
	sum = nono_caps_summary(nono_policy_caps(pol));
	back_sum = nono_caps_summary(nono_policy_caps(back));
	cr_assert_str_eq(back_sum, sum, "same summary");
	nono_free(sum);
	nono_free(back_sum);
	nono_free(json);
	nono_state_free(st);
	nono_policy_free(back);
	nono_policy_free(pol);
}

/* ------------------------------------------------------------------ */
/* The bytes of a line                                                  */
/* ------------------------------------------------------------------ */

struct bytes_case {
	const char *text; /* after "[network]\n", so its first line is 2 */
	size_t len;	  /* of text; 0: strlen */
	const char *err;  /* the whole message; NULL: loads */
};

/* The first problem in a line wins, wherever it stands: at its first or
 * last byte, beside a CR that ends it, in a UTF-8 sequence cut by the
 * line's end. Comment lines, so that what loads grants nothing. */
static const struct bytes_case bytes_cases[] = {
	{ "; a tab\there\t\n", 0, NULL },
	{ "; a CR ends the line\r\n", 0, NULL },
	{ "; and the text\r", 0, NULL },
	{ "; C1 controls are text: \xc2\x85\xc2\x9f\n", 0, NULL },
	{ "; \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\n", 0, NULL },
	{ "; four bytes last \xf0\x9f\x98\x80", 0, NULL },
	{ "\x01; first byte\n", 0, "control character 0x01" },
	{ "; last byte\x1f\n", 0, "control character 0x1f" },
	{ "; last byte of the text\x1b", 0, "control character 0x1b" },
	{ "; DEL\x7f\n", 0, "control character 0x7f" },
	{ "; CR inside\rx\n", 0, "control character 0x0d" },
	{ "; CR before the one ending the line\r\r\n", 0,
	  "control character 0x0d" },
	{ "; after UTF-8 \xc3\xa9\x01\n", 0, "control character 0x01" },
	{ "; control first \x01\xff\n", 0, "control character 0x01" },
	{ "; invalid first \xff\x01\n", 0, "not valid UTF-8" },
	{ "; cut by the line's end \xc3\n", 0, "not valid UTF-8" },
	{ "; cut by the newline \xc3\n\xa9\n", 0, "not valid UTF-8" },
	{ "; cut three \xe2\x82\n", 0, "not valid UTF-8" },
	{ "; cut by the text's end \xf0\x9f\x98", 0, "not valid UTF-8" },
	{ "; a lone continuation \x80\n", 0, "not valid UTF-8" },
	{ "; overlong \xc0\xaf\n", 0, "not valid UTF-8" },
	{ "; surrogate \xed\xa0\x80\n", 0, "not valid UTF-8" },
	{ "; past U+10FFFF \xf4\x90\x80\x80\n", 0, "not valid UTF-8" },
	{ "; NUL wins \x01\xff\0\n", 15, "NUL byte" },
};

static void expect_bytes(const char *text, size_t len, const char *err,
			 const char *what)
{
	char buf[256];
	nono_policy *pol = NULL;
	nono_diag d;
	int rc;

	memcpy(buf, "[network]\n", 10);
	cr_assert_lt(len, sizeof(buf) - 10, "%s: case too long", what);
	memcpy(buf + 10, text, len);
	rc = nono_policy_load_buffer("t", buf, 10 + len, &pol, &d);
	if (!err) {
		cr_assert_eq(rc, 0, "%s: should load: %s", what, d.message);
		nono_policy_free(pol);
		return;
	}
	cr_assert_eq(rc, NONO_EPARSE, "%s: %s", what, nono_strerror(rc));
	cr_assert_eq(d.line, 2, "%s: line %u", what, d.line);
	cr_assert_str_eq(d.message, err, "%s", what);
}

Test(policy, line_bytes_at_the_edges)
{
	for (size_t i = 0; i < ARRAY_SIZE(bytes_cases); i++) {
		const struct bytes_case *c = &bytes_cases[i];
		char *what = tu_fmt("case %zu", i);

		expect_bytes(c->text, c->len ? c->len : strlen(c->text), c->err,
			     what);
		free(what);
	}
}

/* `bytes` at offset `at` of a comment line of 48 bytes, then as the
 * last bytes of a line: only a CR may end a line that it cannot stand in.
 */
static void expect_bytes_at(const char *bytes, size_t at, const char *err)
{
	size_t n = strlen(bytes);
	char *what = tu_fmt("0x%02x... at %zu", (unsigned char)bytes[0], at);
	char line[64];

	memset(line, 'x', sizeof(line));
	line[0] = ';';
	memcpy(line + at, bytes, n);
	line[48] = '\n';
	expect_bytes(line, 49, err, what);
	line[at + n] = '\n';
	expect_bytes(line, at + n + 1, bytes[0] == '\r' ? NULL : err, what);
	free(what);
}

Test(policy, line_bytes_at_every_offset)
{
	/* Each byte value, and a few sequences, at each offset of a longer
	 * line of plain text, so that no stretch of it is taken on trust. */
	static const struct {
		const char *bytes;
		const char *err;
	} seqs[] = {
		{ "\xc3(", "not valid UTF-8" }, { "\xc3\xa9", NULL },
		{ "\xc2\x80", NULL },		{ "\xef\xbf\xbf", NULL },
		{ "\xf4\x8f\xbf\xbf", NULL },
	};

	for (size_t at = 1; at < 40; at++) {
		for (unsigned c = 1; c < 256; c++) {
			char bytes[2] = { (char)c, '\0' };
			char err[32];
			bool bad = c < 0x20 || c == 0x7f;

			if (c == '\n')
				continue;
			if (c >= 0x80)
				snprintf(err, sizeof(err), "not valid UTF-8");
			else
				snprintf(err, sizeof(err),
					 "control character 0x%02x", c);
			expect_bytes_at(bytes, at,
					(bad && c != '\t') || c >= 0x80 ? err
									: NULL);
		}
		for (size_t i = 0; i < ARRAY_SIZE(seqs); i++)
			expect_bytes_at(seqs[i].bytes, at, seqs[i].err);
	}
}

/* ------------------------------------------------------------------ */
/* Line limits                                                          */
/* ------------------------------------------------------------------ */

/* A line of exactly `len` bytes, a seatbelt rule padded with blanks. */
static int load_line_of(size_t len, nono_diag *d)
{
	char text[512];
	nono_policy *pol = NULL;
	int rc;
	int n = snprintf(text, sizeof(text), "[macos]\nseatbelt = (allow x)");

	memset(text + n, ' ', len - (size_t)(n - 8));
	strcpy(text + 8 + len, "\n");
	rc = nono_policy_load_buffer("t", text, strlen(text), &pol, d);
	nono_policy_free(pol);
	return rc;
}

Test(policy, line_length_boundary)
{
	nono_diag d;

	cr_assert_eq(load_line_of(198, &d), 0, "198 bytes: %s", d.message);
	cr_assert_eq(load_line_of(199, &d), NONO_EPARSE, "199 bytes");
	cr_assert_eq(d.line, 2, "line");
	cr_assert(strstr(d.message, "line longer than 198 bytes"), "%s",
		  d.message);
}

/* ------------------------------------------------------------------ */
/* Path expansion                                                       */
/* ------------------------------------------------------------------ */

struct expand_case {
	const char *value;
	const char *want; /* NULL: an error containing `err` */
	bool optional;
	const char *err;
};

Test(policy, expand_paths)
{
	static const struct expand_case cases[] = {
		{ "/usr", "/usr", false, NULL },
		{ "-/usr", "/usr", true, NULL },
		{ "~", "/home/u", false, NULL },
		{ "~/", "/home/u/", false, NULL },
		{ "~/a/b", "/home/u/a/b", false, NULL },
		{ "-~/a", "/home/u/a", true, NULL },
		{ "${NT_A}/x", "/opt/a/x", false, NULL },
		{ "/x${NT_REL}", "/xrel", false, NULL },
		{ "/a/$$/b", "/a/$/b", false, NULL },
		{ "/a~b", "/a~b", false, NULL },
		{ "/a-b", "/a-b", false, NULL },
		{ "", NULL, false, "empty path" },
		{ "-", NULL, false, "empty path after '-'" },
		{ "usr", NULL, false, "relative path" },
		{ "./usr", NULL, false, "relative path" },
		{ "${NT_REL}", NULL, false, "relative path" },
		{ "~bob/x", NULL, false, "'~name' is not supported" },
		{ "${NT_A", NULL, false, "'${' without a closing '}'" },
		{ "/${", NULL, false, "'${' without a closing '}'" },
		{ "${}", NULL, false, "invalid variable name" },
		{ "${A-B}", NULL, false, "invalid variable name" },
		{ "${NT_UNSET}", NULL, false, "${NT_UNSET} is not set" },
		{ "${NT_EMPTY}", NULL, false, "${NT_EMPTY} is empty" },
		{ "$NT_A", NULL, false, "'$' must start ${NAME}" },
		{ "/a$", NULL, false, "'$' must start ${NAME}" },
	};
	struct nono__expanded ex;
	char err[256];

	setenv("HOME", "/home/u", 1);
	setenv("NT_A", "/opt/a", 1);
	setenv("NT_REL", "rel", 1);
	setenv("NT_EMPTY", "", 1);
	unsetenv("NT_UNSET");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct expand_case *c = &cases[i];
		int rc = nono__expand_path(c->value, &ex, err, sizeof(err));

		if (c->want) {
			cr_assert_eq(rc, 0, "'%s': %s", c->value, err);
			cr_assert_str_eq(ex.path, c->want, "'%s'", c->value);
			cr_assert_eq(ex.optional, c->optional, "'%s' optional",
				     c->value);
		} else {
			cr_assert_eq(rc, -1, "'%s' must fail", c->value);
			cr_assert(strstr(err, c->err), "'%s': '%s' lacks '%s'",
				  c->value, err, c->err);
		}
	}
}

Test(policy, expand_home_unset)
{
	struct nono__expanded ex;
	char err[256];

	unsetenv("HOME");
	cr_assert_eq(nono__expand_path("~/x", &ex, err, sizeof(err)), -1,
		     "no HOME");
	cr_assert(strstr(err, "$HOME, which is not set"), "%s", err);
	setenv("HOME", "", 1);
	cr_assert_eq(nono__expand_path("~", &ex, err, sizeof(err)), -1,
		     "empty HOME");
	cr_assert(strstr(err, "$HOME, which is empty"), "%s", err);
}

Test(policy, expand_is_bounded_by_path_max)
{
	char *big = malloc(PATH_MAX + 2);
	struct nono__expanded ex;
	char err[256];

	cr_assert_not_null(big, "malloc");
	big[0] = '/';
	memset(big + 1, 'a', PATH_MAX - 2);
	big[PATH_MAX - 1] = '\0'; /* PATH_MAX - 1 bytes: the longest */
	setenv("NT_BIG", big, 1);
	cr_assert_eq(nono__expand_path("${NT_BIG}", &ex, err, sizeof(err)), 0,
		     "PATH_MAX - 1 bytes fit: %s", err);
	cr_assert_eq(strlen(ex.path), PATH_MAX - 1, "whole");
	cr_assert_eq(nono__expand_path("${NT_BIG}a", &ex, err, sizeof(err)), -1,
		     "one more does not");
	cr_assert(strstr(err, "path longer than 4095 bytes"), "%s", err);
	setenv("HOME", big, 1);
	cr_assert_eq(nono__expand_path("~/x", &ex, err, sizeof(err)), -1,
		     "nor through HOME");
	free(big);
}

/* ------------------------------------------------------------------ */
/* The key table and the docs                                           */
/* ------------------------------------------------------------------ */

Test(policy, key_table_is_consistent)
{
	for (size_t i = 0; i < nono__key_count; i++) {
		const struct nono__key *k = &nono__keys[i];

		for (const char *p = k->name; *p; p++)
			cr_assert((*p >= 'a' && *p <= 'z') || *p == '_',
				  "%s: lower case", k->name);
		cr_assert_eq(nono__key_find(k->section, k->name), k,
			     "[%s] %s: found, and only once", k->section,
			     k->name);
		cr_assert_eq(nono__key_index(k), i, "index");
		cr_assert(k->doc && *k->doc && !strchr(k->doc, '\n') &&
				  !strchr(k->doc, '|'),
			  "%s: one-line doc fit for a table", k->name);
		if (k->status == NONO_KEY_SUPPORTED)
			cr_assert_not_null(k->handler, "%s has a handler",
					   k->name);
		if (k->kind == NONO_KIND_CHOICE)
			cr_assert_not_null(k->choices, "%s: choices", k->name);
		if (k->kind == NONO_KIND_DIR || k->kind == NONO_KIND_FILE)
			cr_assert(k->status != NONO_KEY_SUPPORTED ||
					  k->access != 0,
				  "%s: access", k->name);
	}
	cr_assert_null(nono__key_find("filesystem", "Read"), "case matters");
	cr_assert_null(nono__key_find("Filesystem", "read"), "case matters");
	cr_assert(nono__section_known("macos"), "macos");
	cr_assert_not(nono__section_known("foo"), "foo");
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long size;

	cr_assert_not_null(f, "open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	cr_assert_not_null(buf, "malloc");
	cr_assert_eq(fread(buf, 1, (size_t)size, f), (size_t)size, "read");
	buf[size] = '\0';
	fclose(f);
	return buf;
}

Test(policy, docs_key_list_is_current)
{
	char *doc = slurp(DOCS_POLICY_MD);
	char *md = nono__keys_markdown();
	const char *begin_mark = "<!-- keys:begin -->\n";
	char *begin = strstr(doc, begin_mark);
	char *end = begin ? strstr(begin, "<!-- keys:end -->") : NULL;

	cr_assert_not_null(md, "markdown");
	cr_assert_not_null(end, "docs/policy.md has the keys markers");
	begin += strlen(begin_mark);
	*end = '\0';
	cr_assert_str_eq(begin, md,
			 "docs/policy.md's key list is stale: run "
			 "`ninja -C <build> policy-doc`");
	free(md);
	free(doc);
}

Test(policy, every_key_in_docs_and_in_errors)
{
	/* The unknown-key message names the section from the same table. */
	for (size_t i = 0; i < nono__key_count; i++) {
		const struct nono__key *k = &nono__keys[i];
		char *text = tu_fmt("[%s]\n%s_x = 1\n", k->section, k->name);
		char *want = tu_fmt("unknown key '%s_x' in [%s]", k->name,
				    k->section);
		nono_policy *pol = NULL;
		nono_diag d;

		cr_assert_eq(nono_policy_load_buffer("t", text, strlen(text),
						     &pol, &d),
			     NONO_EPARSE, "%s", text);
		cr_assert_str_eq(d.message, want, "message");
		free(want);
		free(text);
	}
}

/* The cause is in the diag, so that no caller matches message text. */
Test(policy, a_file_that_cannot_be_read_names_the_step_and_errno)
{
	nono_policy *pol = NULL;
	nono_diag d;
	char *dir = tu_tmpdir();
	char *missing = tu_fmt("%s/missing.ini", dir);
	char *includer = tu_fmt("%s/includer.ini", dir);
	char *text = tu_fmt("[policy]\ninclude = %s\n", missing);

	cr_assert_eq(nono_policy_load(missing, &pol, &d), NONO_ENOENT,
		     "a missing file: %s", d.message);
	cr_expect_eq(d.step, NONO_STEP_READ_FILE, "the step: %s",
		     nono_step_str(d.step));
	cr_expect_eq(d.sys_errno, ENOENT, "the errno: %d", d.sys_errno);

	tu_write_file(includer, text);
	cr_assert_neq(nono_policy_load(includer, &pol, &d), 0,
		      "a missing include");
	cr_expect_eq(d.step, NONO_STEP_READ_FILE, "the include's step: %s (%s)",
		     nono_step_str(d.step), d.message);
	cr_expect_eq(d.sys_errno, ENOENT, "the include's errno: %d",
		     d.sys_errno);
	tu_rm_rf(dir);
	free(text);
	free(includer);
	free(missing);
	free(dir);
}

/* The rule a query rests on for `path` and `mode`: grant `i`. */
static nono_query_rule explain_grant(const nono_policy *pol, const char *path,
				     nono_access mode, size_t i, size_t count)
{
	nono_query *q = NULL;
	nono_query_explanation *x = NULL;
	nono_query_rule r;

	cr_assert_eq(nono_query_new(nono_policy_caps(pol), &q), 0, "query");
	cr_assert_eq(nono_query_path_explain(q, path, mode, &x), 0, "explain");
	cr_assert_eq(x->result.status, NONO_QUERY_STATUS_ALLOWED, "%s allowed",
		     path);
	cr_assert_eq(x->grant_count, count, "%s: %zu grant(s), got %zu", path,
		     count, x->grant_count);
	r = x->grants[i];
	/* The strings live in the policy's file names and in q: copied. */
	r.original = NULL;
	r.resolved = NULL;
	r.origin_file = r.origin_file ? tu_fmt("%s", r.origin_file) : NULL;
	nono_query_explanation_free(x);
	nono_query_free(q);
	return r;
}

/* The loader keeps the file and line of every grant: the file's own, an
 * included file's and a built-in profile's, across deduplication. */
Test(policy, grants_keep_their_file_and_line)
{
	char *dir = tu_tmpdir();
	char *inc = tu_fmt("%s/inc.ini", dir);
	char *top = tu_fmt("%s/top.ini", dir);
	char *f = tu_fmt("%s/f", dir);
	nono_policy *pol = NULL;
	nono_query_rule r;
	nono_diag d;

	tu_write_file(f, "x");
	tu_write_file(inc, tu_fmt("[filesystem]\n\nwrite = %s\n", dir));
	tu_write_file(top, tu_fmt("[policy]\ninclude = system\ninclude = %s\n"
				  "[filesystem]\nread = %s\n",
				  inc, dir));
	cr_assert_eq(nono_policy_load(top, &pol, &d), 0, "load: %s", d.message);

	r = explain_grant(pol, f, NONO_ACCESS_READ, 0, 1);
	cr_assert_str_eq(r.origin_file, top, "read: the top file");
	cr_assert_eq(r.origin_line, 5, "read: its line");
	free((char *)r.origin_file);
	/* The include came first: its line is the entry's first. */
	r = explain_grant(pol, f, NONO_ACCESS_READ_WRITE, 0, 2);
	cr_assert_str_eq(r.origin_file, inc, "write: the included file");
	cr_assert_eq(r.origin_line, 3, "write: its line");
	cr_assert_eq(r.access, NONO_ACCESS_WRITE, "write: its access");
	free((char *)r.origin_file);
	r = explain_grant(pol, f, NONO_ACCESS_READ_WRITE, 1, 2);
	cr_assert_str_eq(r.origin_file, top, "then read: the top file");
	cr_assert_eq(r.access, NONO_ACCESS_READ, "read: its access");
	free((char *)r.origin_file);
	r = explain_grant(pol, "/usr/lib", NONO_ACCESS_READ, 0, 1);
	cr_assert_str_eq(r.origin_file, "<builtin:system>", "the profile");
	cr_assert_gt(r.origin_line, 1, "a line of the profile");
	free((char *)r.origin_file);
	nono_policy_free(pol);
	tu_rm_rf(dir);
	free(dir);
	free(inc);
	free(top);
	free(f);
}
