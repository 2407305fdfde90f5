// SPDX-License-Identifier: Apache-2.0
/*
 * The Landlock plan (core/landlock-plan.c) at every ABI, without the
 * kernel: what one policy yields at ABI 1 to 10 (and at an ABI newer than
 * libnono knows), row by row, and then one feature at a time. These are
 * the proof for the ABIs this machine's kernel does not have; the live
 * tests (test_abi_live.c) check the ABIs it has.
 *
 * The expected masks are spelled as numbers, not with the macros the plan
 * uses, so that a wrong constant there cannot agree with itself here. The
 * bits are the kernel's (include/uapi/linux/landlock.h) and filter.h's.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "filter.h"
#include "landlock-plan.h"

/* Filesystem rights: ABI 1 (bits 0-12), + REFER (ABI 2), + TRUNCATE
 * (ABI 3), + IOCTL_DEV (ABI 5), + RESOLVE_UNIX (ABI 9). */
#define FS1 0x1fffull
#define FS2 0x3fffull
#define FS3 0x7fffull
#define FS5 0xffffull
#define FS9 0x1ffffull
/* Network: TCP bind/connect (ABI 4), UDP bind/connect-send (ABI 10). */
#define NET4 0x3ull
#define NET10 0xfull
/* restrict_self: LOG_NEW_EXEC_ON (ABI 7), TSYNC (ABI 8). */
#define LOG_NEW_EXEC_ON 0x2u
#define LOG_SAME_EXEC_OFF 0x1u
#define LOG_SUBDOMAINS_OFF 0x4u
#define TSYNC 0x8u

static nono_caps *caps;

static void setup(void)
{
	cr_assert_eq(nono_caps_new(&caps), 0, "new");
}

static void teardown(void)
{
	nono_caps_free(caps);
}

TestSuite(ll_plan, .init = setup, .fini = teardown);

/*
 * The policy of the table: a writable directory, a blocked network with a
 * TCP and a UDP connect exception (no bind, so listen() is refused), UNIX
 * sockets by grant (the blocked network's default), signals isolated by
 * default, and the kernel asked to log denials after exec.
 */
static void full_policy(void)
{
	cr_assert_eq(nono_caps_allow_path(caps, "/tmp",
					  NONO_ACCESS_READ | NONO_ACCESS_WRITE),
		     0, "/tmp");
	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_tcp_connect(caps, 443), 0, "tcp 443");
	cr_assert_eq(nono_caps_allow_udp_connect(caps, 53), 0, "udp 53");
	cr_assert_eq(nono_caps_set_kernel_log(caps, NONO_KERNEL_LOG_DENIALS), 0,
		     "kernel_log");
}

struct row {
	int abi;
	uint64_t fs, net, scoped;
	uint32_t restrict_flags;
	unsigned filters;
	unsigned enforced, dropped;
	const char *missing; /* a part of the words; NULL for none at all */
};

#define F_BASE NONO_FILTER_BASE
#define F_PROC NONO_FILTER_PROCESS
#define F_UNIX NONO_FILTER_UNIX
#define F_LISTEN NONO_FILTER_LISTEN
#define F_DENY NONO_FILTER_NET_DENY_ALL
#define F_TCP NONO_FILTER_NET_ALLOW_TCP
#define F_INET NONO_FILTER_NET_ALLOW_INET

#define E_FS NONO_FEATURE_FS
#define E_REFER NONO_FEATURE_FS_REFER
#define E_TRUNC NONO_FEATURE_FS_TRUNCATE
#define E_TCP NONO_FEATURE_NETWORK_TCP
#define E_IOCTL NONO_FEATURE_FS_IOCTL_DEV
#define E_SCOPES (NONO_FEATURE_SCOPE_ABSTRACT_UNIX | NONO_FEATURE_SCOPE_SIGNAL)
#define E_LOG NONO_FEATURE_KERNEL_LOG
#define E_THREADS NONO_FEATURE_ALL_THREADS
#define E_UNIX NONO_FEATURE_FS_RESOLVE_UNIX
#define E_UDP NONO_FEATURE_NETWORK_UDP

