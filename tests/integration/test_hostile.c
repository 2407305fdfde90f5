// SPDX-License-Identifier: Apache-2.0
/*
 * Hostile policies, given to the shim and to the nono command: random
 * bytes, a 100 MB file, devices, a FIFO, a socket, a directory, a file that
 * grows while it is read, over-long paths and lines, includes nested or
 * multiplied past the limits, `${` without `}`, bytes that are not UTF-8.
 *
 * Each must end in a refusal: status 126 from the shim, 125 from
 * `nono run` (its own failure), status 1 from `nono check`, with one line on
 * stderr that begins "nono: ", the program never run, in bounded time (every
 * run has a timeout) and bounded memory (every run has an address-space
 * limit).
 * Large but valid input (10,000 rules; includes nested to the limit) must
 * be applied, within the same bounds.
 *
 * Nothing here is sandboxed in the test process: every program runs in a
 * child (tu_spawn_pre), which sets the limits just before the exec.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define PROBE NONO_PROBE_PATH
#define SHIM NONO_SHIM_PATH
#define CLI NONO_CLI_PATH

/* Seconds any one run may take: a run killed for taking longer fails. */
#define RUN_TIMEOUT 60
/* The address space each run gets: far more than a policy may use (the
 * loader reads at most 1 MiB a file), far less than a runaway would. */
#define RUN_MEMORY (64u * 1024 * 1024)

/* A sanitized nono command reserves terabytes of shadow memory at start,
 * so in the sanitizer build only the (never sanitized) shim and probe run
 * under the address-space limit; the plain build covers the command. */
#if defined(__SANITIZE_ADDRESS__)
#define CLI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CLI_SANITIZED 1
#endif
#endif
#ifndef CLI_SANITIZED
#define CLI_SANITIZED 0
#endif

static char *T;
static char *secret;
static struct tu_proc proc;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

