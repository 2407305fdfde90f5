/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Carve-outs: taking rights back out of a granted directory tree with a
 * kernel that can only grant (Landlock). docs/deny.md gives the design; in
 * short, a grant (G, A) that a carve-out (D, R) beneath it reduces is not
 * added as one rule but as a rule (P, A minus R) on each directory P on
 * the way from G down to D, a rule (E, A) on every other entry E of those
 * directories (never on a symbolic link), and (D, A minus R) on D itself.
 *
 * The walk is written against the backend through one callback, so that
 * it knows nothing of the rights' meaning: to it, rights are bits.
 */
#ifndef NONO_CARVEOUT_H
#define NONO_CARVEOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "caps-internal.h"

/* A grant as the backend would add it. */
struct nono_carve_grant {
	const char *path; /* canonical, absolute */
	bool is_file;
	uint64_t access; /* the backend's rights */
};

/* Rights to take out of the grants at and above `path`. */
struct nono_carve_out {
	const char *path; /* canonical, absolute */
	uint64_t withheld;
};

struct nono_carve_ops {
	/*
	 * Adds one rule: `access` on the object open at `fd` (an O_PATH
	 * descriptor, closed by the caller), a directory or not. `dir` and
	 * `name` spell its path for messages (`name` may be NULL when `dir`
	 * is the whole path). Returns 0, or a NONO_E* code with diag set.
	 */
	int (*add_rule)(void *ctx, int fd, bool is_dir, uint64_t access,
			const char *dir, size_t dir_len, const char *name,
			nono_diag *diag);
	void *ctx;
};

/*
 * Adds the rules for every grant some carve-out reduces, and sets split[i]
 * (one entry per grant) for those grants: the caller adds the others as it
 * always does, and must not add the split ones. A carve-out that reduces
 * no grant does nothing.
 *
 * `inexact` receives, in words ("; " between items), what the kernel
 * cannot enforce exactly (a denied file with hard links elsewhere); the
 * caller decides whether that is an error. Returns 0, NONO_ENOMEM, or
 * NONO_EAPPLY (a directory on the way cannot be listed, a granted path
 * changed kind or vanished, a rule was refused) with diag set.
 */
int nono_carve_add(const struct nono_carve_grant *grants, size_t ngrants,
		   const struct nono_carve_out *outs, size_t nouts, bool *split,
		   const struct nono_carve_ops *ops, char *inexact,
		   size_t inexact_cap, nono_diag *diag);

#endif /* NONO_CARVEOUT_H */
