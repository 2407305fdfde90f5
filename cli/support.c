// SPDX-License-Identifier: Apache-2.0
/*
 * nono support: what this system can enforce. Also the table of features
 * that `nono check` reports against a policy.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

const struct cli_feature cli_features[] = {
	{ NONO_FEATURE_FS, "fs", "filesystem access rules" },
	{ NONO_FEATURE_FS_REFER, "fs_refer",
	  "rename and link across directories" },
	{ NONO_FEATURE_FS_TRUNCATE, "fs_truncate", "truncate" },
	{ NONO_FEATURE_NETWORK_TCP, "net_tcp", "TCP bind and connect" },
	{ NONO_FEATURE_FS_IOCTL_DEV, "fs_ioctl_dev", "ioctl on devices" },
	{ NONO_FEATURE_SCOPE_ABSTRACT_UNIX, "scope_abstract_unix",
	  "abstract UNIX socket isolation" },
	{ NONO_FEATURE_SCOPE_SIGNAL, "scope_signal", "signal isolation" },
	{ NONO_FEATURE_ALL_THREADS, "all_threads",
	  "restricting all threads at once" },
	{ NONO_FEATURE_KERNEL_LOG, "kernel_log",
	  "choosing what the audit log records" },
	{ NONO_FEATURE_FS_RESOLVE_UNIX, "fs_resolve_unix",
	  "UNIX sockets reached by grant" },
	{ NONO_FEATURE_NETWORK_UDP, "net_udp", "UDP bind and connect by port" },
};

const size_t cli_feature_count = ARRAY_SIZE(cli_features);

/* A JSON string: the text as it is, with '"', '\\' and control characters
 * escaped. The details are ASCII; anything else passes through. */
static void support_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void support_print_json(const nono_support_info *info)
{
	printf("{\"is_supported\": %s, \"platform\": ",
	       info->is_supported ? "true" : "false");
	support_json_string(info->platform);
	fputs(", \"details\": ", stdout);
	support_json_string(info->details);
	printf(", \"abi\": %d, \"features\": {", info->abi);
	for (size_t i = 0; i < cli_feature_count; i++)
		printf("%s\"%s\": %s", i ? ", " : "", cli_features[i].key,
		       (info->features & cli_features[i].bit) ? "true"
							      : "false");
	/* The ABI that brings each, so that a reader can tell what a newer
	 * kernel would add. */
	fputs("}, \"feature_abi\": {", stdout);
	for (size_t i = 0; i < cli_feature_count; i++)
		printf("%s\"%s\": %d", i ? ", " : "", cli_features[i].key,
		       nono_feature_abi(cli_features[i].bit));
	fputs("}}\n", stdout);
}

static void support_print_text(const nono_support_info *info)
{
	printf("platform: %s\n"
	       "supported: %s\n"
	       "abi: %d\n"
	       "details: %s\n"
	       "features:\n",
	       info->platform, info->is_supported ? "yes" : "no", info->abi,
	       info->details);
	for (size_t i = 0; i < cli_feature_count; i++)
		printf("  %-3s  %-20s ABI %-2d  %s\n",
		       (info->features & cli_features[i].bit) ? "yes" : "no",
		       cli_features[i].key,
		       nono_feature_abi(cli_features[i].bit),
		       cli_features[i].words);
}

/*
 * Where the shim is installed (the build's shim_dir option) and the line
 * that confines a program with it, to copy. Said whether or not the file
 * is there: a missing shim is the thing to know before pasting the line,
 * since the loader would then only warn and run the program unconfined.
 */
static void support_print_shim(void)
{
	bool present = access(NONO_SHIM_INSTALL_PATH, R_OK) == 0;

	printf("shim: %s%s\n"
	       "confine a program with:\n"
	       "  LD_PRELOAD=%s NONO_POLICY=/path/to/policy.ini PROGRAM\n",
	       NONO_SHIM_INSTALL_PATH, present ? "" : " (not installed there)",
	       NONO_SHIM_INSTALL_PATH);
}

static const struct option support_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int support_main(int argc, char **argv)
{
	nono_support_info info;
	bool json = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", support_options, NULL)) !=
	       -1) {
		if (c == 'j')
			json = true;
		else
			return cli_common_option(&cli_support_command, c, argv);
	}
	if (optind < argc)
		return cli_usage_error("support", "unexpected argument '%s'",
				       argv[optind]);
	if (nono_support_info_get(&info) < 0) {
		cli_error("support: cannot read the support information");
		return CLI_EXIT_FAILURE;
	}
	if (json)
		support_print_json(&info);
	else
		support_print_text(&info);
	/* After the support information, so that what parses it is not
	 * disturbed. */
	if (!json)
		support_print_shim();
	return info.is_supported ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

/* clang-format off */
const struct cli_command cli_support_command = {
	.name = "support",
	.summary = "show what this system can enforce",
	.usage = "usage: nono support [--json]\n",
	.help = "Prints the platform, whether sandboxing is supported, the\n"
		"Landlock ABI version and the features this kernel enforces,\n"
		"then where the shim is installed and the LD_PRELOAD line that\n"
		"confines a program with it.\n"
		"\n"
		"  --json      one JSON object: is_supported, platform, details,\n"
		"              abi, features (an object of booleans) and\n"
		"              feature_abi (the Landlock ABI that brings each)\n"
		"  -h, --help  this text\n"
		"\n"
		"Exit status: 0 when sandboxing is supported, 1 when it is not,\n"
		"2 for a usage error.\n",
	.run = support_main,
	.options = support_options,
};
/* clang-format on */
