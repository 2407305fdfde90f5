// SPDX-License-Identifier: Apache-2.0
/*
 * Live tests of the features Landlock ABI 7 to 10 bring (issue 21): each
 * forks a child that applies a set and tries the operation, and the parent
 * checks the child's exit status. A test whose ABI the kernel lacks skips,
 * naming the ABI; the proof for those ABIs is then test_ll_plan.c, which
 * plans every ABI without the kernel (docs/threat-model.md says so).
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libnono.h"
#include "helpers/testutil.h"

/* Exit statuses of the children. */
#define CHILD_OK 0
#define CHILD_APPLY_FAILED 10
#define CHILD_WRONG 11

static nono_caps *new_caps(void)
{
	nono_caps *caps;

	cr_assert_eq(nono_caps_new(&caps), 0, "new");
	return caps;
}

/* ---- ABI 7: kernel_log ---- */

static int apply_with_log(void *arg)
{
	nono_apply_result res;
	nono_caps *caps = arg;

	if (nono_apply(caps, 0, &res, NULL) != 0)
		return CHILD_APPLY_FAILED;
	return (res.enforced & NONO_FEATURE_KERNEL_LOG) ? CHILD_OK
							: CHILD_WRONG;
}

Test(abi_live, kernel_log_is_applied_from_abi_7)
{
	tu_require_abi(7, "choosing what the audit log records");
	for (int mode = NONO_KERNEL_LOG_DENIALS; mode <= NONO_KERNEL_LOG_OFF;
	     mode++) {
		nono_caps *caps = new_caps();

		cr_assert_eq(
			nono_caps_set_kernel_log(caps, (nono_kernel_log)mode),
			0, "set");
		cr_expect_eq(tu_in_child(apply_with_log, caps), CHILD_OK,
			     "kernel_log = %s applies and is enforced",
			     nono_kernel_log_str((nono_kernel_log)mode));
		nono_caps_free(caps);
	}
}

/* ---- UDP: refused whole below ABI 10 ---- */

static int udp_strict(void *arg)
{
	return nono_apply(arg, 0, NULL, NULL) == NONO_EUNSUPPORTED
		       ? CHILD_OK
		       : CHILD_WRONG;
}

static int udp_best_effort(void *arg)
{
	nono_apply_result res;
	int fd;

	if (nono_apply(arg, NONO_APPLY_BEST_EFFORT, &res, NULL) != 0)
		return CHILD_APPLY_FAILED;
	if (!(res.dropped & NONO_FEATURE_NETWORK_UDP))
		return CHILD_WRONG;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0) {
		close(fd);
		return CHILD_WRONG;
	}
	return errno == EACCES ? CHILD_OK : CHILD_WRONG;
}

Test(abi_live, udp_exceptions_below_abi_10_keep_udp_refused)
{
	nono_caps *caps;

	/* A skip for having the feature, not for lacking it: not one that
	 * NONO_MUST_WORK turns into a failure. */
	if (tu_support()->abi >= 10)
		cr_skip_test("this kernel has Landlock ABI %d, which judges "
			     "UDP ports (udp_ports_by_landlock)",
			     tu_support()->abi);
	tu_require_abi(1, "a sandbox");
	caps = new_caps();
	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_udp_connect(caps, 53), 0, "udp 53");
	cr_expect_eq(tu_in_child(udp_strict, caps), CHILD_OK,
		     "strict: NONO_EUNSUPPORTED");
	cr_expect_eq(tu_in_child(udp_best_effort, caps), CHILD_OK,
		     "best effort: UDP dropped and refused with EACCES");
	nono_caps_free(caps);
}

/* ---- ABI 8: every thread ---- */

