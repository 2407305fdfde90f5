// SPDX-License-Identifier: Apache-2.0
/*
 * nono check: loads a policy as the shim would, says what it grants and
 * what this kernel will enforce of it, and answers whether the shim would
 * let a program run with it.
 *
 * Whether the kernel accepts a policy is only known for certain by
 * applying it, and applying is irreversible; so the check applies it in a
 * child process made for that purpose, which reports back and exits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* What the trial child sends back over its pipe. */
struct check_trial {
	int rc;
	nono_apply_result result;
	nono_diag diag;
};

/* Reads exactly len bytes; false on EOF or error. */
static bool check_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Applies `caps` with `flags` in a forked child and fills *trial with the
 * outcome. Returns false (with the error printed) when the child could not
 * be run or did not report.
 */
static bool check_trial_apply(const nono_caps *caps, unsigned flags,
			      struct check_trial *trial)
{
	int fds[2], ws;
	bool ok;
	pid_t pid;

	pid = cli_fork_with_pipe("check", fds);
	if (pid < 0)
		return false;
	if (pid == 0) {
		struct check_trial mine = { 0 };

		close(fds[0]);
		mine.rc = nono_apply(caps, flags, &mine.result, &mine.diag);
		_exit(nono__write_all(fds[1], &mine, sizeof(mine)) == 0 ? 0
									: 1);
	}
	close(fds[1]);
	ok = check_read_all(fds[0], trial, sizeof(*trial));
	close(fds[0]);
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			cli_error("check: waitpid: %s", strerror(errno));
			return false;
		}
	}
	if (!ok || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) {
		cli_error("check: the trial apply did not report back");
		return false;
	}
	return true;
}

static void check_print_list(const char *label, const nono_caps *caps,
			     size_t (*count)(const nono_caps *),
			     const char *(*at)(const nono_caps *, size_t))
{
	size_t n = count(caps);

	printf("  %s:", label);
	if (n == 0)
		fputs(" (none)", stdout);
	for (size_t i = 0; i < n; i++)
		printf("%s %s", i ? "," : "", at(caps, i));
	putchar('\n');
}

static void check_print_policy(const nono_policy *policy)
{
	const nono_caps *caps = nono_policy_caps(policy);
	size_t rules = nono_caps_platform_rule_count(caps);
	size_t notes = nono_policy_note_count(policy);
	char *summary = nono_caps_summary(caps);

	/* The summary only informs: without memory, go on without it. */
	if (summary)
		fputs(summary, stdout);
	nono_free(summary);
	/* The issue asks check to list the scopes; "default" means
	 * isolated where the kernel can, which the Kernel part resolves. */
	puts("Process:");
	printf("  signals: %s\n",
	       nono_scope_mode_str(nono_caps_scope(caps, NONO_SCOPE_SIGNAL)));
	printf("  abstract_unix: %s\n",
	       nono_scope_mode_str(
		       nono_caps_scope(caps, NONO_SCOPE_ABSTRACT_UNIX)));
	puts("Commands:");
	check_print_list("allow", caps, nono_caps_allowed_command_count,
			 nono_caps_allowed_command_at);
	check_print_list("block", caps, nono_caps_blocked_command_count,
			 nono_caps_blocked_command_at);
	/* What the names resolved to when the policy was loaded, less what
	 * allow lifts: the files the kernel will refuse to execute. */
	printf("  blocked files:");
	size_t blocked = 0;
	for (size_t i = 0; i < nono_caps_blocked_command_file_count(caps);
	     i++) {
		const char *f = nono_caps_blocked_command_file_at(caps, i);

		if (nono_caps_command_blocked(caps, f) == 1)
			printf("%s %s", blocked++ ? "," : "", f);
	}
	puts(blocked ? "" : " (none)");
	printf("exec_writable: %s\n",
	       nono_caps_exec_writable(caps) ? "true" : "false");
	if (nono_policy_private_tmp(policy))
		printf("private_tmp: %s (TMPDIR for the program)\n",
		       nono_policy_private_tmp(policy));
	if (rules > 0)
		printf("Seatbelt rules: %zu (used on macOS only)\n", rules);
	printf("on_unsupported: %s\n",
	       nono_policy_best_effort(policy) ? "warn" : "fail");
	if (notes > 0) {
		puts("Notes:");
		for (size_t i = 0; i < notes; i++)
			printf("  %s\n", nono_policy_note(policy, i));
	}
}