static void setup(void)
{
	T = tu_tmpdir();
	secret = at("out/secret");
	tu_mkdir(at("ro"));
	tu_mkdir(at("out"));
	tu_write_file(at("ro/file"), "granted\n");
	tu_write_file(secret, "secret\n");
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(hostile, .init = setup, .fini = teardown);

/* The head of every valid policy here: what the probe needs to start
 * under the shim. */
static char *policy_head(void)
{
	return tu_fmt("[policy]\n"
		      "include = system\n"
		      "[filesystem]\n"
		      "read_file = %s\n"
		      "read_file = %s\n",
		      PROBE, SHIM);
}

static void set_memory_limit(void *arg)
{
	struct rlimit rl = { .rlim_cur = RUN_MEMORY, .rlim_max = RUN_MEMORY };

	(void)arg;
	if (setrlimit(RLIMIT_AS, &rl) < 0)
		_exit(255);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with the given environment, under the memory limit unless
 * `unlimited`, and returns the seconds it took. */
static double run(const char *const argv[], char **env, bool unlimited)
{
	double start = now();

	tu_spawn_pre(&proc, (char *const *)argv, env, RUN_TIMEOUT,
		     unlimited ? NULL : set_memory_limit, NULL);
	return now() - start;
}

static bool one_nono_line(const char *s)
{
	return strncmp(s, "nono: ", 6) == 0 && tu_count_char(s, '\n') == 1 &&
	       s[strlen(s) - 1] == '\n';
}

/* The probe, reading the secret, under the shim with NONO_POLICY = path
 * and up to 8 extra environment strings. */
static void run_shim(const char *path, const char *const extra[])
{
	const char *argv[] = { PROBE, "read", secret, NULL };

	run(argv, tu_env(SHIM, path, extra), false);
}

static void cli(const char *const argv[], const char *const extra[])
{
	run(argv, tu_env(NULL, NULL, extra), CLI_SANITIZED);
}

/*
 * The policy at `path` must be refused by the shim, by `nono run` and by
 * `nono check`, each with one "nono: " line (containing `words`, if not
 * NULL); `what` names the case in messages.
 */
static void expect_refused_env(const char *what, const char *path,
			       const char *words, const char *const extra[])
{
	const char *check[] = { CLI, "check", path, NULL };
	const char *run_argv[] = { CLI,	  "run",  "--policy", path, "--",
				   PROBE, "read", secret,     NULL };

	run_shim(path, extra);
	cr_assert_eq(proc.status, 126,
		     "%s, shim: status %d, out '%s', err '%s'", what,
		     proc.status, proc.out, proc.err);
	cr_assert_str_empty(proc.out, "%s, shim: the program ran: '%s'", what,
			    proc.out);
	cr_assert(one_nono_line(proc.err), "%s, shim: not one nono: line: '%s'",
		  what, proc.err);
	if (words)
		cr_assert(strstr(proc.err, words), "%s, shim: '%s' not in '%s'",
			  what, words, proc.err);

	cli(run_argv, extra);
	cr_assert_eq(proc.status, 125,
		     "%s, nono run: status %d, out '%s', err '%s'", what,
		     proc.status, proc.out, proc.err);
	cr_assert_str_empty(proc.out, "%s, nono run: the program ran: '%s'",
			    what, proc.out);
	cr_assert(one_nono_line(proc.err),
		  "%s, nono run: not one nono: line: '%s'", what, proc.err);

	cli(check, extra);
	cr_assert_eq(proc.status, 1,
		     "%s, nono check: status %d, out '%s', err '%s'", what,
		     proc.status, proc.out, proc.err);
	cr_assert(one_nono_line(proc.err),
		  "%s, nono check: not one nono: line: '%s'", what, proc.err);
	if (words)
		cr_assert(strstr(proc.err, words),
			  "%s, nono check: '%s' not in '%s'", what, words,
			  proc.err);
}

static void expect_refused(const char *what, const char *path,
			   const char *words)
{
	expect_refused_env(what, path, words, NULL);
}

/* A policy made of the valid head and then `tail`, `len` bytes that may
 * hold anything. */
static char *write_tail(const char *name, const void *tail, size_t len)
{
	char *path = at(name);
	char *head = policy_head();
	size_t hlen = strlen(head);
	char *buf = malloc(hlen + len);

	cr_assert_not_null(buf, "out of memory");
	memcpy(buf, head, hlen);
	memcpy(buf + hlen, tail, len);
	tu_write_bytes(path, buf, hlen + len, 0644);
	free(buf);
	free(head);
	return path;
}

/* xorshift64*: the same bytes on every run, so a failure reproduces. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

Test(hostile, random_bytes)
{
	static const size_t sizes[] = { 1, 7, 200, 4096, 65536, 1024 * 1024 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t state = 0x9e3779b97f4a7c15u + i;
		unsigned char *buf = malloc(sizes[i]);
		char *path = at("random.ini");
		char what[64];

		cr_assert_not_null(buf, "out of memory");
		for (size_t j = 0; j < sizes[i]; j++)
			buf[j] = (unsigned char)next_random(&state);
		tu_write_bytes(path, buf, sizes[i], 0644);
		snprintf(what, sizeof(what), "%zu random bytes", sizes[i]);
		expect_refused(what, path, path);
		free(buf);
		free(path);
	}
}

Test(hostile, random_bytes_after_a_valid_head)
{
	for (unsigned i = 0; i < 8; i++) {
		uint64_t state = 0x2545f4914f6cdd1du * (i + 1);
		unsigned char buf[512];
		char what[64];
		char *path;

		for (size_t j = 0; j < sizeof(buf); j++)
			buf[j] = (unsigned char)next_random(&state);
		path = write_tail("random-tail.ini", buf, sizeof(buf));
		snprintf(what, sizeof(what), "random tail %u", i);
		expect_refused(what, path, path);
		free(path);
	}
}

Test(hostile, file_of_100_megabytes)
{
	char *path = write_tail("huge.ini", "", 0);
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	/* Sparse: 100 MB that cost no disk. */
	cr_assert_geq(fd, 0, "open %s", path);
	cr_assert_eq(ftruncate(fd, 100 * 1000 * 1000), 0, "ftruncate: %s",
		     strerror(errno));
	close(fd);
	expect_refused("100 MB policy", path, path);
}

Test(hostile, devices)
{
	expect_refused("/dev/zero", "/dev/zero", "/dev/zero");
	expect_refused("/dev/urandom", "/dev/urandom", "/dev/urandom");
	expect_refused("/dev/null", "/dev/null", "/dev/null");
}

Test(hostile, fifo)
{
	char *path = at("fifo.ini");

	cr_assert_eq(mkfifo(path, 0644), 0, "mkfifo: %s", strerror(errno));
	/* Nobody writes: the reader must not wait for anyone. */
	expect_refused("FIFO", path, path);
}

Test(hostile, socket)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *path = at("sock.ini");
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0, "socket");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0,
		     "bind %s: %s", path, strerror(errno));
	cr_assert_eq(listen(fd, 1), 0, "listen");
	expect_refused("socket", path, path);
	close(fd);
}

