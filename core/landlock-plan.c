// SPDX-License-Identifier: Apache-2.0
/*
 * The Landlock plan (landlock-plan.h): one row per ABI saying what it
 * brings, and the function that turns a capability set into what to ask
 * the kernel for at a given ABI. Like the kernel's sample sandboxer, the
 * rights are "everything this ABI knows", and the policy only decides
 * which rules open them again; unlike it, the table is data a test can
 * walk row by row.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "landlock-compat.h"
#include "landlock-plan.h"

/* The filesystem rights of Landlock ABI 1. */
#define LL_FS_ABI1                                                        \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |     \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |     \
	 LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
	 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |     \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |     \
	 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |   \
	 LANDLOCK_ACCESS_FS_MAKE_SYM)

#define LL_NET_TCP \
	(LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP)
#define LL_NET_UDP \
	(LANDLOCK_ACCESS_NET_BIND_UDP | LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP)

#define LL_LOG_FLAGS                                \
	(LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF | \
	 LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON |   \
	 LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF)

/* What each ABI adds to the one before it (include/uapi/linux/landlock.h
 * says which ABI brought each right and flag). */
static const struct ll_abi_row {
	uint64_t fs;
	uint64_t net;
	uint64_t scoped;
	uint32_t restrict_flags;
	unsigned features;
} ll_abi_rows[NONO_LL_ABI_LAST + 1] = {
	[1] = { .fs = LL_FS_ABI1, .features = NONO_FEATURE_FS },
	[2] = { .fs = LANDLOCK_ACCESS_FS_REFER,
		.features = NONO_FEATURE_FS_REFER },
	[3] = { .fs = LANDLOCK_ACCESS_FS_TRUNCATE,
		.features = NONO_FEATURE_FS_TRUNCATE },
	[4] = { .net = LL_NET_TCP, .features = NONO_FEATURE_NETWORK_TCP },
	[5] = { .fs = LANDLOCK_ACCESS_FS_IOCTL_DEV,
		.features = NONO_FEATURE_FS_IOCTL_DEV },
	[6] = { .scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
			  LANDLOCK_SCOPE_SIGNAL,
		.features = NONO_FEATURE_SCOPE_ABSTRACT_UNIX |
			    NONO_FEATURE_SCOPE_SIGNAL },
	[7] = { .restrict_flags = LL_LOG_FLAGS,
		.features = NONO_FEATURE_KERNEL_LOG },
	[8] = { .restrict_flags = LANDLOCK_RESTRICT_SELF_TSYNC,
		.features = NONO_FEATURE_ALL_THREADS },
	[9] = { .fs = LANDLOCK_ACCESS_FS_RESOLVE_UNIX,
		.features = NONO_FEATURE_FS_RESOLVE_UNIX },
	[10] = { .net = LL_NET_UDP, .features = NONO_FEATURE_NETWORK_UDP },
};

/* Everything ABIs 1 to `abi` bring together, clamped to the newest known. */
static struct ll_abi_row ll_abi_sum(int abi)
{
	struct ll_abi_row sum = { 0 };

	if (abi > NONO_LL_ABI_LAST)
		abi = NONO_LL_ABI_LAST;
	for (int v = 1; v <= abi; v++) {
		sum.fs |= ll_abi_rows[v].fs;
		sum.net |= ll_abi_rows[v].net;
		sum.scoped |= ll_abi_rows[v].scoped;
		sum.restrict_flags |= ll_abi_rows[v].restrict_flags;
		sum.features |= ll_abi_rows[v].features;
	}
	return sum;
}

unsigned nono__ll_features(int abi)
{
	return ll_abi_sum(abi).features;
}

uint64_t nono__ll_fs_rights(int abi)
{
	return ll_abi_sum(abi).fs;
}

int nono__ll_feature_abi(unsigned feature)
{
	for (int v = 1; v <= NONO_LL_ABI_LAST; v++)
		if (feature && (ll_abi_rows[v].features & feature) == feature)
			return v;
	return 0;
}

void nono__ll_append(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len > 0 && len + 2 < cap) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

/* Whether some grant needs reparenting (rename or link across
 * directories): a write grant on a directory. */
