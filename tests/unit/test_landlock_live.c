// SPDX-License-Identifier: Apache-2.0
/*
 * Live Landlock tests: each forks a child, which applies a capability set
 * and tries one operation; the parent checks the child's exit status and
 * the apply report it sent back through a pipe. The Criterion process
 * itself is never sandboxed.
 *
 * A child exits with 0 when the operation worked, with the errno when it
 * failed (EACCES = 13, EXDEV = 18, ...), with TU_CHILD_APPLY_FAILED when
 * nono_apply failed and with TU_CHILD_SETUP_FAILED when the test's own set-up
 * inside the child failed.
 */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libnono.h"
#include "helpers/testutil.h"

struct job {
	const nono_caps *caps;
	unsigned flags;
	/* Runs in the child before nono_apply; non-zero is a set-up error. */
	int (*pre)(const struct job *job);
	/* Runs in the child after nono_apply (also after a failed apply when
	 * op_even_if_apply_fails); returns 0 or an errno. */
	int (*op)(const struct job *job);
	bool op_even_if_apply_fails;
	const char *a;
	const char *b;
	int port;
};

/* Per-test fixture: a fresh tree under /tmp with granted and ungranted
 * parts, removed after the test whatever its outcome. */
static char *root;
static char *dir_a, *dir_b, *dir_c;
static char *file_a, *file_b, *file_c;
static nono_support_info support;

static void setup(void)
{
	cr_assert_eq(nono_support_info_get(&support), 0,
		     "support info must be readable");
	root = tu_tmpdir();
	dir_a = tu_fmt("%s/a", root);
	dir_b = tu_fmt("%s/b", root);
	dir_c = tu_fmt("%s/c", root);
	file_a = tu_fmt("%s/f", dir_a);
	file_b = tu_fmt("%s/f", dir_b);
	file_c = tu_fmt("%s/f", dir_c);
	cr_assert_eq(mkdir(dir_a, 0755), 0, "mkdir %s", dir_a);
	cr_assert_eq(mkdir(dir_b, 0755), 0, "mkdir %s", dir_b);
	cr_assert_eq(mkdir(dir_c, 0755), 0, "mkdir %s", dir_c);
	tu_write_file(file_a, "content of a\n");
	tu_write_file(file_b, "content of b\n");
	tu_write_file(file_c, "content of c\n");
}

static void teardown(void)
{
	tu_rm_rf(root);
	free(root);
	free(dir_a);
	free(dir_b);
	free(dir_c);
	free(file_a);
	free(file_b);
	free(file_c);
}

TestSuite(landlock_live, .init = setup, .fini = teardown);

static int job_pre(void *arg)
{
	const struct job *job = arg;

	return job->pre(job);
}

static int job_op(void *arg)
{
	const struct job *job = arg;

	return job->op(job);
}

/* The job as the shared harness runs it (tests/helpers/testutil.h). */
static struct tu_apply as_apply(struct job *job)
{
	return (struct tu_apply){
		.caps = job->caps,
		.flags = job->flags,
		.pre = job->pre ? job_pre : NULL,
		.op = job->op ? job_op : NULL,
		.op_even_if_apply_fails = job->op_even_if_apply_fails,
		.arg = job,
	};
}

/* Runs the job in a child; fills *rep and returns the exit status. */
static int run_job(struct job *job, struct tu_report *rep)
{
	const struct tu_apply a = as_apply(job);

	return tu_apply_in_child(&a, rep);
}

/* Runs a job that must apply, and returns the operation's exit status. */
static int run_applied(struct job *job)
{
	const struct tu_apply a = as_apply(job);

	return tu_apply_ok(&a);
}

static nono_caps *caps_new(void)
{
	nono_caps *caps = NULL;
	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	return caps;
}

static void grant_dir(nono_caps *caps, const char *path, nono_access mode)
{
	int rc = nono_caps_allow_path(caps, path, mode);
	cr_assert_eq(rc, 0, "allow_path %s: %s", path, nono_strerror(rc));
}

