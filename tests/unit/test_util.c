// SPDX-License-Identifier: Apache-2.0
/* The internal utility module (util/util.h), one table per helper. */
#include <criterion/criterion.h>
#include <limits.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

Test(util, utf8_decodes_and_takes_maximal_subparts)
{
	static const struct {
		const char *in;
		size_t used;
		uint32_t cp;
	} cases[] = {
		{ "a", 1, 'a' },
		{ "\xc3\xa9", 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 0x1f600 },
		{ "\xef\xbf\xbd", 3, 0xfffd },		  /* a real U+FFFD */
		{ "\xc0\xaf", 1, NONO_UTF8_INVALID },	  /* overlong */
		{ "\xe0\x80\xaf", 1, NONO_UTF8_INVALID }, /* overlong */
		{ "\xed\xa0\x80", 1, NONO_UTF8_INVALID }, /* surrogate */
		{ "\xf4\x90\x80\x80", 1, NONO_UTF8_INVALID }, /* > U+10FFFF */
		{ "\xe2\x82", 2, NONO_UTF8_INVALID },	      /* cut short */
		{ "\xe2\x82x", 2, NONO_UTF8_INVALID },	      /* cut by ASCII */
		{ "\x80", 1, NONO_UTF8_INVALID }, /* lone continuation */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t cp;
		size_t used =
			nono__utf8_next((const unsigned char *)cases[i].in,
					strlen(cases[i].in), &cp);

		cr_expect_eq(used, cases[i].used, "case %zu: used %zu", i,
			     used);
		cr_expect_eq(cp, cases[i].cp, "case %zu: U+%04X", i,
			     (unsigned)cp);
	}
}

Test(util, ports_are_digits_from_1_to_65535)
{
	static const struct {
		const char *in;
		int rc;
		unsigned port;
	} cases[] = {
		{ "1", 0, 1 },	     { "443", 0, 443 }, { "65535", 0, 65535 },
		{ "00080", 0, 80 },  { "0", -2, 0 },	{ "65536", -2, 0 },
		{ "123456", -2, 0 }, { "", -1, 0 },	{ "-1", -1, 0 },
		{ "+80", -1, 0 },    { " 80", -1, 0 },	{ "80x", -1, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned port = 0;
		int rc = nono__port_parse(cases[i].in, &port);

		cr_expect_eq(rc, cases[i].rc, "'%s': rc %d", cases[i].in, rc);
		if (rc == 0)
			cr_expect_eq(port, cases[i].port, "'%s': %u",
				     cases[i].in, port);
	}
}

Test(util, sbuf_grows_and_formats)
{
	struct nono__sbuf b = { 0 };

	nono__sbuf_puts(&b, "port ");
	nono__sbuf_printf(&b, "%u", 443u);
	nono__sbuf_putn(&b, "!?", 1);
	for (int i = 0; i < 500; i++)
		nono__sbuf_puts(&b, "xyz");
	cr_assert(!b.oom, "no allocation failed");
	cr_expect_eq(strncmp(b.p, "port 443!xyz", 12), 0, "text: %.12s", b.p);
	cr_expect_eq(b.len, 9 + 1500, "length %zu", b.len);
	cr_expect_eq(strlen(b.p), b.len, "terminated");
	free(b.p);
}

Test(util, write_all_writes_everything)
{
	static char big[200000];
	char back[16];
	int p[2];

	memset(big, 'x', sizeof(big));
	cr_assert_eq(pipe2(p, O_CLOEXEC), 0, "pipe");
	/* More than a pipe holds: the write must wait for the reader. */
	if (fork() == 0) {
		close(p[0]);
		_exit(nono__write_all(p[1], big, sizeof(big)) == 0 ? 0 : 1);
	}
	close(p[1]);
	size_t total = 0;
	ssize_t n;
	while ((n = read(p[0], back, sizeof(back))) > 0)
		total += (size_t)n;
	close(p[0]);
	wait(NULL);
	cr_expect_eq(total, sizeof(big), "all %zu bytes arrived", total);
}

Test(util, grow_doubles_only_when_full)
{
	size_t cap = 0;
	int *v = nono__grow(NULL, &cap, 0, sizeof(*v), 4);

	cr_assert(v, "first room");
	cr_expect_eq(cap, 4, "starts at first: %zu", cap);
	for (int i = 0; i < 4; i++)
		v[i] = i;
	cr_expect_eq(nono__grow(v, &cap, 3, sizeof(*v), 4), v, "room left");
	cr_expect_eq(cap, 4, "unchanged while there is room: %zu", cap);
	v = nono__grow(v, &cap, 4, sizeof(*v), 4);
	cr_assert(v, "grown");
	cr_expect_eq(cap, 8, "doubled: %zu", cap);
	cr_expect_eq(v[3], 3, "kept what was there");
	free(v);
}

Test(util, grow_refuses_a_size_that_overflows)
{
	size_t cap = SIZE_MAX / 16 + 1;
	char c, *v = &c;

	cr_expect_null(nono__grow(v, &cap, cap, 8, 4), "overflow refused");
	cr_expect_eq(cap, SIZE_MAX / 16 + 1, "capacity unchanged");
}

Test(util, fnv1a_matches_the_published_vectors)
{
	cr_expect_eq(nono__fnv1a(NONO_FNV1A_INIT, "", 0),
		     UINT64_C(0xcbf29ce484222325), "empty");
	cr_expect_eq(nono__fnv1a(NONO_FNV1A_INIT, "a", 1),
		     UINT64_C(0xaf63dc4c8601ec8c), "\"a\"");
	cr_expect_eq(
		nono__fnv1a(nono__fnv1a(NONO_FNV1A_INIT, "foo", 3), "bar", 3),
		nono__fnv1a(NONO_FNV1A_INIT, "foobar", 6), "continued");
}

Test(util, utoa_writes_every_digit)
{
	char buf[NONO_UTOA_SIZE], want[32];
	const unsigned cases[] = {
		0, 7, 9, 10, 99, 100, 4294967295U, UINT_MAX
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "%u", cases[i]);
		cr_expect_str_eq(nono__utoa(cases[i], buf), want, "%u",
				 cases[i]);
	}
}
