// SPDX-License-Identifier: Apache-2.0
/*
 * Only a name: fake_libc links against this library so that it needs
 * "libnono_real_c.so", which the test makes a link to the real C library
 * (--no-as-needed keeps the dependency, although nothing of the stub is
 * used). The stub itself is never loaded.
 */
int nono_test_real_c_stub;
