// SPDX-License-Identifier: Apache-2.0
/*
 * nono_is_confined(), alone in its file so that the shim's preloaded object
 * (shim/shim.c), which needs nothing else of the library to recognise the
 * sandbox its parent applied, links nothing else.
 */
#include "backend.h"

NONO_API bool nono_is_confined(void)
{
	return nono__backend_is_confined();
}
