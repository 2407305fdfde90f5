// SPDX-License-Identifier: Apache-2.0
/*
 * filter-gen: writes the seccomp programs of the sandbox (filter.c) as a C
 * header, at build time.
 *
 *   filter-gen ARCH OUTPUT
 *
 * ARCH is the host machine's CPU family as Meson names it (x86_64,
 * aarch64, ...), which libseccomp's names match; OUTPUT is the header.
 *
 * libseccomp builds the filters here, once, so that no process pays for
 * building them at every start, nor carries libseccomp's code: at run time
 * filter.c hands the finished programs to seccomp(2). The header holds one
 * array of struct sock_filter per filter (the table `filters` below says
 * what each refuses and why), and the two constants of the probe that
 * tells a process it is inside a sandbox nono made.
 *
 * Every filter is a deny list over an allow-by-default program: the
 * process keeps every other system call, and each refused call fails with
 * an errno (EPERM, or EACCES where Landlock would say EACCES for the same
 * kind of thing), never a signal. Arguments are compared as the kernel's
 * 64-bit registers; where the kernel reads only 32 bits of one (an ioctl
 * command, a file descriptor) the comparison masks it the same way, and
 * where a rule allows only the value 0 (the caller's own pid) any value
 * with garbage in its upper half is refused, never let through. A system
 * call from another architecture than the host's (the 32-bit entry points
 * of x86-64 are covered, x32's are not) would bypass the rules, so it
 * kills the process.
 *
 * This is a build tool, not part of the library: it prints its errors and
 * exits non-zero, which fails the build.
 */
#include <errno.h>
#include <limits.h>
#include <linux/fs.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/* Socket families are small numbers (AF_MAX is 46 on Linux 6.x); every
 * value from here up is refused by one rule. */
#define NF_FAMILY_LIMIT 64
/* The socket type lives in the low four bits; the rest are flags
 * (SOCK_NONBLOCK, SOCK_CLOEXEC). */
#define NF_TYPE_MASK 0xfu
/* What the kernel reads of an int or unsigned int argument. */
#define ARG32 0xffffffffu

/*
 * The probe (nono__filter_probe() in landlock-confined.c): ioctl(-1, PROBE_CMD)
 * fails with EBADF anywhere but under the baseline filter, which answers
 * PROBE_ERRNO instead. The filter cannot be removed once loaded, and only
 * nono_apply() loads it, so the answer proves that the process is inside a
 * sandbox nono made; an environment variable alone cannot fake it.
 */
#define PROBE_CMD 0x4e4f4e4fu /* "NONO" */
#define PROBE_ERRNO ENOTRECOVERABLE

/* One BPF instruction as the kernel's struct sock_filter lays it out. */
struct nf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/*
 * System calls that libseccomp 2.5 (Debian 12) does not know by name. Since
 * Linux 5.1 every new system call has the same number on every
 * architecture, so one number serves them all.
 */
static const struct {
	const char *name;
	int nr;
} late_syscalls[] = {
	{ "fchmodat2", 452 },
	{ "setxattrat", 463 },
	{ "removexattrat", 466 },
	{ "file_setattr", 469 },
};

/* Whether `name` is one of late_syscalls; its number in *nr. */
static bool late_syscall(const char *name, int *nr)
{
	for (size_t i = 0; i < sizeof(late_syscalls) / sizeof(late_syscalls[0]);
	     i++)
		if (strcmp(late_syscalls[i].name, name) == 0) {
			*nr = late_syscalls[i].nr;
			return true;
		}
	return false;
}

/*
 * Adds a rule for `name` to a context for the one architecture `arch`.
 * libseccomp takes the number as this build machine numbers the call and
 * translates it into `arch`'s; a call `arch` does not have (chmod on
 * aarch64, say) needs no rule.
 */
