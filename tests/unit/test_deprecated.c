// SPDX-License-Identifier: Apache-2.0
/*
 * The names of the development snapshots, kept for one release (NEWS,
 * 0.1.0): each old function answers as the function it was renamed to, and
 * each old enumerator has its new name's value. That using them warns is
 * checked when the build is configured (tests/meson.build).
 */
#include <criterion/criterion.h>

#include <string.h>

#include "libnono.h"
#include "testutil.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

Test(deprecated, enumerators_keep_their_values)
{
	cr_expect_eq(NONO_QUERY_ALLOWED, NONO_QUERY_STATUS_ALLOWED);
	cr_expect_eq(NONO_QUERY_DENIED, NONO_QUERY_STATUS_DENIED);
	cr_expect_eq(NONO_REASON_GRANTED_PATH, NONO_QUERY_REASON_GRANTED_PATH);
	cr_expect_eq(NONO_REASON_PATH_NOT_GRANTED,
		     NONO_QUERY_REASON_PATH_NOT_GRANTED);
	cr_expect_eq(NONO_REASON_INSUFFICIENT_ACCESS,
		     NONO_QUERY_REASON_INSUFFICIENT_ACCESS);
	cr_expect_eq(NONO_REASON_NETWORK_ALLOWED,
		     NONO_QUERY_REASON_NETWORK_ALLOWED);
	cr_expect_eq(NONO_REASON_NETWORK_BLOCKED,
		     NONO_QUERY_REASON_NETWORK_BLOCKED);
	cr_expect_eq(NONO_REASON_NETWORK_BLOCKED_EXCEPT_PORTS,
		     NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS);
	cr_expect_eq(NONO_REASON_TCP_PORT_GRANTED,
		     NONO_QUERY_REASON_TCP_PORT_GRANTED);
	cr_expect_eq(NONO_REASON_DENIED_BY_RULE,
		     NONO_QUERY_REASON_DENIED_BY_RULE);
	cr_expect_eq(NONO_SCOPE_DEFAULT, NONO_SCOPE_MODE_DEFAULT);
	cr_expect_eq(NONO_SCOPE_ISOLATED, NONO_SCOPE_MODE_ISOLATED);
	cr_expect_eq(NONO_SCOPE_ALLOWED, NONO_SCOPE_MODE_ALLOWED);
	cr_expect_eq(NONO_FEATURE_NET_TCP, NONO_FEATURE_NETWORK_TCP);
	cr_expect_eq(NONO_FEATURE_NET_UDP, NONO_FEATURE_NETWORK_UDP);
}

Test(deprecated, functions_answer_as_the_new_ones)
{
	nono_caps *caps = NULL;
	cr_assert_eq(nono_caps_new(&caps), 0);
	cr_assert_eq(nono_caps_allow_path(caps, "/usr", NONO_ACCESS_READ), 0);
	cr_assert_eq(nono_caps_deny_path(caps, "/usr/share"), 0);
	cr_assert_eq(nono_caps_allow_command(caps, "/bin/sh"), 0);
	cr_assert_eq(nono_caps_block_command(caps, "/usr/bin/env"), 0);
	cr_assert_eq(nono_caps_block_network(caps), 0);

	nono_fs_cap a, b;
	cr_expect_eq(nono_caps_fs_get(caps, 0, &a), 0);
	cr_expect_eq(nono_caps_fs_at(caps, 0, &b), 0);
	cr_expect_str_eq(a.resolved, b.resolved);
	cr_expect_eq(nono_caps_fs_get(caps, 1, &a), NONO_EINVAL);

	nono_deny_cap da, db;
	cr_expect_eq(nono_caps_deny_get(caps, 0, &da), 0);
	cr_expect_eq(nono_caps_deny_at(caps, 0, &db), 0);
	cr_expect_str_eq(da.resolved, db.resolved);

	cr_expect_str_eq(nono_caps_allowed_command(caps, 0),
			 nono_caps_allowed_command_at(caps, 0));
	cr_expect_str_eq(nono_caps_blocked_command(caps, 0),
			 nono_caps_blocked_command_at(caps, 0));
	cr_expect_null(nono_caps_allowed_command(caps, 1));
	cr_expect_str_eq(nono_caps_allowed_command_file(caps, 0),
			 nono_caps_allowed_command_file_at(caps, 0));
	cr_expect_str_eq(nono_caps_blocked_command_file(caps, 0),
			 nono_caps_blocked_command_file_at(caps, 0));

	nono_state *state = NULL;
	cr_assert_eq(nono_state_from_caps(caps, &state), 0);
	cr_expect(nono_state_net_blocked(state));
	cr_expect_eq(nono_state_net_blocked(state),
		     nono_state_is_network_blocked(state));
	nono_state_free(state);
	nono_caps_free(caps);
}
