// SPDX-License-Identifier: Apache-2.0
/*
 * nono why: would a policy allow this, and which line of it decides?
 * The answer comes from the query API (nono_query_path_explain: the
 * canonical path judged, the grants it rests on and the lines that gave
 * them); this file only words it, and says what to add when it is no.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/*
 * Exit statuses, as test(1) has them, so that a script can ask `if nono
 * why ...; then`: 0 allowed, 1 denied, and 2 when there is no answer (a
 * usage error, a policy that does not load, a query that fails).
 */
enum why_exit {
	WHY_EXIT_ALLOWED = 0,
	WHY_EXIT_DENIED = 1,
	WHY_EXIT_ERROR = 2,
};

enum why_option {
	WHY_OPT_POLICY = 0x100,
	WHY_OPT_PATH,
	WHY_OPT_OP,
	WHY_OPT_NETWORK,
	WHY_OPT_JSON,
	WHY_OPT_CONNECT_TCP,
	WHY_OPT_BIND_TCP,
};

struct why_args {
	const char *policy;
	const char *path;
	const char *op_text;
	nono_access op;
	bool network;
	nono_tcp_op tcp_op; /* --connect-tcp or --bind-tcp; 0 when neither */
	unsigned port;
	bool json;
};

/* Parses --op: nono's "read", "write", "read+write", and the policy
 * key's spelling "read_write". */
static bool why_parse_op(const char *text, nono_access *out)
{
	if (strcmp(text, "read_write") == 0) {
		*out = NONO_ACCESS_READ_WRITE;
		return true;
	}
	return nono_access_parse(text, out) == 0;
}

