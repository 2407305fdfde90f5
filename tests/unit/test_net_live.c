// SPDX-License-Identifier: Apache-2.0
/*
 * Live tests of network blocking and process isolation: each forks a child,
 * which applies a capability set and tries one operation; the parent checks
 * the child's exit status and the apply report it sent back through a pipe.
 * The Criterion process itself is never sandboxed. Every peer the child
 * tries to reach (TCP listeners, UDP receivers, abstract UNIX sockets, a
 * process to signal) is made by the parent, outside the sandbox.
 *
 * A child exits with 0 when the operation worked, with the errno when it
 * failed (EACCES = 13, EPERM = 1, ...), with TU_CHILD_APPLY_FAILED when
 * nono_apply failed and with TU_CHILD_SETUP_FAILED when the test's own set-up
 * inside the child failed. A child killed by a signal shows as 128 + the
 * signal number (tu_in_child), which no expected value matches.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libnono.h"
#include "helpers/testutil.h"

/* The Debian 12 headers know these, but a libc without them must still
 * build the tests; the values are the kernel's ABI. */
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_XDP
#define AF_XDP 44
#endif
#if !defined(__NR_io_uring_setup) && defined(__x86_64__)
#define __NR_io_uring_setup 425
#endif

/* How long the parent waits for something that must not arrive. Whatever
 * the child sent over loopback is queued before the child exits, so this
 * only has to cover scheduling, not the network. */
#define NOTHING_ARRIVES_MS 50

struct job {
	const nono_caps *caps;
	unsigned flags;
	/* Runs in the child before nono_apply; non-zero is a set-up error. */
	int (*pre)(const struct job *job);
	/* Runs in the child after nono_apply (also after a failed apply when
	 * op_even_if_apply_fails); returns 0 or an errno. */
	int (*op)(const struct job *job);
	bool op_even_if_apply_fails;
	/* Run op once before nono_apply too, into report.control. */
	bool control_first;
	int family; /* 0 means AF_INET */
	int type;
	int protocol;
	int port;
	pid_t target;	  /* the process op_kill signals */
	const char *name; /* an abstract UNIX socket name, without the NUL */
};

static nono_support_info support;

static void setup(void)
{
	cr_assert_eq(nono_support_info_get(&support), 0,
		     "support info must be readable");
}

TestSuite(net_live, .init = setup);

static int job_family(const struct job *job)
{
	return job->family ? job->family : AF_INET;
}

static int job_pre(void *arg)
{
	const struct job *job = arg;

	return job->pre(job);
}

static int job_op(void *arg)
{
	const struct job *job = arg;

	return job->op(job);
}

/* The job as the shared harness runs it (tests/helpers/testutil.h). */
static struct tu_apply as_apply(struct job *job)
{
	return (struct tu_apply){
		.caps = job->caps,
		.flags = job->flags,
		.pre = job->pre ? job_pre : NULL,
		.op = job->op ? job_op : NULL,
		.op_even_if_apply_fails = job->op_even_if_apply_fails,
		.control_first = job->control_first,
		.arg = job,
	};
}

/* Runs the job in a child; fills *rep and returns the exit status. */
static int run_job(struct job *job, struct tu_report *rep)
{
	const struct tu_apply a = as_apply(job);

	return tu_apply_in_child(&a, rep);
}

/* Runs a job that must apply, and returns the operation's exit status. */
static int run_applied(struct job *job)
{
	const struct tu_apply a = as_apply(job);

	return tu_apply_ok(&a);
}

static nono_caps *caps_new(void)
{
	nono_caps *caps = NULL;
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	return caps;
}

static nono_caps *caps_blocked(void)
{
	nono_caps *caps = caps_new();
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");
	return caps;
}

static void allow_connect(nono_caps *caps, int port)
{
	int rc = nono_caps_allow_tcp_connect(caps, (unsigned)port);
	cr_assert_eq(rc, 0, "allow_tcp_connect %d: %s", port,
		     nono_strerror(rc));
}

static void allow_bind(nono_caps *caps, int port)
{
	int rc = nono_caps_allow_tcp_bind(caps, (unsigned)port);
	cr_assert_eq(rc, 0, "allow_tcp_bind %d: %s", port, nono_strerror(rc));
}

static void set_scope(nono_caps *caps, nono_scope scope, nono_scope_mode mode)
{
	int rc = nono_caps_set_scope(caps, scope, mode);
	cr_assert_eq(rc, 0, "set_scope %d to %d: %s", (int)scope, (int)mode,
		     nono_strerror(rc));
}

/* ---- addresses and the parent's peers ---- */

static socklen_t loopback_addr(int family, int port,
			       struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = in6addr_loopback;
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*s4);
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0,
		     "getsockname: %s", strerror(errno));
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * A socket of the parent's, bound to a fresh loopback port. A TCP socket
 * listens when `listening`; one that does not, with SO_REUSEADDR, only
 * reserves its port for a child to bind too (Linux lets two SO_REUSEADDR
 * TCP sockets share a port while neither listens).
 */
