// SPDX-License-Identifier: Apache-2.0
/*
 * The escapes of issue 16, run as an attacker would run them: the attack
 * program (tests/helpers/attack.c) tries its way out unsandboxed first, to
 * show that the attack is real on this machine, then under the shim
 * (LD_PRELOAD), in early mode (LD_AUDIT as well) and under `nono run`,
 * where it must fail, and where it can, the test checks from outside that
 * nothing happened (no input in the terminal, no connection accepted, the
 * other process's limits untouched).
 *
 * Each test starts with a fresh directory T:
 *   T/policy.ini   the policy (write_policy())
 *   T/ro/file      granted read
 *   T/out/secret   granted nothing
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

#define ATTACK NONO_ATTACK_PATH
#define SHIM NONO_SHIM_PATH
#define NONO NONO_CLI_PATH

#define KEY_SPEC_SESSION_KEYRING -3
#define KEYCTL_REVOKE 3

enum mode { UNSANDBOXED, PRELOAD, EARLY, RUN };

static const char *const mode_names[] = { "unsandboxed", "LD_PRELOAD",
					  "early mode", "nono run" };

static char *T;
static char *policy_path;
static struct tu_proc proc;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

static void setup(void)
{
	T = tu_tmpdir();
	policy_path = at("policy.ini");
	tu_mkdir(at("ro"));
	tu_mkdir(at("out"));
	tu_write_file(at("ro/file"), "read-only\n");
	tu_write_file(at("out/secret"), "secret\n");
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(escapes, .init = setup, .fini = teardown);

/* The system profile, the attack program and the shim, then `body` with
 * "@T@" standing for T (lines before a section are [filesystem]'s). */
static void write_policy(const char *body)
{
	char *text = tu_subst(body, "@T@", T);
	char *policy = tu_fmt("[policy]\ninclude = system\n[filesystem]\n"
			      "read_file = %s\nread_file = %s\n%s\n",
			      ATTACK, SHIM, text);

	tu_write_file(policy_path, policy);
	free(policy);
	free(text);
}

/* Runs `attack OP ARG` in `mode`; pre_exec (may be NULL) runs in the child
 * just before the exec. Returns the status; the output is in proc. */
static int attack(enum mode mode, void (*pre_exec)(void *), void *arg,
		  const char *op, const char *op_arg)
{
	const char *audit[] = { "LD_AUDIT=" SHIM, NULL };
	const char *argv[10];
	char **envp;
	size_t n = 0;

	if (mode == RUN) {
		argv[n++] = NONO;
		argv[n++] = "run";
		argv[n++] = "--policy";
		argv[n++] = policy_path;
		argv[n++] = "--";
	}
	argv[n++] = ATTACK;
	argv[n++] = op;
	if (op_arg)
		argv[n++] = op_arg;
	argv[n] = NULL;
	if (mode == PRELOAD)
		envp = tu_env(SHIM, policy_path, NULL);
	else if (mode == EARLY)
		envp = tu_env(SHIM, policy_path, audit);
	else
		envp = tu_env(NULL, NULL, NULL);
	return tu_spawn_pre(&proc, (char *const *)argv, envp, 30, pre_exec,
			    arg);
}

/* Asserts that the attack worked unsandboxed (the control). */
static void expect_real(const char *what)
{
	cr_assert_eq(proc.status, 0,
		     "%s does not work even without a sandbox here (status "
		     "%d: %s%s): the test would prove nothing",
		     what, proc.status, proc.out, proc.err);
}

/* Asserts that the attack was refused with `want` ("EPERM\n"...). */
static void expect_refused(enum mode mode, const char *what, const char *want)
{
	cr_assert_eq(proc.status, 1,
		     "%s under %s: status %d, out '%s', err '%s'", what,
		     mode_names[mode], proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, want, "%s under %s: refused with %s", what,
			 mode_names[mode], proc.out);
	cr_assert_str_eq(proc.err, "", "%s under %s: the sandbox said '%s'",
			 what, mode_names[mode], proc.err);
}

