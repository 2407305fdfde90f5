// SPDX-License-Identifier: Apache-2.0
/*
 * The Seatbelt profile generator (core/sbpl.c). It is pure text work, so
 * it is tested here on Linux: each kind of grant, network mode, scope and
 * platform rule is compared with a golden profile in tests/data/sbpl/, and
 * the checks on paths are tried with the inputs that could inject a rule.
 *
 * The capability sets are built directly in struct nono_caps, as the
 * generator sees them: the macOS paths they name (/private/tmp, /Users)
 * need not exist here.
 *
 * NONO_UPDATE_GOLDEN=1 rewrites the golden files from the current output
 * instead of comparing (each such test then reports itself skipped);
 * review the diff before committing it.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps-internal.h"
#include "sbpl.h"

#define GOLDEN_DIR NONO_TEST_DATA_DIR "/sbpl"

/* ---- building sets ---------------------------------------------------- */

static nono_caps *new_caps(void)
{
	nono_caps *caps = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new failed");
	return caps;
}

/* Appends a grant as it is, unchecked: original and resolved need not
 * exist, and may be anything a fuzzer or a corrupted state could give. */
static void add_fs(nono_caps *caps, const char *original, const char *resolved,
		   nono_access access, bool is_file)
{
	struct nono__fs_entry *fs;
	size_t olen = strlen(original);
	/* As the library keeps a grant: both strings in one block, which
	 * freeing the set frees through original; no descriptor. */
	char *block = malloc(olen + strlen(resolved) + 2);

	cr_assert_not_null(block, "malloc failed");
	memcpy(block, original, olen + 1);
	strcpy(block + olen + 1, resolved);
	fs = realloc(caps->fs, (caps->fs_len + 1) * sizeof(*fs));
	cr_assert_not_null(fs, "realloc of the grant array failed");
	caps->fs = fs;
	caps->fs_cap = caps->fs_len + 1;
	caps->fs[caps->fs_len++] = (struct nono__fs_entry){
		.original = block,
		.resolved = block + olen + 1,
		.access = access,
		.is_file = is_file,
		.fd = -1,
	};
}

static void add_rule(nono_caps *caps, const char *rule)
{
	nono_diag diag;

	cr_assert_eq(nono_caps_platform_rule(caps, rule, &diag), 0,
		     "platform rule '%s' refused: %s", rule, diag.message);
}

static void add_port(nono_caps *caps, nono_tcp_op op, unsigned port)
{
	int rc = op == NONO_TCP_CONNECT
			 ? nono_caps_allow_tcp_connect(caps, port)
			 : nono_caps_allow_tcp_bind(caps, port);

	cr_assert_eq(rc, 0, "allowing TCP port %u failed: %d", port, rc);
}

/* ---- golden files ----------------------------------------------------- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rbe");
	char *buf;
	long len;

	if (!f)
		return NULL;
	cr_assert_eq(fseek(f, 0, SEEK_END), 0, "fseek %s", path);
	len = ftell(f);
	cr_assert_geq(len, 0, "ftell %s", path);
	rewind(f);
	buf = malloc((size_t)len + 1);
	cr_assert_not_null(buf, "malloc for %s", path);
	cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len, "fread %s",
		     path);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wbe");

	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert_eq(fputs(text, f) >= 0, true, "fputs %s", path);
	cr_assert_eq(fclose(f), 0, "fclose %s", path);
}

/* Generates the profile of caps (strict mode) and compares it with
 * tests/data/sbpl/<name>.sb. Frees caps. */
static void check_golden(const char *name, nono_caps *caps)
{
	char path[4096];
	char *profile = NULL, *golden;
	nono_diag diag;
	int rc;

	rc = nono__sbpl_generate(caps, 0, &profile, NULL, &diag);
	cr_assert_eq(rc, 0, "%s: generation failed (%d): %s", name, rc,
		     diag.message);
	cr_assert_not_null(profile, "%s: no profile", name);
	nono_caps_free(caps);

	snprintf(path, sizeof(path), "%s/%s.sb", GOLDEN_DIR, name);
	if (getenv("NONO_UPDATE_GOLDEN")) {
		write_file(path, profile);
		free(profile);
		cr_skip_test("%s rewritten (NONO_UPDATE_GOLDEN)", path);
	}
	golden = read_file(path);
	cr_assert_not_null(golden, "%s: cannot read %s", name, path);
	cr_expect_str_eq(profile, golden,
			 "%s: the profile differs from %s; it is:\n%s", name,
			 path, profile);
	free(golden);
	free(profile);
}

