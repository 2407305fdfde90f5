/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Dropping Linux capabilities (nono_caps_set_capabilities). Only
 * landlock.c calls it, at its point of no return.
 */
#ifndef NONO_CAPDROP_H
#define NONO_CAPDROP_H

#include <stdint.h>

#include "caps-internal.h"

/*
 * Keeps only the capabilities in `keep` (bit n is capability n): the
 * others leave the bounding set (where the process may change it: it
 * holds CAP_SETPCAP), the ambient set, and the effective, permitted and
 * inheritable sets, in that order, since dropping the bounding set needs
 * CAP_SETPCAP still in effect. A process without CAP_SETPCAP keeps its
 * bounding set, which with no_new_privs (always set by nono_apply) gives it
 * nothing: exec can no longer add capabilities. Nothing is done for
 * NONO_CAPABILITIES_ALL. Returns 0 or NONO_EAPPLY with the step in diag.
 */
int nono__capabilities_drop(uint64_t keep, nono_diag *diag);

#endif
