// SPDX-License-Identifier: Apache-2.0
/*
 * Live tests of deny rules, blocked commands and exec_writable = false: a
 * forked child applies a capability set and runs a list of operations;
 * the parent checks the apply report and the result of each operation,
 * which the child sends back through a pipe. The Criterion process itself
 * is never sandboxed.
 *
 * An operation's result is 0 when it worked, the errno when it failed; a
 * program run with OP_RUN gives its exit status (and 100 + errno when it
 * could not be executed at all).
 *
 * The tree each test starts with, under a fresh directory T:
 *   T/home/top.txt          a file in a directory on the way to .ssh
 *   T/home/.ssh/id          the usual thing to deny
 *   T/home/.ssh/sub/deep
 *   T/home/.gnupg/key
 *   T/home/docs/a.txt, T/home/docs/sub/b.txt
 *   T/home/loop -> .        a link to its own directory, as /usr/bin/X11
 *   T/out/f                 granted nothing
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers/testutil.h"
#include "libnono.h"

#define EXEC_FAILED_BASE 100
#define MAX_OPS TU_MAX_RESULTS

#define LDSO "/lib64/ld-linux-x86-64.so.2"

enum op_kind {
	OP_READ,    /* open a and read a byte */
	OP_LIST,    /* opendir a and read it */
	OP_WRITE,   /* open a existing for append and write */
	OP_CREATE,  /* create a new file a */
	OP_MKDIR,   /* mkdir a */
	OP_RENAME,  /* rename a to b */
	OP_LINK,    /* hard link a as b */
	OP_SYMLINK, /* symlink b pointing to a */
	OP_UNLINK,  /* unlink a */
	OP_RMDIR,   /* rmdir a */
	OP_RUN,	    /* run argv, give its exit status */
	OP_WAIT,    /* tell the parent, wait for its go-ahead */
};

struct op {
	enum op_kind kind;
	const char *a;
	const char *b;
	const char *argv[8];
	int want;	  /* the expected result */
	const char *what; /* for messages */
};

struct job {
	const nono_caps *caps;
	unsigned flags;
	const struct op *ops;
	size_t nops;
	int go_fd;   /* OP_WAIT reads a byte here */
	int wait_fd; /* OP_WAIT writes a byte here */
	/* Run in the child before the apply (NULL: nothing); non-zero ends
	 * the child with TU_CHILD_SETUP_FAILED. */
	int (*before)(const void *arg);
	const void *before_arg;
	/* In the parent while the child runs (NULL: nothing). */
	void (*meanwhile)(void *arg);
};

static nono_support_info support;
static char *T;

/* A T-relative path, the tree's until teardown. */
#define at(rel) tu_at(rel)

static void setup(void)
{
	cr_assert_eq(nono_support_info_get(&support), 0, "support info");
	T = tu_tree_make();
	tu_mkdir(at("home"));
	tu_mkdir(at("home/.ssh"));
	tu_mkdir(at("home/.ssh/sub"));
	tu_mkdir(at("home/.gnupg"));
	tu_mkdir(at("home/docs"));
	tu_mkdir(at("home/docs/sub"));
	tu_mkdir(at("out"));
	tu_write_file(at("home/top.txt"), "top\n");
	tu_write_file(at("home/.ssh/id"), "private key\n");
	tu_write_file(at("home/.ssh/sub/deep"), "deep\n");
	tu_write_file(at("home/.gnupg/key"), "gpg key\n");
	tu_write_file(at("home/docs/a.txt"), "a\n");
	tu_write_file(at("home/docs/sub/b.txt"), "b\n");
	tu_write_file(at("out/f"), "out\n");
	cr_assert_eq(symlink(".", at("home/loop")), 0, "symlink loop");
}

static void teardown(void)
{
	tu_tree_remove();
}

TestSuite(deny_live, .init = setup, .fini = teardown);

static int errno_code(void)
{
	return errno > 0 && errno < 100 ? errno : 99;
}

