// SPDX-License-Identifier: Apache-2.0
/*
 * A stand-in for the shim's second object (shim/apply.c), planted where the
 * shim must not take it from (test_shim.c, "the shim's second file"). Its
 * constructor and its nono__shim_apply say on stderr that they ran; the
 * latter returns without applying anything, so a program the shim let go
 * on after it would run unsandboxed.
 */
#include <unistd.h>

#define PLANTED_SAY(msg) ((void)!write(STDERR_FILENO, msg, sizeof(msg) - 1))

__attribute__((constructor)) static void planted_init(void)
{
	PLANTED_SAY("PLANTED constructor ran\n");
}

__attribute__((visibility("default"))) void nono__shim_apply(const void *start);

void nono__shim_apply(const void *start)
{
	(void)start;
	PLANTED_SAY("PLANTED apply ran\n");
}
