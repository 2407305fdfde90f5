// SPDX-License-Identifier: Apache-2.0
/*
 * A library whose constructor writes the file named by NONO_TEST_CTOR_FILE
 * and records how that went, for the early-mode tests: under LD_PRELOAD
 * alone this constructor runs before the shim's, unconfined; under
 * LD_AUDIT it runs inside the sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "ok", an errno name, or "unset"; read by ctor_prog's main. */
const char *nono_test_ctor_result = "not run";

__attribute__((constructor)) static void ctor_lib_init(void)
{
	const char *path = getenv("NONO_TEST_CTOR_FILE");
	int fd;

	if (!path) {
		nono_test_ctor_result = "unset";
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		nono_test_ctor_result = errno == EACCES ? "EACCES" : "error";
		return;
	}
	nono_test_ctor_result = write(fd, "ctor\n", 5) == 5 ? "ok" : "error";
	close(fd);
}