static int run_program(const char *const *argv)
{
	char *const envp[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	pid_t pid = fork();
	int ws;

	if (pid < 0)
		return TU_CHILD_SETUP_FAILED;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

		/* Quiet: the messages of a denied rm are expected. */
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(argv[0], (char *const *)argv, envp);
		_exit(EXEC_FAILED_BASE + errno_code());
	}
	if (waitpid(pid, &ws, 0) < 0)
		return TU_CHILD_SETUP_FAILED;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static int do_op(const struct job *job, const struct op *op)
{
	char c;
	int fd, rc;
	DIR *d;

	switch (op->kind) {
	case OP_READ:
		fd = open(op->a, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno_code();
		rc = read(fd, &c, 1) == 1 ? 0 : errno_code();
		close(fd);
		return rc;
	case OP_LIST:
		d = opendir(op->a);
		if (!d)
			return errno_code();
		errno = 0;
		while (readdir(d))
			;
		rc = errno ? errno_code() : 0;
		closedir(d);
		return rc;
	case OP_WRITE:
		fd = open(op->a, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return errno_code();
		rc = write(fd, "x\n", 2) == 2 ? 0 : errno_code();
		close(fd);
		return rc;
	case OP_CREATE:
		fd = open(op->a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return errno_code();
		close(fd);
		return 0;
	case OP_MKDIR:
		return mkdir(op->a, 0755) == 0 ? 0 : errno_code();
	case OP_RENAME:
		return rename(op->a, op->b) == 0 ? 0 : errno_code();
	case OP_LINK:
		return link(op->a, op->b) == 0 ? 0 : errno_code();
	case OP_SYMLINK:
		return symlink(op->a, op->b) == 0 ? 0 : errno_code();
	case OP_UNLINK:
		return unlink(op->a) == 0 ? 0 : errno_code();
	case OP_RMDIR:
		return rmdir(op->a) == 0 ? 0 : errno_code();
	case OP_RUN:
		return run_program(op->argv);
	case OP_WAIT:
		if (write(job->wait_fd, "w", 1) != 1 ||
		    read(job->go_fd, &c, 1) != 1)
			return TU_CHILD_SETUP_FAILED;
		return 0;
	}
	return TU_CHILD_SETUP_FAILED;
}

static int job_before(void *arg)
{
	const struct job *job = arg;

	return job->before(job->before_arg);
}

/* In the child, after the apply: runs the ops, sending each result. */
static int job_ops(void *arg)
{
	const struct job *job = arg;

	for (size_t i = 0; i < job->nops; i++)
		if (tu_send_result(do_op(job, &job->ops[i])) != 0)
			return TU_CHILD_SETUP_FAILED;
	return 0;
}

/* Forks, applies in the child, runs the ops; fills rep, whose results are
 * the ops' when the apply worked. */
static int run_job(struct job *job, struct tu_report *rep)
{
	const struct tu_apply a = {
		.caps = job->caps,
		.flags = job->flags,
		.pre = job->before ? job_before : NULL,
		.op = job_ops,
		.meanwhile = job->meanwhile,
		.arg = job,
	};
	int status = tu_apply_in_child(&a, rep);

	if (rep->apply_rc == 0)
		cr_assert_eq(rep->nresults, job->nops,
			     "the child reports every op (status %d)", status);
	return status;
}

/* Applies caps in a child, runs the ops, and checks every result. */
static void expect_ops(const nono_caps *caps, unsigned flags,
		       const struct op *ops, size_t nops)
{
	struct job job = {
		.caps = caps, .flags = flags, .ops = ops, .nops = nops
	};
	struct tu_report rep;
	int status;

	cr_assert_leq(nops, (size_t)MAX_OPS, "few enough ops");
	status = run_job(&job, &rep);
	cr_assert_eq(rep.apply_rc, 0, "nono_apply succeeds: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_assert_eq(status, 0, "the child ran every op (status %d)", status);
	/* Results under 100 are errno values, the rest exit statuses. */
	for (size_t i = 0; i < nops; i++)
		cr_expect_eq(rep.results[i], ops[i].want,
			     "%s: got %d (%s), want %d (%s)", ops[i].what,
			     rep.results[i],
			     rep.results[i] < 100 ? strerror(rep.results[i])
						  : "status",
			     ops[i].want,
			     ops[i].want < 100 ? strerror(ops[i].want)
					       : "status");
}

#define EXPECT_OPS(caps, flags, ...)                        \
	do {                                                \
		const struct op ops_[] = { __VA_ARGS__ };   \
		expect_ops((caps), (flags), ops_,           \
			   sizeof(ops_) / sizeof(ops_[0])); \
	} while (0)

static nono_caps *caps_new(void)
{
	nono_caps *caps = NULL;

	cr_assert_eq(nono_caps_new(&caps), 0, "nono_caps_new");
	return caps;
}

static void grant(nono_caps *caps, const char *rel, nono_access mode)
{
	char *p = at(rel);
	int rc = nono_caps_allow_path(caps, p, mode);

	cr_assert_eq(rc, 0, "allow_path %s: %s", p, nono_strerror(rc));
}

static void deny(nono_caps *caps, const char *rel)
{
	char *p = at(rel);
	int rc = nono_caps_deny_path(caps, p);

	cr_assert_eq(rc, 0, "deny_path %s: %s", p, nono_strerror(rc));
}

/* READ on what a dynamically linked program needs: /usr, and /lib* where
 * they are not symlinks into /usr (allow_path resolves them). */
static void grant_system(nono_caps *caps)
{
	static const char *const dirs[] = { "/usr", "/lib", "/lib64" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (tu_exists(dirs[i]))
			cr_assert_eq(nono_caps_allow_path(caps, dirs[i],
							  NONO_ACCESS_READ),
				     0, "grant %s", dirs[i]);
	if (tu_exists("/etc/ld.so.cache"))
		cr_assert_eq(nono_caps_allow_file(caps, "/etc/ld.so.cache",
						  NONO_ACCESS_READ),
			     0, "grant ld.so.cache");
	cr_assert_eq(
		nono_caps_allow_file(caps, "/dev/null", NONO_ACCESS_READ_WRITE),
		0, "grant /dev/null");
}

/* A T-relative path for the op tables, freed in teardown. */
#define P(rel) at(rel)

/* ---- deny: the rest of the tree ------------------------------------- */

Test(deny_live, rest_of_tree_keeps_its_access)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "read a file beside the denied directory's "
			     "branch" },
		   { OP_READ, P("home/docs/sub/b.txt"), .want = 0,
		     .what = "read deeper" },
		   { OP_WRITE, P("home/docs/a.txt"), .want = 0,
		     .what = "write a file in docs" },
		   { OP_CREATE, P("home/docs/new"), .want = 0,
		     .what = "create in docs" },
		   { OP_MKDIR, P("home/docs/newdir"), .want = 0,
		     .what = "mkdir in docs" },
		   { OP_LIST, P("home/docs"), .want = 0, .what = "list docs" },
		   { OP_RENAME, P("home/docs/new"), P("home/docs/sub/moved"),
		     .want = 0, .what = "rename inside docs" },
		   { OP_UNLINK, P("home/docs/sub/moved"), .want = 0,
		     .what = "remove inside docs" },
		   { OP_READ, P("home/top.txt"), .want = 0,
		     .what = "read an existing file in the home directory "
			     "itself" },
		   { OP_WRITE, P("home/top.txt"), .want = 0,
		     .what = "write an existing file in the home directory" },
		   { OP_READ, P("home/.gnupg/key"), .want = 0,
		     .what = "a sibling directory not denied" },
		   { OP_READ, P("out/f"), .want = EACCES,
		     .what = "outside every grant" });
	nono_caps_free(caps);
}

Test(deny_live, denied_directory_cannot_be_used)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");

	EXPECT_OPS(
		caps, 0,
		{ OP_READ, P("home/.ssh/id"), .want = EACCES,
		  .what = "read the denied directory's file" },
		{ OP_READ, P("home/.ssh/sub/deep"), .want = EACCES,
		  .what = "read deeper in it" },
		{ OP_LIST, P("home/.ssh"), .want = EACCES, .what = "list it" },
		{ OP_LIST, P("home/.ssh/sub"), .want = EACCES,
		  .what = "list beneath it" },
		{ OP_WRITE, P("home/.ssh/id"), .want = EACCES,
		  .what = "write its file" },
		{ OP_CREATE, P("home/.ssh/authorized_keys"), .want = EACCES,
		  .what = "create in it" },
		{ OP_UNLINK, P("home/.ssh/id"), .want = EACCES,
		  .what = "remove its file" },
		{ OP_READ, P("home/loop/.ssh/id"), .want = EACCES,
		  .what = "reach it through a symlink to its parent" });
	cr_assert(tu_exists(P("home/.ssh/id")), "the key is still there");
	cr_assert(!tu_exists(P("home/.ssh/authorized_keys")),
		  "nothing was created");
	nono_caps_free(caps);
}

Test(deny_live, denied_directory_cannot_be_moved_or_replaced)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	cr_assert_eq(symlink("/tmp", P("home/docs/link")), 0, "a symlink");

	EXPECT_OPS(caps, 0,
		   { OP_RENAME, P("home/.ssh"), P("home/moved"), .want = EACCES,
		     .what = "rename it away in place" },
		   { OP_RENAME, P("home/.ssh"), P("home/docs/moved"),
		     .want = EACCES, .what = "rename it into docs" },
		   { OP_RENAME, P("home/.ssh/id"), P("home/docs/id"),
		     .want = EACCES, .what = "move its file out" },
		   /* Landlock says EXDEV where only the cross-directory
		    * part (REFER) is refused; either way, no link. */
		   { OP_LINK, P("home/.ssh/id"), P("home/docs/id"),
		     .want = EXDEV, .what = "hard-link its file out" },
		   { OP_RENAME, P("home/docs/link"), P("home/.ssh"),
		     .want = EACCES, .what = "rename a symlink onto its name" },
		   { OP_RENAME, P("home/docs/sub"), P("home/.ssh"),
		     .want = EACCES,
		     .what = "rename a sibling directory onto it" },
		   { OP_RENAME, P("home/docs/a.txt"), P("home/.ssh/id"),
		     .want = EACCES, .what = "rename a file onto its file" },
		   { OP_LINK, P("home/docs/a.txt"), P("home/.ssh/a"),
		     .want = EACCES, .what = "hard-link a file into it" },
		   { OP_SYMLINK, "/tmp", P("home/.ssh/evil"), .want = EACCES,
		     .what = "create a symlink in it" },
		   { OP_RMDIR, P("home/.ssh/sub"), .want = EACCES,
		     .what = "remove a directory in it" });
	cr_assert(tu_exists(P("home/.ssh/id")), "the key is still there");
	cr_assert(tu_exists(P("home/docs/a.txt")), "a.txt did not move");
	nono_caps_free(caps);
}

/* The price of enforcement: a rule on a directory on the way would reach
 * the denied path, so those directories have none. */
Test(deny_live, directories_on_the_way_lose_listing_and_creating)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");

	EXPECT_OPS(caps, 0,
		   { OP_LIST, P("home"), .want = EACCES,
		     .what = "list the home directory" },
		   { OP_CREATE, P("home/new.txt"), .want = EACCES,
		     .what = "create a file in the home directory" },
		   { OP_MKDIR, P("home/newdir"), .want = EACCES,
		     .what = "mkdir in the home directory" },
		   { OP_UNLINK, P("home/top.txt"), .want = EACCES,
		     .what = "remove a file of the home directory" },
		   { OP_RENAME, P("home/top.txt"), P("home/top2.txt"),
		     .want = EACCES,
		     .what = "rename within the home directory" },
		   { OP_WRITE, P("home/top.txt"), .want = 0,
		     .what = "but its existing file still writes" });
	nono_caps_free(caps);
}

