// SPDX-License-Identifier: Apache-2.0
/*
 * How the shim speaks: compiled into both of its objects (shim.h). It never
 * uses stdio streams (the program's buffers are not ours): every message is
 * one write(2) to fd 2.
 */
#include <stdarg.h>
#include <stdio.h> /* vsnprintf only: no FILE streams. */
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "util.h"

/* The longest line the shim writes; a longer one is cut. */
#define SHIM_LINE_MAX 4096

/* Until NONO_LOG has been read, only errors are written. */
enum shim_level shim_level = SHIM_LOG_ERROR;

/*
 * Writes "nono: <message>\n" in a single write(2), so that lines from
 * several processes under the same shim do not interleave. Control
 * characters in the message (a newline in a file name, say) become '?', so
 * that a message is always exactly one line.
 */
static void shim_vsay(const char *fmt, va_list ap)
{
	static const char prefix[] = "nono: ";
	char line[SHIM_LINE_MAX];
	size_t len = sizeof(prefix) - 1;
	int n;

	memcpy(line, prefix, len);
	n = vsnprintf(line + len, sizeof(line) - len - 1, fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(line) - len - 2)
		n = (int)(sizeof(line) - len - 2);
	for (size_t i = len; i < len + (size_t)n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f)
			line[i] = '?';
	}
	len += (size_t)n;
	line[len++] = '\n';
	/* Nowhere to report a closed or full stderr: no check. */
	(void)nono__write_all(STDERR_FILENO, line, len);
}

void shim_log(enum shim_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > shim_level)
		return;
	va_start(ap, fmt);
	shim_vsay(fmt, ap);
	va_end(ap);
}

void shim_log_lines(enum shim_level level, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");

		if (n > 0)
			shim_log(level, "%.*s", (int)n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

/*
 * _exit(), not exit(): the program's atexit handlers and stdio buffers
 * belong to a program that never ran.
 */
_Noreturn void shim_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	shim_vsay(fmt, ap);
	va_end(ap);
	_exit(SHIM_EXIT_REFUSED);
}
