// SPDX-License-Identifier: Apache-2.0
/*
 * libnono_empty.so: a preloaded library that does nothing, the cost of
 * preloading a small object alone (docs/performance.md).
 */
__attribute__((constructor)) static void empty_init(void)
{
}