/* The pipes of entries_created_later_on_the_way_get_nothing. */
static int late_wait[2], late_go[2];

/* In the parent while the child runs: waits until it applied, makes the
 * files from outside the sandbox and lets the child go on. */
static void make_late_files(void *arg)
{
	char c;

	(void)arg;
	/* The child's ends: a child that dies before it writes must give
	 * the parent EOF, not a read that never returns. */
	close(late_wait[1]);
	close(late_go[0]);
	cr_assert_eq(read(late_wait[0], &c, 1), 1, "the child applied");
	tu_write_file(P("home/late.txt"), "late\n");
	tu_write_file(P("home/docs/late.txt"), "late\n");
	cr_assert_eq(write(late_go[1], "g", 1), 1, "go");
}

Test(deny_live, entries_created_later_on_the_way_get_nothing)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	const struct op ops[] = {
		{ OP_READ, P("home/top.txt"), .want = 0, .what = "before" },
		{ OP_WAIT, .want = 0, .what = "wait for the parent" },
		{ OP_READ, P("home/late.txt"), .want = EACCES,
		  .what = "a file made after apply in the home directory" },
		{ OP_READ, P("home/docs/late.txt"), .want = 0,
		  .what = "a file made after apply in docs" },
	};
	struct tu_report rep;

	cr_assert_eq(pipe2(late_wait, O_CLOEXEC), 0, "pipe");
	cr_assert_eq(pipe2(late_go, O_CLOEXEC), 0, "pipe");
	/* The child applies, tells the parent; the parent creates the
	 * files from outside the sandbox and lets it go on. */
	struct job job = { .caps = caps,
			   .ops = ops,
			   .nops = 4,
			   .go_fd = late_go[0],
			   .wait_fd = late_wait[1],
			   .meanwhile = make_late_files };
	run_job(&job, &rep);
	close(late_wait[0]);
	close(late_go[1]);
	cr_assert_eq(rep.apply_rc, 0, "apply: %s", rep.message);
	for (size_t i = 0; i < 4; i++)
		cr_expect_eq(rep.results[i], ops[i].want, "%s: got %d, want %d",
			     ops[i].what, rep.results[i], ops[i].want);
	nono_caps_free(caps);
}

