// SPDX-License-Identifier: Apache-2.0
/*
 * The names of Linux capabilities, for the policy key `[process]
 * capabilities` and for messages. Pure text: built on every platform.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "caps-internal.h"

/* capabilities(7), in the kernel's numbering (linux/capability.h). */
static const char *const cap_names[] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"audit_control",
	"setfcap",
	"mac_override",
	"mac_admin",
	"syslog",
	"wake_alarm",
	"block_suspend",
	"audit_read",
	"perfmon",
	"bpf",
	"checkpoint_restore",
};

#define CAP_NAME_COUNT (ARRAY_SIZE(cap_names))

NONO_API int nono_capability_from_name(const char *name)
{
	if (!name)
		return NONO_EINVAL;
	if (strncasecmp(name, "cap_", 4) == 0)
		name += 4;
	for (size_t i = 0; i < CAP_NAME_COUNT; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return (int)i;
	return NONO_EINVAL;
}

NONO_API const char *nono_capability_name(unsigned cap)
{
	return cap < CAP_NAME_COUNT ? cap_names[cap] : NULL;
}