static int deny(scmp_filter_ctx ctx, uint32_t arch, uint32_t action,
		const char *name, unsigned nargs,
		const struct scmp_arg_cmp *args)
{
	int nr;

	/* libseccomp translates a number through the name it knows for it
	 * on this machine, so a late call can be placed on this machine's
	 * architecture only; for 32-bit x86 programs on x86-64 those are
	 * missing from the filters (docs/threat-model.md). */
	if (late_syscall(name, &nr)) {
		if (arch != seccomp_arch_native())
			return 0;
	} else {
		if (seccomp_syscall_resolve_name_arch(arch, name) < 0)
			return 0;
		nr = seccomp_syscall_resolve_name(name);
		if (nr < 0)
			return -EINVAL;
	}
	return seccomp_rule_add_array(ctx, action, nr, nargs, args);
}

static int deny_all_of(scmp_filter_ctx ctx, uint32_t arch, uint32_t action,
		       const char *const *names)
{
	int rc = 0;

	for (size_t i = 0; names[i] && rc == 0; i++)
		rc = deny(ctx, arch, action, names[i], 0, NULL);
	return rc;
}

/* Refuses `name` unless argument `arg` is `allowed` (64-bit compare). */
static int deny_unless(scmp_filter_ctx ctx, uint32_t arch, const char *name,
		       unsigned arg, uint64_t allowed)
{
	struct scmp_arg_cmp cmp = {
		.arg = arg,
		.op = SCMP_CMP_NE,
		.datum_a = allowed,
	};

	return deny(ctx, arch, SCMP_ACT_ERRNO(EPERM), name, 1, &cmp);
}

/* Refuses ioctl(fd, cmd) for every fd, comparing the command's 32 bits. */
static int deny_ioctl(scmp_filter_ctx ctx, uint32_t arch, uint32_t action,
		      uint32_t cmd)
{
	struct scmp_arg_cmp cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, ARG32, cmd);

	return deny(ctx, arch, action, "ioctl", 1, &cmp);
}

/*
 * The baseline, loaded into every sandbox: what no confined program needs
 * and an escaped or hostile one would use against what lies outside
 * (docs/threat-model.md has the list, and where Docker's default profile
 * and systemd's @system-service differ).
 */
static int add_base(scmp_filter_ctx ctx, uint32_t arch)
{
	static const char *const refused[] = {
		/* The kernel keyrings are shared beyond the sandbox: a key
		 * another process of the user stored can be read. */
		"add_key", "request_key", "keyctl",
		/* Kernel programs and tracing see every process. */
		"bpf", "perf_event_open",
		/* Watching the whole filesystem, the kernel log. */
		"fanotify_init", "syslog",
		/* The machine's identity, clocks and power. */
		"sethostname", "setdomainname", "clock_settime",
		"clock_adjtime", "settimeofday", "adjtimex", "reboot",
		/* Swap, kernels, modules, accounting. */
		"swapon", "swapoff", "kexec_load", "kexec_file_load",
		"init_module", "finit_module", "delete_module", "acct",
		/* Opening by file handle skips path resolution, and so
		 * Landlock's view of the path. */
		"open_by_handle_at",
		/* I/O ports, the terminal hang-up. */
		"iopl", "ioperm", "vhangup",
		/* io_uring performs operations (sockets among them) that
		 * no filter sees. */
		"io_uring_setup", "io_uring_enter", "io_uring_register",
		/* Page-fault handling in user space: used to win kernel
		 * races, by hardly any program. */
		"userfaultfd", NULL
	};
	struct scmp_arg_cmp probe[] = {
		SCMP_A0(SCMP_CMP_MASKED_EQ, ARG32, ARG32),
		SCMP_A1(SCMP_CMP_MASKED_EQ, ARG32, PROBE_CMD),
	};
	int rc = deny_all_of(ctx, arch, SCMP_ACT_ERRNO(EPERM), refused);

	/* Pushing input into a terminal (the shell that started the
	 * program runs it), or a console's special functions. */
	if (rc == 0)
		rc = deny_ioctl(ctx, arch, SCMP_ACT_ERRNO(EPERM), TIOCSTI);
	if (rc == 0)
		rc = deny_ioctl(ctx, arch, SCMP_ACT_ERRNO(EPERM), TIOCLINUX);
	if (rc == 0)
		rc = deny(ctx, arch, SCMP_ACT_ERRNO(PROBE_ERRNO), "ioctl", 2,
			  probe);
	return rc;
}

