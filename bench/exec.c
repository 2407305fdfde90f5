// SPDX-License-Identifier: Apache-2.0
/*
 * bench_exec PROGRAM [ARG...]: executes PROGRAM (an absolute path) and
 * nothing else, the floor of any launcher that starts a program by
 * replacing itself, as `nono run` does (docs/performance.md). Built twice
 * (bench/meson.build): statically, which is the least a first exec can
 * cost, and dynamically linked against the C library alone, as a program
 * that loads nothing of its own costs. bench_exec_floor is the static one
 * with bench/floor.c linked in: its constructor makes the reference
 * preload's system calls (NONO_FLOOR, from `bench_caps floor POLICY`)
 * before main executes the program, the floor of `nono run` itself.
 */
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	execv(argv[1], argv + 1);
	return 127;
}
