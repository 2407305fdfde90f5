// SPDX-License-Identifier: Apache-2.0
/*
 * The tracer of `nono explain` (docs/explain.md).
 *
 * The child, already seized by this process, applies the sandbox as
 * `nono run` does, then loads two filters of its own:
 *  - a copy of the sandbox's seccomp filters that raises SIGSYS where
 *    they fail a call with an errno (nono_filters_load_traps). The
 *    kernel runs every filter and takes the strictest action, and an
 *    errno beats SECCOMP_RET_TRACE, so without the copy a call the
 *    filters refuse would never reach the tracer. Here the SIGSYS stops
 *    the tracee; the tracer records the call, writes the errno the
 *    original filter would have returned into the return register and
 *    drops the signal.
 *  - a filter that answers SECCOMP_RET_TRACE for the calls Landlock can
 *    refuse (paths, TCP ports, signals, abstract sockets), so that the
 *    tracee stops only there, as strace --seccomp-bpf does. At that stop
 *    the tracer reads the arguments, and lets the call run to its
 *    syscall-exit stop (PTRACE_SYSCALL) to see what it returned.
 * The Landlock domain and the original filters stay in force whatever
 * the tracer does; PTRACE_O_EXITKILL ends every tracee should it die.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "trace.h"

/* musl defines prlimit64 as a macro for prlimit (its large-file
 * names), which would turn the system call table's SYS_prlimit64 into a
 * name that does not exist. */
#undef prlimit64

#if defined(__x86_64__)
#define TRACE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#include <elf.h>
#include <asm/ptrace.h>
#define TRACE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* Argument positions in trace_calls: an argument that is absent, and a
 * directory descriptor that is always AT_FDCWD. */
#define NO_ARG (-1)
#define CWD_ARG (-2)

/* How the tracer reads one system call's arguments. */
enum trace_kind {
	K_NONE,	    /* named only (refused by a filter) */
	K_OPEN,	    /* dirfd, path, flags */
	K_OPENAT2,  /* dirfd, path, struct open_how * */
	K_PATH,	    /* dirfd, path: the op of the table */
	K_TWO,	    /* dirfd, path, dirfd2, path2 */
	K_FD,	    /* a descriptor's file (ftruncate) */
	K_SOCKADDR, /* sockaddr at arg, its length at arg + 1 */
	K_SIGNAL,   /* the target pid at arg 0 */
};

struct trace_call {
	long nr;
	const char *name;
	enum trace_kind kind;
	enum trace_op op;
	/* Argument positions. K_OPEN and K_OPENAT2 keep the position of
	 * the flags (the struct open_how) in dirfd2; K_SOCKADDR the
	 * address's in path (its length follows it). */
	int dirfd, path, dirfd2, path2;
};

#define CALL(n, k, o, d, p, d2, p2)                                      \
	{                                                                \
		.nr = SYS_##n, .name = #n, .kind = (k), .op = (o),       \
		.dirfd = (d), .path = (p), .dirfd2 = (d2), .path2 = (p2) \
	}
#define NAMED(n) \
	CALL(n, K_NONE, TRACE_OP_FILTERED, NO_ARG, NO_ARG, NO_ARG, NO_ARG)

/*
 * The calls the tracer stops at (kind other than K_NONE), and the names
 * of those the sandbox's filters refuse (core/filter-gen.c), for the
 * report. Calls this architecture lacks (open, mkdir... on aarch64) are
 * left out by their SYS_ macro.
 */
