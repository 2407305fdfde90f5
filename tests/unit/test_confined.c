// SPDX-License-Identifier: Apache-2.0
/*
 * nono_is_confined() on Linux: the sign the shim trusts before it skips a
 * policy its parent applied (no_new_privs and the baseline filter's
 * probe). Each test runs in a forked
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

/* no_new_privs alone, as systemd's NoNewPrivileges=, setpriv and container
 * runtimes set it, is not a sandbox of nono's: the answer stays false, so
 * that a copied marker cannot switch the shim off in such a process. */
static int false_with_no_new_privs_alone(void *arg)
{
	(void)arg;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return CHILD_APPLY_FAILED;
	return nono_is_confined() ? CHILD_WRONG : CHILD_OK;
}

Test(confined, false_with_no_new_privs_alone)
{
	int status = tu_in_child(false_with_no_new_privs_alone, NULL);

	cr_assert_neq(status, CHILD_APPLY_FAILED,
		      "prctl(PR_SET_NO_NEW_PRIVS) failed in the child");
	cr_assert_eq(status, CHILD_OK,
		     "nono_is_confined() is true in a process with "
		     "no_new_privs and no sandbox (child status %d)",
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

	tu_require_landlock();
	status = tu_in_child(true_after_apply, NULL);
	cr_assert_neq(status, CHILD_APPLY_FAILED,
		      "nono_apply of an empty set failed in the child");
	cr_assert_eq(status, CHILD_OK,
		     "nono_is_confined() is false after nono_apply (child "
		     "status %d)",
		     status);
}
