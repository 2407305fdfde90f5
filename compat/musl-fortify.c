// SPDX-License-Identifier: Apache-2.0
/*
 * glibc's fortified functions, for the musl build (docs/musl.md).
 *
 * The musl build links Debian's own static archives of json-c and
 * libseccomp, which were compiled against glibc with _FORTIFY_SOURCE: where
 * the compiler knew the size of a buffer, it replaced printf-family and
 * string calls with glibc's checking variants (__snprintf_chk and the
 * rest). musl has no such functions, so without this file the link fails
 * with undefined references; `nm -u` on an archive lists what it needs.
 *
 * Each function here makes the check the glibc one makes, ends the process
 * the way a failed check does there (abort(), where glibc calls
 * __chk_fail()), then calls the plain function. The `flag` argument asks
 * glibc to refuse "%n" in writable format strings; musl's printf has no
 * such mode, so it is ignored, which is what an unfortified build does.
 *
 * meson.build compiles this file into every target that links those
 * archives (as a source of the json-c dependency, so that the objects are
 * always there, whatever the order of archives on the link line) and only
 * in the musl build: in a glibc program these names would interpose on
 * glibc's own.
 */
#if defined(__GLIBC__)
#error "compat/musl-fortify.c is for the musl build only"
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

int __fprintf_chk(FILE *stream, int flag, const char *format, ...);
int __vfprintf_chk(FILE *stream, int flag, const char *format, va_list ap);
int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		   const char *format, ...);
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		    const char *format, va_list ap);
int __vasprintf_chk(char **strp, int flag, const char *format, va_list ap);
char *__strcat_chk(char *dest, const char *src, size_t destlen);
void __vsyslog_chk(int priority, int flag, const char *format, va_list ap);

int __vfprintf_chk(FILE *stream, int flag, const char *format, va_list ap)
{
	(void)flag;
	return vfprintf(stream, format, ap);
}

int __fprintf_chk(FILE *stream, int flag, const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = __vfprintf_chk(stream, flag, format, ap);
	va_end(ap);
	return n;
}

/* `slen` is the size of the buffer as the compiler saw it: a caller that
 * claims more room than that is about to overflow it. */
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		    const char *format, va_list ap)
{
	(void)flag;
	if (slen < maxlen)
		abort();
	return vsnprintf(s, maxlen, format, ap);
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen,
		   const char *format, ...)
{
	va_list ap;
	int n;

	va_start(ap, format);
	n = __vsnprintf_chk(s, maxlen, flag, slen, format, ap);
	va_end(ap);
	return n;
}

int __vasprintf_chk(char **strp, int flag, const char *format, va_list ap)
{
	(void)flag;
	return vasprintf(strp, format, ap);
}

/* `destlen` is the size of `dest` as the compiler saw it. */
char *__strcat_chk(char *dest, const char *src, size_t destlen)
{
	size_t used = strnlen(dest, destlen);

	if (used == destlen || strlen(src) >= destlen - used)
		abort();
	return strcat(dest, src);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap)
{
	(void)flag;
	vsyslog(priority, format, ap);
}
