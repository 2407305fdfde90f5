// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: path expansion in policy values (conf/expand.c): the
 * optional marker, `~`, `${NAME}` and `$$`.
 *
 * A few variables are set so that expansion has something to find,
 * among them one long enough to push any path past PATH_MAX.
 */
#include <limits.h>
#include <string.h>

#include "expand.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char longval[PATH_MAX + 64];

	(void)argc;
	(void)argv;
	setenv("HOME", "/home/fuzz", 1);
	setenv("A", "/a", 1);
	setenv("B", "b$c", 1);
	setenv("EMPTY", "", 1);
	setenv("REL", "relative/path", 1);
	memset(longval, 'x', sizeof(longval) - 1);
	longval[0] = '/';
	longval[sizeof(longval) - 1] = '\0';
	setenv("LONG", longval, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nono__expanded out;
	char err[256];
	char *value;
	int rc;

	value = malloc(size + 1);
	if (!value)
		return 0;
	memcpy(value, data, size);
	value[size] = '\0';

	memset(err, 'E', sizeof(err));
	rc = nono__expand_path(value, &out, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc == 0) {
		size_t len = strnlen(out.path, sizeof(out.path));

		FUZZ_CHECK(len < sizeof(out.path), "path not terminated");
		FUZZ_CHECK(out.path[0] == '/', "not absolute: '%s'", out.path);
		FUZZ_CHECK(out.optional == (value[0] == '-'),
			   "optional marker read wrong");
	} else {
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)),
			   "error not terminated");
		FUZZ_CHECK(err[0] != '\0', "no reason given");
	}

	/* errlen 0: nothing may be written to err. */
	err[0] = 'E';
	rc = nono__expand_path(value, &out, err, 0);
	FUZZ_CHECK(err[0] == 'E', "err written with errlen 0");
	free(value);
	return 0;
}