/* ---- 1. Terminal injection ------------------------------------------- */

static int pty_slave = -1;

static void stdin_from_pty(void *arg)
{
	(void)arg;
	if (dup2(pty_slave, 0) < 0)
		_exit(255);
}

/* What waits in the terminal's input queue, without blocking. */
static ssize_t pending_input(char *buf, size_t len)
{
	ssize_t n = read(pty_slave, buf, len - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

Test(escapes, terminal_injection)
{
	char buf[256];
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	cr_assert_geq(master, 0, "posix_openpt: %s", strerror(errno));
	cr_assert_eq(grantpt(master), 0, "grantpt");
	cr_assert_eq(unlockpt(master), 0, "unlockpt");
	pty_slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_NONBLOCK);
	cr_assert_geq(pty_slave, 0, "open the pty: %s", strerror(errno));

	/* capabilities = keep: root with CAP_SYS_ADMIN may push input into
	 * any terminal, so only the filter stands in the way. */
	write_policy("[process]\ncapabilities = keep\n");
	attack(UNSANDBOXED, stdin_from_pty, NULL, "tiocsti", "id\n");
	expect_real("TIOCSTI");
	cr_assert_gt(pending_input(buf, sizeof(buf)), 0,
		     "the control's input reached the terminal");
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, stdin_from_pty, NULL, "tiocsti", "id\n");
		expect_refused(m, "TIOCSTI", "EPERM\n");
		cr_assert_leq(pending_input(buf, sizeof(buf)), 0,
			      "under %s '%s' reached the terminal",
			      mode_names[m], buf);
	}
	close(pty_slave);
	close(master);
}

/* ---- 2. Pathname UNIX sockets outside the grants --------------------- */

Test(escapes, unix_socket_outside_the_grants)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *path = at("out/sock");
	int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	cr_assert_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0, "bind");
	cr_assert_eq(listen(l, 8), 0, "listen");

	attack(UNSANDBOXED, NULL, NULL, "unix-connect", path);
	expect_real("connecting to a UNIX socket");
	int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	cr_assert_geq(c, 0, "the control's connection arrived");
	close(c);

	/* With the network blocked, unix defaults to granted, and the
	 * socket is beneath no grant. */
	write_policy("[network]\nblock = true\n");
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, NULL, NULL, "unix-connect", path);
		expect_refused(m, "connecting to a UNIX socket", "EACCES\n");
		cr_assert_lt(accept4(l, NULL, NULL, SOCK_CLOEXEC), 0,
			     "under %s a connection arrived", mode_names[m]);
	}
	/* The same, asked for without blocking the network. */
	write_policy("[network]\nunix = granted\n");
	attack(PRELOAD, NULL, NULL, "unix-connect", path);
	expect_refused(PRELOAD, "connecting with unix = granted", "EACCES\n");
	/* unix = all gives it back. */
	write_policy("[network]\nblock = true\nunix = all\n");
	attack(PRELOAD, NULL, NULL, "unix-connect", path);
	cr_assert_eq(proc.status, 0, "unix = all lets the program connect: %s",
		     proc.out);
	close(l);
	free(path);
}

/* ---- 3. Other processes ---------------------------------------------- */

