// SPDX-License-Identifier: Apache-2.0
/*
 * nono_exec and nono_exec_capture: run a program in a sandboxed child,
 * leaving the caller unsandboxed (nono-py's sandboxed_exec, in C).
 *
 * The parent prepares everything it can before fork(): it checks the
 * descriptors, opens /dev/null, and blocks every signal so that no handler
 * of the caller's runs in the child before the child has reset it. The
 * child then uses only async-signal-safe calls (its error messages are
 * built by hand, without stdio or strerror) except for nono_apply, as
 * libnono.h documents.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps-internal.h"

#define EXEC_KNOWN_FLAGS \
	(NONO_EXEC_NEW_PROCESS_GROUP | NONO_EXEC_RESTORE_SIGNALS)
#define EXEC_KNOWN_APPLY_FLAGS \
	(NONO_APPLY_BEST_EFFORT | NONO_APPLY_THIS_THREAD_ONLY)

/* The exit statuses of a child that could not run the program, as a shell
 * reports them: found but not run, and not run at all. */
#define EXEC_STATUS_SETUP 126
#define EXEC_STATUS_EXEC 127

/* How often the wait looks at the child where the kernel has no pidfd. */
#define EXEC_POLL_MS 10

/* What the child needs, all of it ready before the fork. */
struct exec_plan {
	const nono_caps *caps;
	const char *path;
	char *const *argv;
	char *const *envp;
	const char *cwd;
	int src[3];  /* the descriptors that become 0, 1, 2 */
	int devnull; /* opened for a -1 in opts; -1 otherwise */
	int max_fd;  /* for closing by hand where close_range is missing */
	unsigned apply_flags;
	unsigned flags;
	char *default_argv[2];
};

NONO_API void nono_exec_opts_init(nono_exec_opts *opts)
{
	if (!opts)
		return;
	*opts = (nono_exec_opts){
		.stdin_fd = 0,
		.stdout_fd = 1,
		.stderr_fd = 2,
	};
}

NONO_API void nono_exec_output_clear(nono_exec_output *out)
{
	if (!out)
		return;
	free(out->out);
	free(out->err);
	memset(out, 0, sizeof(*out));
}

/* ---- The child: async-signal-safe helpers ---------------------------- */

/* The text for the errors the child's steps can meet, without strerror(),
 * which may take locks and allocate (translations). */
static const char *exec_errno_text(int e)
{
	switch (e) {
	case ENOENT:
		return "No such file or directory";
	case EACCES:
		return "Permission denied";
	case EPERM:
		return "Operation not permitted";
	case ENOTDIR:
		return "Not a directory";
	case EISDIR:
		return "Is a directory";
	case ENOEXEC:
		return "Exec format error";
	case E2BIG:
		return "Argument list too long";
	case ENOMEM:
		return "Cannot allocate memory";
	case ELOOP:
		return "Too many levels of symbolic links";
	case ENAMETOOLONG:
		return "File name too long";
	case ETXTBSY:
		return "Text file busy";
	case EBADF:
		return "Bad file descriptor";
	case EMFILE:
		return "Too many open files";
	case EINVAL:
		return "Invalid argument";
	case EIO:
		return "Input/output error";
	case EFAULT:
		return "Bad address";
	default:
		return NULL;
	}
}

/* Appends `s` to buf (cap bytes, always NUL-terminated). */
static void exec_msg_add(char *buf, size_t cap, size_t *len, const char *s)
{
	while (*s && *len + 1 < cap)
		buf[(*len)++] = *s++;
	buf[*len] = '\0';
}

static void exec_msg_add_errno(char *buf, size_t cap, size_t *len, int e)
{
	const char *text = exec_errno_text(e);
	char num[NONO_UTOA_SIZE];

	if (text) {
		exec_msg_add(buf, cap, len, text);
		return;
	}
	exec_msg_add(buf, cap, len, "error ");
	/* errno values are positive. */
	exec_msg_add(buf, cap, len, nono__utoa((unsigned)e, num));
}

/* Writes "nono: <what>[ <arg>]: <why>\n" to descriptor 2 and exits with
 * `status`. `why` is used when not NULL, else the text for `err`. */
