// SPDX-License-Identifier: Apache-2.0
/*
 * Loads the network filter: a seccomp program that refuses the socket
 * kinds Landlock does not see. libseccomp builds the program at build time
 * (netfilter-gen.c writes it into netfilter-bpf.h, with the rules and why
 * they are so); here it is handed to the kernel as it is, which spares
 * every sandboxed process building it at start and carrying libseccomp.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netfilter-bpf.h"
#include "netfilter.h"

#define NF_LEN(prog) (sizeof(prog) / sizeof((prog)[0]))

int nono_netfilter_load(bool allow_tcp, bool all_threads, nono_diag *diag)
{
	const struct sock_filter *insns = nono_netfilter_deny_all;
	unsigned short len = NF_LEN(nono_netfilter_deny_all);
	if (allow_tcp) {
		insns = nono_netfilter_allow_tcp;
		len = NF_LEN(nono_netfilter_allow_tcp);
	}
	/* The kernel copies the program in, so it may stay read-only. */
	struct sock_fprog prog = {
		.len = len,
		.filter = (struct sock_filter *)insns,
	};
	unsigned long flags = all_threads ? SECCOMP_FILTER_FLAG_TSYNC : 0;

	/* glibc 2.36 has no wrapper for seccomp(2). With TSYNC, a positive
	 * return is the id of a thread that could not be synchronised. */
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc < 0)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "loading the network filter (seccomp): %s",
				     strerror(errno));
	if (rc > 0)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "loading the network filter (seccomp): "
				     "thread %ld cannot be synchronised",
				     rc);
	return 0;
}