static const struct trace_call trace_calls[] = {
#ifdef SYS_open
	CALL(open, K_OPEN, TRACE_OP_READ, CWD_ARG, 0, 1, NO_ARG),
#endif
	CALL(openat, K_OPEN, TRACE_OP_READ, 0, 1, 2, NO_ARG),
#ifdef SYS_openat2
	CALL(openat2, K_OPENAT2, TRACE_OP_READ, 0, 1, 2, NO_ARG),
#endif
#ifdef SYS_creat
	CALL(creat, K_PATH, TRACE_OP_CREATE, CWD_ARG, 0, NO_ARG, NO_ARG),
#endif
#ifdef SYS_mkdir
	CALL(mkdir, K_PATH, TRACE_OP_CREATE, CWD_ARG, 0, NO_ARG, NO_ARG),
#endif
	CALL(mkdirat, K_PATH, TRACE_OP_CREATE, 0, 1, NO_ARG, NO_ARG),
#ifdef SYS_mknod
	CALL(mknod, K_PATH, TRACE_OP_CREATE, CWD_ARG, 0, NO_ARG, NO_ARG),
#endif
	CALL(mknodat, K_PATH, TRACE_OP_CREATE, 0, 1, NO_ARG, NO_ARG),
#ifdef SYS_symlink
	CALL(symlink, K_PATH, TRACE_OP_CREATE, CWD_ARG, 1, NO_ARG, NO_ARG),
#endif
	CALL(symlinkat, K_PATH, TRACE_OP_CREATE, 1, 2, NO_ARG, NO_ARG),
#ifdef SYS_link
	CALL(link, K_TWO, TRACE_OP_LINK, CWD_ARG, 0, CWD_ARG, 1),
#endif
	CALL(linkat, K_TWO, TRACE_OP_LINK, 0, 1, 2, 3),
#ifdef SYS_unlink
	CALL(unlink, K_PATH, TRACE_OP_REMOVE, CWD_ARG, 0, NO_ARG, NO_ARG),
#endif
#ifdef SYS_rmdir
	CALL(rmdir, K_PATH, TRACE_OP_REMOVE, CWD_ARG, 0, NO_ARG, NO_ARG),
#endif
	CALL(unlinkat, K_PATH, TRACE_OP_REMOVE, 0, 1, NO_ARG, NO_ARG),
#ifdef SYS_rename
	CALL(rename, K_TWO, TRACE_OP_RENAME, CWD_ARG, 0, CWD_ARG, 1),
#endif
#ifdef SYS_renameat
	CALL(renameat, K_TWO, TRACE_OP_RENAME, 0, 1, 2, 3),
#endif
	CALL(renameat2, K_TWO, TRACE_OP_RENAME, 0, 1, 2, 3),
	CALL(truncate, K_PATH, TRACE_OP_TRUNCATE, CWD_ARG, 0, NO_ARG, NO_ARG),
	CALL(ftruncate, K_FD, TRACE_OP_TRUNCATE, 0, NO_ARG, NO_ARG, NO_ARG),
	CALL(execve, K_PATH, TRACE_OP_EXECUTE, CWD_ARG, 0, NO_ARG, NO_ARG),
	CALL(execveat, K_PATH, TRACE_OP_EXECUTE, 0, 1, NO_ARG, NO_ARG),
	CALL(connect, K_SOCKADDR, TRACE_OP_CONNECT, NO_ARG, 1, NO_ARG, NO_ARG),
	CALL(bind, K_SOCKADDR, TRACE_OP_BIND, NO_ARG, 1, NO_ARG, NO_ARG),
	CALL(sendto, K_SOCKADDR, TRACE_OP_SEND, NO_ARG, 4, NO_ARG, NO_ARG),
	CALL(kill, K_SIGNAL, TRACE_OP_SIGNAL, NO_ARG, NO_ARG, NO_ARG, NO_ARG),
	CALL(tkill, K_SIGNAL, TRACE_OP_SIGNAL, NO_ARG, NO_ARG, NO_ARG, NO_ARG),
	CALL(tgkill, K_SIGNAL, TRACE_OP_SIGNAL, NO_ARG, NO_ARG, NO_ARG, NO_ARG),
	CALL(rt_sigqueueinfo, K_SIGNAL, TRACE_OP_SIGNAL, NO_ARG, NO_ARG, NO_ARG,
	     NO_ARG),
	CALL(rt_tgsigqueueinfo, K_SIGNAL, TRACE_OP_SIGNAL, NO_ARG, NO_ARG,
	     NO_ARG, NO_ARG),
	/* Refused by filters only: named in the report. */
	NAMED(socket),
	NAMED(socketpair),
	NAMED(listen),
	NAMED(ioctl),
	NAMED(add_key),
	NAMED(request_key),
	NAMED(keyctl),
	NAMED(bpf),
	NAMED(perf_event_open),
	NAMED(fanotify_init),
	NAMED(syslog),
	NAMED(sethostname),
	NAMED(setdomainname),
	NAMED(clock_settime),
	NAMED(clock_adjtime),
	NAMED(settimeofday),
	NAMED(adjtimex),
	NAMED(reboot),
	NAMED(swapon),
	NAMED(swapoff),
	NAMED(kexec_load),
	NAMED(kexec_file_load),
	NAMED(init_module),
	NAMED(finit_module),
	NAMED(delete_module),
	NAMED(acct),
	NAMED(open_by_handle_at),
#ifdef SYS_iopl
	NAMED(iopl),
	NAMED(ioperm),
#endif
	NAMED(vhangup),
	NAMED(io_uring_setup),
	NAMED(io_uring_enter),
	NAMED(io_uring_register),
	NAMED(userfaultfd),
	NAMED(prlimit64),
	NAMED(sched_setaffinity),
	NAMED(sched_setscheduler),
	NAMED(sched_setparam),
	NAMED(sched_setattr),
	NAMED(migrate_pages),
	NAMED(move_pages),
	NAMED(setpriority),
	NAMED(ioprio_set),
	NAMED(process_madvise),
#ifdef SYS_chmod
	NAMED(chmod),
	NAMED(chown),
	NAMED(lchown),
	NAMED(utime),
	NAMED(utimes),
	NAMED(futimesat),
#endif
	NAMED(fchmod),
	NAMED(fchmodat),
	NAMED(fchown),
	NAMED(fchownat),
	NAMED(utimensat),
	NAMED(setxattr),
	NAMED(lsetxattr),
	NAMED(fsetxattr),
	NAMED(removexattr),
	NAMED(lremovexattr),
	NAMED(fremovexattr),
};

