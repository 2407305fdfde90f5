// SPDX-License-Identifier: Apache-2.0
/*
 * Whether the kernel's audit subsystem is on, for `nono check`: Landlock
 * (ABI 7) logs denials through it, and where it is off nothing is logged,
 * whatever [policy] kernel_log says.
 *
 * The one honest source is the kernel itself: an AUDIT_GET request on an
 * audit netlink socket answers with struct audit_status, whose `enabled`
 * field is the switch (auditctl -s prints the same). A kernel without
 * audit has no such socket family. The request needs CAP_AUDIT_CONTROL
 * in the initial namespaces, so an ordinary user gets "unknown" and why,
 * rather than a guess from /proc/cmdline (audit=0 is only one way to be
 * off, and auditd or auditctl -e can change it at any time).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli.h"

int cli_audit_status(char *why, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr req = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = AUDIT_GET,
		.nlmsg_flags = NLM_F_REQUEST,
		.nlmsg_seq = 1,
	};
	/* An answer is one small message; a second is never waited for. */
	struct timeval timeout = { .tv_sec = 1 };
	char buf[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
	int rc = -1;
	ssize_t n;

	why[0] = '\0';
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (fd < 0) {
		if (errno == EPROTONOSUPPORT) {
			snprintf(why, len, "the kernel has no audit support");
			return 0;
		}
		snprintf(why, len, "audit netlink socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) <
		    0 ||
	    sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		snprintf(why, len, "asking the kernel: %s", strerror(errno));
		goto close_fd;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, len, "reading the answer: %s",
				 strerror(errno));
			goto close_fd;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		     NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				/* An acknowledgement comes before the
				 * status; an error ends the question. */
				if (e->error == 0)
					continue;
				snprintf(why, len, "the kernel refused: %s%s",
					 strerror(-e->error),
					 e->error == -EPERM
						 ? " (needs CAP_AUDIT_CONTROL)"
						 : "");
				goto close_fd;
			}
			if (h->nlmsg_type == AUDIT_GET &&
			    h->nlmsg_len >=
				    NLMSG_LENGTH(offsetof(struct audit_status,
							  failure))) {
				const struct audit_status *s = NLMSG_DATA(h);

				rc = s->enabled ? 1 : 0;
				goto close_fd;
			}
		}
	}

close_fd:
	close(fd);
	return rc;
}
