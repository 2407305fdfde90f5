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
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filter-bpf.h"
#include "filter.h"
#include "util.h"

/* The filters nono__filters_load() has loaded into this process, for
 * nono_filters_load_traps(): a forked child inherits both the filters
 * and this record of them. */
static unsigned nf_loaded;

/* The longest program filter-gen writes; a copy is made on the stack. */
#define NF_MAX_LEN 1024

int nono__filters_load(unsigned which, bool all_threads, nono_diag *diag)
{
	unsigned long flags = all_threads ? SECCOMP_FILTER_FLAG_TSYNC : 0;

	if (which >= ARRAY_SIZE(nono__filters) || !nono__filters[which].len)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "no seccomp program was built for the "
				      "filters 0x%x",
				      which);
	/* The kernel copies the program in, so it may stay read-only. */
	struct sock_fprog prog = {
		.len = nono__filters[which].len,
		.filter = (struct sock_filter *)&nono__filter_insns
			[nono__filters[which].start],
	};
	/* glibc 2.36 has no wrapper for seccomp(2). With TSYNC, a positive
	 * return is the id of a thread that could not be synchronised. */
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (rc < 0)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "loading the seccomp filter: %s",
				      strerror(errno));
	if (rc > 0)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "loading the seccomp filter: thread %ld "
				      "cannot be synchronised",
				      rc);
	nf_loaded = which;
	return 0;
}

/*
 * Copies `len` instructions of `insns` into `out`, every "fail with
 * errno E" return turned into "raise SIGSYS with si_errno
 * NONO_TRAP_MARK | E". Every other return (allow, kill on a foreign
 * architecture) stays as it is. false when the program returns anything
 * else (the accumulator, another action): filter-gen never writes one,
 * and a copy that might differ must not be loaded.
 */
static bool nf_trap_copy(const struct sock_filter *insns, unsigned short len,
			 struct sock_filter *out)
{
	for (unsigned short i = 0; i < len; i++) {
		out[i] = insns[i];
		if (BPF_CLASS(insns[i].code) != BPF_RET)
			continue;
		if (insns[i].code != (BPF_RET | BPF_K))
			return false;
		uint32_t action = insns[i].k & SECCOMP_RET_ACTION_FULL;
		uint32_t data = insns[i].k & SECCOMP_RET_DATA;

		if (action == SECCOMP_RET_ERRNO) {
			if (data > NONO_TRAP_ERRNO_MASK)
				return false;
			out[i].k = SECCOMP_RET_TRAP | NONO_TRAP_MARK | data;
		} else if (action != SECCOMP_RET_ALLOW &&
			   action != SECCOMP_RET_KILL_PROCESS) {
			return false;
		}
	}
	return true;
}

int nono_filters_load_traps(nono_diag *diag)
{
	struct sock_filter copy[NF_MAX_LEN];

	if (!nf_loaded)
		return nono__diag_set(diag, NONO_EINVAL,
				      "no sandbox filters in this process");
	unsigned short len = nono__filters[nf_loaded].len;
	if (len > NF_MAX_LEN ||
	    !nf_trap_copy(&nono__filter_insns[nono__filters[nf_loaded].start],
			  len, copy))
		return nono__diag_set(
			diag, NONO_EINVAL,
			"the seccomp filter 0x%x cannot be copied", nf_loaded);
	struct sock_fprog prog = {
		.len = len,
		.filter = copy,
	};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return nono__diag_set(
			diag, NONO_EAPPLY,
			"loading the copy of the seccomp filter: %s",
			strerror(errno));
	return 0;
}