static void *sleeper(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int apply_threaded(void *arg)
{
	nono_apply_result res;
	pthread_t t;

	if (pthread_create(&t, NULL, sleeper, NULL) != 0)
		return CHILD_WRONG;
	if (nono_apply(arg, 0, &res, NULL) != 0)
		return CHILD_APPLY_FAILED;
	return (res.enforced & NONO_FEATURE_ALL_THREADS) ? CHILD_OK
							 : CHILD_WRONG;
}

Test(abi_live, a_multithreaded_process_applies_from_abi_8)
{
	tu_require_abi(8, "restricting every thread at once");
	nono_caps *caps = new_caps();

	cr_expect_eq(tu_in_child(apply_threaded, caps), CHILD_OK,
		     "two threads, no THIS_THREAD_ONLY: applied to both");
	nono_caps_free(caps);
}

/* ---- ABI 9: UNIX sockets by grant ---- */

struct unix_case {
	const char *granted_dir;
	const char *sock_path;
};

static int unix_connect(void *arg)
{
	const struct unix_case *uc = arg;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	nono_caps *caps;
	int fd;

	if (nono_caps_new(&caps) != 0 ||
	    nono_caps_allow_path(caps, uc->granted_dir,
				 NONO_ACCESS_READ | NONO_ACCESS_WRITE) != 0 ||
	    nono_caps_set_unix(caps, NONO_UNIX_GRANTED) != 0)
		return CHILD_WRONG;
	if (nono_apply(caps, 0, NULL, NULL) != 0)
		return CHILD_APPLY_FAILED;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", uc->sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return CHILD_WRONG;
	int rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	int err = errno;

	close(fd);
	if (rc == 0)
		return CHILD_OK;
	return err == EACCES ? 1 : CHILD_WRONG;
}

Test(abi_live, unix_sockets_by_grant_from_abi_9)
{
	tu_require_abi(9, "judging UNIX sockets by grant");
	char *root = tu_tmpdir();
	char *in = tu_fmt("%s/in", root), *out = tu_fmt("%s/out", root);
	char *paths[2] = { tu_fmt("%s/s", in), tu_fmt("%s/s", out) };
	int fds[2];

	tu_mkdir(in);
	tu_mkdir(out);
	for (int i = 0; i < 2; i++) {
		struct sockaddr_un a = { .sun_family = AF_UNIX };

		snprintf(a.sun_path, sizeof(a.sun_path), "%s", paths[i]);
		fds[i] = socket(AF_UNIX, SOCK_STREAM, 0);
		cr_assert(fds[i] >= 0 &&
				  bind(fds[i], (struct sockaddr *)&a,
				       sizeof(a)) == 0 &&
				  listen(fds[i], 1) == 0,
			  "listen on %s", paths[i]);
	}
	struct unix_case ok = { in, paths[0] }, no = { in, paths[1] };
	cr_expect_eq(tu_in_child(unix_connect, &ok), CHILD_OK,
		     "a socket beneath the grant is reachable");
	cr_expect_eq(tu_in_child(unix_connect, &no), 1,
		     "a socket elsewhere is refused with EACCES");
	close(fds[0]);
	close(fds[1]);
}

/* ---- ABI 10: UDP ports ---- */

static int udp_ports(void *arg)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd;

	if (nono_apply(arg, 0, NULL, NULL) != 0)
		return CHILD_APPLY_FAILED;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return CHILD_WRONG;
	to.sin_port = htons(5353);
	bool sent =
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) == 1;
	to.sin_port = htons(5354);
	bool refused =
		sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) < 0 &&
		errno == EACCES;
	close(fd);
	return sent && refused ? CHILD_OK : CHILD_WRONG;
}

Test(abi_live, udp_ports_by_landlock_from_abi_10)
{
	tu_require_abi(10, "judging UDP ports");
	nono_caps *caps = new_caps();

	cr_assert_eq(nono_caps_block_network(caps), 0, "block");
	cr_assert_eq(nono_caps_allow_udp_connect(caps, 5353), 0, "udp");
	cr_expect_eq(tu_in_child(udp_ports, caps), CHILD_OK,
		     "UDP to 5353 is sent, to 5354 refused with EACCES");
	nono_caps_free(caps);
}
