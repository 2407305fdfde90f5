/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `nono explain` sees, for the commands that use it (explain.c prints
 * it, learn.c turns it into a policy): one run of a program in the sandbox,
 * observed from outside by the tracer of trace.c, and every access the
 * sandbox refused, attributed and with the policy line that grants it.
 */
#ifndef NONO_CLI_EXPLAIN_H
#define NONO_CLI_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libnono.h"

/* One distinct refusal, with how often it was seen. */
struct refusal {
	pid_t pid; /* the first process seen making it */
	char *program;
	const char *operation; /* "read", "connect", ... */
	char *target;	       /* path, "port N", "pid N", or NULL */
	int port;	       /* 0 unless a TCP port */
	const char *syscall;
	int err;
	unsigned count;
	bool sandbox; /* false: the policy grants it (see note) */
	/* The policy lines, "[section] key = value", one per line (a
	 * rename between directories may need two), or NULL when there is
	 * none. A value may be a placeholder in capitals (PORT). */
	char *suggestion;
	char *note; /* why there is no line, or a caveat; or NULL */
};

/* The refusals of one run. */
struct explain {
	const nono_caps *caps; /* borrowed, during the run only */
	nono_query *query;     /* likewise */
	int abi;
	struct refusal *r;
	size_t n, cap;
	bool out_of_memory;
};

/*
 * Runs `program` (execvp) in the sandbox `caps` describes, applied with
 * `flags` as `nono run` applies it, followed with every process it starts,
 * until all have ended. Fills *ex (any previous content is overwritten,
 * not freed) and *status (the program's wait status). SIGINT and SIGQUIT
 * are ignored by this process meanwhile. Returns 0, or -1 with the error
 * printed. Free *ex with explain_clear in either case.
 */
int explain_observe(const nono_caps *caps, unsigned flags, char **program,
		    struct explain *ex, int *status);

/* Frees what explain_observe gathered and zeroes *ex. */
void explain_clear(struct explain *ex);

/* printf into a new string (free()), or NULL when out of memory. */
char *explain_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last component of `path` (borrowed from it). */
const char *explain_base(const char *path);

#endif /* NONO_CLI_EXPLAIN_H */