static int parent_socket(int family, int type, bool listening, int *port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(family, 0, &ss);
	int one = 1;
	int s = socket(family, type | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0, "parent socket: %s", strerror(errno));
	if (type == SOCK_STREAM && !listening)
		cr_assert_eq(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one,
					sizeof(one)),
			     0, "SO_REUSEADDR: %s", strerror(errno));
	cr_assert_eq(bind(s, (struct sockaddr *)&ss, len), 0, "parent bind: %s",
		     strerror(errno));
	if (listening)
		cr_assert_eq(listen(s, 8), 0, "listen: %s", strerror(errno));
	*port = bound_port(s);
	return s;
}

/* Whether [::1] can be bound here; IPv6 may be disabled on the host. */
static bool ipv6_loopback_usable(void)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(AF_INET6, 0, &ss);
	int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	bool ok = bind(s, (struct sockaddr *)&ss, len) == 0;
	close(s);
	return ok;
}

/* Whether something is waiting on `fd` (a datagram, or a connection on a
 * listener) within NOTHING_ARRIVES_MS; what arrived is drained. */
static bool something_arrived(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int n = poll(&pfd, 1, NOTHING_ARRIVES_MS);
	cr_assert_geq(n, 0, "poll: %s", strerror(errno));
	if (n == 0)
		return false;
	char buf[64];
	int type = 0;
	socklen_t tlen = sizeof(type);
	cr_assert_eq(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen), 0,
		     "SO_TYPE: %s", strerror(errno));
	if (type == SOCK_DGRAM) {
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0)
			return false;
	} else {
		int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (c < 0)
			return false;
		close(c);
	}
	return true;
}

static socklen_t abstract_addr(const char *name, struct sockaddr_un *sun)
{
	size_t n = strlen(name);
	cr_assert_lt(n, sizeof(sun->sun_path) - 1, "abstract name fits");
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	/* sun_path[0] stays NUL: an abstract address. */
	memcpy(sun->sun_path + 1, name, n);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

/* A fresh abstract name, unique to this process and call, into buf. */
static const char *abstract_name(char *buf, size_t cap, const char *tag)
{
	static unsigned counter;
	snprintf(buf, cap, "nono-net-live-%d-%u-%s", (int)getpid(), counter++,
		 tag);
	return buf;
}

/* An abstract UNIX socket of the parent's: a listener for SOCK_STREAM, a
 * receiver for SOCK_DGRAM. */
static int parent_abstract(const char *name, int type)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(name, &sun);
	int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0, "parent AF_UNIX socket: %s", strerror(errno));
	cr_assert_eq(bind(s, (struct sockaddr *)&sun, len), 0,
		     "bind abstract %s: %s", name, strerror(errno));
	if (type == SOCK_STREAM)
		cr_assert_eq(listen(s, 8), 0, "listen: %s", strerror(errno));
	return s;
}

/*
 * A process outside the sandbox for the sandboxed child to signal: it only
 * waits, and dies of SIGALRM should the test never end it. Forked from the
 * test process, so it uses nothing but async-signal-safe calls.
 */
static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	cr_assert_geq(pid, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		alarm(20);
		for (;;)
			pause();
	}
	return pid;
}

static bool sleeper_alive(pid_t pid)
{
	int ws;
	return waitpid(pid, &ws, WNOHANG) == 0;
}

static void reap_sleeper(pid_t pid)
{
	int ws;
	kill(pid, SIGKILL);
	waitpid(pid, &ws, 0);
}

/* ---- operations run inside the sandbox ---- */

static int op_socket(const struct job *job)
{
	int s = socket(job_family(job), job->type | SOCK_CLOEXEC,
		       job->protocol);
	if (s < 0)
		return tu_errno_code();
	close(s);
	return 0;
}

static int op_tcp_connect(const struct job *job)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(job_family(job), job->port, &ss);
	int s = socket(job_family(job), SOCK_STREAM | SOCK_CLOEXEC,
		       job->protocol);
	if (s < 0)
		return tu_errno_code();
	int rc = connect(s, (struct sockaddr *)&ss, len) == 0 ? 0
							      : tu_errno_code();
	close(s);
	return rc;
}

static int op_tcp_bind(const struct job *job)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(job_family(job), job->port, &ss);
	int one = 1;
	int s = socket(job_family(job), SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tu_errno_code();
	int rc = TU_CHILD_SETUP_FAILED;
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto close_socket;
	rc = bind(s, (struct sockaddr *)&ss, len) == 0 ? 0 : tu_errno_code();
close_socket:
	close(s);
	return rc;
}

