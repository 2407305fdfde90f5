// SPDX-License-Identifier: Apache-2.0
/*
 * nono wrap: writes a /bin/sh script that runs a program sandboxed by a
 * policy, so that the program can be started as before, by a path.
 *
 * A dynamically linked program goes through the shim (LD_PRELOAD). That
 * is no boundary where the shim is not loaded, so the script refuses to
 * run when the shim or the policy is missing: glibc merely warns and runs
 * the program unsandboxed when a preload cannot be loaded. Nor does the
 * loader load the shim into a program of another ELF class or machine
 * (it warns and runs it), or, silently, into a set-uid, set-gid or
 * file-capability one (secure execution). Those, and everything else that
 * cannot be shown to be a dynamic program of the shim's kind (a static
 * program, a script whose interpreter is one of these), go through
 * `nono run`, which confines whatever it executes.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli.h"

/*
 * renameat2(2). glibc (2.28 and later) declares it in <stdio.h> together
 * with RENAME_NOREPLACE, and then its wrapper is used; musl (1.2.3) has
 * neither, so the system call is made directly: the kernel does the same
 * work either way (docs/musl.md).
 */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1U << 0)

static int renameat2(int olddirfd, const char *oldpath, int newdirfd,
		     const char *newpath, unsigned int flags)
{
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
			    flags);
}
#endif

#ifndef NONO_SHIM_INSTALL_PATH
#error "NONO_SHIM_INSTALL_PATH must name the installed libnono_shim.so"
#endif

/* How deep "#!" interpreters are followed; Linux itself stops at 4. */
#define WRAP_MAX_SCRIPT_DEPTH 4
/* Program headers read at most: real programs have a dozen or two. */
#define WRAP_MAX_PHDRS 512
/* The longest "#!" line looked at; Linux reads 256 bytes. */
#define WRAP_SHEBANG_MAX 256
/* Where the kernel keeps a file's capabilities. */
#define WRAP_XATTR_CAPS "security.capability"

enum wrap_option {
	WRAP_OPT_POLICY = 0x100,
	WRAP_OPT_SHIM,
	WRAP_OPT_FORCE,
	WRAP_OPT_NO_EARLY,
};

struct wrap_args {
	const char *policy;
	const char *output;
	const char *shim;
	bool force;
	bool no_early;	/* --no-early: LD_PRELOAD only */
	char **program; /* PROGRAM and its arguments */
	int program_argc;
};

static const struct option wrap_options[] = {
	{ "policy", required_argument, NULL, WRAP_OPT_POLICY },
	{ "output", required_argument, NULL, 'o' },
	{ "shim", required_argument, NULL, WRAP_OPT_SHIM },
	{ "force", no_argument, NULL, WRAP_OPT_FORCE },
	{ "no-early", no_argument, NULL, WRAP_OPT_NO_EARLY },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* Returns -1 when the command line is good, otherwise the exit status. */
static int wrap_parse(int argc, char **argv, struct wrap_args *args)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:ho:", wrap_options, NULL)) !=
	       -1) {
		switch (c) {
		case WRAP_OPT_POLICY:
			args->policy = optarg;
			break;
		case 'o':
			args->output = optarg;
			break;
		case WRAP_OPT_SHIM:
			args->shim = optarg;
			break;
		case WRAP_OPT_FORCE:
			args->force = true;
			break;
		case WRAP_OPT_NO_EARLY:
			args->no_early = true;
			break;
		default:
			return cli_common_option(&cli_wrap_command, c, argv);
		}
	}
	if (!args->policy)
		return cli_usage_error("wrap", "--policy is required");
	if (!args->output || !*args->output)
		return cli_usage_error("wrap", "--output is required");
	if (optind >= argc)
		return cli_usage_error("wrap", "no program given");
	args->program = argv + optind;
	args->program_argc = argc - optind;
	return -1;
}

static bool wrap_pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	return n >= 0 && (size_t)n == len;
}

/*
 * The ELF identity the loader checks before it loads a library into a
 * program: a library of another class, byte order or machine is refused
 * ("wrong ELF class") and the program runs without it.
 */
