// SPDX-License-Identifier: Apache-2.0
/*
 * The seccomp filters every sandbox gets (core/filter-gen.c), decision by
 * decision: each case is a system call with its arguments, made for real in
 * a forked child after nono_apply, and the errno the sandbox must give (0:
 * it must succeed). Where the call is harmless without a sandbox, a control
 * run in another child makes it unsandboxed first and must see something
 * else, so that a refusal is shown to be the filter's and not the kernel's.
 *
 * Calls that would change the machine if the filter failed are made with
 * arguments that change nothing (a bad magic number for reboot, the current
 * host name in a UTS namespace of the child's own, a file that does not
 * exist for swapoff and acct), or are not controlled.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

/* The child's exit statuses beyond errno values (which stay below 200). */
#define CHILD_SETUP 250
#define CHILD_APPLY 251
#define CHILD_WRONG 252

/* Placeholders in a case's arguments, replaced in the child. */
#define ARG_FILE 0x7f00000000000001ull	 /* a file in a writable grant */
#define ARG_PARENT 0x7f00000000000002ull /* the test process's pid */
#define ARG_HOST 0x7f00000000000003ull	 /* the current host name */
#define ARG_BUF 0x7f00000000000004ull	 /* a zeroed 4 KiB buffer */

#define PROBE_CMD 0x4e4f4e4fu

enum setup {
	S_DEFAULT,   /* a new set: signals isolated, network open */
	S_SIGNALS,   /* [process] signals = allow */
	S_METADATA,  /* [filesystem] metadata = protect */
	S_UNIX_NONE, /* [network] unix = none */
	S_BLOCKED,   /* block = true: unix defaults to granted */
	S_CONNECT,   /* block = true, connect_tcp = 443 */
	S_BIND,	     /* block = true, connect_tcp = 443, bind_tcp = 8080 */
};

/* Arrays only: Criterion hands parameters to another process. */
struct fcase {
	char name[40];
	long nr;
	unsigned long long args[6];
	enum setup setup;
	int want;     /* the errno under the sandbox, 0 for success */
	bool control; /* run unsandboxed first: must not give `want` */
	bool uts;     /* in a UTS namespace of the child's own */
};

#define A(...)              \
	{                   \
		__VA_ARGS__ \
	}

