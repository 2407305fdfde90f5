// SPDX-License-Identifier: Apache-2.0
/*
 * Path value expansion for policy files. Everything here is bounded by
 * PATH_MAX: a value that would expand past it is refused, never cut.
 */
#include "expand.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest variable name we look up; longer names are refused as invalid
 * rather than looked up after cutting. */
#define VAR_NAME_MAX 128

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Appends n bytes; false when the result would not fit with its NUL. */
static bool put(struct nono__expanded *out, size_t *len, const char *s,
		size_t n)
{
	if (n >= sizeof(out->path) - *len)
		return false;
	memcpy(out->path + *len, s, n);
	*len += n;
	out->path[*len] = '\0';
	return true;
}

static bool var_name_ok(const char *name, size_t len)
{
	if (len == 0 || len > VAR_NAME_MAX)
		return false;
	if (!isalpha((unsigned char)name[0]) && name[0] != '_')
		return false;
	for (size_t i = 1; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return false;
	}
	return true;
}

int nono__expand_path(const char *value, struct nono__expanded *out, char *err,
		      size_t errlen)
{
	const char *p = value;
	size_t len = 0;

	if (errlen > 0)
		err[0] = '\0';
	out->path[0] = '\0';
	out->optional = false;
	if (!p || !*p)
		return fail(err, errlen, "empty path");
	if (*p == '-') {
		out->optional = true;
		p++;
		if (!*p)
			return fail(err, errlen, "empty path after '-'");
	}

	if (*p == '~') {
		const char *home;

		if (p[1] != '\0' && p[1] != '/')
			return fail(err, errlen,
				    "'~name' is not supported; write the "
				    "absolute path");
		home = getenv("HOME");
		if (!home || !*home)
			return fail(err, errlen, "'~' needs $HOME, which is %s",
				    home ? "empty" : "not set");
		if (!put(out, &len, home, strlen(home)))
			goto too_long;
		p++;
	}

	while (*p) {
		const char *dollar = strchr(p, '$');
		size_t n = dollar ? (size_t)(dollar - p) : strlen(p);

		if (!put(out, &len, p, n))
			goto too_long;
		if (!dollar)
			break;
		p = dollar;
		if (p[1] == '$') {
			if (!put(out, &len, "$", 1))
				goto too_long;
			p += 2;
		} else if (p[1] == '{') {
			const char *name = p + 2;
			const char *close = strchr(name, '}');
			char var[VAR_NAME_MAX + 1];
			const char *val;
			size_t nlen;

			if (!close)
				return fail(err, errlen,
					    "'${' without a closing '}'");
			nlen = (size_t)(close - name);
			if (!var_name_ok(name, nlen))
				return fail(err, errlen,
					    "invalid variable name '${%.*s}'",
					    (int)(nlen > 64 ? 64 : nlen), name);
			memcpy(var, name, nlen);
			var[nlen] = '\0';
			val = getenv(var);
			if (!val)
				return fail(err, errlen, "${%s} is not set",
					    var);
			if (!*val)
				return fail(err, errlen, "${%s} is empty", var);
			if (!put(out, &len, val, strlen(val)))
				goto too_long;
			p = close + 1;
		} else {
			return fail(err, errlen,
				    "'$' must start ${NAME} (write $$ for a "
				    "literal '$')");
		}
	}

	if (out->path[0] != '/')
		return fail(err, errlen,
			    "relative path (paths must be absolute)");
	return 0;

too_long:
	out->path[0] = '\0';
	return fail(err, errlen, "path longer than %d bytes", PATH_MAX - 1);
}
