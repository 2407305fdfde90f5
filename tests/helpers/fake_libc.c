// SPDX-License-Identifier: Apache-2.0
/*
 * A fake libc.so.6 for the DT_RPATH test (test_loader.c). The test copies
 * it to T/fakelib/libc.so.6, next to rpath_prog, whose DT_RPATH names that
 * directory, and links T/fakelib/libnono_real_c.so to the real C library:
 * this object needs that name (through real_c_stub.c), so it works as a
 * libc for whatever loads it, the program and (without the shim's
 * DT_RUNPATH) the early-mode shim alike. Its constructor tries to create
 * the file named by NONO_TEST_FAKE_LIBC_FILE and says on stdout how that
 * went: "fake libc constructor: ok" is an escape when the policy does not
 * grant it. (The loader warns that it has no symbol versions: true, and
 * harmless, since every symbol is found in the real library.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void fake_libc_init(void)
{
	const char *path = getenv("NONO_TEST_FAKE_LIBC_FILE");
	const char *result = "unset";
	char line[64];
	int fd, n;

	if (path) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd >= 0) {
			result = "ok";
			close(fd);
		} else {
			result = errno == EACCES ? "EACCES" : "error";
		}
	}
	/* Not stdio: the program's buffers are not this library's. */
	n = snprintf(line, sizeof(line), "fake libc constructor: %s\n", result);
	if (n > 0 && write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(99);
}
