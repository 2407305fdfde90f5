// SPDX-License-Identifier: Apache-2.0
/*
 * nono_filters_load_traps() where there are no seccomp filters (every
 * backend but Landlock's): nothing to copy, and no tracer to report to.
 */
#include "libnono.h"

#include "caps-internal.h"

int nono_filters_load_traps(nono_diag *diag)
{
	return nono__diag_set(diag, NONO_ENOSYS,
			      "no seccomp filters on this system");
}
