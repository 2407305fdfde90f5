// SPDX-License-Identifier: Apache-2.0
/*
 * Error codes, their names, the diagnostic struct, nono_free and the
 * access mode names: the conventions every other module relies on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "caps-internal.h"
#include "libnono.h"

struct code_name {
	int code;
	int errno_value;
	const char *message;
};

/* The table as libnono.h documents it, written out again so that a
 * change to the X-macro shows here. */
static const struct code_name codes[] = {
	{ NONO_EINVAL, EINVAL, "invalid argument" },
	{ NONO_ENOMEM, ENOMEM, "out of memory" },
	{ NONO_ENOENT, ENOENT, "path not found" },
	{ NONO_ENOTDIR, ENOTDIR, "expected a directory" },
	{ NONO_EISDIR, EISDIR, "expected a file" },
	{ NONO_ECANON, EACCES, "path cannot be canonicalised" },
	{ NONO_EPARSE, EBADMSG, "parse error" },
	{ NONO_ENOSYS, ENOSYS, "sandboxing is not supported on this system" },
	{ NONO_EUNSUPPORTED, EOPNOTSUPP,
	  "the kernel cannot enforce everything that was asked for" },
	{ NONO_ETHREADS, EBUSY,
	  "the process has other threads that cannot be restricted" },
	{ NONO_EAPPLY, EPERM, "the kernel refused to apply the sandbox" },
	{ NONO_ERANGE, ERANGE, "value out of range" },
	{ NONO_ESPAWN, EAGAIN, "cannot start the process" },
};

#define NCODES (sizeof(codes) / sizeof(codes[0]))

Test(error, codes_are_distinct_negative_errnos)
{
	for (size_t i = 0; i < NCODES; i++) {
		cr_assert_eq(codes[i].code, -codes[i].errno_value,
			     "%s: code %d should be -%d", codes[i].message,
			     codes[i].code, codes[i].errno_value);
		cr_assert_lt(codes[i].code, 0, "%s is negative",
			     codes[i].message);
		for (size_t k = 0; k < i; k++)
			cr_assert_neq(codes[i].code, codes[k].code,
				      "%s and %s share a code",
				      codes[i].message, codes[k].message);
	}
	cr_assert_eq(NONO_OK, 0, "NONO_OK is 0");
}

Test(error, strerror_names_every_code)
{
	for (size_t i = 0; i < NCODES; i++)
		cr_assert_str_eq(nono_strerror(codes[i].code), codes[i].message,
				 "nono_strerror(%d)", codes[i].code);
}

Test(error, strerror_of_other_values)
{
	static const int others[] = {
		1, -EEXIST, -9999, 12345, -EINTR, -EXDEV
	};

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		cr_assert_str_eq(nono_strerror(others[i]), "unknown error",
				 "nono_strerror(%d)", others[i]);
	cr_assert_not_null(nono_strerror(0), "nono_strerror(0) is a string");
	cr_assert_str_neq(nono_strerror(0), "unknown error",
			  "0 (NONO_OK) is a known value");
}

Test(error, diag_clear)
{
	nono_diag d;

	memset(&d, 0x5a, sizeof(d));
	nono_diag_clear(&d);
	cr_assert_eq(d.code, 0, "code cleared");
	cr_assert_eq(d.line, 0, "line cleared");
	cr_assert_str_eq(d.file, "", "file cleared");
	cr_assert_str_eq(d.message, "", "message cleared");
	nono_diag_clear(NULL);
}

Test(error, diag_set_fills_and_returns_the_code)
{
	nono_diag d;

	memset(&d, 0x5a, sizeof(d));
	cr_assert_eq(nono__diag_set(&d, NONO_ENOENT, "no %s at %d", "x", 3),
		     NONO_ENOENT, "returns the code");
	cr_assert_eq(d.code, NONO_ENOENT, "code");
	cr_assert_eq(d.line, 0, "no line");
	cr_assert_str_eq(d.file, "", "no file");
	cr_assert_str_eq(d.message, "no x at 3", "formatted message");
	cr_assert_eq(nono__diag_set(NULL, NONO_EINVAL, "ignored"), NONO_EINVAL,
		     "a NULL diag still returns the code");
}

