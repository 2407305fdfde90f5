// SPDX-License-Identifier: Apache-2.0
/*
 * bench_caps: what the library's own work costs, with policies of every
 * size.
 *
 *   bench_caps apply  [-r ROUNDS] [-k FILE] DIR SIZE...
 *   bench_caps deny   [-r ROUNDS] [-k FILE] DIR ENTRIES
 *   bench_caps query  [-r ROUNDS] [-q QUERIES] [-k FILE] DIR SIZE...
 *   bench_caps policy [-r ROUNDS] [-k FILE] POLICY
 *   bench_caps yardstick [-r ROUNDS] [-k FILE] DIR
 *
 * apply: nono_apply() of SIZE directory grants, each SIZE its own set of
 * distinct directories made under DIR, in a forked child (applying is
 * irreversible); the time is taken in the child around the call alone.
 * In the same rounds, the floor: the reference preload's steps (floor.c)
 * for the same rules, only the system calls Landlock needs. Building the
 * set (nono_caps_allow_path, which canonicalises each path) is timed too,
 * in this process, every round.
 *
 * deny: a deny carve-out in a granted directory of ENTRIES entries (only
 * where libnono.h has nono_caps_deny_path; NONO_BENCH_HAVE_DENY).
 *
 * query: nono_query_path() against SIZE grants, for four kinds of path:
 * granted and existing, granted with a missing tail, not granted and
 * existing, not granted and missing. Each query canonicalises its path
 * first (nono__path_canonical_lenient, a few system calls); that step is
 * also timed alone on the same paths, and the difference is the part the
 * index lookup takes. The entry point for paths the caller knows are
 * canonical (nono_query_path_canonical, which skips that step) is timed
 * beside them, on the same paths (DIR must be canonical).
 *
 * policy: the two steps of what the shim does before main(), timed apart:
 * nono_policy_load() of POLICY, and nono_apply() of what it describes (in
 * a forked child).
 *
 * yardstick: what the machine charges for the two things every sandbox
 * step is made of, so that the figures above can be read against it: a
 * system call that does nothing (getppid), a stat(2) of a path two levels
 * below DIR, and a page fault (the first write to a fresh anonymous page).
 *
 * Every measurement is repeated ROUNDS times, the sizes (and kinds)
 * interleaved in an order that rotates every round, so that the load of a
 * shared machine falls on all alike; the output gives medians, as a
 * Markdown table, and with -k the same figures as KEY=VALUE lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caps-internal.h"
#include "libnono.h"
#ifdef NONO_BENCH_HAVE_FLOOR
#include "floor.h"
#include "landlock-compat.h"
#include "landlock-plan.h"
#endif

#define BENCH_EXIT_USAGE 2
#define BENCH_EXIT_FAILED 1
/* Directories per parent in the grant tree: keeps every directory small
 * enough that creating the tree is quick, and the paths two levels deep
 * below DIR, as real grants are. */
#define BENCH_FANOUT 1000
/* Distinct paths each kind of query cycles through. */
#define BENCH_QUERY_PATHS 512

#ifdef NONO_BENCH_HAVE_WRAP
/*
 * The library's calls to nono__path_canonical_lenient land here (the link
 * wraps them). While `canon_copies` is set, the path is copied instead of
 * canonicalised, so that a query times its index lookup alone; the paths
 * the benchmark gives are canonical already, so the answers stay the same.
 */
static bool canon_copies;

int __real_nono__path_canonical_lenient(const char *path, char **out);
int __wrap_nono__path_canonical_lenient(const char *path, char **out);

int __wrap_nono__path_canonical_lenient(const char *path, char **out)
{
	if (!canon_copies)
		return __real_nono__path_canonical_lenient(path, out);
	*out = strdup(path);
	return *out ? 0 : NONO_ENOMEM;
}
#endif

struct timing {
	double wall; /* seconds */
	double cpu;  /* seconds of this thread's CPU */
};

struct options {
	unsigned long rounds;
	unsigned long queries;
	const char *keyfile;
};

static FILE *keyfile;

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct timing timing_now(void)
{
	return (struct timing){ .wall = clock_s(CLOCK_MONOTONIC),
				.cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) };
}

static struct timing timing_since(struct timing t0)
{
	struct timing t1 = timing_now();

	return (struct timing){ .wall = t1.wall - t0.wall,
				.cpu = t1.cpu - t0.cpu };
}

