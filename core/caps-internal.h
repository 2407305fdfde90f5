/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The inside of a capability set, shared by the files of core/ only. Nothing
 * outside core/ includes this: conf/, shim/ and cli/ use libnono.h.
 */
#ifndef NONO_CAPS_INTERNAL_H
#define NONO_CAPS_INTERNAL_H

#include <stdio.h>

#include "libnono.h"
#include "util.h"

/* A growable vector of owned strings. */
struct nono__strv {
	char **v;
	size_t len;
	size_t cap;
};

int nono__strv_push(struct nono__strv *sv, const char *s);
int nono__strv_copy(struct nono__strv *dst, const struct nono__strv *src);
void nono__strv_clear(struct nono__strv *sv);

/* A growable list of distinct ports, in the order given. */
struct nono__ports {
	uint16_t *v;
	size_t len;
	size_t cap;
};

/*
 * Where a grant or deny rule was given (nono_caps_set_origin): an index
 * into the set's origin_files, so that a set of many grants from one file
 * keeps the name once and a clone keeps the same numbers.
 */
struct nono__origin {
	unsigned file; /* index + 1 into origin_files; 0: not known */
	unsigned line;
	nono_access access; /* what this grant gave; 0 for a deny rule */
	/* How that line spelled the path, where it differs from the
	 * entry's original (a grant merged into another: "/bin" into
	 * "/usr/bin"); owned; NULL: the entry's own. */
	char *original;
};

struct nono__fs_entry {
	char *original; /* owned: one block with resolved */
	char *resolved; /* canonical, absolute; in original's block, or
			 * original itself where the spelling is canonical */
	nono_access access;
	bool is_file;
	/* What the path was when granted (st_mode: its kind). */
	unsigned mode;
	/* An O_PATH descriptor of the file granted, owned, or -1: kept
	 * only in a set that keeps them (nono_caps_set_keep_fds). */
	int fd;
	/* Where it was given; grants merged into this one by
	 * nono_caps_deduplicate bring theirs to `more` (owned), so that a
	 * query can name every line that contributes. */
	struct nono__origin origin;
	struct nono__origin *more;
	size_t nmore;
};

/* A path taken out of the grants above it (nono_caps_deny_path). */
struct nono__deny_entry {
	char *original; /* owned */
	char *resolved; /* owned, canonical, absolute */
	bool is_file;
	struct nono__origin origin;
};

struct nono_caps {
	struct nono__fs_entry *fs;
	size_t fs_len;
	size_t fs_cap;
	bool net_blocked;
	struct nono__strv allow_cmds;
	struct nono__strv block_cmds;
	struct nono__strv platform_rules;
	struct nono__ports tcp_connect;
	struct nono__ports tcp_bind;
	nono_scope_mode scope_signal;
	nono_scope_mode scope_abstract_unix;
	struct nono__deny_entry *deny;
	size_t deny_len;
	size_t deny_cap;
	/* The canonical files the command lists resolved to, each once. */
	struct nono__strv allow_files;
	struct nono__strv block_files;
	/* false (a new set's) is nono's mapping: execute with READ in
	 * writable grants too. */
	bool no_exec_writable;
	nono_unix_mode unix_mode;
	/* The Linux capabilities kept (nono_caps_set_capabilities). */
	uint64_t keep_capabilities;
	bool protect_metadata;
	struct nono__ports udp_connect;
	struct nono__ports udp_bind;
	nono_kernel_log kernel_log;
	/* nono_caps_set_keep_fds: grants keep their O_PATH descriptor, as
	 * long as it is below fd_limit (0: not known yet). */
	bool keep_fds;
	int fd_limit;
	/* The origin of what is added next (nono_caps_set_origin), and the
	 * file names origins point into. */
	struct nono__origin cur_origin;
	struct nono__strv origin_files;
};

/* The names of each mode, indexed by value: what nono_unix_mode_str,
 * nono_kernel_log_str and nono_scope_mode_str give, and what the state
 * JSON reads back. */
extern const char *const nono__unix_mode_names[4];
extern const char *const nono__kernel_log_names[3];
extern const char *const nono__scope_mode_names[3];

/* The file an origin names, or NULL when it names none. */
const char *nono__origin_file(const struct nono_caps *caps,
			      const struct nono__origin *o);

/* Whether the set has port exceptions of any kind (TCP or UDP). */
bool nono__caps_has_ports(const struct nono_caps *caps);

/* Whether `file` (canonical) is withheld from execution: the block list
 * resolved to it and the allow list did not. */
bool nono__caps_file_blocked(const struct nono_caps *caps, const char *file);

/*
 * Closes an open_memstream() stream and returns its buffer, or frees the
 * buffer and returns NULL when anything written to it failed (out of
 * memory). `bufp` is the pointer given to open_memstream(), which fclose()
 * updates: it is read only after the stream is closed.
 */
char *nono__memstream_finish(FILE *f, char **bufp);

/* Fills a diag (which may be NULL) and returns code. printf-style. */
int nono__diag_set(nono_diag *diag, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As nono__diag_set, for a failed system call: records the step and its
 * errno `err` in the diag too, for callers that must tell causes apart. */
int nono__diag_set_sys(nono_diag *diag, int code, nono_step step, int err,
		       const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* As nono__diag_set, with the file and line. */
int nono__diag_set_at(nono_diag *diag, int code, const char *file,
		      unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Canonicalises `path` into a new string (free()): realpath(3) on the
 * whole path. Returns 0, NONO_ENOENT, NONO_ECANON or NONO_ENOMEM.
 */
int nono__path_canonical(const char *path, char **out);

/*
 * Canonicalises as far as the path exists: the longest existing prefix
 * through realpath, the rest appended with "." and ".." folded lexically.
 * Used by queries, where the path need not exist. 0, NONO_EINVAL,
 * NONO_ENOMEM.
 */
int nono__path_canonical_lenient(const char *path, char **out);

/*
 * Opens `path` with O_PATH (and O_DIRECTORY when `want_dir`), refusing
 * any symbolic link on the way, when it is spelled as realpath(3) spells
 * a path (absolute, no ".", "..", empty component or trailing slash): on
 * success the spelling is then the canonical path, found with one system
 * call. A path with symbolic links on the way is opened the same way
 * once each link met is spliced in (one readlink(2) per name up to the
 * link): *spliced is then the canonical spelling (free()), and the
 * descriptor is what that spelling names. Returns 0 with the descriptor
 * (close-on-exec) in *fd, NONO_ENOENT where realpath would fail with
 * ENOENT too (a name missing before any symlink), NONO_ENOMEM, or -1
 * whenever the caller must take the full path (any other error, a kernel
 * or filter without openat2): the full path then gives the exact answer,
 * errors included.
 */
int nono__path_open_plain(const char *path, bool want_dir, int *fd,
			  char **spliced);

/* Closes fds[0..n), the caller's own, sorted in place: one close_range(2)
 * per run of consecutive numbers. */
void nono__fds_close(int *fds, size_t n);

/* Closes the descriptors the grants keep (nono__fs_entry.fd >= 0), as
 * nono__fds_close does. */
void nono__path_close_fds(const struct nono__fs_entry *fs, size_t n);

#endif /* NONO_CAPS_INTERNAL_H */