static void grant_file(nono_caps *caps, const char *path, nono_access mode)
{
	int rc = nono_caps_allow_file(caps, path, mode);
	cr_assert_eq(rc, 0, "allow_file %s: %s", path, nono_strerror(rc));
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static char *slurp(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open %s: %s", path, strerror(errno));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	cr_assert_geq(n, 0, "read %s", path);
	buf[n] = '\0';
	return buf;
}

/* ---- operations run inside the sandbox ---- */

static int op_read_a(const struct job *job)
{
	char c;
	int fd = open(job->a, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tu_errno_code();
	ssize_t n = read(fd, &c, 1);
	int rc = n == 1 ? 0 : tu_errno_code();
	close(fd);
	return rc;
}

static int op_list_a(const struct job *job)
{
	DIR *d = opendir(job->a);
	if (!d)
		return tu_errno_code();
	errno = 0;
	int count = 0;
	while (readdir(d))
		count++;
	int rc = errno ? tu_errno_code()
		       : (count > 0 ? 0 : TU_CHILD_SETUP_FAILED);
	closedir(d);
	return rc;
}

static int op_write_a(const struct job *job)
{
	int fd = open(job->a, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return tu_errno_code();
	ssize_t n = write(fd, "more\n", 5);
	int rc = n == 5 ? 0 : tu_errno_code();
	close(fd);
	return rc;
}

static int op_create_a(const struct job *job)
{
	int fd = open(job->a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return tu_errno_code();
	close(fd);
	return 0;
}

static int op_mkdir_a(const struct job *job)
{
	return mkdir(job->a, 0755) == 0 ? 0 : tu_errno_code();
}

static int op_rename_a_b(const struct job *job)
{
	return rename(job->a, job->b) == 0 ? 0 : tu_errno_code();
}

static int op_truncate_a(const struct job *job)
{
	return truncate(job->a, 0) == 0 ? 0 : tu_errno_code();
}

static int op_open_trunc_a(const struct job *job)
{
	int fd = open(job->a, O_RDONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return tu_errno_code();
	close(fd);
	return 0;
}

static int op_exec_a(const struct job *job)
{
	char *const argv[] = { (char *)job->a, NULL };
	char *const envp[] = { NULL };
	execve(job->a, argv, envp);
	return tu_errno_code();
}

static int op_connect_port(const struct job *job)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tu_errno_code();
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)job->port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int rc = connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0
			 ? 0
			 : tu_errno_code();
	close(s);
	return rc;
}

static int op_bind_any_port(const struct job *job)
{
	(void)job;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return tu_errno_code();
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = 0,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int rc = bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0
			 ? 0
			 : tu_errno_code();
	close(s);
	return rc;
}

/* Returns 0 when no_new_privs is set, 1 when it is not. */
static int op_nnp_set(const struct job *job)
{
	(void)job;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1;
}

/* The grandchild reads job->b (expected denied) after checking that job->a
 * (granted) still reads; the child passes on the grandchild's status. */
static int op_grandchild(const struct job *job)
{
	pid_t pid = fork();
	if (pid < 0)
		return TU_CHILD_SETUP_FAILED;
	if (pid == 0) {
		struct job inner = *job;
		if (op_read_a(&inner) != 0)
			_exit(TU_CHILD_SETUP_FAILED);
		inner.a = job->b;
		_exit(op_read_a(&inner));
	}
	int ws;
	if (waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws))
		return TU_CHILD_SETUP_FAILED;
	return WEXITSTATUS(ws);
}

/* ---- filesystem ---- */

Test(landlock_live, read_allowed_file_in_granted_dir)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);

	struct job job = { .caps = caps, .op = op_read_a, .a = file_a };
	cr_expect_eq(run_applied(&job), 0,
		     "reading a file in a READ grant works");
	nono_caps_free(caps);
}

Test(landlock_live, read_outside_grants_denied)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);

	struct job job = { .caps = caps, .op = op_read_a, .a = file_b };
	cr_expect_eq(run_applied(&job), EACCES,
		     "reading a file outside every grant fails with EACCES");
	nono_caps_free(caps);
}