/* Rows leave `uts` out, as false, where no namespace is needed. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct fcase cases[] = {
	/* The baseline. */
	{ "add_key", SYS_add_key, A(0), S_DEFAULT, EPERM, true },
	{ "request_key", SYS_request_key, A(0), S_DEFAULT, EPERM, true },
	{ "keyctl get session keyring", SYS_keyctl, A(0, -3ull, 0), S_DEFAULT,
	  EPERM, true },
	{ "bpf", SYS_bpf, A(-1ull, 0, 0), S_DEFAULT, EPERM, true },
	{ "perf_event_open", SYS_perf_event_open, A(0, 0, -1ull, -1ull, 0),
	  S_DEFAULT, EPERM, true },
	{ "fanotify_init", SYS_fanotify_init, A(0xffffffffull, 0), S_DEFAULT,
	  EPERM, true },
	{ "syslog size", SYS_syslog, A(10, 0, 0), S_DEFAULT, EPERM, true },
	{ "sethostname", SYS_sethostname, A(ARG_HOST, 0), S_DEFAULT, EPERM,
	  true, true },
	{ "setdomainname", SYS_setdomainname, A(ARG_BUF, 0), S_DEFAULT, EPERM,
	  true, true },
	{ "clock_settime bad clock", SYS_clock_settime, A(-1ull, ARG_BUF),
	  S_DEFAULT, EPERM, true },
	{ "clock_adjtime bad clock", SYS_clock_adjtime, A(-1ull, ARG_BUF),
	  S_DEFAULT, EPERM, true },
	{ "settimeofday nothing", SYS_settimeofday, A(0, 0), S_DEFAULT, EPERM,
	  true },
	{ "adjtimex", SYS_adjtimex, A(0), S_DEFAULT, EPERM, true },
	{ "reboot bad magic", SYS_reboot, A(0, 0, 0, 0), S_DEFAULT, EPERM,
	  true },
	{ "swapoff missing", SYS_swapoff, A(ARG_FILE), S_DEFAULT, EPERM,
	  false },
	{ "swapon missing", SYS_swapon, A(ARG_FILE, 0), S_DEFAULT, EPERM,
	  false },
	{ "kexec_load bad flags", SYS_kexec_load, A(0, 0, 0, 0xffff0000ull),
	  S_DEFAULT, EPERM, true },
	{ "kexec_file_load bad fd", SYS_kexec_file_load, A(-1ull, -1ull, 0),
	  S_DEFAULT, EPERM, true },
	{ "init_module empty", SYS_init_module, A(0, 0, 0), S_DEFAULT, EPERM,
	  true },
	{ "finit_module bad fd", SYS_finit_module, A(-1ull, 0, 0), S_DEFAULT,
	  EPERM, true },
	{ "delete_module missing", SYS_delete_module, A(ARG_BUF, O_NONBLOCK),
	  S_DEFAULT, EPERM, true },
	{ "acct", SYS_acct, A(ARG_FILE), S_DEFAULT, EPERM, false },
	{ "open_by_handle_at", SYS_open_by_handle_at, A(-1ull, 0, 0), S_DEFAULT,
	  EPERM, true },
	{ "iopl", SYS_iopl, A(4), S_DEFAULT, EPERM, true },
	{ "ioperm", SYS_ioperm, A(0x10000, 1, 1), S_DEFAULT, EPERM, true },
	{ "vhangup", SYS_vhangup, A(0), S_DEFAULT, EPERM, false },
	{ "io_uring_setup", SYS_io_uring_setup, A(0, 0), S_DEFAULT, EPERM,
	  true },
	{ "io_uring_enter", SYS_io_uring_enter, A(-1ull, 0, 0, 0, 0, 0),
	  S_DEFAULT, EPERM, true },
	{ "io_uring_register", SYS_io_uring_register, A(-1ull, 0, 0, 0),
	  S_DEFAULT, EPERM, true },
	{ "userfaultfd", SYS_userfaultfd, A(0xffffffffull), S_DEFAULT, EPERM,
	  true },
	{ "ioctl TIOCSTI", SYS_ioctl, A(-1ull, TIOCSTI, ARG_BUF), S_DEFAULT,
	  EPERM, true },
	/* The kernel reads 32 bits of the command: so must the filter. */
	{ "ioctl TIOCSTI, upper bits set", SYS_ioctl,
	  A(-1ull, 0xdeadbeef00000000ull | TIOCSTI, ARG_BUF), S_DEFAULT, EPERM,
	  true },
	{ "ioctl TIOCLINUX", SYS_ioctl, A(-1ull, TIOCLINUX, ARG_BUF), S_DEFAULT,
	  EPERM, true },
	{ "ioctl other, bad fd", SYS_ioctl, A(-1ull, FIONREAD, ARG_BUF),
	  S_DEFAULT, EBADF, false },
	{ "the probe", SYS_ioctl, A(-1ull, PROBE_CMD, 0), S_DEFAULT,
	  ENOTRECOVERABLE, true },
	{ "the probe, fd -1 in 32 bits", SYS_ioctl,
	  A(0xffffffffull, PROBE_CMD, 0), S_DEFAULT, ENOTRECOVERABLE, true },
	/* Process control, with signals isolated (the default). */
	{ "prlimit64 of another", SYS_prlimit64,
	  A(ARG_PARENT, RLIMIT_CPU, 0, ARG_BUF), S_DEFAULT, EPERM, true },
	{ "prlimit64 of myself", SYS_prlimit64, A(0, RLIMIT_CPU, 0, ARG_BUF),
	  S_DEFAULT, 0, false },
	/* The kernel would read pid 0 here; the filter refuses, which is
	 * the safe way to be wrong. */
	{ "prlimit64, pid 0 with upper bits", SYS_prlimit64,
	  A(0x100000000ull, RLIMIT_CPU, 0, ARG_BUF), S_DEFAULT, EPERM, false },
	{ "setpriority of another", SYS_setpriority,
	  A(PRIO_PROCESS, ARG_PARENT, 0), S_DEFAULT, EPERM, false },
	{ "setpriority of my group", SYS_setpriority, A(PRIO_PGRP, 0, 0),
	  S_DEFAULT, EPERM, false },
	{ "setpriority of my user", SYS_setpriority, A(PRIO_USER, 0, 0),
	  S_DEFAULT, EPERM, false },
	{ "setpriority of myself", SYS_setpriority, A(PRIO_PROCESS, 0, 0),
	  S_DEFAULT, 0, false },
	{ "sched_setaffinity of another", SYS_sched_setaffinity,
	  A(ARG_PARENT, 8, ARG_BUF), S_DEFAULT, EPERM, false },
	{ "sched_setscheduler of another", SYS_sched_setscheduler,
	  A(ARG_PARENT, 0, ARG_BUF), S_DEFAULT, EPERM, false },
	{ "sched_setparam of another", SYS_sched_setparam,
	  A(ARG_PARENT, ARG_BUF), S_DEFAULT, EPERM, false },
	{ "sched_setattr of another", SYS_sched_setattr,
	  A(ARG_PARENT, ARG_BUF, 0), S_DEFAULT, EPERM, false },
	{ "ioprio_set of another", SYS_ioprio_set, A(1, ARG_PARENT, 0),
	  S_DEFAULT, EPERM, false },
	{ "ioprio_set of my group", SYS_ioprio_set, A(2, 0, 0), S_DEFAULT,
	  EPERM, false },
	{ "migrate_pages of another", SYS_migrate_pages, A(ARG_PARENT, 0, 0, 0),
	  S_DEFAULT, EPERM, false },
	{ "move_pages of another", SYS_move_pages, A(ARG_PARENT, 0, 0, 0, 0, 0),
	  S_DEFAULT, EPERM, false },
	{ "process_madvise", SYS_process_madvise, A(-1ull, 0, 0, 0, 0),
	  S_DEFAULT, EPERM, true },
	/* signals = allow lifts process control, not the baseline. */
	{ "prlimit64 of another, signals allowed", SYS_prlimit64,
	  A(ARG_PARENT, RLIMIT_CPU, 0, ARG_BUF), S_SIGNALS, 0, false },
	{ "bpf, signals allowed", SYS_bpf, A(-1ull, 0, 0), S_SIGNALS, EPERM,
	  false },
	/* Metadata: allowed by default, refused with protect. */
	{ "chmod", SYS_chmod, A(ARG_FILE, 0600), S_DEFAULT, 0, false },
	{ "chmod, protected", SYS_chmod, A(ARG_FILE, 0600), S_METADATA, EPERM,
	  false },
	{ "fchmodat, protected", SYS_fchmodat, A(-100ull, ARG_FILE, 0600),
	  S_METADATA, EPERM, false },
	{ "fchmodat2, protected", 452, A(-100ull, ARG_FILE, 0600, 0),
	  S_METADATA, EPERM, false },
	{ "chown, protected", SYS_chown, A(ARG_FILE, 0, 0), S_METADATA, EPERM,
	  false },
	{ "fchownat, protected", SYS_fchownat, A(-100ull, ARG_FILE, 0, 0, 0),
	  S_METADATA, EPERM, false },
	{ "utimensat, protected", SYS_utimensat, A(-100ull, ARG_FILE, 0, 0),
	  S_METADATA, EPERM, false },
	{ "utimes, protected", SYS_utimes, A(ARG_FILE, 0), S_METADATA, EPERM,
	  false },
	{ "setxattr, protected", SYS_setxattr,
	  A(ARG_FILE, ARG_BUF, ARG_BUF, 1, 0), S_METADATA, EPERM, false },
	{ "removexattr, protected", SYS_removexattr, A(ARG_FILE, ARG_BUF),
	  S_METADATA, EPERM, false },
	{ "setxattrat, protected", 463, A(-100ull, ARG_FILE, 0, 0, 0, 0),
	  S_METADATA, EPERM, false },
	{ "FS_IOC_SETFLAGS, protected", SYS_ioctl,
	  A(-1ull, FS_IOC_SETFLAGS, ARG_BUF), S_METADATA, EPERM, false },
	/* UNIX sockets. */
	{ "socket(AF_UNIX)", SYS_socket, A(AF_UNIX, SOCK_STREAM, 0), S_DEFAULT,
	  0, false },
	{ "socket(AF_UNIX), unix = none", SYS_socket,
	  A(AF_UNIX, SOCK_STREAM, 0), S_UNIX_NONE, EACCES, false },
	{ "socketpair(AF_UNIX), unix = none", SYS_socketpair,
	  A(AF_UNIX, SOCK_STREAM, 0, ARG_BUF), S_UNIX_NONE, 0, false },
	{ "socket(AF_UNIX), blocked", SYS_socket, A(AF_UNIX, SOCK_DGRAM, 0),
	  S_BLOCKED, EACCES, false },
	/* listen(): refused where TCP sockets exist and no port may be
	 * bound; on a bad descriptor the kernel alone says EBADF. */
	{ "listen, connect_tcp only", SYS_listen, A(-1ull, 1), S_CONNECT,
	  EACCES, false },
	{ "listen, network open", SYS_listen, A(-1ull, 1), S_DEFAULT, EBADF,
	  false },
	{ "listen, a bind port granted", SYS_listen, A(-1ull, 1), S_BIND, EBADF,
	  false },
};