/* ---- a small SBPL reader, to check structure -------------------------- */

/*
 * The number of top-level forms on one line of generated SBPL, reading
 * strings with their escapes and ';' comments as SBPL does; -1 when a form
 * or a string is left open, or a ')' closes nothing.
 */
static int forms_on_line(const char *s, size_t len)
{
	int depth = 0, forms = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == ';' && depth == 0)
			break;
		if (s[i] == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\')
					i++;
			}
			if (i >= len)
				return -1;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')') {
			if (--depth < 0)
				return -1;
			if (depth == 0)
				forms++;
		}
	}
	return depth == 0 ? forms : -1;
}

/* Asserts that every line of `profile` is one form or a comment. */
static void assert_one_form_per_line(const char *profile)
{
	const char *line = profile;
	unsigned n = 1;

	while (*line) {
		size_t len = strcspn(line, "\n");

		if (line[0] != ';')
			cr_assert_eq(forms_on_line(line, len), 1,
				     "line %u is not exactly one form: %.*s", n,
				     (int)len, line);
		line += len;
		if (*line == '\n')
			line++;
		n++;
	}
}

/* ---- golden profiles: grants ------------------------------------------ */

Test(sbpl, golden_empty_set)
{
	check_golden("empty", new_caps());
}

Test(sbpl, golden_directory_read)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/usr", "/usr", NONO_ACCESS_READ, false);
	check_golden("dir-read", caps);
}

Test(sbpl, golden_directory_write_only)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/Users/me/out", "/Users/me/out", NONO_ACCESS_WRITE,
	       false);
	check_golden("dir-write", caps);
}

Test(sbpl, golden_directory_through_symlink)
{
	nono_caps *caps = new_caps();

	/* /tmp is a symbolic link to /private/tmp on macOS. */
	add_fs(caps, "/tmp", "/private/tmp", NONO_ACCESS_READ_WRITE, false);
	check_golden("dir-read-write-symlink", caps);
}

Test(sbpl, golden_files)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/etc/hosts", "/private/etc/hosts", NONO_ACCESS_READ,
	       true);
	add_fs(caps, "/Users/me/log.txt", "/Users/me/log.txt",
	       NONO_ACCESS_WRITE, true);
	add_fs(caps, "/dev/null", "/dev/null", NONO_ACCESS_READ_WRITE, true);
	check_golden("files", caps);
}

Test(sbpl, golden_original_spellings)
{
	nono_caps *caps = new_caps();

	/* Relative: not used. */
	add_fs(caps, "work", "/Users/me/work", NONO_ACCESS_READ, false);
	/* Extra slashes and "." folded: used as /tmp/x. */
	add_fs(caps, "//tmp//x/./", "/private/tmp/x", NONO_ACCESS_READ, false);
	/* "..": not used. */
	add_fs(caps, "/var/../tmp/y", "/private/tmp/y", NONO_ACCESS_READ,
	       false);
	/* Folds to the canonical path: one spelling. */
	add_fs(caps, "/usr/", "/usr", NONO_ACCESS_READ, false);
	check_golden("spellings", caps);
}

Test(sbpl, golden_escaping)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/Users/me/a \"quoted\" dir", "/Users/me/a \"quoted\" dir",
	       NONO_ACCESS_READ, false);
	add_fs(caps, "/Users/me/back\\slash", "/Users/me/back\\slash",
	       NONO_ACCESS_READ, false);
	add_fs(caps, "/Users/me/evil\")(allow file-read* (subpath \"/\"))(\"",
	       "/Users/me/evil\")(allow file-read* (subpath \"/\"))(\"",
	       NONO_ACCESS_READ, false);
	add_fs(caps, "/Users/me/semi;colon (paren) #|x|#",
	       "/Users/me/semi;colon (paren) #|x|#", NONO_ACCESS_READ, true);
	add_fs(caps, "/Users/me/caf\xc3\xa9", "/Users/me/caf\xc3\xa9",
	       NONO_ACCESS_READ, false);
	check_golden("escaping", caps);
}

