// SPDX-License-Identifier: Apache-2.0
/*
 * Programs the shim cannot confine, run for real through the wrappers
 * `nono wrap` writes, and the inherited marker (NONO_SHIM_APPLIED).
 *
 * glibc's loader does not load the shim into a program of another ELF
 * class or machine (it warns and runs the program), nor, named by a path,
 * into a secure-execution process (set-uid, set-gid, file capabilities):
 * there it is silently left out. Each test starts the program through a
 * wrapper and has it try to create a file under T/out, which the policy
 * does not grant; an unconfined program succeeds. nono wrap must route
 * all of these through `nono run`, which applies the sandbox to itself
 * before it executes the program.
 *
 * The policy grants read access to the build tree (the shim, nono, the
 * probes) and T/bin (copies of them), nothing under T/out.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers/testutil.h"

#define SHIM NONO_SHIM_PATH
#define SETPRIV "/usr/bin/setpriv"
#define SETCAP "/usr/sbin/setcap"
/* nobody and nogroup on Debian: an identity the test is not. */
#define OTHER_ID 65534

static char *T;
static char *bin;
static char *out_dir;
static char *policy_path;
static char *wrapper;
static struct tu_proc proc;

static void setup(void)
{
	T = tu_tmpdir();
	bin = tu_fmt("%s/bin", T);
	out_dir = tu_fmt("%s/out", T);
	tu_mkdir(bin);
	tu_mkdir(out_dir);
	/* Other users (the set-uid probe's) may reach T and write in
	 * T/out: only the sandbox stands in the way. */
	chmod(T, 0755);
	chmod(out_dir, 0777);
	policy_path = tu_fmt("%s/policy.ini", T);
	tu_write_file(policy_path,
		      tu_fmt("[policy]\ninclude = system\n"
			     "[filesystem]\nread = %s\nread = %s\n",
			     NONO_BUILD_ROOT, bin));
	wrapper = tu_fmt("%s/wrapped", bin);
}

static void teardown(void)
{
	tu_rm_rf(T);
}

TestSuite(wrap, .init = setup, .fini = teardown);

/* Runs argv (NULL-terminated list) with a small clean environment and
 * the extra "NAME=value" strings (NULL-terminated, may be NULL). */
static int spawn(const char *const extra[], const char *first, ...)
{
	const char *argv[16];
	size_t n = 0;
	va_list ap;

	argv[n++] = first;
	va_start(ap, first);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return tu_spawn(&proc, (char *const *)argv, tu_env(NULL, NULL, extra),
			30);
}

/* nono wrap --policy ... --output WRAPPER -- program [arg]. */
static void wrap(const char *program, const char *arg)
{
	spawn(NULL, NONO_CLI_PATH, "wrap", "--policy", policy_path, "--shim",
	      SHIM, "--output", wrapper, "--force", "--", program, arg, NULL);
	cr_assert_eq(proc.status, 0, "nono wrap %s: status %d, '%s'", program,
		     proc.status, proc.err);
}

/* The first KiB of a file, as a static string. */
static const char *slurp(const char *path)
{
	static char text[1024];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "open %s", path);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

static void assert_uses_nono_run(void)
{
	const char *text = slurp(wrapper);

	cr_assert(strstr(text, " run --policy "), "not through nono run:\n%s",
		  text);
	cr_assert_null(strstr(text, "LD_PRELOAD"), "through the shim:\n%s",
		       text);
}

/* The file a probe tries to create, and what must come of it. */
static void assert_confined(const char *file, const char *expected_out)
{
	cr_assert_str_eq(proc.out, expected_out,
			 "the program was not confined: status %d, stdout "
			 "'%s', stderr '%s'",
			 proc.status, proc.out, proc.err);
	cr_assert(!tu_exists(file), "%s was created", file);
}

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root, to make set-uid and capability "
			     "programs of another owner");
}

static void need_probe32(bool run)
{
	if (!NONO_PROBE32_PATH[0])
		cr_skip_test("the compiler cannot make a 32-bit x86 program "
			     "(tests/helpers/meson.build)");
	if (run && !tu_exists("/lib/ld-linux.so.2"))
		cr_skip_test("no 32-bit loader (/lib/ld-linux.so.2) to run "
			     "the 32-bit program");
}