ParameterizedTestParameters(filter_live, decision)
{
	return cr_make_param_array(struct fcase, (void *)cases,
				   sizeof(cases) / sizeof(cases[0]));
}

static char *grant_dir;
static char *file_path;
static char buf[4096];
static char host[256];

static unsigned long resolve(unsigned long long a)
{
	switch (a) {
	case ARG_FILE:
		return (unsigned long)file_path;
	case ARG_PARENT:
		return (unsigned long)getppid();
	case ARG_HOST:
		return (unsigned long)host;
	case ARG_BUF:
		return (unsigned long)buf;
	default:
		return (unsigned long)a;
	}
}

static int apply_setup(enum setup s)
{
	nono_caps *caps = NULL;
	int rc;

	if (nono_caps_new(&caps) != 0)
		return -1;
	rc = nono_caps_allow_path(caps, grant_dir, NONO_ACCESS_READ_WRITE);
	switch (s) {
	case S_DEFAULT:
		break;
	case S_SIGNALS:
		rc = rc ? rc
			: nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					      NONO_SCOPE_MODE_ALLOWED);
		break;
	case S_METADATA:
		rc = rc ? rc : nono_caps_set_protect_metadata(caps, true);
		break;
	case S_UNIX_NONE:
		rc = rc ? rc : nono_caps_set_unix(caps, NONO_UNIX_NONE);
		break;
	case S_BIND:
		rc = rc ? rc : nono_caps_allow_tcp_bind(caps, 8080);
		/* fall through */
	case S_CONNECT:
		rc = rc ? rc : nono_caps_allow_tcp_connect(caps, 443);
		/* fall through */
	case S_BLOCKED:
		rc = rc ? rc : nono_caps_block_network(caps);
		break;
	}
	if (rc == 0)
		rc = nono_apply(caps, 0, NULL, NULL);
	nono_caps_free(caps);
	return rc;
}