Test(sbpl, golden_shared_ancestors)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/Users/me/a/b", "/Users/me/a/b", NONO_ACCESS_READ, false);
	add_fs(caps, "/Users/me/a/c", "/Users/me/a/c", NONO_ACCESS_READ, false);
	add_fs(caps, "/Users/me/d/e.txt", "/Users/me/d/e.txt", NONO_ACCESS_READ,
	       true);
	add_fs(caps, "/", "/", NONO_ACCESS_READ, false);
	check_golden("ancestors", caps);
}

/* ---- golden profiles: network, scopes, platform rules ----------------- */

Test(sbpl, golden_network_blocked)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	check_golden("net-blocked", caps);
}

Test(sbpl, golden_network_blocked_with_ports)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_CONNECT, 443);
	add_port(caps, NONO_TCP_CONNECT, 80);
	add_port(caps, NONO_TCP_BIND, 8080);
	add_port(caps, NONO_TCP_BIND, 65535);
	check_golden("net-ports", caps);
}

Test(sbpl, golden_signal_scope_allowed)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED),
		     0, "set_scope");
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX,
					 NONO_SCOPE_MODE_ALLOWED),
		     0, "set_scope");
	check_golden("scope-allowed", caps);
}

Test(sbpl, golden_platform_rules)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/Users/me/work", "/Users/me/work", NONO_ACCESS_READ_WRITE,
	       false);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_CONNECT, 443);
	add_rule(caps, "(deny file-read-data (subpath "
		       "\"/Users/me/work/secrets\"))");
	add_rule(caps, "(allow mach-lookup (global-name "
		       "\"com.apple.system.logger\")) ; logging");
	add_rule(caps, "(deny file-write*\n  (literal "
		       "\"/Users/me/work/.git/config\"))");
	check_golden("platform-rules", caps);
}

Test(sbpl, golden_everything)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/usr", "/usr", NONO_ACCESS_READ, false);
	add_fs(caps, "/tmp", "/private/tmp", NONO_ACCESS_READ_WRITE, false);
	add_fs(caps, "/etc/resolv.conf", "/private/var/run/resolv.conf",
	       NONO_ACCESS_READ, true);
	add_fs(caps, "/Users/me/project", "/Users/me/project",
	       NONO_ACCESS_READ_WRITE, false);
	add_fs(caps, "/Users/me/project/out.log", "/Users/me/project/out.log",
	       NONO_ACCESS_WRITE, true);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_CONNECT, 443);
	add_port(caps, NONO_TCP_BIND, 3000);
	cr_assert_eq(nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ISOLATED),
		     0, "set_scope");
	add_rule(caps, "(deny file-write-unlink (subpath "
		       "\"/Users/me/project\"))");
	check_golden("everything", caps);
}

/* ---- structure -------------------------------------------------------- */

static char *generate_ok(nono_caps *caps, unsigned flags,
			 nono_apply_result *result)
{
	char *profile = NULL;
	nono_diag diag;
	int rc = nono__sbpl_generate(caps, flags, &profile, result, &diag);

	cr_assert_eq(rc, 0, "generation failed (%d): %s", rc, diag.message);
	cr_assert_not_null(profile, "no profile");
	return profile;
}

Test(sbpl, a_path_cannot_add_a_rule)
{
	static const char *const evil[] = {
		"/x\")(allow file-read* (subpath \"/\"))(\"",
		"/x\\\")(allow file-read* (subpath \"/\"))",
		"/x\\",
		"/x\\\\\"",
		"/\"",
		"/x; (allow default)",
		"/x #| (allow default) |#",
		"/x)(allow default)(",
	};

	for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		nono_caps *caps = new_caps();
		char *profile;

		add_fs(caps, evil[i], evil[i], NONO_ACCESS_READ, false);
		add_fs(caps, evil[i], evil[i], NONO_ACCESS_WRITE, true);
		profile = generate_ok(caps, 0, NULL);
		assert_one_form_per_line(profile);
		cr_assert_null(
			strstr(profile, "\n(allow file-read* (subpath \"/\"))"),
			"path %zu added a rule:\n%s", i, profile);
		cr_assert_null(strstr(profile, "\n(allow default)"),
			       "path %zu added a rule:\n%s", i, profile);
		free(profile);
		nono_caps_free(caps);
	}
}

