// SPDX-License-Identifier: Apache-2.0
/* Error names, diagnostics, and the one free function for returned strings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps-internal.h"

NONO_API const char *nono_strerror(int code)
{
	switch (code) {
	case NONO_OK:
		return "success";
#define NONO_ERR_CASE_(name, value, msg) \
	case name:                       \
		return msg;
		NONO_ERRORS(NONO_ERR_CASE_)
#undef NONO_ERR_CASE_
	default:
		return "unknown error";
	}
}

NONO_API void nono_diag_clear(nono_diag *diag)
{
	if (!diag)
		return;
	memset(diag, 0, sizeof(*diag));
}

NONO_API void nono_free(void *ptr)
{
	free(ptr);
}

char *nono__memstream_finish(FILE *f, char **bufp)
{
	bool failed = ferror(f) != 0;

	/* fclose() writes the final buffer through bufp. */
	if (fclose(f) != 0 || failed) {
		free(*bufp);
		*bufp = NULL;
		return NULL;
	}
	return *bufp;
}

/* Copies src into a fixed buffer; a name that does not fit ends in "...",
 * so a cut file name is never mistaken for a real one. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
	size_t len = strlen(src);
	if (len < cap) {
		memcpy(dst, src, len + 1);
		return;
	}
	memcpy(dst, src, cap - 4);
	memcpy(dst + cap - 4, "...", 4);
}

static int diag_vset(nono_diag *diag, int code, const char *file, unsigned line,
		     const char *fmt, va_list ap)
{
	if (!diag)
		return code;
	diag->code = code;
	diag->line = line;
	diag->step = NONO_STEP_NONE;
	diag->sys_errno = 0;
	copy_cut(diag->file, sizeof(diag->file), file ? file : "");
	int n = vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
	if (n >= (int)sizeof(diag->message))
		memcpy(diag->message + sizeof(diag->message) - 4, "...", 4);
	return code;
}

int nono__diag_set(nono_diag *diag, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vset(diag, code, NULL, 0, fmt, ap);
	va_end(ap);
	return code;
}

int nono__diag_set_at(nono_diag *diag, int code, const char *file,
		      unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vset(diag, code, file, line, fmt, ap);
	va_end(ap);
	return code;
}

int nono__diag_set_sys(nono_diag *diag, int code, nono_step step, int err,
		       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vset(diag, code, NULL, 0, fmt, ap);
	va_end(ap);
	if (diag) {
		diag->step = step;
		diag->sys_errno = err;
	}
	return code;
}

NONO_API const char *nono_step_str(nono_step step)
{
	switch (step) {
	case NONO_STEP_NONE:
		return "none";
	case NONO_STEP_READ_FILE:
		return "reading a policy file";
	case NONO_STEP_OPEN_PATH:
		return "opening a granted path";
	case NONO_STEP_CREATE_RULESET:
		return "landlock_create_ruleset";
	case NONO_STEP_ADD_RULE:
		return "landlock_add_rule";
	case NONO_STEP_NO_NEW_PRIVS:
		return "prctl(PR_SET_NO_NEW_PRIVS)";
	case NONO_STEP_RESTRICT_SELF:
		return "landlock_restrict_self";
	}
	return "unknown step";
}
