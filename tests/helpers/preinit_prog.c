// SPDX-License-Identifier: Apache-2.0
/*
 * A program with a .preinit_array entry, which glibc runs before the
 * constructors of every library, a preloaded shim's included. The entry
 * tries to create the file named by NONO_TEST_PREINIT_FILE; main() prints
 * how that went.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *preinit_result = "not run";

/* glibc passes the environment: it may not be in environ yet. */
static void preinit(int argc, char **argv, char **envp)
{
	static const char name[] = "NONO_TEST_PREINIT_FILE=";
	const char *path = NULL;
	int fd;

	(void)argc;
	(void)argv;
	for (char **e = envp; e && *e && !path; e++)
		if (strncmp(*e, name, sizeof(name) - 1) == 0)
			path = *e + sizeof(name) - 1;
	if (!path) {
		preinit_result = "unset";
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		preinit_result = errno == EACCES ? "EACCES" : "error";
		return;
	}
	preinit_result = "ok";
	close(fd);
}

__attribute__((section(".preinit_array"),
	       used)) static void (*const preinit_entry)(int, char **,
							 char **) = preinit;

int main(void)
{
	printf("main ran, preinit write: %s\n", preinit_result);
	return 0;
}