static bool ll_wants_refer(const struct nono_caps *caps)
{
	for (size_t i = 0; i < caps->fs_len; i++) {
		if (!caps->fs[i].is_file &&
		    (caps->fs[i].access & NONO_ACCESS_WRITE))
			return true;
	}
	return false;
}

/* How UNIX sockets are handled, the default resolved. */
static nono_unix_mode ll_unix_mode(const struct nono_caps *caps)
{
	if (caps->unix_mode != NONO_UNIX_DEFAULT)
		return caps->unix_mode;
	return caps->net_blocked ? NONO_UNIX_GRANTED : NONO_UNIX_ALL;
}

/*
 * One feature the set asks for: enforced where the ABI has it; otherwise
 * dropped, with why in words. The words name the ABI from the table.
 */
static void ll_want(struct nono__ll_plan *plan, unsigned avail,
		    unsigned feature, const char *what)
{
	if (avail & feature) {
		plan->enforced |= feature;
		return;
	}
	plan->dropped |= feature;
	nono__ll_append(plan->missing, sizeof(plan->missing),
			"%s (needs Landlock ABI %d)", what,
			nono__ll_feature_abi(feature));
}

/* Plans one scope: isolated by default where the kernel has it; asked for
 * explicitly, its absence is something the caller must accept. */
static void ll_plan_scope(struct nono__ll_plan *plan, unsigned avail,
			  nono_scope_mode mode, unsigned feature,
			  const char *what)
{
	if (mode == NONO_SCOPE_MODE_ALLOWED)
		return;
	if (avail & feature)
		plan->enforced |= feature;
	else if (mode == NONO_SCOPE_MODE_ISOLATED)
		ll_want(plan, avail, feature, what);
}

/*
 * The seccomp filters (enum nono__filter): the baseline always; process
 * control with signals isolated; UNIX sockets refused where they are not
 * all allowed and Landlock cannot tell them apart (before ABI 9); for a
 * blocked network, the filter that lets through only the sockets whose
 * ports Landlock decides (TCP from ABI 4, UDP from ABI 10), and listen()
 * refused where TCP sockets exist but no TCP port may be bound, since
 * listen() on an unbound socket takes an ephemeral port Landlock does not
 * check.
 */
static unsigned ll_filters(const struct nono_caps *caps,
			   const struct nono__ll_plan *plan)
{
	nono_unix_mode unix_mode = ll_unix_mode(caps);
	unsigned f = NONO_FILTER_BASE;

	if (caps->scope_signal != NONO_SCOPE_MODE_ALLOWED)
		f |= NONO_FILTER_PROCESS;
	if (caps->protect_metadata)
		f |= NONO_FILTER_METADATA;
	if (unix_mode == NONO_UNIX_NONE ||
	    (unix_mode == NONO_UNIX_GRANTED &&
	     !(plan->enforced & NONO_FEATURE_FS_RESOLVE_UNIX)))
		f |= NONO_FILTER_UNIX;
	if (!caps->net_blocked)
		return f;
	if (plan->udp_port_rules)
		f |= NONO_FILTER_NET_ALLOW_INET;
	else if (plan->tcp_port_rules)
		f |= NONO_FILTER_NET_ALLOW_TCP;
	else
		f |= NONO_FILTER_NET_DENY_ALL;
	if ((f & (NONO_FILTER_NET_ALLOW_INET | NONO_FILTER_NET_ALLOW_TCP)) &&
	    caps->tcp_bind.len == 0)
		f |= NONO_FILTER_LISTEN;
	return f;
}

/*
 * What caps asks for: the filesystem is denied by default, and a READ
 * grant must not be modified, so truncation must be controlled everywhere
 * (ABI 3); a write grant on a directory asks for renames into and out of
 * it (ABI 2); a blocked network asks for TCP to be blocked, which the
 * seccomp filter does whole where Landlock cannot judge ports; port
 * exceptions ask for Landlock's port rules (TCP ABI 4, UDP ABI 10).
 * ioctl on devices is not part of nono's model: it is restricted where the
 * kernel can, and its absence is not counted as dropped.
 */
void nono__ll_plan_make(const struct nono_caps *caps, int abi,
			struct nono__ll_plan *plan)
{
	struct ll_abi_row has;
	unsigned avail;

	if (abi > NONO_LL_ABI_LAST)
		abi = NONO_LL_ABI_LAST;
	has = ll_abi_sum(abi);
	avail = has.features;
	*plan = (struct nono__ll_plan){
		.abi = abi,
		.enforced = NONO_FEATURE_FS,
	};

