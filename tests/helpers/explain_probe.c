// SPDX-License-Identifier: Apache-2.0
/*
 * Makes the accesses its arguments name, in order, for test_explain.c,
 * which runs it under `nono explain` and checks the report:
 *
 *   read PATH | write PATH | create PATH | mkdir PATH | remove PATH |
 *   rename FROM TO | exec PATH | connect PORT | bind PORT | keyctl |
 *   unix | fork N PATH (N children each read PATH) | child PATH (one
 *   child reads PATH through exec of this program)
 *
 * Failures are expected: it reports nothing and always exits 7, so that
 * the test can check that explain passes the status through.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void tcp(const char *port, int bind_it)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((unsigned short)atoi(port)),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return;
	if (bind_it)
		bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	else
		connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
}

static void wait_all(void)
{
	while (wait(NULL) > 0)
		;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *op = argv[i];
		const char *a = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(op, "read") == 0) {
			close(open(a, O_RDONLY | O_CLOEXEC));
			i++;
		} else if (strcmp(op, "write") == 0) {
			close(open(a, O_WRONLY | O_CLOEXEC));
			i++;
		} else if (strcmp(op, "create") == 0) {
			close(open(a, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
			i++;
		} else if (strcmp(op, "mkdir") == 0) {
			mkdir(a, 0755);
			i++;
		} else if (strcmp(op, "remove") == 0) {
			unlink(a);
			i++;
		} else if (strcmp(op, "rename") == 0 && i + 2 < argc) {
			rename(a, argv[i + 2]);
			i += 2;
		} else if (strcmp(op, "exec") == 0) {
			pid_t pid = fork();

			if (pid == 0) {
				execl(a, a, (char *)NULL);
				_exit(1);
			}
			wait_all();
			i++;
		} else if (strcmp(op, "connect") == 0) {
			tcp(a, 0);
			i++;
		} else if (strcmp(op, "bind") == 0) {
			tcp(a, 1);
			i++;
		} else if (strcmp(op, "keyctl") == 0) {
			/* KEYCTL_GET_KEYRING_ID of the session keyring. */
			syscall(SYS_keyctl, 0, -3, 0);
		} else if (strcmp(op, "unix") == 0) {
			int fd = socket(AF_UNIX, SOCK_STREAM, 0);

			if (fd >= 0)
				close(fd);
		} else if (strcmp(op, "fork") == 0 && i + 2 < argc) {
			int n = atoi(a);

			for (int k = 0; k < n; k++)
				if (fork() == 0) {
					close(open(argv[i + 2],
						   O_RDONLY | O_CLOEXEC));
					_exit(0);
				}
			wait_all();
			i += 2;
		} else if (strcmp(op, "child") == 0) {
			pid_t pid = fork();

			if (pid == 0) {
				execl("/proc/self/exe", argv[0], "read", a,
				      (char *)NULL);
				_exit(1);
			}
			wait_all();
			i++;
		}
	}
	return 7;
}