#define TRACE_CALL_COUNT (ARRAY_SIZE(trace_calls))

/* The tracer stops at no more calls than this; the filter has one
 * comparison per call. */
#define TRACE_FILTER_MAX (TRACE_CALL_COUNT + 8)

static const struct trace_call *trace_call_find(long nr)
{
	for (size_t i = 0; i < TRACE_CALL_COUNT; i++)
		if (trace_calls[i].nr == nr)
			return &trace_calls[i];
	return NULL;
}

bool trace_supported(void)
{
#ifdef TRACE_AUDIT_ARCH
	return true;
#else
	return false;
#endif
}

#ifdef TRACE_AUDIT_ARCH

/* Registers: the first three arguments, and the return value. */
#if defined(__x86_64__)
static int trace_regs(pid_t tid, bool compat, unsigned long args[3])
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) < 0)
		return -1;
	/* A 32-bit program passes its arguments in ebx, ecx, edx. */
	args[0] = compat ? regs.rbx : regs.rdi;
	args[1] = compat ? regs.rcx : regs.rsi;
	args[2] = regs.rdx;
	return 0;
}

static int trace_set_return(pid_t tid, long value)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, tid, NULL, &regs) < 0)
		return -1;
	regs.rax = (unsigned long)value;
	return (int)ptrace(PTRACE_SETREGS, tid, NULL, &regs);
}
#elif defined(__aarch64__)
static int trace_regs(pid_t tid, bool compat, unsigned long args[3])
{
	struct user_pt_regs regs;
	struct iovec iov = { .iov_base = &regs, .iov_len = sizeof(regs) };

	(void)compat;
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		args[i] = regs.regs[i];
	return 0;
}