__attribute__((noreturn)) static void exec_die(int status, const char *what,
					       const char *arg, const char *why,
					       int err)
{
	char buf[sizeof(((nono_diag *)0)->message) + 512];
	size_t len = 0;

	exec_msg_add(buf, sizeof(buf) - 1, &len, "nono: ");
	exec_msg_add(buf, sizeof(buf) - 1, &len, what);
	if (arg) {
		exec_msg_add(buf, sizeof(buf) - 1, &len, " ");
		exec_msg_add(buf, sizeof(buf) - 1, &len, arg);
	}
	exec_msg_add(buf, sizeof(buf) - 1, &len, ": ");
	if (why)
		exec_msg_add(buf, sizeof(buf) - 1, &len, why);
	else
		exec_msg_add_errno(buf, sizeof(buf) - 1, &len, err);
	buf[len++] = '\n';
	(void)nono__write_all(STDERR_FILENO, buf, len);
	_exit(status);
}

/* Closes every descriptor from 3 up. */
static void exec_close_from_3(int max_fd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
#endif
	for (int fd = 3; fd < max_fd; fd++)
		close(fd);
}

/*
 * The child's steps, in the order libnono.h gives. Signals are blocked on
 * entry (the parent blocked them around fork()), so no handler of the
 * caller's can run here before it is reset.
 */
__attribute__((noreturn)) static void exec_child(const struct exec_plan *p)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int tmp[3];
	nono_diag diag;

	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction old;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) < 0)
			continue;
		if (old.sa_handler == SIG_IGN) {
			if ((p->flags & NONO_EXEC_RESTORE_SIGNALS) &&
			    (sig == SIGPIPE || sig == SIGXFSZ))
				sigaction(sig, &dfl, NULL);
		} else if (old.sa_handler != SIG_DFL) {
			sigaction(sig, &dfl, NULL);
		}
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if ((p->flags & NONO_EXEC_NEW_PROCESS_GROUP) && setpgid(0, 0) < 0)
		exec_die(EXEC_STATUS_SETUP, "setpgid", NULL, NULL, errno);

	/* First out of the way (3 and above), then into place: a source may
	 * be one of 0, 1, 2 itself. dup2 clears close-on-exec on the copy. */
	for (int i = 0; i < 3; i++) {
		tmp[i] = fcntl(p->src[i], F_DUPFD_CLOEXEC, 3);
		if (tmp[i] < 0)
			exec_die(EXEC_STATUS_SETUP, "dup", NULL, NULL, errno);
	}
	for (int i = 0; i < 3; i++) {
		if (dup2(tmp[i], i) < 0)
			exec_die(EXEC_STATUS_SETUP, "dup2", NULL, NULL, errno);
	}
	exec_close_from_3(p->max_fd);

	if (p->cwd && chdir(p->cwd) < 0)
		exec_die(EXEC_STATUS_SETUP, "failed to chdir to", p->cwd, NULL,
			 errno);

	nono_diag_clear(&diag);
	if (nono_apply(p->caps, p->apply_flags, NULL, &diag) < 0)
		exec_die(EXEC_STATUS_SETUP, "sandbox apply failed", NULL,
			 diag.message[0] ? diag.message : "unknown error", 0);

	execve(p->path, p->argv, p->envp);
	exec_die(EXEC_STATUS_EXEC, "exec failed:", p->path, NULL, errno);
}

/* ---- The parent ------------------------------------------------------- */

static int exec_check_fd(int fd, const char *name, nono_diag *diag)
{
	if (fd == -1)
		return 0;
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return nono__diag_set(diag, NONO_EINVAL,
				      "%s %d is not an open descriptor", name,
				      fd);
	return 0;
}

static void exec_plan_release(struct exec_plan *p)
{
	if (p->devnull >= 0)
		close(p->devnull);
	p->devnull = -1;
}

