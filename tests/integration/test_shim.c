// SPDX-License-Identifier: Apache-2.0
/*
 * libnono_shim.so with real programs: cat, sh, python3 and the probe
 * (tests/helpers/probe.c) run with LD_PRELOAD and a policy written into a
 * fresh directory, and each test checks what they may and may not do.
 *
 * Every program runs in a child process (tu_spawn); nothing is ever
 * sandboxed in the test process itself.
 *
 * The layout each test starts with, under a fresh directory T:
 *   T/policy.ini        the policy (see write_policy())
 *   T/ro/file           granted read in most tests
 *   T/wo/file           granted write
 *   T/rw/file, T/rw2/   granted read_write
 *   T/out/secret, T/out/other   granted nothing
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <link.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

#define PROBE NONO_PROBE_PATH
#define SHIM NONO_SHIM_PATH
#define PYTHON "/usr/bin/python3"

/* The test process's uid for "nobody" in the set-uid tests. */
#define NOBODY_UID 65534

static char *T;
static char *policy_path;
static struct tu_proc proc;
/* A copy of the shim installed into a system library directory by the
 * set-uid test; removed in teardown whatever happens. */
static char *installed_shim;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

static void setup(void)
{
	T = tu_tmpdir();
	policy_path = at("policy.ini");
	tu_mkdir(at("ro"));
	tu_mkdir(at("wo"));
	tu_mkdir(at("rw"));
	tu_mkdir(at("rw2"));
	tu_mkdir(at("out"));
	tu_write_file(at("ro/file"), "read-only\n");
	tu_write_file(at("wo/file"), "write-only\n");
	tu_write_file(at("rw/file"), "read-write\n");
	tu_write_file(at("out/secret"), "secret\n");
	tu_write_file(at("out/other"), "other\n");
}

static void teardown(void)
{
	if (installed_shim)
		unlink(installed_shim);
	tu_rm_rf(T);
}

TestSuite(shim, .init = setup, .fini = teardown);

/*
 * Writes T/policy.ini: the `system` profile, which every dynamically linked
 * program needs; read_file grants for the probe and the shim, which live in
 * the build tree (a program the shim starts must be able to execute the
 * probe and load the shim); then `body`, with "@T@" standing for T. Lines
 * of `body` before any section header belong to [filesystem]. The policy
 * does not grant read access to itself: children recognise the policy
 * their parent applied without reading it again.
 */
static void write_policy(const char *body)
{
	char *text = tu_subst(body, "@T@", T);
	char *policy = tu_fmt("[policy]\n"
			      "include = system\n"
			      "[filesystem]\n"
			      "read_file = %s\n"
			      "read_file = %s\n"
			      "%s",
			      PROBE, SHIM, text);

	tu_write_file(policy_path, policy);
	free(policy);
	free(text);
}

/* Runs argv under the shim with T/policy.ini and up to 8 extra
 * environment strings. */
static int run(const char *const extra[], const char *const argv[])
{
	return tu_spawn(&proc, (char *const *)argv,
			tu_env(SHIM, policy_path, extra), 30);
}

#define RUN(extra, ...) run((extra), (const char *const[]){ __VA_ARGS__, NULL })

/*
 * Runs the probe under the shim and checks its answer: "ok" with status 0,
 * or the errno name with status 1; and that the shim said nothing.
 */