struct wrap_elf_kind {
	unsigned char elf_class;
	unsigned char data;
	uint16_t machine;
};

/* How a wrapper runs a program, and why. */
enum wrap_route {
	/* Dynamically linked, of the shim's kind (checked by the caller):
	 * the shim. */
	WRAP_ROUTE_SHIM,
	/* Not shown to be dynamically linked (static, not ELF, unreadable
	 * interpreter): nothing would load the shim. */
	WRAP_ROUTE_NOT_DYNAMIC,
	/* Another byte order, class or machine than the shim's. */
	WRAP_ROUTE_FOREIGN,
	/* Set-uid, set-gid or file capabilities: the kernel marks the
	 * process for secure execution, and glibc's loader then ignores
	 * LD_PRELOAD and LD_AUDIT paths, silently. */
	WRAP_ROUTE_PRIVILEGED,
};

/* What wrap_inspect found. */
struct wrap_verdict {
	enum wrap_route route;
	struct wrap_elf_kind kind; /* of the ELF file, for WRAP_ROUTE_SHIM */
	const char *why;	   /* for WRAP_ROUTE_PRIVILEGED */
	char culprit[PATH_MAX];	   /* the file that is privileged */
};

/*
 * Whether the ELF file open on fd asks for a program interpreter (the
 * dynamic loader, which is what honours LD_PRELOAD), and its kind. Only
 * this machine's byte order is read; anything unexpected counts as "not
 * dynamic", which sends the program through `nono run`: the safe side.
 */
#define WRAP_DEFINE_HAS_INTERP(bits)                                          \
	static bool wrap_has_interp##bits(int fd, struct wrap_elf_kind *kind) \
	{                                                                     \
		Elf##bits##_Ehdr eh;                                          \
		Elf##bits##_Phdr ph;                                          \
                                                                              \
		if (!wrap_pread_all(fd, &eh, sizeof(eh), 0) ||                \
		    eh.e_phentsize != sizeof(ph) ||                           \
		    eh.e_phnum > WRAP_MAX_PHDRS ||                            \
		    (uint64_t)eh.e_phoff > (uint64_t)INT32_MAX)               \
			return false;                                         \
		kind->elf_class = eh.e_ident[EI_CLASS];                       \
		kind->data = eh.e_ident[EI_DATA];                             \
		kind->machine = eh.e_machine;                                 \
		for (unsigned i = 0; i < eh.e_phnum; i++) {                   \
			off_t off = (off_t)eh.e_phoff +                       \
				    (off_t)i * (off_t)sizeof(ph);             \
			if (!wrap_pread_all(fd, &ph, sizeof(ph), off))        \
				return false;                                 \
			if (ph.p_type == PT_INTERP)                           \
				return true;                                  \
		}                                                             \
		return false;                                                 \
	}

WRAP_DEFINE_HAS_INTERP(32)
WRAP_DEFINE_HAS_INTERP(64)

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WRAP_HOST_DATA ELFDATA2LSB
#else
#define WRAP_HOST_DATA ELFDATA2MSB
#endif

/*
 * The kind of the ELF file at `path` (the shim). 0, or -1 with errno set;
 * ENOEXEC when it is no ELF file of this machine's byte order.
 */
static int wrap_elf_kind_of(const char *path, struct wrap_elf_kind *kind)
{
	unsigned char ident[EI_NIDENT];
	Elf32_Half machine;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = -1;

	if (fd < 0)
		return -1;
	/* e_machine follows e_type right after e_ident in both classes. */
	if (!wrap_pread_all(fd, ident, sizeof(ident), 0) ||
	    !wrap_pread_all(fd, &machine, sizeof(machine),
			    offsetof(Elf64_Ehdr, e_machine)) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0 ||
	    ident[EI_DATA] != WRAP_HOST_DATA) {
		errno = ENOEXEC;
		goto close_fd;
	}
	*kind = (struct wrap_elf_kind){
		.elf_class = ident[EI_CLASS],
		.data = ident[EI_DATA],
		.machine = machine,
	};
	rc = 0;

close_fd:
	close(fd);
	return rc;
}