static int exec_plan_make(struct exec_plan *p, const nono_caps *caps,
			  const nono_exec_opts *opts, nono_diag *diag)
{
	static char *const empty_env[] = { NULL };
	const int fds[3] = { opts->stdin_fd, opts->stdout_fd, opts->stderr_fd };
	static const char *const names[3] = { "stdin_fd", "stdout_fd",
					      "stderr_fd" };
	long open_max;
	int rc;

	*p = (struct exec_plan){
		.caps = caps,
		.path = opts->path,
		.argv = opts->argv,
		.envp = opts->envp ? opts->envp : empty_env,
		.cwd = opts->cwd,
		.devnull = -1,
		.apply_flags = opts->apply_flags,
		.flags = opts->flags,
	};
	if (!opts->path || !opts->path[0])
		return nono__diag_set(diag, NONO_EINVAL,
				      "no program to run (path is %s)",
				      opts->path ? "empty" : "NULL");
	if (opts->flags & ~(unsigned)EXEC_KNOWN_FLAGS)
		return nono__diag_set(
			diag, NONO_EINVAL, "unknown exec flags 0x%x",
			opts->flags & ~(unsigned)EXEC_KNOWN_FLAGS);
	if (opts->apply_flags & ~(unsigned)EXEC_KNOWN_APPLY_FLAGS)
		return nono__diag_set(
			diag, NONO_EINVAL, "unknown apply flags 0x%x",
			opts->apply_flags & ~(unsigned)EXEC_KNOWN_APPLY_FLAGS);
	if (!p->argv) {
		/* execve does not write through argv. */
		p->default_argv[0] = (char *)opts->path;
		p->default_argv[1] = NULL;
		p->argv = p->default_argv;
	}
	for (int i = 0; i < 3; i++) {
		rc = exec_check_fd(fds[i], names[i], diag);
		if (rc)
			return rc;
	}
	for (int i = 0; i < 3; i++) {
		if (fds[i] >= 0) {
			p->src[i] = fds[i];
			continue;
		}
		if (p->devnull < 0) {
			p->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
			if (p->devnull < 0)
				return nono__diag_set(diag, NONO_ESPAWN,
						      "open /dev/null: %s",
						      strerror(errno));
		}
		p->src[i] = p->devnull;
	}
	open_max = sysconf(_SC_OPEN_MAX);
	p->max_fd = open_max > 0 && open_max < INT_MAX ? (int)open_max : 65536;
	return 0;
}

/* Forks and starts the child of a ready plan. */
static int exec_start(const struct exec_plan *p, pid_t *pid, nono_diag *diag)
{
	sigset_t all, old;
	int fork_errno;
	pid_t child;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	child = fork();
	if (child == 0)
		exec_child(p);
	fork_errno = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (child < 0)
		return nono__diag_set(diag, NONO_ESPAWN, "fork: %s",
				      strerror(fork_errno));
	/* The child makes itself a group leader too; doing it from both
	 * sides means the group exists as soon as either has run, so a kill
	 * of the group right after this returns cannot miss. It fails,
	 * harmlessly, once the child has exec'd. */
	if (p->flags & NONO_EXEC_NEW_PROCESS_GROUP)
		setpgid(child, child);
	*pid = child;
	return 0;
}

NONO_API int nono_exec(const nono_caps *caps, const nono_exec_opts *opts,
		       pid_t *pid, nono_diag *diag)
{
	struct exec_plan plan;
	int rc;

	nono_diag_clear(diag);
	if (!caps || !opts || !pid)
		return nono__diag_set(diag, NONO_EINVAL, "%s is NULL",
				      !caps   ? "caps"
				      : !opts ? "opts"
					      : "pid");
	rc = exec_plan_make(&plan, caps, opts, diag);
	if (rc == 0)
		rc = exec_start(&plan, pid, diag);
	exec_plan_release(&plan);
	return rc;
}

/* ---- Capturing -------------------------------------------------------- */

struct exec_buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Reads what `fd` (non-blocking) has now into b. Returns 1 at the end of
 * the stream, 0 when it would block, NONO_ENOMEM, or NONO_ESPAWN (with
 * errno set) for a read error. */
