// SPDX-License-Identifier: Apache-2.0
/*
 * Symbol hygiene of what is shipped: libnono.so exports nothing but the
 * public API (nono_ names), and neither it, the shim nor the nono command
 * contains the test-only fault hook (core/landlock-fault.h).
 *
 * That the shim exports nothing at all is checked in test_shim.c
 * (shim/exports_no_symbols).
 */
#include <criterion/criterion.h>

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

Test(symbols, library_exports_only_nono_names)
{
	const char *argv[] = { "nm", "-D", "--defined-only", NONO_LIB_PATH,
			       NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	char *save = NULL;
	size_t n = 0;
	bool has_apply = false;

	if (!NONO_LIB_PATH[0])
		cr_skip_test("built without a shared libnono "
			     "(default_library=static)");
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
		n++;
		has_apply = has_apply || strcmp(name, "nono_apply") == 0;
		cr_expect(strncmp(name, "nono_", 5) == 0,
			  "libnono exports '%s', which is not a nono_ name",
			  line);
	}
	cr_assert_gt(n, 10, "too few exports to be the library: %zu", n);
	cr_assert(has_apply, "nono_apply is not exported");
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