/*
 * With signals isolated: no control of other processes. Landlock's signal
 * scope stops kill(), but not these, which act on any process of the same
 * user. A filter cannot tell the caller's own pid from another's, only 0
 * ("myself"), so that is all that is allowed: stricter than needed for a
 * program that names its own pid or one of its threads.
 */
static int add_process(scmp_filter_ctx ctx, uint32_t arch)
{
	static const char *const by_pid[] = {
		"prlimit64",	      "sched_setaffinity",
		"sched_setscheduler", "sched_setparam",
		"sched_setattr",      "migrate_pages",
		"move_pages",	      NULL,
	};
	int rc = 0;

	for (size_t i = 0; by_pid[i] && rc == 0; i++)
		rc = deny_unless(ctx, arch, by_pid[i], 0, 0);
	/* setpriority(PRIO_PROCESS, 0) and ioprio_set(IOPRIO_WHO_PROCESS,
	 * 0): the caller; a group or a user reaches beyond it. */
	if (rc == 0)
		rc = deny_unless(ctx, arch, "setpriority", 0, 0);
	if (rc == 0)
		rc = deny_unless(ctx, arch, "setpriority", 1, 0);
	if (rc == 0)
		rc = deny_unless(ctx, arch, "ioprio_set", 0, 1);
	if (rc == 0)
		rc = deny_unless(ctx, arch, "ioprio_set", 1, 0);
	/* It takes a pidfd, which a filter cannot judge. */
	if (rc == 0)
		rc = deny(ctx, arch, SCMP_ACT_ERRNO(EPERM), "process_madvise",
			  0, NULL);
	return rc;
}

/* [filesystem] metadata = protect: no change of modes, owners, times,
 * extended attributes or inode flags, on any file. */
static int add_metadata(scmp_filter_ctx ctx, uint32_t arch)
{
	static const char *const refused[] = {
		"chmod",	"fchmod",	"fchmodat",	"fchmodat2",
		"chown",	"fchown",	"lchown",	"fchownat",
		"utime",	"utimes",	"futimesat",	"utimensat",
		"setxattr",	"lsetxattr",	"fsetxattr",	"setxattrat",
		"removexattr",	"lremovexattr", "fremovexattr", "removexattrat",
		"file_setattr", NULL,
	};
	static const uint32_t ioctls[] = {
		FS_IOC_SETFLAGS,
		FS_IOC32_SETFLAGS,
		FS_IOC_FSSETXATTR,
	};
	int rc = deny_all_of(ctx, arch, SCMP_ACT_ERRNO(EPERM), refused);

	for (size_t i = 0; i < sizeof(ioctls) / sizeof(ioctls[0]) && rc == 0;
	     i++)
		rc = deny_ioctl(ctx, arch, SCMP_ACT_ERRNO(EPERM), ioctls[i]);
	return rc;
}

/* UNIX sockets that the kernel cannot judge by path (Landlock before ABI
 * 9): none can be created. socketpair() still works, since its two ends
 * reach nothing but each other. */
static int add_unix(scmp_filter_ctx ctx, uint32_t arch)
{
	struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_EQ, AF_UNIX);

	return deny(ctx, arch, SCMP_ACT_ERRNO(EACCES), "socket", 1, &cmp);
}

/* listen() binds an unbound TCP socket to an ephemeral port, which
 * Landlock does not check: where no port may be bound, none may listen. */
static int add_listen(scmp_filter_ctx ctx, uint32_t arch)
{
	return deny(ctx, arch, SCMP_ACT_ERRNO(EACCES), "listen", 0, NULL);
}

static int deny_family(scmp_filter_ctx ctx, int syscall, unsigned family)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), syscall, 1,
				SCMP_A0(SCMP_CMP_EQ, family));
}