/*
 * Whether the file open on fd makes a secure-execution process: set-uid
 * or set-gid bits (on any file: the kernel ignores them on scripts, but
 * the safe side costs nothing), or file capabilities. Returns 1 and fills
 * in v if so, 0 if not, -1 with errno set when the capabilities cannot be
 * read.
 */
static int wrap_is_privileged(int fd, const char *path, struct wrap_verdict *v)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	v->why = NULL;
	if (st.st_mode & S_ISUID)
		v->why = "is set-uid";
	else if (st.st_mode & S_ISGID)
		v->why = "is set-gid";
	else if (fgetxattr(fd, WRAP_XATTR_CAPS, NULL, 0) >= 0)
		v->why = "has file capabilities";
	else if (errno != ENODATA && errno != ENOTSUP)
		return -1;
	if (!v->why)
		return 0;
	v->route = WRAP_ROUTE_PRIVILEGED;
	snprintf(v->culprit, sizeof(v->culprit), "%s", path);
	return 1;
}

/*
 * How the program at `path` can be confined: an ELF file with a
 * PT_INTERP header, or a "#!" script whose interpreter is one, can be
 * given the shim, unless it or its interpreter is privileged
 * (wrap_is_privileged); v->kind then says which shim it can load.
 * Returns 0 with *v filled in, or -1 with errno set when the file cannot
 * be read.
 */
static int wrap_inspect(const char *path, int depth, struct wrap_verdict *v)
{
	unsigned char ident[EI_NIDENT];
	char line[WRAP_SHEBANG_MAX + 1];
	char *interp, *end;
	ssize_t n;
	int fd, rc = -1;

	v->route = WRAP_ROUTE_NOT_DYNAMIC;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	switch (wrap_is_privileged(fd, path, v)) {
	case 1:
		rc = 0;
		/* fall through */
	case -1:
		goto close_fd;
	}
	n = pread(fd, line, WRAP_SHEBANG_MAX, 0);
	if (n < 0)
		goto close_fd;
	rc = 0;
	line[n] = '\0';
	if ((size_t)n >= sizeof(ident)) {
		memcpy(ident, line, sizeof(ident));
		if (memcmp(ident, ELFMAG, SELFMAG) == 0) {
			bool dynamic = false;

			if (ident[EI_DATA] != WRAP_HOST_DATA)
				v->route = WRAP_ROUTE_FOREIGN;
			else if (ident[EI_CLASS] == ELFCLASS64)
				dynamic = wrap_has_interp64(fd, &v->kind);
			else if (ident[EI_CLASS] == ELFCLASS32)
				dynamic = wrap_has_interp32(fd, &v->kind);
			if (dynamic)
				v->route = WRAP_ROUTE_SHIM;
			goto close_fd;
		}
	}
	/* A script: the kernel starts its interpreter, and that is where
	 * the loader reads LD_PRELOAD. */
	if (n < 2 || line[0] != '#' || line[1] != '!' ||
	    depth >= WRAP_MAX_SCRIPT_DEPTH)
		goto close_fd;
	interp = line + 2 + strspn(line + 2, " \t");
	end = interp + strcspn(interp, " \t\n");
	*end = '\0';
	if (interp[0] != '/')
		goto close_fd;
	/* An interpreter that cannot be read is not shown to be dynamic. */
	if (wrap_inspect(interp, depth + 1, v) < 0)
		v->route = WRAP_ROUTE_NOT_DYNAMIC;

close_fd:
	close(fd);
	return rc;
}

/* Writes `s` as one single-quoted sh word: ' becomes '\''. */
static void wrap_put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/*
 * A path made absolute without resolving its last component: a program
 * reached through a symlink keeps its name (argv[0] matters to some).
 * A new string (free()) or NULL with errno set.
 */
static char *wrap_absolute(const char *path)
{
	char *dir_copy = strdup(path), *base_copy = strdup(path);
	char real[PATH_MAX];
	char *out = NULL;
	const char *base;

	if (!dir_copy || !base_copy)
		goto free_copies;
	if (!realpath(dirname(dir_copy), real))
		goto free_copies;
	base = basename(base_copy);
	if (asprintf(&out, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base) <
	    0)
		out = NULL;

free_copies:
	free(dir_copy);
	free(base_copy);
	return out;
}

