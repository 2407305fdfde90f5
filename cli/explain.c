// SPDX-License-Identifier: Apache-2.0
/*
 * nono explain: runs a program in the sandbox `nono run` would give it,
 * watches it from outside (trace.c), and says at the end which accesses
 * the sandbox refused and the narrowest policy line that grants each.
 * docs/explain.md has the mechanism and what it cannot attribute.
 */
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "trace.h"

enum explain_option {
	EXPLAIN_OPT_POLICY = 0x100,
	EXPLAIN_OPT_JSON,
	EXPLAIN_OPT_OUTPUT,
	EXPLAIN_OPT_BLOCK_NET,
	EXPLAIN_OPT_CONNECT_TCP,
	EXPLAIN_OPT_BIND_TCP,
	/* The grants of explain_grants follow, one value each. */
	EXPLAIN_OPT_GRANT,
};

/* The grant options of `nono run`, which explain takes as they are. */
static const struct {
	const char *name;
	nono_access access;
	bool is_file;
} explain_grants[] = {
	{ "read", NONO_ACCESS_READ, false },
	{ "write", NONO_ACCESS_WRITE, false },
	{ "read-write", NONO_ACCESS_READ_WRITE, false },
	{ "read-file", NONO_ACCESS_READ, true },
	{ "write-file", NONO_ACCESS_WRITE, true },
	{ "read-write-file", NONO_ACCESS_READ_WRITE, true },
};

#define EXPLAIN_GRANT_COUNT (ARRAY_SIZE(explain_grants))

static const char *const op_words[] = {
	[TRACE_OP_READ] = "read",
	[TRACE_OP_WRITE] = "write",
	[TRACE_OP_READ_WRITE] = "read+write",
	[TRACE_OP_CREATE] = "create",
	[TRACE_OP_REMOVE] = "remove",
	[TRACE_OP_RENAME] = "rename",
	[TRACE_OP_LINK] = "link",
	[TRACE_OP_TRUNCATE] = "truncate",
	[TRACE_OP_EXECUTE] = "execute",
	[TRACE_OP_CONNECT] = "connect",
	[TRACE_OP_BIND] = "bind",
	[TRACE_OP_SEND] = "send",
	[TRACE_OP_SIGNAL] = "signal",
	[TRACE_OP_FILTERED] = "call",
};

char *explain_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* The program of `tid` (its executable's name), for the report. */
static char *explain_program(pid_t tid)
{
	char proc[64], exe[PATH_MAX];
	ssize_t len;

	snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)tid);
	len = readlink(proc, exe, sizeof(exe) - 1);
	if (len < 0)
		return strdup("?");
	exe[len] = '\0';
	return strdup(exe);
}

/* Whether `path` is /proc/<number> or beneath it: a process's own
 * directory, which a policy cannot name (the number changes with every
 * run; /proc/self in a policy is the loading process's). */
static bool explain_proc_pid(const char *path)
{
	if (strncmp(path, "/proc/", 6) != 0 || path[6] < '0' || path[6] > '9')
		return false;
	path += 6;
	while (*path >= '0' && *path <= '9')
		path++;
	return *path == '\0' || *path == '/';
}