/* clang-format off */
static const struct row rows[] = {
	{ 1, FS1, 0, 0, 0, F_BASE | F_PROC | F_UNIX | F_DENY,
	  E_FS | E_TCP, E_TRUNC | E_REFER | E_TCP | E_LOG | E_UDP,
	  "truncate is not restricted (needs Landlock ABI 3)" },
	{ 2, FS2, 0, 0, 0, F_BASE | F_PROC | F_UNIX | F_DENY,
	  E_FS | E_REFER | E_TCP, E_TRUNC | E_TCP | E_LOG | E_UDP,
	  "all TCP stays blocked (needs Landlock ABI 4)" },
	{ 3, FS3, 0, 0, 0, F_BASE | F_PROC | F_UNIX | F_DENY,
	  E_FS | E_REFER | E_TRUNC | E_TCP, E_TCP | E_LOG | E_UDP,
	  "cannot be chosen (needs Landlock ABI 7)" },
	{ 4, FS3, NET4, 0, 0, F_BASE | F_PROC | F_UNIX | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP, E_LOG | E_UDP,
	  "all UDP stays blocked (needs Landlock ABI 10)" },
	{ 5, FS5, NET4, 0, 0, F_BASE | F_PROC | F_UNIX | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL, E_LOG | E_UDP, "" },
	{ 6, FS5, NET4, 0x3, 0, F_BASE | F_PROC | F_UNIX | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES,
	  E_LOG | E_UDP, "" },
	{ 7, FS5, NET4, 0x3, LOG_NEW_EXEC_ON,
	  F_BASE | F_PROC | F_UNIX | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES | E_LOG,
	  E_UDP, "" },
	{ 8, FS5, NET4, 0x3, LOG_NEW_EXEC_ON | TSYNC,
	  F_BASE | F_PROC | F_UNIX | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES | E_LOG |
		  E_THREADS,
	  E_UDP, "" },
	{ 9, FS9, NET4, 0x3, LOG_NEW_EXEC_ON | TSYNC,
	  F_BASE | F_PROC | F_TCP | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES | E_LOG |
		  E_THREADS | E_UNIX,
	  E_UDP, "" },
	{ 10, FS9, NET10, 0x3, LOG_NEW_EXEC_ON | TSYNC,
	  F_BASE | F_PROC | F_INET | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES | E_LOG |
		  E_THREADS | E_UNIX | E_UDP,
	  0, NULL },
	/* A kernel newer than libnono knows is planned for as ABI 10. */
	{ 11, FS9, NET10, 0x3, LOG_NEW_EXEC_ON | TSYNC,
	  F_BASE | F_PROC | F_INET | F_LISTEN,
	  E_FS | E_REFER | E_TRUNC | E_TCP | E_IOCTL | E_SCOPES | E_LOG |
		  E_THREADS | E_UNIX | E_UDP,
	  0, NULL },
};
/* clang-format on */

