/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every fuzz target shares: the libFuzzer entry points, and a check
 * that ends the run loudly when an invariant breaks.
 *
 * A target only parses, serialises and frees; it never applies a sandbox.
 * The same file builds two ways: with libFuzzer (scripts/fuzz), and with
 * replay.c, which feeds it each file of a corpus as an ordinary test.
 */
#ifndef NONO_FUZZ_H
#define NONO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Optional: called once before the first input, by libFuzzer and by the
 * replay driver alike. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* abort(), not assert(): the check must hold in every build type, and
 * both libFuzzer and the replay driver report an abort as a crash. */
#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

#endif /* NONO_FUZZ_H */
