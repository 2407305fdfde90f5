// SPDX-License-Identifier: Apache-2.0
/*
 * Support information on this machine. The expected ABI comes from asking
 * the kernel directly, not from the library under test.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libnono.h"

/* The kernel's own answer: the ABI version, or -errno. */
static int kernel_abi(void)
{
#ifdef SYS_landlock_create_ruleset
	/* LANDLOCK_CREATE_RULESET_VERSION is 1 << 0. */
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u);
	return abi > 0 ? (int)abi : -errno;
#else
	return -ENOSYS;
#endif
}

Test(support, null_argument)
{
	cr_expect_eq(nono_support_info_get(NULL), NONO_EINVAL,
		     "a NULL out pointer is NONO_EINVAL");
}

Test(support, matches_the_kernel)
{
	nono_support_info info;
	memset(&info, 0xa5, sizeof(info));
	cr_assert_eq(nono_support_info_get(&info), 0, "support_info_get");
	cr_expect_str_eq(info.platform, "linux", "platform is linux");

	int abi = kernel_abi();
	if (abi < 0) {
		cr_expect_not(info.is_supported,
			      "without Landlock (errno %d) not supported",
			      -abi);
		cr_expect_eq(info.abi, 0, "abi is 0 without Landlock");
		cr_expect(strstr(info.details, "5.13") != NULL,
			  "details say what is required: %s", info.details);
		return;
	}
	cr_expect(info.is_supported, "Landlock ABI %d is supported", abi);
	cr_expect_eq(info.abi, abi, "abi %d is the kernel's %d", info.abi, abi);
	cr_expect_geq(info.abi, 1, "abi is at least 1");
	cr_expect(strstr(info.details, "Landlock") != NULL,
		  "details mention Landlock: %s", info.details);
	char version[32];
	snprintf(version, sizeof(version), "Landlock V%d", abi);
	cr_expect(strstr(info.details, version) != NULL,
		  "details name the version (%s): %s", version, info.details);
}

Test(support, features_follow_the_abi)
{
	nono_support_info info;
	cr_assert_eq(nono_support_info_get(&info), 0, "support_info_get");
	if (!info.is_supported)
		cr_skip_test("Landlock is not available: %s", info.details);

	static const struct {
		unsigned bit;
		int abi;
		const char *name;
	} table[] = {
		{ NONO_FEATURE_FS, 1, "fs" },
		{ NONO_FEATURE_FS_REFER, 2, "refer" },
		{ NONO_FEATURE_FS_TRUNCATE, 3, "truncate" },
		{ NONO_FEATURE_NETWORK_TCP, 4, "tcp" },
		{ NONO_FEATURE_FS_IOCTL_DEV, 5, "ioctl_dev" },
		{ NONO_FEATURE_SCOPE_ABSTRACT_UNIX, 6, "scope_abstract_unix" },
		{ NONO_FEATURE_SCOPE_SIGNAL, 6, "scope_signal" },
		{ NONO_FEATURE_ALL_THREADS, 8, "all_threads" },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		bool want = info.abi >= table[i].abi;
		cr_expect_eq(!!(info.features & table[i].bit), want,
			     "feature %s on ABI %d: expected %s", table[i].name,
			     info.abi, want ? "present" : "absent");
		cr_expect_eq(strstr(info.details, table[i].name) != NULL, want,
			     "details %s %s: %s", want ? "list" : "omit",
			     table[i].name, info.details);
	}
}

Test(support, is_supported_agrees)
{
	nono_support_info info;
	cr_assert_eq(nono_support_info_get(&info), 0, "support_info_get");
	cr_expect_eq(nono_is_supported(), info.is_supported,
		     "nono_is_supported() agrees with support info");
	cr_expect_eq(nono_is_supported(), kernel_abi() > 0,
		     "nono_is_supported() agrees with the kernel");
}

Test(support, stable_across_calls)
{
	nono_support_info a, b;
	cr_assert_eq(nono_support_info_get(&a), 0, "first call");
	cr_assert_eq(nono_support_info_get(&b), 0, "second call");
	cr_expect_eq(a.is_supported, b.is_supported, "is_supported stable");
	cr_expect_eq(a.abi, b.abi, "abi stable");
	cr_expect_eq(a.features, b.features, "features stable");
	cr_expect_str_eq(a.details, b.details, "details stable");
}

Test(support, version_is_the_one_of_meson_build)
{
	char parts[64];

	snprintf(parts, sizeof(parts), "%d.%d.%d", NONO_VERSION_MAJOR,
		 NONO_VERSION_MINOR, NONO_VERSION_PATCH);
	cr_assert_str_eq(nono_version(), NONO_VERSION_STRING,
			 "the library and its headers agree");
	cr_assert_str_eq(parts, NONO_VERSION_STRING,
			 "the parts make the string");
}