Test(ll_plan, every_abi_row_by_row)
{
	full_policy();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct nono__ll_plan p;

		nono__ll_plan_make(caps, r->abi, &p);
		cr_expect_eq(p.abi, r->abi > 10 ? 10 : r->abi, "ABI %d: abi %d",
			     r->abi, p.abi);
		cr_expect_eq(p.handled_fs, r->fs, "ABI %d: handled_fs %#llx",
			     r->abi, (unsigned long long)p.handled_fs);
		cr_expect_eq(p.handled_net, r->net, "ABI %d: handled_net %#llx",
			     r->abi, (unsigned long long)p.handled_net);
		cr_expect_eq(p.scoped, r->scoped, "ABI %d: scoped %#llx",
			     r->abi, (unsigned long long)p.scoped);
		cr_expect_eq(p.restrict_flags, r->restrict_flags,
			     "ABI %d: restrict flags %#x", r->abi,
			     p.restrict_flags);
		cr_expect_eq(p.filters, r->filters, "ABI %d: filters %#x",
			     r->abi, p.filters);
		cr_expect_eq(p.enforced, r->enforced, "ABI %d: enforced %#x",
			     r->abi, p.enforced);
		cr_expect_eq(p.dropped, r->dropped, "ABI %d: dropped %#x",
			     r->abi, p.dropped);
		cr_expect_eq(p.this_thread_only, r->abi < 8,
			     "ABI %d: only this thread without TSYNC", r->abi);
		cr_expect_eq(p.tcp_port_rules, r->abi >= 4,
			     "ABI %d: TCP port rules", r->abi);
		cr_expect_eq(p.udp_port_rules, r->abi >= 10,
			     "ABI %d: UDP port rules", r->abi);
		cr_expect_eq(p.udp_ephemeral_bind, r->abi >= 10,
			     "ABI %d: a sender gets an ephemeral port", r->abi);
		if (!r->missing)
			cr_expect_str_empty(p.missing,
					    "ABI %d: nothing missing", r->abi);
		else
			cr_expect(strstr(p.missing, r->missing),
				  "ABI %d: '%s' in '%s'", r->abi, r->missing,
				  p.missing);
	}
}

/* Each feature comes with the ABI the table says, and the features of an
 * ABI are those of every row up to it. */
Test(ll_plan, each_feature_names_its_abi)
{
	static const struct {
		unsigned feature;
		int abi;
	} want[] = {
		{ E_FS, 1 },
		{ E_REFER, 2 },
		{ E_TRUNC, 3 },
		{ E_TCP, 4 },
		{ E_IOCTL, 5 },
		{ NONO_FEATURE_SCOPE_SIGNAL, 6 },
		{ NONO_FEATURE_SCOPE_ABSTRACT_UNIX, 6 },
		{ E_LOG, 7 },
		{ E_THREADS, 8 },
		{ E_UNIX, 9 },
		{ E_UDP, 10 },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		cr_expect_eq(nono__ll_feature_abi(want[i].feature), want[i].abi,
			     "feature %#x", want[i].feature);
		cr_expect_eq(nono_feature_abi(want[i].feature), want[i].abi,
			     "public: feature %#x", want[i].feature);
		for (int abi = 1; abi <= 11; abi++)
			cr_expect_eq(
				(nono__ll_features(abi) & want[i].feature) != 0,
				abi >= want[i].abi, "feature %#x at ABI %d",
				want[i].feature, abi);
	}
	cr_expect_eq(nono__ll_feature_abi(1u << 30), 0, "unknown bit");
	cr_expect_eq(nono__ll_feature_abi(0), 0, "no bit");
}

/* A set with nothing in it: every right the ABI knows handled, TSYNC
 * where there is one, the whole network left alone. */
Test(ll_plan, an_empty_set_handles_every_known_right)
{
	for (int abi = 1; abi <= 10; abi++) {
		struct nono__ll_plan p;

		nono__ll_plan_make(caps, abi, &p);
		cr_expect_eq(p.handled_fs,
			     nono__ll_fs_rights(abi) & ~(uint64_t)0x10000,
			     "ABI %d: all fs rights but RESOLVE_UNIX", abi);
		cr_expect_eq(p.handled_net, 0, "ABI %d: network open", abi);
		cr_expect_eq(p.restrict_flags, abi >= 8 ? TSYNC : 0,
			     "ABI %d: TSYNC only", abi);
		cr_expect_eq(p.filters & (F_DENY | F_TCP | F_INET | F_UNIX), 0,
			     "ABI %d: no network or UNIX filter", abi);
	}
}

/* [network] unix: by grant, Landlock from ABI 9 and the seccomp filter
 * before it; none, the filter everywhere; all, neither. */
