// SPDX-License-Identifier: Apache-2.0
/*
 * nono run: applies a sandbox to this process, then executes the program
 * in it. The program replaces nono, so its exit status is the status of
 * the command, and a statically linked program (which ignores LD_PRELOAD)
 * is confined all the same: the Landlock domain survives execve(2).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Long-only options get values outside the range of characters. */
enum run_option {
	RUN_OPT_POLICY = 0x100,
	RUN_OPT_READ,
	RUN_OPT_WRITE,
	RUN_OPT_READ_WRITE,
	RUN_OPT_READ_FILE,
	RUN_OPT_WRITE_FILE,
	RUN_OPT_READ_WRITE_FILE,
	RUN_OPT_BLOCK_NET,
	RUN_OPT_CONNECT_TCP,
	RUN_OPT_BIND_TCP,
	RUN_OPT_INCLUDE,
	RUN_OPT_PRIVATE_TMP,
	RUN_OPT_NO_SYSTEM,
};

static const struct option run_options[] = {
	{ "policy", required_argument, NULL, RUN_OPT_POLICY },
	{ "read", required_argument, NULL, RUN_OPT_READ },
	{ "write", required_argument, NULL, RUN_OPT_WRITE },
	{ "read-write", required_argument, NULL, RUN_OPT_READ_WRITE },
	{ "read-file", required_argument, NULL, RUN_OPT_READ_FILE },
	{ "write-file", required_argument, NULL, RUN_OPT_WRITE_FILE },
	{ "read-write-file", required_argument, NULL, RUN_OPT_READ_WRITE_FILE },
	{ "block-net", no_argument, NULL, RUN_OPT_BLOCK_NET },
	{ "connect-tcp", required_argument, NULL, RUN_OPT_CONNECT_TCP },
	{ "bind-tcp", required_argument, NULL, RUN_OPT_BIND_TCP },
	{ "include", required_argument, NULL, RUN_OPT_INCLUDE },
	{ "private-tmp", no_argument, NULL, RUN_OPT_PRIVATE_TMP },
	{ "no-system", no_argument, NULL, RUN_OPT_NO_SYSTEM },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* One grant from the command line, in the order given. */
struct run_grant {
	const char *option; /* "--read", for messages */
	const char *path;
	nono_access access;
	bool is_file;
};

struct run_port {
	nono_tcp_op op;
	unsigned port;
};

struct run_args {
	const char *policy;
	struct run_grant *grants; /* argc entries: enough for any line */
	size_t grant_count;
	bool block_net;
	struct run_port *ports; /* argc entries: enough for any line */
	size_t port_count;
	char **program; /* PROGRAM and its arguments */
	/* Without --policy: the policy built from these (run_flags_policy). */
	const char **includes; /* argc entries: enough for any line */
	size_t include_count;
	bool private_tmp;
	bool no_system;
};

static void run_add_grant(struct run_args *args, const char *option,
			  nono_access access, bool is_file)
{
	args->grants[args->grant_count++] = (struct run_grant){
		.option = option,
		.path = optarg,
		.access = access,
		.is_file = is_file,
	};
}

/* Returns -1 when the command line is good, otherwise the exit status. */
static int run_parse(int argc, char **argv, struct run_args *args)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", run_options, NULL)) != -1) {
		switch (c) {
		case RUN_OPT_POLICY:
			if (args->policy)
				return cli_usage_error("run",
						       "--policy given twice");
			args->policy = optarg;
			break;
		case RUN_OPT_READ:
			run_add_grant(args, "--read", NONO_ACCESS_READ, false);
			break;
		case RUN_OPT_WRITE:
			run_add_grant(args, "--write", NONO_ACCESS_WRITE,
				      false);
			break;
		case RUN_OPT_READ_WRITE:
			run_add_grant(args, "--read-write",
				      NONO_ACCESS_READ_WRITE, false);
			break;
		case RUN_OPT_READ_FILE:
			run_add_grant(args, "--read-file", NONO_ACCESS_READ,
				      true);
			break;
		case RUN_OPT_WRITE_FILE:
			run_add_grant(args, "--write-file", NONO_ACCESS_WRITE,
				      true);
			break;
		case RUN_OPT_READ_WRITE_FILE:
			run_add_grant(args, "--read-write-file",
				      NONO_ACCESS_READ_WRITE, true);
			break;
		case RUN_OPT_BLOCK_NET:
			args->block_net = true;
			break;
		case RUN_OPT_CONNECT_TCP:
		case RUN_OPT_BIND_TCP: {
			const char *name = c == RUN_OPT_CONNECT_TCP
						   ? "--connect-tcp"
						   : "--bind-tcp";
			unsigned port;

			if (nono__port_parse(optarg, &port) != 0)
				return cli_usage_error(
					"run",
					"%s: '%s' is not a port (1..65535)",
					name, optarg);
			args->ports[args->port_count++] = (struct run_port){
				.op = c == RUN_OPT_CONNECT_TCP
					      ? NONO_TCP_CONNECT
					      : NONO_TCP_BIND,
				.port = port,
			};
			break;
		}
		case RUN_OPT_INCLUDE:
			args->includes[args->include_count++] = optarg;
			break;
		case RUN_OPT_PRIVATE_TMP:
			args->private_tmp = true;
			break;
		case RUN_OPT_NO_SYSTEM:
			args->no_system = true;
			break;
		default:
			return cli_common_option(&cli_run_command, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("run", "no program given");
	args->program = argv + optind;
	/* A policy file says all of this itself, in one place. */
	if (args->policy &&
	    (args->include_count || args->private_tmp || args->no_system))
		return cli_usage_error(
			"run", "--include, --private-tmp and --no-system "
			       "build a policy without --policy; write "
			       "include = NAME or private_tmp = true in "
			       "the policy file instead");
	return -1;
}

/*
 * Without --policy, the policy is made from the options: include = system
 * (unless --no-system), one include per --include, and private_tmp = true
 * for --private-tmp, loaded as any policy is, so that a bad profile name is
 * refused with the loader's own words. Returns 0, or -1 with the error
 * printed.
 */
static int run_flags_policy(const struct run_args *args, nono_policy **out)
{
	size_t len = 64 + (args->private_tmp ? 32 : 0);
	nono_diag diag;
	char *text, *p;
	int rc;

	for (size_t i = 0; i < args->include_count; i++)
		len += strlen(args->includes[i]) + 12;
	text = malloc(len);
	if (!text) {
		cli_error("%s", nono_strerror(NONO_ENOMEM));
		return -1;
	}
	p = text + sprintf(text, "[policy]\n%s",
			   args->no_system ? "" : "include = system\n");
	for (size_t i = 0; i < args->include_count; i++) {
		/* A value is one line: a newline would start another key. */
		if (strpbrk(args->includes[i], "\n\r")) {
			cli_error("--include: a profile name is one word");
			free(text);
			return -1;
		}
		p += sprintf(p, "include = %s\n", args->includes[i]);
	}
	if (args->private_tmp)
		sprintf(p, "[filesystem]\nprivate_tmp = true\n");
	nono_diag_clear(&diag);
	rc = nono_policy_load_buffer_to_apply("nono run", text, strlen(text),
					      out, &diag);
	free(text);
	if (rc < 0) {
		cli_diag_error("building the policy", rc, &diag);
		return -1;
	}
	return 0;
}

/*
 * The capability set: the policy's, taken from it (a copy would keep none
 * of the descriptors nono_policy_load_to_apply opened, and open every
 * path again to apply it), then the command line's grants, which keep
 * theirs too. The policy keeps its other answers (best effort,
 * private_tmp).
 */
static int run_build_caps(const struct run_args *args, nono_policy *policy,
			  nono_caps **out)
{
	nono_caps *caps = nono_policy_take_caps(policy);
	int rc = 0;

	if (!caps)
		rc = nono_caps_new(&caps);
	if (rc == 0)
		rc = nono_caps_set_keep_fds(caps, true);
	if (rc < 0) {
		nono_caps_free(caps);
		cli_error("building the sandbox: %s", nono_strerror(rc));
		return rc;
	}
	for (size_t i = 0; i < args->grant_count; i++) {
		const struct run_grant *g = &args->grants[i];

		/* A relative path is taken against the working directory,
		 * which is the user's own here (unlike a policy file's). */
		if (g->is_file)
			rc = nono_caps_allow_file(caps, g->path, g->access);
		else
			rc = nono_caps_allow_path(caps, g->path, g->access);
		if (rc < 0) {
			cli_error("%s %s: %s", g->option, g->path,
				  nono_strerror(rc));
			goto free_caps;
		}
	}
	if (args->block_net) {
		rc = nono_caps_block_network(caps);
		if (rc < 0) {
			cli_error("--block-net: %s", nono_strerror(rc));
			goto free_caps;
		}
	}
	for (size_t i = 0; i < args->port_count; i++) {
		const struct run_port *p = &args->ports[i];
		const char *name = p->op == NONO_TCP_CONNECT ? "--connect-tcp"
							     : "--bind-tcp";

		/* An exception to an open network would mean nothing: the
		 * user surely meant to block the rest. */
		if (!nono_caps_is_network_blocked(caps)) {
			cli_error("%s %u: port exceptions need --block-net (or "
				  "block = true in the policy)",
				  name, p->port);
			rc = NONO_EINVAL;
			goto free_caps;
		}
		rc = p->op == NONO_TCP_CONNECT
			     ? nono_caps_allow_tcp_connect(caps, p->port)
			     : nono_caps_allow_tcp_bind(caps, p->port);
		if (rc < 0) {
			cli_error("%s %u: %s", name, p->port,
				  nono_strerror(rc));
			goto free_caps;
		}
	}
	*out = caps;
	return 0;

free_caps:
	nono_caps_free(caps);
	return rc;
}

/* Reports a program that cannot be found or run; returns the status. */
static int run_exec_error(const char *program, int err, bool sandboxed)
{
	if (err == ENOENT) {
		cli_error("%s: program not found", program);
		return CLI_EXIT_NOT_FOUND;
	}
	if (err == EACCES && sandboxed)
		cli_error("cannot execute %s: %s (does the sandbox grant read "
			  "access to it?)",
			  program, strerror(err));
	else
		cli_error("cannot execute %s: %s", program, strerror(err));
	return CLI_EXIT_CANNOT_RUN;
}

static int run_main(int argc, char **argv)
{
	struct run_args args = { 0 };
	nono_apply_result result = { 0 };
	nono_policy *policy = NULL;
	nono_caps *caps = NULL;
	unsigned flags = 0;
	nono_diag diag;
	char *found;
	int rc, status;

	args.grants = calloc((size_t)argc, sizeof(*args.grants));
	args.ports = calloc((size_t)argc, sizeof(*args.ports));
	args.includes = calloc((size_t)argc, sizeof(*args.includes));
	if (!args.grants || !args.ports || !args.includes) {
		free(args.grants);
		free(args.ports);
		free(args.includes);
		cli_error("%s", nono_strerror(NONO_ENOMEM));
		return CLI_EXIT_RUN_FAILED;
	}
	status = run_parse(argc, argv, &args);
	/* A usage error is nono's own failure, which the program's statuses
	 * cannot be mistaken for: 125, as env(1) has it. */
	if (status == CLI_EXIT_USAGE)
		status = CLI_EXIT_RUN_FAILED;
	if (status >= 0)
		goto free_grants;

	/* Anything that keeps the sandbox from being built or applied is
	 * nono's own failure: 125. */
	status = CLI_EXIT_RUN_FAILED;
	if (args.policy && cli_policy_load_to_apply(args.policy, &policy) < 0)
		goto free_grants;
	if (!args.policy && run_flags_policy(&args, &policy) < 0)
		goto free_grants;
	if (run_build_caps(&args, policy, &caps) < 0)
		goto free_policy;

	/*
	 * Look the program up before the sandbox hides it, so that a
	 * missing program is reported as missing (127), not as a denial.
	 */
	found = cli_find_program(args.program[0]);
	if (!found) {
		status = run_exec_error(args.program[0], errno, false);
		goto free_caps;
	}
	/* The kernel would refuse it too, with a bare EACCES. */
	if (nono_caps_command_blocked(caps, found) == 1) {
		cli_error("cannot execute %s: %s is a blocked command "
			  "([commands] block)",
			  args.program[0], found);
		free(found);
		status = CLI_EXIT_CANNOT_RUN;
		goto free_caps;
	}
	free(found);

	if (policy && nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	nono_diag_clear(&diag);
	rc = nono_apply(caps, flags, &result, &diag);
	if (rc < 0) {
		cli_diag_error("applying the sandbox", rc, &diag);
		goto free_caps;
	}
	if ((result.dropped || result.dropped_details[0]) && cli_log_warnings())
		cli_error("not enforced by this kernel: %s",
			  result.dropped_details[0] ? result.dropped_details
						    : "(no details)");

	if (cli_set_private_tmp(policy) < 0)
		goto free_caps;
	/* A marker from outside is no sign that this sandbox holds the
	 * program's policy: let a shim under it decide afresh. */
	unsetenv(CLI_ENV_SHIM_APPLIED);
	fflush(NULL);
	/* Nothing is freed first: the exec takes the memory with it, and
	 * the descriptors the set kept are close-on-exec. */
	execvp(args.program[0], args.program);
	status = run_exec_error(args.program[0], errno, true);

free_caps:
	nono_caps_free(caps);
free_policy:
	nono_policy_free(policy);
free_grants:
	free(args.grants);
	free(args.ports);
	free(args.includes);
	return status;
}

/* clang-format off */
const struct cli_command cli_run_command = {
	.name = "run",
	.summary = "run a program in a sandbox",
	.usage = "usage: nono run [--policy FILE] [OPTIONS] [--] PROGRAM [ARGS...]\n"
		 "       nono run [--include NAME]... [--private-tmp] [--no-system]\n"
		 "                [OPTIONS] [--] PROGRAM [ARGS...]\n",
	.help = "Applies a sandbox to itself, then executes PROGRAM in it (so a\n"
		"statically linked program is confined too). The sandbox is the\n"
		"policy file's, plus the grants given as options. Everything not\n"
		"granted is denied: a program needs read access to itself and\n"
		"its libraries (`include = system` in a policy gives that).\n"
		"Without --policy the sandbox starts from the built-in profile\n"
		"`system`: `nono run --read-write . -- make` builds the project in\n"
		"the working directory and may write nowhere else.\n"
		"\n"
		"  --policy FILE            start from this policy file\n"
		"  --include NAME           without --policy: add the built-in\n"
		"                           profile NAME (repeatable; nono check\n"
		"                           --profiles lists them)\n"
		"  --private-tmp            without --policy: a temporary directory\n"
		"                           of the program's own, in TMPDIR and kin\n"
		"  --no-system              without --policy: do not start from\n"
		"                           the system profile\n"
		"  --read DIR               read DIR and everything beneath it\n"
		"  --write DIR              write beneath DIR\n"
		"  --read-write DIR         both\n"
		"  --read-file FILE         read one file\n"
		"  --write-file FILE        write one file\n"
		"  --read-write-file FILE   both\n"
		"  --block-net              block network access\n"
		"  --connect-tcp PORT       with the network blocked, still allow\n"
		"                           outbound TCP to PORT (repeatable)\n"
		"  --bind-tcp PORT          likewise, listening on TCP PORT\n"
		"  -h, --help               this text\n"
		"\n"
		"Paths given as options may be relative to the working directory.\n"
		"The policy's on_unsupported = warn applies what the kernel can;\n"
		"NONO_LOG=warn then says what it could not.\n"
		"\n"
		"Exit status: the program's; 125 when nono itself fails (a usage\n"
		"error, a bad policy or grant, a sandbox that cannot be applied),\n"
		"126 when PROGRAM cannot be executed (a blocked command, one the\n"
		"sandbox does not let it read), 127 when PROGRAM is not found.\n",
	.run = run_main,
	.options = run_options,
};
/* clang-format on */
