// SPDX-License-Identifier: Apache-2.0
/*
 * The public apply, support and version functions. They check their arguments
 * and hand over to the one backend Meson built (backend.h); nothing here knows
 * which operating system it runs on.
 */
#include <string.h>

#include "backend.h"

#define NONO_APPLY_KNOWN_FLAGS \
	(NONO_APPLY_BEST_EFFORT | NONO_APPLY_THIS_THREAD_ONLY)

NONO_API int nono_apply(const nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag)
{
	nono_apply_result scratch_result;
	nono_diag scratch_diag;

	/* The backend always has somewhere to write, so it need not check. */
	if (!result)
		result = &scratch_result;
	if (!diag)
		diag = &scratch_diag;
	memset(result, 0, sizeof(*result));
	nono_diag_clear(diag);

	if (!caps)
		return nono__diag_set(diag, NONO_EINVAL, "caps is NULL");
	if (flags & ~(unsigned)NONO_APPLY_KNOWN_FLAGS)
		return nono__diag_set(
			diag, NONO_EINVAL, "unknown apply flags 0x%x",
			flags & ~(unsigned)NONO_APPLY_KNOWN_FLAGS);
	/* The rules every backend relies on, checked here once: a backend
	 * gets a set that keeps them. */
	int rc = nono_caps_check(caps, diag);
	if (rc)
		return rc;

	return nono__backend_apply(caps, flags, result, diag);
}

NONO_API int nono_feature_abi(unsigned feature)
{
	return nono__backend_feature_abi(feature);
}

NONO_API int nono_support_info_get(nono_support_info *out)
{
	if (!out)
		return NONO_EINVAL;
	nono__backend_support(out);
	return 0;
}

NONO_API bool nono_is_supported(void)
{
	nono_support_info info;
	nono__backend_support(&info);
	return info.is_supported;
}

NONO_API const char *nono_version(void)
{
	return NONO_VERSION_STRING;
}
