/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp half of the Linux sandbox: what Landlock does not see. The
 * programs are built at build time (filter-gen.c, which says what each
 * refuses and why); only landlock.c loads them.
 */
#ifndef NONO_FILTER_H
#define NONO_FILTER_H

#include <stdbool.h>

#include "caps-internal.h"

/* The filters, one bit each, in the order of filter-gen.c's groups. */
enum nono__filter {
	/* Always: keyrings, bpf, perf, the machine's identity, clocks,
	 * modules, terminal injection, io_uring... */
	NONO_FILTER_BASE = 1u << 0,
	/* Signals isolated: no control of other processes. */
	NONO_FILTER_PROCESS = 1u << 1,
	/* [filesystem] metadata = protect. */
	NONO_FILTER_METADATA = 1u << 2,
	/* No UNIX socket can be created (socketpair() still works). */
	NONO_FILTER_UNIX = 1u << 3,
	/* No listen(). */
	NONO_FILTER_LISTEN = 1u << 4,
	/* A blocked network: only AF_UNIX sockets... */
	NONO_FILTER_NET_DENY_ALL = 1u << 5,
	/* ...or AF_UNIX and TCP, for Landlock's port rules to decide. */
	NONO_FILTER_NET_ALLOW_TCP = 1u << 6,
	/* ...or AF_UNIX, TCP and UDP (Landlock ABI 10 judges UDP ports). */
	NONO_FILTER_NET_ALLOW_INET = 1u << 7,
};

/*
 * Loads the filters named by `which` (enum nono__filter bits: the baseline
 * and at most one network filter) into the calling thread, or every
 * thread with all_threads: one program, built at build time for that
 * combination, so this allocates nothing. no_new_privs must already be
 * set. Returns 0 or NONO_EAPPLY.
 */
int nono__filters_load(unsigned which, bool all_threads, nono_diag *diag);

/*
 * Whether the calling process is under the baseline filter, which only
 * nono__filters_load() installs and nothing can remove: one system call
 * that fails with EBADF anywhere else.
 */
bool nono__filter_probe(void);

#endif
