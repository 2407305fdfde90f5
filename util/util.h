/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one internal utility module: what core, conf, the shim and the CLI
 * each used to do for themselves. It depends on the C library only, is
 * never installed, and exports nothing from libnono (hidden visibility);
 * every part of the tree may include it, beside the public libnono.h.
 */
#ifndef NONO_UTIL_H
#define NONO_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The number of elements of an array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The name of value `v` in `names`, a table indexed by value (an enum's
 * names); NULL past its end. */
#define NONO_NAME_OF(names, v) \
	((size_t)(v) < ARRAY_SIZE(names) ? (names)[(size_t)(v)] : NULL)

/* ---- UTF-8 ---- */

/* What nono__utf8_next gives for an ill-formed sequence. */
#define NONO_UTF8_INVALID UINT32_MAX

/*
 * Decodes one UTF-8 sequence from s[0..n) (n >= 1). Returns the bytes it
 * takes and sets *cp (if not NULL) to the code point, or to
 * NONO_UTF8_INVALID for an ill-formed sequence, of which it takes the
 * maximal subpart (as Rust's from_utf8_lossy and WHATWG do). Overlong
 * forms, UTF-16 surrogates and code points past U+10FFFF are ill-formed.
 */
size_t nono__utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* ---- A growing string ---- */

/* Zero-initialise. After a failed allocation every later append is a
 * no-op and `oom` stays set, so the caller checks once, at the end. `p` is
 * NUL-terminated once anything was appended; the caller frees it. */
struct nono__sbuf {
	char *p;
	size_t len;
	size_t cap;
	bool oom;
};

void nono__sbuf_putn(struct nono__sbuf *b, const char *s, size_t n);
void nono__sbuf_puts(struct nono__sbuf *b, const char *s);
void nono__sbuf_printf(struct nono__sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- A growing array ---- */

/*
 * Makes room for one more element in the array `v` of `*cap` elements of
 * `size` bytes, `len` of them in use: returns `v` when there is room, else
 * `v` reallocated to twice its capacity (`first` elements when it has
 * none) with *cap updated. NULL when out of memory or the size would
 * overflow; `v` and *cap are then unchanged, and `v` is still the
 * caller's to free.
 */
void *nono__grow(void *v, size_t *cap, size_t len, size_t size, size_t first);

/* ---- Numbers as text ---- */

/* Room for the decimal digits of any unsigned int and a NUL. */
#define NONO_UTOA_SIZE (3 * sizeof(unsigned) + 1)

/*
 * Writes the decimal digits of `v` at the end of `buf` and returns where
 * they start: for text put together where printf's code must not run (a
 * child between fork and exec) or costs a start (the loader's notes).
 */
char *nono__utoa(unsigned v, char buf[NONO_UTOA_SIZE]);

/* ---- Hashing ---- */

/* Where a 64-bit FNV-1a hash starts (its offset basis). */
#define NONO_FNV1A_INIT UINT64_C(0xcbf29ce484222325)

/* 64-bit FNV-1a of data[0..len), continued from `hash`: a short stable
 * name for a longer one (not a defence against a chosen collision). */
uint64_t nono__fnv1a(uint64_t hash, const void *data, size_t len);

/* ---- Ports ---- */

/*
 * Parses a TCP or UDP port: decimal digits only (no sign, no blank),
 * 1..65535. Returns 0 and sets *port; -1 when the text is not a number;
 * -2 when it is one, out of range.
 */
int nono__port_parse(const char *text, unsigned *port);

/* ---- JSON ---- */

/*
 * Writes `str` as a JSON string, quotes included: '"', '\\' and control
 * characters escaped (the short forms JSON has, else \u00xx in lower-case
 * hex), and each ill-formed UTF-8 sequence as U+FFFD. With ascii_only,
 * as Python's json.dumps writes by default (what nono-py prints): every
 * character outside ' '..'~' escaped too (a surrogate pair beyond the
 * BMP); without, as serde_json writes (nono's state files): the rest as
 * it is. `f` is a FILE *, kept as void * so that util.h needs no stdio.
 */
void nono__json_put_string(void *f, const char *str, bool ascii_only);

/* ---- Paths ---- */

/* Whether directory `dir` (canonical) is `path` or a component-wise prefix
 * of it: "/tmp" covers "/tmp" and "/tmp/a", not "/tmpx"; "/" covers every
 * absolute path. false when either is NULL. The one beneath test of the
 * tree: grants, deny rules, queries, the loader's notes and the CLI. */
bool nono__path_is_beneath(const char *path, const char *dir);

/* ---- Writing ---- */

/* Whether `path` is spelled as realpath(3) spells a path: absolute,
 * shorter than PATH_MAX, without an empty, "." or ".." component or a
 * trailing slash ("/" itself is fine). Looks at the string only. */
bool nono__path_is_plain(const char *path);

/*
 * Opens `path` with O_PATH and O_CLOEXEC (and O_DIRECTORY when `want_dir`),
 * refusing any symbolic link on the way, when nono__path_is_plain(path).
 * Success then proves the spelling is the canonical path, with one system
 * call. Returns the descriptor, or -1 with errno: EINVAL for another
 * spelling, ENOSYS without openat2, and otherwise openat2's (ELOOP at a
 * symlink).
 */
int nono__open_plain(const char *path, bool want_dir);

/*
 * Writes all of buf[0..len) to fd, retrying after EINTR and short writes.
 * Returns 0, or -1 with errno set (EIO when write() wrote nothing).
 */
int nono__write_all(int fd, const void *buf, size_t len);

#endif
