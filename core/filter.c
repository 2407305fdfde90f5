// SPDX-License-Identifier: Apache-2.0
/*
 * Loads the seccomp filters of the sandbox. libseccomp builds the programs
 * at build time (filter-gen.c writes them into filter-bpf.h, with the
 * rules and why they are so); here they are handed to the kernel as they
 * are, which spares every sandboxed process building them at start and
 * carrying libseccomp.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filter-bpf.h"
#include "filter.h"

#define NF_PROG(bit, prog, what)                                        \
	{                                                               \
		(bit), (prog), sizeof(prog) / sizeof((prog)[0]), (what) \
	}

static const struct {
	unsigned bit;
	const struct sock_filter *insns;
	unsigned short len;
	const char *what;
} nf_progs[] = {
	NF_PROG(NONO_FILTER_BASE, nono_filter_base, "baseline"),
	NF_PROG(NONO_FILTER_PROCESS, nono_filter_process, "process control"),
	NF_PROG(NONO_FILTER_METADATA, nono_filter_metadata, "metadata"),
	NF_PROG(NONO_FILTER_UNIX, nono_filter_unix, "UNIX socket"),
	NF_PROG(NONO_FILTER_LISTEN, nono_filter_listen, "listen"),
	NF_PROG(NONO_FILTER_NET_DENY_ALL, nono_filter_net_deny_all, "network"),
	NF_PROG(NONO_FILTER_NET_ALLOW_TCP, nono_filter_net_allow_tcp,
		"network"),
	NF_PROG(NONO_FILTER_NET_ALLOW_INET, nono_filter_net_allow_inet,
		"network"),
};

int nono_filters_load(unsigned which, bool all_threads, nono_diag *diag)
{
	unsigned long flags = all_threads ? SECCOMP_FILTER_FLAG_TSYNC : 0;

	for (size_t i = 0; i < sizeof(nf_progs) / sizeof(nf_progs[0]); i++) {
		if (!(which & nf_progs[i].bit))
			continue;
		/* The kernel copies the program in, so it may stay
		 * read-only. */
		struct sock_fprog prog = {
			.len = nf_progs[i].len,
			.filter = (struct sock_filter *)nf_progs[i].insns,
		};
		/* glibc 2.36 has no wrapper for seccomp(2). With TSYNC, a
		 * positive return is the id of a thread that could not be
		 * synchronised. */
		long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags,
				  &prog);
		if (rc < 0)
			return nono_diag_set(diag, NONO_EAPPLY,
					     "loading the %s filter "
					     "(seccomp): %s",
					     nf_progs[i].what, strerror(errno));
		if (rc > 0)
			return nono_diag_set(diag, NONO_EAPPLY,
					     "loading the %s filter "
					     "(seccomp): thread %ld cannot be "
					     "synchronised",
					     nf_progs[i].what, rc);
	}
	return 0;
}

bool nono_filter_probe(void)
{
	int saved = errno;
	bool inside = syscall(SYS_ioctl, -1,
			      (unsigned long)NONO_FILTER_PROBE_CMD, 0) < 0 &&
		      errno == NONO_FILTER_PROBE_ERRNO;

	errno = saved;
	return inside;
}