Test(deny_live, deny_of_one_file)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	tu_write_file(P("home/docs/secret.txt"), "secret\n");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/docs/secret.txt");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/docs/secret.txt"), .want = EACCES,
		     .what = "read the denied file" },
		   { OP_WRITE, P("home/docs/secret.txt"), .want = EACCES,
		     .what = "write the denied file" },
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "read its sibling" },
		   { OP_WRITE, P("home/docs/a.txt"), .want = 0,
		     .what = "write its sibling" },
		   { OP_READ, P("home/docs/sub/b.txt"), .want = 0,
		     .what = "read beneath a sibling directory" },
		   { OP_CREATE, P("home/docs/sub/c.txt"), .want = 0,
		     .what = "create beneath a sibling directory" },
		   { OP_RENAME, P("home/docs/a.txt"), P("home/docs/secret.txt"),
		     .want = EACCES, .what = "replace it by a rename" },
		   { OP_UNLINK, P("home/docs/secret.txt"), .want = EACCES,
		     .what = "remove it" },
		   { OP_LIST, P("home/docs"), .want = EACCES,
		     .what = "its directory is on the way" },
		   { OP_READ, P("home/.ssh/id"), .want = 0,
		     .what = "another branch is untouched" });
	nono_caps_free(caps);
}

Test(deny_live, several_denies_in_one_tree)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	deny(caps, "home/.gnupg");
	deny(caps, "home/docs/sub/b.txt");

	EXPECT_OPS(
		caps, 0,
		{ OP_READ, P("home/.ssh/id"), .want = EACCES, .what = ".ssh" },
		{ OP_READ, P("home/.gnupg/key"), .want = EACCES,
		  .what = ".gnupg" },
		{ OP_READ, P("home/docs/sub/b.txt"), .want = EACCES,
		  .what = "a denied file two levels down" },
		{ OP_READ, P("home/docs/a.txt"), .want = 0,
		  .what = "a file on the way to it" },
		{ OP_WRITE, P("home/top.txt"), .want = 0,
		  .what = "a file in the home directory" });
	nono_caps_free(caps);
}

Test(deny_live, deny_through_a_symlink_denies_its_target)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	nono_deny_cap d;
	char *real = NULL;

	cr_assert_eq(symlink(".ssh", P("home/ssh-link")), 0, "symlink");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/ssh-link");
	cr_assert_eq(nono_caps_deny_at(caps, 0, &d), 0, "deny_get");
	real = realpath(P("home/.ssh"), NULL);
	cr_assert_str_eq(d.resolved, real, "the target is what is denied");
	cr_assert_str_eq(d.original, P("home/ssh-link"),
			 "the spelling is kept");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/.ssh/id"), .want = EACCES,
		     .what = "the target" },
		   { OP_READ, P("home/ssh-link/id"), .want = EACCES,
		     .what = "through the link" },
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "the rest" });
	free(real);
	nono_caps_free(caps);
}

/* The Debian /usr/bin/X11 trap: a symlink entry must not become a rule,
 * or a link to "." would grant the whole directory back. */
Test(deny_live, symlink_entries_grant_nothing_back)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	cr_assert_eq(symlink(".", P("home/docs/self")), 0, "symlink");
	tu_write_file(P("home/docs/secret.txt"), "secret\n");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/docs/secret.txt");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/docs/self/secret.txt"), .want = EACCES,
		     .what = "the denied file through docs/self -> ." },
		   { OP_READ, P("home/loop/docs/secret.txt"), .want = EACCES,
		     .what = "through home/loop -> ." },
		   { OP_LIST, P("home/docs/self"), .want = EACCES,
		     .what = "listing docs through the link" },
		   { OP_READ, P("home/docs/self/a.txt"), .want = 0,
		     .what = "a sibling through the link" });
	nono_caps_free(caps);
}

Test(deny_live, grant_beneath_a_deny_stands)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	char *id = P("home/.ssh/id");

	tu_write_file(P("home/.ssh/id.pub"), "public key\n");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	cr_assert_eq(nono_caps_allow_file(caps, P("home/.ssh/id.pub"),
					  NONO_ACCESS_READ),
		     0, "allow_file");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/.ssh/id.pub"), .want = 0,
		     .what = "the explicit grant beneath the deny" },
		   { OP_WRITE, P("home/.ssh/id.pub"), .want = EACCES,
		     .what = "only what it grants" },
		   { OP_READ, id, .want = EACCES,
		     .what = "its sibling stays denied" });
	nono_caps_free(caps);
}

Test(deny_live, deny_at_a_granted_path_wins)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	grant(caps, "home/.ssh", NONO_ACCESS_READ);
	deny(caps, "home/.ssh");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/.ssh/id"), .want = EACCES,
		     .what = "deny and grant of the same path" },
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "the rest" });
	nono_caps_free(caps);
}

Test(deny_live, read_only_grant_with_a_deny)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ);
	deny(caps, "home/.gnupg");

	EXPECT_OPS(
		caps, 0,
		{ OP_READ, P("home/.gnupg/key"), .want = EACCES,
		  .what = "denied" },
		{ OP_READ, P("home/.ssh/id"), .want = 0, .what = "readable" },
		{ OP_WRITE, P("home/.ssh/id"), .want = EACCES,
		  .what = "still read-only" });
	nono_caps_free(caps);
}

