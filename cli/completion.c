// SPDX-License-Identifier: Apache-2.0
/*
 * nono completion: prints a bash or zsh completion script for nono, made
 * from the subcommands' own getopt_long tables (struct cli_command
 * .options), so that an option added to a command is completed without
 * anyone editing a script. The build runs it to make the installed
 * completion files (cli/meson.build).
 *
 * What an option's argument is comes from its name: the few that take no
 * path are listed in completion_args; every other argument is a file, and
 * those of the directory grants a directory. What a command's operands are
 * comes from its usage line: PROGRAM (a command, then its arguments),
 * POLICY (a file), or the words of "bash|zsh".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum completion_kind {
	COMPLETION_FILE,
	COMPLETION_DIR,
	COMPLETION_NONE,  /* a number: nothing to offer */
	COMPLETION_WORDS, /* one of .words */
	COMPLETION_COMMAND,
};

struct completion_arg {
	const char *option; /* without "--" */
	enum completion_kind kind;
	const char *words; /* COMPLETION_WORDS: separated by spaces */
};

/* Arguments that are not files. */
static const struct completion_arg completion_args[] = {
	{ "read", COMPLETION_DIR, NULL },
	{ "write", COMPLETION_DIR, NULL },
	{ "read-write", COMPLETION_DIR, NULL },
	{ "op", COMPLETION_WORDS, "read write read_write" },
	{ "connect-tcp", COMPLETION_NONE, NULL },
	{ "bind-tcp", COMPLETION_NONE, NULL },
};

#define COMPLETION_SHELLS "bash zsh"

static const struct completion_arg *completion_arg_of(const char *option)
{
	static const struct completion_arg file = { NULL, COMPLETION_FILE,
						    NULL };

	for (size_t i = 0;
	     i < sizeof(completion_args) / sizeof(completion_args[0]); i++)
		if (strcmp(completion_args[i].option, option) == 0)
			return &completion_args[i];
	return &file;
}

/* What a command's operands are, from its usage line. */
static struct completion_arg completion_operands(const struct cli_command *cmd)
{
	if (strstr(cmd->usage, "PROGRAM"))
		return (struct completion_arg){ NULL, COMPLETION_COMMAND,
						NULL };
	if (strstr(cmd->usage, " POLICY"))
		return (struct completion_arg){ NULL, COMPLETION_FILE, NULL };
	if (strstr(cmd->usage, "bash|zsh"))
		return (struct completion_arg){ NULL, COMPLETION_WORDS,
						COMPLETION_SHELLS };
	return (struct completion_arg){ NULL, COMPLETION_NONE, NULL };
}

/* Whether a table entry has a one-letter alias: getopt_long returns the
 * letter itself for those ('h', 'o'), and values from 0x100 up for the
 * long-only ones. */
static bool completion_short(const struct option *o)
{
	return !o->flag && o->val > ' ' && o->val < 0x7f;
}

/* bash: the words that complete an argument or operand of this kind. */
static void bash_reply(const struct completion_arg *arg)
{
	switch (arg->kind) {
	case COMPLETION_FILE:
		puts("\t\t\tcompopt -o filenames 2>/dev/null\n"
		     "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))");
		break;
	case COMPLETION_DIR:
		puts("\t\t\tcompopt -o filenames 2>/dev/null\n"
		     "\t\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))");
		break;
	case COMPLETION_WORDS:
		printf("\t\t\tCOMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n",
		       arg->words);
		break;
	case COMPLETION_COMMAND:
		puts("\t\t\tCOMPREPLY=($(compgen -c -- \"$cur\"))");
		break;
	case COMPLETION_NONE:
		puts("\t\t\tCOMPREPLY=()");
		break;
	}
}

/* bash: "--policy|--read|-o" for the options of `cmd` that take an
 * argument (has_arg true) or take none. */
static void bash_option_words(const struct cli_command *cmd, bool has_arg,
			      const char *sep)
{
	const char *s = "";

	for (const struct option *o = cmd->options; o && o->name; o++) {
		if ((o->has_arg == required_argument) != has_arg)
			continue;
		printf("%s--%s", s, o->name);
		s = sep;
		if (completion_short(o))
			printf("%s-%c", s, o->val);
	}
}

/*
 * One command's branch: an option's argument; else, after the options
 * (and their arguments) and "--", the operands; the program's arguments
 * (files) after a PROGRAM.
 */
