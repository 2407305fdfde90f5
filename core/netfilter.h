/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp half of network blocking on Linux. Landlock restricts TCP
 * bind and connect only; this filter refuses to create sockets of every
 * other kind, so UDP, ICMP, raw, packet, netlink, SCTP and multipath TCP
 * cannot be used at all. Only landlock.c calls it.
 */
#ifndef NONO_NETFILTER_H
#define NONO_NETFILTER_H

#include <stdbool.h>

#include "caps-internal.h"

/*
 * Loads the filter into the calling thread, or every thread with
 * all_threads. With allow_tcp, TCP sockets (AF_INET/AF_INET6, SOCK_STREAM,
 * protocol 0 or IPPROTO_TCP) may still be created, for Landlock's port
 * rules to decide; otherwise only AF_UNIX sockets may. io_uring_setup is
 * refused either way, since io_uring operations are not seen by this
 * filter. The program is built at build time (netfilter-gen.c), so this
 * allocates nothing. no_new_privs must already be set. Returns 0 or
 * NONO_EAPPLY.
 */
int nono_netfilter_load(bool allow_tcp, bool all_threads, nono_diag *diag);

#endif