Test(wrap, program_of_another_elf_class_runs_through_nono_run)
{
	char *file = tu_fmt("%s/written", out_dir);

	need_probe32(false);
	wrap(NONO_PROBE32_PATH, NULL);
	assert_uses_nono_run();
	need_probe32(true);
	/* Under a shim wrapper, glibc ignores the 64-bit shim ("wrong ELF
	 * class") and the program runs unconfined with status 0. */
	spawn(NULL, wrapper, file, NULL);
	assert_confined(file, "EACCES\n");
	cr_assert_eq(proc.status, 1, "status %d, stderr '%s'", proc.status,
		     proc.err);
}

Test(wrap, script_whose_interpreter_is_of_another_class_runs_through_run)
{
	char *script = tu_fmt("%s/script", bin);
	char *file = tu_fmt("%s/written", out_dir);

	need_probe32(false);
	tu_write_bytes(script, tu_fmt("#!%s\n", NONO_PROBE32_PATH),
		       strlen(NONO_PROBE32_PATH) + 3, 0755);
	wrap(script, NULL);
	assert_uses_nono_run();
	need_probe32(true);
	spawn(NULL, wrapper, file, NULL);
	assert_confined(file, "EACCES\n");
}

/* T/bin/NAME: a copy of the probe, owned by nobody:nogroup, with `mode`;
 * or with file capabilities when `caps` is not NULL. */
static char *privileged_probe(const char *name, unsigned mode, const char *caps)
{
	char *copy = tu_fmt("%s/%s", bin, name);

	tu_copy_file(NONO_PROBE_PATH, copy, 0755);
	cr_assert_eq(chown(copy, OTHER_ID, OTHER_ID), 0, "chown %s: %s", copy,
		     strerror(errno));
	cr_assert_eq(chmod(copy, mode), 0, "chmod %s", copy);
	if (caps) {
		if (access(SETCAP, X_OK) != 0)
			cr_skip_test("no %s to give a program capabilities",
				     SETCAP);
		spawn(NULL, SETCAP, caps, copy, NULL);
		if (proc.status != 0)
			cr_skip_test("this filesystem takes no file "
				     "capabilities: %s",
				     proc.err);
	}
	return copy;
}

static void assert_privileged_program_confined(const char *program)
{
	char *file = tu_fmt("%s/written", out_dir);

	wrap(program, "write");
	cr_assert(strstr(proc.err, "no_new_privs"),
		  "nono wrap warns that the program loses its privileges: "
		  "'%s'",
		  proc.err);
	assert_uses_nono_run();
	/* Under a shim wrapper, the loader leaves the shim out of this
	 * secure-execution process, and the program writes as nobody. */
	spawn(NULL, wrapper, file, NULL);
	assert_confined(file, "EACCES\n");
}

Test(wrap, set_uid_program_runs_through_nono_run)
{
	need_root();
	assert_privileged_program_confined(
		privileged_probe("suid_probe", 04755, NULL));
}

Test(wrap, set_gid_program_runs_through_nono_run)
{
	need_root();
	assert_privileged_program_confined(
		privileged_probe("sgid_probe", 02755, NULL));
}

Test(wrap, script_whose_interpreter_is_set_uid_runs_through_nono_run)
{
	/* "#!INTERP write": the kernel runs "suid_probe write SCRIPT", so
	 * the probe tries to overwrite the script, which the policy lets
	 * it read (and execute) but not write. Under a shim wrapper the
	 * loader leaves the shim out, and the probe (as nobody, the
	 * script's owner) overwrites it. */
	char *script = tu_fmt("%s/script", out_dir);
	char *interp, *text;

	need_root();
	interp = privileged_probe("suid_probe", 04755, NULL);
	text = tu_fmt("#!%s write\n", interp);
	tu_write_bytes(script, text, strlen(text), 0755);
	/* Writable by nobody too: only the sandbox stands in the way. */
	cr_assert_eq(chown(script, OTHER_ID, OTHER_ID), 0, "chown %s", script);
	tu_write_file(policy_path,
		      tu_fmt("[policy]\ninclude = system\n[filesystem]\n"
			     "read = %s\nread = %s\nread_file = %s\n",
			     NONO_BUILD_ROOT, bin, script));
	wrap(script, NULL);
	assert_uses_nono_run();
	spawn(NULL, wrapper, NULL);
	cr_assert_str_eq(proc.out, "EACCES\n",
			 "the interpreter was not confined: status %d, stdout "
			 "'%s', stderr '%s'",
			 proc.status, proc.out, proc.err);
	cr_assert_str_eq(slurp(script), text, "the script was overwritten");
}