struct run {
	const struct fcase *c;
	bool sandboxed;
};

/* In the child: the call, with or without the sandbox; exits with its
 * errno (0 for success). */
static int make_call(void *arg)
{
	const struct run *r = arg;
	const struct fcase *c = r->c;
	unsigned long a[6];

	/* No controlling terminal: vhangup() has nothing to hang up. */
	setsid();
	if (c->uts && unshare(CLONE_NEWUTS) != 0)
		return CHILD_SETUP;
	if (gethostname(host, sizeof(host)) != 0)
		return CHILD_SETUP;
	for (int i = 0; i < 6; i++)
		a[i] = resolve(c->args[i]);
	if (r->sandboxed && apply_setup(c->setup) != 0)
		return CHILD_APPLY;
	errno = 0;
	long rc = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (rc >= 0)
		return 0;
	return errno > 0 && errno < 200 ? errno : CHILD_SETUP;
}

ParameterizedTest(const struct fcase *c, filter_live, decision)
{
	tu_require_landlock();
	if (c->setup >= S_CONNECT)
		tu_require_abi(4, "TCP ports");
	grant_dir = tu_tmpdir();
	file_path = tu_fmt("%s/file", grant_dir);
	tu_write_file(file_path, "x");

	struct run r = { .c = c, .sandboxed = true };
	int got = tu_in_child(make_call, &r);
	cr_assert_neq(got, CHILD_APPLY, "%s: nono_apply failed", c->name);
	cr_assert_neq(got, CHILD_SETUP, "%s: the child's setup failed",
		      c->name);
	cr_expect_eq(got, c->want, "%s: the sandbox gives %s (%d), want %s",
		     c->name, got ? strerror(got) : "success", got,
		     c->want ? strerror(c->want) : "success");
	if (c->control) {
		r.sandboxed = false;
		int control = tu_in_child(make_call, &r);
		cr_expect_neq(control, c->want,
			      "%s: without a sandbox the kernel gives the same "
			      "(%d), so the test proves nothing",
			      c->name, control);
	}
	tu_rm_rf(grant_dir);
	free(file_path);
	free(grant_dir);
}

/* ---- Capabilities ---------------------------------------------------- */

#define CHILD_WRONG 252

static uint64_t cap_effective(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_capget, &h, d) != 0)
		return 0;
	return d[0].effective | (uint64_t)d[1].effective << 32;
}

