// SPDX-License-Identifier: Apache-2.0
/*
 * The public names of the development snapshots, kept for one release so
 * that a program written against them still builds and links (NEWS,
 * 0.1.0). Each is the function it was renamed to; this file goes in 0.2.0.
 */
#include "libnono.h"

int nono_caps_fs_get(const nono_caps *caps, size_t index, nono_fs_cap *out)
{
	return nono_caps_fs_at(caps, index, out);
}

int nono_caps_deny_get(const nono_caps *caps, size_t index, nono_deny_cap *out)
{
	return nono_caps_deny_at(caps, index, out);
}

const char *nono_caps_allowed_command(const nono_caps *caps, size_t index)
{
	return nono_caps_allowed_command_at(caps, index);
}

const char *nono_caps_blocked_command(const nono_caps *caps, size_t index)
{
	return nono_caps_blocked_command_at(caps, index);
}

const char *nono_caps_allowed_command_file(const nono_caps *caps, size_t index)
{
	return nono_caps_allowed_command_file_at(caps, index);
}

const char *nono_caps_blocked_command_file(const nono_caps *caps, size_t index)
{
	return nono_caps_blocked_command_file_at(caps, index);
}

bool nono_state_net_blocked(const nono_state *state)
{
	return nono_state_is_network_blocked(state);
}
