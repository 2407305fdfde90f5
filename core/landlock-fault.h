/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault injection for the Landlock backend, in test builds only.
 *
 * Included by landlock.c, and only when NONO_FAULT_INJECTION is defined,
 * which only the test shim (tests/meson.build, libnono_shim_fault) does:
 * the shipped libnono and shim never contain it, and a test checks that
 * the variable's name is not in them.
 *
 * It needs struct ll_syscalls and ll_real, which landlock.c defines first.
 *
 * NONO_TEST_FAULT="N:ERRNO" makes the Nth Landlock system call of the
 * process (counting from 1, all three kinds together, the ABI probe
 * included) fail with errno ERRNO instead of reaching the kernel. Every
 * other call, and every call when the variable is unset or malformed, goes
 * to the kernel as usual.
 */
#ifndef NONO_LANDLOCK_FAULT_H
#define NONO_LANDLOCK_FAULT_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#define LL_FAULT_ENV "NONO_TEST_FAULT"

static atomic_ulong ll_fault_calls;

/* Counts a call; true (with errno set) when it is the one to fail. */
static bool ll_fault_hit(void)
{
	const char *spec = getenv(LL_FAULT_ENV);
	unsigned long call = atomic_fetch_add(&ll_fault_calls, 1) + 1;
	unsigned long n;
	char *end;
	long err;

	if (!spec)
		return false;
	n = strtoul(spec, &end, 10);
	if (end == spec || *end != ':')
		return false;
	err = strtol(end + 1, &end, 10);
	if (*end != '\0' || err <= 0 || err > 4095 || call != n)
		return false;
	errno = (int)err;
	return true;
}

static int ll_fault_create_ruleset(const void *attr, size_t size, __u32 flags)
{
	if (ll_fault_hit())
		return -1;
	return ll_real.create_ruleset(attr, size, flags);
}

static int ll_fault_add_rule(int ruleset_fd, int rule_type, const void *attr,
			     __u32 flags)
{
	if (ll_fault_hit())
		return -1;
	return ll_real.add_rule(ruleset_fd, rule_type, attr, flags);
}

static int ll_fault_restrict_self(int ruleset_fd, __u32 flags)
{
	if (ll_fault_hit())
		return -1;
	return ll_real.restrict_self(ruleset_fd, flags);
}

static const struct ll_syscalls ll_fault = {
	.create_ruleset = ll_fault_create_ruleset,
	.add_rule = ll_fault_add_rule,
	.restrict_self = ll_fault_restrict_self,
};

#endif /* NONO_LANDLOCK_FAULT_H */