static void require_root(void)
{
	tu_require_landlock();
	if (!(cap_effective() & (UINT64_C(1) << CAP_SYS_ADMIN)))
		tu_skip(0, "the tests run without CAP_SYS_ADMIN: there are "
			   "no capabilities to drop");
}

static int apply_caps(uint64_t keep)
{
	nono_caps *caps = NULL;
	int rc = nono_caps_new(&caps);

	if (rc == 0)
		rc = nono_caps_allow_path(caps, grant_dir,
					  NONO_ACCESS_READ_WRITE);
	if (rc == 0)
		rc = nono_caps_set_capabilities(caps, keep);
	if (rc == 0)
		rc = nono_apply(caps, 0, NULL, NULL);
	nono_caps_free(caps);
	return rc;
}

/* Root keeps the default set, in every set, bounding included. */
static int default_set(void *arg)
{
	(void)arg;
	if (apply_caps(NONO_CAPABILITIES_DEFAULT) != 0)
		return CHILD_APPLY;
	uint64_t eff = cap_effective();
	if (eff != NONO_CAPABILITIES_DEFAULT)
		return CHILD_WRONG;
	if (prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_SETFCAP, 0, 0, 0) != 0 ||
	    prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0) != 1)
		return CHILD_WRONG;
	return 0;
}

Test(capabilities, root_keeps_the_default_set)
{
	require_root();
	grant_dir = tu_tmpdir();
	int status = tu_in_child(default_set, NULL);
	cr_assert_neq(status, CHILD_APPLY, "nono_apply failed");
	cr_assert_eq(status, 0,
		     "after nono_apply root's effective set is the default "
		     "and the bounding set lost sys_admin and setfcap");
	tu_rm_rf(grant_dir);
}

static int keep_all(void *arg)
{
	(void)arg;
	if (apply_caps(NONO_CAPABILITIES_ALL) != 0)
		return CHILD_APPLY;
	return cap_effective() & (UINT64_C(1) << CAP_SYS_ADMIN) ? 0
								: CHILD_WRONG;
}

Test(capabilities, keep_keeps_them_all)
{
	require_root();
	grant_dir = tu_tmpdir();
	int status = tu_in_child(keep_all, NULL);
	cr_assert_neq(status, CHILD_APPLY, "nono_apply failed");
	cr_assert_eq(status, 0, "capabilities = keep leaves sys_admin");
	tu_rm_rf(grant_dir);
}

/* The attacks: a device node in a writable grant (mknod), and file
 * capabilities on a binary, which another user would then run with. */
struct cap_attack {
	bool sandboxed;
	bool xattr;
};

static int cap_attack(void *arg)
{
	const struct cap_attack *a = arg;
	/* The child exits: what it allocates is not freed. */
	char *path = tu_fmt("%s/%s", grant_dir, a->xattr ? "file" : "null");
	/* VFS_CAP_REVISION_2, effective, CAP_DAC_READ_SEARCH permitted. */
	uint32_t fcaps[5] = { 0x02000001u, 1u << CAP_DAC_READ_SEARCH, 0, 0, 0 };
	int rc;

	if (a->sandboxed && apply_caps(NONO_CAPABILITIES_DEFAULT) != 0)
		return CHILD_APPLY;
	if (a->xattr)
		rc = setxattr(path, "security.capability", fcaps, sizeof(fcaps),
			      0);
	else
		rc = mknod(path, S_IFCHR | 0666, makedev(1, 3));
	return rc == 0 ? 0 : errno;
}

static void expect_refused(bool xattr, const char *what)
{
	struct cap_attack a = { .sandboxed = false, .xattr = xattr };

	require_root();
	grant_dir = tu_tmpdir();
	file_path = tu_fmt("%s/file", grant_dir);
	tu_write_file(file_path, "x");
	cr_assert_eq(tu_in_child(cap_attack, &a), 0,
		     "%s works without a sandbox: the attack is real", what);
	char *node = tu_fmt("%s/null", grant_dir);
	unlink(node);
	free(node);
	a.sandboxed = true;
	int status = tu_in_child(cap_attack, &a);
	cr_assert_neq(status, CHILD_APPLY, "nono_apply failed");
	cr_assert_eq(status, EPERM, "%s inside the sandbox: got %d", what,
		     status);
	tu_rm_rf(grant_dir);
}

Test(capabilities, no_device_nodes_in_a_writable_grant)
{
	expect_refused(false, "mknod of a character device");
}

Test(capabilities, no_file_capabilities)
{
	expect_refused(true, "setting security.capability");
}