static void expect_probe(const char *want, const char *const args[])
{
	const char *argv[8] = { PROBE };
	char line[64];
	size_t n = 1;

	for (; args[n - 1] && n < 7; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	run(NULL, argv);
	snprintf(line, sizeof(line), "%s\n", want);
	cr_assert_str_eq(
		proc.out, line,
		"probe %s %s: expected %s, got '%s' (status %d, stderr '%s')",
		args[0], args[1] ? args[1] : "", want, proc.out, proc.status,
		proc.err);
	cr_assert_eq(proc.status, strcmp(want, "ok") == 0 ? 0 : 1,
		     "probe %s %s: status %d for %s", args[0],
		     args[1] ? args[1] : "", proc.status, want);
	cr_assert_str_empty(proc.err,
			    "probe %s: the shim must be silent, said '%s'",
			    args[0], proc.err);
}

#define EXPECT(want, ...) \
	expect_probe((want), (const char *const[]){ __VA_ARGS__, NULL })

/* Whether every line of s starts with "nono: ". */
static bool all_lines_prefixed(const char *s)
{
	while (*s) {
		if (strncmp(s, "nono: ", 6) != 0)
			return false;
		s = strchr(s, '\n');
		if (!s)
			return false;
		s++;
	}
	return true;
}

/* ---- filesystem grants ------------------------------------------------ */

Test(shim, read_grant_allows_reading_listing_and_nothing_else)
{
	write_policy("read = @T@/ro\n");
	EXPECT("ok", "read", at("ro/file"));
	EXPECT("ok", "ls", at("ro"));
	EXPECT("EACCES", "write", at("ro/file"));
	EXPECT("EACCES", "append", at("ro/file"));
	EXPECT("EACCES", "write", at("ro/new"));
	EXPECT("EACCES", "mkdir", at("ro/sub"));
	EXPECT("EACCES", "rm", at("ro/file"));
	EXPECT("EACCES", "read", at("out/secret"));
	EXPECT("EACCES", "ls", at("out"));
	cr_assert(tu_exists(at("ro/file")), "the denied rm removed the file");
}

Test(shim, write_grant_allows_writing_but_not_reading)
{
	write_policy("write = @T@/wo\n");
	EXPECT("ok", "write", at("wo/new"));
	EXPECT("ok", "append", at("wo/file"));
	EXPECT("ok", "mkdir", at("wo/sub"));
	EXPECT("ok", "rm", at("wo/new"));
	EXPECT("EACCES", "read", at("wo/file"));
	EXPECT("EACCES", "ls", at("wo"));
	EXPECT("EACCES", "write", at("out/new"));
	cr_assert(!tu_exists(at("out/new")), "a denied write created a file");
	cr_assert(tu_exists(at("wo/sub")), "mkdir under write did not happen");
}

Test(shim, read_write_grant_allows_both_inside_only)
{
	write_policy("read_write = @T@/rw\n");
	EXPECT("ok", "read", at("rw/file"));
	EXPECT("ok", "write", at("rw/file"));
	EXPECT("ok", "ls", at("rw"));
	EXPECT("ok", "mkdir", at("rw/d"));
	EXPECT("ok", "write", at("rw/d/deep"));
	EXPECT("ok", "read", at("rw/d/deep"));
	EXPECT("ok", "rm", at("rw/d/deep"));
	EXPECT("EACCES", "read", at("out/secret"));
	EXPECT("EACCES", "write", at("out/secret"));
	EXPECT("EACCES", "write", at("new-at-top"));
}

Test(shim, read_file_grants_one_file)
{
	write_policy("read_file = @T@/out/other\n");
	EXPECT("ok", "read", at("out/other"));
	EXPECT("EACCES", "read", at("out/secret"));
	EXPECT("EACCES", "write", at("out/other"));
	EXPECT("EACCES", "ls", at("out"));
}

Test(shim, write_file_grants_writing_one_file)
{
	write_policy("write_file = @T@/out/other\n");
	EXPECT("ok", "write", at("out/other"));
	EXPECT("ok", "append", at("out/other"));
	EXPECT("EACCES", "read", at("out/other"));
	EXPECT("EACCES", "write", at("out/secret"));
	EXPECT("EACCES", "write", at("out/new"));
}

Test(shim, read_write_file_grants_both_on_one_file)
{
	write_policy("read_write_file = @T@/out/other\n");
	EXPECT("ok", "read", at("out/other"));
	EXPECT("ok", "append", at("out/other"));
	EXPECT("EACCES", "read", at("out/secret"));
	EXPECT("EACCES", "rm", at("out/other"));
}

Test(shim, symlink_into_a_granted_tree_is_followed)
{
	cr_assert_eq(symlink(at("ro/file"), at("out/link-in")), 0,
		     "symlink: %s", strerror(errno));
	write_policy("read = @T@/ro\n");
	/* The kernel checks the file the link resolves to, not the link. */
	EXPECT("ok", "read", at("out/link-in"));
}

Test(shim, symlink_out_of_a_granted_tree_is_denied)
{
	cr_assert_eq(symlink(at("out/secret"), at("ro/link-out")), 0,
		     "symlink: %s", strerror(errno));
	write_policy("read = @T@/ro\n");
	EXPECT("EACCES", "read", at("ro/link-out"));
}

Test(shim, symlinked_grant_is_resolved_when_loaded)
{
	/* The policy names a link; the grant is on where it points. */
	cr_assert_eq(symlink(at("ro"), at("ro-link")), 0, "symlink: %s",
		     strerror(errno));
	write_policy("read = @T@/ro-link\n");
	EXPECT("ok", "read", at("ro/file"));
	EXPECT("ok", "read", at("ro-link/file"));
}

Test(shim, rename_across_granted_directories)
{
	write_policy("read_write = @T@/rw\n"
		     "read_write = @T@/rw2\n"
		     "read = @T@/ro\n");
	EXPECT("ok", "rename", at("rw/file"), at("rw2/moved"));
	cr_assert(tu_exists(at("rw2/moved")), "the rename did not happen");
	/* Out of a read-only tree: removing the source is not granted. */
	EXPECT("EACCES", "rename", at("ro/file"), at("rw/file"));
	/* Into a read-only tree: creating the target is not granted. */
	EXPECT("EACCES", "rename", at("rw2/moved"), at("ro/moved"));
	/* Into a tree with no grant at all. */
	EXPECT("EACCES", "rename", at("rw2/moved"), at("out/moved"));
	cr_assert(tu_exists(at("ro/file")) && tu_exists(at("rw2/moved")),
		  "a denied rename moved a file");
}

Test(shim, truncate_needs_write)
{
	write_policy("read = @T@/ro\n"
		     "read_write = @T@/rw\n");
	EXPECT("ok", "truncate", at("rw/file"));
	EXPECT("EACCES", "truncate", at("ro/file"));
	EXPECT("EACCES", "truncate", at("out/secret"));
	EXPECT("ok", "read", at("ro/file"));
}

Test(shim, execute_needs_read)
{
	/* Copies of the probe in a read tree and a write-only tree; the one
	 * that runs re-loads the shim and must see the marker. */
	tu_copy_file(PROBE, at("ro/probe2"), 0755);
	tu_copy_file(PROBE, at("wo/probe2"), 0755);
	tu_copy_file(PROBE, at("out/probe2"), 0755);
	write_policy("read = @T@/ro\n"
		     "write = @T@/wo\n");
	RUN(NULL, PROBE, "exec", at("ro/probe2"), "read", at("ro/file"));
	cr_assert_eq(proc.status, 0, "exec from a read tree: status %d, %s%s",
		     proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "the exec'd probe did not run");
	EXPECT("EACCES", "exec", at("wo/probe2"));
	EXPECT("EACCES", "exec", at("out/probe2"));
}

/* ---- children --------------------------------------------------------- */

Test(shim, child_processes_inherit_the_sandbox)
{
	char *script;

	write_policy("read = @T@/ro\n");
	script = tu_fmt("cat %s", at("ro/file"));
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_eq(proc.status, 0, "sh -c cat: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "read-only\n", "cat printed '%s'", proc.out);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);

	script = tu_fmt("cat %s", at("out/secret"));
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_neq(proc.status, 0, "cat of a denied file succeeded");
	cr_assert_neq(proc.status, 126, "the shim failed in the child: %s",
		      proc.err);
	cr_assert_str_empty(proc.out, "the secret leaked: '%s'", proc.out);
	cr_assert(strstr(proc.err, "Permission denied"),
		  "cat did not report the denial: '%s'", proc.err);
}

Test(shim, child_does_not_read_the_policy_again)
{
	/*
	 * The policy does not grant read access to its own file, yet a
	 * child under the shim starts: it recognises the policy its parent
	 * applied by its name and loads nothing.
	 */
	char *script;

	write_policy("read = @T@/ro\n");
	script = tu_fmt("%s read %s; %s read %s", PROBE, at("ro/file"), PROBE,
			policy_path);
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_str_eq(proc.out, "ok\nEACCES\n",
			 "child: '%s' (status %d, stderr '%s')", proc.out,
			 proc.status, proc.err);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);
}

Test(shim, child_with_an_unreadable_other_policy_fails_closed)
{
	/*
	 * A child given another NONO_POLICY loads it inside the parent's
	 * sandbox. When the parent's policy does not let it read that file,
	 * the child stops with status 126 and a line naming the file and
	 * the grant that is missing.
	 */
	char *other = at("out/other.ini");
	char *script;

	write_policy("read = @T@/ro\n");
	tu_write_file(other, "[filesystem]\nread = /usr\n");
	script = tu_fmt("NONO_POLICY=%s %s read %s", other, PROBE,
			at("ro/file"));
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_eq(proc.status, 126, "status %d (stdout '%s', stderr '%s')",
		     proc.status, proc.out, proc.err);
	cr_assert_str_empty(proc.out, "the child ran: '%s'", proc.out);
	cr_assert(strncmp(proc.err, "nono: ", 6) == 0 &&
			  strstr(proc.err, other),
		  "the message does not name the policy: '%s'", proc.err);
	cr_assert(strstr(proc.err, tu_fmt("grant read_file = %s", other)),
		  "the message does not say how to fix it: '%s'", proc.err);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1,
		     "more than one line: '%s'", proc.err);
}

