// SPDX-License-Identifier: Apache-2.0
/*
 * The Linux backend's answer to nono_is_confined() (confined.c), apart
 * from landlock.c and filter.c so that the shim's preloaded object links
 * two system calls and not the backend and its seccomp programs.
 */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend.h"
/* The probe's constants, none of the programs. */
#define NONO_FILTER_PROBE_ONLY
#include "filter-bpf.h"
#include "filter.h"

bool nono__filter_probe(void)
{
	int saved = errno;
	bool inside = syscall(SYS_ioctl, -1,
			      (unsigned long)NONO_FILTER_PROBE_CMD, 0) < 0 &&
		      errno == NONO_FILTER_PROBE_ERRNO;

	errno = saved;
	return inside;
}

/*
 * no_new_privs, which nono_apply() always sets, and the baseline filter,
 * which it always loads: the kernel keeps both for the process and its
 * children for good, and the filter's probe answers as nothing else does
 * (filter.h). no_new_privs alone is set by other programs too.
 */
bool nono__backend_is_confined(void)
{
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 &&
	       nono__filter_probe();
}