/* The directory of `path`, as a new string. */
static char *explain_parent(const char *path)
{
	char *copy = strdup(path), *dir;

	if (!copy)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

/* Would `access` on `path` be allowed by the policy? */
static nono_query_status explain_allowed(struct explain *ex, const char *path,
					 nono_access access,
					 nono_query_result *res)
{
	if (nono_query_path(ex->query, path, access, res) < 0)
		return NONO_QUERY_STATUS_DENIED;
	return res->status;
}

/*
 * The filesystem line for `op` on the canonical `path`: the file itself
 * before its directory (read_file, write_file), the directory where the
 * operation is on an entry of it (create, remove, rename), and /proc
 * where the path is a process's own.
 */
static void explain_fs(struct explain *ex, struct refusal *r, enum trace_op op,
		       const char *path, const char *path2)
{
	nono_access access = NONO_ACCESS_WRITE;
	nono_query_result res;
	bool on_entry = false, is_file = true;
	const char *subject = path;
	char *parent = NULL, *parent2 = NULL;
	struct stat st;

	switch (op) {
	case TRACE_OP_READ:
	case TRACE_OP_EXECUTE:
		access = NONO_ACCESS_READ;
		break;
	case TRACE_OP_READ_WRITE:
		access = NONO_ACCESS_READ_WRITE;
		break;
	case TRACE_OP_WRITE:
	case TRACE_OP_TRUNCATE:
		break;
	default:
		on_entry = true;
		break;
	}
	if (on_entry) {
		/* A link's new name is what is created. */
		parent = explain_parent(op == TRACE_OP_LINK ? path2 : path);
		if (op == TRACE_OP_RENAME)
			parent2 = explain_parent(path2);
		subject = parent;
		is_file = false;
	} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		is_file = false;
	}
	if (!subject)
		goto out;

	if (explain_proc_pid(subject)) {
		r->suggestion = explain_fmt("[filesystem] %s = /proc",
					    cli_fs_key(false, access));
		r->note = strdup("a /proc/<pid> path changes with every run: "
				 "only /proc as a whole can be granted");
		goto out;
	}
	if (explain_allowed(ex, subject, access, &res) ==
		    NONO_QUERY_STATUS_ALLOWED &&
	    (!parent2 || explain_allowed(ex, parent2, access, &res) ==
				 NONO_QUERY_STATUS_ALLOWED)) {
		if (r->err == EXDEV && parent2) {
			/* Both sides are writable: Landlock refuses a move
			 * between directories that the grants do not
			 * cover alike (its "refer" right). */
			r->note = strdup("both directories are writable, but "
					 "not under one grant: a write grant "
					 "on a directory above both allows "
					 "the move (or EXDEV is a move "
					 "across filesystems)");
			goto out;
		}
		r->sandbox = false;
		r->note = strdup("the policy grants this: not the sandbox "
				 "(file permissions, or another security "
				 "layer)");
		goto out;
	}
	if (res.reason == NONO_QUERY_REASON_DENIED_BY_RULE) {
		r->note = explain_fmt("a deny rule takes it out (%s): nothing "
				      "to add that keeps the rule",
				      res.denied_path ? res.denied_path : "?");
		goto out;
	}
	if (parent2 && strcmp(parent, parent2) != 0 &&
	    explain_allowed(ex, parent, access, &res) ==
		    NONO_QUERY_STATUS_ALLOWED)
		subject = parent2;
	r->suggestion = explain_fmt("[filesystem] %s = %s",
				    cli_fs_key(is_file, access), subject);
	if (parent2 && strcmp(parent, parent2) != 0 && subject == parent &&
	    explain_allowed(ex, parent2, access, &res) !=
		    NONO_QUERY_STATUS_ALLOWED) {
		char *both =
			explain_fmt("%s\n[filesystem] %s = %s", r->suggestion,
				    cli_fs_key(false, access), parent2);

		free(r->suggestion);
		r->suggestion = both;
	}
out:
	free(parent);
	free(parent2);
}