Test(landlock_live, list_granted_dir_only)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);

	struct job job = { .caps = caps, .op = op_list_a, .a = dir_a };
	cr_expect_eq(run_applied(&job), 0, "listing the granted dir works");
	job.a = dir_b;
	cr_expect_eq(run_applied(&job), EACCES,
		     "listing an ungranted dir fails with EACCES");
	nono_caps_free(caps);
}

Test(landlock_live, write_in_read_grant_denied)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);
	char *newfile = tu_fmt("%s/new", dir_a);

	struct job job = { .caps = caps, .op = op_write_a, .a = file_a };
	cr_expect_eq(run_applied(&job), EACCES,
		     "opening for write in a READ grant fails with EACCES");
	cr_expect_str_eq(slurp(file_a), "content of a\n",
			 "the file is unchanged");

	job.op = op_create_a;
	job.a = newfile;
	cr_expect_eq(run_applied(&job), EACCES,
		     "creating a file in a READ grant fails with EACCES");
	cr_expect_not(exists(newfile), "no file was created");
	free(newfile);
	nono_caps_free(caps);
}

Test(landlock_live, write_and_create_in_write_grant)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_WRITE);
	char *newfile = tu_fmt("%s/new", dir_a);
	char *newdir = tu_fmt("%s/sub", dir_a);

	struct job job = { .caps = caps, .op = op_write_a, .a = file_a };
	cr_expect_eq(run_applied(&job), 0,
		     "writing an existing file in a WRITE grant works");
	cr_expect_str_eq(slurp(file_a), "content of a\nmore\n",
			 "the write reached the file");

	job.op = op_create_a;
	job.a = newfile;
	cr_expect_eq(run_applied(&job), 0,
		     "creating a file in a WRITE grant works");
	cr_expect(exists(newfile), "the new file exists");

	job.op = op_mkdir_a;
	job.a = newdir;
	cr_expect_eq(run_applied(&job), 0,
		     "creating a directory in a WRITE grant works");

	job.op = op_read_a;
	job.a = file_a;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a WRITE-only grant does not allow reading");

	job.op = op_write_a;
	job.a = file_b;
	cr_expect_eq(run_applied(&job), EACCES,
		     "writing outside the grant fails with EACCES");
	free(newfile);
	free(newdir);
	nono_caps_free(caps);
}

Test(landlock_live, rename_across_write_grants)
{
	tu_require_abi(2, "renaming across directories (REFER)");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ_WRITE);
	grant_dir(caps, dir_b, NONO_ACCESS_READ_WRITE);
	char *dest = tu_fmt("%s/moved", dir_b);

	struct job job = {
		.caps = caps, .op = op_rename_a_b, .a = file_a, .b = dest
	};
	cr_expect_eq(run_applied(&job), 0,
		     "renaming between two READ_WRITE grants works");
	cr_expect(exists(dest), "the file arrived");
	cr_expect_not(exists(file_a), "the file left its directory");
	free(dest);
	nono_caps_free(caps);
}

Test(landlock_live, rename_out_of_grants_denied)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ_WRITE);
	char *dest = tu_fmt("%s/moved", dir_c);

	struct job job = {
		.caps = caps, .op = op_rename_a_b, .a = file_a, .b = dest
	};
	cr_expect_eq(run_applied(&job), EACCES,
		     "renaming into an ungranted dir fails with EACCES");
	cr_expect(exists(file_a), "the file stayed");
	cr_expect_not(exists(dest), "nothing arrived");
	free(dest);
	nono_caps_free(caps);
}

Test(landlock_live, truncate_denied_in_read_grant)
{
	tu_require_abi(3, "restricting truncate");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);

	struct job job = { .caps = caps, .op = op_truncate_a, .a = file_a };
	cr_expect_eq(run_applied(&job), EACCES,
		     "truncate() in a READ grant fails with EACCES");
	job.op = op_open_trunc_a;
	cr_expect_eq(run_applied(&job), EACCES,
		     "open(O_TRUNC) in a READ grant fails with EACCES");
	cr_expect_str_eq(slurp(file_a), "content of a\n",
			 "the file kept its content");
	nono_caps_free(caps);
}