Test(wrap, program_with_file_capabilities_runs_through_nono_run)
{
	char *program, *file = tu_fmt("%s/written", out_dir);
	char *uid = tu_fmt("--reuid=%d", OTHER_ID);
	char *gid = tu_fmt("--regid=%d", OTHER_ID);

	need_root();
	if (access(SETPRIV, X_OK) != 0)
		cr_skip_test("no %s to run the wrapper as another user",
			     SETPRIV);
	program = privileged_probe("cap_probe", 0755, "cap_net_raw+ep");
	wrap(program, "write");
	cr_assert(strstr(proc.err, "no_new_privs"),
		  "nono wrap warns that the program loses its privileges: "
		  "'%s'",
		  proc.err);
	assert_uses_nono_run();
	/* Run by root, a program with file capabilities gains nothing and
	 * is no secure-execution process: run the wrapper as nobody. */
	spawn(NULL, SETPRIV, uid, gid, "--clear-groups", wrapper, file, NULL);
	assert_confined(file, "EACCES\n");
}

/*
 * The marker. The shim skips a policy whose identity it finds in
 * NONO_SHIM_APPLIED in a process with no_new_privs; a marker copied into
 * an unconfined process that has no_new_privs from elsewhere (setpriv,
 * systemd's NoNewPrivileges=) switched it off. nono run and the wrappers
 * must clear an inherited one.
 */

/* The identity the shim gives the policy: it sets the marker to it. */
static char *policy_identity(void)
{
	const char *extra[] = { tu_fmt("LD_PRELOAD=%s", SHIM),
				tu_fmt("NONO_POLICY=%s", policy_path), NULL };

	spawn(extra, NONO_PROBE_PATH, "getenv", "NONO_SHIM_APPLIED", NULL);
	cr_assert_eq(proc.status, 0,
		     "the shim sets the marker: status %d, "
		     "'%s'",
		     proc.status, proc.err);
	return tu_fmt("NONO_SHIM_APPLIED=%.*s", (int)strcspn(proc.out, "\n"),
		      proc.out);
}

static void need_setpriv(void)
{
	if (access(SETPRIV, X_OK) != 0)
		cr_skip_test("no %s to set no_new_privs", SETPRIV);
}

Test(wrap, wrapper_clears_an_inherited_marker)
{
	char *secret = tu_fmt("%s/secret.txt", T);
	const char *extra[] = { policy_identity(), NULL };

	need_setpriv();
	tu_write_file(secret, "password\n");
	wrap("cat", NULL);
	spawn(extra, SETPRIV, "--no-new-privs", wrapper, secret, NULL);
	cr_assert_neq(proc.status, 0, "cat read the secret: '%s'", proc.out);
	cr_assert_null(strstr(proc.out, "password"), "the secret: '%s'",
		       proc.out);
	cr_assert(strstr(proc.err, "Permission denied"), "refused: '%s'",
		  proc.err);
}

Test(wrap, run_wrapper_clears_an_inherited_marker)
{
	/* The static probe goes through nono run, whose sandbox confines
	 * it anyway; the marker must not reach it either. */
	const char *extra[] = { policy_identity(), NULL };

	need_setpriv();
	wrap(NONO_STATIC_PROBE_PATH, "getenv");
	assert_uses_nono_run();
	spawn(extra, SETPRIV, "--no-new-privs", wrapper, "NONO_SHIM_APPLIED",
	      NULL);
	cr_assert_str_eq(proc.out, "(unset)\n", "the marker reached it: '%s'",
			 proc.out);
}

Test(wrap, nono_run_clears_an_inherited_marker)
{
	char *secret = tu_fmt("%s/secret.txt", T);
	const char *extra[] = { policy_identity(), NULL };

	need_setpriv();
	tu_write_file(secret, "password\n");
	spawn(extra, SETPRIV, "--no-new-privs", NONO_CLI_PATH, "run",
	      "--policy", policy_path, "--", "cat", secret, NULL);
	cr_assert_neq(proc.status, 0, "cat read the secret: '%s'", proc.out);
	cr_assert(strstr(proc.err, "Permission denied"), "refused: '%s'",
		  proc.err);
	spawn(extra, SETPRIV, "--no-new-privs", NONO_CLI_PATH, "run",
	      "--policy", policy_path, "--", NONO_PROBE_PATH, "getenv",
	      "NONO_SHIM_APPLIED", NULL);
	cr_assert_str_eq(proc.out, "(unset)\n", "the marker reached it: '%s'",
			 proc.out);
}
