// SPDX-License-Identifier: Apache-2.0
/*
 * The built-in profiles. They are policy text, parsed by the loader like any
 * file (under the name "<builtin:NAME>"), so that they obey every rule a
 * user's file does and their errors read the same way.
 */
#include "profiles.h"

#include <string.h>

/*
 * musl's dynamic loader reads its library search path from
 * /etc/ld-musl-<arch>.path; where that file exists but cannot be read, it
 * searches no directory at all, so that every library a musl program
 * loads by name goes missing (docs/musl.md). <arch> is musl's name for the
 * CPU this code is built for; a CPU not listed here gets no grant.
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

#ifdef PROFILE_MUSL_ARCH
#define PROFILE_MUSL_PATH \
	"read_file = -/etc/ld-musl-" PROFILE_MUSL_ARCH ".path\n"
#else
#define PROFILE_MUSL_PATH ""
#endif

/*
 * What a dynamically linked program needs to start (the loader, its cache
 * and configuration, the libraries), find its locale and time zone, check
 * TLS certificates, look up users and hosts the way glibc does, and use the
 * harmless devices. Anything that is not on every Linux system is optional
 * ('-'), so that the profile loads on Debian, Fedora and minimal
 * containers alike; /bin, /sbin and /lib* are symlinks into /usr on
 * merged-/usr systems, which canonicalisation takes care of. /usr covers
 * /usr/share/zoneinfo, /usr/lib/locale and /usr/share/ca-certificates, which
 * /etc/localtime and /etc/ssl/certs point into.
 *
 * Deliberately absent: /proc (a program that only starts and runs, python3
 * included, does not need it), /etc/ssl as a whole (it holds
 * /etc/ssl/private), /tmp, $HOME and any write access but /dev/null and
 * /dev/tty.
 */
static const char system_profile[] =
	"# Built-in profile 'system'.\n"
	"[policy]\n"
	"version = 1\n"
	"\n"
	"[filesystem]\n"
	"# Programs and libraries.\n"
	"read = /usr\n"
	"read = -/bin\n"
	"read = -/sbin\n"
	"read = -/lib\n"
	"read = -/lib64\n"
	"read = -/lib32\n"
	"read = -/libx32\n"
	"# The dynamic loader's cache and configuration.\n"
	"read_file = -/etc/ld.so.cache\n"
	"read_file = -/etc/ld.so.conf\n"
	"read = -/etc/ld.so.conf.d\n"
	"read_file = -/etc/ld.so.preload\n" PROFILE_MUSL_PATH
	"# Locale and time zone.\n"
	"read_file = -/etc/locale.alias\n"
	"read_file = -/etc/locale.conf\n"
	"read_file = -/etc/default/locale\n"
	"read_file = -/etc/localtime\n"
	"read_file = -/etc/timezone\n"
	"# CA certificates and the OpenSSL configuration.\n"
	"read = -/etc/ssl/certs\n"
	"read_file = -/etc/ssl/openssl.cnf\n"
	"read = -/etc/ca-certificates\n"
	"read_file = -/etc/ca-certificates.conf\n"
	"read = -/etc/pki/tls/certs\n"
	"read = -/etc/pki/ca-trust\n"
	"# Name service: users, groups, hosts, services.\n"
	"read_file = -/etc/nsswitch.conf\n"
	"read_file = -/etc/passwd\n"
	"read_file = -/etc/group\n"
	"read_file = -/etc/hosts\n"
	"read_file = -/etc/host.conf\n"
	"read_file = -/etc/resolv.conf\n"
	"read_file = -/etc/gai.conf\n"
	"read_file = -/etc/services\n"
	"read_file = -/etc/protocols\n"
	"# Devices every program may use.\n"
	"read_write_file = /dev/null\n"
	"read_file = /dev/zero\n"
	"read_file = /dev/urandom\n"
	"read_file = -/dev/random\n"
	"read_write_file = -/dev/tty\n";

const struct nono_profile nono_profiles[] = {
	{
		.name = "system",
		.doc = "What a dynamically linked program needs to start and "
		       "run: /usr and the library directories, loader, locale, "
		       "time zone, CA certificates, name service files, "
		       "/dev/null, /dev/zero, /dev/urandom, /dev/tty.",
		.text = system_profile,
	},
};

const size_t nono_profile_count =
	sizeof(nono_profiles) / sizeof(nono_profiles[0]);

const struct nono_profile *nono_profile_find(const char *name)
{
	for (size_t i = 0; i < nono_profile_count; i++) {
		if (strcmp(nono_profiles[i].name, name) == 0)
			return &nono_profiles[i];
	}
	return NULL;
}
