// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the Seatbelt rule validator (nono_platform_rule_validate),
 * and adding a valid rule to a capability set.
 */
#include <string.h>

#include "fuzz.h"
#include "libnono.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nono_caps *caps = NULL;
	nono_diag diag;
	char *rule;
	int rc;

	/* The validator takes a C string: the input up to its first NUL. */
	rule = malloc(size + 1);
	if (!rule)
		return 0;
	memcpy(rule, data, size);
	rule[size] = '\0';

	nono_diag_clear(&diag);
	rc = nono_platform_rule_validate(rule, &diag);
	FUZZ_CHECK(rc == 0 || rc == NONO_EINVAL, "rc %d", rc);
	FUZZ_CHECK(memchr(diag.message, '\0', sizeof(diag.message)),
		   "diag message not terminated");
	if (rc != 0)
		FUZZ_CHECK(diag.message[0] != '\0', "no reason given");

	/* Adding must agree with validating. */
	if (nono_caps_new(&caps) == 0) {
		int add = nono_caps_platform_rule(caps, rule, NULL);

		FUZZ_CHECK(add == rc || add == NONO_ENOMEM,
			   "validate says %d, add says %d", rc, add);
		if (add == 0) {
			FUZZ_CHECK(nono_caps_platform_rule_count(caps) == 1,
				   "rule not kept");
			FUZZ_CHECK(strcmp(nono_caps_platform_rule_at(caps, 0),
					  rule) == 0,
				   "rule not kept as given");
		}
		nono_caps_free(caps);
	}
	free(rule);
	return 0;
}
