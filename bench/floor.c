// SPDX-License-Identifier: Apache-2.0
/*
 * libnono_floor.so: the reference preload of docs/performance.md. It makes
 * only the system calls Landlock and the baseline need to confine a
 * process as the shim confines it with the typical policy, and nothing
 * else: it reads no file, canonicalises nothing and allocates nothing.
 *
 *   LD_PRELOAD=libnono_floor.so NONO_FLOOR="$(bench_caps floor POLICY)" prog
 *
 * NONO_FLOOR is the plan `bench_caps floor` prints from a policy (the same
 * rules nono_apply() adds, subsumed ones left out), parsed without a
 * system call: "FS,NET,SCOPED,FLAGS,FILTERS,ABI" in hex, then
 * ";ACCESS:PATH" per rule. The constructor then makes:
 *   landlock_create_ruleset; per rule open(O_PATH) and landlock_add_rule;
 *   one close_range for every rule's descriptor; for root, what
 *   nono__capabilities_drop() makes (capget, one prctl per capability of
 *   the bounding set, the ambient set, capset); prctl(no_new_privs);
 *   landlock_restrict_self; close; one seccomp() with the same
 *   precompiled program as the shim.
 * A benchmark, not a sandbox: whatever fails ends the process with 126.
 *
 * bench_caps compiles the same steps in (nono_floor_apply, without the
 * constructor) to time them beside nono_apply() at every policy size.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "capdrop.h"
#include "filter.h"
#include "floor.h"
#include "landlock-compat.h"

#define FLOOR_ENV "NONO_FLOOR"
#define FLOOR_EXIT 126
#define FLOOR_MAX_PATH 4096

static _Noreturn void floor_die(const char *what)
{
	static const char prefix[] = "nono-floor: ";

	(void)!write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
	(void)!write(STDERR_FILENO, what, strlen(what));
	(void)!write(STDERR_FILENO, "\n", 1);
	_exit(FLOOR_EXIT);
}

/* The next hex number of the header, and the separator after it. */
static uint64_t floor_hex(const char **p)
{
	char *end;
	uint64_t v = strtoull(*p, &end, 16);

	if (end == *p || (*end != ',' && *end != ';' && *end != ':' && *end))
		floor_die("malformed plan");
	*p = *end ? end + 1 : end;
	return v;
}

void nono_floor_apply(const char *p)
{
	struct nono__ll_ruleset_attr attr = { 0 };
	int first_fd = -1, last_fd = -1;
	uint64_t restrict_flags, filters, abi;
	nono_diag diag;

	attr.handled_access_fs = floor_hex(&p);
	attr.handled_access_net = floor_hex(&p);
	attr.scoped = floor_hex(&p);
	restrict_flags = floor_hex(&p);
	filters = floor_hex(&p);
	abi = floor_hex(&p);

	int ruleset = nono__ll_create_ruleset(
		&attr, nono__ll_ruleset_attr_size((int)abi), 0);
	if (ruleset < 0)
		floor_die("landlock_create_ruleset");
	while (*p) {
		struct landlock_path_beneath_attr rule = {
			.allowed_access = floor_hex(&p),
		};
		char path[FLOOR_MAX_PATH];
		size_t n = strcspn(p, ";");

		if (n >= sizeof(path))
			floor_die("path too long");
		memcpy(path, p, n);
		path[n] = '\0';
		p += n + (p[n] == ';');
		rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
		if (rule.parent_fd < 0)
			floor_die(path);
		if (first_fd < 0)
			first_fd = rule.parent_fd;
		last_fd = rule.parent_fd;
		if (nono__ll_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH,
				      &rule, 0) < 0)
			floor_die("landlock_add_rule");
	}
	if (first_fd >= 0 &&
	    close_range((unsigned)first_fd, (unsigned)last_fd, 0) < 0)
		floor_die("close_range");
	if (nono__capabilities_drop(NONO_CAPABILITIES_DEFAULT, &diag) < 0)
		floor_die(diag.message);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		floor_die("no_new_privs");
	if (nono__ll_restrict_self(ruleset, (__u32)restrict_flags) < 0)
		floor_die("landlock_restrict_self");
	close(ruleset);
	if (nono__filters_load((unsigned)filters,
			       restrict_flags & LANDLOCK_RESTRICT_SELF_TSYNC,
			       &diag) < 0)
		floor_die(diag.message);
}

#ifdef NONO_FLOOR_PRELOAD
__attribute__((constructor)) static void floor_init(void)
{
	const char *p = getenv(FLOOR_ENV);

	if (!p)
		floor_die(FLOOR_ENV " is not set");
	nono_floor_apply(p);
}
#endif