static pid_t sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		/* Gone with the test, even when an assertion ends it early
		 * (a live child would keep the runner waiting). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close_range(3, ~0U, 0);
		pause();
		_exit(0);
	}
	cr_assert_gt(pid, 0, "fork");
	return pid;
}

static rlim_t cpu_limit(pid_t pid)
{
	struct rlimit rl;

	cr_assert_eq(prlimit(pid, RLIMIT_CPU, NULL, &rl), 0, "prlimit get");
	return rl.rlim_cur;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

Test(escapes, control_of_other_processes)
{
	pid_t victim = sleeper();
	char *pid = tu_fmt("%d", (int)victim);

	write_policy("");
	attack(UNSANDBOXED, NULL, NULL, "prlimit", pid);
	expect_real("prlimit on another process");
	cr_assert_eq(cpu_limit(victim), 0, "the control set the limit");
	reap(victim);

	victim = sleeper();
	free(pid);
	pid = tu_fmt("%d", (int)victim);
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, NULL, NULL, "prlimit", pid);
		expect_refused(m, "prlimit on another process", "EPERM\n");
		cr_assert_eq(cpu_limit(victim), RLIM_INFINITY,
			     "under %s the other process's limit changed",
			     mode_names[m]);
		attack(m, NULL, NULL, "perf", pid);
		expect_refused(m, "perf_event_open on another process",
			       "EPERM\n");
	}
	cr_assert_eq(waitpid(victim, NULL, WNOHANG), 0,
		     "the other process is alive");
	reap(victim);
	free(pid);
}

/* ---- 4. Inbound TCP through listen() --------------------------------- */

Test(escapes, listen_without_bind)
{
	tu_require_abi(4, "TCP port rules");
	attack(UNSANDBOXED, NULL, NULL, "listen", NULL);
	expect_real("listen() without bind()");
	write_policy("[network]\nblock = true\nconnect_tcp = 1\n");
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, NULL, NULL, "listen", NULL);
		expect_refused(m, "listen() without bind()", "EACCES\n");
	}
}

/* ---- 12. Metadata ----------------------------------------------------- */

Test(escapes, metadata)
{
	char *ro = at("ro/file");
	char *secret = at("out/secret");

	/* The documented limit: without protect, the metadata of a file the
	 * user owns can be changed, granted or not. Asserted, so that a
	 * change is noticed. */
	write_policy("read = @T@/ro\n");
	attack(PRELOAD, NULL, NULL, "chmod", ro);
	cr_assert_eq(proc.status, 0,
		     "chmod of a read-only file works by "
		     "default (the documented limit)");
	chmod(ro, 0644);
	write_policy("read = @T@/ro\nmetadata = protect\n");
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, NULL, NULL, "chmod", ro);
		expect_refused(m, "chmod of a read-only file", "EPERM\n");
		attack(m, NULL, NULL, "chmod", secret);
		expect_refused(m, "chmod of a denied file", "EPERM\n");
	}
	struct stat st;
	cr_assert_eq(stat(secret, &st), 0, "stat");
	cr_assert_eq(st.st_mode & 07777, 0644,
		     "the denied file's mode is "
		     "unchanged");
	free(ro);
	free(secret);
}

/* ---- 13. What root keeps --------------------------------------------- */

Test(escapes, keyring_and_kernel_interfaces)
{
	const char secret[] = "kept outside";
	long id = syscall(SYS_add_key, "user", "nono-escape-test", secret,
			  strlen(secret), KEY_SPEC_SESSION_KEYRING);
	cr_assert_gt(id, 0, "add_key: %s", strerror(errno));
	char *sid = tu_fmt("%ld", id);

	write_policy("");
	attack(UNSANDBOXED, NULL, NULL, "keyctl-read", sid);
	expect_real("reading a key of the session keyring");
	cr_assert_str_eq(proc.out, "kept outside\n", "the control read it");
	attack(UNSANDBOXED, NULL, NULL, "bpf", NULL);
	expect_real("loading a BPF program");
	for (enum mode m = PRELOAD; m <= RUN; m++) {
		attack(m, NULL, NULL, "keyctl-read", sid);
		expect_refused(m, "reading a key", "EPERM\n");
		attack(m, NULL, NULL, "bpf", NULL);
		expect_refused(m, "loading a BPF program", "EPERM\n");
	}
	syscall(SYS_keyctl, KEYCTL_REVOKE, id);
	free(sid);
}

/* ---- The marker in a process with no_new_privs from elsewhere -------- */