Test(hostile, directory)
{
	expect_refused("directory", at("ro"), "ro");
	expect_refused("root directory", "/", NULL);
}

/* Appends to a policy for as long as the test runs. */
struct grower {
	const char *path;
	size_t base; /* the valid part, kept when the file is reset */
	atomic_bool stop;
	atomic_ulong writes;
};

static void *grow_loop(void *arg)
{
	struct grower *g = arg;
	char chunk[4096];
	int fd = open(g->path, O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	memset(chunk, 'x', sizeof(chunk));
	while (!atomic_load(&g->stop)) {
		struct stat st;

		if (write(fd, chunk, sizeof(chunk)) < 0)
			break;
		atomic_fetch_add(&g->writes, 1);
		/* Past 4 MiB, start again from the valid part, so that
		 * readers see both "too large" and a cut line. */
		if (fstat(fd, &st) == 0 && st.st_size > 4 * 1024 * 1024)
			if (ftruncate(fd, (off_t)g->base + 1) < 0)
				break;
	}
	close(fd);
	return NULL;
}

Test(hostile, file_growing_while_read)
{
	/* The valid head, then a line of 'x' that never ends: whatever a
	 * reader sees of it is a syntax error or too large. */
	char *path = write_tail("growing.ini", "x", 1);
	char *head = policy_head();
	struct grower g = { .path = path, .base = strlen(head) };
	pthread_t thread;

	cr_assert_eq(pthread_create(&thread, NULL, grow_loop, &g), 0,
		     "pthread_create");
	while (atomic_load(&g.writes) < 4)
		usleep(1000);
	for (int i = 0; i < 15; i++) {
		run_shim(path, NULL);
		if (proc.status != 126 || !one_nono_line(proc.err))
			break;
	}
	atomic_store(&g.stop, true);
	pthread_join(thread, NULL);
	cr_assert_eq(proc.status, 126, "growing file: status %d, err '%s'",
		     proc.status, proc.err);
	cr_assert(one_nono_line(proc.err), "growing file: '%s'", proc.err);
	cr_assert_str_empty(proc.out, "the program ran: '%s'", proc.out);
	free(head);
}

Test(hostile, policy_path_of_4096_bytes_and_more)
{
	static const size_t lengths[] = { 4095, 4096, 4097, 6000 };

	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		char *path = malloc(lengths[i] + 1);
		char what[64];

		cr_assert_not_null(path, "out of memory");
		/* Components of 200 bytes: the whole is too long. */
		for (size_t j = 0; j < lengths[i]; j++)
			path[j] = j % 200 == 0 ? '/' : 'p';
		path[lengths[i]] = '\0';
		snprintf(what, sizeof(what), "policy path of %zu bytes",
			 lengths[i]);
		expect_refused(what, path, NULL);
		free(path);
	}
	/* One component longer than any file system allows. */
	{
		char name[400];
		char *path;

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		path = tu_fmt("%s/%s", T, name);
		expect_refused("a 399-byte file name", path, NULL);
		free(path);
	}
}

Test(hostile, values_of_4096_bytes_and_more)
{
	char *value = malloc(6001);
	char *var, *path;

	cr_assert_not_null(value, "out of memory");
	value[0] = '/';
	memset(value + 1, 'v', 5999);
	value[6000] = '\0';
	var = tu_fmt("NONO_TEST_LONG=%s", value);

	/* A line that long is cut off before it is a path. */
	{
		char *line = tu_fmt("read = %s\n", value);

		path = write_tail("long-line.ini", line, strlen(line));
		expect_refused("6000-byte line", path, "long");
		free(line);
		free(path);
	}
	/* Through a variable, the path itself is too long. */
	{
		static const char tail[] = "read = ${NONO_TEST_LONG}\n";
		const char *extra[] = { var, NULL };

		path = write_tail("long-var.ini", tail, sizeof(tail) - 1);
		expect_refused_env("6000-byte variable", path, "longer", extra);
		free(path);
	}
	{
		static const char tail[] = "[policy]\n"
					   "include = ${NONO_TEST_LONG}\n";
		const char *extra[] = { var, NULL };

		path = write_tail("long-include.ini", tail, sizeof(tail) - 1);
		expect_refused_env("6000-byte include", path, "longer", extra);
		free(path);
	}
	free(var);
	free(value);
}

