// SPDX-License-Identifier: Apache-2.0
/*
 * bench_spawn: times program starts, several variants side by side.
 *
 *   bench_spawn [-n STARTS] [-b BATCH] [-w WARMUP] [-f] [-N] [-r NAME]
 *               [-k FILE] [-t TITLE]
 *               NAME [VAR=VALUE ...] PROGRAM [ARG ...] [:: NAME ...]...
 *
 * Each variant is a name, environment assignments (as env(1) takes them)
 * and a command; "::" separates variants. The first variant is the
 * baseline. Every variant runs STARTS times, in batches of BATCH
 * consecutive starts; the batches go round-robin over the variants, the
 * order rotating every round, so that whatever else the machine does
 * while the suite runs (these machines are shared and noisy) falls on all
 * variants alike. A start is spawn, execve and wait4 of the command, with
 * its standard streams on /dev/null; its exit status must be 0.
 *
 * For each variant the output gives the median over rounds of the batch
 * mean, and against the baseline of the same round: the median ratio, its
 * interquartile range, and the median time added. With -r NAME (up to
 * SPAWN_MAX_REFS times), the time each variant adds is also given as a
 * fraction of what NAME adds, one column per NAME: a floor the variant is
 * measured against (a preload that makes only the system calls Landlock
 * needs, a program that only execs its argument). With -f
 * each start is fork + execve rather than posix_spawn, and the output adds
 * the peak resident memory of each variant (ru_maxrss from wait4): with
 * posix_spawn, which shares this process's memory until execve, the kernel
 * would count this process's peak as the child's. With -N this process
 * first applies a sandbox that grants everything (read and write on /,
 * the network, signals, all capabilities), so every variant starts inside
 * one: what the shim asks the kernel for before it skips a policy its
 * parent applied (shim/shim.c), which lets a variant time loading the shim
 * alone.
 *
 * The output is a Markdown table; with -k, the same figures are written
 * to FILE as NAME.KEY=VALUE lines for scripts. A variant that fails its
 * first start is reported with its exit status and the first line it wrote
 * to stderr, and left out; the others still run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libnono.h"

#define SPAWN_SEPARATOR "::"
#define SPAWN_EXIT_USAGE 2
#define SPAWN_EXIT_FAILED 1
#define SPAWN_MAX_REFS 6

/* Variables of the environment this process runs in that would put a
 * sandbox on the baseline: every variant starts without them and sets its
 * own. */
static const char *const spawn_scrubbed_env[] = {
	"LD_PRELOAD=",
	"NONO_POLICY=",
	"NONO_SHIM_APPLIED=",
	"NONO_LOG=",
};

extern char **environ;

struct variant {
	const char *name;
	char *path;	/* the program, found on PATH before timing starts */
	char **argv;	/* borrowed from main's argv, NULL-terminated copy */
	char **envp;	/* scrubbed environ plus the variant's assignments */
	bool failed;	/* its first start failed: left out */
	double *mean;	/* per round: mean wall-clock seconds per start */
	double *cpu;	/* per round: mean CPU seconds per start */
	double *faults; /* per round: mean minor page faults per start */
	long *maxrss;	/* per start: ru_maxrss in KiB (meaningful with -f) */
	size_t nrss;
	unsigned long bad_exits;
};

struct options {
	unsigned long starts;
	unsigned long batch;
	unsigned long warmup;
	bool fork_mode;
	bool in_sandbox;
	const char *refs[SPAWN_MAX_REFS];
	size_t nrefs;
	const char *keyfile;
	const char *title;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		perror("bench_spawn: calloc");
		exit(SPAWN_EXIT_FAILED);
	}
	return p;
}

static bool is_assignment(const char *s)
{
	size_t name_len = strcspn(s, "=/");

	/* A name, then '=': "./x=y" is a program, not an assignment. */
	return name_len > 0 && s[name_len] == '=';
}

static bool is_scrubbed(const char *entry)
{
	for (size_t i = 0;
	     i < sizeof(spawn_scrubbed_env) / sizeof(spawn_scrubbed_env[0]);
	     i++) {
		const char *s = spawn_scrubbed_env[i];

		if (strncmp(entry, s, strlen(s)) == 0)
			return true;
	}
	return false;
}

/* The environment of a variant: ours without the sandbox's variables, then
 * the variant's assignments (which replace a variable of the same name). */