Test(shim, scrubbed_environment_stays_confined)
{
	char *script;

	write_policy("read = @T@/ro\n");
	/* env -i drops LD_PRELOAD: the shim is not loaded in the child,
	 * and the domain it inherited still confines it. */
	script = tu_fmt("env -i %s getenv LD_PRELOAD; "
			"env -i %s read %s && env -i %s read %s",
			PROBE, PROBE, at("ro/file"), PROBE, at("out/secret"));
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_str_eq(proc.out, "(unset)\nok\nEACCES\n",
			 "scrubbed child: '%s' (stderr '%s')", proc.out,
			 proc.err);
	cr_assert_eq(proc.status, 1, "status %d", proc.status);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);
}

Test(shim, deep_exec_chain_does_not_stack_layers)
{
	const char *debug[] = { "NONO_LOG=debug", NULL };
	size_t skipped = 0;

	write_policy("read = @T@/ro\n");
	/* The kernel allows 16 layers: 20 execs under the shim would fail
	 * if each stacked one. */
	RUN(NULL, PROBE, "chain", "20", at("ro/file"));
	cr_assert_eq(proc.status, 0, "chain of 20: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "chain of 20: '%s'", proc.out);

	/* Still confined at the end of the chain. */
	RUN(NULL, PROBE, "chain", "20", at("out/secret"));
	cr_assert_eq(proc.status, 1, "chain of 20, denied read: status %d",
		     proc.status);
	cr_assert_str_eq(proc.out, "EACCES\n", "chain of 20: '%s'", proc.out);

	/* Applied once, skipped in each of the 20 execs after it. */
	RUN(debug, PROBE, "chain", "20", at("ro/file"));
	for (const char *p = proc.err; (p = strstr(p, "already applied")); p++)
		skipped++;
	cr_assert_eq(skipped, 20, "skipped %zu times, not 20: '%s'", skipped,
		     proc.err);
}

Test(shim, marker_names_the_policy_identity)
{
	char first[64];

	write_policy("read = @T@/ro\n");
	RUN(NULL, PROBE, "getenv", "NONO_SHIM_APPLIED");
	cr_assert_eq(proc.status, 0, "no marker: '%s' '%s'", proc.out,
		     proc.err);
	cr_assert_eq(strlen(proc.out), 17, "marker '%s' is not 16 digits",
		     proc.out);
	cr_assert_eq(strspn(proc.out, "0123456789abcdef"), 16,
		     "marker '%s' is not hex", proc.out);
	snprintf(first, sizeof(first), "%s", proc.out);

	RUN(NULL, PROBE, "getenv", "NONO_SHIM_APPLIED");
	cr_assert_str_eq(proc.out, first, "the identity is not stable");

	/* The identity is the policy's name: the same file with other
	 * content is the same policy to a child (it is confined by what its
	 * parent applied), another file is another policy. */
	write_policy("read = @T@/ro\nread = @T@/rw\n");
	RUN(NULL, PROBE, "getenv", "NONO_SHIM_APPLIED");
	cr_assert_str_eq(proc.out, first, "the identity follows the content");

	char *copy = at("copy.ini");
	tu_copy_file(policy_path, copy, 0644);
	const char *env[] = { tu_fmt("NONO_POLICY=%s", copy), NULL };
	const char *argv[] = { PROBE, "getenv", "NONO_SHIM_APPLIED", NULL };
	char **envp = tu_env(SHIM, NULL, env);
	tu_spawn(&proc, (char *const *)argv, envp, 30);
	cr_assert_eq(proc.status, 0, "copy: '%s' '%s'", proc.out, proc.err);
	cr_assert_str_neq(proc.out, first,
			  "two policy files have one identity");
}

Test(shim, forged_marker_does_not_switch_the_shim_off)
{
	const char *extra[2] = { NULL, NULL };

	write_policy("read = @T@/ro\n");
	RUN(NULL, PROBE, "getenv", "NONO_SHIM_APPLIED");
	cr_assert_eq(proc.status, 0, "no marker: '%s'", proc.err);
	proc.out[strcspn(proc.out, "\n")] = '\0';
	/* The right identity, in a process that is in no sandbox (no
	 * no_new_privs): the shim applies the policy all the same. */
	extra[0] = tu_fmt("NONO_SHIM_APPLIED=%s", proc.out);
	RUN(extra, PROBE, "read", at("out/secret"));
	cr_assert_str_eq(proc.out, "EACCES\n",
			 "a forged marker disabled the sandbox: '%s'",
			 proc.out);
}

Test(shim, child_with_another_policy_adds_a_layer)
{
	char *other = at("other.ini");
	char *script;

	/* The parent may read ro and rw; the child's policy only ro. */
	write_policy(
		"read = @T@/ro\nread = @T@/rw\nread_file = @T@/other.ini\n");
	tu_write_file(other, tu_fmt("[policy]\ninclude = system\n"
				    "[filesystem]\nread_file = %s\n"
				    "read_file = %s\nread_file = %s\n"
				    "read = %s\n",
				    PROBE, SHIM, other, at("ro")));
	script = tu_fmt("NONO_POLICY=%s %s read %s; NONO_POLICY=%s %s read %s",
			other, PROBE, at("ro/file"), other, PROBE,
			at("rw/file"));
	RUN(NULL, "/bin/sh", "-c", script);
	cr_assert_str_eq(proc.out, "ok\nEACCES\n",
			 "the child's own policy was not applied: '%s' '%s'",
			 proc.out, proc.err);
}

/* ---- real programs ---------------------------------------------------- */

Test(shim, cat_reads_a_granted_file)
{
	write_policy("read = @T@/ro\n");
	RUN(NULL, "/bin/cat", at("ro/file"));
	cr_assert_eq(proc.status, 0, "cat: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert_str_eq(proc.out, "read-only\n", "cat printed '%s'", proc.out);
	RUN(NULL, "/bin/cat", at("out/secret"));
	cr_assert_eq(proc.status, 1, "cat of a denied file: status %d",
		     proc.status);
	cr_assert_str_empty(proc.out, "the secret leaked: '%s'", proc.out);
}

Test(shim, python3_runs_with_only_the_system_profile)
{
	/* A policy of nothing but the system profile. */
	tu_write_file(policy_path, "[policy]\ninclude = system\n");
	RUN(NULL, PYTHON, "-c", "print(6 * 7)");
	cr_assert_eq(proc.status, 0, "python3: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "42\n", "python3 printed '%s'", proc.out);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);

	RUN(NULL, PYTHON, "-c",
	    tu_fmt("print(open('%s').read())", at("out/secret")));
	cr_assert_eq(proc.status, 1, "python3 read a denied file: %d",
		     proc.status);
	cr_assert(strstr(proc.err, "PermissionError"),
		  "python3 did not report the denial: '%s'", proc.err);
	cr_assert_str_empty(proc.out, "the secret leaked: '%s'", proc.out);
}

Test(shim, state_json_policy_is_applied)
{
	/* The same sandbox as an INI policy, as nono's state JSON. */
	char *json_path = at("state.json");
	nono_policy *policy = NULL;
	nono_state *state = NULL;
	nono_diag diag;
	char *json;
	int rc;

	write_policy("read = @T@/ro\n");
	rc = nono_policy_load(policy_path, &policy, &diag);
	cr_assert_eq(rc, 0, "loading the INI policy: %s", diag.message);
	cr_assert_eq(nono_state_from_caps(nono_policy_caps(policy), &state), 0,
		     "state from caps");
	json = nono_state_to_json(state);
	cr_assert_not_null(json, "state to JSON");
	tu_write_file(json_path, json);
	nono_free(json);
	nono_state_free(state);
	nono_policy_free(policy);

	policy_path = json_path;
	EXPECT("ok", "read", at("ro/file"));
	EXPECT("EACCES", "read", at("out/secret"));
	EXPECT("EACCES", "write", at("ro/file"));
}

/* ---- network ---------------------------------------------------------- */

/* A TCP listener on 127.0.0.1, opened here, outside any sandbox. */
static int listen_loopback(unsigned short *port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket: %s", strerror(errno));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0,
		     "bind: %s", strerror(errno));
	cr_assert_eq(listen(fd, 16), 0, "listen: %s", strerror(errno));
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0,
		     "getsockname: %s", strerror(errno));
	*port = ntohs(addr.sin_port);
	return fd;
}

Test(shim, network_block_denies_tcp_connect)
{
	unsigned short port;
	int fd = listen_loopback(&port);
	char *port_text = tu_fmt("%u", port);

	/* Control: without block the connection is made. */
	write_policy("");
	EXPECT("ok", "connect-tcp", "127.0.0.1", port_text);

	write_policy("[network]\nblock = true\n");
	EXPECT("EACCES", "connect-tcp", "127.0.0.1", port_text);
	close(fd);
}

Test(shim, connect_tcp_opens_one_port)
{
	unsigned short open_port, other_port;
	int open_fd = listen_loopback(&open_port);
	int other_fd = listen_loopback(&other_port);
	char *open_text = tu_fmt("%u", open_port);
	char *other_text = tu_fmt("%u", other_port);
	char *body = tu_fmt("[network]\nblock = true\nconnect_tcp = %u\n",
			    open_port);

	write_policy(body);
	EXPECT("ok", "connect-tcp", "127.0.0.1", open_text);
	EXPECT("EACCES", "connect-tcp", "127.0.0.1", other_text);
	close(open_fd);
	close(other_fd);
}

Test(shim, python_cannot_send_udp_when_blocked)
{
	/* A real program: python3's socket module, refused at socket(). */
	write_policy("[network]\nblock = true\n");
	RUN(NULL, "/usr/bin/python3", "-c",
	    "import socket\n"
	    "try:\n"
	    "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
	    "    print('created')\n"
	    "except PermissionError:\n"
	    "    print('refused')\n");
	cr_assert_eq(proc.status, 0, "python3: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "refused\n", "UDP socket: '%s'", proc.out);
}

/* ---- what the shim says ----------------------------------------------- */

Test(shim, silent_on_success)
{
	write_policy("read = @T@/ro\n");
	RUN(NULL, PROBE, "read", at("ro/file"));
	cr_assert_eq(proc.status, 0, "status %d", proc.status);
	cr_assert_str_eq(proc.out, "ok\n", "stdout '%s'", proc.out);
	cr_assert_str_empty(proc.err, "stderr not empty: '%s'", proc.err);

	const char *warn[] = { "NONO_LOG=warn", NULL };

	RUN(warn, PROBE, "read", at("ro/file"));
	cr_assert_str_empty(proc.err,
			    "warn with nothing dropped must be silent: '%s'",
			    proc.err);
}

Test(shim, log_debug_shows_what_was_applied)
{
	const char *debug[] = { "NONO_LOG=debug", NULL };
	char *missing = at("not-there");

	write_policy(tu_fmt("read = @T@/ro\nread = -%s\n", missing));
	RUN(debug, PROBE, "read", at("ro/file"));
	cr_assert_eq(proc.status, 0, "status %d, '%s'", proc.status, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "stdout '%s'", proc.out);
	cr_assert(all_lines_prefixed(proc.err),
		  "a debug line without the prefix: '%s'", proc.err);
	cr_assert(strstr(proc.err, "Filesystem:"), "no summary: '%s'",
		  proc.err);
	cr_assert(strstr(proc.err, tu_fmt("%s [read]", at("ro"))),
		  "the grant is not listed: '%s'", proc.err);
	cr_assert(strstr(proc.err, missing),
		  "the skipped optional path is not noted: '%s'", proc.err);
	cr_assert(strstr(proc.err, "sandbox applied"),
		  "the apply is not reported: '%s'", proc.err);
}

Test(shim, log_info_says_one_line)
{
	const char *info[] = { "NONO_LOG=info", NULL };

	write_policy("read = @T@/ro\n");
	RUN(info, PROBE, "read", at("ro/file"));
	cr_assert_eq(proc.status, 0, "status %d", proc.status);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1, "not one line: '%s'",
		     proc.err);
	cr_assert(strncmp(proc.err, "nono: sandbox applied", 21) == 0,
		  "info line: '%s'", proc.err);
}

Test(shim, invalid_log_level_fails_closed)
{
	const char *bad[] = { "NONO_LOG=verbose", NULL };
	char *marker = at("ran");

	write_policy("read_write = @T@\n");
	RUN(bad, PROBE, "write", marker);
	cr_assert_eq(proc.status, 126, "status %d", proc.status);
	cr_assert(!tu_exists(marker), "the program ran");
	cr_assert(strncmp(proc.err, "nono: NONO_LOG", 14) == 0 &&
			  strstr(proc.err, "verbose"),
		  "message '%s'", proc.err);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1, "not one line: '%s'",
		     proc.err);
}