Test(sbpl, every_golden_line_is_one_form)
{
	nono_caps *caps = new_caps();
	char *profile;

	add_fs(caps, "/tmp", "/private/tmp", NONO_ACCESS_READ_WRITE, false);
	add_fs(caps, "/Users/me/a\"b\\c", "/Users/me/a\"b\\c", NONO_ACCESS_READ,
	       true);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_CONNECT, 22);
	add_port(caps, NONO_TCP_BIND, 22);
	profile = generate_ok(caps, 0, NULL);
	assert_one_form_per_line(profile);
	free(profile);
	nono_caps_free(caps);
}

Test(sbpl, platform_rules_come_after_every_generated_rule)
{
	static const char rule[] = "(deny file-read-data (literal \"/z\"))";
	nono_caps *caps = new_caps();
	char *profile, *at;

	add_fs(caps, "/tmp", "/private/tmp", NONO_ACCESS_READ_WRITE, false);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_BIND, 8080);
	add_rule(caps, rule);
	profile = generate_ok(caps, 0, NULL);
	at = strstr(profile, rule);
	cr_assert_not_null(at, "the platform rule is missing:\n%s", profile);
	/* Nothing but the rule and its newline after it. */
	cr_assert_str_eq(at + strlen(rule), "\n",
			 "rules follow the platform rule:\n%s", profile);
	free(profile);
	nono_caps_free(caps);
}

Test(sbpl, isolated_signal_scope_is_the_default)
{
	nono_caps *isolated = new_caps(), *dflt = new_caps();
	char *a, *b;

	cr_assert_eq(nono_caps_set_scope(isolated, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ISOLATED),
		     0, "set_scope");
	cr_assert_eq(nono_caps_set_scope(isolated, NONO_SCOPE_ABSTRACT_UNIX,
					 NONO_SCOPE_MODE_ISOLATED),
		     0, "set_scope");
	a = generate_ok(isolated, 0, NULL);
	b = generate_ok(dflt, 0, NULL);
	cr_assert_str_eq(a, b, "isolated and default scopes differ");
	cr_assert_not_null(strstr(a, "(allow signal (target same-sandbox))"),
			   "signals are not limited to the sandbox:\n%s", a);
	cr_assert_null(strstr(a, "(allow signal)\n"),
		       "signals are allowed to any process:\n%s", a);
	free(a);
	free(b);
	nono_caps_free(isolated);
	nono_caps_free(dflt);
}

Test(sbpl, result_reports_what_seatbelt_enforces)
{
	nono_apply_result result;
	nono_caps *caps = new_caps();
	char *profile;

	memset(&result, 0xff, sizeof(result));
	profile = generate_ok(caps, 0, &result);
	cr_assert_eq(result.abi, 0, "abi is %d", result.abi);
	cr_assert_eq(result.enforced, (unsigned)NONO_SBPL_FEATURES,
		     "enforced 0x%x", result.enforced);
	cr_assert_eq(result.enforced & NONO_FEATURE_NETWORK_TCP, 0u,
		     "TCP counted as enforced with the network allowed");
	cr_assert_eq(result.dropped, 0u, "dropped 0x%x", result.dropped);
	cr_assert_str_eq(result.dropped_details, "", "dropped details '%s'",
			 result.dropped_details);
	free(profile);

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	profile = generate_ok(caps, 0, &result);
	cr_assert_eq(result.enforced,
		     (unsigned)(NONO_SBPL_FEATURES | NONO_FEATURE_NETWORK_TCP),
		     "enforced 0x%x with the network blocked", result.enforced);
	cr_assert(result.enforced & NONO_FEATURE_ALL_THREADS,
		  "Seatbelt covers every thread");
	free(profile);
	nono_caps_free(caps);
}

/* ---- refusals --------------------------------------------------------- */

static void assert_refused(nono_caps *caps, unsigned flags, int code,
			   const char *why)
{
	char *profile = (char *)"not touched";
	nono_diag diag;
	int rc;

	nono_diag_clear(&diag);
	rc = nono__sbpl_generate(caps, flags, &profile, NULL, &diag);
	cr_assert_eq(rc, code, "expected %d (%s), got %d: %s", code, why, rc,
		     diag.message);
	cr_assert_eq(diag.code, code, "diag.code %d", diag.code);
	cr_assert_null(profile, "a profile was returned on failure");
	cr_assert_not_null(strstr(diag.message, why),
			   "message '%s' does not say '%s'", diag.message, why);
	/* A message is always one printable line. */
	for (const char *p = diag.message; *p; p++)
		cr_assert((unsigned char)*p >= 0x20 && *p != 0x7f,
			  "control character 0x%02x in message '%s'",
			  (unsigned char)*p, diag.message);
}

