// SPDX-License-Identifier: Apache-2.0
#include "testutil.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Writes all of buf; 0, or -1 with errno. */
static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int decode_status(int ws)
{
	if (WIFEXITED(ws))
		return WEXITSTATUS(ws);
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return -1;
}

/* tu_in_child, calling meanwhile(marg) (if not NULL) in the parent while
 * the child runs. */
static int in_child(int (*fn)(void *arg), void *arg,
		    void (*meanwhile)(void *arg), void *marg)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int rc = fn(arg);
		_exit(rc < 0 ? 127 : rc);
	}
	if (meanwhile)
		meanwhile(marg);
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return decode_status(ws);
}

int tu_in_child(int (*fn)(void *arg), void *arg)
{
	return in_child(fn, arg, NULL, NULL);
}

static void append(char *buf, size_t cap, size_t *len, const char *src,
		   size_t n)
{
	if (*len + 1 >= cap)
		return;
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, src, n);
	*len += n;
	buf[*len] = '\0';
}

int tu_spawn(struct tu_proc *p, char *const argv[], char *const envp[],
	     unsigned timeout_s)
{
	return tu_spawn_pre(p, argv, envp, timeout_s, NULL, NULL);
}

int tu_spawn_pre(struct tu_proc *p, char *const argv[], char *const envp[],
		 unsigned timeout_s, void (*pre_exec)(void *arg), void *arg)
{
	int out[2], err[2];
	p->status = -1;
	p->out[0] = p->err[0] = '\0';
	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(err, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (pre_exec)
			pre_exec(arg);
		if (envp)
			execvpe(argv[0], argv, envp);
		else
			execvp(argv[0], argv);
		dprintf(2, "tu_spawn: exec %s: %s\n", argv[0], strerror(errno));
		_exit(255);
	}
	close(out[1]);
	close(err[1]);
	size_t olen = 0, elen = 0;
	struct pollfd fds[2] = { { .fd = out[0], .events = POLLIN },
				 { .fd = err[0], .events = POLLIN } };
	int open_fds = 2;
	time_t deadline = time(NULL) + (time_t)timeout_s;
	bool killed = false;
	while (open_fds > 0) {
		int left = (int)(deadline - time(NULL));
		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		int n = poll(fds, 2, left * 1000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 ||
			    !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[4096];
			ssize_t r = read(fds[i].fd, buf, sizeof(buf));
			if (r <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				continue;
			}
			if (i == 0)
				append(p->out, sizeof(p->out), &olen, buf,
				       (size_t)r);
			else
				append(p->err, sizeof(p->err), &elen, buf,
				       (size_t)r);
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR)
			return p->status = -1;
	}
	p->status = killed ? 128 + SIGKILL : decode_status(ws);
	return p->status;
}

char **tu_env(const char *shim, const char *policy, const char *const extra[])
{
	static char *env[24];
	static char slots[9][8192];
	size_t n = 0, s = 0;
	if (shim) {
		snprintf(slots[s], sizeof(slots[s]), "LD_PRELOAD=%s", shim);
		env[n++] = slots[s++];
		/* The integration suite runs a second time in early mode,
		 * with the shim as auditor too (tests/meson.build). */
		if (getenv("NONO_TEST_EARLY")) {
			snprintf(slots[s], sizeof(slots[s]), "LD_AUDIT=%s",
				 shim);
			env[n++] = slots[s++];
		}
	}
	if (policy) {
		snprintf(slots[s], sizeof(slots[s]), "NONO_POLICY=%s", policy);
		env[n++] = slots[s++];
	}
	/* The sanitizer options of the test setup reach the programs
	 * under test (a sanitized nono command), and do nothing to others. */
	const char *keep[] = {
		"PATH",		"HOME",		 "LANG",
		"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);
		if (v) {
			snprintf(slots[s], sizeof(slots[s]), "%s=%s", keep[i],
				 v);
			env[n++] = slots[s++];
		}
	}
	for (size_t i = 0; extra && extra[i] && i < 8; i++)
		env[n++] = (char *)extra[i];
	env[n] = NULL;
	return env;
}

