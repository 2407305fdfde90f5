// SPDX-License-Identifier: Apache-2.0
/*
 * probe: performs one operation and says how it went, for the integration
 * tests that run it under libnono_shim.so.
 *
 *   probe OP ARGS...
 *
 * Prints "ok" (or, for `fds` and `getenv`, the value) on stdout and exits
 * 0 on success; prints the errno name ("EACCES") and exits 1 on failure;
 * exits 2 on a usage error (`spawn` passes on its child's output and
 * status instead). Nothing else is printed, so that a test can
 * compare stdout exactly.
 *
 * Built without sanitizers: ASan must be the first object loaded, which a
 * preloaded shim defeats. Also built statically (static_probe), which
 * LD_PRELOAD cannot reach; PROBE_NO_DLOPEN then leaves out the one
 * operation that needs the dynamic loader.
 */
#include <arpa/inet.h>
#include <dirent.h>
#ifndef PROBE_NO_DLOPEN
#include <dlfcn.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_EXIT_OK 0
#define PROBE_EXIT_FAILED 1
#define PROBE_EXIT_USAGE 2

extern char **environ;

/* The errno names the tests look for; the number for anything else. */
static const char *errno_name(int err)
{
	static char other[32];

	switch (err) {
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EXDEV:
		return "EXDEV";
	case EISDIR:
		return "EISDIR";
	case ENOTDIR:
		return "ENOTDIR";
	case EEXIST:
		return "EEXIST";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case EAFNOSUPPORT:
		return "EAFNOSUPPORT";
	case EINVAL:
		return "EINVAL";
	case E2BIG:
		return "E2BIG";
	case ENOEXEC:
		return "ENOEXEC";
	case ELOOP:
		return "ELOOP";
	case EROFS:
		return "EROFS";
	default:
		snprintf(other, sizeof(other), "errno %d", err);
		return other;
	}
}

static int report(int rc)
{
	if (rc < 0) {
		printf("%s\n", errno_name(errno));
		return PROBE_EXIT_FAILED;
	}
	printf("ok\n");
	return PROBE_EXIT_OK;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: probe read|write|append|ls|mkdir|rm|truncate PATH\n"
		"       probe rename FROM TO | symlink TARGET LINK\n"
		"       probe exec PATH [ARGS...] | spawn PATH [ARGS...]\n"
		"       probe chain N FILE\n"
		"       probe connect-tcp IPV4 PORT | fds | getenv NAME\n"
		"       probe setuid-dlopen UID LIBRARY\n");
	return PROBE_EXIT_USAGE;
}

static int op_read(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	close(fd);
	return 0;
}

