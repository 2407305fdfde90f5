/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Landlock user-space API as far as libnono uses it, for systems whose
 * kernel headers are older than the kernel they run on. Debian 12 ships the
 * 6.1 UAPI headers (Landlock ABI 1 and 2), while its machines commonly run
 * kernels with ABI 7 or newer.
 *
 * Every definition below is guarded, so that a newer <linux/landlock.h> (or
 * a libc that grows wrappers) wins. The values were checked against the
 * kernel's include/uapi/linux/landlock.h: up to ABI 8 in linux-next, ABI
 * 9 and 10 at commit e61247a2e694 ("landlock: Add UDP send+connect access
 * control", June 2026), whose comments also name the ABI of each right.
 * See the comment on each group for the ABI that introduced it.
 *
 * Only core/landlock.c includes this file.
 */
#ifndef NONO_LANDLOCK_COMPAT_H
#define NONO_LANDLOCK_COMPAT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/landlock.h>
#include <linux/types.h>

/* landlock_create_ruleset() flags. */
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif

/* Filesystem rights: bits 0 to 12 are ABI 1 and are in every header that
 * has <linux/landlock.h> at all. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13) /* ABI 2 */
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#endif
/* Connecting and sending to pathname UNIX sockets, judged by the path of
 * the socket file ("available since the ninth version"). */
#ifndef LANDLOCK_ACCESS_FS_RESOLVE_UNIX
#define LANDLOCK_ACCESS_FS_RESOLVE_UNIX (1ULL << 16) /* ABI 9 */
#endif

/*
 * Network rules (ABI 4). The header that introduced the two TCP rights
 * also introduced the rule type and its attribute, so the rights' macro
 * tells us whether those exist.
 */
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
/* A value of enum landlock_rule_type, which an old header ends at 1. */
#define LANDLOCK_RULE_NET_PORT 2

struct landlock_net_port_attr {
	__u64 allowed_access;
	__u64 port; /* host byte order */
};
#endif

/*
 * UDP (ABI 10, "Support added in Landlock ABI version 10"): binding a
 * local port, and setting the remote port (connect()) or sending to an
 * explicit remote port. Sending auto-binds an unbound socket, which the
 * kernel checks as BIND_UDP on port 0 (an ephemeral port).
 */
#ifndef LANDLOCK_ACCESS_NET_BIND_UDP
#define LANDLOCK_ACCESS_NET_BIND_UDP (1ULL << 2)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP
#define LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP (1ULL << 3)
#endif

/*
 * landlock_add_rule() flag (ABI 10, merged with the UDP rights as "landlock:
 * Add API support and docs for the quiet flags"): denials of what the rule
 * covers are not audit-logged, for the rights named in the quiet_* fields
 * that the same series appends to struct landlock_ruleset_attr. The value
 * is the one of every posted version of the series (v4 to v8); the merged
 * header itself was not available to check. libnono does not use it yet
 * (docs/threat-model.md), so it is defined for reference only.
 */
#ifndef LANDLOCK_ADD_RULE_QUIET
#define LANDLOCK_ADD_RULE_QUIET (1U << 0)
#endif

/* Scopes (ABI 6): IPC that leaves the Landlock domain. */
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* landlock_restrict_self() flags: audit logging (ABI 7) and thread
 * synchronisation (ABI 8). */
#ifndef LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON
#define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF
#define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)
#endif
#ifndef LANDLOCK_RESTRICT_SELF_TSYNC
#define LANDLOCK_RESTRICT_SELF_TSYNC (1U << 3)
#endif

/*
 * The ruleset attribute with every field up to ABI 6. It has its own name
 * because struct landlock_ruleset_attr cannot be redefined where an old
 * header already declares it with only handled_access_fs. The kernel reads
 * the struct by the size it is given and requires any bytes it does not
 * know to be zero, so the caller passes the size the running ABI knows
 * (nono__ll_ruleset_attr_size) and this layout stays valid whatever the
 * header says.
 */
struct nono__ll_ruleset_attr {
	__u64 handled_access_fs;
	__u64 handled_access_net; /* ABI 4 */
	__u64 scoped;		  /* ABI 6 */
};

/* The number of bytes of struct nono__ll_ruleset_attr that Landlock ABI
 * `abi` reads. */
static inline size_t nono__ll_ruleset_attr_size(int abi)
{
	if (abi >= 6)
		return offsetof(struct nono__ll_ruleset_attr, scoped) +
		       sizeof(__u64);
	if (abi >= 4)
		return offsetof(struct nono__ll_ruleset_attr,
				handled_access_net) +
		       sizeof(__u64);
	return sizeof(__u64);
}

/*
 * Thin system call wrappers. glibc and musl have none; their names carry
 * our prefix so that a libc which adds its own can never clash with them.
 * Where the headers lack a system call number, the call fails as a kernel
 * without Landlock would.
 */
static inline int nono__ll_create_ruleset(const void *attr, size_t size,
					  __u32 flags)
{
#ifdef __NR_landlock_create_ruleset
	return (int)syscall(__NR_landlock_create_ruleset, attr, size, flags);
#else
	(void)attr;
	(void)size;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

static inline int nono__ll_add_rule(int ruleset_fd, int rule_type,
				    const void *rule_attr, __u32 flags)
{
#ifdef __NR_landlock_add_rule
	return (int)syscall(__NR_landlock_add_rule, ruleset_fd, rule_type,
			    rule_attr, flags);
#else
	(void)ruleset_fd;
	(void)rule_type;
	(void)rule_attr;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

static inline int nono__ll_restrict_self(int ruleset_fd, __u32 flags)
{
#ifdef __NR_landlock_restrict_self
	return (int)syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
#else
	(void)ruleset_fd;
	(void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

#endif /* NONO_LANDLOCK_COMPAT_H */
