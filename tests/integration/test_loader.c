// SPDX-License-Identifier: Apache-2.0
/*
 * What the dynamic loader runs before the shim, in early mode (LD_AUDIT)
 * and in preload mode (LD_PRELOAD alone). glibc only: musl has no auditing
 * interface.
 *
 *  - The program's DT_RPATH. The loader searches it for the libraries of
 *    every object that has no DT_RUNPATH, in every namespace, the
 *    auditor's included: a program whose DT_RPATH holds a libc.so.6 of its
 *    own had it loaded as the early-mode shim's C library, and its
 *    constructor ran before the sandbox. The shim has a DT_RUNPATH naming
 *    the system's C library directory, which makes the loader ignore the
 *    program's DT_RPATH for it.
 *  - The program's own .preinit_array, which glibc runs before every
 *    library constructor: early mode confines it, preload mode cannot.
 *
 * The policies grant read access to the build tree (the shim and the
 * programs) and nothing under the test directory's out/.
 */
#include <criterion/criterion.h>

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define SHIM NONO_SHIM_PATH

static char *T;
static char *out_dir;
static char *policy_path;
static struct tu_proc proc;

static void setup(void)
{
	T = tu_tmpdir();
	out_dir = tu_fmt("%s/out", T);
	tu_mkdir(out_dir);
	policy_path = tu_fmt("%s/policy.ini", T);
	tu_write_file(policy_path, tu_fmt("[policy]\ninclude = system\n"
					  "[filesystem]\nread = %s\n",
					  NONO_BUILD_ROOT));
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(loader, .init = setup, .fini = teardown);

/* The real path of the C library this test runs with. */
static char *system_libc(void)
{
	struct link_map *map = NULL;
	void *handle = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
	char *path;

	cr_assert_not_null(handle, "libc.so.6 is not loaded: %s", dlerror());
	cr_assert_eq(dlinfo(handle, RTLD_DI_LINKMAP, &map), 0, "dlinfo: %s",
		     dlerror());
	path = realpath(map->l_name, NULL);
	cr_assert_not_null(path, "realpath %s", map->l_name);
	dlclose(handle);
	return path;
}

/* The value of a readelf -d entry such as "(RUNPATH)": what is between
 * the brackets on its line, or NULL. */
static char *dynamic_entry(const char *dyn, const char *tag)
{
	const char *line = strstr(dyn, tag), *open, *close;

	if (!line)
		return NULL;
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	cr_assert(open && close && close < line + strcspn(line, "\n"),
		  "a %s entry without [value]: '%.*s'", tag,
		  (int)strcspn(line, "\n"), line);
	return tu_fmt("%.*s", (int)(close - open - 1), open + 1);
}

Test(loader, shim_has_runpath_to_the_system_libc)
{
	const char *argv[] = { "readelf", "-d", SHIM, NULL };
	char *env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
	char *libc = system_libc();
	char *runpath, *real, *save = NULL;
	struct stat st;

	tu_spawn(&proc, (char *const *)argv, env, 30);
	cr_assert_eq(proc.status, 0, "readelf -d: status %d, '%s'", proc.status,
		     proc.err);
	cr_assert_null(strstr(proc.out, "(RPATH)"),
		       "DT_RPATH is searched after the program's: '%s'",
		       proc.out);
	runpath = dynamic_entry(proc.out, "(RUNPATH)");
	cr_assert_not_null(runpath, "no DT_RUNPATH: '%s'", proc.out);
	cr_assert_null(strchr(runpath, ':'), "one directory: '%s'", runpath);
	cr_assert_null(strchr(runpath, '$'), "no $ORIGIN or $LIB: '%s'",
		       runpath);
	real = realpath(runpath, NULL);
	cr_assert_not_null(real, "RUNPATH %s does not exist", runpath);
	cr_assert_str_eq(real, dirname(libc),
			 "RUNPATH %s is not the directory of %s", runpath,
			 system_libc());
	cr_assert_eq(stat(real, &st), 0, "stat %s", real);
	cr_assert(st.st_uid == 0 && !(st.st_mode & 022),
		  "%s is writable by others than root (mode %o, owner %u)",
		  real, st.st_mode & 07777, (unsigned)st.st_uid);

	/* Every library the shim needs is found there, so none is
	 * searched for anywhere else (LD_LIBRARY_PATH aside). */
	for (char *line = strtok_r(proc.out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *needed = dynamic_entry(line, "(NEEDED)");

		if (!needed)
			continue;
		cr_expect(tu_exists(tu_fmt("%s/%s", real, needed)),
			  "the shim needs %s, which is not in %s", needed,
			  real);
	}
}

/*
 * T/bin/rpath_prog with DT_RPATH=$ORIGIN/fakelib, and there a libc.so.6
 * whose constructor tries to create `marker`; it needs libnono_real_c.so,
 * a link to the real C library, so it works as a C library.
 */
static char *rpath_setup(const char *marker)
{
	char *bin = tu_fmt("%s/bin", T);
	char *lib = tu_fmt("%s/fakelib", bin);
	char *prog = tu_fmt("%s/rpath_prog", bin);
	char *libc = system_libc();

	tu_mkdir(bin);
	tu_mkdir(lib);
	tu_copy_file(NONO_RPATH_PROG_PATH, prog, 0755);
	tu_copy_file(NONO_FAKE_LIBC_PATH, tu_fmt("%s/libc.so.6", lib), 0755);
	cr_assert_eq(symlink(libc, tu_fmt("%s/libnono_real_c.so", lib)), 0,
		     "symlink to %s", libc);
	/* The program's own libraries are loaded inside the sandbox. */
	tu_write_file(policy_path,
		      tu_fmt("[policy]\ninclude = system\n"
			     "[filesystem]\nread = %s\nread = %s\n",
			     NONO_BUILD_ROOT, bin));

	/* Without the shim the fake is the program's C library, and its
	 * constructor writes: the attack is real. */
	const char *argv[] = { prog, NULL };
	const char *extra[] = { tu_fmt("NONO_TEST_FAKE_LIBC_FILE=%s", marker),
				NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra), 30);
	cr_assert_eq(proc.status, 0, "unsandboxed: status %d, stderr '%s'",
		     proc.status, proc.err);
	cr_assert_str_eq(proc.out, "fake libc constructor: ok\nmain ran\n",
			 "the fake C library works: '%s'", proc.out);
	cr_assert_eq(unlink(marker), 0, "the fake wrote %s", marker);
	return prog;
}

static void assert_rpath_attack_failed(const char *marker)
{
	cr_assert_eq(proc.status, 0, "status %d, stderr '%s'", proc.status,
		     proc.err);
	/* Only the program's copy runs, inside the sandbox; a copy loaded
	 * as the shim's C library would have printed "ok" first. */
	cr_assert_str_eq(proc.out, "fake libc constructor: EACCES\nmain ran\n",
			 "the fake C library ran outside the sandbox: '%s'",
			 proc.out);
	cr_assert(!tu_exists(marker), "%s was written", marker);
}

Test(loader, early_mode_ignores_the_program_rpath_for_the_shim)
{
	char *marker = tu_fmt("%s/escaped", out_dir);
	char *prog = rpath_setup(marker);
	const char *argv[] = { prog, NULL };
	const char *extra[] = { tu_fmt("LD_AUDIT=%s", SHIM),
				tu_fmt("LD_PRELOAD=%s", SHIM),
				tu_fmt("NONO_POLICY=%s", policy_path),
				tu_fmt("NONO_TEST_FAKE_LIBC_FILE=%s", marker),
				NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra), 30);
	assert_rpath_attack_failed(marker);
}

