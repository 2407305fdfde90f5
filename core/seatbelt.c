// SPDX-License-Identifier: Apache-2.0
/*
 * The macOS backend: Seatbelt, through sandbox_init().
 *
 * Everything the profile says is decided in sbpl.c, which is portable and
 * tested on every platform; this file only hands the text to the kernel,
 * and is kept that small on purpose, because it is the one part of libnono
 * that cannot run where it is developed and tested (see docs/macos.md).
 *
 * Meson builds it on macOS only. Everything it calls is declared here by
 * hand, so it also compiles elsewhere with NONO_SEATBELT_SYNTAX_CHECK
 * defined, which the Linux build does (tests/meson.build) to keep it from
 * rotting unseen.
 */
#if !defined(__APPLE__) && !defined(NONO_SEATBELT_SYNTAX_CHECK)
#error "seatbelt.c is the macOS backend; Meson builds it on macOS only"
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "backend.h"
#include "sbpl.h"

/*
 * libsystem_sandbox. sandbox_init() is marked deprecated in <sandbox.h>
 * (which would be a warning, and an error under -Werror) but still
 * works, is what nono and OpenSSH's sandbox-darwin call, and applying a
 * profile given as text has no other public entry point. Flags 0 means "the
 * profile is SBPL text", not the name of a built-in profile. sandbox_check() is
 * not in the public headers at all; with no operation it asks whether the
 * process is sandboxed, and returns 1 when it is. Its third argument is an enum
 * sandbox_filter_type, passed as int; SANDBOX_FILTER_NONE is 0.
 */
int sandbox_init(const char *profile, uint64_t flags, char **errorbuf);
void sandbox_free_error(char *errorbuf);
int sandbox_check(pid_t pid, const char *operation, int type, ...);

#define SEATBELT_RAW_PROFILE 0
#define SEATBELT_FILTER_NONE 0

void nono__backend_support(nono_support_info *out)
{
	memset(out, 0, sizeof(*out));
	/* sandbox_init() has been in every macOS since 10.5: there is
	 * nothing to probe. */
	out->is_supported = true;
	snprintf(out->platform, sizeof(out->platform), "macos");
	out->features = NONO_SBPL_FEATURES | NONO_FEATURE_NETWORK_TCP;
	snprintf(out->details, sizeof(out->details),
		 "Seatbelt available (sandbox_init with a generated SBPL "
		 "profile)");
}

bool nono__backend_is_confined(void)
{
	return sandbox_check(getpid(), NULL, SEATBELT_FILTER_NONE) == 1;
}

int nono__backend_apply(const struct nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag)
{
	char *profile = NULL;
	char *error = NULL;
	int rc;

	/* Seatbelt confines every thread of the process, so
	 * NONO_APPLY_THIS_THREAD_ONLY changes nothing here. */
	rc = nono__sbpl_generate(caps, flags, &profile, result, diag);
	if (rc)
		return rc;

	if (sandbox_init(profile, SEATBELT_RAW_PROFILE, &error) != 0) {
		/*
		 * Seatbelt does not stack profiles: in a process that is
		 * already sandboxed, say so, since the kernel's own message
		 * need not.
		 */
		rc = nono__diag_set(diag, NONO_EAPPLY, "sandbox_init: %s%s",
				    error ? error : "failed without a message",
				    nono__backend_is_confined()
					    ? " (this process is already "
					      "inside a Seatbelt sandbox, and "
					      "Seatbelt cannot apply a second "
					      "one)"
					    : "");
		if (error)
			sandbox_free_error(error);
		memset(result, 0, sizeof(*result));
		goto free_profile;
	}
	rc = 0;

free_profile:
	free(profile);
	return rc;
}

/* Seatbelt has no ABI versions: what it enforces, it always has. */
int nono__backend_feature_abi(unsigned feature)
{
	(void)feature;
	return 0;
}
