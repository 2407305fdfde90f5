// SPDX-License-Identifier: Apache-2.0
/*
 * nono: run programs sandboxed, check and explain policies, and write
 * wrappers, with libnono. This file only dispatches to a subcommand; each
 * lives in its own file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command *const cli_commands[] = {
	&cli_run_command,	 &cli_check_command, &cli_why_command,
	&cli_wrap_command,	 &cli_state_command, &cli_support_command,
#ifdef NONO_HAVE_EXPLAIN
	&cli_explain_command,	 &cli_learn_command,
#endif
	&cli_completion_command,
};

#define CLI_COMMAND_COUNT (ARRAY_SIZE(cli_commands))

const struct cli_command *const *cli_command_list(size_t *count)
{
	*count = CLI_COMMAND_COUNT;
	return cli_commands;
}

static const struct cli_command *cli_find_command(const char *name)
{
	for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
		if (strcmp(cli_commands[i]->name, name) == 0)
			return cli_commands[i];
	return NULL;
}

static void cli_print_main_help(void)
{
	printf("usage: nono COMMAND [OPTIONS] [ARGS...]\n"
	       "       nono help COMMAND | nono --help | nono --version\n"
	       "\n"
	       "Capability-based sandboxing with Landlock (libnono %s).\n"
	       "\n"
	       "Commands:\n",
	       NONO_VERSION_STRING);
	for (size_t i = 0; i < CLI_COMMAND_COUNT; i++)
		printf("  %-9s %s\n", cli_commands[i]->name,
		       cli_commands[i]->summary);
	printf("\n"
	       "Exit status: 0 success, 1 bad policy or failed check, 2 usage\n"
	       "error. `nono run` exits with the program's status, or 125\n"
	       "for its own failure (usage, policy, sandbox), 126 when the\n"
	       "program cannot be executed, 127 when it is not found.\n"
	       "`nono why` exits 0 allowed, 1 denied, 2 no answer.\n"
	       "See nono(1).\n");
}

static int cli_help(int argc, char **argv)
{
	const struct cli_command *cmd;

	if (argc < 3) {
		cli_print_main_help();
		return CLI_EXIT_OK;
	}
	if (argc > 3)
		return cli_usage_error("help", "too many arguments");
	cmd = cli_find_command(argv[2]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[2]);
	cli_print_help(cmd);
	return CLI_EXIT_OK;
}

/*
 * Output that could not be written is an error, not a silent success: a
 * script reading `nono state` from a full disk must see it fail.
 */
static int cli_finish_output(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("writing the output: %s", strerror(errno));
		if (status == CLI_EXIT_OK)
			return CLI_EXIT_FAILURE;
	}
	return status;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	const char *name;

	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0)
		return cli_finish_output(cli_help(argc, argv));
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("nono %s\n", NONO_VERSION_STRING);
		return cli_finish_output(CLI_EXIT_OK);
	}
	cmd = cli_find_command(name);
	if (!cmd) {
		if (name[0] == '-')
			return cli_usage_error(NULL, "unknown option '%s'",
					       name);
		return cli_usage_error(NULL, "unknown command '%s'", name);
	}
	return cli_finish_output(cmd->run(argc - 1, argv + 1));
}
