// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target: the JSON state reader (nono_state_from_json). What parses
 * is written back (nono_state_to_json), and the text written must parse
 * again and be written the same way: a state survives a round trip.
 */
#include <string.h>

#include "fuzz.h"
#include "libnono.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	nono_state *state = NULL, *again = NULL;
	char *json, *json2;
	nono_diag diag;
	int rc;

	nono_diag_clear(&diag);
	rc = nono_state_from_json((const char *)data, size, &state, &diag);
	if (rc != 0) {
		FUZZ_CHECK(rc < 0, "rc %d", rc);
		FUZZ_CHECK(state == NULL, "a state left behind on error");
		FUZZ_CHECK(memchr(diag.message, '\0', sizeof(diag.message)),
			   "diag message not terminated");
		FUZZ_CHECK(diag.message[0] != '\0', "no message for %d", rc);
		return 0;
	}
	json = nono_state_to_json(state);
	FUZZ_CHECK(json != NULL, "cannot write back a state that parsed");

	nono_diag_clear(&diag);
	rc = nono_state_from_json(json, strlen(json), &again, &diag);
	FUZZ_CHECK(rc == 0, "what was written does not parse: %s\n%s",
		   diag.message, json);
	FUZZ_CHECK(nono_state_is_network_blocked(again) ==
			   nono_state_is_network_blocked(state),
		   "net_blocked changed");
	json2 = nono_state_to_json(again);
	FUZZ_CHECK(json2 != NULL, "cannot write back the second time");
	FUZZ_CHECK(strcmp(json, json2) == 0, "round trip differs:\n%s\n%s",
		   json, json2);

	nono_free(json2);
	nono_free(json);
	nono_state_free(again);
	nono_state_free(state);
	return 0;
}
