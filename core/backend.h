/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The interface every sandbox backend implements. Exactly one backend is
 * built (Meson picks it): landlock.c on Linux, seatbelt.c on macOS,
 * backend-none.c elsewhere. Shared code calls only these and has no OS
 * #ifdef.
 */
#ifndef NONO_BACKEND_H
#define NONO_BACKEND_H

#include "caps-internal.h"

/* Fills support information; never fails for a non-NULL out. */
void nono__backend_support(nono_support_info *out);

/* Applies caps to the calling process, as nono_apply documents. `result`
 * and `diag` are never NULL here (nono_apply passes scratch ones). */
int nono__backend_apply(const struct nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag);

/*
 * Whether the calling process is already inside a sandbox, by the evidence
 * the system gives (nono_is_confined() documents what that is on each
 * system). Never fails; false where a backend cannot tell.
 */
bool nono__backend_is_confined(void);

/* The Landlock ABI that brings an enum nono_feature bit; 0 for an unknown
 * bit and on backends without Landlock (nono_feature_abi). */
int nono__backend_feature_abi(unsigned feature);

#endif /* NONO_BACKEND_H */
