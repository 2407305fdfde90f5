/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference preload's steps (floor.c), for bench_caps to time them
 * in-process too.
 */
#ifndef NONO_BENCH_FLOOR_H
#define NONO_BENCH_FLOOR_H

/* Confines the calling process as `plan` (the format `bench_caps floor`
 * prints) says, with only the system calls that needs; whatever fails
 * ends the process with status 126. */
void nono_floor_apply(const char *plan);

#endif /* NONO_BENCH_FLOOR_H */
