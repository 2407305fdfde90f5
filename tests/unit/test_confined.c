// SPDX-License-Identifier: Apache-2.0
/*
 * nono_is_confined() on Linux: the sign the shim trusts before it skips a
 * policy its parent applied (no_new_privs). Each test runs in a forked
 * child, which reports through its exit status; the Criterion process is
 * never sandboxed.
 */
#include <criterion/criterion.h>

#include <sys/prctl.h>

#include "helpers/testutil.h"
#include "libnono.h"

/* Exit statuses of the children. */
#define CHILD_OK 0
#define CHILD_WRONG 1
#define CHILD_APPLY_FAILED 2

/* Before anything is applied, the answer is whatever no_new_privs is in
 * the environment the tests run in: nothing else may sway it. */
static int agrees_with_no_new_privs(void *arg)
{
	int nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);

	(void)arg;
	return nono_is_confined() == (nnp == 1) ? CHILD_OK : CHILD_WRONG;
}

Test(confined, agrees_with_no_new_privs)
{
	int status = tu_in_child(agrees_with_no_new_privs, NULL);

	cr_assert_eq(status, CHILD_OK,
		     "nono_is_confined() disagrees with PR_GET_NO_NEW_PRIVS "
		     "(child status %d)",
		     status);
}

static int confined_now(void *arg)
{
	(void)arg;
	return nono_is_confined() ? CHILD_OK : CHILD_WRONG;
}

/* After nono_apply, always true, and in the children it starts. */
static int true_after_apply(void *arg)
{
	nono_caps *caps = NULL;
	int rc;

	(void)arg;
	if (nono_caps_new(&caps) != 0)
		return CHILD_APPLY_FAILED;
	rc = nono_apply(caps, NONO_APPLY_BEST_EFFORT, NULL, NULL);
	nono_caps_free(caps);
	if (rc != 0)
		return CHILD_APPLY_FAILED;
	if (confined_now(NULL) != CHILD_OK)
		return CHILD_WRONG;
	return tu_in_child(confined_now, NULL);
}

Test(confined, true_after_apply_and_in_children)
{
	int status;

	if (!nono_is_supported())
		cr_skip_test("this kernel has no Landlock: nothing to apply");
	status = tu_in_child(true_after_apply, NULL);
	cr_assert_neq(status, CHILD_APPLY_FAILED,
		      "nono_apply of an empty set failed in the child");
	cr_assert_eq(status, CHILD_OK,
		     "nono_is_confined() is false after nono_apply (child "
		     "status %d)",
		     status);
}