static char **build_env(char **assign, size_t nassign)
{
	size_t n = 0, k = 0;
	char **envp;

	while (environ[n])
		n++;
	envp = xcalloc(n + nassign + 1, sizeof(*envp));
	for (size_t i = 0; i < n; i++) {
		size_t name_len = strcspn(environ[i], "=");
		bool replaced = false;

		for (size_t j = 0; j < nassign; j++)
			if (strncmp(assign[j], environ[i], name_len + 1) == 0)
				replaced = true;
		if (!replaced && !is_scrubbed(environ[i]))
			envp[k++] = environ[i];
	}
	for (size_t j = 0; j < nassign; j++)
		envp[k++] = assign[j];
	envp[k] = NULL;
	return envp;
}

/* The program's path as execvp would find it, looked up once here so that
 * the search is not timed. NULL when it is nowhere. */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(name, '/'))
		return access(name, X_OK) == 0 ? strdup(name) : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".",
			 name);
		if (access(buf, X_OK) == 0)
			return strdup(buf);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

/* Starts the variant once and waits for it. Returns its wait status, or
 * -1 (with errno) when it could not be started. */
static int start_once(const struct variant *v, const struct options *o,
		      int devnull, int errfd, struct rusage *usage)
{
	struct rusage ru;
	pid_t pid;
	int status;

	if (o->fork_mode) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
			dup2(errfd, STDERR_FILENO);
			execve(v->path, v->argv, v->envp);
			_exit(127);
		}
	} else {
		posix_spawn_file_actions_t fa;
		int rc;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, devnull, STDIN_FILENO);
		posix_spawn_file_actions_adddup2(&fa, devnull, STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, errfd, STDERR_FILENO);
		rc = posix_spawn(&pid, v->path, &fa, NULL, v->argv, v->envp);
		posix_spawn_file_actions_destroy(&fa);
		if (rc) {
			errno = rc;
			return -1;
		}
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR)
			return -1;
	}
	if (usage)
		*usage = ru;
	return status;
}

/* The first start, with stderr kept: a variant that cannot run here (a
 * tool that refuses this environment) is named with its reason. */
static bool preflight(struct variant *v, const struct options *o, int devnull)
{
	char err[512] = "";
	int errfd = memfd_create("bench-stderr", MFD_CLOEXEC);
	int status;
	ssize_t n;

	if (errfd < 0) {
		perror("bench_spawn: memfd_create");
		exit(SPAWN_EXIT_FAILED);
	}
	status = start_once(v, o, devnull, errfd, NULL);
	if (status == 0) {
		close(errfd);
		return true;
	}
	n = pread(errfd, err, sizeof(err) - 1, 0);
	close(errfd);
	err[n > 0 ? n : 0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	if (status < 0)
		printf("%s: cannot start: %s\n", v->name, strerror(errno));
	else if (WIFEXITED(status))
		printf("%s: cannot run here: exit status %d: %s\n", v->name,
		       WEXITSTATUS(status), err[0] ? err : "(no message)");
	else
		printf("%s: cannot run here: killed by signal %d: %s\n",
		       v->name, WTERMSIG(status),
		       err[0] ? err : "(no message)");
	v->failed = true;
	return false;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of v[0..n), sorted in place; linear interpolation
 * between the two nearest ranks. */
static double quantile(double *v, size_t n, double q)
{
	double pos, frac;
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (double)(n - 1);
	i = (size_t)pos;
	frac = pos - (double)i;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (v[i + 1] - v[i]) * frac;
}

static long median_long(long *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_long);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Parses "NAME [VAR=VALUE ...] PROGRAM [ARG ...]" up to "::" or the end.
 * Returns the index after the variant (past its separator). */
static int parse_variant(int argc, char **argv, int i, struct variant *v)
{
	int end = i, first_arg;

	while (end < argc && strcmp(argv[end], SPAWN_SEPARATOR) != 0)
		end++;
	v->name = argv[i++];
	first_arg = i;
	while (i < end && is_assignment(argv[i]))
		i++;
	if (i >= end) {
		fprintf(stderr, "bench_spawn: variant '%s' has no command\n",
			v->name);
		exit(SPAWN_EXIT_USAGE);
	}
	v->envp = build_env(argv + first_arg, (size_t)(i - first_arg));
	v->argv = xcalloc((size_t)(end - i + 1), sizeof(*v->argv));
	for (int j = i; j < end; j++)
		v->argv[j - i] = argv[j];
	v->path = find_program(argv[i]);
	if (!v->path) {
		fprintf(stderr, "bench_spawn: %s: %s: not found\n", v->name,
			argv[i]);
		exit(SPAWN_EXIT_FAILED);
	}
	return end < argc ? end + 1 : end;
}

static unsigned long parse_count(const char *s, const char *what)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n == 0) {
		fprintf(stderr, "bench_spawn: bad %s '%s'\n", what, s);
		exit(SPAWN_EXIT_USAGE);
	}
	return n;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_spawn [-n STARTS] [-b BATCH] [-w WARMUP] [-f] "
		   "[-N] [-r NAME]... [-k FILE] [-t TITLE]\n"
		   "                   NAME [VAR=VALUE ...] PROGRAM [ARG ...] "
		   "[:: NAME ...]...\n");
}

