// SPDX-License-Identifier: Apache-2.0
/*
 * lib_probe: a program that uses libnono.so itself, for the musl build's
 * tests (tests/integration/test_musl.c): the shim and `nono run` show that
 * the code works under musl; this shows that the shared library does, as
 * a musl program linking it would use it.
 *
 *   lib_probe POLICY FILE
 *
 * Loads POLICY, applies it, then reads FILE. Prints "ok" and exits 0, or
 * prints the errno name ("EACCES") and exits 1; when the policy cannot be
 * loaded or applied, prints one "lib_probe: " line on stderr and exits
 * 126; exits 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libnono.h"

static int fail(const char *step, int rc, const nono_diag *diag)
{
	fprintf(stderr, "lib_probe: %s: %s\n", step,
		diag->message[0] ? diag->message : nono_strerror(rc));
	return 126;
}

int main(int argc, char **argv)
{
	nono_policy *policy = NULL;
	nono_diag diag;
	char buf[256];
	int fd, rc;

	if (argc != 3) {
		fprintf(stderr, "usage: lib_probe POLICY FILE\n");
		return 2;
	}
	nono_diag_clear(&diag);
	rc = nono_policy_load(argv[1], &policy, &diag);
	if (rc < 0)
		return fail("loading the policy", rc, &diag);
	nono_diag_clear(&diag);
	rc = nono_apply(nono_policy_caps(policy), 0, NULL, &diag);
	nono_policy_free(policy);
	if (rc < 0)
		return fail("applying the sandbox", rc, &diag);

	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
		printf("%s\n", errno == EACCES ? "EACCES" : strerror(errno));
		return 1;
	}
	close(fd);
	printf("ok\n");
	return 0;
}