char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/nono-test-XXXXXX";
	if (!mkdtemp(tmpl))
		abort();
	char *d = strdup(tmpl);
	if (!d)
		abort();
	return d;
}

static char *tree_root;
static char **tree_paths;
static size_t tree_npaths, tree_cap;

char *tu_tree_make(void)
{
	char *tmp = tu_tmpdir();

	tree_root = realpath(tmp, NULL);
	free(tmp);
	if (!tree_root)
		abort();
	return tree_root;
}

char *tu_at(const char *rel)
{
	char *p = tu_fmt("%s/%s", tree_root, rel);

	if (tree_npaths == tree_cap) {
		size_t cap = tree_cap ? 2 * tree_cap : 64;
		char **grown = realloc(tree_paths, cap * sizeof(*grown));

		if (!grown)
			abort();
		tree_paths = grown;
		tree_cap = cap;
	}
	tree_paths[tree_npaths++] = p;
	return p;
}

void tu_tree_remove(void)
{
	if (tree_root)
		tu_rm_rf(tree_root);
	free(tree_root);
	tree_root = NULL;
	while (tree_npaths > 0)
		free(tree_paths[--tree_npaths]);
	free(tree_paths);
	tree_paths = NULL;
	tree_cap = 0;
}

void tu_write_file(const char *path, const char *content)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		abort();
	if (write_all(fd, content, strlen(content)) != 0)
		abort();
	close(fd);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tu_rm_rf(const char *path)
{
	if (path)
		nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

void tu_write_bytes(const char *path, const void *data, size_t len,
		    unsigned mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write_all(fd, data, len) != 0)
		abort();
	if (fchmod(fd, mode) < 0)
		abort();
	close(fd);
}

void tu_mkdir(const char *path)
{
	if (mkdir(path, 0755) < 0)
		abort();
}

bool tu_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

void tu_copy_file(const char *from, const char *to, unsigned mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out;

	if (in < 0)
		abort();
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		abort();
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) != 0)
			abort();
	if (n < 0 || fchmod(out, mode) < 0)
		abort();
	close(in);
	close(out);
}

char *tu_subst(const char *text, const char *token, const char *value)
{
	size_t tlen = strlen(token), vlen = strlen(value), n = 0;
	const char *p;
	char *out, *q;

	for (p = text; (p = strstr(p, token)); p += tlen)
		n++;
	out = malloc(strlen(text) + n * vlen + 1);
	if (!out)
		abort();
	q = out;
	for (p = text;;) {
		const char *hit = strstr(p, token);

		if (!hit)
			break;
		memcpy(q, p, (size_t)(hit - p));
		q += hit - p;
		memcpy(q, value, vlen);
		q += vlen;
		p = hit + tlen;
	}
	strcpy(q, p);
	return out;
}

size_t tu_count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

/* ---- Live tests ---- */

int tu_errno_code(void)
{
	int e = errno;

	return e <= 0 || e > TU_CHILD_ERRNO_MAX ? TU_CHILD_ERRNO_MAX : e;
}

/* In the child of tu_apply_in_child: where its reports go. */
static int report_fd = -1;

int tu_send_result(int value)
{
	return write_all(report_fd, &value, sizeof(value));
}

static int apply_child(void *arg)
{
	const struct tu_apply *a = arg;
	struct tu_report rep = { 0 };
	nono_diag diag;

	if (a->pre && a->pre(a->arg) != 0) {
		/* The parent still expects a report. */
		(void)write_all(report_fd, &rep, sizeof(rep));
		return TU_CHILD_SETUP_FAILED;
	}
	if (a->control_first && a->op)
		rep.control = a->op(a->arg);
	rep.apply_rc = nono_apply(a->caps, a->flags, &rep.result, &diag);
	if (rep.apply_rc != 0)
		snprintf(rep.message, sizeof(rep.message), "%s", diag.message);
	if (write_all(report_fd, &rep, sizeof(rep)) != 0)
		return TU_CHILD_SETUP_FAILED;
	if (rep.apply_rc != 0 && !a->op_even_if_apply_fails)
		return TU_CHILD_APPLY_FAILED;
	return a->op ? a->op(a->arg) : 0;
}