Test(landlock_live, truncate_allowed_in_write_grant)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ_WRITE);

	struct job job = { .caps = caps, .op = op_truncate_a, .a = file_a };
	cr_expect_eq(run_applied(&job), 0,
		     "truncate() in a READ_WRITE grant works");
	cr_expect_str_eq(slurp(file_a), "", "the file is empty");
	nono_caps_free(caps);
}

/* READ on what a dynamically linked /usr/bin/true needs: /usr, and /lib*
 * where they are not symlinks into /usr (allow_path resolves them). */
static void grant_system(nono_caps *caps)
{
	static const char *const dirs[] = { "/usr", "/lib", "/lib64",
					    "/lib32" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (exists(dirs[i]))
			grant_dir(caps, dirs[i], NONO_ACCESS_READ);
	}
	if (exists("/etc/ld.so.cache"))
		grant_file(caps, "/etc/ld.so.cache", NONO_ACCESS_READ);
}

Test(landlock_live, exec_under_read_grant)
{
	tu_require_abi(1, "filesystem rules");
	cr_assert(exists("/usr/bin/true"), "/usr/bin/true exists");
	nono_caps *caps = caps_new();
	grant_system(caps);

	struct job job = { .caps = caps,
			   .op = op_exec_a,
			   .a = "/usr/bin/true" };
	cr_expect_eq(run_applied(&job), 0,
		     "executing /usr/bin/true under READ grants works");
	nono_caps_free(caps);
}

Test(landlock_live, exec_outside_grants_denied)
{
	tu_require_abi(1, "filesystem rules");
	char *copy = tu_fmt("%s/true", dir_c);
	char *cmd =
		tu_fmt("cp /usr/bin/true '%s' && chmod 755 '%s'", copy, copy);
	cr_assert_eq(system(cmd), 0, "copying /usr/bin/true");

	nono_caps *caps = caps_new();
	grant_system(caps);
	struct job job = { .caps = caps, .op = op_exec_a, .a = copy };
	cr_expect_eq(run_applied(&job), EACCES,
		     "executing a binary outside every grant fails with "
		     "EACCES");

	/* The same copy runs once its directory is granted, so the denial
	 * above came from the sandbox and not from the copy. */
	grant_dir(caps, dir_c, NONO_ACCESS_READ);
	cr_expect_eq(run_applied(&job), 0,
		     "the copy runs under a READ grant on its directory");
	free(cmd);
	free(copy);
	nono_caps_free(caps);
}

Test(landlock_live, allow_file_grants_one_file)
{
	tu_require_abi(1, "filesystem rules");
	char *sibling = tu_fmt("%s/sibling", dir_a);
	tu_write_file(sibling, "sibling\n");
	nono_caps *caps = caps_new();
	grant_file(caps, file_a, NONO_ACCESS_READ);

	struct job job = { .caps = caps, .op = op_read_a, .a = file_a };
	cr_expect_eq(run_applied(&job), 0, "the granted file reads");
	job.a = sibling;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a sibling of the granted file is denied");
	job.op = op_write_a;
	job.a = file_a;
	cr_expect_eq(run_applied(&job), EACCES,
		     "a READ file grant does not allow writing");
	free(sibling);
	nono_caps_free(caps);
}

Test(landlock_live, allow_file_read_write)
{
	tu_require_abi(3, "truncate on a file grant");
	nono_caps *caps = caps_new();
	grant_file(caps, file_a, NONO_ACCESS_READ_WRITE);
	grant_file(caps, "/dev/null", NONO_ACCESS_READ_WRITE);

	/* Directory-only rights must have been masked off the file rules, or
	 * the kernel would have refused them. */
	struct job job = { .caps = caps, .op = op_write_a, .a = file_a };
	cr_expect_eq(run_applied(&job), 0, "a READ_WRITE file grant writes");
	job.op = op_truncate_a;
	cr_expect_eq(run_applied(&job), 0, "a READ_WRITE file grant truncates");
	job.op = op_write_a;
	job.a = "/dev/null";
	cr_expect_eq(run_applied(&job), 0,
		     "a READ_WRITE grant on a device writes");
	nono_caps_free(caps);
}

