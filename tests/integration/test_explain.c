// SPDX-License-Identifier: Apache-2.0
/*
 * nono explain, run for real: a probe makes refused accesses of every
 * kind (tests/helpers/explain_probe.c) and the JSON report must list
 * each once, with the right line, through fork and exec, for a static
 * program too, and for fifty children that refuse the same thing.
 */
#include <criterion/criterion.h>

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers/testutil.h"

#define SPAWN_TIMEOUT_S 60

static struct tu_proc proc;
static char *dir;

static void setup(void)
{
	char *w;

	dir = tu_tmpdir();
	w = tu_fmt("%s/w", dir);
	cr_assert(mkdir(w, 0755) == 0, "mkdir %s", w);
	free(w);
}

static void teardown(void)
{
	tu_rm_rf(dir);
	free(dir);
}

TestSuite(explain, .init = setup, .fini = teardown);

/* The policy every test uses: the system profile, a writable scratch
 * directory, a blocked network with one port and no UNIX sockets. */
static char *write_policy(void)
{
	char *path = tu_fmt("%s/policy.ini", dir);
	char *text = tu_fmt("[policy]\ninclude = system\n"
			    "[filesystem]\nread_write = %s/w\n"
			    "[network]\nblock = true\nconnect_tcp = 1\n"
			    "unix = none\n",
			    dir);

	tu_write_file(path, text);
	free(text);
	return path;
}

/*
 * Runs `nono explain --json` on `probe` with the probe's arguments (a
 * NULL-terminated list) and returns the parsed report.
 */
static json_object *explain(const char *probe, ...)
{
	char *policy = write_policy();
	char *report = tu_fmt("%s/report.json", dir);
	char *argv[64] = {
		NONO_CLI_PATH, "explain",     "--policy",    policy,
		"--read-file", (char *)probe, "--json",	     "--output",
		report,	       "--",	      (char *)probe,
	};
	size_t n = 11;
	va_list ap;
	const char *a;
	json_object *root;

	va_start(ap, probe);
	while ((a = va_arg(ap, const char *)) && n < 63)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	tu_spawn(&proc, argv, tu_env(NULL, NULL, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 7,
		     "explain passes the probe's status 7 through, got %d: %s",
		     proc.status, proc.err);
	root = json_object_from_file(report);
	cr_assert(root, "the report is JSON: %s", json_util_get_last_err());
	free(policy);
	free(report);
	return root;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "";
	return json_object_get_string(v);
}

static int num(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !v)
		return -1;
	return json_object_get_int(v);
}

/* The refusals with this operation and path (or port): exactly one must
 * exist; returns it. */
static json_object *the_refusal(json_object *root, const char *op,
				const char *target)
{
	json_object *list, *found = NULL;
	int matches = 0;

	cr_assert(json_object_object_get_ex(root, "refusals", &list),
		  "the report has refusals");
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *r = json_object_array_get_idx(list, i);
		char port[16];

		snprintf(port, sizeof(port), "%d", num(r, "port"));
		if (strcmp(str(r, "operation"), op) == 0 &&
		    (strcmp(str(r, "path"), target) == 0 ||
		     strcmp(port, target) == 0 ||
		     strcmp(str(r, "syscall"), target) == 0)) {
			found = r;
			matches++;
		}
	}
	cr_assert_eq(matches, 1, "%s %s is listed once, not %d times: %s", op,
		     target, matches, json_object_to_json_string(root));
	return found;
}

static void expect(json_object *root, const char *op, const char *target,
		   const char *suggestion)
{
	json_object *r = the_refusal(root, op, target);

	cr_expect_str_eq(str(r, "suggestion"), suggestion,
			 "%s %s: the line to add", op, target);
	cr_expect_eq(num(r, "count"), 1, "%s %s: seen once", op, target);
}

/* Runs `probe`, which executes `other` (not granted). */
static void every_kind(const char *probe, const char *other)
{
	char *created = tu_fmt("%s/new", dir), *made = tu_fmt("%s/d", dir);
	char *from = tu_fmt("%s/w/f", dir), *to = tu_fmt("%s/f", dir);
	char *line = tu_fmt("[filesystem] write = %s", dir);
	char *exe_line = tu_fmt("[filesystem] read_file = %s", other);
	json_object *root;

	tu_write_file(from, "x");
	root = explain(probe, "read", "/etc/hostname", "write", "/etc/hostname",
		       "create", created, "mkdir", made, "remove",
		       "/etc/hostname", "rename", from, to, "exec", other,
		       "connect", "9", "bind", "9", "keyctl", "unix", NULL);
	expect(root, "read", "/etc/hostname",
	       "[filesystem] read_file = /etc/hostname");
	expect(root, "write", "/etc/hostname",
	       "[filesystem] write_file = /etc/hostname");
	expect(root, "create", created, line);
	expect(root, "create", made, line);
	expect(root, "remove", "/etc/hostname", "[filesystem] write = /etc");
	expect(root, "execute", other, exe_line);
	expect(root, "connect", "9", "[network] connect_tcp = 9");
	expect(root, "bind", "9", "[network] bind_tcp = 9");
	expect(root, "call", "keyctl", "");
	expect(root, "call", "socket", "[network] unix = all");
	free(to);
	to = tu_fmt("%s/w/f -> %s/f", dir, dir);
	expect(root, "rename", to, line);
	json_object_put(root);
	free(created);
	free(made);
	free(from);
	free(to);
	free(line);
	free(exe_line);
}