/* Prints the names of the features in `bits` after `label`, each with the
 * Landlock ABI that brings it when `with_abi`. */
static void check_print_features(const char *label, unsigned bits,
				 bool with_abi)
{
	bool any = false;

	printf("  %s:", label);
	for (size_t i = 0; i < cli_feature_count; i++) {
		if (!(bits & cli_features[i].bit))
			continue;
		printf("%s %s", any ? "," : "", cli_features[i].words);
		if (with_abi && nono_feature_abi(cli_features[i].bit))
			printf(" (ABI %d)",
			       nono_feature_abi(cli_features[i].bit));
		any = true;
	}
	if (!any)
		fputs(" (none)", stdout);
	putchar('\n');
}

/* Whether the kernel logs denials at all: [policy] kernel_log only
 * chooses among what audit records. */
static void check_print_audit(void)
{
	char why[160];
	int on = cli_audit_status(why, sizeof(why));

	if (on > 0)
		puts("  audit: on (Landlock denials are logged as kernel_log "
		     "says)");
	else if (on == 0)
		printf("  audit: off%s%s (no Landlock denial is logged)\n",
		       why[0] ? ": " : "", why);
	else
		printf("  audit: unknown (%s)\n", why);
}

/* The names of the capabilities in `mask`. */
static void check_print_capabilities(uint64_t mask)
{
	bool any = false;

	fputs("  capabilities root keeps:", stdout);
	if (mask == NONO_CAPABILITIES_ALL) {
		puts(" all (capabilities = keep)");
		return;
	}
	for (unsigned cap = 0; cap < 64; cap++) {
		const char *name = nono_capability_name(cap);

		if (!(mask & (UINT64_C(1) << cap)) || !name)
			continue;
		printf("%s %s", any ? "," : "", name);
		any = true;
	}
	puts(any ? "" : " none");
}

/*
 * What confines the program beyond Landlock's rules (the seccomp filters
 * and the capabilities, docs/threat-model.md), and the limits that remain
 * on this kernel for this policy.
 */
static void check_print_baseline(const nono_caps *caps, int abi)
{
	bool blocked = nono_caps_is_network_blocked(caps);
	size_t connect = nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT);
	size_t bind = nono_caps_tcp_port_count(caps, NONO_TCP_BIND);
	bool signals = nono_caps_scope(caps, NONO_SCOPE_SIGNAL) !=
		       NONO_SCOPE_MODE_ALLOWED;
	bool metadata = nono_caps_protect_metadata(caps);

	puts("Beyond Landlock (seccomp filters, capabilities):");
	puts("  refused: keyrings, bpf, perf_event_open, fanotify, syslog, "
	     "host names, clocks, reboot, swap, kexec, modules, acct, "
	     "open_by_handle_at, io_uring, userfaultfd, terminal injection "
	     "(TIOCSTI, TIOCLINUX)");
	printf("  control of other processes (prlimit, setpriority, "
	       "sched_set*, ioprio_set, migrate/move_pages): %s\n",
	       signals ? "refused" : "allowed (signals = allow)");
	printf("  UNIX sockets: %s\n", cli_unix_words(caps, abi));
	if (blocked && abi >= 4 && connect > 0 && bind == 0)
		puts("  listen(): refused (no port may be bound)");
	check_print_capabilities(nono_caps_capabilities(caps));
	printf("  metadata: %s\n",
	       metadata ? "protect: modes, owners, times and extended "
			  "attributes cannot be changed"
			: "allow");

	puts("Limits that remain (docs/threat-model.md):");
	if (!metadata)
		puts("  - the program may change modes, owners, times and "
		     "extended attributes of files its user owns, granted or "
		     "not (metadata = protect refuses it)");
	puts("  - a file the program can write and read it can also map "
	     "executable (Landlock has no right for mmap(PROT_EXEC)); "
	     "exec_writable = false stops execve() only");
	puts("  - descriptors the program inherits keep their rights (a "
	     "terminal, a socket, a file opened outside)");
	if (blocked && abi >= 4 && bind > 0)
		puts("  - listen() on a TCP socket never bound takes an "
		     "ephemeral port, which Landlock does not check");
	puts("  - under LD_PRELOAD alone the program's .preinit_array, IFUNC "
	     "resolvers and library constructors run before the sandbox "
	     "(early mode or nono run do not), and a wrong LD_PRELOAD path "
	     "runs it unconfined");
	if (!blocked)
		puts("  - the network is open (block = true closes it)");
}