	/* Filesystem: every right the ABI knows, but RESOLVE_UNIX, which
	 * is handled only where sockets are reached by grant. */
	plan->handled_fs = has.fs & ~(uint64_t)LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
	ll_want(plan, avail, NONO_FEATURE_FS_TRUNCATE,
		"truncate is not restricted");
	if (ll_wants_refer(caps))
		ll_want(plan, avail, NONO_FEATURE_FS_REFER,
			"renaming or linking across directories stays denied, "
			"even in write grants");
	plan->enforced |= avail & NONO_FEATURE_FS_IOCTL_DEV;
	if (ll_unix_mode(caps) == NONO_UNIX_GRANTED &&
	    (avail & NONO_FEATURE_FS_RESOLVE_UNIX)) {
		plan->handled_fs |= LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
		plan->enforced |= NONO_FEATURE_FS_RESOLVE_UNIX;
	}

	/*
	 * A blocked network is enforced in two halves: the seccomp filter
	 * refuses every socket but AF_UNIX and those whose ports Landlock
	 * judges, and Landlock (every network right the ABI knows) decides
	 * bind and connect by port. Without Landlock's half for a protocol,
	 * no such socket can be created at all, which still blocks it, but
	 * cannot reopen single ports.
	 */
	if (caps->net_blocked) {
		plan->enforced |= NONO_FEATURE_NETWORK_TCP |
				  (avail & NONO_FEATURE_NETWORK_UDP);
		plan->handled_net = has.net;
		if (caps->tcp_connect.len > 0 || caps->tcp_bind.len > 0) {
			ll_want(plan, avail, NONO_FEATURE_NETWORK_TCP,
				"TCP port exceptions cannot be enforced, so "
				"all TCP stays blocked");
			plan->tcp_port_rules = avail & NONO_FEATURE_NETWORK_TCP;
		}
		if (caps->udp_connect.len > 0 || caps->udp_bind.len > 0) {
			ll_want(plan, avail, NONO_FEATURE_NETWORK_UDP,
				"UDP port exceptions cannot be enforced, so "
				"all UDP stays blocked");
			plan->udp_port_rules = avail & NONO_FEATURE_NETWORK_UDP;
			plan->udp_ephemeral_bind = plan->udp_port_rules &&
						   caps->udp_connect.len > 0;
		}
	}

	ll_plan_scope(plan, avail, caps->scope_signal,
		      NONO_FEATURE_SCOPE_SIGNAL,
		      "signals to processes outside the sandbox are not "
		      "isolated");
	ll_plan_scope(plan, avail, caps->scope_abstract_unix,
		      NONO_FEATURE_SCOPE_ABSTRACT_UNIX,
		      "abstract UNIX sockets outside the sandbox are not "
		      "isolated");
	if (plan->enforced & NONO_FEATURE_SCOPE_SIGNAL)
		plan->scoped |= LANDLOCK_SCOPE_SIGNAL;
	if (plan->enforced & NONO_FEATURE_SCOPE_ABSTRACT_UNIX)
		plan->scoped |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;

	/* What the kernel logs (ABI 7): after execve() too, or nothing,
	 * nested sandboxes included. */
	if (caps->kernel_log != NONO_KERNEL_LOG_DEFAULT) {
		ll_want(plan, avail, NONO_FEATURE_KERNEL_LOG,
			"the kernel's logging of denials cannot be chosen");
		if ((plan->enforced & NONO_FEATURE_KERNEL_LOG) &&
		    caps->kernel_log == NONO_KERNEL_LOG_DENIALS)
			plan->restrict_flags |=
				LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
		else if (plan->enforced & NONO_FEATURE_KERNEL_LOG)
			plan->restrict_flags |=
				LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF |
				LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;
	}

	/* Every thread at once (ABI 8); otherwise the caller counts them. */
	if (avail & NONO_FEATURE_ALL_THREADS) {
		plan->restrict_flags |= LANDLOCK_RESTRICT_SELF_TSYNC;
		plan->enforced |= NONO_FEATURE_ALL_THREADS;
	} else {
		plan->this_thread_only = true;
	}

	plan->filters = ll_filters(caps, plan);
}