static int op_udp_send(const struct job *job)
{
	static const char payload[] = "nono";
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(job_family(job), job->port, &ss);
	int s = socket(job_family(job), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tu_errno_code();
	ssize_t n = sendto(s, payload, sizeof(payload), 0,
			   (struct sockaddr *)&ss, len);
	int rc = n == (ssize_t)sizeof(payload) ? 0 : tu_errno_code();
	close(s);
	return rc;
}

/* A socket pair of the job's kind; for AF_UNIX a byte must also cross it,
 * so that the pair is known to work and not merely to exist. */
static int op_socketpair(const struct job *job)
{
	int sv[2];
	char c = 0;
	if (socketpair(job_family(job), job->type | SOCK_CLOEXEC, job->protocol,
		       sv) < 0)
		return tu_errno_code();
	int rc = 0;
	if (write(sv[0], "x", 1) != 1 || read(sv[1], &c, 1) != 1 || c != 'x')
		rc = TU_CHILD_SETUP_FAILED;
	close(sv[0]);
	close(sv[1]);
	return rc;
}

static int io_uring_try(void)
{
	struct io_uring_params params;
	memset(&params, 0, sizeof(params));
	long fd = syscall(__NR_io_uring_setup, 4, &params);
	if (fd < 0)
		return tu_errno_code();
	close((int)fd);
	return 0;
}

static int op_io_uring(const struct job *job)
{
	(void)job;
	return io_uring_try();
}

/* A refused socket() must come back as an error the program can handle;
 * the process then goes on with what it is allowed. */
static int op_refused_then_continue(const struct job *job)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		close(s);
		return TU_CHILD_SETUP_FAILED;
	}
	int refused = tu_errno_code();
	struct job pair = *job;
	pair.family = AF_UNIX;
	pair.type = SOCK_STREAM;
	pair.protocol = 0;
	if (op_socketpair(&pair) != 0)
		return TU_CHILD_SETUP_FAILED;
	return refused;
}

static int op_kill(const struct job *job)
{
	return kill(job->target, SIGTERM) == 0 ? 0 : tu_errno_code();
}

/* Signals a process forked inside the sandbox: the same domain. Exits with
 * 0 only when the signal was sent and killed the grandchild. */
static int op_kill_own_child(const struct job *job)
{
	(void)job;
	pid_t pid = fork();
	if (pid < 0)
		return TU_CHILD_SETUP_FAILED;
	if (pid == 0) {
		/* Ends it, should the signal not. */
		alarm(3);
		for (;;)
			pause();
	}
	int rc = kill(pid, SIGTERM) == 0 ? 0 : tu_errno_code();
	int ws;
	if (waitpid(pid, &ws, 0) < 0)
		return TU_CHILD_SETUP_FAILED;
	if (rc != 0)
		return rc;
	return WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM
		       ? 0
		       : TU_CHILD_SETUP_FAILED;
}

/* Connects (SOCK_STREAM) or sends a datagram (SOCK_DGRAM) to the abstract
 * socket job->name. */
static int op_abstract_reach(const struct job *job)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(job->name, &sun);
	int s = socket(AF_UNIX, job->type | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tu_errno_code();
	int rc;
	if (job->type == SOCK_DGRAM)
		rc = sendto(s, "x", 1, 0, (struct sockaddr *)&sun, len) == 1
			     ? 0
			     : tu_errno_code();
	else
		rc = connect(s, (struct sockaddr *)&sun, len) == 0
			     ? 0
			     : tu_errno_code();
	close(s);
	return rc;
}

/* Binds an abstract listener inside the sandbox and connects to it: the
 * same domain, which the scope must leave alone. */
static int op_abstract_inside(const struct job *job)
{
	struct sockaddr_un sun;
	socklen_t len = abstract_addr(job->name, &sun);
	int rc = TU_CHILD_SETUP_FAILED;
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return tu_errno_code();
	if (bind(l, (struct sockaddr *)&sun, len) < 0 || listen(l, 1) < 0)
		goto close_listener;
	struct job reach = *job;
	reach.type = SOCK_STREAM;
	rc = op_abstract_reach(&reach);
close_listener:
	close(l);
	return rc;
}

/*
 * Ping sockets are off unless net.ipv4.ping_group_range admits the group,
 * and then the kernel itself refuses them with EACCES, which a test cannot
 * tell from the sandbox's. In a network namespace of its own the child can
 * switch them on without touching the host. Where it cannot (no
 * CAP_SYS_ADMIN), it goes on, and the control result says so.
 */