/*
 * For AF_INET or AF_INET6 with TCP (and, with udp, UDP) allowed: refuse
 * every type but SOCK_STREAM (and SOCK_DGRAM) and every protocol but 0,
 * IPPROTO_TCP (and IPPROTO_UDP). That rules out SCTP, multipath TCP, UDP-
 * Lite and ICMP "ping" sockets, all of which Landlock's port rules miss.
 * A protocol that does not match the type (a stream socket asking for
 * UDP) is the kernel's to refuse.
 */
static int deny_non_inet(scmp_filter_ctx ctx, unsigned family, bool udp)
{
	const unsigned allowed[] = { IPPROTO_TCP, IPPROTO_UDP };
	const size_t nallowed = udp ? 2 : 1;
	unsigned p = 1;
	int rc = 0;

	for (unsigned t = 0; t <= NF_TYPE_MASK && rc == 0; t++) {
		if (t == SOCK_STREAM || (udp && t == SOCK_DGRAM))
			continue;
		rc = seccomp_rule_add(
			ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 2,
			SCMP_A0(SCMP_CMP_EQ, family),
			SCMP_A1(SCMP_CMP_MASKED_EQ, NF_TYPE_MASK, t));
	}
	/* Every protocol below the highest allowed one, one rule each (they
	 * are few), then everything above it in one. */
	for (size_t a = 0; a < nallowed && rc == 0; a++, p++)
		for (; p < allowed[a] && rc == 0; p++)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
					      SCMP_SYS(socket), 2,
					      SCMP_A0(SCMP_CMP_EQ, family),
					      SCMP_A2(SCMP_CMP_EQ, p));
	if (rc == 0)
		rc = seccomp_rule_add(
			ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 2,
			SCMP_A0(SCMP_CMP_EQ, family),
			SCMP_A2(SCMP_CMP_GT, allowed[nallowed - 1]));
	return rc;
}

/* A blocked network: every socket family but AF_UNIX is refused (and, with
 * allow_tcp, but TCP, and with allow_udp UDP too, for Landlock's port rules
 * to decide). A value with garbage in its upper half fails the equality
 * tests for the families let through and is caught by the "greater than"
 * rules. */
static int add_net(scmp_filter_ctx ctx, bool allow_tcp, bool allow_udp)
{
	int rc = 0;

	for (unsigned fam = 0; fam < NF_FAMILY_LIMIT && rc == 0; fam++) {
		if (fam == AF_UNIX)
			continue;
		rc = deny_family(ctx, SCMP_SYS(socketpair), fam);
		if (rc == 0 &&
		    !(allow_tcp && (fam == AF_INET || fam == AF_INET6)))
			rc = deny_family(ctx, SCMP_SYS(socket), fam);
	}
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 1,
				      SCMP_A0(SCMP_CMP_GE, NF_FAMILY_LIMIT));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socketpair), 1,
				      SCMP_A0(SCMP_CMP_GE, NF_FAMILY_LIMIT));
	if (rc == 0 && allow_tcp)
		rc = deny_non_inet(ctx, AF_INET, allow_udp);
	if (rc == 0 && allow_tcp)
		rc = deny_non_inet(ctx, AF_INET6, allow_udp);
	return rc;
}

static int add_net_deny_all(scmp_filter_ctx ctx, uint32_t arch)
{
	(void)arch;
	return add_net(ctx, false, false);
}

static int add_net_allow_tcp(scmp_filter_ctx ctx, uint32_t arch)
{
	(void)arch;
	return add_net(ctx, true, false);
}

/* Landlock ABI 10 judges UDP ports as well; TCP comes with it, since a
 * set with UDP port exceptions at that ABI has Landlock handle TCP too. */
static int add_net_allow_inet(scmp_filter_ctx ctx, uint32_t arch)
{
	(void)arch;
	return add_net(ctx, true, true);
}

/* The groups of rules, in the order of the bits of enum nono__filter
 * (filter.h): bit i is groups[i]. */
static int (*const groups[])(scmp_filter_ctx ctx, uint32_t arch) = {
	add_base,   add_process,      add_metadata,	 add_unix,
	add_listen, add_net_deny_all, add_net_allow_tcp, add_net_allow_inet,
};