static int trace_set_return(pid_t tid, long value)
{
	struct user_pt_regs regs;
	struct iovec iov = { .iov_base = &regs, .iov_len = sizeof(regs) };

	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) < 0)
		return -1;
	regs.regs[0] = (unsigned long)value;
	return (int)ptrace(PTRACE_SETREGSET, tid, (void *)NT_PRSTATUS, &iov);
}
#endif

/* The filter that stops the tracee at the calls of trace_calls that
 * have arguments to read: native calls only (docs/explain.md). */
static int trace_load_filter(void)
{
	struct sock_filter insns[TRACE_FILTER_MAX + 8];
	unsigned n = 0, ncalls = 0;

	for (size_t i = 0; i < TRACE_CALL_COUNT; i++)
		ncalls += trace_calls[i].kind != K_NONE;
	insns[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	/* Another architecture: allow (the sandbox's filters judge it). */
	insns[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						  TRACE_AUDIT_ARCH, 1, 0);
	insns[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						  SECCOMP_RET_ALLOW);
	insns[n++] = (struct sock_filter)BPF_STMT(
		BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < TRACE_CALL_COUNT; i++) {
		if (trace_calls[i].kind == K_NONE)
			continue;
		/* Jump to the TRACE return: past the remaining compares
		 * and the ALLOW return. */
		ncalls--;
		insns[n++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)trace_calls[i].nr,
			(uint8_t)(ncalls + 1), 0);
	}
	insns[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						  SECCOMP_RET_ALLOW);
	insns[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						  SECCOMP_RET_TRACE);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

int trace_child_setup(void)
{
	nono_diag diag;
	int rc;

	nono_diag_clear(&diag);
	rc = nono_filters_load_traps(&diag);
	if (rc < 0) {
		cli_diag_error("explain: copying the sandbox's filters", rc,
			       &diag);
		return -1;
	}
	if (trace_load_filter() < 0) {
		cli_error("explain: loading the tracing filter: %s",
			  strerror(errno));
		return -1;
	}
	return 0;
}

int trace_attach(pid_t child)
{
	long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
		    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
		    PTRACE_O_EXITKILL;

	return (int)ptrace(PTRACE_SEIZE, child, NULL, (void *)opts);
}

/* A thread's state between its seccomp stop and its syscall-exit stop. */
struct tracee {
	pid_t tid;
	bool pending; /* an event waits for the call's return value */
	struct trace_event ev;
};

struct tracer {
	struct tracee *t;
	size_t n, cap;
	trace_report_fn report;
	void *arg;
};

static struct tracee *tracer_get(struct tracer *tr, pid_t tid)
{
	struct tracee *t;

	for (size_t i = 0; i < tr->n; i++)
		if (tr->t[i].tid == tid)
			return &tr->t[i];
	t = nono__grow(tr->t, &tr->cap, tr->n, sizeof(*t), 16);
	if (!t)
		return NULL;
	tr->t = t;
	tr->t[tr->n] = (struct tracee){ .tid = tid };
	return &tr->t[tr->n++];
}

static void tracer_drop(struct tracer *tr, pid_t tid)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->t[i].tid == tid) {
			tr->t[i] = tr->t[--tr->n];
			return;
		}
}

static bool tracer_knows(const struct tracer *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->t[i].tid == pid)
			return true;
	return false;
}

/* Reads up to `len` bytes at `addr` of `tid`, one page at a time so that
 * a string ending before an unmapped page is still read. Returns how
 * many bytes were read. */
static size_t trace_read(pid_t tid, unsigned long addr, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t page = 4096 - ((addr + done) & 4095);
		size_t want = len - done < page ? len - done : page;
		struct iovec local = { (char *)buf + done, want };
		struct iovec remote = { (void *)(addr + done), want };
		ssize_t got = process_vm_readv(tid, &local, 1, &remote, 1, 0);

		if (got <= 0)
			break;
		done += (size_t)got;
	}
	return done;
}