Test(landlock_live, dev_dir_grant_applies)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, "/dev", NONO_ACCESS_READ_WRITE);

	struct job job = { .caps = caps, .op = op_write_a, .a = "/dev/null" };
	cr_expect_eq(run_applied(&job), 0,
		     "a READ_WRITE grant on /dev applies and writes "
		     "/dev/null");
	nono_caps_free(caps);
}

Test(landlock_live, grandchild_is_confined)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);

	struct job job = {
		.caps = caps, .op = op_grandchild, .a = file_a, .b = file_b
	};
	cr_expect_eq(run_applied(&job), EACCES,
		     "a process forked after apply is denied outside the "
		     "grants (exit %d would mean the granted file did not "
		     "read)",
		     TU_CHILD_SETUP_FAILED);
	nono_caps_free(caps);
}

/* ---- network ---- */

static int loopback_listener(int *port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(s, 0, "socket: %s", strerror(errno));
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = 0,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sin);
	cr_assert_eq(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0,
		     "bind: %s", strerror(errno));
	cr_assert_eq(listen(s, 8), 0, "listen: %s", strerror(errno));
	cr_assert_eq(getsockname(s, (struct sockaddr *)&sin, &len), 0,
		     "getsockname");
	*port = ntohs(sin.sin_port);
	return s;
}

Test(landlock_live, tcp_connect_denied_when_blocked)
{
	tu_require_abi(4, "blocking TCP");
	int port;
	int listener = loopback_listener(&port);
	nono_caps *caps = caps_new();
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");

	struct job job = { .caps = caps, .op = op_connect_port, .port = port };
	cr_expect_eq(run_applied(&job), EACCES,
		     "connect to a loopback listener fails with EACCES when "
		     "the network is blocked");
	job.op = op_bind_any_port;
	cr_expect_eq(run_applied(&job), EACCES,
		     "bind fails with EACCES when the network is blocked");
	close(listener);
	nono_caps_free(caps);
}

Test(landlock_live, tcp_connect_allowed_by_default)
{
	tu_require_abi(1, "filesystem rules");
	int port;
	int listener = loopback_listener(&port);
	nono_caps *caps = caps_new();

	struct job job = { .caps = caps, .op = op_connect_port, .port = port };
	cr_expect_eq(run_applied(&job), 0,
		     "connect works when the network is not blocked");
	close(listener);
	nono_caps_free(caps);
}

/* ---- process-wide effects ---- */

static int pre_nnp_clear(const struct job *job)
{
	(void)job;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0 ? 0 : 1;
}

Test(landlock_live, sets_no_new_privs)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	struct tu_report rep;
	struct job job = { .caps = caps,
			   .pre = pre_nnp_clear,
			   .op = op_nnp_set };
	int status = run_job(&job, &rep);
	if (status == TU_CHILD_SETUP_FAILED)
		tu_skip(0, "no_new_privs is already set by the environment");
	cr_expect_eq(rep.apply_rc, 0, "apply succeeds: %s", rep.message);
	cr_expect_eq(status, 0, "no_new_privs is set after apply");
	nono_caps_free(caps);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int pre_spawn_thread(const struct job *job)
{
	(void)job;
	pthread_t t;
	return pthread_create(&t, NULL, idle_thread, NULL);
}

/* A thread made with clone(2) directly, as a runtime of its own might:
 * the C library does not know of it, the kernel does. It only waits. */
static int raw_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

static int pre_spawn_raw_thread(const struct job *job)
{
	enum { STACK = 64 * 1024 };
	char *stack = malloc(STACK);

	(void)job;
	if (!stack)
		return -1;
	return clone(raw_thread, stack + STACK,
		     CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			     CLONE_THREAD | CLONE_SYSVSEM,
		     NULL) < 0
		       ? -1
		       : 0;
}