Test(loader, wrapper_ignores_the_program_rpath_for_the_shim)
{
	char *marker = tu_fmt("%s/escaped", out_dir);
	char *prog = rpath_setup(marker);
	char *wrapper = tu_fmt("%s/wrapped", T);
	const char *wrap[] = { NONO_CLI_PATH, "wrap", "--policy", policy_path,
			       "--shim",      SHIM,   "--output", wrapper,
			       "--",	      prog,   NULL };
	const char *argv[] = { wrapper, NULL };
	const char *extra[] = { tu_fmt("NONO_TEST_FAKE_LIBC_FILE=%s", marker),
				NULL };

	tu_spawn(&proc, (char *const *)wrap, tu_env(NULL, NULL, NULL), 30);
	cr_assert_eq(proc.status, 0, "nono wrap: status %d, '%s'", proc.status,
		     proc.err);
	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra), 30);
	assert_rpath_attack_failed(marker);
}

/* Runs preinit_prog under the given loader variables, its .preinit_array
 * entry trying to create `marker`. */
static void run_preinit(const char *loader1, const char *loader2,
			const char *marker)
{
	const char *argv[] = { NONO_PREINIT_PROG_PATH, NULL };
	const char *extra[] = { tu_fmt("NONO_POLICY=%s", policy_path),
				tu_fmt("NONO_TEST_PREINIT_FILE=%s", marker),
				loader1, loader2, NULL };

	tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra), 30);
	cr_assert_eq(proc.status, 0, "status %d, stderr '%s'", proc.status,
		     proc.err);
}

Test(loader, early_mode_confines_the_program_preinit_array)
{
	char *marker = tu_fmt("%s/preinit-wrote", out_dir);

	run_preinit(tu_fmt("LD_AUDIT=%s", SHIM), tu_fmt("LD_PRELOAD=%s", SHIM),
		    marker);
	cr_assert_str_eq(proc.out, "main ran, preinit write: EACCES\n",
			 "the .preinit_array entry ran unconfined: '%s'",
			 proc.out);
	cr_assert(!tu_exists(marker), "%s was written", marker);
}

Test(loader, preload_mode_runs_the_program_preinit_array_first)
{
	/* A documented limit (README, "What the shim protects"): glibc runs
	 * the executable's .preinit_array (and its IFUNC resolvers) before
	 * any library's constructor, a preloaded one's included. If this
	 * ever fails, the limit is gone: say so in the README. */
	char *marker = tu_fmt("%s/preinit-wrote", out_dir);

	run_preinit(tu_fmt("LD_PRELOAD=%s", SHIM), NULL, marker);
	cr_assert_str_eq(proc.out, "main ran, preinit write: ok\n",
			 "preload mode now confines .preinit_array: '%s'",
			 proc.out);
	cr_assert(tu_exists(marker), "%s was not written", marker);
}
