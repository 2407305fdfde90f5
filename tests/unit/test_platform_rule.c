// SPDX-License-Identifier: Apache-2.0
/*
 * The Seatbelt rule validator and the rule list of a capability set. The
 * validator runs on every platform, so these tests run everywhere.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "libnono.h"

struct rule_case {
	const char *rule;
	const char *why; /* NULL: valid; else a part of the message */
};

static const struct rule_case good_rules[] = {
	{ "(deny file-write-unlink)", NULL },
	{ "(deny file-read-data (subpath \"/secret\"))", NULL },
	{ "(allow file-read* (subpath \"/usr\"))", NULL },
	{ "(allow file-write* (subpath \"/tmp\"))", NULL },
	{ "  \n\t(allow mach-lookup (global-name \"com.apple.logger\"))",
	  NULL },
	/* The root directory itself, not everything beneath it. */
	{ "(allow file-read* (literal \"/\"))", NULL },
	/* Denying the whole filesystem is what a sandbox is for. */
	{ "(deny file-read* (subpath \"/\"))", NULL },
	{ "(deny file-write* (subpath \"/\"))", NULL },
	/* Non-file operations on "/" are not the check's business. */
	{ "(allow process-exec (subpath \"/\"))", NULL },
	{ "(allow network-outbound (remote tcp \"localhost:443\"))", NULL },
	/* Comments are set aside before the check. */
	{ "(allow file-read* (subpath \"/usr\")) ; (allow file-read* "
	  "(subpath \"/\"))",
	  NULL },
	{ "(allow file-read* #| (subpath \"/\") |# (subpath \"/usr\"))", NULL },
	{ "(allow file-read*\n; a ) in a comment\n(subpath \"/usr\"))", NULL },
	/* Parentheses and quotes inside strings do not count. */
	{ "(allow file-read* (subpath \"/a)b(\"))", NULL },
	{ "(allow file-read* (literal \"/a\\\"b\"))", NULL },
	{ "(allow file-read* (regex #\"^/usr/lib/.*\"))", NULL },
	/* A longer path is not the root, nor is a relative one. */
	{ "(allow file-read* (subpath \"/./usr\"))", NULL },
	{ "(allow file-read* (subpath \"usr\"))", NULL },
	/* Several forms in one rule. */
	{ "(version 1) (allow file-read* (subpath \"/bin\"))", NULL },
	{ "()", NULL },
};

static const struct rule_case bad_rules[] = {
	{ "", "starting with '('" },
	{ "   \n", "starting with '('" },
	{ "allow file-read*", "starting with '('" },
	{ "; comment\n(allow process-exec)", "starting with '('" },
	{ "\"(allow x)\"", "starting with '('" },
	{ "(deny file-read*", "1 '(' not closed" },
	{ "((deny file-read*)", "1 '(' not closed" },
	{ "(deny file-read*))", "')' without '('" },
	{ "(deny file-read*) )", "')' without '('" },
	{ "(deny file-read* #| unterminated", "unterminated block comment" },
	{ "(deny file-read* (subpath \"/usr))", "unterminated string" },
	{ "(deny file-read* (subpath \"/usr\\\"))", "unterminated string" },
	{ "(deny file-read* (regex #\"^/usr))", "unterminated string" },
	/* Character literals: TinyScheme reads #\) as one atom, so the two
	 * readers would disagree on where a form ends (a grant of the root
	 * could hide behind it). */
	{ "(allow file-read* #\\) (subpath \"/\")", "character literal" },
	{ "(#\\( ))", "character literal" },
	/* A comment hides the ')' that would close the list. */
	{ "(deny file-read* ; )", "1 '(' not closed" },
	{ "(allow file-read* (subpath \"/\"))", "whole filesystem" },
	{ "(allow file-write* (subpath \"/\"))", "whole filesystem" },
	{ "(allow\tfile-read*\t(subpath\t\"/\"))", "whole filesystem" },
	{ "(allow  file-read*  (subpath  \"/\"))", "whole filesystem" },
	{ "(allow file-read* #| c |# (subpath \"/\"))", "whole filesystem" },
	{ "(allow #| sneaky |# file-write* (subpath \"/\"))",
	  "whole filesystem" },
	{ "(allow file-read*\n; )\n(subpath \"/\"))", "whole filesystem" },
	/* nono's four-token window misses these. */
	{ "(allow file-read* (literal \"/etc\") (subpath \"/\"))",
	  "whole filesystem" },
	{ "(allow file-read* file-write* (subpath \"/\"))",
	  "whole filesystem" },
	{ "(allow (subpath \"/\") file-read*)", "whole filesystem" },
	{ "(allow file-write-data (require-any (subpath \"/\") (literal "
	  "\"/x\")))",
	  "whole filesystem" },
	{ "(version 1)(allow file-read* (subpath \"/\"))", "whole filesystem" },
	{ "(allow file* (subpath \"/\"))", "whole filesystem" },
	{ "(allow file-read-data (subpath \"/\"))", "whole filesystem" },
	{ "(allow file-read-metadata (subpath \"/\"))", "whole filesystem" },
	{ "(allow default (subpath \"/\"))", "whole filesystem" },
	{ "(allow file-read* (prefix \"/\"))", "whole filesystem" },
	{ "(ALLOW FILE-READ* (SUBPATH \"/\"))", "whole filesystem" },
	/* Spellings of "/" that name it just the same. */
	{ "(allow file-read* (subpath \"//\"))", "whole filesystem" },
	{ "(allow file-read* (subpath \"/.\"))", "whole filesystem" },
	{ "(allow file-read* (subpath \"/..\"))", "whole filesystem" },
	{ "(allow file-read* (subpath \"/./\"))", "whole filesystem" },
	{ "(allow file-read* (subpath \"\\/\"))", "whole filesystem" },
};

