// SPDX-License-Identifier: Apache-2.0
/*
 * nono state: a policy as nono's SandboxState JSON, which nono-py and
 * nono_state_from_json() read back, and which a policy file may itself be.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static const struct option state_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int state_main(int argc, char **argv)
{
	nono_policy *policy = NULL;
	nono_state *state = NULL;
	char *json;
	int c, rc, status;

	opterr = 0;
	/* Any option here is --help or a mistake. */
	if ((c = getopt_long(argc, argv, "+:h", state_options, NULL)) != -1)
		return cli_common_option(&cli_state_command, c, argv);
	if (optind >= argc)
		return cli_usage_error("state", "no policy file given");
	if (optind + 1 < argc)
		return cli_usage_error("state", "unexpected argument '%s'",
				       argv[optind + 1]);

	if (cli_policy_load(argv[optind], &policy) < 0)
		return CLI_EXIT_FAILURE;
	status = CLI_EXIT_FAILURE;
	rc = nono_state_from_caps(nono_policy_caps(policy), &state);
	if (rc < 0) {
		cli_error("state: %s", nono_strerror(rc));
		goto free_policy;
	}
	json = nono_state_to_json(state);
	if (!json) {
		cli_error("state: %s", nono_strerror(NONO_ENOMEM));
		goto free_state;
	}
	printf("%s\n", json);
	nono_free(json);
	status = CLI_EXIT_OK;

free_state:
	nono_state_free(state);
free_policy:
	nono_policy_free(policy);
	return status;
}

/* clang-format off */
const struct cli_command cli_state_command = {
	.name = "state",
	.summary = "print a policy as nono SandboxState JSON",
	.usage = "usage: nono state POLICY\n",
	.help = "Loads POLICY and prints the capability set as nono's\n"
		"SandboxState JSON ({\"fs\": [...], \"net_blocked\": ...}), which\n"
		"nono-py's SandboxState.from_json reads, and which may itself\n"
		"be given as a policy file. The JSON carries only the filesystem\n"
		"grants and the network setting.\n"
		"\n"
		"  -h, --help  this text\n"
		"\n"
		"Exit status: 0, 1 for a bad policy, 2 for a usage error.\n",
	.run = state_main,
	.options = state_options,
};
/* clang-format on */
