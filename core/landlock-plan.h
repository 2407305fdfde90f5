/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Landlock plan: what a capability set becomes at a given ABI, as
 * data. landlock-plan.c holds one table row per ABI (what each brings) and
 * one pure function from (set, ABI) to the ruleset's handled rights,
 * scopes, restrict flags, seccomp filters and features; landlock.c only
 * carries the plan out. Nothing here makes a system call, so the plan of
 * every ABI is tested on any kernel (tests/unit/test_ll_plan.c).
 */
#ifndef NONO_LANDLOCK_PLAN_H
#define NONO_LANDLOCK_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "caps-internal.h"

/* The newest Landlock ABI libnono knows; a newer kernel is planned for as
 * this one (it enforces everything this ABI does, and more). */
#define NONO_LL_ABI_LAST 10

struct nono__ll_plan {
	/* The ABI planned for: the kernel's, at most NONO_LL_ABI_LAST. */
	int abi;
	/* struct landlock_ruleset_attr. */
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
	/* landlock_restrict_self() flags. */
	uint32_t restrict_flags;
	/* enum nono__filter bits: the seccomp filters to load. */
	unsigned filters;
	/* Which port lists become Landlock rules, and whether a UDP sender
	 * gets an ephemeral local port (a BIND_UDP rule on port 0). */
	bool tcp_port_rules;
	bool udp_port_rules;
	bool udp_ephemeral_bind;
	/* Without TSYNC, the caller must count the threads (not pure). */
	bool this_thread_only;
	/* enum nono_feature bits enforced, and asked for but not. */
	unsigned enforced;
	unsigned dropped;
	/* What cannot be enforced, in words; "" when all can. */
	char missing[512];
};

/* The enum nono_feature bits Landlock ABI `abi` has (clamped). */
unsigned nono__ll_features(int abi);

/* The filesystem rights Landlock ABI `abi` knows (clamped). */
uint64_t nono__ll_fs_rights(int abi);

/* The Landlock ABI that brings `feature`, or 0 for an unknown bit. */
int nono__ll_feature_abi(unsigned feature);

/* The plan for `caps` at ABI `abi` (>= 1). Never fails. */
void nono__ll_plan_make(const struct nono_caps *caps, int abi,
			struct nono__ll_plan *plan);

/*
 * Marks in `skip` (one per grant, all false on entry) the grants of `caps`
 * whose rule a directory grant at or above them already gives every right
 * of, with the rules' rights limited to `handled_fs`: nono_apply() adds no
 * rule for them when nothing is carved out of the set (landlock.c, where
 * it lives; declared here for the tests). 0 or NONO_ENOMEM.
 */
int nono__ll_subsumed(const struct nono_caps *caps, uint64_t handled_fs,
		      bool *skip);

/* Appends to a NUL-terminated message list in a fixed buffer, with "; "
 * between items; what does not fit is cut. */
void nono__ll_append(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NONO_LANDLOCK_PLAN_H */
