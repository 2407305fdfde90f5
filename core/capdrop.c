// SPDX-License-Identifier: Apache-2.0
/*
 * Drops the Linux capabilities a sandboxed process does not keep (see
 * capdrop.h). Landlock confines root as it confines anyone, but root's
 * capabilities reach past it: CAP_SYS_ADMIN, CAP_BPF and CAP_PERFMON act on
 * the whole machine, CAP_SETFCAP lets a program give a binary capabilities
 * that another user then runs with, CAP_MKNOD makes device nodes in a
 * writable grant, CAP_DAC_READ_SEARCH opens files by handle.
 */
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capdrop.h"

/* The 64-bit set that the two 32-bit halves of a v3 capability set hold. */
#define CAP_SET(data, field) \
	((uint64_t)(data)[0].field | (uint64_t)(data)[1].field << 32)

int nono__capabilities_drop(uint64_t keep, nono_diag *diag)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (keep == NONO_CAPABILITIES_ALL)
		return 0;
	/* glibc has no wrappers for capget and capset. */
	if (syscall(SYS_capget, &hdr, data) < 0)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "reading the capabilities (capget): %s",
				      strerror(errno));
	uint64_t effective = CAP_SET(data, effective);

	/* Dropping what is already gone succeeds, so no PR_CAPBSET_READ:
	 * one call per capability, to EINVAL past the last this kernel
	 * knows. */
	if (effective & (UINT64_C(1) << CAP_SETPCAP)) {
		for (unsigned cap = 0; cap < 64; cap++) {
			if (keep & (UINT64_C(1) << cap))
				continue;
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
				continue;
			if (errno == EINVAL)
				break;
			return nono__diag_set(diag, NONO_EAPPLY,
					      "dropping capability %u from the "
					      "bounding set: %s",
					      cap, strerror(errno));
		}
	}
	/* EINVAL: a kernel older than 4.3, which has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "clearing the ambient capabilities: %s",
				      strerror(errno));

	uint64_t held = effective | CAP_SET(data, permitted) |
			CAP_SET(data, inheritable);
	if ((held & ~keep) == 0)
		return 0;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		uint32_t k = (uint32_t)(keep >> (32 * i));

		data[i].effective &= k;
		data[i].permitted &= k;
		data[i].inheritable &= k;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return nono__diag_set(diag, NONO_EAPPLY,
				      "dropping capabilities (capset): %s",
				      strerror(errno));
	return 0;
}
