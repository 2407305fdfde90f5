// SPDX-License-Identifier: Apache-2.0
/* The internal utility module: util.h says what each function does. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
/* Not every target that compiles this file sees the kernel's headers (a
 * musl build's tools do not): without them, no fast path. */
#if defined(SYS_openat2) && __has_include(<linux/openat2.h>)
#define UTIL_HAVE_OPENAT2 1
#include <linux/openat2.h>
#endif

size_t nono__utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b0 = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	uint32_t dummy, c;
	size_t need, i;

	if (!cp)
		cp = &dummy;
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 1;
		c = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 2;
		c = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0; /* no overlong form */
		else if (b0 == 0xed)
			hi = 0x9f; /* no surrogate */
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 3;
		c = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90; /* no overlong form */
		else if (b0 == 0xf4)
			hi = 0x8f; /* nothing past U+10FFFF */
	} else {
		*cp = NONO_UTF8_INVALID;
		return 1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = NONO_UTF8_INVALID;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return i;
}

static bool sbuf_reserve(struct nono__sbuf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return false;
	if (extra > SIZE_MAX - b->len - 1) {
		b->oom = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 1024;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void nono__sbuf_putn(struct nono__sbuf *b, const char *s, size_t n)
{
	if (!sbuf_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void nono__sbuf_puts(struct nono__sbuf *b, const char *s)
{
	nono__sbuf_putn(b, s, strlen(s));
}

void nono__sbuf_printf(struct nono__sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!sbuf_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void *nono__grow(void *v, size_t *cap, size_t len, size_t size, size_t first)
{
	size_t want = *cap ? *cap * 2 : first;

	if (len < *cap)
		return v;
	if (want < *cap || want > SIZE_MAX / size)
		return NULL;
	v = realloc(v, want * size);
	if (v)
		*cap = want;
	return v;
}

char *nono__utoa(unsigned v, char buf[NONO_UTOA_SIZE])
{
	char *o = buf + NONO_UTOA_SIZE - 1;

	*o = '\0';
	do
		*--o = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return o;
}

uint64_t nono__fnv1a(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		hash ^= p[i];
		hash *= UINT64_C(0x100000001b3);
	}
	return hash;
}

int nono__port_parse(const char *text, unsigned *port)
{
	size_t n = strspn(text, "0123456789");
	unsigned long v;

	if (n == 0 || text[n] != '\0')
		return -1;
	/* More than five digits is out of range whatever they are. */
	v = n > 5 ? 100000 : strtoul(text, NULL, 10);
	if (v < 1 || v > 65535)
		return -2;
	*port = (unsigned)v;
	return 0;
}

int nono__write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

bool nono__path_is_plain(const char *path)
{
	if (path[0] != '/' || strlen(path) >= PATH_MAX)
		return false;
	if (path[1] == '\0')
		return true;
	for (const char *p = path; *p;) {
		const char *c = p + 1, *e = c;

		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - c);
		if (n == 0 || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		p = e;
	}
	return true;
}

int nono__open_plain(const char *path, bool want_dir)
{
	if (!nono__path_is_plain(path)) {
		errno = EINVAL;
		return -1;
	}
#ifdef UTIL_HAVE_OPENAT2
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | (want_dir ? O_DIRECTORY : 0),
		.resolve = RESOLVE_NO_SYMLINKS,
	};

	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
#else
	(void)want_dir;
	errno = ENOSYS;
	return -1;
#endif
}

bool nono__path_is_beneath(const char *path, const char *dir)
{
	if (!path || !dir)
		return false;
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	if (strncmp(path, dir, n) != 0)
		return false;
	return path[n] == '\0' || path[n] == '/';
}

/* The short escape JSON has for `cp`, or NULL. */
static const char *json_short_escape(uint32_t cp)
{
	switch (cp) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	}
	return NULL;
}

void nono__json_put_string(void *stream, const char *str, bool ascii_only)
{
	FILE *f = stream;
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	fputc('"', f);
	while (n > 0) {
		uint32_t cp;
		size_t used = nono__utf8_next(s, n, &cp);
		const char *esc = json_short_escape(cp);
		bool bad = cp == NONO_UTF8_INVALID;

		if (bad)
			cp = 0xfffd;
		if (esc) {
			fputs(esc, f);
		} else if (cp < 0x20 || (ascii_only && cp > 0x7e)) {
			if (cp < 0x10000) {
				fprintf(f, "\\u%04x", (unsigned)cp);
			} else {
				cp -= 0x10000;
				fprintf(f, "\\u%04x\\u%04x",
					(unsigned)(0xd800 | (cp >> 10)),
					(unsigned)(0xdc00 | (cp & 0x3ff)));
			}
		} else if (bad) {
			fputs("\xef\xbf\xbd", f);
		} else {
			fwrite(s, 1, used, f);
		}
		s += used;
		n -= used;
	}
	fputc('"', f);
}
