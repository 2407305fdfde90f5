// SPDX-License-Identifier: Apache-2.0
/* Linked with DT_RPATH=$ORIGIN/fakelib (tests/helpers/meson.build): where
 * test_loader.c puts a fake libc.so.6. Prints that main() ran. */
#include <stdio.h>

int main(void)
{
	printf("main ran\n");
	return 0;
}