/* An outer sandbox whose filter refuses unshare(2), as container runtimes'
 * do, and then a second thread. */
static int pre_no_unshare_thread(const struct job *job)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(insns) / sizeof(insns[0]),
				   .filter = insns };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return -1;
	return pre_spawn_raw_thread(job);
}

/*
 * Applies a sandbox after `pre` made a second thread: refused before ABI 8
 * (the message counting both threads), with TSYNC every thread confined.
 */
static void expect_second_thread_handled(int (*pre)(const struct job *),
					 const char *how)
{
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);
	struct tu_report rep;
	struct job job = {
		.caps = caps, .pre = pre, .op = op_read_a, .a = file_b
	};
	int status = run_job(&job, &rep);
	if (support.features & NONO_FEATURE_ALL_THREADS) {
		cr_expect_eq(rep.apply_rc, 0,
			     "%s: with TSYNC (ABI %d) apply covers all "
			     "threads: %s",
			     how, support.abi, rep.message);
		cr_expect_eq(status, EACCES, "%s: the sandbox holds", how);
	} else {
		cr_expect_eq(rep.apply_rc, NONO_ETHREADS,
			     "%s: a second thread is refused: got %s (%s)", how,
			     nono_strerror(rep.apply_rc), rep.message);
		cr_expect(strstr(rep.message, "2 threads") != NULL,
			  "%s: the message counts both threads: %s", how,
			  rep.message);
		cr_expect_eq(status, TU_CHILD_APPLY_FAILED,
			     "%s: nothing was applied", how);
	}
	nono_caps_free(caps);
}

/* The attack on the thread check: a second thread the C library does not
 * count must be refused as one it does. */
Test(landlock_live, thread_made_by_raw_clone_is_seen)
{
	tu_require_abi(1, "filesystem rules");
	expect_second_thread_handled(pre_spawn_raw_thread, "raw clone()");
}

/* Where unshare(2) is refused, /proc counts the threads instead. */
Test(landlock_live, thread_check_without_unshare_counts_in_proc)
{
	tu_require_abi(1, "filesystem rules");
	expect_second_thread_handled(pre_no_unshare_thread, "unshare filtered");
}

Test(landlock_live, second_thread_needs_this_thread_only)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);
	bool tsync = support.features & NONO_FEATURE_ALL_THREADS;

	struct tu_report rep;
	struct job job = { .caps = caps,
			   .pre = pre_spawn_thread,
			   .op = op_read_a,
			   .a = file_b };
	int status = run_job(&job, &rep);
	if (tsync) {
		cr_expect_eq(rep.apply_rc, 0,
			     "with TSYNC (ABI %d) apply covers all threads: "
			     "%s",
			     support.abi, rep.message);
		cr_expect(rep.result.enforced & NONO_FEATURE_ALL_THREADS,
			  "ALL_THREADS is enforced");
		cr_expect_eq(status, EACCES, "the sandbox holds");
	} else {
		cr_expect_eq(rep.apply_rc, NONO_ETHREADS,
			     "ABI %d without TSYNC refuses a second thread: "
			     "got %s (%s)",
			     support.abi, nono_strerror(rep.apply_rc),
			     rep.message);
		cr_expect(strstr(rep.message, "thread") != NULL,
			  "the message speaks of threads: %s", rep.message);
		cr_expect_eq(status, TU_CHILD_APPLY_FAILED,
			     "nothing was applied");
	}

	job.flags = NONO_APPLY_THIS_THREAD_ONLY;
	status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, 0,
		     "THIS_THREAD_ONLY applies with a second thread: %s",
		     rep.message);
	cr_expect_eq(status, EACCES, "the calling thread is confined");
	if (!tsync) {
		cr_expect(rep.result.dropped & NONO_FEATURE_ALL_THREADS,
			  "ALL_THREADS is reported as dropped");
		cr_expect(strstr(rep.result.dropped_details, "thread") != NULL,
			  "dropped_details speak of the thread: %s",
			  rep.result.dropped_details);
	}
	nono_caps_free(caps);
}