Test(platform_rule, accepts_good_rules)
{
	for (size_t i = 0; i < sizeof(good_rules) / sizeof(good_rules[0]);
	     i++) {
		nono_diag d;

		nono_diag_clear(&d);
		int rc = nono_platform_rule_validate(good_rules[i].rule, &d);
		cr_expect_eq(rc, 0, "rule %zu `%s` should be valid, got %d: %s",
			     i, good_rules[i].rule, rc, d.message);
	}
}

Test(platform_rule, rejects_bad_rules_with_reason)
{
	for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]); i++) {
		nono_diag d;

		nono_diag_clear(&d);
		int rc = nono_platform_rule_validate(bad_rules[i].rule, &d);
		cr_expect_eq(rc, NONO_EINVAL,
			     "rule %zu `%s` should be refused, got %d", i,
			     bad_rules[i].rule, rc);
		cr_expect_eq(d.code, NONO_EINVAL,
			     "rule %zu: diag code should be EINVAL", i);
		cr_expect(strstr(d.message, bad_rules[i].why) != NULL,
			  "rule %zu `%s`: message `%s` should mention `%s`", i,
			  bad_rules[i].rule, d.message, bad_rules[i].why);
		cr_expect(strchr(d.message, '\n') == NULL,
			  "rule %zu: message should be one line", i);
	}
}

Test(platform_rule, null_rule_is_einval)
{
	nono_diag d;

	nono_diag_clear(&d);
	cr_assert_eq(nono_platform_rule_validate(NULL, &d), NONO_EINVAL,
		     "a NULL rule should be EINVAL");
	cr_assert_eq(d.code, NONO_EINVAL, "diag should carry the code");
	cr_assert_eq(nono_platform_rule_validate(NULL, NULL), NONO_EINVAL,
		     "a NULL diag should be accepted");
	cr_assert_eq(nono_platform_rule_validate("(allow x)", NULL), 0,
		     "a valid rule with a NULL diag should pass");
}

Test(platform_rule, error_offsets_point_at_the_problem)
{
	nono_diag d;

	nono_diag_clear(&d);
	cr_assert_eq(nono_platform_rule_validate("(a) (b \"xyz", &d),
		     NONO_EINVAL, "an unterminated string should fail");
	cr_assert(strstr(d.message, "offset 7") != NULL,
		  "the message should give the string's offset: %s", d.message);
	nono_diag_clear(&d);
	cr_assert_eq(nono_platform_rule_validate("(a))", &d), NONO_EINVAL,
		     "a stray ')' should fail");
	cr_assert(strstr(d.message, "offset 3") != NULL,
		  "the message should give the stray ')' offset: %s",
		  d.message);
}

Test(platform_rule, length_is_bounded)
{
	size_t limit = 64 * 1024;
	char *rule = malloc(limit + 2);
	nono_diag d;

	cr_assert_not_null(rule, "allocating the test rule");
	/* A valid rule padded with white space to exactly the limit. */
	memset(rule, ' ', limit);
	memcpy(rule, "(allow x)", 9);
	rule[limit] = '\0';
	cr_assert_eq(nono_platform_rule_validate(rule, NULL), 0,
		     "a rule of exactly 64 KiB should be accepted");
	rule[limit] = ' ';
	rule[limit + 1] = '\0';
	nono_diag_clear(&d);
	cr_assert_eq(nono_platform_rule_validate(rule, &d), NONO_EINVAL,
		     "a rule over 64 KiB should be refused");
	cr_assert(strstr(d.message, "longer than") != NULL,
		  "the message should say it is too long: %s", d.message);
	free(rule);
}