static const struct option why_options[] = {
	{ "policy", required_argument, NULL, WHY_OPT_POLICY },
	{ "path", required_argument, NULL, WHY_OPT_PATH },
	{ "op", required_argument, NULL, WHY_OPT_OP },
	{ "network", no_argument, NULL, WHY_OPT_NETWORK },
	{ "json", no_argument, NULL, WHY_OPT_JSON },
	{ "connect-tcp", required_argument, NULL, WHY_OPT_CONNECT_TCP },
	{ "bind-tcp", required_argument, NULL, WHY_OPT_BIND_TCP },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* Returns -1 when the command line is good, otherwise the exit status. */
static int why_parse(int argc, char **argv, struct why_args *args)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", why_options, NULL)) != -1) {
		switch (c) {
		case WHY_OPT_POLICY:
			if (args->policy)
				return cli_usage_error("why",
						       "--policy given twice");
			args->policy = optarg;
			break;
		case WHY_OPT_PATH:
			if (args->path)
				return cli_usage_error("why",
						       "--path given twice");
			args->path = optarg;
			break;
		case WHY_OPT_OP:
			if (!why_parse_op(optarg, &args->op))
				return cli_usage_error(
					"why",
					"--op: '%s' is not read, write or "
					"read_write",
					optarg);
			args->op_text = optarg;
			break;
		case WHY_OPT_NETWORK:
			args->network = true;
			break;
		case WHY_OPT_JSON:
			args->json = true;
			break;
		case WHY_OPT_CONNECT_TCP:
		case WHY_OPT_BIND_TCP: {
			unsigned port;

			if (args->tcp_op)
				return cli_usage_error(
					"why", "give one TCP port question");
			if (nono__port_parse(optarg, &port) != 0)
				return cli_usage_error(
					"why", "'%s' is not a port (1..65535)",
					optarg);
			args->tcp_op = c == WHY_OPT_CONNECT_TCP
					       ? NONO_TCP_CONNECT
					       : NONO_TCP_BIND;
			args->port = port;
			break;
		}
		default:
			return cli_common_option(&cli_why_command, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error("why", "unexpected argument '%s'",
				       argv[optind]);
	if (!args->policy)
		return cli_usage_error("why", "--policy is required");
	if ((args->path != NULL) + args->network + (args->tcp_op != 0) != 1)
		return cli_usage_error("why",
				       "give exactly one of --path, --network, "
				       "--connect-tcp and --bind-tcp");
	if (!args->path && args->op_text)
		return cli_usage_error("why", "--op applies to --path only");
	if (args->path && !*args->path)
		return cli_usage_error("why", "--path is empty");
	return -1;
}

/* " at policy.ini:3" where the library knows the line a rule came from. */
static void why_print_origin(const nono_query_rule *rule)
{
	if (rule->origin_file)
		printf(" at %s:%u", rule->origin_file, rule->origin_line);
}

/* Prints one grant as it appears in the policy file, and where. */
static void why_print_grant(const nono_query_rule *rule)
{
	printf("[filesystem] %s = %s", cli_fs_key(rule->is_file, rule->access),
	       rule->original);
	/* A symlink or a relative spelling: say where it really points. */
	if (strcmp(rule->original, rule->resolved) != 0)
		printf(" (%s)", rule->resolved);
	why_print_origin(rule);
}

/* Prints the grants the answer rests on, joined by " and "; returns how
 * many. */
static size_t why_print_grants(const nono_query_explanation *x)
{
	for (size_t i = 0; i < x->grant_count; i++) {
		fputs(i ? " and " : "", stdout);
		why_print_grant(&x->grants[i]);
	}
	return x->grant_count;
}

/* The path as asked, and the canonical path the query judged where it is
 * spelled differently (a symlink, a relative path, ".."). */
static void why_print_path(const char *path, const nono_query_explanation *x)
{
	const char *canon = x->canonical_path;
	size_t digits;

	fputs(path, stdout);
	if (strcmp(path, canon) == 0)
		return;
	/* /proc/self is this process's pid, which would mean nothing in
	 * the answer: the pid is left out. */
	digits = strncmp(canon, "/proc/", 6) == 0
			 ? strspn(canon + 6, "0123456789")
			 : 0;
	if (digits && (canon[6 + digits] == '/' || !canon[6 + digits]))
		printf(" (judged as /proc/<pid>%s)", canon + 6 + digits);
	else
		printf(" (judged as %s)", canon);
}

static void why_text_allowed(const nono_caps *caps, const char *path,
			     const nono_query_explanation *x)
{
	const nono_query_result *res = &x->result;

	printf("allowed: %s on ", nono_access_str(res->requested));
	why_print_path(path, x);
	fputs(" is granted by ", stdout);
	if (why_print_grants(x) == 0)
		printf("a grant of %s", res->granted_path);
	/* Queries know reading and writing; executing is the point of a
	 * blocked command, so say it. */
	if (nono_caps_command_blocked(caps, x->canonical_path) == 1)
		fputs(", but it is a blocked command ([commands] block): it "
		      "cannot be executed (nor read)",
		      stdout);
	putchar('\n');
}

/* The deny rule that decides, printed as the policy spells it. */
static void why_print_deny(const nono_query_explanation *x)
{
	const nono_query_rule *d = x->deny;

	if (!d) {
		printf("[filesystem] deny = %s", x->result.denied_path);
		return;
	}
	printf("[filesystem] deny = %s", d->original);
	if (strcmp(d->original, d->resolved) != 0)
		printf(" (%s)", d->resolved);
	why_print_origin(d);
}

static void why_text_denied_by_rule(const nono_caps *caps, const char *path,
				    const nono_query_explanation *x)
{
	const char *rule = x->result.denied_path;
	const char *canon = x->canonical_path;

	if (!x->deny && nono_caps_command_blocked(caps, rule) == 1 &&
	    strcmp(rule, canon) == 0) {
		fputs("denied: ", stdout);
		why_print_path(path, x);
		printf(" is a blocked command ([commands] block): it can be "
		       "neither executed nor read; to allow it, add under "
		       "[commands]: allow = %s\n",
		       canon);
		return;
	}
	fputs("denied: ", stdout);
	why_print_path(path, x);
	if (nono__path_is_beneath(canon, rule)) {
		fputs(" is taken out by ", stdout);
		why_print_deny(x);
	} else if (nono__path_is_beneath(rule, canon)) {
		/* Any rule here would reach the denied path beneath. */
		fputs(" lies on the way to ", stdout);
		why_print_deny(x);
		fputs(": it cannot be listed, and nothing can be created, "
		      "removed or renamed in it (its entries keep their "
		      "access)",
		      stdout);
	} else {
		fputs(" would be a new entry in a directory on the way to ",
		      stdout);
		why_print_deny(x);
		fputs(", which gets no access", stdout);
	}
	putchar('\n');
}

static void why_text_not_granted(const char *path,
				 const nono_query_explanation *x)
{
	const char *canon = x->canonical_path;
	nono_access requested = x->result.requested;
	struct stat st;
	char *copy;

	fputs("denied: ", stdout);
	why_print_path(path, x);
	fputs(" is not covered by any grant; to allow it, add under "
	      "[filesystem]: ",
	      stdout);
	/* A process's own /proc/<pid> (this one's, for /proc/self) names
	 * one run only: /proc as a whole is the line that works. */
	if (strncmp(canon, "/proc/", 6) == 0 && canon[6] >= '0' &&
	    canon[6] <= '9') {
		printf("%s = /proc (a /proc/<pid> path changes with every "
		       "run)\n",
		       cli_fs_key(false, requested));
		return;
	}
	if (stat(canon, &st) == 0 && S_ISDIR(st.st_mode)) {
		printf("%s = %s\n", cli_fs_key(false, requested), canon);
		return;
	}
	/* The file itself is the narrowest grant; its directory second. */
	copy = strdup(canon);
	printf("%s = %s (or %s = %s for everything in it)\n",
	       cli_fs_key(true, requested), canon, cli_fs_key(false, requested),
	       copy ? dirname(copy) : canon);
	free(copy);
}

static void why_text_insufficient(const char *path,
				  const nono_query_explanation *x)
{
	const nono_query_result *res = &x->result;

	fputs("denied: ", stdout);
	why_print_path(path, x);
	printf(" is granted %s (by ", nono_access_str(res->granted));
	if (why_print_grants(x) == 0)
		fputs("grants above it", stdout);
	printf("), %s was asked", nono_access_str(res->requested));
	/* Widening the most specific grant is the narrowest change that
	 * works: the access of covering grants adds up. */
	if (x->grant_count > 0) {
		const nono_query_rule *best = &x->grants[0];

		printf("; to allow it, add: %s = %s",
		       cli_fs_key(best->is_file,
				  (nono_access)((unsigned)best->access |
						(unsigned)res->requested)),
		       best->original);
	}
	putchar('\n');
}

/* " 443, 8443" for the exceptions of one kind. */
static void why_print_ports(const nono_caps *caps, nono_tcp_op op)
{
	for (size_t i = 0; i < nono_caps_tcp_port_count(caps, op); i++)
		printf("%s %d", i ? "," : "",
		       nono_caps_tcp_port_at(caps, op, i));
}

static void why_text_network(const nono_caps *caps,
			     const nono_query_result *res)
{
	if (res->status == NONO_QUERY_STATUS_ALLOWED) {
		puts("allowed: network access is allowed ([network] block is "
		     "not set)");
		return;
	}
	fputs("denied: network access is blocked by [network] block = true",
	      stdout);
	if (res->reason == NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS) {
		fputs(", except", stdout);
		if (nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT)) {
			fputs(" outbound TCP to port(s)", stdout);
			why_print_ports(caps, NONO_TCP_CONNECT);
		}
		if (nono_caps_tcp_port_count(caps, NONO_TCP_CONNECT) &&
		    nono_caps_tcp_port_count(caps, NONO_TCP_BIND))
			fputs(" and", stdout);
		if (nono_caps_tcp_port_count(caps, NONO_TCP_BIND)) {
			fputs(" listening on TCP port(s)", stdout);
			why_print_ports(caps, NONO_TCP_BIND);
		}
	}
	putchar('\n');
}

static void why_text_tcp(const nono_query_result *res)
{
	const char *what = res->tcp_op == NONO_TCP_CONNECT ? "outbound TCP to"
							   : "listening on TCP";
	const char *key =
		res->tcp_op == NONO_TCP_CONNECT ? "connect_tcp" : "bind_tcp";

	switch (res->reason) {
	case NONO_QUERY_REASON_NETWORK_ALLOWED:
		printf("allowed: %s port %u: network access is allowed "
		       "([network] block is not set)\n",
		       what, res->port);
		break;
	case NONO_QUERY_REASON_TCP_PORT_GRANTED:
		printf("allowed: %s port %u is granted by [network] %s = %u\n",
		       what, res->port, key, res->port);
		break;
	default:
		printf("denied: %s port %u is blocked by [network] block = "
		       "true; to allow it, add under [network]: %s = %u\n",
		       what, res->port, key, res->port);
		break;
	}
}

/*
 * For a UNIX socket, a second line: whether a program may connect to it
 * depends on [network] unix and on the kernel, not on the grant alone.
 */
static void why_text_socket(const nono_caps *caps, const char *canon)
{
	nono_support_info info;
	struct stat st;

	if (stat(canon, &st) < 0 || !S_ISSOCK(st.st_mode))
		return;
	nono_support_info_get(&info);
	printf("note: %s is a UNIX socket; connecting to it: %s\n", canon,
	       cli_unix_words(caps, info.abi));
}

/* Words the answer to a path question; nothing here judges the path. */
static void why_text_path(const nono_caps *caps, const char *path,
			  const nono_query_explanation *x)
{
	switch (x->result.reason) {
	case NONO_QUERY_REASON_GRANTED_PATH:
		why_text_allowed(caps, path, x);
		break;
	case NONO_QUERY_REASON_INSUFFICIENT_ACCESS:
		why_text_insufficient(path, x);
		break;
	case NONO_QUERY_REASON_DENIED_BY_RULE:
		why_text_denied_by_rule(caps, path, x);
		break;
	default:
		why_text_not_granted(path, x);
		break;
	}
	why_text_socket(caps, x->canonical_path);
}

/* Answers the question; returns the exit status. */
static int why_answer(const struct why_args *args, const nono_caps *caps)
{
	nono_query_explanation *x = NULL;
	nono_query_result res;
	nono_query *query = NULL;
	char *json;
	int rc, status = WHY_EXIT_ERROR;

	rc = nono_query_new(caps, &query);
	if (rc < 0) {
		cli_error("why: %s", nono_strerror(rc));
		return WHY_EXIT_ERROR;
	}
	if (args->network)
		rc = nono_query_network(query, &res);
	else if (args->tcp_op)
		rc = nono_query_tcp(query, args->tcp_op, args->port, &res);
	else
		rc = nono_query_path_explain(query, args->path, args->op, &x);
	if (rc < 0) {
		cli_error("why: %s", nono_strerror(rc));
		goto free_query;
	}
	if (x)
		res = x->result;

	if (args->json) {
		json = nono_query_result_json(&res);
		if (!json) {
			cli_error("why: %s", nono_strerror(NONO_ENOMEM));
			goto free_query;
		}
		printf("%s\n", json);
		nono_free(json);
	} else if (args->network) {
		why_text_network(caps, &res);
	} else if (args->tcp_op) {
		why_text_tcp(&res);
	} else {
		why_text_path(caps, args->path, x);
	}
	status = res.status == NONO_QUERY_STATUS_ALLOWED ? WHY_EXIT_ALLOWED
							 : WHY_EXIT_DENIED;

free_query:
	nono_query_explanation_free(x);
	nono_query_free(query);
	return status;
}

static int why_main(int argc, char **argv)
{
	struct why_args args = { .op = NONO_ACCESS_READ };
	nono_policy *policy = NULL;
	int status;

	status = why_parse(argc, argv, &args);
	/* A usage error is 2, as WHY_EXIT_ERROR. */
	if (status >= 0)
		return status;
	if (cli_policy_load(args.policy, &policy) < 0)
		return WHY_EXIT_ERROR;
	status = why_answer(&args, nono_policy_caps(policy));
	nono_policy_free(policy);
	return status;
}

/* clang-format off */
const struct cli_command cli_why_command = {
	.name = "why",
	.summary = "explain whether a policy allows an access, and why",
	.usage = "usage: nono why --policy FILE --path PATH [--op OP] [--json]\n"
		 "       nono why --policy FILE --network [--json]\n"
		 "       nono why --policy FILE (--connect-tcp|--bind-tcp) PORT [--json]\n",
	.help = "Answers from the policy alone, without applying anything:\n"
		"which rule grants an access, or what to add to allow it.\n"
		"\n"
		"  --policy FILE  the policy file (required)\n"
		"  --path PATH    the path to ask about (need not exist)\n"
		"  --op OP        read (default), write or read_write\n"
		"  --network      ask about outbound network access instead\n"
		"  --connect-tcp PORT, --bind-tcp PORT\n"
		"                 ask about one TCP port instead\n"
		"  --json         print the query result as nono-py's JSON dict\n"
		"  -h, --help     this text\n"
		"\n"
		"Output, one line: 'allowed: ...' or 'denied: ...', naming the\n"
		"policy file and line of each rule, and the path judged where a\n"
		"symlink or a relative spelling makes it another.\n"
		"\n"
		"Exit status, as test(1) has it: 0 allowed, 1 denied, 2 for no\n"
		"answer (a usage error, a bad policy).\n",
	.run = why_main,
	.options = why_options,
};
/* clang-format on */