Test(error, diag_set_at_names_file_and_line)
{
	nono_diag d;

	nono_diag_clear(&d);
	cr_assert_eq(nono__diag_set_at(&d, NONO_EPARSE, "/etc/nono/a.ini", 12,
				       "unknown key '%s'", "raed"),
		     NONO_EPARSE, "returns the code");
	cr_assert_eq(d.code, NONO_EPARSE, "code");
	cr_assert_eq(d.line, 12, "line");
	cr_assert_str_eq(d.file, "/etc/nono/a.ini", "file");
	cr_assert_str_eq(d.message, "unknown key 'raed'", "message");
	cr_assert_eq(nono__diag_set_at(&d, NONO_EPARSE, NULL, 0, "m"),
		     NONO_EPARSE, "a NULL file");
	cr_assert_str_eq(d.file, "", "a NULL file is stored as \"\"");
	cr_assert_eq(nono__diag_set_at(NULL, NONO_EPARSE, "f", 1, "m"),
		     NONO_EPARSE, "a NULL diag");
}

Test(error, long_file_names_and_messages_are_cut)
{
	nono_diag d;
	char *longname = malloc(5000);
	char *longmsg = malloc(5000);

	cr_assert_not_null(longname, "malloc");
	cr_assert_not_null(longmsg, "malloc");
	memset(longname, 'f', 4999);
	longname[4999] = '\0';
	memset(longmsg, 'm', 4999);
	longmsg[4999] = '\0';
	nono_diag_clear(&d);
	nono__diag_set_at(&d, NONO_EPARSE, longname, 1, "%s", longmsg);
	size_t flen = strnlen(d.file, sizeof(d.file));
	size_t mlen = strnlen(d.message, sizeof(d.message));
	cr_assert_lt(flen, sizeof(d.file), "file is NUL-terminated");
	cr_assert_lt(mlen, sizeof(d.message), "message is NUL-terminated");
	cr_assert_str_eq(d.file + flen - 3, "...", "a cut file name ends ...");
	cr_assert_str_eq(d.message + mlen - 3, "...", "a cut message ends ...");
	cr_assert_eq(strncmp(d.file, longname, flen - 3), 0,
		     "the file name keeps its beginning");

	/* Exactly at the limit: nothing is cut. */
	longname[sizeof(d.file) - 1] = '\0';
	nono__diag_set_at(&d, NONO_EPARSE, longname, 1, "x");
	cr_assert_str_eq(d.file, longname, "a name that fits is kept whole");
	free(longname);
	free(longmsg);
}

Test(error, nono_free_accepts_null_and_library_strings)
{
	nono_caps *caps = NULL;

	nono_free(NULL);
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	char *s = nono_caps_summary(caps);
	cr_assert_not_null(s, "summary");
	nono_free(s);
	nono_caps_free(caps);
}

Test(error, access_names)
{
	cr_assert_str_eq(nono_access_str(NONO_ACCESS_READ), "read", "READ");
	cr_assert_str_eq(nono_access_str(NONO_ACCESS_WRITE), "write", "WRITE");
	cr_assert_str_eq(nono_access_str(NONO_ACCESS_READ_WRITE), "read+write",
			 "READ_WRITE");
	cr_assert_null(nono_access_str((nono_access)0), "0");
	cr_assert_null(nono_access_str((nono_access)4), "4");
	cr_assert_null(nono_access_str((nono_access)-1), "-1");
	cr_assert_eq(NONO_ACCESS_READ_WRITE,
		     NONO_ACCESS_READ | NONO_ACCESS_WRITE,
		     "READ_WRITE contains both");
}

Test(error, access_parse)
{
	static const struct {
		const char *text;
		nono_access want;
	} good[] = {
		{ "read", NONO_ACCESS_READ },
		{ "write", NONO_ACCESS_WRITE },
		{ "read+write", NONO_ACCESS_READ_WRITE },
	};
	static const char *const bad[] = {
		"",	 "READ",       "Read",
		"rw",	 "read_write", "read+write ",
		" read", "readwrite",  "write+read"
	};
	nono_access a;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		a = (nono_access)0;
		cr_assert_eq(nono_access_parse(good[i].text, &a), 0, "parse %s",
			     good[i].text);
		cr_assert_eq(a, good[i].want, "value of %s", good[i].text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = NONO_ACCESS_WRITE;
		cr_assert_eq(nono_access_parse(bad[i], &a), NONO_EINVAL,
			     "parse `%s`", bad[i]);
		cr_assert_eq(a, NONO_ACCESS_WRITE, "`%s` leaves out unchanged",
			     bad[i]);
	}
	cr_assert_eq(nono_access_parse(NULL, &a), NONO_EINVAL, "NULL text");
	cr_assert_eq(nono_access_parse("read", NULL), NONO_EINVAL, "NULL out");
}

Test(error, step_names_are_distinct_and_closed)
{
	cr_assert_str_eq(nono_step_str(NONO_STEP_RESTRICT_SELF),
			 "landlock_restrict_self", "a step's name");
	cr_assert_str_eq(nono_step_str((nono_step)999), "unknown step",
			 "a step outside the set");
}
