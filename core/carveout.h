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
struct nono__carve_grant {
	const char *path; /* canonical, absolute */
	bool is_file;
	uint64_t access; /* the backend's rights */
};

/* Rights to take out of the grants at and above `path`. */
struct nono__carve_out {
	const char *path; /* canonical, absolute */
	uint64_t withheld;
	/*
	 * Whether everything beneath `path` must be checked for other ways
	 * in (a deny): each entry's other names (hard links) and each object
	 * a rule elsewhere could alias (bind mounts). The walk is bounded
	 * (struct nono__carve_limits); what it cannot check is inexact.
	 */
	bool whole_tree;
};

/* Bounds on the walk of a whole_tree carve-out, per carve-out. */
struct nono__carve_limits {
	size_t max_entries;
	unsigned max_depth; /* directories beneath the carve-out's own */
};

#define NONO_CARVE_MAX_ENTRIES 100000
#define NONO_CARVE_MAX_DEPTH 64

struct nono__carve_ops {
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
	/* NULL: NONO_CARVE_MAX_ENTRIES and NONO_CARVE_MAX_DEPTH. */
	const struct nono__carve_limits *limits;
};

/*
 * Adds the rules for every grant some carve-out reduces, and sets split[i]
 * (one entry per grant) for those grants: the caller adds the others as it
 * always does, and must not add the split ones. A carve-out that reduces
 * no grant does nothing.
 *
 * A rule is never added where its object is also a directory on the way
 * to a carve-out, the carve-out itself or (whole_tree) anything beneath
 * it, and would give that object rights withheld there: a bind mount, or
 * another hard link, would otherwise take the rule to what is taken out.
 * Such a rule is left out and named in `inexact`; a grant the caller would
 * add that is refused so gets split[i] set too, so that it is not added.
 *
 * `inexact` receives, in words ("; " between items), what the kernel
 * cannot enforce exactly (a denied file with hard links elsewhere, a rule
 * left out as above, a whole_tree carve-out too large to check); the
 * caller decides whether that is an error. Returns 0, NONO_ENOMEM, or
 * NONO_EAPPLY (a directory on the way cannot be listed, a granted path
 * changed kind or vanished, a rule was refused) with diag set.
 */
int nono__carve_add(const struct nono__carve_grant *grants, size_t ngrants,
		    const struct nono__carve_out *outs, size_t nouts,
		    bool *split, const struct nono__carve_ops *ops,
		    char *inexact, size_t inexact_cap, nono_diag *diag);

/*
 * Descriptors whose rule is added, waiting to be closed. A system call is
 * the unit of cost of adding rules (one to open, one to add the rule), so
 * the closes are done together: one close_range() per run of consecutive
 * numbers (the kernel hands out the lowest free one, so a batch is nearly
 * always one or two runs), at most NONO_FD_BATCH descriptors open at
 * once. Zero is an empty batch.
 */
#define NONO_FD_BATCH 64

struct nono__fd_batch {
	int fd[NONO_FD_BATCH];
	size_t n;
};

/* Takes `fd` over; the batch is closed when full. */
void nono__fd_batch_add(struct nono__fd_batch *b, int fd);
/* Closes every descriptor of the batch. */
void nono__fd_batch_flush(struct nono__fd_batch *b);
/* openat(2), the batch closed and the open tried again when the process
 * is out of descriptors (EMFILE). */
int nono__fd_batch_openat(struct nono__fd_batch *b, int dirfd, const char *path,
			  int flags);

#endif /* NONO_CARVEOUT_H */
