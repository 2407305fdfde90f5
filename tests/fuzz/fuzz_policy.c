// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the INI policy loader (nono_policy_load_buffer), from bytes
 * to a capability set, its summary, and back to nothing.
 *
 * Paths in a policy are canonicalised, so a grant that loads names a real
 * path: the seeds take theirs from tests/data/policies through
 * ${NONO_TEST_POLICIES}, set here as the unit tests set it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "libnono.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("NONO_TEST_POLICIES", NONO_TEST_DATA_DIR "/policies", 1);
	setenv("HOME", NONO_TEST_DATA_DIR "/policies/tree", 1);
	setenv("NONO_TEST_EMPTY", "", 1);
	unsetenv("NONO_TEST_SURELY_UNSET");
	/* private_tmp = true makes a directory per distinct policy: they go
	 * in a directory of this run, and each is removed after its load. */
	static char tmp[] = "/tmp/nono-fuzz-XXXXXX";
	if (mkdtemp(tmp))
		setenv("TMPDIR", tmp, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nono_policy *policy = NULL;
	nono_diag diag;
	char *summary;
	int rc;

	nono_diag_clear(&diag);
	rc = nono_policy_load_buffer("fuzz.ini", (const char *)data, size,
				     &policy, &diag);
	if (rc != 0) {
		FUZZ_CHECK(rc < 0, "rc %d", rc);
		FUZZ_CHECK(policy == NULL, "a policy left behind on error");
		FUZZ_CHECK(diag.code == rc, "diag code %d, rc %d", diag.code,
			   rc);
		FUZZ_CHECK(memchr(diag.message, '\0', sizeof(diag.message)),
			   "diag message not terminated");
		FUZZ_CHECK(memchr(diag.file, '\0', sizeof(diag.file)),
			   "diag file not terminated");
		FUZZ_CHECK(diag.message[0] != '\0', "no message for %d", rc);
		FUZZ_CHECK(!strchr(diag.message, '\n'),
			   "a message of more than one line: '%s'",
			   diag.message);
		return 0;
	}
	FUZZ_CHECK(policy != NULL, "success without a policy");
	summary = nono_caps_summary(nono_policy_caps(policy));
	FUZZ_CHECK(summary != NULL, "no summary");
	nono_free(summary);
	for (size_t i = 0; i < nono_policy_note_count(policy); i++)
		FUZZ_CHECK(nono_policy_note(policy, i) != NULL, "note %zu", i);
	if (nono_policy_private_tmp(policy))
		rmdir(nono_policy_private_tmp(policy));
	nono_policy_free(policy);
	return 0;
}