static void bash_command(const struct cli_command *cmd)
{
	struct completion_arg operands = completion_operands(cmd);
	const struct option *o;
	bool any_arg = false;

	printf("\t%s)\n", cmd->name);
	puts("\t\tcase $prev in");
	for (o = cmd->options; o && o->name; o++) {
		if (o->has_arg != required_argument)
			continue;
		any_arg = true;
		printf("\t\t--%s", o->name);
		if (completion_short(o))
			printf("|-%c", o->val);
		puts(")");
		bash_reply(completion_arg_of(o->name));
		puts("\t\t\treturn\n\t\t\t;;");
	}
	puts("\t\tesac");
	puts("\t\ti=2\n"
	     "\t\tdashdash=0\n"
	     "\t\twhile ((i < COMP_CWORD)); do\n"
	     "\t\t\tcase ${COMP_WORDS[i]} in\n"
	     "\t\t\t--) dashdash=1; ((i++)); break ;;");
	if (any_arg) {
		fputs("\t\t\t", stdout);
		bash_option_words(cmd, true, "|");
		puts(") ((i += 2)) ;;");
	}
	puts("\t\t\t-*) ((i++)) ;;\n"
	     "\t\t\t*) break ;;\n"
	     "\t\t\tesac\n"
	     "\t\tdone");
	if (operands.kind == COMPLETION_COMMAND)
		puts("\t\tif ((i < COMP_CWORD)); then\n"
		     "\t\t\tcompopt -o filenames 2>/dev/null\n"
		     "\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		     "\t\t\treturn\n"
		     "\t\tfi");
	else
		puts("\t\tif ((i < COMP_CWORD)); then\n"
		     "\t\t\tCOMPREPLY=()\n"
		     "\t\t\treturn\n"
		     "\t\tfi");
	fputs("\t\tif ((!dashdash)) && [[ $cur == -* ]]; then\n"
	      "\t\t\tCOMPREPLY=($(compgen -W '",
	      stdout);
	bash_option_words(cmd, true, " ");
	if (any_arg)
		putchar(' ');
	bash_option_words(cmd, false, " ");
	puts("' -- \"$cur\"))\n"
	     "\t\t\treturn\n"
	     "\t\tfi");
	bash_reply(&operands);
	puts("\t\t;;");
}

static void completion_bash(void)
{
	const struct cli_command *const *cmds;
	size_t n;

	cmds = cli_command_list(&n);
	printf("# bash completion for nono, written by `nono completion bash`"
	       "\n# (nono %s) from its option tables.\n"
	       "\n"
	       "_nono()\n"
	       "{\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n"
	       "\tlocal prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "\tlocal i dashdash\n"
	       "\n"
	       "\tif ((COMP_CWORD == 1)); then\n"
	       "\t\tCOMPREPLY=($(compgen -W '",
	       NONO_VERSION_STRING);
	for (size_t i = 0; i < n; i++)
		printf("%s ", cmds[i]->name);
	printf("help --help --version' -- \"$cur\"))\n"
	       "\t\treturn\n"
	       "\tfi\n"
	       "\tcase ${COMP_WORDS[1]} in\n"
	       "\thelp)\n"
	       "\t\tCOMPREPLY=($(compgen -W '");
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? " " : "", cmds[i]->name);
	puts("' -- \"$cur\"))\n"
	     "\t\t;;");
	for (size_t i = 0; i < n; i++)
		bash_command(cmds[i]);
	puts("\tesac\n"
	     "}\n"
	     "complete -F _nono nono");
}

/* A zsh single-quoted word's contents: ' becomes '\''. */
static void zsh_quoted(const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else if (*s == ':' || *s == '[' || *s == ']')
			printf("\\%c", *s);
		else
			putchar(*s);
	}
}

static const char *zsh_action(const struct completion_arg *arg)
{
	switch (arg->kind) {
	case COMPLETION_FILE:
		return "_files";
	case COMPLETION_DIR:
		return "_files -/";
	case COMPLETION_COMMAND:
		return "_command_names -e";
	case COMPLETION_WORDS:
	case COMPLETION_NONE:
		break;
	}
	return " ";
}

