/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The observer of `nono explain`: a ptrace(2) tracer that sees, from
 * outside the sandbox, the system calls the sandbox can refuse and what
 * became of them (docs/explain.md says how, and what it cannot see).
 * The sandbox itself is the kernel's: the tracer never widens it.
 */
#ifndef NONO_CLI_TRACE_H
#define NONO_CLI_TRACE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/* What a refused call tried to do. */
enum trace_op {
	TRACE_OP_READ,
	TRACE_OP_WRITE,
	TRACE_OP_READ_WRITE,
	TRACE_OP_CREATE,   /* path: the new entry */
	TRACE_OP_REMOVE,   /* path: the entry removed */
	TRACE_OP_RENAME,   /* path -> path2 */
	TRACE_OP_LINK,	   /* path2: the new link to path */
	TRACE_OP_TRUNCATE, /* path */
	TRACE_OP_EXECUTE,  /* path */
	TRACE_OP_CONNECT,  /* a socket address */
	TRACE_OP_BIND,	   /* a socket address */
	TRACE_OP_SEND,	   /* a socket address (sendto) */
	TRACE_OP_SIGNAL,   /* target_pid */
	TRACE_OP_FILTERED, /* a seccomp filter of the sandbox refused it */
};

/* One system call that failed with EACCES, EPERM or EXDEV (or that a
 * filter of the sandbox refused), as the tracee made it. */
struct trace_event {
	pid_t pid;	     /* the process (thread group) */
	pid_t tid;	     /* the thread */
	const char *syscall; /* its name, static; "syscall N" if unknown */
	int err;	     /* the errno the program saw */
	enum trace_op op;
	/* Absolute, as the tracee resolved them at entry (its working
	 * directory and descriptors), /proc/self and /proc/thread-self
	 * rewritten to the tracee's pid; "" when the call has none. */
	char path[PATH_MAX];
	char path2[PATH_MAX];
	/* Socket calls: the address family; the TCP port; for AF_UNIX,
	 * path holds the socket's path ("@name" when abstract). */
	int family;
	unsigned port;
	bool abstract_unix;
	/* Signals: the target, and whether it is traced (and so inside). */
	pid_t target_pid;
	bool target_inside;
	/* TRACE_OP_FILTERED: the first three arguments. */
	unsigned long args[3];
};

typedef void (*trace_report_fn)(const struct trace_event *ev, void *arg);

/*
 * In the child, after nono_apply and before execve: the copy of the
 * sandbox's filters that raises SIGSYS (nono_filters_load_traps) and the
 * filter that stops the tracer at the calls of interest. The tracer must
 * already be attached (trace_attach). Returns 0 or prints why and
 * returns -1.
 */
int trace_child_setup(void);

/* In the parent: seizes `child` (which waits for it) with every option
 * the tracer needs. Returns 0 or -1 with errno set. */
int trace_attach(pid_t child);

/*
 * Follows `child` and every process and thread it starts until all have
 * ended, calling `report` for each refused call. *status receives the
 * child's wait status. Returns 0, or -1 with errno set when waiting
 * failed (the tracees are then killed by PTRACE_O_EXITKILL as this
 * process exits).
 */
int trace_run(pid_t child, trace_report_fn report, void *arg, int *status);

/* Whether this build can trace on this CPU architecture. */
bool trace_supported(void);

#endif /* NONO_CLI_TRACE_H */