Test(ll_plan, unix_sockets_by_mode_and_abi)
{
	static const struct {
		nono_unix_mode mode;
		int abi;
		bool filter, resolve;
	} cases[] = {
		{ NONO_UNIX_GRANTED, 8, true, false },
		{ NONO_UNIX_GRANTED, 9, false, true },
		{ NONO_UNIX_GRANTED, 10, false, true },
		{ NONO_UNIX_NONE, 8, true, false },
		{ NONO_UNIX_NONE, 9, true, false },
		{ NONO_UNIX_ALL, 8, false, false },
		{ NONO_UNIX_ALL, 9, false, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nono__ll_plan p;

		cr_assert_eq(nono_caps_set_unix(caps, cases[i].mode), 0, "set");
		nono__ll_plan_make(caps, cases[i].abi, &p);
		cr_expect_eq((p.filters & F_UNIX) != 0, cases[i].filter,
			     "%s at ABI %d: UNIX filter",
			     nono_unix_mode_str(cases[i].mode), cases[i].abi);
		cr_expect_eq((p.handled_fs & 0x10000) != 0, cases[i].resolve,
			     "%s at ABI %d: RESOLVE_UNIX handled",
			     nono_unix_mode_str(cases[i].mode), cases[i].abi);
		cr_expect_eq((p.enforced & E_UNIX) != 0, cases[i].resolve,
			     "%s at ABI %d: feature",
			     nono_unix_mode_str(cases[i].mode), cases[i].abi);
		cr_expect_str_empty(p.missing, "stricter is not missing");
	}
}

/* UDP alone: below ABI 10 all UDP stays refused by the filter (and that
 * is missing); at 10 TCP and UDP sockets pass the filter, Landlock
 * handles every network right, and listen() stays refused. */
Test(ll_plan, udp_only_exceptions)
{
	struct nono__ll_plan p;

	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_udp_bind(caps, 5353), 0, "udp bind");
	nono__ll_plan_make(caps, 9, &p);
	cr_expect_eq(p.filters & (F_DENY | F_TCP | F_INET), F_DENY,
		     "ABI 9: everything but UNIX refused");
	cr_expect_eq(p.handled_net, NET4, "ABI 9: TCP handled");
	cr_expect_eq(p.dropped, E_UDP, "ABI 9: UDP dropped");
	cr_expect_not_null(strstr(p.missing, "needs Landlock ABI 10"),
			   "ABI 9: %s", p.missing);
	nono__ll_plan_make(caps, 10, &p);
	cr_expect_eq(p.filters & (F_DENY | F_TCP | F_INET | F_LISTEN),
		     F_INET | F_LISTEN, "ABI 10: INET filter, no listen");
	cr_expect_eq(p.handled_net, NET10, "ABI 10: all four rights");
	cr_expect_eq(p.udp_ephemeral_bind, false, "no sender, no port 0");
	cr_expect_str_empty(p.missing, "ABI 10: nothing missing");
}

/* kernel_log: denials sets LOG_NEW_EXEC_ON, off silences this domain and
 * those nested in it; before ABI 7 neither can be chosen. */
Test(ll_plan, kernel_log_flags)
{
	struct nono__ll_plan p;

	cr_assert_eq(nono_caps_set_kernel_log(caps, NONO_KERNEL_LOG_OFF), 0,
		     "off");
	nono__ll_plan_make(caps, 7, &p);
	cr_expect_eq(p.restrict_flags, LOG_SAME_EXEC_OFF | LOG_SUBDOMAINS_OFF,
		     "off at 7: %#x", p.restrict_flags);
	nono__ll_plan_make(caps, 6, &p);
	cr_expect_eq(p.restrict_flags, 0, "off at 6: no flag");
	cr_expect_eq(p.dropped, E_LOG, "off at 6: dropped");
	cr_assert_eq(nono_caps_set_kernel_log(caps, NONO_KERNEL_LOG_DEFAULT), 0,
		     "default");
	nono__ll_plan_make(caps, 6, &p);
	cr_expect_eq(p.dropped, 0, "the default needs nothing");
	nono__ll_plan_make(caps, 7, &p);
	cr_expect_eq(p.restrict_flags, 0, "default at 7: the kernel's");
}
