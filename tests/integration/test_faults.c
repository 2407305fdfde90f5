// SPDX-License-Identifier: Apache-2.0
/*
 * The shim starved or tripped: no free file descriptors, little address
 * space, a policy path that changes under it, a Landlock system call that
 * fails. Whatever happens, the program must not run unconfined: it is
 * refused (status 126 and one "nono: " line naming the step), or it never
 * starts (the dynamic loader itself gives up, status 127), or it runs
 * inside the sandbox. A crash, a hang or an unconfined run fails the test.
 *
 * Each run is the probe reading a file the policy does not grant, so an
 * unconfined run is told apart by its answer ("ok" instead of "EACCES").
 * The kernel-call faults use libnono_shim_fault.so, the shim built with
 * core/landlock-fault.h (NONO_TEST_FAULT); the shipped shim has no such
 * hook (test_symbols.c).
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define PROBE NONO_PROBE_PATH
#define SHIM NONO_SHIM_PATH
#define FAULT_SHIM NONO_FAULT_SHIM_PATH

/* Seconds any one run may take; a run that is killed counts as a hang. */
#define RUN_TIMEOUT 60

static char *T;
static char *policy_path;
static char *secret;
static struct tu_proc proc;

static char *at(const char *rel)
{
	return tu_fmt("%s/%s", T, rel);
}

/* The policy every test starts from: what the probe needs to start under
 * either shim, and read access to T/ro only. */
static char *policy_text(void)
{
	return tu_fmt("[policy]\n"
		      "include = system\n"
		      "[filesystem]\n"
		      "read_file = %s\n"
		      "read_file = %s\n"
		      "read_file = %s\n"
		      "read = %s/ro\n",
		      PROBE, SHIM, FAULT_SHIM, T);
}