static void zsh_command(const struct cli_command *cmd)
{
	struct completion_arg operands = completion_operands(cmd);

	printf("\t(%s)\n\t\t_arguments -S", cmd->name);
	for (const struct option *o = cmd->options; o && o->name; o++) {
		const struct completion_arg *arg = completion_arg_of(o->name);

		if (o->has_arg != required_argument) {
			if (completion_short(o))
				printf(" \\\n\t\t\t'(-%c --%s)'{-%c,--%s}",
				       o->val, o->name, o->val, o->name);
			else
				printf(" \\\n\t\t\t'--%s'", o->name);
			continue;
		}
		/* Grants and ports may be given again. */
		printf(" \\\n\t\t\t");
		if (completion_short(o))
			printf("'(-%c --%s)'{-%c,--%s}'", o->val, o->name,
			       o->val, o->name);
		else
			printf("'*--%s", o->name);
		printf(":%s:", o->name);
		if (arg->kind == COMPLETION_WORDS)
			printf("(%s)", arg->words);
		else
			fputs(zsh_action(arg), stdout);
		putchar('\'');
	}
	switch (operands.kind) {
	case COMPLETION_COMMAND:
		fputs(" \\\n\t\t\t'(-)1:program:_command_names -e'"
		      " \\\n\t\t\t'(-)*::arguments:_normal'",
		      stdout);
		break;
	case COMPLETION_FILE:
		fputs(" \\\n\t\t\t'1:policy:_files'", stdout);
		break;
	case COMPLETION_WORDS:
		printf(" \\\n\t\t\t'1:shell:(%s)'", operands.words);
		break;
	default:
		break;
	}
	puts("\n\t\t;;");
}

static void completion_zsh(void)
{
	const struct cli_command *const *cmds;
	size_t n;

	cmds = cli_command_list(&n);
	printf("#compdef nono\n"
	       "# zsh completion for nono, written by `nono completion zsh`\n"
	       "# (nono %s) from its option tables.\n"
	       "\n"
	       "_nono() {\n"
	       "\tlocal -a commands\n"
	       "\tcommands=(\n",
	       NONO_VERSION_STRING);
	for (size_t i = 0; i < n; i++) {
		fputs("\t\t'", stdout);
		zsh_quoted(cmds[i]->name);
		putchar(':');
		zsh_quoted(cmds[i]->summary);
		puts("'");
	}
	puts("\t\t'help:show the help of a command'\n"
	     "\t)\n"
	     "\tif ((CURRENT == 2)); then\n"
	     "\t\t_describe -t commands 'nono command' commands\n"
	     "\t\treturn\n"
	     "\tfi\n"
	     "\tlocal cmd=$words[2]\n"
	     "\tshift words\n"
	     "\t((CURRENT--))\n"
	     "\tcase $cmd in\n"
	     "\t(help)\n"
	     "\t\t_describe -t commands 'nono command' commands\n"
	     "\t\t;;");
	for (size_t i = 0; i < n; i++)
		zsh_command(cmds[i]);
	puts("\tesac\n"
	     "}\n"
	     "\n"
	     "_nono \"$@\"");
}

static const struct option completion_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int completion_main(int argc, char **argv)
{
	int c;

	opterr = 0;
	/* Any option here is --help or a mistake. */
	if ((c = getopt_long(argc, argv, "+:h", completion_options, NULL)) !=
	    -1)
		return cli_common_option(&cli_completion_command, c, argv);
	if (optind != argc - 1)
		return cli_usage_error("completion", "give one shell: %s",
				       COMPLETION_SHELLS);
	if (strcmp(argv[optind], "bash") == 0)
		completion_bash();
	else if (strcmp(argv[optind], "zsh") == 0)
		completion_zsh();
	else
		return cli_usage_error(
			"completion", "'%s' is not a shell nono completes (%s)",
			argv[optind], COMPLETION_SHELLS);
	return CLI_EXIT_OK;
}

/* clang-format off */
const struct cli_command cli_completion_command = {
	.name = "completion",
	.summary = "print a bash or zsh completion script",
	.usage = "usage: nono completion bash|zsh\n",
	.help = "Prints the completion script for the shell, made from nono's\n"
		"own option tables. Installed ones are in bash-completion's and\n"
		"zsh's directories already; to try one: source <(nono completion\n"
		"bash).\n"
		"\n"
		"  -h, --help  this text\n"
		"\n"
		"Exit status: 0, or 2 for a usage error.\n",
	.run = completion_main,
	.options = completion_options,
};
/* clang-format on */