#define NF_GROUPS (sizeof(groups) / sizeof(groups[0]))
#define NF_BASE 1u
#define NF_NET_DENY_ALL (1u << 5)
#define NF_NET_ALLOW_TCP (1u << 6)
#define NF_NET_ALLOW_INET (1u << 7)

/* Whether a set of groups is one a sandbox can ask for: the baseline
 * always, and at most one of the network filters. */
static bool combination_valid(unsigned mask)
{
	unsigned net =
		mask & (NF_NET_DENY_ALL | NF_NET_ALLOW_TCP | NF_NET_ALLOW_INET);

	return (mask & NF_BASE) && (net & (net - 1)) == 0;
}

/* Adds every group of `mask` to a context for `arch`. */
static int add_groups(scmp_filter_ctx ctx, uint32_t arch, unsigned mask)
{
	int rc = 0;

	for (size_t g = 0; g < NF_GROUPS && rc == 0; g++)
		if (mask & (1u << g))
			rc = groups[g](ctx, arch);
	return rc;
}

/*
 * The architectures a filter covers: the host's, and the one a program of
 * the host may also be built for and enter the kernel through (32-bit x86
 * on x86-64, so that legacy 32-bit programs run under `nono run`). Any
 * other (x32 among them) kills the process.
 */
static size_t filter_arches(uint32_t host, uint32_t out[2])
{
	size_t n = 0;

	out[n++] = host;
	if (host == SCMP_ARCH_X86_64)
		out[n++] = SCMP_ARCH_X86;
	return n;
}

/* A new context for `arch` alone with the action for any other, or NULL
 * with *rc set. */
static scmp_filter_ctx arch_ctx(uint32_t arch, int *rc)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	*rc = ctx ? 0 : -ENOMEM;
	if (ctx && arch != seccomp_arch_native()) {
		*rc = seccomp_arch_add(ctx, arch);
		if (*rc == 0)
			*rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
	}
	if (*rc == 0)
		*rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				       SCMP_ACT_KILL_PROCESS);
	/* A binary tree over the system call numbers rather than a chain:
	 * the kernel runs the program once per system call number and
	 * architecture when it is loaded (to cache what is always allowed),
	 * and a chain of thirty comparisons made that the dearest part of a
	 * start. */
	if (*rc == 0)
		*rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (*rc && ctx) {
		seccomp_release(ctx);
		ctx = NULL;
	}
	return ctx;
}

/* Builds the program of one combination of groups and writes its
 * instructions to out, as elements of the one array of every program
 * (nono__filter_insns), adding their number to *count. Each
 * architecture's rules are built alone, with its own system call
 * numbers, and the programs merged. On 32-bit x86 the socket calls may go
 * through socketcall(), whose arguments a filter cannot see: libseccomp
 * then refuses the whole call where a rule looks at an argument, which is
 * stricter than asked, never looser. */
