// SPDX-License-Identifier: Apache-2.0
/* Linked against ctor_lib: prints what its constructor's write did, which
 * also shows that main() ran. */
#include <stdio.h>

extern const char *nono_test_ctor_result;

int main(void)
{
	printf("main ran, constructor write: %s\n", nono_test_ctor_result);
	return 0;
}