static int pre_enable_ping(const struct job *job)
{
	(void)job;
	static const char range[] = "0 2147483647";
	if (unshare(CLONE_NEWNET) < 0)
		return 0;
	int fd = open("/proc/sys/net/ipv4/ping_group_range",
		      O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* The same range governs ICMPv6 ping sockets. A failed write leaves
	 * them off, which the control result tells the parent, as above. */
	bool written = write(fd, range, sizeof(range) - 1) > 0;
	close(fd);
	(void)written;
	return 0;
}

/* ---- socket kinds ---- */

struct sock_kind {
	const char *name;
	int family;
	int type;
	int protocol;
	bool needs_ping;
};

#define KIND(f, t, p) #f " " #t " " #p, f, t, p

/* Every kind here but AF_UNIX must be refused with the network blocked. */
static const struct sock_kind non_tcp_kinds[] = {
	{ KIND(AF_INET, SOCK_DGRAM, 0), false },
	{ KIND(AF_INET, SOCK_DGRAM, IPPROTO_UDP), false },
	{ KIND(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), false },
	{ KIND(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), true },
	{ KIND(AF_INET, SOCK_RAW, IPPROTO_ICMP), false },
	{ KIND(AF_INET, SOCK_RAW, IPPROTO_RAW), false },
	{ KIND(AF_INET, SOCK_RAW, IPPROTO_TCP), false },
	{ KIND(AF_INET, SOCK_STREAM, IPPROTO_MPTCP), false },
	{ KIND(AF_INET, SOCK_STREAM, IPPROTO_SCTP), false },
	{ KIND(AF_INET, SOCK_STREAM, IPPROTO_ICMP), false },
	{ KIND(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP), false },
	{ KIND(AF_INET, SOCK_DGRAM, IPPROTO_TCP), false },
	{ KIND(AF_INET6, SOCK_DGRAM, 0), false },
	{ KIND(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), true },
	{ KIND(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), false },
	{ KIND(AF_INET6, SOCK_STREAM, IPPROTO_MPTCP), false },
	{ KIND(AF_INET6, SOCK_STREAM, IPPROTO_SCTP), false },
	{ KIND(AF_PACKET, SOCK_RAW, 0x0300 /* htons(ETH_P_ALL) */), false },
	{ KIND(AF_PACKET, SOCK_DGRAM, 0), false },
	{ KIND(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), false },
	{ KIND(AF_NETLINK, SOCK_DGRAM, NETLINK_AUDIT), false },
	{ KIND(AF_ALG, SOCK_SEQPACKET, 0), false },
	{ KIND(AF_VSOCK, SOCK_STREAM, 0), false },
	{ KIND(AF_XDP, SOCK_RAW, 0), false },
	/* Beyond every family the kernel knows. */
	{ KIND(200, SOCK_STREAM, 0), false },
};

/* TCP proper: refused with the network blocked, creatable (and left to
 * Landlock's port rules) once a port exception exists. */
static const struct sock_kind tcp_kinds[] = {
	{ KIND(AF_INET, SOCK_STREAM, 0), false },
	{ KIND(AF_INET, SOCK_STREAM, IPPROTO_TCP), false },
	{ KIND(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), false },
	{ KIND(AF_INET6, SOCK_STREAM, 0), false },
	{ KIND(AF_INET6, SOCK_STREAM, IPPROTO_TCP), false },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Creates a socket of each kind in a sandboxed child and checks the result
 * is `want`. For a refusal, the same call before nono_apply is the control:
 * where the kernel itself already says EACCES, the refusal proves nothing,
 * and the test says so in its log.
 */
static void check_kinds(const nono_caps *caps, const struct sock_kind *kinds,
			size_t n, int want, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		struct tu_report rep;
		struct job job = { .caps = caps,
				   .pre = kinds[i].needs_ping ? pre_enable_ping
							      : NULL,
				   .op = op_socket,
				   .control_first = true,
				   .family = kinds[i].family,
				   .type = kinds[i].type,
				   .protocol = kinds[i].protocol };
		int status = run_job(&job, &rep);
		cr_assert_eq(rep.apply_rc, 0, "nono_apply succeeds: %s (%s)",
			     nono_strerror(rep.apply_rc), rep.message);
		cr_expect_eq(status, want,
			     "%s: socket(%s) gives %d (%s), expected %d (%s); "
			     "without the sandbox it gave %d",
			     what, kinds[i].name, status,
			     status < 128 ? strerror(status) : "signal", want,
			     strerror(want), rep.control);
		if (want == EACCES && rep.control == EACCES)
			cr_log_warn("%s: the kernel refuses socket(%s) with "
				    "EACCES even without the sandbox, so this "
				    "case cannot tell them apart",
				    what, kinds[i].name);
	}
}

/* ---- blocked network ---- */

Test(net_live, blocked_tcp_connect_denied)
{
	tu_require_abi(1, "applying a sandbox");
	int port;
	int listener = parent_socket(AF_INET, SOCK_STREAM, true, &port);
	nono_caps *caps = caps_blocked();

	struct job job = { .caps = caps, .op = op_tcp_connect, .port = port };
	cr_expect_eq(run_applied(&job), EACCES,
		     "a TCP connect to the parent's listener fails with "
		     "EACCES (at socket() or connect())");
	cr_expect_not(something_arrived(listener),
		      "no connection reached the listener");

	/* The same job without the block reaches it, so the denial came from
	 * the sandbox and not from the listener. */
	nono_caps *open_caps = caps_new();
	job.caps = open_caps;
	cr_expect_eq(run_applied(&job), 0,
		     "without the block the same connect works");
	cr_expect(something_arrived(listener),
		  "and the listener sees the connection");
	close(listener);
	nono_caps_free(open_caps);
	nono_caps_free(caps);
}

Test(net_live, blocked_tcp_bind_denied)
{
	tu_require_abi(1, "applying a sandbox");
	int port;
	int reserved = parent_socket(AF_INET, SOCK_STREAM, false, &port);
	nono_caps *caps = caps_blocked();

	struct job job = { .caps = caps, .op = op_tcp_bind, .port = port };
	cr_expect_eq(run_applied(&job), EACCES,
		     "a TCP bind fails with EACCES when the network is "
		     "blocked");
	job.port = 0;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a TCP bind to port 0 fails with EACCES too");
	close(reserved);
	nono_caps_free(caps);
}

Test(net_live, blocked_udp_send_denied_nothing_arrives)
{
	tu_require_abi(1, "applying a sandbox");
	int port;
	int receiver = parent_socket(AF_INET, SOCK_DGRAM, false, &port);
	nono_caps *caps = caps_blocked();

	struct job job = { .caps = caps, .op = op_udp_send, .port = port };
	cr_expect_eq(run_applied(&job), EACCES,
		     "a UDP sendto fails with EACCES when the network is "
		     "blocked");
	cr_expect_not(something_arrived(receiver),
		      "the parent's UDP socket received nothing");
	close(receiver);
	nono_caps_free(caps);
}

Test(net_live, blocked_ipv6_tcp_and_udp_denied)
{
	tu_require_abi(1, "applying a sandbox");
	if (!ipv6_loopback_usable())
		tu_skip(NONO_FEATURE_NETWORK_TCP,
			"[::1] cannot be bound here (IPv6 disabled)");
	int tport, uport;
	int listener = parent_socket(AF_INET6, SOCK_STREAM, true, &tport);
	int receiver = parent_socket(AF_INET6, SOCK_DGRAM, false, &uport);
	nono_caps *caps = caps_blocked();

	struct job job = { .caps = caps,
			   .op = op_tcp_connect,
			   .family = AF_INET6,
			   .port = tport };
	cr_expect_eq(run_applied(&job), EACCES,
		     "a TCP connect to [::1] fails with EACCES");
	cr_expect_not(something_arrived(listener),
		      "no connection reached the IPv6 listener");
	job.op = op_udp_send;
	job.port = uport;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a UDP sendto to [::1] fails with EACCES");
	cr_expect_not(something_arrived(receiver),
		      "the parent's IPv6 UDP socket received nothing");
	close(listener);
	close(receiver);
	nono_caps_free(caps);
}

Test(net_live, blocked_refuses_every_non_unix_socket)
{
	tu_require_abi(1, "applying a sandbox");
	nono_caps *caps = caps_blocked();
	check_kinds(caps, non_tcp_kinds, N_ELEMS(non_tcp_kinds), EACCES,
		    "blocked");
	check_kinds(caps, tcp_kinds, N_ELEMS(tcp_kinds), EACCES, "blocked");
	nono_caps_free(caps);
}

Test(net_live, blocked_refuses_non_unix_socketpair)
{
	tu_require_abi(1, "applying a sandbox");
	nono_caps *caps = caps_blocked();
	struct tu_report rep;
	struct job job = { .caps = caps,
			   .op = op_socketpair,
			   .control_first = true,
			   .family = AF_INET,
			   .type = SOCK_STREAM };
	int status = run_job(&job, &rep);
	cr_assert_eq(rep.apply_rc, 0, "nono_apply succeeds: %s", rep.message);
	cr_expect_eq(status, EACCES,
		     "socketpair(AF_INET) is refused with EACCES (the kernel "
		     "alone gives %d)",
		     rep.control);
	cr_expect_neq(rep.control, EACCES,
		      "the kernel alone does not say EACCES, so the refusal "
		      "is the sandbox's");
	nono_caps_free(caps);
}

Test(net_live, blocked_unix_socketpair_works)
{
	tu_require_abi(1, "applying a sandbox");
	nono_caps *caps = caps_blocked();
	struct job job = { .caps = caps,
			   .op = op_socketpair,
			   .family = AF_UNIX,
			   .type = SOCK_STREAM };
	cr_expect_eq(run_applied(&job), 0,
		     "an AF_UNIX stream socketpair works with the network "
		     "blocked");
	job.type = SOCK_DGRAM;
	cr_expect_eq(run_applied(&job), 0,
		     "an AF_UNIX datagram socketpair works too");
	/* [network] unix defaults to granted with the network blocked;
	 * before Landlock ABI 9 that means no UNIX socket can be made. */
	job.op = op_socket;
	job.type = SOCK_SEQPACKET;
	if (support.abi < 9)
		cr_expect_eq(run_applied(&job), EACCES,
			     "socket(AF_UNIX) is refused with the network "
			     "blocked and unix = granted (ABI < 9)");
	cr_assert_eq(nono_caps_set_unix(caps, NONO_UNIX_ALL), 0);
	cr_expect_eq(run_applied(&job), 0,
		     "socket(AF_UNIX) works with unix = all");
	nono_caps_free(caps);
}

Test(net_live, blocked_io_uring_refused)
{
	tu_require_abi(1, "applying a sandbox");
	int control = io_uring_try();
	if (control != 0)
		tu_skip(0,
			"io_uring_setup fails here even without a "
			"sandbox (%s); refusing it would prove nothing",
			strerror(control));
	nono_caps *caps = caps_blocked();
	struct job job = { .caps = caps, .op = op_io_uring };
	cr_expect_eq(run_applied(&job), EPERM,
		     "io_uring_setup fails with EPERM when the network is "
		     "blocked");
	nono_caps_free(caps);
}

Test(net_live, refused_call_is_an_error_not_a_signal)
{
	tu_require_abi(1, "applying a sandbox");
	nono_caps *caps = caps_blocked();
	struct job job = { .caps = caps, .op = op_refused_then_continue };
	int status = run_applied(&job);
	cr_expect_lt(status, 128,
		     "the child was not killed by a signal (status %d)",
		     status);
	cr_expect_eq(status, EACCES,
		     "the refused socket() returned EACCES and the child "
		     "went on to use an AF_UNIX pair (status %d)",
		     status);
	nono_caps_free(caps);
}

/* ---- port exceptions ---- */

Test(net_live, connect_exception_reaches_only_its_port)
{
	tu_require_abi(4, "TCP port exceptions");
	int p, q;
	int allowed = parent_socket(AF_INET, SOCK_STREAM, true, &p);
	int other = parent_socket(AF_INET, SOCK_STREAM, true, &q);
	cr_assert_neq(p, q, "two listeners, two ports");
	nono_caps *caps = caps_blocked();
	allow_connect(caps, p);

	struct job job = { .caps = caps, .op = op_tcp_connect, .port = p };
	cr_expect_eq(run_applied(&job), 0,
		     "connect to the excepted port %d works", p);
	cr_expect(something_arrived(allowed),
		  "the excepted listener sees the connection");
	job.port = q;
	cr_expect_eq(run_applied(&job), EACCES,
		     "connect to port %d (not excepted) fails with EACCES", q);
	cr_expect_not(something_arrived(other),
		      "no connection reached the other listener");
	job.protocol = IPPROTO_TCP;
	job.port = p;
	cr_expect_eq(run_applied(&job), 0,
		     "a socket made with IPPROTO_TCP connects as well");
	cr_expect(something_arrived(allowed),
		  "the excepted listener sees that connection too");

	job.op = op_tcp_bind;
	job.protocol = 0;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a connect exception does not allow bind");
	close(allowed);
	close(other);
	nono_caps_free(caps);
}

Test(net_live, connect_exception_over_ipv6)
{
	tu_require_abi(4, "TCP port exceptions");
	if (!ipv6_loopback_usable())
		tu_skip(NONO_FEATURE_NETWORK_TCP,
			"[::1] cannot be bound here (IPv6 disabled)");
	int p, q;
	int allowed = parent_socket(AF_INET6, SOCK_STREAM, true, &p);
	int other = parent_socket(AF_INET6, SOCK_STREAM, true, &q);
	nono_caps *caps = caps_blocked();
	allow_connect(caps, p);

	struct job job = { .caps = caps,
			   .op = op_tcp_connect,
			   .family = AF_INET6,
			   .port = p };
	cr_expect_eq(run_applied(&job), 0,
		     "connect to [::1]:%d (excepted) works", p);
	cr_expect(something_arrived(allowed),
		  "the IPv6 listener sees the connection");
	job.port = q;
	cr_expect_eq(run_applied(&job), EACCES,
		     "connect to [::1]:%d (not excepted) fails with EACCES", q);
	cr_expect_not(something_arrived(other),
		      "no connection reached the other IPv6 listener");
	close(allowed);
	close(other);
	nono_caps_free(caps);
}

Test(net_live, bind_exception_allows_only_its_port)
{
	tu_require_abi(4, "TCP port exceptions");
	int q, r;
	int reserved_q = parent_socket(AF_INET, SOCK_STREAM, false, &q);
	int reserved_r = parent_socket(AF_INET, SOCK_STREAM, false, &r);
	cr_assert_neq(q, r, "two reserved ports");
	nono_caps *caps = caps_blocked();
	allow_bind(caps, q);

	struct job job = { .caps = caps, .op = op_tcp_bind, .port = q };
	cr_expect_eq(run_applied(&job), 0, "bind to the excepted port %d works",
		     q);
	job.port = r;
	cr_expect_eq(run_applied(&job), EACCES,
		     "bind to port %d (not excepted) fails with EACCES", r);

	/* Nothing listens on q: were connect allowed, it would be refused
	 * by the peer (ECONNREFUSED), not by the sandbox. */
	job.op = op_tcp_connect;
	job.port = q;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a bind exception does not allow connect to its port");
	close(reserved_q);
	close(reserved_r);
	nono_caps_free(caps);
}

Test(net_live, exceptions_leave_udp_refused)
{
	tu_require_abi(4, "TCP port exceptions");
	int port;
	int receiver = parent_socket(AF_INET, SOCK_DGRAM, false, &port);
	nono_caps *caps = caps_blocked();
	/* The UDP port itself is excepted, for TCP: it must not leak. */
	allow_connect(caps, port);
	allow_bind(caps, port);

	struct job job = { .caps = caps, .op = op_udp_send, .port = port };
	cr_expect_eq(run_applied(&job), EACCES,
		     "UDP sendto stays refused with TCP exceptions present");
	cr_expect_not(something_arrived(receiver),
		      "the parent's UDP socket received nothing");
	close(receiver);
	nono_caps_free(caps);
}

Test(net_live, exceptions_leave_non_tcp_sockets_refused)
{
	tu_require_abi(4, "TCP port exceptions");
	nono_caps *caps = caps_blocked();
	allow_connect(caps, 443);
	allow_bind(caps, 8080);
	/* MPTCP and SCTP are in the list: Landlock's TCP rules do not see
	 * them, so only the filter stands in their way. */
	check_kinds(caps, non_tcp_kinds, N_ELEMS(non_tcp_kinds), EACCES,
		    "with exceptions");
	check_kinds(caps, tcp_kinds, N_ELEMS(tcp_kinds), 0, "with exceptions");
	nono_caps_free(caps);
}

Test(net_live, exceptions_without_block_are_invalid)
{
	tu_require_abi(1, "applying a sandbox");
	int port;
	int listener = parent_socket(AF_INET, SOCK_STREAM, true, &port);
	nono_caps *caps = caps_new();
	allow_connect(caps, port);

	struct tu_report rep;
	struct job job = { .caps = caps,
			   .op = op_tcp_connect,
			   .port = port,
			   .op_even_if_apply_fails = true };
	int status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EINVAL,
		     "a connect exception without a blocked network is "
		     "NONO_EINVAL, got %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect_eq(status, 0, "nothing was restricted (connect still works)");
	cr_expect(something_arrived(listener), "the connection arrived");
	nono_caps_free(caps);

	caps = caps_new();
	allow_bind(caps, port);
	job.caps = caps;
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EINVAL,
		     "a bind exception without a blocked network is "
		     "NONO_EINVAL, got %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	close(listener);
	nono_caps_free(caps);
}

/* ---- network not blocked ---- */

Test(net_live, unblocked_network_works)
{
	tu_require_abi(1, "applying a sandbox");
	int tport, uport;
	int listener = parent_socket(AF_INET, SOCK_STREAM, true, &tport);
	int receiver = parent_socket(AF_INET, SOCK_DGRAM, false, &uport);
	nono_caps *caps = caps_new();

	struct job job = { .caps = caps, .op = op_tcp_connect, .port = tport };
	cr_expect_eq(run_applied(&job), 0, "TCP connect works");
	cr_expect(something_arrived(listener),
		  "the listener sees the connection");
	job.op = op_tcp_bind;
	job.port = 0;
	cr_expect_eq(run_applied(&job), 0, "TCP bind works");
	job.op = op_udp_send;
	job.port = uport;
	cr_expect_eq(run_applied(&job), 0, "UDP sendto works");
	cr_expect(something_arrived(receiver),
		  "the parent's UDP socket received the datagram");
	job.op = op_socket;
	job.family = AF_NETLINK;
	job.type = SOCK_RAW;
	job.protocol = NETLINK_ROUTE;
	cr_expect_eq(run_applied(&job), 0, "a netlink socket can be made");
	close(listener);
	close(receiver);
	nono_caps_free(caps);
}

/* ---- scopes ---- */

Test(net_live, signal_outside_denied_by_default)
{
	tu_require_abi(6, "signal scoping");
	nono_caps *caps = caps_new();
	pid_t sleeper = spawn_sleeper();

	struct job job = { .caps = caps, .op = op_kill, .target = sleeper };
	cr_expect_eq(run_applied(&job), EPERM,
		     "a signal to a process outside the sandbox fails with "
		     "EPERM");
	cr_expect(sleeper_alive(sleeper), "the outside process lives on");
	reap_sleeper(sleeper);
	nono_caps_free(caps);
}

Test(net_live, signal_to_own_child_allowed)
{
	tu_require_abi(6, "signal scoping");
	nono_caps *caps = caps_new();
	struct job job = { .caps = caps, .op = op_kill_own_child };
	cr_expect_eq(run_applied(&job), 0,
		     "a signal to a child forked inside the sandbox is "
		     "delivered");
	nono_caps_free(caps);
}

Test(net_live, signal_outside_allowed_when_not_isolated)
{
	tu_require_abi(6, "signal scoping");
	nono_caps *caps = caps_new();
	set_scope(caps, NONO_SCOPE_SIGNAL, NONO_SCOPE_MODE_ALLOWED);
	pid_t sleeper = spawn_sleeper();

	struct job job = { .caps = caps, .op = op_kill, .target = sleeper };
	int status = run_applied(&job);
	cr_expect_eq(status, 0,
		     "with the signal scope ALLOWED, kill() outside works");
	int ws = 0;
	if (status == 0)
		cr_assert_eq(waitpid(sleeper, &ws, 0), sleeper,
			     "reap the sleeper");
	else
		reap_sleeper(sleeper);
	cr_expect(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM,
		  "the outside process died of the child's SIGTERM "
		  "(wait status 0x%x)",
		  ws);

	/* The other scope keeps its default: still isolated. */
	char name[64];
	int listener = parent_abstract(
		abstract_name(name, sizeof(name), "sig-allowed"), SOCK_STREAM);
	job.op = op_abstract_reach;
	job.type = SOCK_STREAM;
	job.name = name;
	cr_expect_eq(run_applied(&job), EPERM,
		     "the abstract UNIX scope stays isolated");
	close(listener);
	nono_caps_free(caps);
}

Test(net_live, abstract_unix_outside_denied_by_default)
{
	tu_require_abi(6, "abstract UNIX socket scoping");
	char name[64];
	int listener = parent_abstract(
		abstract_name(name, sizeof(name), "stream"), SOCK_STREAM);
	nono_caps *caps = caps_new();

	struct job job = { .caps = caps,
			   .op = op_abstract_reach,
			   .type = SOCK_STREAM,
			   .name = name };
	cr_expect_eq(run_applied(&job), EPERM,
		     "connect to an abstract socket outside the sandbox fails "
		     "with EPERM");
	cr_expect_not(something_arrived(listener),
		      "no connection reached the outside listener");
	close(listener);
	nono_caps_free(caps);
}

Test(net_live, abstract_unix_datagram_outside_denied)
{
	tu_require_abi(6, "abstract UNIX socket scoping");
	char name[64];
	int receiver = parent_abstract(
		abstract_name(name, sizeof(name), "dgram"), SOCK_DGRAM);
	nono_caps *caps = caps_new();

	struct job job = { .caps = caps,
			   .op = op_abstract_reach,
			   .type = SOCK_DGRAM,
			   .name = name };
	cr_expect_eq(run_applied(&job), EPERM,
		     "sendto an abstract socket outside the sandbox fails "
		     "with EPERM");
	cr_expect_not(something_arrived(receiver),
		      "the outside datagram socket received nothing");
	close(receiver);
	nono_caps_free(caps);
}

Test(net_live, abstract_unix_inside_works)
{
	tu_require_abi(6, "abstract UNIX socket scoping");
	char name[64];
	nono_caps *caps = caps_new();
	struct job job = { .caps = caps,
			   .op = op_abstract_inside,
			   .name = abstract_name(name, sizeof(name), "in") };
	cr_expect_eq(run_applied(&job), 0,
		     "an abstract socket made inside the sandbox is reachable "
		     "from inside");
	nono_caps_free(caps);
}

Test(net_live, abstract_unix_allowed_when_not_isolated)
{
	tu_require_abi(6, "abstract UNIX socket scoping");
	char name[64];
	int listener = parent_abstract(
		abstract_name(name, sizeof(name), "allowed"), SOCK_STREAM);
	nono_caps *caps = caps_new();
	set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX, NONO_SCOPE_MODE_ALLOWED);

	struct job job = { .caps = caps,
			   .op = op_abstract_reach,
			   .type = SOCK_STREAM,
			   .name = name };
	cr_expect_eq(run_applied(&job), 0,
		     "with the abstract UNIX scope ALLOWED, connect outside "
		     "works");
	cr_expect(something_arrived(listener),
		  "the outside listener sees the connection");

	/* The signal scope keeps its default: still isolated. */
	pid_t sleeper = spawn_sleeper();
	job.op = op_kill;
	job.target = sleeper;
	cr_expect_eq(run_applied(&job), EPERM,
		     "the signal scope stays isolated");
	reap_sleeper(sleeper);
	close(listener);
	nono_caps_free(caps);
}