/* A grant of "/" is split at every level down to the denied path: the
 * entries of "/" (mount points of procfs, sysfs and the like among them)
 * each take a rule. */
Test(deny_live, deny_beneath_a_grant_of_the_root)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	cr_assert_eq(nono_caps_allow_path(caps, "/", NONO_ACCESS_READ), 0,
		     "grant /");
	deny(caps, "home/.ssh");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/.ssh/id"), .want = EACCES,
		     .what = "denied" },
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "a sibling branch" },
		   { OP_LIST, "/usr/bin", .want = 0,
		     .what = "another branch of /" },
		   { OP_RUN, .argv = { "/usr/bin/true" }, .want = 0,
		     .what = "programs run" },
		   { OP_LIST, "/", .want = EACCES, .what = "/ is on the way" });
	nono_caps_free(caps);
}

Test(deny_live, deny_outside_every_grant_changes_nothing)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home/docs", NONO_ACCESS_READ_WRITE);
	deny(caps, "out");

	EXPECT_OPS(caps, 0,
		   { OP_LIST, P("home/docs"), .want = 0,
		     .what = "the grant is whole: it lists" },
		   { OP_CREATE, P("home/docs/n"), .want = 0,
		     .what = "and creates" },
		   { OP_READ, P("out/f"), .want = EACCES,
		     .what = "out was never granted" });
	nono_caps_free(caps);
}

Test(deny_live, denied_path_removed_before_apply)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.gnupg");
	tu_rm_rf(P("home/.gnupg"));

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "applies, and the rest works" },
		   { OP_MKDIR, P("home/.gnupg"), .want = EACCES,
		     .what = "it cannot be made again" });
	nono_caps_free(caps);
}

Test(deny_live, split_grant_removed_before_apply_fails)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	struct tu_report rep;
	grant(caps, "home/docs", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/docs/sub");
	tu_rm_rf(P("home/docs"));

	struct job job = { .caps = caps };
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EAPPLY, "apply fails: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect(strstr(rep.message, "home/docs") != NULL,
		  "the message names the grant: %s", rep.message);
	nono_caps_free(caps);
}

Test(deny_live, hard_link_in_the_same_directory_is_denied_too)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	tu_write_file(P("home/docs/secret.txt"), "secret\n");
	cr_assert_eq(link(P("home/docs/secret.txt"), P("home/docs/alias")), 0,
		     "link");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/docs/secret.txt");

	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/docs/alias"), .want = EACCES,
		     .what = "the other name in the same directory" },
		   { OP_READ, P("home/docs/a.txt"), .want = 0,
		     .what = "a sibling" });
	nono_caps_free(caps);
}

Test(deny_live, hard_link_elsewhere_is_reported)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	struct tu_report rep;
	tu_write_file(P("home/docs/secret.txt"), "secret\n");
	cr_assert_eq(link(P("home/docs/secret.txt"), P("home/alias")), 0,
		     "link");
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/docs/secret.txt");

	struct job job = { .caps = caps };
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EUNSUPPORTED,
		     "strict apply refuses what it cannot enforce exactly: "
		     "%s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect(strstr(rep.message, "hard link") != NULL,
		  "the message says why: %s", rep.message);

	job.flags = NONO_APPLY_BEST_EFFORT;
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, 0, "best effort applies: %s", rep.message);
	cr_expect(strstr(rep.result.dropped_details, "secret.txt") != NULL,
		  "and reports it: %s", rep.result.dropped_details);
	nono_caps_free(caps);
}

/* ---- deny of a directory: other names of what is in it ------------- */

/*
 * Applies with `flags` and runs `ops` when the apply works; checks the
 * apply's result code and that the report (the error message, or with
 * best effort the dropped details) contains `says`.
 */
static void expect_apply(const nono_caps *caps, unsigned flags, int want_rc,
			 const char *says, const struct op *ops, size_t nops,
			 int (*before)(const void *), const void *before_arg)
{
	struct job job = { .caps = caps,
			   .flags = flags,
			   .ops = ops,
			   .nops = nops,
			   .before = before,
			   .before_arg = before_arg };
	struct tu_report rep;
	const char *text;
	int status;

	cr_assert_leq(nops, (size_t)MAX_OPS, "few enough ops");
	status = run_job(&job, &rep);
	cr_assert_neq(status, TU_CHILD_SETUP_FAILED, "the child's setup works");
	cr_assert_eq(rep.apply_rc, want_rc, "nono_apply: got %s (%s), want %s",
		     nono_strerror(rep.apply_rc), rep.message,
		     nono_strerror(want_rc));
	text = rep.apply_rc ? rep.message : rep.result.dropped_details;
	cr_expect(strstr(text, says) != NULL, "the report says \"%s\": %s",
		  says, text);
	for (size_t i = 0; rep.apply_rc == 0 && i < nops; i++)
		cr_expect_eq(rep.results[i], ops[i].want,
			     "%s: got %d (%s), want %d (%s)", ops[i].what,
			     rep.results[i], strerror(rep.results[i]),
			     ops[i].want, strerror(ops[i].want));
}

#define EXPECT_APPLY(caps, flags, rc, says, before, arg, ...)                  \
	do {                                                                   \
		const struct op ops_[] = { __VA_ARGS__ };                      \
		expect_apply((caps), (flags), (rc), (says), ops_,              \
			     sizeof(ops_) / sizeof(ops_[0]), (before), (arg)); \
	} while (0)

/* The other name as an entry of a directory on the way: it gets no rule,
 * so with best effort the file is unreachable by either name. */
