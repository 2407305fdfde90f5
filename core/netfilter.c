// SPDX-License-Identifier: Apache-2.0
/*
 * A seccomp filter, built with libseccomp, that refuses the socket kinds
 * Landlock does not see. It is a deny list over an allow-by-default
 * filter: the program keeps every other system call, and each refused
 * call fails with EACCES (EPERM for io_uring_setup), never a signal.
 *
 * Arguments are compared as the kernel's 64-bit registers. A value with
 * garbage in its upper half fails the equality tests for the families we
 * let through and is caught by the "greater than" rules, so it is refused
 * rather than slipping past.
 */
#include <errno.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "netfilter.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* Socket families are small numbers (AF_MAX is 46 on Linux 6.x); every
 * value from here up is refused by one rule. */
#define NF_FAMILY_LIMIT 64
/* The socket type lives in the low four bits; the rest are flags
 * (SOCK_NONBLOCK, SOCK_CLOEXEC). */
#define NF_TYPE_MASK 0xfu

struct nono_netfilter {
	scmp_filter_ctx ctx;
};

static int deny_family(scmp_filter_ctx ctx, int syscall, unsigned family)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), syscall, 1,
				SCMP_A0(SCMP_CMP_EQ, family));
}

/* For AF_INET or AF_INET6 with TCP allowed: refuse every type but
 * SOCK_STREAM and every protocol but 0 and IPPROTO_TCP (which rules out
 * SCTP and multipath TCP, both of which Landlock's TCP rules miss). */
static int deny_non_tcp(scmp_filter_ctx ctx, unsigned family)
{
	int rc = 0;
	for (unsigned t = 0; t <= NF_TYPE_MASK && rc == 0; t++) {
		if (t == SOCK_STREAM)
			continue;
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 2,
				      SCMP_A0(SCMP_CMP_EQ, family),
				      SCMP_A1(SCMP_CMP_MASKED_EQ, NF_TYPE_MASK,
					      t));
	}
	for (unsigned p = 1; p < IPPROTO_TCP && rc == 0; p++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 2,
				      SCMP_A0(SCMP_CMP_EQ, family),
				      SCMP_A2(SCMP_CMP_EQ, p));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 2,
				      SCMP_A0(SCMP_CMP_EQ, family),
				      SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP));
	return rc;
}

int nono_netfilter_build(bool allow_tcp, struct nono_netfilter **out,
			 nono_diag *diag)
{
	struct nono_netfilter *nf = calloc(1, sizeof(*nf));
	if (!nf)
		return NONO_ENOMEM;
	const char *step = "seccomp_init";
	int rc = 0;

	nf->ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!nf->ctx) {
		free(nf);
		return nono_diag_set(diag, NONO_EAPPLY,
				     "seccomp_init failed while building the "
				     "network filter");
	}
	/* A system call from another architecture (the 32-bit entry points
	 * of x86-64, for one) would bypass the rules: kill it. */
	step = "setting the bad-architecture action";
	rc = seccomp_attr_set(nf->ctx, SCMP_FLTATR_ACT_BADARCH,
			      SCMP_ACT_KILL_PROCESS);
	if (rc)
		goto fail;

	step = "adding socket rules";
	for (unsigned fam = 0; fam < NF_FAMILY_LIMIT && rc == 0; fam++) {
		if (fam == AF_UNIX)
			continue;
		rc = deny_family(nf->ctx, SCMP_SYS(socketpair), fam);
		if (rc == 0 && !(allow_tcp && (fam == AF_INET || fam == AF_INET6)))
			rc = deny_family(nf->ctx, SCMP_SYS(socket), fam);
	}
	if (rc == 0)
		rc = seccomp_rule_add(nf->ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_GE, NF_FAMILY_LIMIT));
	if (rc == 0)
		rc = seccomp_rule_add(nf->ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socketpair), 1,
				      SCMP_A0(SCMP_CMP_GE, NF_FAMILY_LIMIT));
	if (rc == 0 && allow_tcp)
		rc = deny_non_tcp(nf->ctx, AF_INET);
	if (rc == 0 && allow_tcp)
		rc = deny_non_tcp(nf->ctx, AF_INET6);
	if (rc)
		goto fail;

	step = "adding the io_uring rule";
	rc = seccomp_rule_add(nf->ctx, SCMP_ACT_ERRNO(EPERM),
			      SCMP_SYS(io_uring_setup), 0);
	if (rc)
		goto fail;

	*out = nf;
	return 0;
fail:
	seccomp_release(nf->ctx);
	free(nf);
	return nono_diag_set(diag, NONO_EAPPLY,
			     "building the network filter: %s: %s", step,
			     strerror(-rc));
}

int nono_netfilter_load(struct nono_netfilter *nf, bool all_threads,
			nono_diag *diag)
{
	int rc = 0;
	if (all_threads)
		rc = seccomp_attr_set(nf->ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (rc == 0)
		rc = seccomp_load(nf->ctx);
	if (rc)
		return nono_diag_set(diag, NONO_EAPPLY,
				     "loading the network filter (seccomp): %s",
				     strerror(-rc));
	return 0;
}

void nono_netfilter_free(struct nono_netfilter *nf)
{
	if (!nf)
		return;
	seccomp_release(nf->ctx);
	free(nf);
}