/* Writes T/<prefix><i>.ini for i in 0..n-1: each includes the next, the
 * first starts with the valid head, and the last grants T/ro. Returns the
 * first. */
static char *include_chain(const char *prefix, unsigned n)
{
	char *first = NULL;

	for (unsigned i = 0; i < n; i++) {
		char *name = tu_fmt("%s%u.ini", prefix, i);
		char *path = at(name);
		char *head = i == 0 ? policy_head() : tu_fmt("# link %u\n", i);
		char *body;

		if (i + 1 < n)
			body = tu_fmt("%s[policy]\ninclude = %s/%s%u.ini\n",
				      head, T, prefix, i + 1);
		else
			body = tu_fmt("%s[filesystem]\nread = %s/ro\n", head,
				      T);
		tu_write_file(path, body);
		free(body);
		free(head);
		free(name);
		if (i == 0)
			first = path;
		else
			free(path);
	}
	return first;
}

/* The probe, reading T/ro/file and then the secret, under the shim and
 * through `nono run`: the first must work, the second must not. */
static void expect_applied(const char *what, const char *path)
{
	char *granted = at("ro/file");
	const char *ok_argv[] = { PROBE, "read", granted, NULL };
	const char *cli_ok[] = { CLI,	"run",	"--policy", path, "--",
				 PROBE, "read", granted,    NULL };
	const char *cli_denied[] = { CLI,   "run",  "--policy", path, "--",
				     PROBE, "read", secret,	NULL };
	double took;

	took = run(ok_argv, tu_env(SHIM, path, NULL), false);
	cr_assert_eq(proc.status, 0, "%s, shim: status %d, out '%s', err '%s'",
		     what, proc.status, proc.out, proc.err);
	cr_assert_str_eq(proc.out, "ok\n", "%s, shim: granted read", what);
	cr_assert_str_empty(proc.err, "%s, shim: not silent: %s", what,
			    proc.err);
	cr_log_info("%s: applied by the shim in %.2f s", what, took);

	run_shim(path, NULL);
	cr_assert_eq(proc.status, 1, "%s, shim: the secret: status %d, '%s'",
		     what, proc.status, proc.out);
	cr_assert_str_eq(proc.out, "EACCES\n", "%s, shim: the secret", what);

	cli(cli_ok, NULL);
	cr_assert_eq(proc.status, 0, "%s, nono run: status %d, err '%s'", what,
		     proc.status, proc.err);
	cli(cli_denied, NULL);
	cr_assert_eq(proc.status, 1, "%s, nono run: the secret: status %d",
		     what, proc.status);
	free(granted);
}

Test(hostile, includes_nested_past_the_limit)
{
	/* The first file is at depth 0: nine links reach depth 9. */
	char *path = include_chain("deep", 10);

	expect_refused("includes 9 deep", path, "nested");
	free(path);
}

Test(hostile, includes_nested_to_the_limit)
{
	char *path = include_chain("ok", 9);

	expect_applied("includes 8 deep", path);
	free(path);
}

Test(hostile, includes_multiplied)
{
	/* Each level includes the next twice: 2^8 - 1 files to load, 8
	 * deep, if nothing stopped it (a diamond is not a cycle). */
	char *top = NULL;

	for (int i = 7; i >= 0; i--) {
		char *path = at(tu_fmt("fan%d.ini", i));
		char *body;

		if (i == 7)
			body = tu_fmt("[filesystem]\nread = %s/ro\n", T);
		else
			body = tu_fmt("%s[policy]\ninclude = %s/fan%d.ini\n"
				      "include = %s/fan%d.ini\n",
				      i == 0 ? policy_head() : "", T, i + 1, T,
				      i + 1);
		tu_write_file(path, body);
		free(body);
		if (i == 0)
			top = path;
	}
	expect_refused("255 includes", top, "too many");
}

