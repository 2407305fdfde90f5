// SPDX-License-Identifier: Apache-2.0
/*
 * netfilter-gen: writes the seccomp programs of the network block
 * (netfilter.c) as a C header, at build time.
 *
 *   netfilter-gen ARCH OUTPUT
 *
 * ARCH is the host machine's CPU family as Meson names it (x86_64,
 * aarch64, ...), which libseccomp's names match; OUTPUT is the header.
 *
 * libseccomp builds the filters here, once, so that no process pays for
 * building them at every start, nor carries libseccomp's code: at run time
 * netfilter.c hands the finished program to seccomp(2). The header holds
 * one array of struct sock_filter per variant: nono_netfilter_deny_all
 * (only AF_UNIX sockets) and nono_netfilter_allow_tcp (TCP sockets too, for
 * Landlock's port rules to decide).
 *
 * The filter is a deny list over an allow-by-default filter: the program
 * keeps every other system call, and each refused call fails with EACCES
 * (EPERM for io_uring_setup), never a signal. Arguments are compared as the
 * kernel's 64-bit registers. A value with garbage in its upper half fails
 * the equality tests for the families we let through and is caught by the
 * "greater than" rules, so it is refused rather than slipping past.
 *
 * This is a build tool, not part of the library: it prints its errors and
 * exits non-zero, which fails the build.
 */
#include <errno.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* One BPF instruction as the kernel's struct sock_filter lays it out. */
struct nf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

static int deny_family(scmp_filter_ctx ctx, int syscall, unsigned family)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), syscall, 1,
				SCMP_A0(SCMP_CMP_EQ, family));
}

/* For AF_INET or AF_INET6 with TCP allowed: refuse every type but
 * SOCK_STREAM and every protocol but 0 and IPPROTO_TCP (which rules out
 * SCTP and multipath TCP, both of which Landlock's TCP rules miss). */
static int deny_non_tcp(scmp_filter_ctx ctx, unsigned family)
{
	int rc = 0;
	for (unsigned t = 0; t <= NF_TYPE_MASK && rc == 0; t++) {
		if (t == SOCK_STREAM)
			continue;
		rc = seccomp_rule_add(
			ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 2,
			SCMP_A0(SCMP_CMP_EQ, family),
			SCMP_A1(SCMP_CMP_MASKED_EQ, NF_TYPE_MASK, t));
	}
	for (unsigned p = 1; p < IPPROTO_TCP && rc == 0; p++)
		rc = seccomp_rule_add(
			ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 2,
			SCMP_A0(SCMP_CMP_EQ, family), SCMP_A2(SCMP_CMP_EQ, p));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
				      SCMP_SYS(socket), 2,
				      SCMP_A0(SCMP_CMP_EQ, family),
				      SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP));
	return rc;
}

/* Adds every rule of one variant; returns 0 or libseccomp's negative
 * errno, with *step naming what failed. */
static int add_rules(scmp_filter_ctx ctx, uint32_t arch, bool allow_tcp,
		     const char **step)
{
	int rc;

	/* The host's architecture only, which may not be this machine's.
	 * A system call from another architecture (the 32-bit entry points
	 * of x86-64, for one) would bypass the rules: kill it. */
	*step = "selecting the architecture";
	if (arch != seccomp_arch_native()) {
		rc = seccomp_arch_add(ctx, arch);
		if (rc == 0)
			rc = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (rc)
			return rc;
	}
	*step = "setting the bad-architecture action";
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			      SCMP_ACT_KILL_PROCESS);
	if (rc)
		return rc;

	*step = "adding socket rules";
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
		rc = deny_non_tcp(ctx, AF_INET);
	if (rc == 0 && allow_tcp)
		rc = deny_non_tcp(ctx, AF_INET6);
	if (rc)
		return rc;

	*step = "adding the io_uring rule";
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
				SCMP_SYS(io_uring_setup), 0);
}

/* Builds one variant and writes it to out as a C array named name. */
static int write_variant(FILE *out, uint32_t arch, bool allow_tcp,
			 const char *name)
{
	const char *step = "seccomp_init";
	struct nf_insn *prog = NULL;
	int fd = -1;
	int rc = -ENOMEM;
	off_t size;

	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		goto fail;
	rc = add_rules(ctx, arch, allow_tcp, &step);
	if (rc)
		goto release_ctx;

	/* seccomp_export_bpf writes to a file descriptor: an anonymous file
	 * holds the program until it is read back. */
	step = "exporting the program";
	fd = memfd_create("netfilter-bpf", MFD_CLOEXEC);
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

	fprintf(out, "static const struct sock_filter %s[] = {\n", name);
	for (size_t i = 0; i < size / sizeof(*prog); i++)
		fprintf(out, "\t{ 0x%04x, %u, %u, 0x%08x },\n",
			(unsigned)prog[i].code, (unsigned)prog[i].jt,
			(unsigned)prog[i].jf, (unsigned)prog[i].k);
	fprintf(out, "};\n\n");
	rc = 0;

free_prog:
	free(prog);
close_fd:
	close(fd);
release_ctx:
	seccomp_release(ctx);
fail:
	if (rc)
		fprintf(stderr, "netfilter-gen: %s: %s: %s\n", name, step,
			strerror(-rc));
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: netfilter-gen ARCH OUTPUT\n");
		return 2;
	}
	uint32_t arch = seccomp_arch_resolve_name(argv[1]);
	if (arch == 0) {
		fprintf(stderr, "netfilter-gen: unknown architecture '%s'\n",
			argv[1]);
		return 1;
	}
	FILE *out = fopen(argv[2], "we");
	if (!out) {
		fprintf(stderr, "netfilter-gen: %s: %s\n", argv[2],
			strerror(errno));
		return 1;
	}
	fprintf(out,
		"/* Generated by core/netfilter-gen.c for %s: do not edit. */\n"
		"#ifndef NONO_NETFILTER_BPF_H\n"
		"#define NONO_NETFILTER_BPF_H\n\n"
		"#include <linux/filter.h>\n\n",
		argv[1]);
	int rc = write_variant(out, arch, false, "nono_netfilter_deny_all");
	if (rc == 0)
		rc = write_variant(out, arch, true, "nono_netfilter_allow_tcp");
	fprintf(out, "#endif\n");
	if (fclose(out) != 0 && rc == 0) {
		fprintf(stderr, "netfilter-gen: %s: %s\n", argv[2],
			strerror(errno));
		rc = -EIO;
	}
	if (rc)
		unlink(argv[2]);
	return rc ? 1 : 0;
}