/* Writes an sh test that ends the wrapper with status 126 and a "nono:"
 * line when `test` is true. */
static void wrap_put_refusal(FILE *f, const char *test, const char *var,
			     const char *what, const char *consequence)
{
	fprintf(f,
		"if %s; then\n"
		"\tprintf 'nono: %%s: %s %%s is missing or unreadable; %s\\n' "
		"\"$0\" \"$%s\" >&2\n"
		"\texit 126\n"
		"fi\n",
		test, what, consequence, var);
}

/*
 * The script. Paths are in single quotes and nowhere else, so no name can
 * break out of them; the program's arguments follow it, then "$@".
 */
/* Whether the wrapper uses early mode: by default where the C library
 * (glibc) has the auditing interface, which musl does not. */
static bool wrap_early(const struct wrap_args *args)
{
#ifdef __GLIBC__
	return !args->no_early;
#else
	(void)args;
	return false;
#endif
}

static char *wrap_script(const struct wrap_args *args, const char *policy,
			 const char *program, const char *shim,
			 const char *nono)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	fprintf(f,
		"#!/bin/sh\n"
		"# Written by nono wrap (nono %s): runs a program sandboxed\n"
		"# by a policy. It refuses to run when what enforces the\n"
		"# sandbox is missing, rather than run the program "
		"unconfined.\n",
		NONO_VERSION_STRING);
	fputs("nono_policy=", f);
	wrap_put_quoted(f, policy);
	fputc('\n', f);
	if (shim) {
		fputs("nono_shim=", f);
		wrap_put_quoted(f, shim);
		fputc('\n', f);
		wrap_put_refusal(
			f, "[ ! -f \"$nono_shim\" ] || [ ! -r \"$nono_shim\" ]",
			"nono_shim", "the sandbox shim",
			"refusing to run unsandboxed");
	} else {
		fputs("nono=", f);
		wrap_put_quoted(f, nono);
		fputc('\n', f);
		wrap_put_refusal(f, "[ ! -f \"$nono\" ] || [ ! -x \"$nono\" ]",
				 "nono", "the nono command",
				 "refusing to run unsandboxed");
	}
	wrap_put_refusal(
		f, "[ ! -f \"$nono_policy\" ] || [ ! -r \"$nono_policy\" ]",
		"nono_policy", "the policy", "refusing to run");
	/* An inherited marker could switch the shim off (CLI_ENV_SHIM_APPLIED
	 * in cli.h). `nono run` clears it as well; the script does it for
	 * both kinds of wrapper, so that neither depends on the other. */
	fputs("unset " CLI_ENV_SHIM_APPLIED "\n", f);
	/*
	 * Early mode where the C library has it: the shim as auditor is in
	 * force before the program's own libraries run their constructors,
	 * and preloaded as well so that children recognise the policy their
	 * parent applied (shim/shim.c explains why both).
	 */
	if (shim && wrap_early(args))
		fputs("LD_AUDIT=\"$nono_shim\" ", f);
	if (shim)
		fputs("LD_PRELOAD=\"$nono_shim\" NONO_POLICY=\"$nono_policy\" "
		      "exec ",
		      f);
	else
		fputs("exec \"$nono\" run --policy \"$nono_policy\" -- ", f);
	wrap_put_quoted(f, program);
	for (int i = 1; i < args->program_argc; i++) {
		fputc(' ', f);
		wrap_put_quoted(f, args->program[i]);
	}
	fputs(" \"$@\"\n", f);
	if (ferror(f)) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Moves tmp to out, without replacing out unless `force`. 0 or -1. */
static int wrap_install(const char *tmp, const char *out, bool force)
{
	if (force)
		return rename(tmp, out);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, out, RENAME_NOREPLACE) == 0)
		return 0;
	/* A filesystem without RENAME_NOREPLACE: link(2) also fails on an
	 * existing name, atomically. */
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(tmp, out) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

/* Writes the script to `out` (mode 0755) through a temporary file in the
 * same directory. Returns the exit status. */