static void setup(void)
{
	char *text;

	T = tu_tmpdir();
	policy_path = at("policy.ini");
	secret = at("out/secret");
	tu_mkdir(at("ro"));
	tu_mkdir(at("out"));
	tu_write_file(at("ro/file"), "granted\n");
	tu_write_file(secret, "secret\n");
	text = policy_text();
	tu_write_file(policy_path, text);
	free(text);
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(faults, .init = setup, .fini = teardown);

/* How one run ended. */
enum outcome {
	REFUSED,     /* 126 and one "nono: " line */
	NOT_STARTED, /* 127: the dynamic loader could not start it */
	CONFINED,    /* ran, and the sandbox denied the secret */
	BAD,	     /* anything else: unconfined, crashed, hung */
};

static const char *outcome_name(enum outcome o)
{
	static const char *const names[] = { "refused", "not started",
					     "confined", "BAD" };

	return names[o];
}

static bool one_nono_line(const char *s)
{
	return strncmp(s, "nono: ", 6) == 0 && tu_count_char(s, '\n') == 1 &&
	       s[strlen(s) - 1] == '\n';
}

static enum outcome classify(const struct tu_proc *p)
{
	if (p->status == 126 && p->out[0] == '\0' && one_nono_line(p->err))
		return REFUSED;
	/* glibc's loader says either, depending on where memory ran out. */
	if (p->status == 127 && p->out[0] == '\0' &&
	    (strstr(p->err, "error while loading shared libraries") ||
	     strstr(p->err, "cannot allocate TLS data structures")))
		return NOT_STARTED;
	if (p->status == 1 && strcmp(p->out, "EACCES\n") == 0)
		return CONFINED;
	return BAD;
}

/* A resource limit, set in the child just before the exec. */
struct limit {
	int resource;
	rlim_t value;
};

static void set_limit(void *arg)
{
	const struct limit *l = arg;
	struct rlimit rl = { .rlim_cur = l->value, .rlim_max = l->value };

	/* Only 0, 1 and 2 stay open, so that the descriptor limit is the
	 * number the child really has to work with. */
	if (l->resource == RLIMIT_NOFILE)
		close_range(3, ~0U, 0);
	if (setrlimit(l->resource, &rl) < 0)
		_exit(255);
}

/* Runs the probe reading the secret under `shim`, with NONO_POLICY =
 * `policy`, an optional extra environment string and an optional limit. */
static enum outcome run_probe(const char *shim, const char *policy,
			      const char *extra, const struct limit *limit)
{
	const char *argv[] = { PROBE, "read", secret, NULL };
	const char *extras[] = { extra, NULL };

	tu_spawn_pre(&proc, (char *const *)argv, tu_env(shim, policy, extras),
		     RUN_TIMEOUT, limit ? set_limit : NULL, (void *)limit);
	return classify(&proc);
}

/* Whether a refusal's line says which step failed. */
static bool names_a_step(const char *line)
{
	return strstr(line, "loading the policy") ||
	       strstr(line, "applying the sandbox") ||
	       strstr(line, policy_path);
}

Test(faults, no_free_file_descriptors)
{
	bool refused = false;
	enum outcome o;

	for (rlim_t n = 3; n <= 12; n++) {
		struct limit l = { RLIMIT_NOFILE, n };

		o = run_probe(SHIM, policy_path, NULL, &l);
		cr_assert_neq(
			o, BAD, "ulimit -n %lu: status %d, out '%s', err '%s'",
			(unsigned long)n, proc.status, proc.out, proc.err);
		if (o == REFUSED) {
			refused = true;
			cr_assert(names_a_step(proc.err),
				  "ulimit -n %lu: the refusal names no step: "
				  "%s",
				  (unsigned long)n, proc.err);
			cr_assert(strstr(proc.err, strerror(EMFILE)),
				  "ulimit -n %lu: the refusal does not say "
				  "why: %s",
				  (unsigned long)n, proc.err);
		}
	}
	cr_assert(refused, "no descriptor limit made the shim itself refuse");
	cr_assert_eq(o, CONFINED, "12 descriptors are enough: %s (%s)",
		     outcome_name(o), proc.err);
}

Test(faults, little_address_space)
{
	const rlim_t step = 64 * 1024, top = 16 * 1024 * 1024;
	unsigned counts[BAD + 1] = { 0 };
	enum outcome o = BAD;

	/* From too little for the dynamic loader to map libc, to plenty:
	 * somewhere in between the shim's own allocations fail. */
	for (rlim_t as = 1024 * 1024; as <= top; as += step) {
		struct limit l = { RLIMIT_AS, as };

		o = run_probe(SHIM, policy_path, NULL, &l);
		counts[o]++;
		cr_assert_neq(o, BAD,
			      "ulimit -v %lu KiB: status %d, out '%s', err "
			      "'%s'",
			      (unsigned long)(as / 1024), proc.status, proc.out,
			      proc.err);
		if (o == REFUSED)
			cr_assert(names_a_step(proc.err) &&
					  (strstr(proc.err, "out of memory") ||
					   strstr(proc.err, strerror(ENOMEM))),
				  "ulimit -v %lu KiB: the refusal does not say "
				  "what failed: %s",
				  (unsigned long)(as / 1024), proc.err);
	}
	cr_assert_gt(counts[REFUSED], 0,
		     "no address-space limit made the shim itself refuse "
		     "(%u not started, %u confined)",
		     counts[NOT_STARTED], counts[CONFINED]);
	cr_assert_eq(o, CONFINED, "16 MiB is enough: %s (%s)", outcome_name(o),
		     proc.err);
}

/* What the policy path points at, in turn, while the shim starts. */
struct swapper {
	const char *link;
	const char *targets[8];
	size_t n_targets;
	atomic_bool stop;
	unsigned long swaps;
};

static void *swap_loop(void *arg)
{
	struct swapper *s = arg;
	char *tmp = tu_fmt("%s.new", s->link);

	for (size_t i = 0; !atomic_load(&s->stop); i++) {
		const char *target = s->targets[i % s->n_targets];

		/* NULL: the path vanishes altogether for a moment. */
		if (!target) {
			unlink(s->link);
		} else {
			unlink(tmp);
			if (symlink(target, tmp) == 0)
				rename(tmp, s->link);
		}
		s->swaps++;
	}
	unlink(tmp);
	free(tmp);
	return NULL;
}

Test(faults, policy_path_changes_while_the_shim_starts)
{
	char *fifo = at("fifo"), *dir = at("dir");
	char *garbage = at("garbage.ini");
	struct swapper s = {
		.link = at("swapped.ini"),
		.targets = { policy_path, at("missing.ini"), dir, NULL,
			     policy_path, fifo, garbage, "/dev/zero" },
		.n_targets = 8,
	};
	unsigned counts[BAD + 1] = { 0 };
	pthread_t thread;

	cr_assert_eq(mkfifo(fifo, 0644), 0, "mkfifo: %s", strerror(errno));
	tu_mkdir(dir);
	tu_write_file(garbage, "[filesystem]\nthis is not a policy\n");
	cr_assert_eq(symlink(policy_path, s.link), 0, "symlink");
	cr_assert_eq(pthread_create(&thread, NULL, swap_loop, &s), 0,
		     "pthread_create");
	for (int i = 0; i < 150; i++) {
		enum outcome o = run_probe(SHIM, s.link, NULL, NULL);

		counts[o]++;
		/* A refusal must still say what it refused. */
		if (o == REFUSED && !names_a_step(proc.err) &&
		    !strstr(proc.err, s.link))
			o = BAD;
		if (o == BAD || o == NOT_STARTED) {
			atomic_store(&s.stop, true);
			pthread_join(thread, NULL);
			cr_assert_fail("run %d neither refused nor confined: "
				       "status %d, out '%s', err '%s'",
				       i, proc.status, proc.out, proc.err);
		}
	}
	atomic_store(&s.stop, true);
	pthread_join(thread, NULL);
	cr_assert_gt(s.swaps, 150, "the path hardly changed (%lu swaps)",
		     s.swaps);
	cr_log_info("%u refused, %u confined, %lu swaps", counts[REFUSED],
		    counts[CONFINED], s.swaps);
}

/* Runs the probe under the fault shim with Landlock call `n` failing
 * with EIO. */
static enum outcome run_fault(unsigned n)
{
	char *spec = tu_fmt("NONO_TEST_FAULT=%u:%d", n, EIO);
	enum outcome o = run_probe(FAULT_SHIM, policy_path, spec, NULL);

	free(spec);
	return o;
}

Test(faults, landlock_call_fails)
{
	static const char *const steps[] = { "Landlock is not available",
					     "landlock_create_ruleset",
					     "landlock_add_rule",
					     "landlock_restrict_self" };
	bool seen[4] = { false };
	enum outcome o = BAD;
	unsigned n;

	/* Without a fault the fault shim is the shim. */
	o = run_probe(FAULT_SHIM, policy_path, NULL, NULL);
	cr_assert_eq(o, CONFINED, "fault shim without a fault: %s (%s)",
		     outcome_name(o), proc.err);

	/* Fail each call in turn, until there are no more calls to fail:
	 * then the sandbox is applied. */
	for (n = 1; n < 1000; n++) {
		bool named = false;

		o = run_fault(n);
		if (o == CONFINED)
			break;
		cr_assert_eq(o, REFUSED,
			     "call %u failing: status %d, out '%s', err '%s'",
			     n, proc.status, proc.out, proc.err);
		cr_assert(strstr(proc.err, "applying the sandbox"),
			  "call %u: the refusal names no step: %s", n,
			  proc.err);
		cr_assert(strstr(proc.err, strerror(EIO)),
			  "call %u: the refusal does not give the error: %s", n,
			  proc.err);
		for (size_t i = 0; i < 4; i++) {
			if (strstr(proc.err, steps[i])) {
				seen[i] = true;
				named = true;
			}
		}
		cr_assert(named, "call %u: which call failed? %s", n, proc.err);
	}
	cr_assert_eq(o, CONFINED, "still refused after %u calls", n);
	for (size_t i = 0; i < 4; i++)
		cr_assert(seen[i], "no fault made the shim say '%s'", steps[i]);
}

Test(faults, malformed_fault_spec_is_no_fault)
{
	static const char *const specs[] = {
		"NONO_TEST_FAULT=", "NONO_TEST_FAULT=x", "NONO_TEST_FAULT=2",
		"NONO_TEST_FAULT=2:", "NONO_TEST_FAULT=2:0"
	};

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		enum outcome o =
			run_probe(FAULT_SHIM, policy_path, specs[i], NULL);

		cr_assert_eq(o, CONFINED, "%s: %s (%s)", specs[i],
			     outcome_name(o), proc.err);
	}
}