static int exec_drain(int fd, struct exec_buf *b)
{
	for (;;) {
		if (b->cap - b->len < 4096 + 1) {
			size_t cap = b->cap ? b->cap * 2 : 65536;
			char *data = realloc(b->data, cap);

			if (!data)
				return NONO_ENOMEM;
			b->data = data;
			b->cap = cap;
		}
		ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n > 0) {
			b->len += (size_t)n;
			b->data[b->len] = '\0';
		} else if (n == 0) {
			return 1;
		} else if (errno == EINTR) {
			continue;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			return 0;
		} else {
			return NONO_ESPAWN;
		}
	}
}

static int64_t exec_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * A pipe, both ends close-on-exec, the read end non-blocking (the child's
 * end stays as a program expects its output to be). pipe() and fcntl()
 * rather than pipe2(), which macOS lacks: a program started by another
 * thread in between may inherit an end, which costs nothing here, as the
 * wait ends when the child exits, not when the pipes reach their end.
 */
static int exec_pipe(int fds[2], nono_diag *diag)
{
	if (pipe(fds) < 0)
		return nono__diag_set(diag, NONO_ESPAWN, "pipe: %s",
				      strerror(errno));
	if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return nono__diag_set(diag, NONO_ESPAWN, "fcntl O_NONBLOCK: %s",
				      strerror(e));
	}
	return 0;
}

/* A descriptor that becomes readable when the child exits, or -1 where
 * the kernel has none (the wait then looks every EXEC_POLL_MS). */
static int exec_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
	long fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd >= 0) {
		/* pidfd_open gives close-on-exec descriptors. */
		return (int)fd;
	}
#else
	(void)pid;
#endif
	return -1;
}

static void exec_kill(pid_t pid, unsigned flags)
{
	if ((flags & NONO_EXEC_NEW_PROCESS_GROUP) && kill(-pid, SIGKILL) == 0)
		return;
	kill(pid, SIGKILL);
}

/* Reaps the child, blocking. 0 or the errno of waitpid. */
static int exec_reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return errno;
	}
	return 0;
}

struct exec_wait {
	pid_t pid;
	unsigned flags;
	int pidfd;
	int rd[2]; /* read ends of stdout, stderr; -1 at EOF */
	struct exec_buf buf[2];
	int status;
	bool reaped;
	bool timed_out;
};

/* After the child has gone: takes what is left in the pipes, without
 * waiting for anyone else who may hold them. */