Test(sbpl, control_characters_are_refused)
{
	static const char *const bad[] = {
		"/x\ny",       "/x\ry",	      "/x\ty",
		"/x\x01y",     "/x\x1by",     "/x\x7fy",
		"/x\xc2\x80y", "/x\xc2\x85y", "/x\xc2\x9fy",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_caps *caps = new_caps();

		add_fs(caps, bad[i], bad[i], NONO_ACCESS_READ, false);
		assert_refused(caps, 0, NONO_EINVAL, "control character");
		nono_caps_free(caps);
	}
}

Test(sbpl, control_characters_in_a_used_original_are_refused)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/tmp\n(allow default)", "/private/tmp", NONO_ACCESS_READ,
	       false);
	assert_refused(caps, 0, NONO_EINVAL, "original path");
	nono_caps_free(caps);
}

Test(sbpl, an_unused_original_is_not_written)
{
	nono_caps *caps = new_caps();
	char *profile;

	/* Relative, or with "..": never written, so not refused either. */
	add_fs(caps, "x\ny", "/private/tmp/x", NONO_ACCESS_READ, false);
	add_fs(caps, "/a/../b\n", "/private/tmp/b", NONO_ACCESS_READ, false);
	profile = generate_ok(caps, 0, NULL);
	cr_assert_null(strstr(profile, "x\ny"), "relative original written");
	cr_assert_null(strstr(profile, "/a/.."), "'..' original written");
	assert_one_form_per_line(profile);
	free(profile);
	nono_caps_free(caps);
}

Test(sbpl, invalid_utf8_is_refused)
{
	static const char *const bad[] = {
		"/x\xff",
		"/x\xc0\xaf",	      /* overlong '/' */
		"/x\xed\xa0\x80",     /* surrogate */
		"/x\xe2\x82",	      /* cut short */
		"/x\xf4\x90\x80\x80", /* beyond U+10FFFF */
		"/x\x80",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_caps *caps = new_caps();

		add_fs(caps, bad[i], bad[i], NONO_ACCESS_READ, false);
		assert_refused(caps, 0, NONO_EINVAL, "UTF-8");
		nono_caps_free(caps);
	}
}

Test(sbpl, relative_or_empty_canonical_paths_are_refused)
{
	static const char *const bad[] = { "", "tmp", "./tmp", " /tmp" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_caps *caps = new_caps();

		add_fs(caps, "/tmp", bad[i], NONO_ACCESS_READ, false);
		assert_refused(caps, 0, NONO_EINVAL, "not absolute");
		nono_caps_free(caps);
	}
}

Test(sbpl, bad_access_modes_are_refused)
{
	static const int bad[] = { 0, 4, 7, -1 };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_caps *caps = new_caps();

		add_fs(caps, "/usr", "/usr", (nono_access)bad[i], false);
		assert_refused(caps, 0, NONO_EINVAL, "invalid access mode");
		nono_caps_free(caps);
	}
}

Test(sbpl, ports_need_a_blocked_network)
{
	nono_caps *caps = new_caps();

	add_port(caps, NONO_TCP_CONNECT, 443);
	assert_refused(caps, 0, NONO_EINVAL, "network is not blocked");
	nono_caps_free(caps);

	caps = new_caps();
	add_port(caps, NONO_TCP_BIND, 8080);
	assert_refused(caps, NONO_APPLY_BEST_EFFORT, NONO_EINVAL,
		       "network is not blocked");
	nono_caps_free(caps);
}

Test(sbpl, port_zero_is_refused)
{
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	add_port(caps, NONO_TCP_BIND, 8080);
	/* Only a set built by hand can hold it. */
	caps->tcp_bind.v[0] = 0;
	assert_refused(caps, 0, NONO_EINVAL, "port 0");
	nono_caps_free(caps);
}

Test(sbpl, invalid_platform_rules_are_refused_again)
{
	static const char *const bad[] = {
		"(allow file-read* (subpath \"/\"))",
		"(deny default))(allow default",
		"(deny default",
		"allow default",
		"(deny default) #| open comment",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		nono_caps *caps = new_caps();

		/* Past nono_caps_platform_rule(), which would refuse it. */
		cr_assert_eq(nono__strv_push(&caps->platform_rules, bad[i]), 0,
			     "nono__strv_push");
		assert_refused(caps, 0, NONO_EINVAL, "platform rule 0");
		nono_caps_free(caps);
	}
}