int tu_apply_in_child(const struct tu_apply *a, struct tu_report *rep)
{
	int p[2];
	int status;
	ssize_t n;

	cr_assert_eq(pipe2(p, O_CLOEXEC), 0, "pipe2: %s", strerror(errno));
	report_fd = p[1];
	status = in_child(apply_child, (void *)a, a->meanwhile, a->arg);
	report_fd = -1;
	close(p[1]);
	memset(rep, 0, sizeof(*rep));
	n = read(p[0], rep, sizeof(*rep));
	cr_assert_eq(n, (ssize_t)sizeof(*rep),
		     "the child sends its apply report (exit status %d)",
		     status);
	while (rep->nresults < TU_MAX_RESULTS &&
	       read(p[0], &rep->results[rep->nresults], sizeof(int)) ==
		       (ssize_t)sizeof(int))
		rep->nresults++;
	close(p[0]);
	return status;
}

int tu_apply_ok(const struct tu_apply *a)
{
	struct tu_report rep;
	int status = tu_apply_in_child(a, &rep);

	cr_assert_eq(rep.apply_rc, 0, "nono_apply succeeds: %s (%s)",
		     nono_strerror(rep.apply_rc), rep.message);
	return status;
}

/* ---- Skipping ---- */

const nono_support_info *tu_support(void)
{
	static nono_support_info info;
	static bool read_once;

	if (!read_once) {
		cr_assert_eq(nono_support_info_get(&info), 0,
			     "support info must be readable");
		read_once = true;
	}
	return &info;
}

static bool must_work(void)
{
	const char *v = getenv(TU_MUST_WORK_ENV);

	return v && strcmp(v, "1") == 0;
}

void tu_require_landlock(void)
{
	const nono_support_info *s = tu_support();

	if (!s->is_supported)
		cr_skip_test("Landlock is not available here: %s", s->details);
}

void tu_require_abi(int abi, const char *what)
{
	const nono_support_info *s = tu_support();

	tu_require_landlock();
	if (s->abi < abi)
		cr_skip_test("%s needs Landlock ABI %d; this kernel has %d",
			     what, abi, s->abi);
}

void tu_skip(unsigned features, const char *fmt, ...)
{
	const nono_support_info *s = tu_support();
	bool has = s->is_supported && (s->features & features) == features;
	char why[512];
	va_list ap;

	/* GCC under -fsanitize=undefined cannot see that fmt is never NULL
	 * and refuses the call (-Wformat-truncation): say it. */
	if (!fmt)
		fmt = "";
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (has && must_work())
		cr_assert_fail("%s=1 and this kernel has what the test needs, "
			       "so it must not skip: %s",
			       TU_MUST_WORK_ENV, why);
	cr_skip_test("%s", why);
}

bool tu_have(const char *prog)
{
	char *cmd;
	int rc;

	if (prog[0] == '/')
		return access(prog, X_OK) == 0;
	cmd = tu_fmt("command -v '%s' >/dev/null 2>&1", prog);
	rc = system(cmd);
	free(cmd);
	return rc == 0;
}

char *tu_unexpected_exports(const char *file, const char *const allowed[])
{
	static struct tu_proc nm;
	const char *argv[] = { "nm", "-D", "--defined-only", file, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	char *save = NULL, *out = malloc(sizeof(nm.out));
	size_t len = 0;

	cr_assert_not_null(out, "out of memory");
	out[0] = '\0';
	tu_spawn(&nm, (char *const *)argv, env, 30);
	cr_assert_eq(nm.status, 0, "nm -D %s: status %d, '%s'", file, nm.status,
		     nm.err);
	for (char *line = strtok_r(nm.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *name = strrchr(line, ' ');
		bool ok = false;

		name = name ? name + 1 : line;
		for (size_t i = 0; allowed[i]; i++)
			ok = ok || strcmp(name, allowed[i]) == 0;
		/* Lines of nm's output: the whole fits as out's size. */
		if (!ok)
			len += (size_t)snprintf(out + len, sizeof(nm.out) - len,
						"%s\n", line);
	}
	return out;
}