static int exec_drain_rest(struct exec_wait *w)
{
	for (int i = 0; i < 2; i++) {
		if (w->rd[i] < 0)
			continue;
		int rc = exec_drain(w->rd[i], &w->buf[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The wait loop: drains both pipes until the child has exited (or the
 * deadline passed and it was killed), and reaps it. */
static int exec_wait_loop(struct exec_wait *w, int64_t timeout_ms,
			  nono_diag *diag)
{
	const int64_t deadline =
		timeout_ms >= 0 ? exec_now_ms() + timeout_ms : -1;
	int rc;

	while (!w->reaped) {
		struct pollfd pfd[3] = {
			{ .fd = w->rd[0], .events = POLLIN },
			{ .fd = w->rd[1], .events = POLLIN },
			{ .fd = w->pidfd, .events = POLLIN },
		};
		int wait_ms = -1;

		if (deadline >= 0) {
			int64_t left = deadline - exec_now_ms();

			/* A child that has already gone was not timed out. */
			if (left <= 0 &&
			    waitpid(w->pid, &w->status, WNOHANG) == w->pid) {
				w->reaped = true;
				break;
			}
			if (left <= 0) {
				exec_kill(w->pid, w->flags);
				rc = exec_reap(w->pid, &w->status);
				if (rc)
					return nono__diag_set(diag, NONO_ESPAWN,
							      "waitpid: %s",
							      strerror(rc));
				w->reaped = true;
				w->timed_out = true;
				break;
			}
			wait_ms = left > INT_MAX ? INT_MAX : (int)left;
		}
		if (w->pidfd < 0 && (wait_ms < 0 || wait_ms > EXEC_POLL_MS))
			wait_ms = EXEC_POLL_MS;

		/* poll() ignores the negative descriptors (closed pipes, no
		 * pidfd). */
		if (poll(pfd, 3, wait_ms) < 0 && errno != EINTR)
			return nono__diag_set(diag, NONO_ESPAWN, "poll: %s",
					      strerror(errno));

		for (int i = 0; i < 2; i++) {
			if (w->rd[i] < 0 || !pfd[i].revents)
				continue;
			rc = exec_drain(w->rd[i], &w->buf[i]);
			if (rc == NONO_ENOMEM)
				return nono__diag_set(diag, NONO_ENOMEM,
						      "out of memory after "
						      "%zu bytes of output",
						      w->buf[i].len);
			if (rc < 0)
				return nono__diag_set(diag, NONO_ESPAWN,
						      "read: %s",
						      strerror(errno));
			if (rc == 1) {
				close(w->rd[i]);
				w->rd[i] = -1;
			}
		}

		/* Whether the child has gone: the pidfd says so, or, without
		 * one, a look with WNOHANG. */
		if (w->pidfd >= 0 && !pfd[2].revents)
			continue;
		pid_t got = waitpid(w->pid, &w->status, WNOHANG);
		if (got < 0 && errno != EINTR)
			return nono__diag_set(diag, NONO_ESPAWN, "waitpid: %s",
					      strerror(errno));
		w->reaped = got == w->pid;
	}

	rc = exec_drain_rest(w);
	if (rc == NONO_ENOMEM)
		return nono__diag_set(diag, NONO_ENOMEM, "out of memory");
	if (rc < 0)
		return nono__diag_set(diag, NONO_ESPAWN, "read: %s",
				      strerror(errno));
	return 0;
}

NONO_API int nono_exec_capture(const nono_caps *caps,
			       const nono_exec_opts *opts, int64_t timeout_ms,
			       nono_exec_output *out, nono_diag *diag)
{
	struct exec_wait w = {
		.pidfd = -1,
		.rd = { -1, -1 },
	};
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	nono_exec_opts piped;
	int rc;

	nono_diag_clear(diag);
	if (!out)
		return nono__diag_set(diag, NONO_EINVAL, "out is NULL");
	memset(out, 0, sizeof(*out));
	if (!caps || !opts)
		return nono__diag_set(diag, NONO_EINVAL, "%s is NULL",
				      !caps ? "caps" : "opts");

	rc = exec_pipe(out_pipe, diag);
	if (rc)
		return rc;
	rc = exec_pipe(err_pipe, diag);
	if (rc)
		goto close_out_pipe;

	piped = *opts;
	piped.stdout_fd = out_pipe[1];
	piped.stderr_fd = err_pipe[1];
	rc = nono_exec(caps, &piped, &w.pid, diag);
	/* The write ends are the child's alone now: the end of the stream
	 * comes when it (and what it starts) closes them. */
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	if (rc)
		goto close_pipes;

	w.flags = opts->flags;
	w.rd[0] = out_pipe[0];
	w.rd[1] = err_pipe[0];
	out_pipe[0] = err_pipe[0] = -1;
	w.pidfd = exec_pidfd(w.pid);

	rc = exec_wait_loop(&w, timeout_ms, diag);
	if (rc && !w.reaped) {
		/* Nothing is left to collect the child's output: end it
		 * rather than leave it blocked on a full pipe. */
		exec_kill(w.pid, w.flags);
		exec_reap(w.pid, &w.status);
	}
	for (int i = 0; i < 2; i++) {
		if (w.rd[i] >= 0)
			close(w.rd[i]);
	}
	if (w.pidfd >= 0)
		close(w.pidfd);
	if (rc) {
		free(w.buf[0].data);
		free(w.buf[1].data);
		return rc;
	}

	/* A stream with nothing on it is NULL, as libnono.h says, though a
	 * buffer was made ready for it. */
	for (int i = 0; i < 2; i++) {
		if (w.buf[i].len == 0) {
			free(w.buf[i].data);
			w.buf[i].data = NULL;
		}
	}
	out->out = w.buf[0].data;
	out->out_len = w.buf[0].len;
	out->err = w.buf[1].data;
	out->err_len = w.buf[1].len;
	out->status = w.status;
	out->timed_out = w.timed_out;
	return 0;

close_pipes:
	close(err_pipe[0]);
close_out_pipe:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
	}
	return rc;
}