/* nono check --profiles: the built-in profiles, one line each. */
static int check_list_profiles(void)
{
	for (size_t i = 0; i < nono_builtin_profile_count(); i++)
		printf("%-12s %s\n", nono_builtin_profile_name(i),
		       nono_builtin_profile_description(i));
	return CLI_EXIT_OK;
}

/* Long-only options get values outside the range of characters. */
#define CHECK_OPT_PROFILES 0x100

static const struct option check_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "profiles", no_argument, NULL, CHECK_OPT_PROFILES },
	{ 0 },
};

static int check_main(int argc, char **argv)
{
	bool profiles = false;
	struct check_trial trial = { 0 };
	nono_support_info info = { 0 };
	nono_policy *policy = NULL;
	unsigned flags = 0, all = 0;
	int c, status;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", check_options, NULL)) != -1)
		if (c == CHECK_OPT_PROFILES)
			profiles = true;
		else
			return cli_common_option(&cli_check_command, c, argv);
	if (profiles && optind < argc)
		return cli_usage_error("check", "--profiles takes no policy");
	if (profiles)
		return check_list_profiles();
	if (optind >= argc)
		return cli_usage_error("check", "no policy file given");
	if (optind + 1 < argc)
		return cli_usage_error("check", "unexpected argument '%s'",
				       argv[optind + 1]);

	if (cli_policy_load(argv[optind], &policy) < 0)
		return CLI_EXIT_FAILURE;
	check_print_policy(policy);

	nono_support_info_get(&info);
	for (size_t i = 0; i < cli_feature_count; i++)
		all |= cli_features[i].bit;
	printf("Kernel:\n  %s\n", info.details);
	check_print_features("available", info.features, false);
	check_print_features("not available", all & ~info.features, true);
	check_print_audit();

	status = CLI_EXIT_FAILURE;
	if (nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	if (!check_trial_apply(nono_policy_caps(policy), flags, &trial))
		goto free_policy;
	if (trial.rc < 0) {
		puts("Result: the shim would refuse to run a program with this "
		     "policy");
		/* The line the shim would print. */
		cli_diag_error("applying the sandbox", trial.rc, &trial.diag);
		goto free_policy;
	}
	check_print_features("enforced for this policy", trial.result.enforced,
			     false);
	if (trial.result.dropped || trial.result.dropped_details[0])
		printf("  not enforced (on_unsupported = warn): %s\n",
		       trial.result.dropped_details[0]
			       ? trial.result.dropped_details
			       : "(no details)");
	check_print_baseline(nono_policy_caps(policy), info.abi);
	puts("Result: ok, the shim would apply this policy");
	status = CLI_EXIT_OK;

free_policy:
	nono_policy_free(policy);
	return status;
}

/* clang-format off */
const struct cli_command cli_check_command = {
	.name = "check",
	.summary = "check a policy file against this kernel",
	.usage = "usage: nono check POLICY\n"
		 "       nono check --profiles\n",
	.help = "Loads POLICY as the shim would and prints what it grants, its\n"
		"command lists, on_unsupported, and what this kernel enforces.\n"
		"The policy is then applied in a short-lived child process, so\n"
		"that the answer is the kernel's own: nothing else is affected.\n"
		"--profiles lists the built-in profiles (include = NAME), each\n"
		"with what it grants, in one line (docs/profiles.md has more).\n"
		"\n"
		"  --profiles  list the built-in profiles\n"
		"  -h, --help  this text\n"
		"\n"
		"Exit status: 0 when the shim would run a program with POLICY;\n"
		"1 when it would refuse (the reason, as the shim gives it, is\n"
		"one line on stderr); 2 for a usage error.\n",
	.run = check_main,
	.options = check_options,
};
/* clang-format on */
