// SPDX-License-Identifier: Apache-2.0
/*
 * Symbol hygiene of what is shipped: libnono.so exports exactly the
 * public API (the NONO_API names of libnono.h, read here), and neither it, the
 * shim nor the nono command contains the test-only fault hook
 * (core/landlock-fault.h).
 *
 * That the shim exports nothing at all is checked in test_shim.c
 * (shim/exports_no_symbols).
 */
#include <criterion/criterion.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define FAULT_ENV_NAME "NONO_TEST_FAULT"

static struct tu_proc proc;

/* The whole file, NUL-terminated after its last byte; *len is its size. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t got = 0;

	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	cr_assert_eq(fstat(fd, &st), 0, "fstat %s", path);
	buf = malloc((size_t)st.st_size + 1);
	cr_assert_not_null(buf, "out of memory for %s", path);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		cr_assert_gt(n, 0, "read %s: %s", path, strerror(errno));
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static bool contains(const char *path, const char *needle)
{
	size_t len;
	char *buf = slurp(path, &len);
	bool found = memmem(buf, len, needle, strlen(needle)) != NULL;

	free(buf);
	return found;
}

/* The names libnono.h declares with NONO_API: the public API, which
 * libnono.so must export exactly. */
static size_t public_names(char *names[], size_t cap)
{
	size_t len, n = 0;
	char *text = slurp(NONO_PUBLIC_HEADER, &len);

	for (char *p = strstr(text, "\nNONO_API "); p;
	     p = strstr(p + 1, "\nNONO_API ")) {
		char *paren = strchr(p, '(');
		char *end = paren;

		cr_assert_not_null(paren, "a NONO_API line without '('");
		while (end > p && end[-1] == ' ')
			end--;
		char *begin = end;
		while (begin > p &&
		       (isalnum((unsigned char)begin[-1]) || begin[-1] == '_'))
			begin--;
		cr_assert_lt(n, cap, "room for another public name");
		names[n++] = strndup(begin, (size_t)(end - begin));
	}
	free(text);
	return n;
}

static bool listed(char *const names[], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

Test(symbols, library_exports_exactly_the_public_api)
{
	const char *argv[] = { "nm", "-D", "--defined-only", NONO_LIB_PATH,
			       NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	char *public[256], *exported[256];
	size_t npublic, nexported = 0;
	char *save = NULL;

	if (!NONO_LIB_PATH[0])
		cr_skip_test("built without a shared libnono "
			     "(default_library=static)");
	npublic = public_names(public, 256);
	cr_assert_gt(npublic, 10, "too few NONO_API names in %s: %zu",
		     NONO_PUBLIC_HEADER, npublic);
	tu_spawn(&proc, (char *const *)argv, env, 60);
	cr_assert_eq(proc.status, 0, "nm -D %s: status %d, '%s'", NONO_LIB_PATH,
		     proc.status, proc.err);
	for (char *line = strtok_r(proc.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *name = strrchr(line, ' ');
		char *at;

		name = name ? name + 1 : line;
		/* A symbol version ("name@@V1") is not part of the name. */
		at = strchr(name, '@');
		if (at)
			*at = '\0';
		cr_expect(listed(public, npublic, name),
			  "libnono exports '%s', which libnono.h does not "
			  "declare with NONO_API",
			  line);
		cr_assert_lt(nexported, 256, "room for another export");
		exported[nexported++] = name;
	}
	for (size_t i = 0; i < npublic; i++) {
		cr_expect(listed(exported, nexported, public[i]),
			  "libnono.h declares %s, which libnono does not "
			  "export",
			  public[i]);
		free(public[i]);
	}
}

Test(symbols, library_needs_no_executable_stack)
{
	const char *argv[] = { "readelf", "-lW", NONO_LIB_PATH, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	const char *stack;
	char header[256];

	if (!NONO_LIB_PATH[0])
		cr_skip_test("built without a shared libnono "
			     "(default_library=static)");
	tu_spawn(&proc, (char *const *)argv, env, 60);
	cr_assert_eq(proc.status, 0, "readelf -l: status %d, '%s'", proc.status,
		     proc.err);
	stack = strstr(proc.out, "GNU_STACK");
	cr_assert_not_null(stack, "no GNU_STACK header:\n%s", proc.out);
	snprintf(header, sizeof(header), "%.*s", (int)strcspn(stack, "\n"),
		 stack);
	cr_assert_null(strstr(header, "RWE"),
		       "libnono asks for an executable stack: %s", header);
}

Test(symbols, shipped_binaries_have_no_fault_hook)
{
	const char *shipped[] = { NONO_SHIM_PATH, NONO_CLI_PATH,
				  NONO_LIB_PATH };

	/* The check below means something only if it can find the name
	 * where it is. */
	cr_assert(contains(NONO_FAULT_SHIM_PATH, FAULT_ENV_NAME),
		  "the test shim %s lacks the fault hook",
		  NONO_FAULT_SHIM_PATH);
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		if (!shipped[i][0])
			continue;
		cr_expect(!contains(shipped[i], FAULT_ENV_NAME),
			  "%s contains the test-only fault hook (%s)",
			  shipped[i], FAULT_ENV_NAME);
	}
}