static int wrap_write(const char *out, const char *text, bool force)
{
	size_t len = strlen(text);
	char *tmp;
	int fd, status = CLI_EXIT_FAILURE;

	if (asprintf(&tmp, "%s.XXXXXX", out) < 0) {
		cli_error("wrap: %s", nono_strerror(NONO_ENOMEM));
		return CLI_EXIT_FAILURE;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		cli_error("wrap: cannot create a file next to %s: %s", out,
			  strerror(errno));
		goto free_tmp;
	}
	if (nono__write_all(fd, text, len) != 0) {
		cli_error("wrap: writing %s: %s", tmp, strerror(errno));
		goto unlink_tmp;
	}
	if (fchmod(fd, 0755) < 0 || fsync(fd) < 0) {
		cli_error("wrap: %s: %s", tmp, strerror(errno));
		goto unlink_tmp;
	}
	if (close(fd) < 0) {
		fd = -1;
		cli_error("wrap: %s: %s", tmp, strerror(errno));
		goto unlink_tmp;
	}
	fd = -1;
	if (wrap_install(tmp, out, force) < 0) {
		if (errno == EEXIST)
			cli_error(
				"wrap: %s already exists (--force replaces it)",
				out);
		else
			cli_error("wrap: %s: %s", out, strerror(errno));
		goto unlink_tmp;
	}
	status = CLI_EXIT_OK;
	goto free_tmp;

unlink_tmp:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
free_tmp:
	free(tmp);
	return status;
}

/*
 * `nono run` executes the program inside the sandbox, so the policy must
 * let it read the program file; a wrapper that can only ever exit with
 * 126 is worth a warning now. (Under the shim the program is loaded
 * before the sandbox exists, so this only matters for `nono run`.)
 */
static void wrap_warn_not_granted(const nono_caps *caps, const char *program)
{
	nono_query_result res;
	nono_query *query = NULL;

	if (nono_query_new(caps, &query) < 0)
		return;
	if (nono_query_path(query, program, NONO_ACCESS_READ, &res) == 0 &&
	    res.status != NONO_QUERY_STATUS_ALLOWED)
		cli_error(
			"wrap: warning: the policy does not grant read access "
			"to %s, so the wrapper will exit with status 126",
			program);
	nono_query_free(query);
}

/*
 * The shim for a wrapper to load into `program`, in *shim (a new string,
 * free()), or NULL there when the shim cannot confine the program and the
 * wrapper must use `nono run`. Returns -1 when all is well, otherwise the
 * exit status, after a message.
 */
static int wrap_pick_shim(const struct wrap_args *args, const char *program,
			  char **shim)
{
	const char *wanted = args->shim ? args->shim : NONO_SHIM_INSTALL_PATH;
	struct wrap_verdict v = { 0 };
	struct wrap_elf_kind kind;

	*shim = NULL;
	if (wrap_inspect(program, 0, &v) < 0) {
		cli_error("wrap: %s: %s", program, strerror(errno));
		return CLI_EXIT_FAILURE;
	}
	if (v.route == WRAP_ROUTE_PRIVILEGED)
		cli_error("wrap: warning: %s %s, so the loader would leave "
			  "the shim out: the wrapper uses `nono run`, where it "
			  "runs confined but without those privileges "
			  "(no_new_privs)",
			  v.culprit, v.why);
	if (v.route != WRAP_ROUTE_SHIM)
		return -1;

	*shim = realpath(wanted, NULL);
	if (!*shim) {
		cli_error("wrap: the shim %s: %s (give its path with --shim)",
			  wanted, strerror(errno));
		return CLI_EXIT_FAILURE;
	}
	if (wrap_elf_kind_of(*shim, &kind) < 0) {
		cli_error("wrap: the shim %s: %s", *shim, strerror(errno));
		free(*shim);
		*shim = NULL;
		return CLI_EXIT_FAILURE;
	}
	/* A 32-bit program, say, with a 64-bit shim: the loader would
	 * warn, leave the shim out and run the program. */
	if (kind.elf_class != v.kind.elf_class || kind.data != v.kind.data ||
	    kind.machine != v.kind.machine) {
		free(*shim);
		*shim = NULL;
	}
	return -1;
}