/* A string of the tracee; false when unreadable or too long. */
static bool trace_string(pid_t tid, unsigned long addr, char *out, size_t size)
{
	size_t got = trace_read(tid, addr, out, size);

	if (got == 0 || !memchr(out, '\0', got)) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* Where /proc/<tid>/<link> points; false when it cannot be read. */
static bool trace_link(pid_t tid, const char *link, char *out, size_t size)
{
	char proc[64];
	ssize_t len;

	snprintf(proc, sizeof(proc), "/proc/%d/%s", (int)tid, link);
	len = readlink(proc, out, size - 1);
	if (len < 0)
		return false;
	out[len] = '\0';
	return true;
}

/* The thread group of `tid`. */
static pid_t trace_tgid(pid_t tid)
{
	char path[64], line[128];
	pid_t tgid = tid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return tid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/*
 * The absolute path the tracee names with (dirfd, path) at entry: a
 * relative path is taken against its working directory or the
 * directory of dirfd, and /proc/self, /proc/thread-self are the
 * tracee's, not this process's. Leaves "" when it cannot be known.
 */
static void trace_path(pid_t tid, pid_t tgid, long dirfd, unsigned long addr,
		       bool has_path, char *out, size_t size)
{
	char name[PATH_MAX], base[PATH_MAX], link[32];

	out[0] = '\0';
	if (has_path && !trace_string(tid, addr, name, sizeof(name)))
		return;
	if (!has_path)
		name[0] = '\0';
	if (name[0] == '/') {
		snprintf(base, sizeof(base), "%s", name);
	} else {
		if ((int)dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "cwd");
		else
			snprintf(link, sizeof(link), "fd/%d", (int)dirfd);
		if (!trace_link(tid, link, base, sizeof(base)) ||
		    base[0] != '/')
			return;
		if (name[0]) {
			size_t len = strlen(base);

			if (snprintf(base + len, sizeof(base) - len, "%s%s",
				     len > 1 ? "/" : "",
				     name) >= (int)(sizeof(base) - len))
				return;
		}
	}
	if (strncmp(base, "/proc/thread-self", 17) == 0 &&
	    (base[17] == '/' || !base[17]))
		snprintf(out, size, "/proc/%d/task/%d%s", (int)tgid, (int)tid,
			 base + 17);
	else if (strncmp(base, "/proc/self", 10) == 0 &&
		 (base[10] == '/' || !base[10]))
		snprintf(out, size, "/proc/%d%s", (int)tgid, base + 10);
	else
		snprintf(out, size, "%s", base);
}

/* The socket address at `addr`, `len` bytes long, into the event. */
static void trace_sockaddr(pid_t tid, unsigned long addr, unsigned long len,
			   struct trace_event *ev)
{
	struct sockaddr_storage ss;
	size_t got;

	if (!addr || len < sizeof(sa_family_t))
		return;
	if (len > sizeof(ss))
		len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	got = trace_read(tid, addr, &ss, len);
	if (got < sizeof(sa_family_t))
		return;
	ev->family = ss.ss_family;
	if (ss.ss_family == AF_INET && got >= sizeof(struct sockaddr_in)) {
		ev->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	} else if (ss.ss_family == AF_INET6 &&
		   got >= sizeof(struct sockaddr_in6)) {
		ev->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else if (ss.ss_family == AF_UNIX && got > sizeof(sa_family_t)) {
		const char *p = ((struct sockaddr_un *)&ss)->sun_path;
		size_t n = got - offsetof(struct sockaddr_un, sun_path);

		ev->abstract_unix = p[0] == '\0';
		/* An abstract name is not NUL-terminated, and may hold
		 * NULs: shown up to the first. */
		if (ev->abstract_unix)
			snprintf(ev->path, sizeof(ev->path), "@%.*s",
				 (int)strnlen(p + 1, n - 1), p + 1);
		else
			snprintf(ev->path, sizeof(ev->path), "%.*s",
				 (int)strnlen(p, n), p);
	}
}

/* At the seccomp stop: reads what the call is about into t->ev. */
static void trace_entry(struct tracer *tr, struct tracee *t,
			const struct __ptrace_syscall_info *info)
{
	const struct trace_call *call = trace_call_find((long)info->seccomp.nr);
	const uint64_t *a = info->seccomp.args;
	struct trace_event *ev = &t->ev;
	pid_t tgid;

	t->pending = false;
	if (!call || call->kind == K_NONE)
		return;
	tgid = trace_tgid(t->tid);
	memset(ev, 0, sizeof(*ev));
	ev->pid = tgid;
	ev->tid = t->tid;
	ev->syscall = call->name;
	ev->op = call->op;
	switch (call->kind) {
	case K_OPEN:
	case K_OPENAT2: {
		uint64_t flags = 0;

		if (call->kind == K_OPENAT2) {
			if (trace_read(t->tid, a[call->dirfd2], &flags,
				       sizeof(flags)) != sizeof(flags))
				return;
		} else {
			flags = a[call->dirfd2];
		}
		/* Landlock does not check an O_PATH open. */
		if (flags & O_PATH)
			return;
		if ((flags & O_ACCMODE) == O_RDWR)
			ev->op = TRACE_OP_READ_WRITE;
		else if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_TRUNC))
			ev->op = TRACE_OP_WRITE;
		trace_path(t->tid, tgid,
			   call->dirfd == CWD_ARG ? AT_FDCWD
						  : (long)a[call->dirfd],
			   a[call->path], true, ev->path, sizeof(ev->path));
		/* Creating a file that is not there yet. */
		if ((flags & O_CREAT) && ev->path[0] &&
		    access(ev->path, F_OK) < 0 && errno == ENOENT)
			ev->op = TRACE_OP_CREATE;
		break;
	}
	case K_PATH:
	case K_TWO:
		trace_path(t->tid, tgid,
			   call->dirfd == CWD_ARG ? AT_FDCWD
						  : (long)a[call->dirfd],
			   a[call->path], true, ev->path, sizeof(ev->path));
		if (call->kind == K_TWO)
			trace_path(t->tid, tgid,
				   call->dirfd2 == CWD_ARG
					   ? AT_FDCWD
					   : (long)a[call->dirfd2],
				   a[call->path2], true, ev->path2,
				   sizeof(ev->path2));
		break;
	case K_FD:
		trace_path(t->tid, tgid, (long)a[call->dirfd], 0, false,
			   ev->path, sizeof(ev->path));
		break;
	case K_SOCKADDR:
		trace_sockaddr(t->tid, a[call->path], a[call->path + 1], ev);
		break;
	case K_SIGNAL:
		ev->target_pid = (pid_t)a[0];
		ev->target_inside =
			tracer_knows(tr, ev->target_pid) || ev->target_pid <= 0;
		break;
	case K_NONE:
		return;
	}
	t->pending = true;
}

/* At the syscall-exit stop: reports the call if it was refused. */
static void trace_exit(struct tracer *tr, struct tracee *t,
		       const struct __ptrace_syscall_info *info)
{
	int err;

	if (!t->pending)
		return;
	t->pending = false;
	if (!info->exit.is_error)
		return;
	err = (int)-info->exit.rval;
	if (err != EACCES && err != EPERM && err != EXDEV)
		return;
	t->ev.err = err;
	tr->report(&t->ev, tr->arg);
}

/*
 * A SIGSYS: one of the copies of the sandbox's filters refused a call.
 * Gives the program the errno the original filter would have, records
 * the call and returns true; false for any other SIGSYS, which is the
 * program's own and is delivered.
 */
static bool trace_sigsys(struct tracer *tr, pid_t tid)
{
	static char unknown[32];
	const struct trace_call *call;
	struct trace_event ev = { 0 };
	siginfo_t si;
	int err;

	if (ptrace(PTRACE_GETSIGINFO, tid, NULL, &si) < 0 ||
	    si.si_code != 1 /* SYS_SECCOMP */ ||
	    (si.si_errno & ~NONO_TRAP_ERRNO_MASK) != NONO_TRAP_MARK)
		return false;
	err = si.si_errno & NONO_TRAP_ERRNO_MASK;
	trace_regs(tid, si.si_arch != TRACE_AUDIT_ARCH, ev.args);
	if (trace_set_return(tid, -err) < 0)
		return false;
	/* The probe of nono_is_confined() is no refusal: it is how a
	 * program (the shim) learns that it is in a sandbox. */
	if (si.si_syscall == SYS_ioctl && err == ENOTRECOVERABLE)
		return true;
	call = si.si_arch == TRACE_AUDIT_ARCH ? trace_call_find(si.si_syscall)
					      : NULL;
	if (call) {
		ev.syscall = call->name;
	} else {
		snprintf(unknown, sizeof(unknown), "syscall %d%s",
			 si.si_syscall,
			 si.si_arch != TRACE_AUDIT_ARCH ? " (32-bit)" : "");
		ev.syscall = unknown;
	}
	ev.tid = tid;
	ev.pid = trace_tgid(tid);
	ev.err = err;
	ev.op = TRACE_OP_FILTERED;
	tr->report(&ev, tr->arg);
	return true;
}

/* Handles one ptrace stop of `tid` and resumes it. */
static void trace_stop(struct tracer *tr, pid_t tid, int status)
{
	struct __ptrace_syscall_info info;
	int sig = WSTOPSIG(status), event = status >> 16;
	struct tracee *t = tracer_get(tr, tid);
	/* int: glibc's enum __ptrace_request is its own; musl takes an
	 * int. */
	int next = PTRACE_CONT;
	int deliver = 0;

	if (sig == (SIGTRAP | 0x80)) {
		if (t &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info),
			   &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_EXIT)
			trace_exit(tr, t, &info);
	} else if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
		if (t &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info),
			   &info) > 0 &&
		    info.op == PTRACE_SYSCALL_INFO_SECCOMP)
			trace_entry(tr, t, &info);
		/* Run to the syscall-exit stop, for the return value. */
		if (t && t->pending)
			next = PTRACE_SYSCALL;
	} else if (sig == SIGTRAP && event == PTRACE_EVENT_EXEC) {
		/* A successful execve() returns nothing to report. */
		if (t)
			t->pending = false;
	} else if (event == PTRACE_EVENT_STOP) {
		/* A group stop (SIGSTOP and friends) stays a stop; the first
		 * stop of a new process or thread (SIGTRAP) does not. */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU)
			next = PTRACE_LISTEN;
	} else if (sig == SIGTRAP && event != 0) {
		/* fork, vfork, clone: the new tracee reports itself. */
	} else if (sig == SIGSYS && trace_sigsys(tr, tid)) {
		/* Answered as the sandbox's filter would have. */
	} else {
		deliver = sig;
	}
	ptrace(next, tid, NULL, (void *)(long)deliver);
}

int trace_run(pid_t child, trace_report_fn report, void *arg, int *status)
{
	struct tracer tr = { .report = report, .arg = arg };
	int st, rc = 0;
	pid_t tid;

	*status = 0;
	for (;;) {
		tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ECHILD)
				rc = -1;
			break;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == child)
				*status = st;
			tracer_drop(&tr, tid);
			continue;
		}
		if (WIFSTOPPED(st))
			trace_stop(&tr, tid, st);
	}
	free(tr.t);
	return rc;
}

#else /* no TRACE_AUDIT_ARCH */

int trace_child_setup(void)
{
	cli_error("explain: not supported on this CPU architecture");
	return -1;
}

int trace_attach(pid_t child)
{
	(void)child;
	errno = ENOSYS;
	return -1;
}

int trace_run(pid_t child, trace_report_fn report, void *arg, int *status)
{
	(void)child;
	(void)report;
	(void)arg;
	(void)status;
	errno = ENOSYS;
	return -1;
}

#endif
