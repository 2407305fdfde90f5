// SPDX-License-Identifier: Apache-2.0
/*
 * The backend for systems libnono cannot sandbox: it reports that, and
 * refuses to apply anything. Meson builds it only where neither Landlock
 * nor Seatbelt exists; a program that must not run unconfined sees
 * NONO_ENOSYS and stops.
 */
#include <stdio.h>
#include <string.h>

#include "backend.h"

void nono__backend_support(nono_support_info *out)
{
	memset(out, 0, sizeof(*out));
	out->is_supported = false;
	snprintf(out->platform, sizeof(out->platform), "unsupported");
	snprintf(out->details, sizeof(out->details),
		 "no sandbox backend for this operating system (libnono "
		 "supports Linux with Landlock and macOS with Seatbelt)");
}

int nono__backend_apply(const struct nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag)
{
	(void)caps;
	(void)flags;
	(void)result;
	return nono__diag_set(diag, NONO_ENOSYS,
			      "no sandbox backend for this operating system");
}

bool nono__backend_is_confined(void)
{
	/* No backend here: nothing libnono made can confine this process. */
	return false;
}

int nono__backend_feature_abi(unsigned feature)
{
	(void)feature;
	return 0;
}
