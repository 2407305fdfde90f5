/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Path values in policy files: the optional marker, `~`, `${NAME}` and the
 * rule that a path is absolute (docs/policy.md, "Values").
 */
#ifndef NONO_CONF_EXPAND_H
#define NONO_CONF_EXPAND_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct nono__expanded {
	char path[PATH_MAX]; /* absolute, NUL-terminated */
	bool optional;	     /* the value began with '-' */
};

/*
 * Expands `value`:
 *  - a leading '-' marks the path optional and is removed;
 *  - `~` alone or `~/...` at the start takes $HOME (unset or empty: error);
 *    `~name` is an error;
 *  - `${NAME}` takes the environment variable NAME (unset or empty: error;
 *    `${` without `}` or a bad name: error); `$$` is one literal '$'; any
 *    other '$' is an error, so that `$HOME/x` cannot pass for a path;
 *  - the result must be absolute and shorter than PATH_MAX.
 * Returns 0, or -1 with a one-line reason in err (always NUL-terminated
 * when errlen > 0). The environment is read with getenv().
 */
int nono__expand_path(const char *value, struct nono__expanded *out, char *err,
		      size_t errlen);

#endif /* NONO_CONF_EXPAND_H */