Test(platform_rule, nesting_is_bounded)
{
	char rule[2 * 300 + 1];
	nono_diag d;

	/* 256 levels are fine, 257 are not; deep input never recurses. */
	memset(rule, '(', 256);
	memset(rule + 256, ')', 256);
	rule[512] = '\0';
	cr_assert_eq(nono_platform_rule_validate(rule, NULL), 0,
		     "256 levels of nesting should be accepted");
	memset(rule, '(', 257);
	memset(rule + 257, ')', 257);
	rule[514] = '\0';
	nono_diag_clear(&d);
	cr_assert_eq(nono_platform_rule_validate(rule, &d), NONO_EINVAL,
		     "257 levels of nesting should be refused");
	cr_assert(strstr(d.message, "nests more than") != NULL,
		  "the message should say it nests too deep: %s", d.message);
}

Test(platform_rule, caps_keep_valid_rules_in_order)
{
	nono_caps *caps = NULL;
	char buf[64] = "(allow mach-lookup (global-name \"a\"))";
	nono_diag d;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_platform_rule_count(caps), 0,
		     "a new set has no platform rules");
	nono_diag_clear(&d);
	cr_assert_eq(nono_caps_platform_rule(caps, buf, &d), 0,
		     "a valid rule should be added: %s", d.message);
	cr_assert_eq(nono_caps_platform_rule(caps, "(deny network*)", NULL), 0,
		     "a second rule with a NULL diag should be added");
	/* The set keeps its own copy. */
	memset(buf, 'x', sizeof(buf) - 1);
	cr_assert_eq(nono_caps_platform_rule_count(caps), 2,
		     "two rules should be kept");
	cr_assert_str_eq(nono_caps_platform_rule_at(caps, 0),
			 "(allow mach-lookup (global-name \"a\"))",
			 "the first rule should be kept as given");
	cr_assert_str_eq(nono_caps_platform_rule_at(caps, 1), "(deny network*)",
			 "rules keep their order");
	cr_assert_null(nono_caps_platform_rule_at(caps, 2),
		       "an index past the end gives NULL");
	nono_caps_free(caps);
}

Test(platform_rule, caps_refuse_invalid_rules)
{
	nono_caps *caps = NULL;
	nono_diag d;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	nono_diag_clear(&d);
	cr_assert_eq(nono_caps_platform_rule(
			     caps, "(allow file-read* (subpath \"/\"))", &d),
		     NONO_EINVAL, "a rule on the whole filesystem is refused");
	cr_assert(strstr(d.message, "whole filesystem") != NULL,
		  "diag should say why: %s", d.message);
	cr_assert_eq(nono_caps_platform_rule(caps, NULL, NULL), NONO_EINVAL,
		     "a NULL rule is EINVAL");
	cr_assert_eq(nono_caps_platform_rule_count(caps), 0,
		     "nothing should be added by a refused rule");
	nono_caps_free(caps);
}

Test(platform_rule, caps_null_arguments)
{
	nono_diag d;

	nono_diag_clear(&d);
	cr_assert_eq(nono_caps_platform_rule(NULL, "(allow x)", &d),
		     NONO_EINVAL, "a NULL set is EINVAL");
	cr_assert_eq(d.code, NONO_EINVAL, "diag should carry EINVAL");
	cr_assert_eq(nono_caps_platform_rule_count(NULL), 0,
		     "count of NULL is 0");
	cr_assert_null(nono_caps_platform_rule_at(NULL, 0),
		       "rule of NULL is NULL");
}

Test(platform_rule, clone_copies_rules)
{
	nono_caps *caps = NULL, *copy = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	cr_assert_eq(nono_caps_platform_rule(caps, "(allow a)", NULL), 0,
		     "adding a rule");
	cr_assert_eq(nono_caps_clone(caps, &copy), 0, "nono_caps_clone");
	cr_assert_eq(nono_caps_platform_rule(caps, "(allow b)", NULL), 0,
		     "adding a rule to the original");
	nono_caps_free(caps);
	cr_assert_eq(nono_caps_platform_rule_count(copy), 1,
		     "the clone should not see later rules");
	cr_assert_str_eq(nono_caps_platform_rule_at(copy, 0), "(allow a)",
			 "the clone keeps its own copy of the rule");
	nono_caps_free(copy);
}