static int wrap_main(int argc, char **argv)
{
	struct wrap_args args = { 0 };
	nono_policy *policy = NULL;
	char *policy_abs = NULL, *found = NULL, *program = NULL;
	char *shim = NULL, *text = NULL;
	char nono[PATH_MAX] = "";
	ssize_t len;
	int status;

	status = wrap_parse(argc, argv, &args);
	if (status >= 0)
		return status;

	/* A wrapper for a policy that does not load would only ever
	 * refuse to run: say so now. */
	status = CLI_EXIT_FAILURE;
	if (cli_policy_load(args.policy, &policy) < 0)
		return CLI_EXIT_FAILURE;
	policy_abs = realpath(args.policy, NULL);
	if (!policy_abs) {
		cli_error("wrap: %s: %s", args.policy, strerror(errno));
		goto free_all;
	}

	found = cli_find_program(args.program[0]);
	if (!found) {
		cli_error("wrap: %s: %s", args.program[0],
			  errno == ENOENT ? "program not found"
					  : strerror(errno));
		goto free_all;
	}
	/* The wrapper names the program by its absolute path: its PATH at
	 * run time may differ, and might find a static program there. */
	program = wrap_absolute(found);
	if (!program) {
		cli_error("wrap: %s: %s", found, strerror(errno));
		goto free_all;
	}
	status = wrap_pick_shim(&args, program, &shim);
	if (status >= 0)
		goto free_all;
	status = CLI_EXIT_FAILURE;
	if (!shim) {
		wrap_warn_not_granted(nono_policy_caps(policy), program);
		len = readlink("/proc/self/exe", nono, sizeof(nono) - 1);
		if (len < 0) {
			cli_error("wrap: cannot find the nono command: %s",
				  strerror(errno));
			goto free_all;
		}
		nono[len] = '\0';
	}

	text = wrap_script(&args, policy_abs, program, shim, nono);
	if (!text) {
		cli_error("wrap: %s", nono_strerror(NONO_ENOMEM));
		goto free_all;
	}
	status = wrap_write(args.output, text, args.force);

free_all:
	free(text);
	free(shim);
	free(program);
	free(found);
	free(policy_abs);
	nono_policy_free(policy);
	return status;
}

/* clang-format off */
const struct cli_command cli_wrap_command = {
	.name = "wrap",
	.summary = "write a script that runs a program sandboxed",
	.usage = "usage: nono wrap --policy FILE --output WRAPPER [--shim PATH] [--force] [--no-early]\n"
		 "                 [--] PROGRAM [ARGS...]\n",
	.help = "Writes WRAPPER, an executable /bin/sh script that runs PROGRAM\n"
		"(with ARGS, then the wrapper's own arguments) sandboxed by the\n"
		"policy FILE. A dynamically linked PROGRAM runs under the shim,\n"
		"in early mode (LD_AUDIT and LD_PRELOAD: confined before its own\n"
		"libraries' constructors run) on glibc. Every program the shim\n"
		"cannot confine runs through `nono run`: a static one, one of\n"
		"another ELF class or machine than the shim (32-bit, say), a\n"
		"set-uid, set-gid or file-capability one (the loader leaves the\n"
		"shim out; under `nono run` it runs without those privileges, and\n"
		"nono wrap warns), a script whose interpreter is any of these, and\n"
		"anything not recognised. The wrapper exits with status 126 and a\n"
		"'nono:' line, without running PROGRAM, when the shim (or nono), or\n"
		"the policy is missing. Paths are written absolute; run nono wrap\n"
		"again when PROGRAM is replaced by a different build.\n"
		"\n"
		"  --policy FILE      the policy (checked now, read at every run)\n"
		"  -o, --output FILE  the wrapper to write (atomically, mode 0755)\n"
		"  --shim PATH        libnono_shim.so; default " NONO_SHIM_INSTALL_PATH "\n"
		"  --force            replace WRAPPER if it exists\n"
		"  --no-early         LD_PRELOAD only, no LD_AUDIT\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: 0, 1 when the policy is bad or the wrapper cannot be\n"
		"written, 2 for a usage error.\n",
	.run = wrap_main,
	.options = wrap_options,
};
/* clang-format on */
