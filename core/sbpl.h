/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Seatbelt profile (SBPL text) of a capability set. Pure string work,
 * built and tested on every platform; only core/seatbelt.c hands the text
 * to the macOS kernel.
 */
#ifndef NONO_SBPL_H
#define NONO_SBPL_H

#include "caps-internal.h"

/*
 * What a generated profile enforces (enum nono_feature bits), whatever the
 * capability set: Seatbelt confines the whole process, every thread, and
 * decides renames, truncation and ioctl on its own. NONO_FEATURE_NETWORK_TCP is
 * added when the network is blocked.
 *
 * NONO_FEATURE_SCOPE_ABSTRACT_UNIX holds because macOS has no abstract
 * socket namespace at all: there is nothing outside the sandbox to reach.
 */
#define NONO_SBPL_FEATURES                                                    \
	(NONO_FEATURE_FS | NONO_FEATURE_FS_REFER | NONO_FEATURE_FS_TRUNCATE | \
	 NONO_FEATURE_FS_IOCTL_DEV | NONO_FEATURE_SCOPE_SIGNAL |              \
	 NONO_FEATURE_SCOPE_ABSTRACT_UNIX | NONO_FEATURE_ALL_THREADS)

/*
 * Generates the Seatbelt profile for `caps` into *out, a NUL-terminated
 * string to free(); *out is NULL on failure.
 *
 * `flags` are nono_apply's: with NONO_APPLY_BEST_EFFORT, what Seatbelt
 * cannot express is left out and described in result->dropped_details;
 * without it the call fails with NONO_EUNSUPPORTED. `result` (filled with
 * the enforced and dropped feature bits; abi is 0) and `diag` may be NULL.
 *
 * Every path is checked before it is written: it must be absolute, valid
 * UTF-8 and free of control characters, and `"` and `\` are escaped, so that
 * no path can end its string early and add a rule. Platform rules are
 * checked again with nono_platform_rule_validate() and come last, where
 * Seatbelt's "the last matching rule wins" gives them the final word.
 *
 * Returns 0, NONO_EINVAL (a bad path, access mode, port or rule, or TCP
 * port exceptions with the network not blocked; the reason in diag),
 * NONO_EUNSUPPORTED (strict mode, something Seatbelt cannot express) or
 * NONO_ENOMEM.
 */
int nono__sbpl_generate(const struct nono_caps *caps, unsigned flags,
			char **out, nono_apply_result *result, nono_diag *diag);

#endif /* NONO_SBPL_H */