/* The line for a socket address. */
static void explain_socket(struct explain *ex, struct refusal *r,
			   const struct trace_event *ev)
{
	nono_query_result res;

	if (ev->family == AF_INET || ev->family == AF_INET6) {
		nono_tcp_op op = ev->op == TRACE_OP_BIND ? NONO_TCP_BIND
							 : NONO_TCP_CONNECT;

		r->port = (int)ev->port;
		r->target = explain_fmt("tcp port %u", ev->port);
		if (ev->op == TRACE_OP_SEND ||
		    (nono_query_tcp(ex->query, op, ev->port, &res) == 0 &&
		     res.status == NONO_QUERY_STATUS_ALLOWED)) {
			r->sandbox = false;
			r->note = strdup("the policy allows this port: not the "
					 "sandbox (a privileged port, or "
					 "another security layer)");
			return;
		}
		r->suggestion = explain_fmt("[network] %s = %u",
					    op == NONO_TCP_BIND ? "bind_tcp"
								: "connect_tcp",
					    ev->port);
		return;
	}
	if (ev->family != AF_UNIX) {
		r->target = explain_fmt("address family %d", ev->family);
		r->sandbox = false;
		r->note = strdup("Landlock judges TCP ports and UNIX sockets "
				 "only: not the sandbox");
		return;
	}
	r->target = strdup(ev->path);
	if (ev->abstract_unix) {
		if (nono_caps_scope(ex->caps, NONO_SCOPE_ABSTRACT_UNIX) ==
		    NONO_SCOPE_MODE_ALLOWED) {
			r->sandbox = false;
			return;
		}
		r->suggestion = strdup("[process] abstract_unix = allow");
		r->note = strdup("an abstract socket outside the sandbox: "
				 "there is no narrower line");
		return;
	}
	/* Binding makes the socket's file, which Landlock judges at every
	 * ABI (making a socket in its directory). */
	if (ev->op == TRACE_OP_BIND) {
		explain_fs(ex, r, TRACE_OP_CREATE, ev->path, NULL);
		return;
	}
	/* Connecting to a pathname socket: Landlock judges it from ABI 9 (a
	 * write grant on its directory); before that, only the socket()
	 * filter. */
	if (ex->abi < 9) {
		r->sandbox = false;
		r->note = strdup("Landlock before ABI 9 does not judge "
				 "pathname sockets: not the sandbox");
		return;
	}
	explain_fs(ex, r, TRACE_OP_CREATE, ev->path, NULL);
}

/* The line for a call a filter of the sandbox refused. */
static void explain_filtered(struct explain *ex, struct refusal *r,
			     const struct trace_event *ev)
{
	const char *s = ev->syscall;
	int family = (int)ev->args[0];

	if (strcmp(s, "socket") == 0 || strcmp(s, "socketpair") == 0) {
		r->target = explain_fmt("%s", family == AF_UNIX	   ? "AF_UNIX"
					      : family == AF_INET  ? "AF_INET"
					      : family == AF_INET6 ? "AF_INET6"
								   : "?");
		if (strcmp(r->target, "?") == 0) {
			free(r->target);
			r->target = explain_fmt("address family %d", family);
		}
		if (family == AF_UNIX) {
			r->suggestion = strdup("[network] unix = all");
			r->note = strdup("UNIX sockets are judged by path only "
					 "from Landlock ABI 9; before, none "
					 "can be created unless all are "
					 "allowed");
		} else if (nono_caps_is_network_blocked(ex->caps) &&
			   (family == AF_INET || family == AF_INET6)) {
			r->suggestion =
				strdup("[network] connect_tcp = PORT (or "
				       "bind_tcp = PORT) for TCP; block = "
				       "false for anything else");
			r->note = strdup("the port is not known when the "
					 "socket is created: the connect or "
					 "bind that follows names it");
		} else {
			r->suggestion = strdup("[network] block = false");
		}
	} else if (strcmp(s, "listen") == 0) {
		r->suggestion = strdup("[network] bind_tcp = PORT");
		r->note = strdup("listen() on an unbound socket takes a port "
				 "Landlock does not check: bind it to a "
				 "granted port first");
	} else if (strstr(s, "chmod") || strstr(s, "chown") ||
		   strstr(s, "xattr") || strstr(s, "utime") ||
		   (strcmp(s, "ioctl") == 0 &&
		    nono_caps_protect_metadata(ex->caps) && ev->err == EPERM &&
		    ev->args[1] != 0x5412 && ev->args[1] != 0x541c)) {
		r->suggestion = strdup("[filesystem] metadata = allow");
	} else if (strncmp(s, "sched_", 6) == 0 ||
		   strcmp(s, "prlimit64") == 0 ||
		   strcmp(s, "setpriority") == 0 ||
		   strcmp(s, "ioprio_set") == 0 ||
		   strcmp(s, "migrate_pages") == 0 ||
		   strcmp(s, "move_pages") == 0 ||
		   strcmp(s, "process_madvise") == 0) {
		r->suggestion = strdup("[process] signals = allow");
		r->note = strdup("with signals isolated, only the process "
				 "itself (pid 0) may be named");
	} else {
		r->note = strdup("refused in every sandbox (the baseline "
				 "filter): there is no line to add");
	}
}