/* ---- strict and best effort ---- */

/* Command lists are enforced (test_deny_live.c tests how): a set with
 * them applies strictly, and the rest of the sandbox holds. */
Test(landlock_live, command_lists_apply_strictly)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);
	cr_assert_eq(nono_caps_block_command(caps, "rm"), 0, "block_command");
	cr_assert_eq(nono_caps_allow_command(caps, "ls"), 0, "allow_command");

	struct tu_report rep;
	struct job job = { .caps = caps, .op = op_read_a, .a = file_b };
	int status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, 0, "command lists apply strictly: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect_eq(status, EACCES, "the sandbox holds");
	cr_expect_str_eq(rep.result.dropped_details, "",
			 "nothing is reported dropped");
	nono_caps_free(caps);
}

/* The features a set with a directory write grant and a blocked network
 * asks for, as the kernel here can or cannot give them. */
static unsigned asked_features(void)
{
	return NONO_FEATURE_FS | NONO_FEATURE_FS_REFER |
	       NONO_FEATURE_FS_TRUNCATE | NONO_FEATURE_NETWORK_TCP;
}

Test(landlock_live, best_effort_result_fields)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ_WRITE);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");

	struct tu_report rep;
	struct job job = { .caps = caps,
			   .flags = NONO_APPLY_BEST_EFFORT,
			   .op = op_read_a,
			   .a = file_b };
	int status = run_job(&job, &rep);
	cr_assert_eq(rep.apply_rc, 0, "best effort applies: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect_eq(status, EACCES, "the sandbox holds");

	const nono_apply_result *r = &rep.result;
	unsigned want_enforced = asked_features() & support.features;
	unsigned want_dropped = asked_features() & ~support.features;
	if (support.features & NONO_FEATURE_FS_IOCTL_DEV)
		want_enforced |= NONO_FEATURE_FS_IOCTL_DEV;
	if (support.features & NONO_FEATURE_ALL_THREADS)
		want_enforced |= NONO_FEATURE_ALL_THREADS;
	/* A new set isolates both scopes wherever the kernel has them. */
	want_enforced |= support.features & (NONO_FEATURE_SCOPE_SIGNAL |
					     NONO_FEATURE_SCOPE_ABSTRACT_UNIX);

	cr_expect_eq(r->abi, support.abi, "result.abi is the kernel's ABI");
	cr_expect_eq(r->enforced, want_enforced,
		     "enforced is 0x%x, expected 0x%x on ABI %d", r->enforced,
		     want_enforced, support.abi);
	cr_expect_eq(r->dropped, want_dropped,
		     "dropped is 0x%x, expected 0x%x on ABI %d", r->dropped,
		     want_dropped, support.abi);
	cr_expect_eq(r->enforced & r->dropped, 0u,
		     "nothing is both enforced and dropped");
	cr_expect_eq(r->dropped_details[0] == '\0', r->dropped == 0,
		     "dropped_details say what was dropped: '%s'",
		     r->dropped_details);
	nono_caps_free(caps);
}

Test(landlock_live, strict_result_fields)
{
	tu_require_abi(1, "filesystem rules");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ_WRITE);
	cr_assert_eq(nono_caps_block_network(caps), 0, "block_network");

	struct tu_report rep;
	struct job job = { .caps = caps, .op = op_read_a, .a = file_b };
	int status = run_job(&job, &rep);
	if ((asked_features() & ~support.features) == 0) {
		cr_expect_eq(rep.apply_rc, 0,
			     "ABI %d enforces all of it strictly: %s",
			     support.abi, rep.message);
		cr_expect_eq(status, EACCES, "the sandbox holds");
		cr_expect_eq(rep.result.dropped, 0u, "nothing dropped");
		cr_expect_str_eq(rep.result.dropped_details, "",
				 "no dropped details");
		cr_expect_eq(rep.result.enforced & asked_features(),
			     asked_features(), "all that was asked for");
	} else {
		cr_expect_eq(rep.apply_rc, NONO_EUNSUPPORTED,
			     "ABI %d cannot enforce it all: %s", support.abi,
			     rep.message);
		cr_expect_eq(status, TU_CHILD_APPLY_FAILED,
			     "nothing was applied");
	}
	nono_caps_free(caps);
}

