// SPDX-License-Identifier: Apache-2.0
/*
 * Loads the seccomp filters of the sandbox. libseccomp builds the programs
 * at build time (filter-gen.c writes them into filter-bpf.h, with the
 * rules and why they are so); here they are handed to the kernel as they
 * are, which spares every sandboxed process building them at start and
 * carrying libseccomp. There is one program for every combination of
 * filters a sandbox can ask for, loaded with one system call.
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

int nono_filters_load(unsigned which, bool all_threads, nono_diag *diag)
{
	unsigned long flags = all_threads ? SECCOMP_FILTER_FLAG_TSYNC : 0;

	if (which >= sizeof(nono_filters) / sizeof(nono_filters[0]) ||
	    !nono_filters[which].insns)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "no seccomp program was built for the "
				     "filters 0x%x",
				     which);
	/* The kernel copies the program in, so it may stay read-only. */
	struct sock_fprog prog = {
		.len = nono_filters[which].len,
		.filter = (struct sock_filter *)nono_filters[which].insns,
	};
	/* glibc 2.36 has no wrapper for seccomp(2). With TSYNC, a positive
	 * return is the id of a thread that could not be synchronised. */
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc < 0)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "loading the seccomp filter: %s",
				     strerror(errno));
	if (rc > 0)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "loading the seccomp filter: thread %ld "
				     "cannot be synchronised",
				     rc);
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