/*
 * `path` canonicalised in this process's view, which is the tracee's but
 * for /proc/self: a symlink through it (/etc/mtab) ends in this
 * process's /proc/<pid>, which is put back to the tracee's.
 */
static char *explain_canonical(const char *path, pid_t tracee)
{
	char mine[32], *canon;
	size_t len;

	if (explain_proc_pid(path))
		return strdup(path);
	canon = cli_canonical_lenient(path);
	len = (size_t)snprintf(mine, sizeof(mine), "/proc/%d", (int)getpid());
	if (canon && strncmp(canon, mine, len) == 0 &&
	    (canon[len] == '/' || !canon[len])) {
		char *fixed =
			explain_fmt("/proc/%d%s", (int)tracee, canon + len);

		free(canon);
		canon = fixed;
	}
	return canon;
}

/* Fills the target, attribution and line of a new refusal. */
static void explain_attribute(struct explain *ex, struct refusal *r,
			      const struct trace_event *ev)
{
	char *canon = NULL, *canon2 = NULL;

	r->sandbox = true;
	switch (ev->op) {
	case TRACE_OP_CONNECT:
	case TRACE_OP_BIND:
	case TRACE_OP_SEND:
		explain_socket(ex, r, ev);
		return;
	case TRACE_OP_SIGNAL:
		r->target = explain_fmt("pid %d", (int)ev->target_pid);
		if (ev->target_inside || ev->err != EPERM ||
		    nono_caps_scope(ex->caps, NONO_SCOPE_SIGNAL) ==
			    NONO_SCOPE_MODE_ALLOWED) {
			r->sandbox = false;
			r->note = strdup("the target is inside the sandbox, or "
					 "signals are allowed: not the "
					 "sandbox");
			return;
		}
		r->suggestion = strdup("[process] signals = allow");
		r->note = strdup("a process outside the sandbox: there is no "
				 "narrower line");
		return;
	case TRACE_OP_FILTERED:
		explain_filtered(ex, r, ev);
		return;
	default:
		break;
	}
	if (!ev->path[0]) {
		r->note = strdup("the path could not be read");
		return;
	}
	canon = explain_canonical(ev->path, ev->pid);
	if (ev->path2[0])
		canon2 = explain_canonical(ev->path2, ev->pid);
	if (!canon || (ev->path2[0] && !canon2)) {
		r->target = strdup(ev->path);
		r->note = strdup("the path could not be resolved");
	} else {
		r->target = canon2 ? explain_fmt("%s -> %s", canon, canon2)
				   : strdup(canon);
		explain_fs(ex, r, ev->op, canon, canon2);
		/* The same file of each process's /proc/<pid> is one
		 * refusal: the pid column says whose. */
		if (explain_proc_pid(canon) && !canon2) {
			free(r->target);
			r->target = explain_fmt(
				"/proc/<pid>%s",
				canon + 6 + strspn(canon + 6, "0123456789"));
		}
	}
	free(canon);
	free(canon2);
}

static bool explain_same(const struct refusal *r, const char *program,
			 const char *operation, const char *target,
			 const struct trace_event *ev)
{
	return strcmp(r->program, program) == 0 &&
	       strcmp(r->operation, operation) == 0 && r->err == ev->err &&
	       strcmp(r->syscall, ev->syscall) == 0 &&
	       strcmp(r->target ? r->target : "", target ? target : "") == 0;
}

