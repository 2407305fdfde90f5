// SPDX-License-Identifier: Apache-2.0
/* Path canonicalisation and prefix tests shared by caps, queries and state. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caps-internal.h"

static int errno_to_nono(int err)
{
	switch (err) {
	case ENOENT:
		return NONO_ENOENT;
	case ENOTDIR:
		/* A component of the path is not a directory: nothing exists
		 * under that name, as nono reports it. */
		return NONO_ENOENT;
	case ENOMEM:
		return NONO_ENOMEM;
	default:
		return NONO_ECANON;
	}
}

int nono_path_canonical(const char *path, char **out)
{
	if (!path || !*path || !out)
		return NONO_EINVAL;
	char *r = realpath(path, NULL);
	if (!r)
		return errno_to_nono(errno);
	*out = r;
	return 0;
}

/* Appends component `c` (length n) to the absolute path in buf, folding
 * "." and "..". buf has room for PATH_MAX bytes. */
static int push_component(char *buf, size_t *len, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return 0;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*len > 1 && buf[*len - 1] != '/')
			(*len)--;
		if (*len > 1)
			(*len)--;
		buf[*len] = '\0';
		return 0;
	}
	size_t need = *len + (*len > 1 ? 1 : 0) + n;
	if (need >= PATH_MAX)
		return NONO_EINVAL;
	if (*len > 1)
		buf[(*len)++] = '/';
	memcpy(buf + *len, c, n);
	*len += n;
	buf[*len] = '\0';
	return 0;
}

int nono_path_canonical_lenient(const char *path, char **out)
{
	if (!path || !*path || !out)
		return NONO_EINVAL;
	if (strlen(path) >= PATH_MAX)
		return NONO_EINVAL;

	char abs[2 * PATH_MAX];
	if (path[0] == '/') {
		strcpy(abs, path);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return NONO_ECANON;
		snprintf(abs, sizeof(abs), "%s/%s", cwd, path);
	}

	/* Resolve the longest prefix that exists, exactly as the kernel
	 * would walk it (symlinks before ".."), then fold the missing tail
	 * lexically on top: a name that does not exist cannot be a link. */
	size_t cut = strlen(abs);
	char *resolved = NULL;
	for (;;) {
		char saved = abs[cut];
		abs[cut] = '\0';
		resolved = realpath(cut ? abs : "/", NULL);
		abs[cut] = saved;
		if (resolved)
			break;
		if (errno == ENOMEM)
			return NONO_ENOMEM;
		if (cut == 0)
			return NONO_ECANON;
		while (cut > 0 && abs[cut - 1] != '/')
			cut--;
		while (cut > 0 && abs[cut - 1] == '/')
			cut--;
	}

	char *buf = malloc(PATH_MAX);
	if (!buf) {
		free(resolved);
		return NONO_ENOMEM;
	}
	size_t len = strlen(resolved);
	memcpy(buf, resolved, len + 1);
	free(resolved);
	int rc = 0;
	for (const char *p = abs + cut; *p && rc == 0;) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		rc = push_component(buf, &len, p, (size_t)(e - p));
		p = e;
	}
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

bool nono_path_is_beneath(const char *path, const char *dir)
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