/* ---- set-uid ---------------------------------------------------------- */

static void expect_refusal(const char *what)
{
	cr_assert_eq(proc.status, 126, "%s: status %d, stdout '%s'", what,
		     proc.status, proc.out);
	cr_assert_str_eq(proc.err,
			 "nono: refusing to run in a set-uid/set-gid process\n",
			 "%s: message '%s'", what, proc.err);
	cr_assert_str_empty(proc.out, "%s: the program ran: '%s'", what,
			    proc.out);
}

Test(shim, refuses_when_uid_differs_from_euid)
{
	/*
	 * The probe becomes uid 0 / euid nobody, as a set-uid program is,
	 * then loads the shim with dlopen(), which runs its constructor.
	 * Control first: the same without the change of uid applies the
	 * policy and returns.
	 */
	char *uid = tu_fmt("%d", NOBODY_UID);
	const char *argv[] = { PROBE, "setuid-dlopen", "0", SHIM, NULL };

	if (geteuid() != 0)
		cr_skip_test("needs root to change the effective uid");
	write_policy("");
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, policy_path, NULL),
		 30);
	cr_assert_eq(proc.status, 0, "control: status %d, '%s' '%s'",
		     proc.status, proc.out, proc.err);
	argv[2] = uid;
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, policy_path, NULL),
		 30);
	expect_refusal("euid != uid");
}

