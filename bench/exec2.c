// SPDX-License-Identifier: Apache-2.0
/*
 * bench_exec2: executes its arguments, and does nothing else. The floor of
 * a launcher that starts the program it runs with an execve of its own,
 * as `nono run` does (docs/performance.md): two execs. Built twice, linked
 * dynamically (as `nono` is) and, where the toolchain can, statically (the
 * least a launcher can cost).
 *
 *   bench_exec2 PROGRAM [ARG ...]
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: bench_exec2 PROGRAM [ARG ...]\n", stderr);
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