Test(deny_live, denied_directory_with_a_hard_link_beside_the_way)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");

	/* Without the link, the deny is exact and strict apply works. */
	EXPECT_OPS(
		caps, 0,
		{ OP_READ, P("home/.ssh/id"), .want = EACCES,
		  .what = "the denied file" },
		{ OP_READ, P("home/top.txt"), .want = 0, .what = "a sibling" });

	cr_assert_eq(link(P("home/.ssh/id"), P("home/alias")), 0, "link");
	EXPECT_APPLY(caps, 0, NONO_EUNSUPPORTED, P("home/.ssh/id"), NULL, NULL,
		     { OP_READ, P("home/alias"),
		       .what = "not run: the apply fails" });
	EXPECT_APPLY(caps, NONO_APPLY_BEST_EFFORT, 0, P("home/.ssh/id"), NULL,
		     NULL,
		     { OP_READ, P("home/.ssh/id"), .want = EACCES,
		       .what = "the denied name" },
		     { OP_READ, P("home/alias"), .want = EACCES,
		       .what = "the other name, left without a rule" },
		     { OP_WRITE, P("home/alias"), .want = EACCES,
		       .what = "nor written" },
		     { OP_READ, P("home/top.txt"), .want = 0,
		       .what = "a sibling keeps its rule" },
		     { OP_READ, P("home/docs/a.txt"), .want = 0,
		       .what = "and the rest of the tree" });
	nono_caps_free(caps);
}

/* The other name deeper, in a directory that has a rule: strict refuses;
 * best effort applies and, as documented, leaves it reachable there. */
Test(deny_live, denied_directory_with_a_hard_link_deeper_in_the_grant)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	cr_assert_eq(link(P("home/.ssh/sub/deep"), P("home/docs/sub/alias")), 0,
		     "link");
	char *says = tu_fmt("%s has 2 hard links", P("home/.ssh/sub/deep"));

	EXPECT_APPLY(caps, 0, NONO_EUNSUPPORTED, P("home/.ssh/sub/deep"), NULL,
		     NULL,
		     { OP_READ, P("home/docs/sub/alias"),
		       .what = "not run: the apply fails" });
	EXPECT_APPLY(caps, NONO_APPLY_BEST_EFFORT, 0, says, NULL, NULL,
		     { OP_READ, P("home/.ssh/sub/deep"), .want = EACCES,
		       .what = "the denied name" },
		     { OP_READ, P("home/.ssh/id"), .want = EACCES,
		       .what = "the rest of the denied tree" },
		     { OP_READ, P("home/docs/sub/alias"), .want = 0,
		       .what = "the other name, as reported (docs/deny.md)" });
	nono_caps_free(caps);
	free(says);
}

/* Where the other name is cannot be known without a scan, so a link
 * outside every grant is refused too. */
Test(deny_live, denied_directory_with_a_hard_link_outside_every_grant)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/.ssh");
	cr_assert_eq(link(P("home/.ssh/id"), P("out/alias")), 0, "link");

	EXPECT_APPLY(caps, 0, NONO_EUNSUPPORTED, P("home/.ssh/id"), NULL, NULL,
		     { OP_READ, P("out/alias"),
		       .what = "not run: the apply fails" });
	EXPECT_APPLY(caps, NONO_APPLY_BEST_EFFORT, 0, P("home/.ssh/id"), NULL,
		     NULL,
		     { OP_READ, P("home/.ssh/id"), .want = EACCES,
		       .what = "the denied name" },
		     { OP_READ, P("out/alias"), .want = EACCES,
		       .what = "the other name, granted nothing" });
	nono_caps_free(caps);
}

/* ---- deny and bind mounts --------------------------------------------- */

struct bind {
	const char *what;
	const char *src; /* bind-mounted ... */
	const char *dst; /* ... onto this sibling, inside the grant */
	const char *deny;
	const char *victim; /* a denied file, by its own name */
	const char *via;    /* the same file through the mount */
};

/* In the child: a private mount namespace with src bound onto dst. */
static int bind_in_new_namespace(const void *arg)
{
	const struct bind *b = arg;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return 1;
	return mount(b->src, b->dst, NULL, MS_BIND, NULL) < 0 ? 2 : 0;
}

static int can_unshare(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWNS) == 0 ? 0 : 1;
}

/*
 * Each sibling below is the same object as something a rule on it would
 * give the denied file to: a directory on the way, the grant, a directory
 * above the grant, the denied directory, a directory or a file inside it.
 * Without the check, the denied file was readable by its own name.
 */
Test(deny_live, bind_mount_of_what_a_deny_protects_is_refused)
{
	tu_require_landlock();
	if (tu_in_child(can_unshare, NULL) != 0)
		cr_skip_test("no mount namespace here (needs CAP_SYS_ADMIN)");
	tu_mkdir(P("home/mnt"));
	tu_write_file(P("home/mntf"), "a file to mount onto\n");
	const struct bind cases[] = {
		{ "a directory on the way", P("home/.ssh"), P("home/mnt"),
		  "home/.ssh/sub", P("home/.ssh/sub/deep"),
		  P("home/mnt/sub/deep") },
		{ "the grant", P("home"), P("home/mnt"), "home/.ssh",
		  P("home/.ssh/id"), P("home/mnt/.ssh/id") },
		{ "a directory above the grant", T, P("home/mnt"), "home/.ssh",
		  P("home/.ssh/id"), P("home/mnt/home/.ssh/id") },
		{ "the denied directory", P("home/.ssh"), P("home/mnt"),
		  "home/.ssh", P("home/.ssh/id"), P("home/mnt/id") },
		{ "a directory in the denied tree", P("home/.ssh/sub"),
		  P("home/mnt"), "home/.ssh", P("home/.ssh/sub/deep"),
		  P("home/mnt/deep") },
		{ "a file in the denied tree", P("home/.ssh/id"),
		  P("home/mntf"), "home/.ssh", P("home/.ssh/id"),
		  P("home/mntf") },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bind *b = &cases[i];
		nono_caps *caps = caps_new();

		cr_log_info("bind mount of %s", b->what);
		grant(caps, "home", NONO_ACCESS_READ_WRITE);
		deny(caps, b->deny);
		EXPECT_APPLY(caps, 0, NONO_EUNSUPPORTED, "a bind mount",
			     bind_in_new_namespace, b,
			     { OP_READ, b->victim,
			       .what = "not run: the apply fails" });
		EXPECT_APPLY(caps, NONO_APPLY_BEST_EFFORT, 0, "a bind mount",
			     bind_in_new_namespace, b,
			     { OP_READ, b->victim, .want = EACCES,
			       .what = "the denied file by its own name" },
			     { OP_READ, b->via, .want = EACCES,
			       .what = "the denied file through the mount" },
			     { OP_READ, P("home/docs/a.txt"), .want = 0,
			       .what = "the rest of the grant" });
		nono_caps_free(caps);
	}
}