/* The directory of libc: a system library directory, where glibc's ld.so
 * looks for preloads in secure-execution mode. */
static char *system_lib_dir(void)
{
	void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
	struct link_map *map = NULL;
	char *dir;

	cr_assert_not_null(libc, "libc.so.6 is not loaded: %s", dlerror());
	cr_assert_eq(dlinfo(libc, RTLD_DI_LINKMAP, &map), 0, "dlinfo: %s",
		     dlerror());
	cr_assert(map->l_name[0] == '/', "libc's path '%s'", map->l_name);
	dir = dirname(tu_fmt("%s", map->l_name));
	dlclose(libc);
	return dir;
}

Test(shim, refuses_in_a_set_uid_program)
{
	/*
	 * A real set-uid program: a copy of the probe owned by nobody with
	 * the set-user-ID bit, run by root. The kernel marks it
	 * AT_SECURE, and ld.so then preloads only a library named without
	 * a '/', from a system directory, with its own set-user-ID bit: a
	 * copy of the shim is installed so for this test (and removed in
	 * teardown).
	 */
	char *suid_probe = at("suid-probe");
	const char *argv[] = { suid_probe, "fds", NULL };
	char *env_preload;

	if (geteuid() != 0)
		cr_skip_test("needs root to make a set-uid program");
	installed_shim = tu_fmt("%s/libnono-test-shim-%d.so", system_lib_dir(),
				(int)getpid());
	tu_copy_file(SHIM, installed_shim, 04755);
	tu_copy_file(PROBE, suid_probe, 0755);
	cr_assert_eq(chown(suid_probe, NOBODY_UID, (gid_t)-1), 0, "chown: %s",
		     strerror(errno));
	cr_assert_eq(chmod(suid_probe, 04755), 0, "chmod: %s", strerror(errno));
	write_policy("");
	env_preload = tu_fmt("LD_PRELOAD=%s", strrchr(installed_shim, '/') + 1);
	char *env[] = { env_preload, tu_fmt("NONO_POLICY=%s", policy_path),
			NULL };
	tu_spawn(&proc, (char *const *)argv, env, 30);
	expect_refusal("set-uid program");
}