/* ---- failures before restricting ---- */

Test(landlock_live, removed_grant_fails_and_names_it)
{
	tu_require_abi(1, "filesystem rules");
	char *gone = tu_fmt("%s/gone", root);
	cr_assert_eq(mkdir(gone, 0755), 0, "mkdir");
	nono_caps *caps = caps_new();
	grant_dir(caps, dir_a, NONO_ACCESS_READ);
	grant_dir(caps, gone, NONO_ACCESS_READ);
	cr_assert_eq(rmdir(gone), 0, "rmdir");

	struct tu_report rep;
	struct job job = { .caps = caps,
			   .op = op_read_a,
			   .a = file_b,
			   .op_even_if_apply_fails = true };
	int status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EAPPLY, "apply fails: %s",
		     nono_strerror(rep.apply_rc));
	cr_expect(strstr(rep.message, gone) != NULL, "the message names %s: %s",
		  gone, rep.message);
	cr_expect_eq(status, 0, "the process was left unrestricted");
	job.op = op_nnp_set;
	cr_expect_eq(run_job(&job, &rep), 1, "no_new_privs was not set");
	free(gone);
	nono_caps_free(caps);
}

/*
 * A directory granted, then replaced (by `replace`) before the apply: the
 * apply fails, and its message names the path and says `what_changed`.
 */
static void check_dir_grant_replaced(const char *name,
				     void (*replace)(const char *path),
				     const char *what_changed)
{
	tu_require_abi(1, "filesystem rules");
	char *swapped = tu_fmt("%s/%s", root, name);
	cr_assert_eq(mkdir(swapped, 0755), 0, "mkdir");
	nono_caps *caps = caps_new();
	grant_dir(caps, swapped, NONO_ACCESS_READ);
	cr_assert_eq(rmdir(swapped), 0, "rmdir");
	replace(swapped);

	struct tu_report rep;
	struct job job = { .caps = caps };
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EAPPLY, "apply fails: %s",
		     nono_strerror(rep.apply_rc));
	cr_expect(strstr(rep.message, swapped) != NULL &&
			  strstr(rep.message, what_changed) != NULL,
		  "the message names the path and says what changed: %s",
		  rep.message);
	free(swapped);
	nono_caps_free(caps);
}

static void replace_by_file(const char *path)
{
	tu_write_file(path, "now a file\n");
}

static void replace_by_symlink(const char *path)
{
	cr_assert_eq(symlink(dir_a, path), 0, "symlink");
}

Test(landlock_live, dir_grant_replaced_by_file_fails)
{
	check_dir_grant_replaced("swapped", replace_by_file,
				 "no longer a directory");
}

/* A directory grant is opened with O_DIRECTORY | O_NOFOLLOW, which a
 * symlink to a directory fails with ENOTDIR like a file does: the message
 * still says what the path has become. */
Test(landlock_live, dir_grant_replaced_by_symlink_fails)
{
	check_dir_grant_replaced("swapped-link", replace_by_symlink,
				 "now a symbolic link");
}

Test(landlock_live, invalid_arguments)
{
	struct tu_report rep;
	struct job job = { .caps = NULL,
			   .op = op_read_a,
			   .a = file_b,
			   .op_even_if_apply_fails = true };
	int status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EINVAL, "NULL caps: NONO_EINVAL");
	cr_expect_eq(status, 0, "nothing was restricted");

	nono_caps *caps = caps_new();
	job.caps = caps;
	job.flags = 1u << 30;
	status = run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EINVAL,
		     "unknown flags: NONO_EINVAL (%s)", rep.message);
	cr_expect_eq(status, 0, "nothing was restricted");
	nono_caps_free(caps);
}