/* ---- blocked commands ------------------------------------------------ */

static void require_rm(void)
{
	tu_require_landlock();
	if (!tu_exists("/usr/bin/rm") || !tu_exists("/bin/sh"))
		cr_skip_test("needs /usr/bin/rm and /bin/sh");
}

/* The system, the test tree read-write, and rm blocked (resolved on
 * PATH=/usr/bin:/bin as the loader would). */
static nono_caps *caps_block_rm(void)
{
	nono_caps *caps = caps_new();
	const char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;

	grant_system(caps);
	cr_assert_eq(nono_caps_allow_path(caps, T, NONO_ACCESS_READ_WRITE), 0,
		     "grant T");
	setenv("PATH", "/usr/bin:/bin", 1);
	cr_assert_eq(nono_caps_block_command(caps, "rm"), 0, "block rm");
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	cr_assert_eq(nono_caps_command_blocked(caps, "/usr/bin/rm"), 1,
		     "rm resolved to /usr/bin/rm");
	return caps;
}

Test(deny_live, blocked_command_fails_at_every_depth)
{
	require_rm();
	nono_caps *caps = caps_block_rm();
	char *a = P("home/docs/a.txt");
	char *sh_rm = tu_fmt("rm -f '%s'", a);
	char *sh_sh_rm = tu_fmt("sh -c \"rm -f '%s'\"; exit $?", a);
	char *deep = tu_fmt("sh -c \"sh -c \\\"rm -f '%s'\\\"\"", a);

	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { "/usr/bin/rm", "-f", a },
		     .want = EXEC_FAILED_BASE + EACCES,
		     .what = "rm run directly" },
		   { OP_RUN, .argv = { "/bin/rm", "-f", a },
		     .want = EXEC_FAILED_BASE + EACCES,
		     .what = "rm by another spelling" },
		   { OP_RUN, .argv = { "/bin/sh", "-c", sh_rm }, .want = 126,
		     .what = "rm through sh -c" },
		   { OP_RUN, .argv = { "/bin/sh", "-c", sh_sh_rm }, .want = 126,
		     .what = "rm from a child of a child" },
		   { OP_RUN, .argv = { "/bin/sh", "-c", deep }, .want = 126,
		     .what = "rm three shells down" });
	cr_assert(tu_exists(a), "rm never ran: the file is still there");
	free(sh_rm);
	free(sh_sh_rm);
	free(deep);
	nono_caps_free(caps);
}

/* Execute is checked by execve() alone: the dynamic loader runs a program
 * it is given as an argument by reading and mapping it. A blocked command
 * loses reading too, and that closes this way round. */
Test(deny_live, blocked_command_not_through_the_dynamic_loader)
{
	require_rm();
	if (!tu_exists(LDSO))
		cr_skip_test("no %s here", LDSO);
	nono_caps *caps = caps_block_rm();
	char *a = P("home/docs/a.txt");

	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { LDSO, "/usr/bin/rm", "-f", a },
		     .want = 127,
		     .what = "ld.so /usr/bin/rm (ld.so exits 127 when it "
			     "cannot load the program)" },
		   { OP_READ, "/usr/bin/rm", .want = EACCES,
		     .what = "the blocked file cannot be read (or copied)" },
		   { OP_RUN, .argv = { LDSO, "/usr/bin/true" }, .want = 0,
		     .what = "ld.so still runs another program" });
	cr_assert(tu_exists(a), "rm never ran");
	nono_caps_free(caps);
}

Test(deny_live, blocked_command_not_through_a_directory_symlink)
{
	require_rm();
	if (!tu_exists("/usr/bin/X11/rm"))
		cr_skip_test("no /usr/bin/X11 -> . link on this system");
	nono_caps *caps = caps_block_rm();
	char *a = P("home/docs/a.txt");

	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { "/usr/bin/X11/rm", "-f", a },
		     .want = EXEC_FAILED_BASE + EACCES,
		     .what = "/usr/bin/X11/rm" },
		   { OP_RUN, .argv = { "/usr/bin/X11/true" }, .want = 0,
		     .what = "/usr/bin/X11/true still runs" });
	nono_caps_free(caps);
}

/* The ELF interpreter (ld-linux) must stay executable, or nothing
 * dynamically linked starts; so must every other command. */
Test(deny_live, other_programs_still_run_with_rm_blocked)
{
	require_rm();
	nono_caps *caps = caps_block_rm();
	char *a = P("home/docs/a.txt");

	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { "/usr/bin/true" }, .want = 0,
		     .what = "a dynamically linked program runs" },
		   { OP_RUN, .argv = { "/usr/bin/cat", a }, .want = 0,
		     .what = "cat runs" },
		   { OP_RUN,
		     .argv = { "/bin/sh", "-c", "ls /usr/bin >/dev/null" },
		     .want = 0,
		     .what = "ls lists the blocked command's "
			     "directory" },
		   { OP_READ, "/usr/bin/cat", .want = 0,
		     .what = "a sibling of rm reads" },
		   { OP_LIST, "/usr/bin", .want = 0,
		     .what = "the directory lists" },
		   { OP_RUN, .argv = { "/usr/bin/cp", a, P("home/docs/copy") },
		     .want = 0, .what = "cp runs" });
	nono_caps_free(caps);
}