Test(net_live, isolated_explicit_applies)
{
	tu_require_abi(6, "scopes");
	char name[64];
	int listener = parent_abstract(
		abstract_name(name, sizeof(name), "isolated"), SOCK_STREAM);
	nono_caps *caps = caps_new();
	set_scope(caps, NONO_SCOPE_SIGNAL, NONO_SCOPE_MODE_ISOLATED);
	set_scope(caps, NONO_SCOPE_ABSTRACT_UNIX, NONO_SCOPE_MODE_ISOLATED);
	pid_t sleeper = spawn_sleeper();

	struct tu_report rep;
	struct job job = { .caps = caps, .op = op_kill, .target = sleeper };
	int status = run_job(&job, &rep);
	cr_assert_eq(rep.apply_rc, 0,
		     "explicit ISOLATED applies strictly on ABI %d: %s (%s)",
		     support.abi, nono_strerror(rep.apply_rc), rep.message);
	unsigned scopes =
		NONO_FEATURE_SCOPE_SIGNAL | NONO_FEATURE_SCOPE_ABSTRACT_UNIX;
	cr_expect_eq(rep.result.enforced & scopes, scopes,
		     "both scopes are reported enforced (0x%x)",
		     rep.result.enforced);
	cr_expect_eq(rep.result.dropped & scopes, 0u,
		     "no scope is reported dropped (0x%x)", rep.result.dropped);
	cr_expect_eq(status, EPERM, "the signal outside fails with EPERM");
	cr_expect(sleeper_alive(sleeper), "the outside process lives on");

	job.op = op_abstract_reach;
	job.type = SOCK_STREAM;
	job.name = name;
	cr_expect_eq(run_applied(&job), EPERM,
		     "connect to the outside abstract socket fails with "
		     "EPERM");
	cr_expect_not(something_arrived(listener),
		      "no connection reached the outside listener");
	reap_sleeper(sleeper);
	close(listener);
	nono_caps_free(caps);
}
