// SPDX-License-Identifier: Apache-2.0
/*
 * The built-in profiles. They are policy text, parsed by the loader like any
 * file (under the name "<builtin:NAME>"), so that they obey every rule a
 * user's file does and their errors read the same way. Each is one file in
 * conf/profiles/, compiled in by conf/gen-profiles.py: that file is the one
 * place a profile is written, and what its comments say is what the docs
 * and `nono check --profiles` say.
 */
#include "profiles.h"
#include "util.h"

#include <string.h>

/*
 * musl's dynamic loader reads its library search path from
 * /etc/ld-musl-<arch>.path; where that file exists but cannot be read, it
 * searches no directory at all, so that every library a musl program
 * loads by name goes missing (docs/musl.md). <arch> is musl's name for the
 * CPU this code is built for, put where a profile says @MUSL_ARCH@; a CPU
 * not listed here gets no grant.
 */
#if defined(__x86_64__) && defined(__ILP32__)
#define PROFILE_MUSL_ARCH "x32"
#elif defined(__x86_64__)
#define PROFILE_MUSL_ARCH "x86_64"
#elif defined(__i386__)
#define PROFILE_MUSL_ARCH "i386"
#elif defined(__aarch64__) && defined(__AARCH64EB__)
#define PROFILE_MUSL_ARCH "aarch64_be"
#elif defined(__aarch64__)
#define PROFILE_MUSL_ARCH "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define PROFILE_MUSL_ARCH "riscv64"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PROFILE_MUSL_ARCH "powerpc64le"
#elif defined(__s390x__)
#define PROFILE_MUSL_ARCH "s390x"
#endif

/* The profiles themselves, generated from conf/profiles/NAME.ini. */
#include "profiles-data.h"

const size_t nono__profile_count = ARRAY_SIZE(nono__profiles);

const struct nono__profile *nono__profile_find(const char *name)
{
	for (size_t i = 0; i < nono__profile_count; i++) {
		if (strcmp(nono__profiles[i].name, name) == 0)
			return &nono__profiles[i];
	}
	return NULL;
}