static _Noreturn void die(const char *what, int rc)
{
	fprintf(stderr, "bench_caps: %s: %s\n", what,
		rc < 0 ? nono_strerror(rc) : strerror(errno));
	exit(BENCH_EXIT_FAILED);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("calloc", 0);
	return p;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[0..n), sorted in place. */
static double median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void key(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void key(const char *fmt, ...)
{
	va_list ap;

	if (!keyfile)
		return;
	va_start(ap, fmt);
	vfprintf(keyfile, fmt, ap);
	va_end(ap);
	fputc('\n', keyfile);
}

/* The path of grant `i` under dir: dir/gAAA/dBBB. */
static void grant_path(char *buf, size_t size, const char *dir, size_t i)
{
	snprintf(buf, size, "%s/g%03zu/d%03zu", dir, i / BENCH_FANOUT,
		 i % BENCH_FANOUT);
}

/* Makes dir/gAAA/dBBB for every i < n (those that exist already stay). */
static void make_grant_tree(const char *dir, size_t n)
{
	char path[PATH_MAX];

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die(dir, 0);
	for (size_t i = 0; i < n; i++) {
		if (i % BENCH_FANOUT == 0) {
			snprintf(path, sizeof(path), "%s/g%03zu", dir,
				 i / BENCH_FANOUT);
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				die(path, 0);
		}
		grant_path(path, sizeof(path), dir, i);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die(path, 0);
	}
}

/* A set of the first n grants, read and read+write in turn. */
static nono_caps *grant_set(const char *dir, size_t n)
{
	char path[PATH_MAX];
	nono_caps *caps;
	int rc;

	rc = nono_caps_new(&caps);
	if (rc < 0)
		die("nono_caps_new", rc);
	for (size_t i = 0; i < n; i++) {
		grant_path(path, sizeof(path), dir, i);
		rc = nono_caps_allow_path(caps, path,
					  i % 2 ? NONO_ACCESS_READ_WRITE
						: NONO_ACCESS_READ);
		if (rc < 0)
			die(path, rc);
	}
	return caps;
}

/*
 * Applies caps in a forked child and returns how long nono_apply() took
 * there; with a floor plan (floor.c), how long the floor's steps took
 * instead. Dies when the child could not apply: a benchmark of a failure
 * would measure nothing.
 */
static struct timing in_child(const nono_caps *caps, const char *plan)
{
	struct {
		int rc;
		struct timing t;
		char message[256];
	} msg = { 0 };
	int fds[2], status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		die("pipe2", 0);
	pid = fork();
	if (pid < 0)
		die("fork", 0);
	if (pid == 0) {
		nono_diag diag;
		struct timing t0 = timing_now();

#ifdef NONO_BENCH_HAVE_FLOOR
		if (plan)
			nono_floor_apply(plan);
		else
#endif
			msg.rc = nono_apply(caps, 0, NULL, &diag);
		(void)plan;
		msg.t = timing_since(t0);
		if (msg.rc < 0)
			snprintf(msg.message, sizeof(msg.message), "%.255s",
				 diag.message);
		if (write(fds[1], &msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			_exit(BENCH_EXIT_FAILED);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
		msg.rc = NONO_EAPPLY;
		snprintf(msg.message, sizeof(msg.message),
			 "the child ended without a result");
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (msg.rc < 0) {
		fprintf(stderr, "bench_caps: %s: %s: %s\n",
			plan ? "the floor" : "nono_apply",
			nono_strerror(msg.rc), msg.message);
		exit(BENCH_EXIT_FAILED);
	}
	return msg.t;
}

static struct timing apply_in_child(const nono_caps *caps)
{
	return in_child(caps, NULL);
}

#ifdef NONO_BENCH_HAVE_FLOOR
static char *floor_plan(const nono_caps *caps);
#endif

static size_t parse_size(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n == 0 || n > 10000000) {
		fprintf(stderr, "bench_caps: bad size '%s'\n", s);
		exit(BENCH_EXIT_USAGE);
	}
	return n;
}

/* The sizes named in argv[0..nsizes), and a grant tree under dir large
 * enough for the largest of them. */
static size_t *grant_sizes(const char *dir, size_t nsizes, char **argv)
{
	size_t *sizes = xcalloc(nsizes, sizeof(*sizes));
	size_t max = 0;

	for (size_t s = 0; s < nsizes; s++) {
		sizes[s] = parse_size(argv[s]);
		if (sizes[s] > max)
			max = sizes[s];
	}
	make_grant_tree(dir, max);
	return sizes;
}

/* Least-squares line through (x[i], y[i]): the cost of one more grant
 * (slope) and of none (intercept). */
static void fit(const double *x, const double *y, size_t n, double *slope,
		double *intercept)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;

	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
	}
	*slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
	*intercept = (sy - *slope * sx) / n;
}

/* What cmd_apply measures of each size, per round. */
enum apply_part {
	APPLY_BUILD, /* nono_caps_allow_path × N, in this process */
	APPLY_NONO,  /* nono_apply(), in a child */
	APPLY_FLOOR, /* the floor's steps for the same rules, in a child */
	APPLY_PARTS,
};

static int cmd_apply(const struct options *o, const char *dir, size_t nsizes,
		     char **argv)
{
	size_t *sizes = grant_sizes(dir, nsizes, argv);
	char **plans = xcalloc(nsizes, sizeof(*plans));
	double *wall[APPLY_PARTS], *cpu[APPLY_PARTS];
	double *x = xcalloc(nsizes, sizeof(*x));
	double *y = xcalloc(nsizes, sizeof(*y));
	double *yc = xcalloc(nsizes, sizeof(*yc));
	bool have_floor = false;
	double slope, intercept;

	for (size_t k = 0; k < APPLY_PARTS; k++) {
		wall[k] = xcalloc(nsizes * o->rounds, sizeof(double));
		cpu[k] = xcalloc(nsizes * o->rounds, sizeof(double));
	}
#ifdef NONO_BENCH_HAVE_FLOOR
	for (size_t s = 0; s < nsizes; s++) {
		nono_caps *caps = grant_set(dir, sizes[s]);

		plans[s] = floor_plan(caps);
		nono_caps_free(caps);
	}
	have_floor = true;
#endif
	/* Each round builds every size's set anew (timed), then applies it
	 * and the floor's plan, the order of sizes rotating every round and
	 * that of the two children alternating. */
	for (size_t r = 0; r < o->rounds; r++) {
		for (size_t k = 0; k < nsizes; k++) {
			size_t s = (r + k) % nsizes, at = s * o->rounds + r;
			struct timing t0 = timing_now(), t;
			nono_caps *caps = grant_set(dir, sizes[s]);

			t = timing_since(t0);
			wall[APPLY_BUILD][at] = t.wall;
			cpu[APPLY_BUILD][at] = t.cpu;
			for (size_t m = 0; m < 2; m++) {
				bool floor = (r + m) % 2 == 1;

				if (floor && !have_floor)
					continue;
				t = in_child(caps, floor ? plans[s] : NULL);
				wall[floor ? APPLY_FLOOR : APPLY_NONO][at] =
					t.wall;
				cpu[floor ? APPLY_FLOOR : APPLY_NONO][at] =
					t.cpu;
			}
			nono_caps_free(caps);
		}
	}

	printf("\n| grants | apply (median) | per grant | CPU per grant "
	       "| floor per grant | CPU | apply ÷ floor (CPU) "
	       "| building the set (allow_path × N) per grant | CPU |\n"
	       "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
	       "| ---: |\n");
	for (size_t s = 0; s < nsizes; s++) {
		double med[APPLY_PARTS], medc[APPLY_PARTS];
		double n = (double)sizes[s];

		for (size_t k = 0; k < APPLY_PARTS; k++) {
			med[k] = median(wall[k] + s * o->rounds, o->rounds) / n;
			medc[k] = median(cpu[k] + s * o->rounds, o->rounds) / n;
		}
		printf("| %zu | %.3f ms | %.2f µs | %.2f µs | ", sizes[s],
		       med[APPLY_NONO] * n * 1e3, med[APPLY_NONO] * 1e6,
		       medc[APPLY_NONO] * 1e6);
		if (have_floor)
			printf("%.2f µs | %.2f µs | %.2f | ",
			       med[APPLY_FLOOR] * 1e6, medc[APPLY_FLOOR] * 1e6,
			       medc[APPLY_NONO] / medc[APPLY_FLOOR]);
		else
			printf("| | | ");
		printf("%.2f µs | %.2f µs |\n", med[APPLY_BUILD] * 1e6,
		       medc[APPLY_BUILD] * 1e6);
		key("apply.%zu.ms=%.4f", sizes[s], med[APPLY_NONO] * n * 1e3);
		key("apply.%zu.us_per_grant=%.4f", sizes[s],
		    med[APPLY_NONO] * 1e6);
		key("apply.%zu.cpu_us_per_grant=%.4f", sizes[s],
		    medc[APPLY_NONO] * 1e6);
		if (have_floor) {
			key("apply.%zu.floor_us_per_grant=%.4f", sizes[s],
			    med[APPLY_FLOOR] * 1e6);
			key("apply.%zu.floor_cpu_us_per_grant=%.4f", sizes[s],
			    medc[APPLY_FLOOR] * 1e6);
			key("apply.%zu.cpu_of_floor=%.4f", sizes[s],
			    medc[APPLY_NONO] / medc[APPLY_FLOOR]);
		}
		key("build.%zu.us_per_grant=%.4f", sizes[s],
		    med[APPLY_BUILD] * 1e6);
		key("build.%zu.cpu_us_per_grant=%.4f", sizes[s],
		    medc[APPLY_BUILD] * 1e6);
		x[s] = n;
		y[s] = med[APPLY_NONO] * n;
		yc[s] = medc[APPLY_NONO] * n;
	}
	if (nsizes >= 2) {
		fit(x, y, nsizes, &slope, &intercept);
		printf("\nLeast-squares line through the medians: %.2f µs per "
		       "grant, %.3f ms fixed.\n",
		       slope * 1e6, intercept * 1e3);
		key("apply.slope_us=%.4f", slope * 1e6);
		key("apply.intercept_ms=%.4f", intercept * 1e3);
		fit(x, yc, nsizes, &slope, &intercept);
		printf("In CPU time: %.2f µs per grant, %.3f ms fixed.\n",
		       slope * 1e6, intercept * 1e3);
		key("apply.cpu_slope_us=%.4f", slope * 1e6);
	}
	printf("%lu rounds, sizes interleaved; apply and the floor timed in a "
	       "forked child around the call alone, one after the other.\n",
	       o->rounds);
	for (size_t s = 0; s < nsizes; s++)
		free(plans[s]);
	for (size_t k = 0; k < APPLY_PARTS; k++) {
		free(wall[k]);
		free(cpu[k]);
	}
	free(sizes);
	free(plans);
	free(x);
	free(y);
	free(yc);
	return 0;
}

#ifdef NONO_BENCH_HAVE_DENY
/*
 * A grant on dir/deny (made with `entries` subdirectories) with a deny
 * carve-out on one of them, against the same grant without it: what the
 * carve-out costs at apply time, where the backend has to grant every
 * sibling of the denied entry.
 */
static int cmd_deny(const struct options *o, const char *dir, size_t entries)
{
	char base[PATH_MAX], path[PATH_MAX + 32];
	nono_caps *plain, *carved;
	double *wall[2], *cpu[2], med[2], medc[2];
	int rc;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		die(dir, 0);
	snprintf(base, sizeof(base), "%s/deny", dir);
	if (mkdir(base, 0755) < 0 && errno != EEXIST)
		die(base, 0);
	for (size_t i = 0; i < entries; i++) {
		snprintf(path, sizeof(path), "%s/e%05zu", base, i);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die(path, 0);
	}
	if ((rc = nono_caps_new(&plain)) < 0 ||
	    (rc = nono_caps_allow_path(plain, base, NONO_ACCESS_READ)) < 0 ||
	    (rc = nono_caps_clone(plain, &carved)) < 0)
		die("building the set", rc);
	snprintf(path, sizeof(path), "%s/e%05zu", base, entries / 2);
	rc = nono_caps_deny_path(carved, path);
	if (rc < 0)
		die("nono_caps_deny_path", rc);

	for (size_t v = 0; v < 2; v++) {
		wall[v] = xcalloc(o->rounds, sizeof(double));
		cpu[v] = xcalloc(o->rounds, sizeof(double));
	}
	for (size_t r = 0; r < o->rounds; r++) {
		for (size_t k = 0; k < 2; k++) {
			size_t v = (r + k) % 2;
			struct timing t = apply_in_child(v ? carved : plain);

			wall[v][r] = t.wall;
			cpu[v][r] = t.cpu;
		}
	}
	for (size_t v = 0; v < 2; v++) {
		med[v] = median(wall[v], o->rounds);
		medc[v] = median(cpu[v], o->rounds);
	}
	printf("\n| directory of %zu entries | apply (median) | per entry | "
	       "CPU per entry |\n"
	       "| --- | ---: | ---: | ---: |\n"
	       "| granted | %.3f ms | | |\n"
	       "| granted, one entry denied | %.3f ms | %.2f µs | %.2f µs |\n",
	       entries, med[0] * 1e3, med[1] * 1e3,
	       med[1] / (double)entries * 1e6, medc[1] / (double)entries * 1e6);
	key("deny.%zu.cpu_us_per_entry=%.4f", entries,
	    medc[1] / (double)entries * 1e6);
	key("deny.%zu.plain_ms=%.4f", entries, med[0] * 1e3);
	key("deny.%zu.ms=%.4f", entries, med[1] * 1e3);
	key("deny.%zu.us_per_entry=%.4f", entries,
	    med[1] / (double)entries * 1e6);
	nono_caps_free(plain);
	nono_caps_free(carved);
	for (size_t v = 0; v < 2; v++) {
		free(wall[v]);
		free(cpu[v]);
	}
	return 0;
}
#endif

enum query_kind {
	QUERY_GRANTED,
	QUERY_GRANTED_MISSING,
	QUERY_DENIED,
	QUERY_DENIED_MISSING,
	QUERY_KINDS,
};

static const char *const query_kind_names[QUERY_KINDS] = {
	[QUERY_GRANTED] = "granted, exists",
	[QUERY_GRANTED_MISSING] = "granted, 3 missing components",
	[QUERY_DENIED] = "not granted, exists",
	[QUERY_DENIED_MISSING] = "not granted, 3 missing components",
};

static const char *const query_kind_keys[QUERY_KINDS] = {
	[QUERY_GRANTED] = "granted",
	[QUERY_GRANTED_MISSING] = "granted_missing",
	[QUERY_DENIED] = "denied",
	[QUERY_DENIED_MISSING] = "denied_missing",
};

/* BENCH_QUERY_PATHS paths of one kind for a set of n grants, spread over
 * the whole set (a multiplicative step, so that consecutive queries do
 * not touch neighbouring entries). */
static char **query_paths(const char *dir, size_t n, enum query_kind kind)
{
	char **paths = xcalloc(BENCH_QUERY_PATHS, sizeof(*paths));
	char grant[PATH_MAX], path[PATH_MAX + 64];

	for (size_t j = 0; j < BENCH_QUERY_PATHS; j++) {
		size_t i = (j * 2654435761u) % n;

		grant_path(grant, sizeof(grant), dir, i);
		switch (kind) {
		case QUERY_GRANTED:
			snprintf(path, sizeof(path), "%s", grant);
			break;
		case QUERY_GRANTED_MISSING:
			snprintf(path, sizeof(path), "%s/new/sub/file.txt",
				 grant);
			break;
		case QUERY_DENIED:
			/* The parent of a grant exists and is not granted. */
			snprintf(path, sizeof(path), "%s/g%03zu", dir,
				 i / BENCH_FANOUT);
			break;
		case QUERY_DENIED_MISSING:
			snprintf(path, sizeof(path),
				 "%s/none%03zu/sub/file.txt", dir,
				 i % BENCH_FANOUT);
			break;
		case QUERY_KINDS:
			break;
		}
		paths[j] = strdup(path);
		if (!paths[j])
			die("strdup", 0);
	}
	return paths;
}

enum query_part {
	PART_QUERY,	/* nono_query_path, as a caller sees it */
	PART_CANON,	/* the canonicalisation alone */
	PART_LOOKUP,	/* the query with the canonicalisation left out */
	PART_CANONICAL, /* nono_query_path_canonical, the public entry */
	PART_COUNT,
};

/* Seconds per call of `part`, over `count` calls cycling through paths. */
static struct timing time_queries(const nono_query *q, char **paths,
				  unsigned long count, enum query_part part)
{
	bool canon_only = part == PART_CANON;
	struct timing t0, t;
	nono_query_result res;
	unsigned long allowed = 0;

#ifdef NONO_BENCH_HAVE_WRAP
	canon_copies = part == PART_LOOKUP;
#endif
	t0 = timing_now();
	for (unsigned long c = 0; c < count; c++) {
		const char *p = paths[c % BENCH_QUERY_PATHS];
		int rc;

		if (canon_only) {
			char *canon = NULL;

			rc = nono__path_canonical_lenient(p, &canon);
			free(canon);
		} else if (part == PART_CANONICAL) {
			rc = nono_query_path_canonical(q, p, NONO_ACCESS_READ,
						       &res);
			allowed += res.status == NONO_QUERY_STATUS_ALLOWED;
		} else {
			rc = nono_query_path(q, p, NONO_ACCESS_READ, &res);
			allowed += res.status == NONO_QUERY_STATUS_ALLOWED;
		}
		if (rc < 0)
			die(p, rc);
	}
	t = timing_since(t0);
#ifdef NONO_BENCH_HAVE_WRAP
	canon_copies = false;
#endif
	/* The answers are checked once, outside the timing, by the caller;
	 * this keeps the compiler from dropping the calls. */
	if (allowed > count)
		abort();
	t.wall /= (double)count;
	t.cpu /= (double)count;
	return t;
}

/* The answer every path of a kind must get, from both entry points: a
 * benchmark of wrong answers would prove nothing. */
static void check_answers(const nono_query *q, char **paths,
			  enum query_kind kind)
{
	bool want = kind == QUERY_GRANTED || kind == QUERY_GRANTED_MISSING;

	for (size_t j = 0; j < BENCH_QUERY_PATHS; j++) {
		nono_query_result res, canon;
		int rc = nono_query_path(q, paths[j], NONO_ACCESS_READ, &res);

		if (rc < 0)
			die(paths[j], rc);
		rc = nono_query_path_canonical(q, paths[j], NONO_ACCESS_READ,
					       &canon);
		if (rc < 0)
			die(paths[j], rc);
		if (memcmp(&res, &canon, sizeof(res)) != 0) {
			fprintf(stderr,
				"bench_caps: %s: the canonical entry point "
				"answers otherwise (is DIR canonical?)\n",
				paths[j]);
			exit(BENCH_EXIT_FAILED);
		}
		if ((res.status == NONO_QUERY_STATUS_ALLOWED) != want) {
			fprintf(stderr, "bench_caps: %s: %s, expected %s\n",
				paths[j], nono_query_status_str(res.status),
				want ? "allowed" : "denied");
			exit(BENCH_EXIT_FAILED);
		}
	}
}

/* The number of components of an absolute path. */
static size_t depth(const char *path)
{
	size_t n = 0;

	for (const char *p = path; *p; p++)
		n += p[0] == '/' && p[1] && p[1] != '/';
	return n;
}

static int cmd_query(const struct options *o, const char *dir, size_t nsizes,
		     char **argv)
{
	size_t nseries = nsizes * QUERY_KINDS;
	size_t *sizes = grant_sizes(dir, nsizes, argv);
	nono_query **queries = xcalloc(nsizes, sizeof(*queries));
	char ***paths = xcalloc(nseries, sizeof(*paths));
	/* Per part, series and round: wall and CPU seconds per call. */
	double *wall[PART_COUNT], *cpu[PART_COUNT], *diff;

	for (size_t k = 0; k < PART_COUNT; k++) {
		wall[k] = xcalloc(nseries * o->rounds, sizeof(double));
		cpu[k] = xcalloc(nseries * o->rounds, sizeof(double));
	}
	diff = xcalloc(nseries * o->rounds, sizeof(double));
	for (size_t s = 0; s < nsizes; s++) {
		nono_caps *caps = grant_set(dir, sizes[s]);
		int rc = nono_query_new(caps, &queries[s]);

		if (rc < 0)
			die("nono_query_new", rc);
		nono_caps_free(caps);
		for (size_t k = 0; k < QUERY_KINDS; k++) {
			paths[s * QUERY_KINDS + k] =
				query_paths(dir, sizes[s], (enum query_kind)k);
			check_answers(queries[s], paths[s * QUERY_KINDS + k],
				      (enum query_kind)k);
		}
	}

	for (size_t r = 0; r < o->rounds; r++) {
		for (size_t j = 0; j < nseries; j++) {
			size_t i = (r + j) % nseries;
			const nono_query *q = queries[i / QUERY_KINDS];
			size_t at = i * o->rounds + r;

			/* The parts of one row back to back, in an order
			 * that rotates with the round. */
			for (size_t m = 0; m < PART_COUNT; m++) {
				size_t part = (r + m) % PART_COUNT;
				struct timing t =
					time_queries(q, paths[i], o->queries,
						     (enum query_part)part);

				wall[part][at] = t.wall;
				cpu[part][at] = t.cpu;
			}
			diff[at] = cpu[PART_QUERY][at] - cpu[PART_CANON][at];
		}
	}

	printf("\n| grants | path | query (wall) | query (CPU) | "
	       "canonicalisation alone (CPU) | index lookup alone (CPU) | "
	       "canonical entry point (wall) | canonical entry point (CPU) "
	       "|\n"
	       "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < nseries; i++) {
		size_t n = sizes[i / QUERY_KINDS];
		const char *kk = query_kind_keys[i % QUERY_KINDS];
		size_t at = i * o->rounds;
		double qw = median(wall[PART_QUERY] + at, o->rounds);
		double qc = median(cpu[PART_QUERY] + at, o->rounds);
		double cc = median(cpu[PART_CANON] + at, o->rounds);
#ifdef NONO_BENCH_HAVE_WRAP
		double lc = median(cpu[PART_LOOKUP] + at, o->rounds);
		double lw = median(wall[PART_LOOKUP] + at, o->rounds);
#else
		double lc = median(diff + at, o->rounds), lw = lc;
#endif

		double kw = median(wall[PART_CANONICAL] + at, o->rounds);
		double kc = median(cpu[PART_CANONICAL] + at, o->rounds);

		printf("| %zu | %s | %.3f µs | %.3f µs | %.3f µs | %.3f µs | "
		       "%.3f µs | %.3f µs |\n",
		       n, query_kind_names[i % QUERY_KINDS], qw * 1e6, qc * 1e6,
		       cc * 1e6, lc * 1e6, kw * 1e6, kc * 1e6);
		key("query.%zu.%s.canonical_us=%.4f", n, kk, kw * 1e6);
		key("query.%zu.%s.canonical_cpu_us=%.4f", n, kk, kc * 1e6);
		key("query.%zu.%s.us=%.4f", n, kk, qw * 1e6);
		key("query.%zu.%s.cpu_us=%.4f", n, kk, qc * 1e6);
		key("query.%zu.%s.canon_cpu_us=%.4f", n, kk, cc * 1e6);
		key("query.%zu.%s.lookup_cpu_us=%.4f", n, kk, lc * 1e6);
		key("query.%zu.%s.lookup_us=%.4f", n, kk, lw * 1e6);
	}
	printf("\n%lu rounds of %lu calls per cell (cycling through %d "
	       "paths), rows interleaved; a granted path is %zu components "
	       "deep.%s\n",
	       o->rounds, o->queries, BENCH_QUERY_PATHS, depth(dir) + 2,
#ifdef NONO_BENCH_HAVE_WRAP
	       ""
#else
	       " The lookup is the query less the canonicalisation."
#endif
	);
	for (size_t s = 0; s < nsizes; s++)
		nono_query_free(queries[s]);
	for (size_t i = 0; i < nseries; i++) {
		for (size_t j = 0; j < BENCH_QUERY_PATHS; j++)
			free(paths[i][j]);
		free(paths[i]);
	}
	for (size_t k = 0; k < PART_COUNT; k++) {
		free(wall[k]);
		free(cpu[k]);
	}
	free(diff);
	free(paths);
	free(queries);
	free(sizes);
	return 0;
}

static int cmd_policy(const struct options *o, const char *file)
{
	double *load = xcalloc(o->rounds, sizeof(double));
	double *loadc = xcalloc(o->rounds, sizeof(double));
	double *apply = xcalloc(o->rounds, sizeof(double));
	double *applyc = xcalloc(o->rounds, sizeof(double));
	size_t grants = 0;
	double l, lc, a, ac;

	for (size_t r = 0; r < o->rounds; r++) {
		nono_policy *policy;
		nono_diag diag;
		struct timing t0 = timing_now(), t;
		int rc = nono_policy_load(file, &policy, &diag);

		t = timing_since(t0);
		if (rc < 0) {
			fprintf(stderr, "bench_caps: %s:%u: %s\n", file,
				diag.line, diag.message);
			return BENCH_EXIT_FAILED;
		}
		load[r] = t.wall;
		loadc[r] = t.cpu;
		grants = nono_caps_fs_count(nono_policy_caps(policy));
		t = apply_in_child(nono_policy_caps(policy));
		apply[r] = t.wall;
		applyc[r] = t.cpu;
		nono_policy_free(policy);
	}
	l = median(load, o->rounds);
	lc = median(loadc, o->rounds);
	a = median(apply, o->rounds);
	ac = median(applyc, o->rounds);
	printf("\n| step (%zu grants after includes) | wall (median) | CPU "
	       "(median) |\n| --- | ---: | ---: |\n"
	       "| nono_policy_load | %.3f ms | %.3f ms |\n"
	       "| nono_apply | %.3f ms | %.3f ms |\n",
	       grants, l * 1e3, lc * 1e3, a * 1e3, ac * 1e3);
	key("policy.grants=%zu", grants);
	key("policy.load_ms=%.4f", l * 1e3);
	key("policy.load_cpu_ms=%.4f", lc * 1e3);
	key("policy.apply_ms=%.4f", a * 1e3);
	key("policy.apply_cpu_ms=%.4f", ac * 1e3);
	free(load);
	free(loadc);
	free(apply);
	free(applyc);
	return 0;
}

#define YARD_CALLS 20000
#define YARD_PAGES 1024

/* CPU seconds per call of each yardstick, one batch. */
static void yardstick_once(const char *path, double out[3])
{
	struct stat st;
	struct timing t0;
	long page = sysconf(_SC_PAGESIZE);
	char *mem;

	t0 = timing_now();
	for (int i = 0; i < YARD_CALLS; i++)
		(void)getppid();
	out[0] = timing_since(t0).cpu / YARD_CALLS;
	t0 = timing_now();
	for (int i = 0; i < YARD_CALLS; i++) {
		if (stat(path, &st) < 0)
			die(path, 0);
	}
	out[1] = timing_since(t0).cpu / YARD_CALLS;
	/* An anonymous mapping takes fd -1, which cppcheck's POSIX
	 * description of mmap() does not allow for. */
	mem = mmap(NULL, (size_t)page * YARD_PAGES, PROT_READ | PROT_WRITE,
		   // cppcheck-suppress invalidFunctionArg
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap", 0);
	t0 = timing_now();
	for (int i = 0; i < YARD_PAGES; i++)
		((volatile char *)mem)[(size_t)i * (size_t)page] = 1;
	out[2] = timing_since(t0).cpu / YARD_PAGES;
	munmap(mem, (size_t)page * YARD_PAGES);
}

static int cmd_yardstick(const struct options *o, const char *dir)
{
	static const char *const names[3] = {
		"a system call that does nothing (getppid)",
		"stat(2) of a path",
		"a page fault (first write to an anonymous page)",
	};
	static const char *const keys[3] = { "syscall", "stat", "fault" };
	double *v[3];
	char path[PATH_MAX];

	make_grant_tree(dir, 1);
	grant_path(path, sizeof(path), dir, 0);
	for (size_t k = 0; k < 3; k++)
		v[k] = xcalloc(o->rounds, sizeof(double));
	for (size_t r = 0; r < o->rounds; r++) {
		double out[3];

		yardstick_once(path, out);
		for (size_t k = 0; k < 3; k++)
			v[k][r] = out[k];
	}
	printf("\n| operation | CPU time (median) |\n| --- | ---: |\n");
	for (size_t k = 0; k < 3; k++) {
		double m = median(v[k], o->rounds);

		printf("| %s | %.2f µs |\n", names[k], m * 1e6);
		key("yardstick.%s_us=%.4f", keys[k], m * 1e6);
		free(v[k]);
	}
	return 0;
}

#ifdef NONO_BENCH_HAVE_FLOOR
/*
 * Prints the plan of the reference preload (floor.c) for a policy: the
 * ruleset, restrict flags and seccomp program nono_apply() uses at this
 * kernel's ABI, then one rule per grant with the rights nono's mapping
 * gives it (landlock.c), the grants whose rule another directory grant's
 * already covers left out as nono_apply() leaves them out
 * (nono__ll_subsumed). Written for policies without deny rules,
 * blocked commands or exec_writable = false, which the floor does not
 * carve.
 */
#define FLOOR_READ                                                    \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | \
	 LANDLOCK_ACCESS_FS_EXECUTE)
#define FLOOR_WRITE                                                      \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |     \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |   \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM |   \
	 LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE |        \
	 LANDLOCK_ACCESS_FS_RESOLVE_UNIX)
#define FLOOR_FILE                                                    \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV | LANDLOCK_ACCESS_FS_RESOLVE_UNIX)

/* The plan of caps, as a string to free(). Dies where it cannot make
 * one. */
static char *floor_plan(const nono_caps *caps)
{
	nono_support_info info;
	struct nono__ll_plan plan;
	size_t n = nono_caps_fs_count(caps), size = 0;
	bool *skip = xcalloc(n + 1, sizeof(*skip));
	char *out = NULL;
	FILE *f = open_memstream(&out, &size);

	if (!f)
		die("open_memstream", 0);
	nono_support_info_get(&info);
	nono__ll_plan_make(caps, info.abi, &plan);
	fprintf(f, "%" PRIx64 ",%" PRIx64 ",%" PRIx64 ",%x,%x,%x",
		plan.handled_fs, plan.handled_net, plan.scoped,
		plan.restrict_flags, plan.filters, (unsigned)info.abi);
	/* The rules nono_apply() leaves out as subsumed are left out here
	 * too: the floor adds the rules the policy needs, no more. */
	if (nono__ll_subsumed(caps, plan.handled_fs, skip) < 0)
		die("nono__ll_subsumed", NONO_ENOMEM);
	for (size_t i = 0; i < n; i++) {
		nono_fs_cap g;
		struct stat st;
		uint64_t access = 0;

		nono_caps_fs_at(caps, i, &g);
		if (skip[i] || stat(g.resolved, &st) < 0)
			continue;
		if (g.access & NONO_ACCESS_READ)
			access |= FLOOR_READ;
		if (g.access & NONO_ACCESS_WRITE)
			access |= FLOOR_WRITE;
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ||
		    (S_ISDIR(st.st_mode) &&
		     (strcmp(g.resolved, "/dev") == 0 ||
		      strncmp(g.resolved, "/dev/", 5) == 0)))
			access |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
		if (!S_ISDIR(st.st_mode))
			access &= FLOOR_FILE;
		access &= plan.handled_fs;
		if (access)
			fprintf(f, ";%" PRIx64 ":%s", access, g.resolved);
	}
	if (fclose(f) != 0)
		die("open_memstream", 0);
	free(skip);
	return out;
}