/* trace_report_fn: adds the event, or counts it where it is known. */
static void explain_report(const struct trace_event *ev, void *arg)
{
	struct explain *ex = arg;
	struct refusal r = {
		.pid = ev->pid,
		.operation = op_words[ev->op],
		.err = ev->err,
		.count = 1,
	};
	struct refusal *grown;

	r.program = explain_program(ev->tid);
	/* A name outside the table is in a static buffer of trace.c. */
	r.syscall = strncmp(ev->syscall, "syscall ", 8) == 0
			    ? strdup(ev->syscall)
			    : ev->syscall;
	if (!r.program || !r.syscall) {
		ex->out_of_memory = true;
		goto drop;
	}
	explain_attribute(ex, &r, ev);
	for (size_t i = 0; i < ex->n; i++) {
		if (!explain_same(&ex->r[i], r.program, r.operation, r.target,
				  ev))
			continue;
		ex->r[i].count++;
		free(r.program);
		free(r.target);
		free(r.suggestion);
		free(r.note);
		return;
	}
	grown = nono__grow(ex->r, &ex->cap, ex->n, sizeof(*grown), 16);
	if (!grown) {
		ex->out_of_memory = true;
		goto drop;
	}
	ex->r = grown;
	ex->r[ex->n++] = r;
	return;

drop:
	free(r.program);
	free(r.target);
	free(r.suggestion);
	free(r.note);
	if (r.syscall != ev->syscall)
		free((char *)r.syscall);
}

static const char *explain_errno_name(int err)
{
	switch (err) {
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case EXDEV:
		return "EXDEV";
	default:
		return strerror(err);
	}
}

const char *explain_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void explain_print_text(FILE *out, const struct explain *ex, int status)
{
	size_t shown = 0;

	for (int pass = 0; pass < 2; pass++) {
		bool sandbox = pass == 0;
		bool header = false;

		for (size_t i = 0; i < ex->n; i++) {
			const struct refusal *r = &ex->r[i];

			if (r->sandbox != sandbox)
				continue;
			if (!header) {
				fprintf(out, "%s\n",
					sandbox ? "nono explain: refused by "
						  "the sandbox:"
						: "nono explain: failed, but "
						  "not by the sandbox:");
				header = true;
			}
			fprintf(out, "  %d %s: %s %s (%s, %s)\n", (int)r->pid,
				explain_base(r->program), r->operation,
				r->target ? r->target : r->syscall, r->syscall,
				explain_errno_name(r->err));
			if (r->count > 1)
				fprintf(out, "    seen %u times\n", r->count);
			if (r->suggestion) {
				char *copy = strdup(r->suggestion), *save,
				     *line;

				for (line = copy ? strtok_r(copy, "\n", &save)
						 : NULL;
				     line; line = strtok_r(NULL, "\n", &save))
					fprintf(out, "    add: %s\n", line);
				free(copy);
			}
			if (r->note)
				fprintf(out, "    note: %s\n", r->note);
			shown++;
		}
	}
	if (!shown)
		fprintf(out, "nono explain: nothing was refused\n");
	if (WIFSIGNALED(status))
		fprintf(out,
			"nono explain: the program was killed by signal "
			"%d\n",
			WTERMSIG(status));
	else
		fprintf(out,
			"nono explain: the program exited with status "
			"%d\n",
			WEXITSTATUS(status));
}

static int explain_print_json(FILE *out, const struct explain *ex, int status)
{
	json_object *root = json_object_new_object(),
		    *list = json_object_new_array();

	if (!root || !list)
		goto fail;
	json_object_object_add(root, "refusals", list);
	for (size_t i = 0; i < ex->n; i++) {
		const struct refusal *r = &ex->r[i];
		json_object *o = json_object_new_object();

		if (!o || json_object_array_add(list, o) < 0)
			goto fail;
		json_object_object_add(o, "pid", json_object_new_int(r->pid));
		json_object_object_add(o, "program",
				       json_object_new_string(r->program));
		json_object_object_add(o, "operation",
				       json_object_new_string(r->operation));
		json_object_object_add(
			o, r->port ? "port" : "path",
			r->port	    ? json_object_new_int(r->port)
			: r->target ? json_object_new_string(r->target)
				    : NULL);
		json_object_object_add(o, "syscall",
				       json_object_new_string(r->syscall));
		json_object_object_add(
			o, "errno",
			json_object_new_string(explain_errno_name(r->err)));
		json_object_object_add(o, "count",
				       json_object_new_int((int)r->count));
		json_object_object_add(o, "sandbox",
				       json_object_new_boolean(r->sandbox));
		json_object_object_add(
			o, "suggestion",
			r->suggestion ? json_object_new_string(r->suggestion)
				      : NULL);
		json_object_object_add(o, "note",
				       r->note ? json_object_new_string(r->note)
					       : NULL);
	}
	if (WIFSIGNALED(status)) {
		json_object_object_add(root, "exit_status", NULL);
		json_object_object_add(root, "signal",
				       json_object_new_int(WTERMSIG(status)));
	} else {
		json_object_object_add(
			root, "exit_status",
			json_object_new_int(WEXITSTATUS(status)));
		json_object_object_add(root, "signal", NULL);
	}
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	return 0;

fail:
	json_object_put(root);
	cli_error("explain: %s", nono_strerror(NONO_ENOMEM));
	return -1;
}