static int op_write(const char *path, int flags)
{
	static const char text[] = "probe\n";
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);

	if (fd < 0)
		return -1;
	if (write(fd, text, sizeof(text) - 1) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

static int op_ls(const char *path)
{
	DIR *dir = opendir(path);

	if (!dir)
		return -1;
	errno = 0;
	while (readdir(dir))
		;
	if (errno) {
		int err = errno;

		closedir(dir);
		errno = err;
		return -1;
	}
	return closedir(dir);
}

/* Open fds of this process, not counting the one listing them. */
static int op_fds(void)
{
	struct dirent *ent;
	int count = 0;
	DIR *dir = opendir("/proc/self/fd");

	if (!dir)
		return report(-1);
	while ((ent = readdir(dir)))
		if (ent->d_name[0] != '.' && atoi(ent->d_name) != dirfd(dir))
			count++;
	closedir(dir);
	printf("%d\n", count);
	return PROBE_EXIT_OK;
}

static int op_connect_tcp(const char *host, const char *port_text)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	char *end;
	long port = strtol(port_text, &end, 10);
	int fd, rc;

	if (*end || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		return usage();
	addr.sin_port = htons((unsigned short)port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return report(-1);
	rc = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	if (rc < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return report(-1);
	}
	close(fd);
	return report(0);
}

/*
 * Starts argv[0] as a child process (fork, then execv) and exits with its
 * exit status (128 + the signal number if it was killed): a program the
 * probed one starts, which inherits its sandbox. Prints nothing itself
 * unless the fork or the exec fails, so the child's output is all there is.
 */
static int op_spawn(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return report(-1);
	if (pid == 0) {
		execv(argv[0], argv);
		return report(-1);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return report(-1);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Re-executes this program `n` times (one exec after another, in the same
 * process), then reads `file`: the exec chain a sandboxed shell script
 * calling another one makes. Each exec loads the shim again.
 */
static int op_chain(const char *n_text, const char *file)
{
	char self[PATH_MAX];
	char next[16];
	char *end;
	long n = strtol(n_text, &end, 10);
	ssize_t len;

	if (*end || n < 0 || n > 1000)
		return usage();
	if (n == 0)
		return report(op_read(file));
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0)
		return report(-1);
	self[len] = '\0';
	snprintf(next, sizeof(next), "%ld", n - 1);
	char *argv[] = { self, "chain", next, (char *)file, NULL };
	execve(self, argv, environ);
	return report(-1);
}

#ifndef PROBE_NO_DLOPEN
/*
 * Becomes a process whose effective uid differs from its real uid (as a
 * set-uid program is), then loads `library`, whose constructors run then.
 * Needs root. Prints "ok" only if the library loaded and returned.
 */
static int op_setuid_dlopen(const char *uid_text, const char *library)
{
	char *end;
	long uid = strtol(uid_text, &end, 10);

	if (*end || uid < 0)
		return usage();
	if (setresuid(0, (uid_t)uid, 0) < 0)
		return report(-1);
	/* The library stays loaded until the probe exits: no handle to
	 * keep. */
	// cppcheck-suppress leakReturnValNotUsed
	if (!dlopen(library, RTLD_NOW | RTLD_LOCAL)) {
		fprintf(stderr, "probe: %s\n", dlerror());
		errno = ENOEXEC;
		return report(-1);
	}
	return report(0);
}
#endif

int main(int argc, char **argv)
{
	const char *op;

	if (argc < 2)
		return usage();
	op = argv[1];
	if (strcmp(op, "fds") == 0 && argc == 2)
		return op_fds();
	if (strcmp(op, "exec") == 0 && argc >= 3) {
		execv(argv[2], argv + 2);
		return report(-1);
	}
	if (strcmp(op, "spawn") == 0 && argc >= 3)
		return op_spawn(argv + 2);
	if (argc == 3) {
		const char *path = argv[2];

		if (strcmp(op, "read") == 0)
			return report(op_read(path));
		if (strcmp(op, "write") == 0)
			return report(op_write(path, O_TRUNC));
		if (strcmp(op, "append") == 0)
			return report(op_write(path, O_APPEND));
		if (strcmp(op, "ls") == 0)
			return report(op_ls(path));
		if (strcmp(op, "mkdir") == 0)
			return report(mkdir(path, 0755));
		if (strcmp(op, "rm") == 0)
			return report(unlink(path));
		if (strcmp(op, "truncate") == 0)
			return report(truncate(path, 0));
		if (strcmp(op, "getenv") == 0) {
			const char *value = getenv(path);

			if (!value) {
				printf("(unset)\n");
				return PROBE_EXIT_FAILED;
			}
			printf("%s\n", value);
			return PROBE_EXIT_OK;
		}
	}
	if (argc == 4) {
		if (strcmp(op, "rename") == 0)
			return report(rename(argv[2], argv[3]));
		if (strcmp(op, "symlink") == 0)
			return report(symlink(argv[2], argv[3]));
		if (strcmp(op, "connect-tcp") == 0)
			return op_connect_tcp(argv[2], argv[3]);
		if (strcmp(op, "chain") == 0)
			return op_chain(argv[2], argv[3]);
#ifndef PROBE_NO_DLOPEN
		if (strcmp(op, "setuid-dlopen") == 0)
			return op_setuid_dlopen(argv[2], argv[3]);
#endif
	}
	return usage();
}