Test(explain, lists_each_refusal_once_with_its_line)
{
	every_kind(NONO_EXPLAIN_PROBE_PATH, NONO_STATIC_EXPLAIN_PROBE_PATH);
}

Test(explain, traces_a_static_program)
{
	every_kind(NONO_STATIC_EXPLAIN_PROBE_PATH, NONO_EXPLAIN_PROBE_PATH);
}

Test(explain, follows_children_through_fork_and_exec)
{
	json_object *root = explain(NONO_EXPLAIN_PROBE_PATH, "child",
				    "/etc/hostname", NULL);
	json_object *r = the_refusal(root, "read", "/etc/hostname");

	cr_expect_str_eq(str(r, "suggestion"),
			 "[filesystem] read_file = /etc/hostname",
			 "the exec'd child's refusal has its line");
	cr_expect_str_eq(str(r, "program"), NONO_EXPLAIN_PROBE_PATH,
			 "the program is the one the child executed");
	json_object_put(root);
}

Test(explain, counts_fifty_children_refused_alike)
{
	json_object *root = explain(NONO_EXPLAIN_PROBE_PATH, "fork", "50",
				    "/etc/hostname", NULL);
	json_object *r = the_refusal(root, "read", "/etc/hostname");

	cr_expect_eq(num(r, "count"), 50, "one line, counted 50 times");
	json_object_put(root);
}

Test(explain, a_proc_pid_path_suggests_proc)
{
	json_object *root = explain(NONO_EXPLAIN_PROBE_PATH, "read",
				    "/proc/self/status", NULL);
	json_object *list;
	bool seen = false;

	cr_assert(json_object_object_get_ex(root, "refusals", &list));
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *r = json_object_array_get_idx(list, i);

		if (strstr(str(r, "path"), "/status")) {
			cr_expect_str_eq(str(r, "suggestion"),
					 "[filesystem] read = /proc",
					 "never a /proc/<pid> line");
			seen = true;
		}
	}
	cr_expect(seen, "/proc/self/status is listed");
	json_object_put(root);
}

/* Binding a pathname UNIX socket makes its file, which Landlock judges at
 * every ABI: the refusal is the sandbox's, and the line is a write grant
 * of its directory (it was once reported as "not the sandbox" before
 * Landlock ABI 9). */
Test(explain, a_unix_socket_bind_is_the_sandboxs)
{
	char *ro = tu_fmt("%s/ro", dir);
	char *sock = tu_fmt("%s/sock", ro);
	char *policy = tu_fmt("%s/unix.ini", dir);
	char *report = tu_fmt("%s/report.json", dir);
	char *script = tu_fmt("import socket; socket.socket(socket.AF_UNIX)"
			      ".bind('%s')",
			      sock);
	char *want = tu_fmt("[filesystem] write = %s", ro);
	char *argv[] = { NONO_CLI_PATH,	     "explain",	 "--policy", policy,
			 "--json",	     "--output", report,     "--",
			 "/usr/bin/python3", "-c",	 script,     NULL };

	if (access("/usr/bin/python3", X_OK) != 0)
		cr_skip_test("no /usr/bin/python3 to bind a socket with");
	tu_mkdir(ro);
	tu_write_file(policy,
		      tu_fmt("[policy]\ninclude = system\n[filesystem]\n"
			     "read = %s\n",
			     ro));
	tu_spawn(&proc, argv, tu_env(NULL, NULL, NULL), SPAWN_TIMEOUT_S);
	cr_assert_eq(proc.status, 1, "python3 fails to bind: %s", proc.err);
	json_object *root = json_object_from_file(report);
	cr_assert(root, "the report is JSON");
	json_object *r = the_refusal(root, "bind", sock);
	cr_expect_str_eq(str(r, "suggestion"), want, "the line to add");
	json_object_put(root);
	free(want);
	free(script);
	free(report);
	free(policy);
	free(sock);
	free(ro);
}