/* ---- threads ---------------------------------------------------------- */

Test(shim, other_threads_fail_closed_unless_the_kernel_syncs_them)
{
	/*
	 * A second preloaded library starts a thread before the shim runs.
	 * Where the kernel can restrict every thread (Landlock ABI 8) the
	 * shim must do so; otherwise it must refuse.
	 */
	char *thread_lib =
		NONO_BUILD_ROOT "/tests/helpers/libnono_test_thread.so";
	char *preload = tu_fmt("LD_PRELOAD=%s %s", SHIM, thread_lib);
	nono_support_info info;
	char *marker = at("ran");
	char *env[] = { preload, tu_fmt("NONO_POLICY=%s", policy_path), NULL };
	const char *argv[] = { PROBE, "write", marker, NULL };

	cr_assert(tu_exists(thread_lib), "%s not built", thread_lib);
	write_policy("read_write = @T@\n");
	cr_assert_eq(nono_support_info_get(&info), 0, "support info");
	tu_spawn(&proc, (char *const *)argv, env, 30);
	if (info.features & NONO_FEATURE_ALL_THREADS) {
		cr_assert_eq(proc.status, 0, "status %d, '%s'", proc.status,
			     proc.err);
		cr_assert(tu_exists(marker), "the program did not run");
		return;
	}
	cr_assert_eq(proc.status, 126, "status %d, stdout '%s'", proc.status,
		     proc.out);
	cr_assert(!tu_exists(marker), "the program ran");
	cr_assert(strncmp(proc.err, "nono: applying the sandbox: ", 28) == 0,
		  "message '%s'", proc.err);
	cr_assert(strstr(proc.err, "thread"), "message '%s'", proc.err);
	cr_assert_eq(tu_count_char(proc.err, '\n'), 1, "not one line: '%s'",
		     proc.err);
}