/* The figures of one metric for one variant against the baseline. */
struct summary {
	double median; /* median over rounds */
	double ratio;  /* median over rounds of variant / baseline */
	double q1, q3; /* interquartile range of that ratio */
	double added;  /* median over rounds of variant - baseline */
};

static struct summary summarise(const double *v, const double *base,
				size_t rounds, double *tmp)
{
	struct summary s;

	memcpy(tmp, v, rounds * sizeof(*tmp));
	s.median = quantile(tmp, rounds, 0.5);
	for (size_t r = 0; r < rounds; r++)
		tmp[r] = v[r] / base[r];
	s.ratio = quantile(tmp, rounds, 0.5);
	s.q1 = quantile(tmp, rounds, 0.25);
	s.q3 = quantile(tmp, rounds, 0.75);
	for (size_t r = 0; r < rounds; r++)
		tmp[r] = v[r] - base[r];
	s.added = quantile(tmp, rounds, 0.5);
	return s;
}

/*
 * One Markdown table for one metric (`cpu`: the CPU time of the started
 * process and the children it waited for; otherwise wall-clock time), and
 * its figures as KEY=VALUE lines in kf (may be NULL) with `prefix`.
 */
static void report_metric(struct variant *vs, size_t nv, size_t rounds,
			  const struct options *o, bool cpu, FILE *kf)
{
	const char *prefix = cpu ? "cpu_" : "";
	double *tmp = xcalloc(rounds, sizeof(*tmp));
	const struct variant *base = &vs[0];
	/* What each reference adds; 0 where it did not run. */
	double ref_added[SPAWN_MAX_REFS] = { 0 };

#define SERIES(v) ((cpu) ? (v)->cpu : (v)->mean)
	for (size_t k = 0; k < o->nrefs; k++)
		for (size_t i = 0; i < nv; i++)
			if (!vs[i].failed &&
			    strcmp(vs[i].name, o->refs[k]) == 0)
				ref_added[k] =
					summarise(SERIES(&vs[i]), SERIES(base),
						  rounds, tmp)
						.added;

	printf("\n%s per start:\n\n", cpu ? "CPU time" : "Wall-clock time");
	printf("| variant | median | × %s (median, IQR) | added |", base->name);
	for (size_t k = 0; k < o->nrefs; k++)
		if (ref_added[k] > 0)
			printf(" added ÷ %s's added |", o->refs[k]);
	printf("\n| --- | ---: | ---: | ---: |");
	for (size_t k = 0; k < o->nrefs; k++)
		if (ref_added[k] > 0)
			printf(" ---: |");
	printf("\n");
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		struct summary s;

		if (v->failed) {
			printf("| %s | did not run | | |", v->name);
			for (size_t k = 0; k < o->nrefs; k++)
				if (ref_added[k] > 0)
					printf(" |");
			printf("\n");
			continue;
		}
		s = summarise(SERIES(v), SERIES(base), rounds, tmp);
		printf("| %s | %.3f ms | %.3f (%.3f–%.3f) | %+.3f ms |",
		       v->name, s.median * 1e3, s.ratio, s.q1, s.q3,
		       s.added * 1e3);
		for (size_t k = 0; k < o->nrefs; k++)
			if (ref_added[k] > 0)
				printf(" %.3f |", s.added / ref_added[k]);
		printf("\n");
		if (!kf)
			continue;
		fprintf(kf,
			"%s.%smedian_ms=%.4f\n%s.%sratio=%.4f\n"
			"%s.%sratio_q1=%.4f\n%s.%sratio_q3=%.4f\n"
			"%s.%sadded_ms=%.4f\n",
			v->name, prefix, s.median * 1e3, v->name, prefix,
			s.ratio, v->name, prefix, s.q1, v->name, prefix, s.q3,
			v->name, prefix, s.added * 1e3);
		for (size_t k = 0; k < o->nrefs; k++)
			if (ref_added[k] > 0)
				fprintf(kf, "%s.%sof_%s=%.4f\n", v->name,
					prefix, o->refs[k],
					s.added / ref_added[k]);
	}