static int cmd_floor(const char *file)
{
	nono_policy *policy;
	nono_diag diag;
	char *plan;

	if (nono_policy_load(file, &policy, &diag) < 0) {
		fprintf(stderr, "bench_caps: %s:%u: %s\n", file, diag.line,
			diag.message);
		return BENCH_EXIT_FAILED;
	}
	plan = floor_plan(nono_policy_caps(policy));
	printf("%s\n", plan);
	free(plan);
	nono_policy_free(policy);
	return 0;
}
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_caps apply  [-r ROUNDS] [-k FILE] DIR SIZE...\n"
		"       bench_caps deny   [-r ROUNDS] [-k FILE] DIR ENTRIES\n"
		"       bench_caps query  [-r ROUNDS] [-q QUERIES] [-k FILE] "
		"DIR SIZE...\n"
		"       bench_caps policy [-r ROUNDS] [-k FILE] POLICY\n"
		"       bench_caps yardstick [-r ROUNDS] [-k FILE] DIR\n"
		"       bench_caps floor POLICY\n");
}

int main(int argc, char **argv)
{
	struct options o = { .rounds = 11, .queries = 2000 };
	const char *cmd;
	int opt, rc;

	if (argc < 2) {
		usage(stderr);
		return BENCH_EXIT_USAGE;
	}
	cmd = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "r:q:k:h")) != -1) {
		switch (opt) {
		case 'r':
			o.rounds = parse_size(optarg);
			break;
		case 'q':
			o.queries = parse_size(optarg);
			break;
		case 'k':
			o.keyfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return BENCH_EXIT_USAGE;
		}
	}
	if (o.keyfile) {
		keyfile = fopen(o.keyfile, "ae");
		if (!keyfile)
			die(o.keyfile, 0);
	}
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "yardstick") == 0 && argc == 1) {
		rc = cmd_yardstick(&o, argv[0]);
#ifdef NONO_BENCH_HAVE_FLOOR
	} else if (strcmp(cmd, "floor") == 0 && argc == 1) {
		rc = cmd_floor(argv[0]);
#endif
	} else if (strcmp(cmd, "policy") == 0 && argc == 1) {
		rc = cmd_policy(&o, argv[0]);
	} else if (strcmp(cmd, "apply") == 0 && argc >= 2) {
		rc = cmd_apply(&o, argv[0], (size_t)argc - 1, argv + 1);
	} else if (strcmp(cmd, "query") == 0 && argc >= 2) {
		rc = cmd_query(&o, argv[0], (size_t)argc - 1, argv + 1);
	} else if (strcmp(cmd, "deny") == 0 && argc == 2) {
#ifdef NONO_BENCH_HAVE_DENY
		rc = cmd_deny(&o, argv[0], parse_size(argv[1]));
#else
		printf("\nThe deny carve-out is not measured: this libnono "
		       "has no nono_caps_deny_path().\n");
		key("deny.missing=1");
		rc = 0;
#endif
	} else {
		usage(stderr);
		return BENCH_EXIT_USAGE;
	}
	if (keyfile)
		fclose(keyfile);
	return rc;
}