/* ---- hygiene ---------------------------------------------------------- */

Test(shim, leaves_no_file_descriptor_open)
{
	const char *argv[] = { PROBE, "fds", NULL };
	int without, with;

	/* The probe counts the entries of /proc/self/fd. */
	write_policy("read = @T@/ro\nread = /proc\n");
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 0, "fds without the shim: %d", proc.status);
	without = atoi(proc.out);
	tu_spawn(&proc, (char *const *)argv, tu_env(SHIM, policy_path, NULL),
		 30);
	cr_assert_eq(proc.status, 0, "fds with the shim: %d, '%s'", proc.status,
		     proc.err);
	with = atoi(proc.out);
	cr_assert_gt(without, 0, "no fd count: '%s'", proc.out);
	cr_assert_eq(with, without, "the shim left %d fds open",
		     with - without);
}

/* Runs a binutils tool on the shim (in the C locale) and returns its
 * stdout. */
static char *inspect(const char *tool, const char *flag1, const char *flag2)
{
	const char *argv[] = { tool, flag1, flag2, SHIM, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };

	if (!flag2) {
		argv[2] = SHIM;
		argv[3] = NULL;
	}
	tu_spawn(&proc, (char *const *)argv, env, 30);
	cr_assert_eq(proc.status, 0, "%s %s: status %d, '%s'", tool, flag1,
		     proc.status, proc.err);
	return proc.out;
}

Test(shim, exports_no_symbols)
{
	/* What the linker may still add to an object that exports nothing,
	 * and the auditing interface, which only the loader looks up. */
	static const char *const allowed[] = { "_init", "_fini", "la_version",
					       "la_objopen", NULL };
	char *extra = tu_unexpected_exports(SHIM, allowed);

	cr_expect_str_eq(extra, "", "the shim exports:\n%s", extra);
	free(extra);
}

Test(shim, needs_neither_inih_nor_json_c)
{
	const char *dyn = inspect("readelf", "-d", NULL);

	cr_assert(strstr(dyn, "(NEEDED)"), "no NEEDED entries: '%s'", dyn);
	cr_assert_null(strstr(dyn, "inih"), "the shim needs inih:\n%s", dyn);
	cr_assert_null(strstr(dyn, "json"), "the shim needs json-c:\n%s", dyn);
}