static int write_filter(FILE *out, uint32_t host, unsigned mask, size_t *count)
{
	struct nf_insn *prog = NULL;
	uint32_t arches[2];
	size_t narches = filter_arches(host, arches);
	int fd = -1;
	off_t size;
	int rc;

	const char *step = "selecting the architecture";
	scmp_filter_ctx ctx = arch_ctx(arches[0], &rc);
	if (!ctx)
		goto fail;
	step = "adding the rules";
	rc = add_groups(ctx, arches[0], mask);
	for (size_t a = 1; a < narches && rc == 0; a++) {
		step = "adding the rules of the second architecture";
		scmp_filter_ctx more = arch_ctx(arches[a], &rc);

		if (!more)
			break;
		rc = add_groups(more, arches[a], mask);
		/* A merged context is released with ctx. */
		if (rc == 0)
			rc = seccomp_merge(ctx, more);
		if (rc)
			seccomp_release(more);
	}
	if (rc)
		goto release_ctx;

	/* seccomp_export_bpf writes to a file descriptor: an anonymous file
	 * holds the program until it is read back. */
	step = "exporting the program";
	fd = memfd_create("filter-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		goto release_ctx;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc)
		goto close_fd;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % sizeof(*prog) != 0) {
		rc = -EINVAL;
		goto close_fd;
	}
	prog = malloc(size);
	if (!prog) {
		rc = -ENOMEM;
		goto close_fd;
	}
	if (pread(fd, prog, size, 0) != size) {
		rc = -EIO;
		goto free_prog;
	}

	fprintf(out, "\t/* groups 0x%02x */\n", mask);
	for (size_t i = 0; i < size / sizeof(*prog); i++)
		fprintf(out, "\t{ 0x%04x, %u, %u, 0x%08x },\n",
			(unsigned)prog[i].code, (unsigned)prog[i].jt,
			(unsigned)prog[i].jf, (unsigned)prog[i].k);
	*count += size / sizeof(*prog);
	rc = 0;

free_prog:
	free(prog);
close_fd:
	close(fd);
release_ctx:
	seccomp_release(ctx);
fail:
	if (rc)
		fprintf(stderr, "filter-gen: groups %02x: %s: %s\n", mask, step,
			strerror(-rc));
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: filter-gen ARCH OUTPUT\n");
		return 2;
	}
	uint32_t arch = seccomp_arch_resolve_name(argv[1]);
	if (arch == 0) {
		fprintf(stderr, "filter-gen: unknown architecture '%s'\n",
			argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[2], "we");
	if (!out) {
		fprintf(stderr, "filter-gen: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	fprintf(out,
		"/* Generated by core/filter-gen.c for %s: do not edit. */\n"
		"#ifndef NONO_FILTER_BPF_H\n"
		"#define NONO_FILTER_BPF_H\n\n"
		"#include <linux/filter.h>\n\n"
		"#define NONO_FILTER_PROBE_CMD 0x%08xu\n"
		"#define NONO_FILTER_PROBE_ERRNO %d\n\n"
		/* The probe alone, for what must not carry the programs
		 * (landlock-confined.c, linked into the shim's small
		 * preloaded object). */
		"#ifndef NONO_FILTER_PROBE_ONLY\n\n",
		argv[1], PROBE_CMD, PROBE_ERRNO);
	/* One program per combination a sandbox can ask for: the kernel
	 * then loads one program whose binary tree covers every rule, where
	 * a chain of separate programs would walk one tree each for every
	 * system call number it checks at load time. */
	/* All programs in one array, found by offset and length rather
	 * than by pointer: a table of pointers would need a relocation each
	 * in every process that loads the shim, and a page of its own. */
	int rc = 0;
	unsigned all = (1u << NF_GROUPS) - 1;
	size_t start[1u << NF_GROUPS] = { 0 }, len[1u << NF_GROUPS] = { 0 };
	size_t count = 0;

	fprintf(out, "static const struct sock_filter nono__filter_insns[] = "
		     "{\n");
	for (unsigned mask = 0; mask <= all && rc == 0; mask++) {
		if (!combination_valid(mask))
			continue;
		start[mask] = count;
		rc = write_filter(out, arch, mask, &count);
		len[mask] = count - start[mask];
		/* The table's fields are unsigned int and unsigned short. */
		if (rc == 0 && (count > UINT32_MAX || len[mask] > USHRT_MAX)) {
			fprintf(stderr,
				"filter-gen: groups %02x: program too "
				"long\n",
				mask);
			rc = -E2BIG;
		}
	}
	fprintf(out,
		"};\n\n"
		"/* Program `mask` is the `len` instructions of\n"
		" * nono__filter_insns from `start`; none where len is 0. */\n"
		"static const struct {\n"
		"\tunsigned start;\n"
		"\tunsigned short len;\n"
		"} nono__filters[%u] = {\n",
		all + 1);
	for (unsigned mask = 0; mask <= all && rc == 0; mask++)
		if (len[mask])
			fprintf(out, "\t[0x%02x] = { %zu, %zu },\n", mask,
				start[mask], len[mask]);
	fprintf(out, "};\n\n#endif\n\n#endif\n");
	if (fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "filter-gen: %s: %s\n", argv[2],
			strerror(errno));
		rc = -EIO;
	}
	if (rc)
		unlink(argv[2]);
	return rc ? 1 : 0;
}