#undef SERIES
	free(tmp);
}

/* Minor page faults per start (of the started process and the children
 * it waited for): on a virtual machine, where each costs tens of
 * microseconds, they explain much of a start's time. */
static void report_faults(struct variant *vs, size_t nv, size_t rounds,
			  FILE *kf)
{
	double *tmp = xcalloc(rounds, sizeof(*tmp));
	double base;

	memcpy(tmp, vs[0].faults, rounds * sizeof(*tmp));
	base = quantile(tmp, rounds, 0.5);
	printf("\nMinor page faults per start:\n\n"
	       "| variant | median | added |\n| --- | ---: | ---: |\n");
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		double m;

		if (v->failed) {
			printf("| %s | did not run | |\n", v->name);
			continue;
		}
		memcpy(tmp, v->faults, rounds * sizeof(*tmp));
		m = quantile(tmp, rounds, 0.5);
		printf("| %s | %.0f | %+.0f |\n", v->name, m, m - base);
		if (kf)
			fprintf(kf, "%s.faults=%.1f\n%s.faults_added=%.1f\n",
				v->name, m, v->name, m - base);
	}
	free(tmp);
}

/* Peak resident memory (fork mode only): the median over all starts. */
static void report_memory(struct variant *vs, size_t nv, FILE *kf)
{
	long base = median_long(vs[0].maxrss, vs[0].nrss);

	printf("\nPeak resident memory (ru_maxrss):\n\n"
	       "| variant | median peak RSS | added |\n| --- | ---: | ---: "
	       "|\n");
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		long rss;

		if (v->failed) {
			printf("| %s | did not run | |\n", v->name);
			continue;
		}
		rss = median_long(v->maxrss, v->nrss);
		printf("| %s | %ld KiB | %+ld KiB |\n", v->name, rss,
		       rss - base);
		if (kf)
			fprintf(kf, "%s.rss_kib=%ld\n%s.rss_added_kib=%ld\n",
				v->name, rss, v->name, rss - base);
	}
}

static void report(struct variant *vs, size_t nv, size_t rounds,
		   const struct options *o)
{
	FILE *kf = NULL;

	if (o->keyfile) {
		kf = fopen(o->keyfile, "ae");
		if (!kf) {
			perror(o->keyfile);
			exit(SPAWN_EXIT_FAILED);
		}
	}
	if (o->title)
		printf("\n%s\n", o->title);
	report_metric(vs, nv, rounds, o, false, kf);
	report_metric(vs, nv, rounds, o, true, kf);
	report_faults(vs, nv, rounds, kf);
	if (o->fork_mode)
		report_memory(vs, nv, kf);
	for (size_t i = 0; i < nv; i++) {
		if (vs[i].failed && kf)
			fprintf(kf, "%s.failed=1\n", vs[i].name);
		if (vs[i].bad_exits)
			printf("\n%s: %lu starts exited non-zero\n", vs[i].name,
			       vs[i].bad_exits);
	}
	printf("\n%lu starts per variant in %zu rounds of %lu, "
	       "interleaved; %s.\n",
	       (unsigned long)(rounds * o->batch), rounds, o->batch,
	       o->fork_mode ? "fork + execve" : "posix_spawn");
	if (kf)
		fclose(kf);
}

