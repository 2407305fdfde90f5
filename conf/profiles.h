/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Built-in profiles: policy text compiled into the library, named by a bare
 * word in `include = ...` and loaded by the same loader as a file.
 */
#ifndef NONO_CONF_PROFILES_H
#define NONO_CONF_PROFILES_H

#include <stddef.h>

struct nono__profile {
	const char *name; /* the bare word: "system" */
	const char *doc;  /* one line */
	const char *text; /* INI, format 1 */
};

extern const struct nono__profile nono__profiles[];
extern const size_t nono__profile_count;

/* The profile called `name`, or NULL. */
const struct nono__profile *nono__profile_find(const char *name);

#endif /* NONO_CONF_PROFILES_H */
