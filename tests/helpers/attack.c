// SPDX-License-Identifier: Apache-2.0
/*
 * attack: tries one way out of a sandbox and says how it went, for
 * tests/integration/test_escapes.c, which runs it under the shim (preload
 * and early mode) and `nono run`, and unsandboxed to show the attack is
 * real.
 *
 *   attack tiocsti TEXT        push TEXT into the terminal on stdin
 *   attack unix-connect PATH   connect to a pathname UNIX socket
 *   attack prlimit PID         set another process's CPU limit to 0
 *   attack listen              listen() on a TCP socket never bound
 *   attack keyctl-read ID      read a key of the session keyring
 *   attack perf PID            perf_event_open on another process
 *   attack bpf                 load a BPF program
 *   attack chmod PATH          make a file world-writable
 *   attack read PATH           read a file
 *
 * Prints what it got ("ok", or the key's content for keyctl-read) and
 * exits 0 on success; prints the errno name and exits 1 on failure; exits
 * 2 on a usage error. Built without sanitizers, like every program the
 * shim is preloaded into.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define KEYCTL_READ 11

static int fail(void)
{
	int e = errno;

	switch (e) {
	case EACCES:
		puts("EACCES");
		break;
	case EPERM:
		puts("EPERM");
		break;
	default:
		printf("errno %d\n", e);
		break;
	}
	return 1;
}

static int ok(void)
{
	puts("ok");
	return 0;
}

static int tiocsti(const char *text)
{
	for (const char *p = text; *p; p++)
		if (ioctl(0, TIOCSTI, p) < 0)
			return fail();
	return ok();
}

static int unix_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail();
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	/* Something the listener can see, once connected. */
	int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
				 write(fd, "in", 2) != 2
			 ? fail()
			 : ok();
	close(fd);
	return rc;
}

static int set_cpu_limit(pid_t pid)
{
	struct rlimit zero = { 0, 0 };

	if (prlimit(pid, RLIMIT_CPU, &zero, NULL) < 0)
		return fail();
	return ok();
}

static int listen_unbound(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return fail();
	rc = listen(fd, 1) < 0 ? fail() : ok();
	close(fd);
	return rc;
}

static int keyctl_read(long id)
{
	char buf[256];
	long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);

	if (n < 0)
		return fail();
	buf[n < (long)sizeof(buf) - 1 ? n : (long)sizeof(buf) - 1] = '\0';
	puts(buf);
	return 0;
}

static int perf(pid_t pid)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.disabled = 1,
	};

	if (syscall(SYS_perf_event_open, &attr, pid, -1, -1, 0) < 0)
		return fail();
	return ok();
}

static int bpf_load(void)
{
	/* r0 = 0; exit: the smallest socket filter program. */
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr = {
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.insn_cnt = 2,
		.insns = (unsigned long)insns,
		.license = (unsigned long)"GPL",
	};

	if (syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)) < 0)
		return fail();
	return ok();
}

static int read_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return fail();
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? fail() : ok();
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : NULL;

	if (strcmp(op, "tiocsti") == 0 && arg)
		return tiocsti(arg);
	if (strcmp(op, "unix-connect") == 0 && arg)
		return unix_connect(arg);
	if (strcmp(op, "prlimit") == 0 && arg)
		return set_cpu_limit((pid_t)atoi(arg));
	if (strcmp(op, "listen") == 0)
		return listen_unbound();
	if (strcmp(op, "keyctl-read") == 0 && arg)
		return keyctl_read(atol(arg));
	if (strcmp(op, "perf") == 0 && arg)
		return perf((pid_t)atoi(arg));
	if (strcmp(op, "bpf") == 0)
		return bpf_load();
	if (strcmp(op, "chmod") == 0 && arg)
		return chmod(arg, 0666) < 0 ? fail() : ok();
	if (strcmp(op, "read") == 0 && arg)
		return read_file(arg);
	fprintf(stderr, "usage: attack OP [ARG]\n");
	return 2;
}