struct explain_args {
	const char *policy;
	const char *output;
	bool json;
	bool block_net;
	char **program;
	/* Grants and ports in the order given: option index and value. */
	int *opt;
	const char **val;
	size_t count;
};

/* Returns -1 when the command line is good, otherwise the exit status. */
static int explain_parse(int argc, char **argv, struct explain_args *args)
{
	struct option options[EXPLAIN_GRANT_COUNT + 8] = {
		{ "policy", required_argument, NULL, EXPLAIN_OPT_POLICY },
		{ "json", no_argument, NULL, EXPLAIN_OPT_JSON },
		{ "output", required_argument, NULL, EXPLAIN_OPT_OUTPUT },
		{ "block-net", no_argument, NULL, EXPLAIN_OPT_BLOCK_NET },
		{ "connect-tcp", required_argument, NULL,
		  EXPLAIN_OPT_CONNECT_TCP },
		{ "bind-tcp", required_argument, NULL, EXPLAIN_OPT_BIND_TCP },
		{ "help", no_argument, NULL, 'h' },
	};
	int c;

	for (size_t i = 0; i < EXPLAIN_GRANT_COUNT; i++)
		options[7 + i] = (struct option){ explain_grants[i].name,
						  required_argument, NULL,
						  EXPLAIN_OPT_GRANT + (int)i };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (c) {
		case EXPLAIN_OPT_POLICY:
			if (args->policy)
				return cli_usage_error("explain",
						       "--policy given twice");
			args->policy = optarg;
			break;
		case EXPLAIN_OPT_JSON:
			args->json = true;
			break;
		case EXPLAIN_OPT_OUTPUT:
			args->output = optarg;
			break;
		case EXPLAIN_OPT_BLOCK_NET:
			args->block_net = true;
			break;
		default:
			if (c >= EXPLAIN_OPT_CONNECT_TCP &&
			    c < EXPLAIN_OPT_GRANT + (int)EXPLAIN_GRANT_COUNT) {
				args->opt[args->count] = c;
				args->val[args->count++] = optarg;
				break;
			}
			return cli_common_option(&cli_explain_command, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error("explain", "no program given");
	args->program = argv + optind;
	return -1;
}

/* The sandbox `nono run` would build from the same options. */
static int explain_build_caps(const struct explain_args *args,
			      const nono_policy *policy, nono_caps **out)
{
	nono_caps *caps = NULL;
	int rc = policy ? nono_caps_clone(nono_policy_caps(policy), &caps)
			: nono_caps_new(&caps);

	if (rc == 0 && args->block_net)
		rc = nono_caps_block_network(caps);
	for (size_t i = 0; i < args->count && rc == 0; i++) {
		int o = args->opt[i];
		const char *v = args->val[i];

		if (o >= EXPLAIN_OPT_GRANT) {
			size_t g = (size_t)(o - EXPLAIN_OPT_GRANT);

			rc = explain_grants[g].is_file
				     ? nono_caps_allow_file(
					       caps, v,
					       explain_grants[g].access)
				     : nono_caps_allow_path(
					       caps, v,
					       explain_grants[g].access);
		} else {
			unsigned port;

			rc = NONO_ERANGE;
			if (nono__port_parse(v, &port) == 0 &&
			    nono_caps_is_network_blocked(caps))
				rc = o == EXPLAIN_OPT_CONNECT_TCP
					     ? nono_caps_allow_tcp_connect(caps,
									   port)
					     : nono_caps_allow_tcp_bind(caps,
									port);
		}
		if (rc < 0)
			cli_error("explain: '%s': %s", v, nono_strerror(rc));
	}
	if (rc < 0 && caps && args->count == 0)
		cli_error("explain: building the sandbox: %s",
			  nono_strerror(rc));
	if (rc < 0) {
		nono_caps_free(caps);
		return rc;
	}
	*out = caps;
	return 0;
}

/*
 * The child: waits until the parent has seized it, applies the sandbox
 * as `nono run` does, adds the tracing filters and executes the program.
 * Never returns.
 */
static void explain_child(int ready_fd, const nono_caps *caps, unsigned flags,
			  char **program)
{
	nono_apply_result result = { 0 };
	nono_diag diag;
	char byte;
	int rc;

	if (read(ready_fd, &byte, 1) != 1)
		_exit(CLI_EXIT_CANNOT_RUN);
	close(ready_fd);
	nono_diag_clear(&diag);
	rc = nono_apply(caps, flags, &result, &diag);
	if (rc < 0) {
		cli_diag_error("applying the sandbox", rc, &diag);
		_exit(CLI_EXIT_CANNOT_RUN);
	}
	if (trace_child_setup() < 0)
		_exit(CLI_EXIT_CANNOT_RUN);
	unsetenv(CLI_ENV_SHIM_APPLIED);
	execvp(program[0], program);
	cli_error("cannot execute %s: %s", program[0], strerror(errno));
	_exit(errno == ENOENT ? CLI_EXIT_NOT_FOUND : CLI_EXIT_CANNOT_RUN);
}

int explain_observe(const nono_caps *caps, unsigned flags, char **program,
		    struct explain *ex, int *status)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	nono_support_info info;
	int pipefd[2], rc = -1;
	pid_t child;

	*ex = (struct explain){ .caps = caps };
	nono_support_info_get(&info);
	ex->abi = info.abi;
	if (nono_query_new(caps, &ex->query) < 0) {
		cli_error("explain: %s", nono_strerror(NONO_ENOMEM));
		return -1;
	}
	child = cli_fork_with_pipe("explain", pipefd);
	if (child < 0)
		goto free_query;
	if (child == 0) {
		close(pipefd[1]);
		explain_child(pipefd[0], caps, flags, program);
	}
	close(pipefd[0]);
	if (trace_attach(child) < 0) {
		cli_error("explain: attaching to the program (ptrace): %s",
			  strerror(errno));
		close(pipefd[1]);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		goto free_query;
	}
	/* Like system(3): ^C and ^\ go to the program, whose end the
	 * report follows. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	if (write(pipefd[1], "g", 1) != 1) {
		cli_error("explain: starting the program: %s", strerror(errno));
		close(pipefd[1]);
		goto restore;
	}
	close(pipefd[1]);
	if (trace_run(child, explain_report, ex, status) < 0) {
		cli_error("explain: waiting for the program: %s",
			  strerror(errno));
		goto restore;
	}
	if (ex->out_of_memory)
		cli_error("explain: out of memory: the report is incomplete");
	rc = 0;

restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
free_query:
	nono_query_free(ex->query);
	ex->query = NULL;
	return rc;
}

void explain_clear(struct explain *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		free(ex->r[i].program);
		free(ex->r[i].target);
		free(ex->r[i].suggestion);
		free(ex->r[i].note);
		if (strncmp(ex->r[i].syscall, "syscall ", 8) == 0)
			free((char *)ex->r[i].syscall);
	}
	free(ex->r);
	*ex = (struct explain){ 0 };
}

/* Runs the program under the tracer; returns nono's exit status. */
static int explain_trace(const struct explain_args *args, const nono_caps *caps,
			 unsigned flags, FILE *out)
{
	struct explain ex;
	int status = 0, rc = CLI_EXIT_CANNOT_RUN;

	if (explain_observe(caps, flags, args->program, &ex, &status) < 0)
		goto clear;
	if (args->json ? explain_print_json(out, &ex, status) < 0
		       : (explain_print_text(out, &ex, status), false))
		goto clear;
	rc = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);

clear:
	explain_clear(&ex);
	return rc;
}

static int explain_main(int argc, char **argv)
{
	struct explain_args args = { 0 };
	nono_policy *policy = NULL;
	nono_caps *caps = NULL;
	unsigned flags = 0;
	FILE *out = stderr;
	char *found;
	int status;

	args.opt = calloc((size_t)argc, sizeof(*args.opt));
	args.val = calloc((size_t)argc, sizeof(*args.val));
	if (!args.opt || !args.val) {
		cli_error("%s", nono_strerror(NONO_ENOMEM));
		status = CLI_EXIT_CANNOT_RUN;
		goto free_args;
	}
	status = explain_parse(argc, argv, &args);
	if (status >= 0)
		goto free_args;
	status = CLI_EXIT_CANNOT_RUN;
	if (!trace_supported()) {
		cli_error("explain: not supported on this CPU architecture");
		goto free_args;
	}
	if (args.policy && cli_policy_load(args.policy, &policy) < 0)
		goto free_args;
	/* As nono run: a private_tmp policy's program gets TMPDIR and kin. */
	if (policy && cli_set_private_tmp(policy) < 0)
		goto free_policy;
	if (explain_build_caps(&args, policy, &caps) < 0)
		goto free_policy;
	found = cli_find_program(args.program[0]);
	if (!found) {
		cli_error("%s: %s", args.program[0],
			  errno == ENOENT ? "program not found"
					  : strerror(errno));
		status = errno == ENOENT ? CLI_EXIT_NOT_FOUND
					 : CLI_EXIT_CANNOT_RUN;
		goto free_caps;
	}
	free(found);
	if (args.output) {
		out = fopen(args.output, "we");
		if (!out) {
			cli_error("explain: %s: %s", args.output,
				  strerror(errno));
			goto free_caps;
		}
	}
	if (policy && nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	status = explain_trace(&args, caps, flags, out);
	if (out != stderr && fclose(out) != 0) {
		cli_error("explain: %s: %s", args.output, strerror(errno));
		status = CLI_EXIT_FAILURE;
	}

free_caps:
	nono_caps_free(caps);
free_policy:
	nono_policy_free(policy);
free_args:
	free(args.opt);
	free(args.val);
	return status;
}

/* clang-format off */
const struct cli_command cli_explain_command = {
	.name = "explain",
	.summary = "run a program sandboxed and say what the sandbox refused",
	.usage = "usage: nono explain [--policy FILE] [OPTIONS] [--json] [--output FILE]\n"
		 "                    [--] PROGRAM [ARGS...]\n",
	.help = "Runs PROGRAM in the sandbox `nono run` would give it, follows\n"
		"it and every process it starts from outside the sandbox, and\n"
		"at the end lists each access the sandbox refused, once, with a\n"
		"count and the narrowest policy line that would grant it; then\n"
		"the program's exit status. Failures the policy does not\n"
		"explain (it grants the access) are listed apart. The sandbox\n"
		"is the kernel's: the observer cannot widen it.\n"
		"\n"
		"  --policy FILE    start from this policy file\n"
		"  --read DIR, --write DIR, --read-write DIR, --read-file FILE,\n"
		"  --write-file FILE, --read-write-file FILE, --block-net,\n"
		"  --connect-tcp PORT, --bind-tcp PORT\n"
		"                   grants, as for `nono run`\n"
		"  --json           one JSON document: {\"refusals\": [{\"pid\",\n"
		"                   \"program\", \"operation\", \"path\" or \"port\",\n"
		"                   \"syscall\", \"errno\", \"count\", \"sandbox\",\n"
		"                   \"suggestion\", \"note\"}...], \"exit_status\",\n"
		"                   \"signal\"}\n"
		"  --output FILE    write the report to FILE (default: stderr)\n"
		"  -h, --help       this text\n"
		"\n"
		"See docs/explain.md for how it works and what it cannot see.\n"
		"\n"
		"Exit status: the program's (128 + N when killed by signal N);\n"
		"2 for a usage error, 126 when the sandbox cannot be applied or\n"
		"traced, 127 when PROGRAM is not found.\n",
	.run = explain_main,
};
/* clang-format on */