/* A nono sandbox that takes nothing away that a start needs. */
static bool enter_open_sandbox(void)
{
	nono_caps *caps = NULL;
	nono_diag diag;
	int rc = nono_caps_new(&caps);

	if (rc == 0)
		rc = nono_caps_allow_path(caps, "/", NONO_ACCESS_READ_WRITE);
	if (rc == 0)
		rc = nono_caps_set_scope(caps, NONO_SCOPE_SIGNAL,
					 NONO_SCOPE_MODE_ALLOWED);
	if (rc == 0)
		rc = nono_caps_set_capabilities(caps, NONO_CAPABILITIES_ALL);
	if (rc == 0)
		rc = nono_apply(caps, NONO_APPLY_BEST_EFFORT, NULL, &diag);
	nono_caps_free(caps);
	if (rc < 0)
		fprintf(stderr, "bench_spawn: applying the open sandbox: %s\n",
			rc == NONO_ENOMEM ? nono_strerror(rc) : diag.message);
	return rc == 0;
}

int main(int argc, char **argv)
{
	struct options o = { .starts = 1000, .batch = 10, .warmup = 5 };
	struct variant *vs;
	size_t nv = 0, rounds;
	int devnull, opt;

	while ((opt = getopt(argc, argv, "+n:b:w:fNr:k:t:h")) != -1) {
		switch (opt) {
		case 'n':
			o.starts = parse_count(optarg, "start count");
			break;
		case 'b':
			o.batch = parse_count(optarg, "batch size");
			break;
		case 'w':
			o.warmup = strtoul(optarg, NULL, 10);
			break;
		case 'f':
			o.fork_mode = true;
			break;
		case 'N':
			o.in_sandbox = true;
			break;
		case 'r':
			if (o.nrefs == SPAWN_MAX_REFS) {
				fprintf(stderr,
					"bench_spawn: at most %d -r options\n",
					SPAWN_MAX_REFS);
				return SPAWN_EXIT_USAGE;
			}
			o.refs[o.nrefs++] = optarg;
			break;
		case 'k':
			o.keyfile = optarg;
			break;
		case 't':
			o.title = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return SPAWN_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return SPAWN_EXIT_USAGE;
	}
	if (o.batch > o.starts)
		o.batch = o.starts;
	rounds = o.starts / o.batch;

	vs = xcalloc((size_t)argc, sizeof(*vs));
	for (int i = optind; i < argc; nv++)
		i = parse_variant(argc, argv, i, &vs[nv]);

	if (o.in_sandbox && !enter_open_sandbox())
		return SPAWN_EXIT_FAILED;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		perror("bench_spawn: /dev/null");
		return SPAWN_EXIT_FAILED;
	}
	fflush(stdout);
	for (size_t i = 0; i < nv; i++) {
		struct variant *v = &vs[i];

		if (!preflight(v, &o, devnull))
			continue;
		v->mean = xcalloc(rounds, sizeof(*v->mean));
		v->cpu = xcalloc(rounds, sizeof(*v->cpu));
		v->faults = xcalloc(rounds, sizeof(*v->faults));
		v->maxrss = xcalloc(o.starts, sizeof(*v->maxrss));
		for (unsigned long w = 0; w < o.warmup; w++)
			start_once(v, &o, devnull, devnull, NULL);
	}
	if (vs[0].failed) {
		fprintf(stderr, "bench_spawn: the baseline '%s' cannot run\n",
			vs[0].name);
		return SPAWN_EXIT_FAILED;
	}
	fflush(stdout);

	for (size_t r = 0; r < rounds; r++) {
		for (size_t k = 0; k < nv; k++) {
			struct variant *v = &vs[(r + k) % nv];
			double t0, t1, cpu = 0, faults = 0;

			if (v->failed)
				continue;
			t0 = now();
			for (unsigned long b = 0; b < o.batch; b++) {
				struct rusage ru = { 0 };
				int st = start_once(v, &o, devnull, devnull,
						    &ru);

				if (st != 0)
					v->bad_exits++;
				cpu += tv_seconds(ru.ru_utime) +
				       tv_seconds(ru.ru_stime);
				faults += (double)ru.ru_minflt;
				v->maxrss[v->nrss++] = ru.ru_maxrss;
			}
			t1 = now();
			v->mean[r] = (t1 - t0) / (double)o.batch;
			v->cpu[r] = cpu / (double)o.batch;
			v->faults[r] = faults / (double)o.batch;
		}
	}
	report(vs, nv, rounds, &o);
	for (size_t i = 0; i < nv; i++) {
		if (vs[i].bad_exits)
			return SPAWN_EXIT_FAILED;
	}
	return 0;
}