Test(escapes, copied_marker_with_no_new_privs)
{
	write_policy("");
	/* The marker the shim leaves for children, as a process under the
	 * policy sees it. */
	const char *env_argv[] = { "/usr/bin/env", NULL };
	tu_spawn(&proc, (char *const *)env_argv,
		 tu_env(SHIM, policy_path, NULL), 30);
	cr_assert_eq(proc.status, 0, "env under the shim: %s", proc.err);
	char *marker = strstr(proc.out, "NONO_SHIM_APPLIED=");
	cr_assert_not_null(marker, "the shim left its marker");
	marker = strndup(marker, strcspn(marker, "\n"));
	char *preload = tu_fmt("LD_PRELOAD=%s", SHIM);
	char *policy = tu_fmt("NONO_POLICY=%s", policy_path);
	char *secret = at("out/secret");

	/* setpriv sets no_new_privs, then env starts the attack with the
	 * copied marker, the shim and the policy: no sandbox is in place,
	 * so the shim must apply one. */
	const char *argv[] = { "/usr/bin/setpriv",
			       "--no-new-privs",
			       "/usr/bin/env",
			       preload,
			       policy,
			       marker,
			       ATTACK,
			       "read",
			       secret,
			       NULL };
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 1,
		     "a copied marker in a process with no_new_privs switched "
		     "the shim off: status %d, out '%s', err '%s'",
		     proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "EACCES\n", "the secret is refused");
	free(marker);
	free(preload);
	free(policy);
	free(secret);
}

/* ---- Ordinary programs still run with the baseline in force ---------- */

/* Runs `sh -c SCRIPT` under `mode` with HOME and TMPDIR in T/rw. */
static int sh_in(enum mode mode, const char *script)
{
	const char *audit = "LD_AUDIT=" SHIM;
	char *home = tu_fmt("HOME=%s/rw", T);
	char *tmpdir = tu_fmt("TMPDIR=%s/rw", T);
	const char *extra[] = { home, tmpdir, mode == EARLY ? audit : NULL,
				NULL };
	const char *argv[] = { NONO,	  "run", "--policy", policy_path, "--",
			       "/bin/sh", "-c",	 script,     NULL };
	char **envp = mode == RUN ? tu_env(NULL, NULL, extra)
				  : tu_env(SHIM, policy_path, extra);
	int status =
		tu_spawn(&proc, (char *const *)(mode == RUN ? argv : argv + 5),
			 envp, 60);

	free(home);
	free(tmpdir);
	return status;
}

Test(escapes, ordinary_programs_still_run)
{
	static const char *const scripts[] = {
		"python3 -c 'import json, subprocess, tempfile; "
		"print(json.dumps(subprocess.run([\"echo\", \"hi\"], "
		"capture_output=True).stdout.decode().strip()))'",
		"export GIT_CONFIG_NOSYSTEM=1; cd \"$HOME\" && rm -rf repo && "
		"git init -q repo && cd repo && "
		"git -c user.name=t -c user.email=t@t commit -q --allow-empty "
		"-m m && git log --oneline | wc -l",
		"cd \"$HOME\" && printf 'int main(void){return 0;}\\n' > a.c "
		"&& gcc -o a a.c && ./a && echo built",
		"printf 'b\\na\\nb\\n' | sort | uniq -c | wc -l",
	};
	static const char *const wanted[] = { "\"hi\"\n", "1\n", "built\n",
					      "2\n" };
	static const char *const policies[] = {
		"read_write = @T@/rw\n",
		"read_write = @T@/rw\n[network]\nblock = true\n",
	};

	tu_mkdir(at("rw"));
	for (size_t p = 0; p < 2; p++) {
		write_policy(policies[p]);
		for (enum mode m = PRELOAD; m <= RUN; m++)
			for (size_t i = 0; i < 4; i++) {
				sh_in(m, scripts[i]);
				cr_assert_eq(proc.status, 0,
					     "%s under %s with %s: status %d, "
					     "out '%s', err '%s'",
					     scripts[i], mode_names[m],
					     policies[p], proc.status, proc.out,
					     proc.err);
				cr_assert_str_eq(proc.out, wanted[i],
						 "%s under %s", scripts[i],
						 mode_names[m]);
			}
	}
}