Test(hostile, same_file_included_many_times)
{
	char *inc = at("inc.ini");
	char *tail = tu_fmt("[policy]\n");

	tu_write_file(inc, "[filesystem]\nread = /usr\n");
	for (int i = 0; i < 300; i++) {
		char *next = tu_fmt("%sinclude = %s\n", tail, inc);

		free(tail);
		tail = next;
	}
	expect_refused("one file included 300 times",
		       write_tail("many-inc.ini", tail, strlen(tail)),
		       "too many");
	free(tail);
}

Test(hostile, unterminated_variable)
{
	static const char *const tails[] = {
		"read = ${HOME\n",
		"read = /tmp/${\n",
		"read = ${NONO_TEST_A${NONO_TEST_B}}\n",
		"[policy]\ninclude = ${HOME\n",
		"read = $\n",
	};

	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		char *path = write_tail("var.ini", tails[i], strlen(tails[i]));

		expect_refused(tails[i], path, "$");
		free(path);
	}
}

Test(hostile, bytes_that_are_not_utf8)
{
	static const struct {
		const char *what;
		const char *tail;
	} cases[] = {
		{ "0xff in a value", "read = /tmp/\xff\n" },
		{ "truncated sequence in a comment", "# caf\xc3\n" },
		{ "overlong '/'", "read = \xc0\xaf"
				  "tmp\n" },
		{ "surrogate", "read = /tmp/\xed\xa0\x80\n" },
		{ "beyond U+10FFFF", "read = /tmp/\xf4\x90\x80\x80\n" },
		{ "in a section name", "[files\xfe]\n" },
		{ "in a key", "re\x80"
			      "ad = /tmp\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_tail("utf8.ini", cases[i].tail,
					strlen(cases[i].tail));

		expect_refused(cases[i].what, path, path);
		free(path);
	}
}

Test(hostile, nul_and_control_bytes)
{
	static const char nul[] = "read = /tmp\0/etc\n";
	static const char ctrl[] = "read = /tmp\x1b[2J\n";
	char *path;

	path = write_tail("nul.ini", nul, sizeof(nul) - 1);
	expect_refused("NUL byte", path, path);
	free(path);
	path = write_tail("ctrl.ini", ctrl, sizeof(ctrl) - 1);
	expect_refused("escape sequence", path, path);
	free(path);
}

Test(hostile, ten_thousand_rules)
{
	char *many = at("many");
	size_t cap = 10000 * 80, len = 0;
	char *tail = malloc(cap);
	char *path;
	const char *check[] = { CLI, "check", NULL, NULL };
	double took;

	cr_assert_not_null(tail, "out of memory");
	tu_mkdir(many);
	for (int i = 0; i < 10000; i++) {
		char *dir = tu_fmt("%s/d%05d", many, i);

		tu_mkdir(dir);
		len += (size_t)snprintf(tail + len, cap - len, "read = %s\n",
					dir);
		free(dir);
	}
	len += (size_t)snprintf(tail + len, cap - len, "read = %s/ro\n", T);
	path = write_tail("many.ini", tail, len);
	expect_applied("10,000 rules", path);

	check[2] = path;
	took = run(check, tu_env(NULL, NULL, NULL), CLI_SANITIZED);
	cr_assert_eq(proc.status, 0, "nono check: status %d, err '%s'",
		     proc.status, proc.err);
	/* Only the first 64 KiB of the summary are kept. */
	cr_assert(strstr(proc.out, "/many/d00000 [read] (dir)\n"),
		  "nono check lists the rules: %.200s", proc.out);
	cr_log_info("10,000 rules: checked in %.2f s", took);
	free(path);
	free(tail);
}

Test(hostile, same_rule_ten_thousand_times)
{
	size_t cap = 10000 * 64, len = 0;
	char *tail = malloc(cap);
	char *path;

	cr_assert_not_null(tail, "out of memory");
	for (int i = 0; i < 10000; i++)
		len += (size_t)snprintf(tail + len, cap - len, "read = %s/ro\n",
					T);
	path = write_tail("same.ini", tail, len);
	expect_applied("one rule 10,000 times", path);
	free(path);
	free(tail);
}