Test(deny_live, allow_wins_over_block)
{
	require_rm();
	nono_caps *caps = caps_block_rm();
	char *a = P("home/docs/a.txt");

	cr_assert_eq(nono_caps_allow_command(caps, "/bin/rm"), 0,
		     "allow /bin/rm");
	cr_assert_eq(nono_caps_command_blocked(caps, "/usr/bin/rm"), 0,
		     "/bin/rm and rm are the same file: not blocked");
	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { "/usr/bin/rm", a }, .want = 0,
		     .what = "rm runs" });
	cr_assert(!tu_exists(a), "rm removed the file");
	nono_caps_free(caps);
}

Test(deny_live, blocked_command_copy_runs_unless_exec_writable_false)
{
	require_rm();
	nono_caps *caps = caps_block_rm();
	char *copy = P("home/rm-copy");
	char *a = P("home/docs/a.txt");

	/* The copy is made outside the sandbox: inside, rm cannot be read. */
	tu_copy_file("/usr/bin/rm", copy, 0755);
	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { copy, "-f", a }, .want = 0,
		     .what = "a copy in a writable grant runs (the hole "
			     "exec_writable closes)" });
	cr_assert(!tu_exists(a), "the copy ran");

	tu_write_file(a, "a\n");
	cr_assert_eq(nono_caps_set_exec_writable(caps, false), 0,
		     "exec_writable = false");
	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { copy, "-f", a },
		     .want = EXEC_FAILED_BASE + EACCES,
		     .what = "the copy cannot run" },
		   { OP_RUN, .argv = { "/usr/bin/true" }, .want = 0,
		     .what = "read-only programs still run" });
	cr_assert(tu_exists(a), "the copy did not run");
	nono_caps_free(caps);
}

/* exec_writable = false reaches past a read grant above the writable
 * one, and past a grant beneath it. */
Test(deny_live, exec_writable_false_under_a_read_grant)
{
	require_rm();
	nono_caps *caps = caps_new();
	char *w = P("home/docs/true");
	char *r = P("home/.gnupg/true");

	tu_copy_file("/usr/bin/true", w, 0755);
	tu_copy_file("/usr/bin/true", r, 0755);
	grant_system(caps);
	grant(caps, "home", NONO_ACCESS_READ);
	grant(caps, "home/docs", NONO_ACCESS_READ_WRITE);
	cr_assert_eq(nono_caps_set_exec_writable(caps, false), 0, "set");

	EXPECT_OPS(caps, 0,
		   { OP_RUN, .argv = { w }, .want = EXEC_FAILED_BASE + EACCES,
		     .what = "in the writable grant" },
		   { OP_RUN, .argv = { r }, .want = 0,
		     .what = "in the read-only part" },
		   { OP_LIST, P("home"), .want = 0,
		     .what = "only execute is taken from the read grant" });
	nono_caps_free(caps);
}

Test(deny_live, taking_execute_from_the_dynamic_loader_is_refused)
{
	require_rm();
	if (!tu_exists(LDSO))
		cr_skip_test("no %s here", LDSO);
	nono_caps *caps = caps_new();
	struct tu_report rep;

	grant_system(caps);
	cr_assert_eq(nono_caps_block_command(caps, LDSO), 0, "block ld.so");
	struct job job = { .caps = caps };
	run_job(&job, &rep);
	cr_expect_eq(rep.apply_rc, NONO_EINVAL, "refused: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	cr_expect(strstr(rep.message, "dynamic loader") != NULL,
		  "the message says why: %s", rep.message);

	/* An explicit grant of the loader beneath a deny keeps it. Best
	 * effort, because /usr/lib may hold more entries than the walk for
	 * hard links and bind mounts checks (NONO_CARVE_MAX_ENTRIES), which
	 * is not what this test is about. */
	nono_caps_free(caps);
	caps = caps_new();
	grant_system(caps);
	cr_assert_eq(nono_caps_deny_path(caps, "/usr/lib"), 0, "deny");
	cr_assert_eq(nono_caps_allow_file(caps, LDSO, NONO_ACCESS_READ), 0,
		     "carve the loader back in");
	EXPECT_OPS(caps, NONO_APPLY_BEST_EFFORT,
		   { OP_READ, "/usr/bin/true", .want = 0, .what = "applies" });
	nono_caps_free(caps);
}

/* ---- cost ------------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int op_apply_timed(void *arg)
{
	const nono_caps *caps = arg;
	double t0 = now_ms();
	int rc = nono_apply(caps, 0, NULL, NULL);
	double ms = now_ms() - t0;

	if (rc != 0)
		return TU_CHILD_APPLY_FAILED;
	/* Generous against a loaded CI machine; bench/ measures it. */
	return ms < 500 ? 0 : 1;
}

Test(deny_live, carve_out_in_a_large_directory_applies_quickly)
{
	tu_require_landlock();
	nono_caps *caps = caps_new();
	char *big = P("home/big");

	tu_mkdir(big);
	for (int i = 0; i < 2000; i++) {
		char *f = tu_fmt("%s/f%04d", big, i);
		int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		cr_assert_geq(fd, 0, "create %s", f);
		close(fd);
		free(f);
	}
	grant(caps, "home", NONO_ACCESS_READ_WRITE);
	deny(caps, "home/big/f1000");
	cr_expect_eq(tu_in_child(op_apply_timed, caps), 0,
		     "a carve-out among 2000 entries applies within 500 ms");
	EXPECT_OPS(caps, 0,
		   { OP_READ, P("home/big/f1000"), .want = EACCES,
		     .what = "denied" },
		   { OP_WRITE, P("home/big/f1999"), .want = 0,
		     .what = "a sibling" });
	nono_caps_free(caps);
}