/* Refused in strict mode with `why`; in best effort the profile is made
 * and `why` is named in the dropped details, with no feature bit. */
static void assert_unexpressed(nono_caps *caps, const char *why)
{
	nono_apply_result result;
	char *profile;

	assert_refused(caps, 0, NONO_EUNSUPPORTED, why);
	profile = generate_ok(caps, NONO_APPLY_BEST_EFFORT, &result);
	cr_assert_not_null(strstr(result.dropped_details, why),
			   "dropped details '%s' do not say '%s'",
			   result.dropped_details, why);
	cr_assert_eq(result.dropped, 0u, "dropped bits 0x%x", result.dropped);
	cr_assert_eq(result.enforced, (unsigned)NONO_SBPL_FEATURES,
		     "enforced 0x%x", result.enforced);
	free(profile);
}

static void add_deny(nono_caps *caps, const char *path, bool is_file)
{
	struct nono__deny_entry *d;

	d = realloc(caps->deny, (caps->deny_len + 1) * sizeof(*d));
	cr_assert_not_null(d, "realloc of the deny array failed");
	caps->deny = d;
	caps->deny_cap = caps->deny_len + 1;
	caps->deny[caps->deny_len++] = (struct nono__deny_entry){
		.original = strdup(path),
		.resolved = strdup(path),
		.is_file = is_file,
	};
}

Test(sbpl, deny_rules_are_not_dropped_quietly)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/Users/me", "/Users/me", NONO_ACCESS_READ, false);
	add_deny(caps, "/Users/me/.ssh", false);
	assert_unexpressed(caps, "deny rules");
	nono_caps_free(caps);
}

Test(sbpl, blocked_commands_are_not_dropped_quietly)
{
	nono_caps *caps = new_caps();

	add_fs(caps, "/usr", "/usr", NONO_ACCESS_READ, false);
	cr_assert_eq(nono__strv_push(&caps->block_files, "/usr/bin/rm"), 0,
		     "push");
	assert_unexpressed(caps, "blocked commands");
	nono_caps_free(caps);
}

Test(sbpl, command_lists_that_withhold_nothing_are_accepted)
{
	nono_caps *caps = new_caps();
	char *profile;

	/* Blocked and allowed: allow wins. A name that resolved to no file
	 * adds a name and no file. */
	cr_assert_eq(nono__strv_push(&caps->block_files, "/usr/bin/rm"), 0,
		     "push");
	cr_assert_eq(nono__strv_push(&caps->allow_files, "/usr/bin/rm"), 0,
		     "push");
	cr_assert_eq(nono__strv_push(&caps->block_cmds, "no-such-program"), 0,
		     "push");
	profile = generate_ok(caps, 0, NULL);
	free(profile);
	nono_caps_free(caps);
}

Test(sbpl, exec_writable_false_is_not_dropped_quietly)
{
	nono_caps *caps = new_caps();
	char *profile;

	cr_assert_eq(nono_caps_set_exec_writable(caps, false), 0,
		     "set_exec_writable");
	/* Nothing writable: nothing to withhold. */
	add_fs(caps, "/usr", "/usr", NONO_ACCESS_READ, false);
	profile = generate_ok(caps, 0, NULL);
	free(profile);

	add_fs(caps, "/tmp", "/private/tmp", NONO_ACCESS_READ_WRITE, false);
	assert_unexpressed(caps, "exec_writable = false");
	nono_caps_free(caps);
}

Test(sbpl, null_arguments_are_refused)
{
	nono_caps *caps = new_caps();
	char *profile = (char *)"not touched";
	nono_diag diag;

	cr_assert_eq(nono__sbpl_generate(NULL, 0, &profile, NULL, &diag),
		     NONO_EINVAL, "NULL caps");
	cr_assert_null(profile, "profile not cleared");
	cr_assert_eq(nono__sbpl_generate(caps, 0, NULL, NULL, NULL),
		     NONO_EINVAL, "NULL out");
	nono_caps_free(caps);
}

Test(sbpl, long_paths_are_cut_in_messages)
{
	char path[1200];
	nono_caps *caps = new_caps();

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 2] = '\n';
	path[sizeof(path) - 1] = '\0';
	add_fs(caps, path, path, NONO_ACCESS_READ, false);
	assert_refused(caps, 0, NONO_EINVAL, "...");
	nono_caps_free(caps);
}
