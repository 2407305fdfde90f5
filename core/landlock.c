// SPDX-License-Identifier: Apache-2.0
/*
 * The Linux backend: a capability set becomes one Landlock ruleset.
 *
 * Every filesystem right the running kernel knows is handled (denied by
 * default), and each grant adds a path_beneath rule. The whole ruleset is
 * built before anything irreversible happens: only when every rule has been
 * added are no_new_privs and the ruleset applied, so a failure on the way
 * leaves the process as it was.
 *
 * Every sandbox also gets seccomp filters (filter.c) for what Landlock does
 * not see: a baseline (keyrings, bpf, terminal injection...), process
 * control, UNIX sockets, listen(), metadata and every socket family but
 * the ones Landlock judges, each as the capability set asks; and root
 * keeps only the capabilities the set keeps (capdrop.c). Deny rules, blocked
 * commands and exec_writable = false take rights back out of granted trees;
 * Landlock can only grant, so the grants they reduce are added split into rules
 * around the path taken out (carveout.c, docs/deny.md). The system calls
 * go through ll_sys, so that a test build can make any of them fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "carveout.h"
#include "landlock-compat.h"
#include "landlock-plan.h"
#include "capdrop.h"
#include "filter.h"

/* The Landlock system calls, reached through one pointer so that a test
 * build can swap in a fault injector without touching the logic. */
struct ll_syscalls {
	int (*create_ruleset)(const void *attr, size_t size, __u32 flags);
	int (*add_rule)(int ruleset_fd, int rule_type, const void *attr,
			__u32 flags);
	int (*restrict_self)(int ruleset_fd, __u32 flags);
};

static const struct ll_syscalls ll_real = {
	.create_ruleset = nono__ll_create_ruleset,
	.add_rule = nono__ll_add_rule,
	.restrict_self = nono__ll_restrict_self,
};

#ifdef NONO_FAULT_INJECTION
/* Test builds only: NONO_TEST_FAULT makes a chosen call fail. */
#include "landlock-fault.h"
static const struct ll_syscalls *const ll_sys = &ll_fault;
#else
static const struct ll_syscalls *const ll_sys = &ll_real;
#endif

/* The rights a rule on a non-directory may carry; the kernel rejects a
 * file rule with any other (they concern a directory's content). */
#define LL_FS_FILE                                                    \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
	 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV | LANDLOCK_ACCESS_FS_RESOLVE_UNIX)

/* nono's mapping of its two access modes. */
#define LL_FS_READ                                                    \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | \
	 LANDLOCK_ACCESS_FS_EXECUTE)

#define LL_FS_WRITE                                                      \
	(LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | \
	 LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
	 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |     \
	 LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |   \
	 LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM |   \
	 LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE)

/*
 * What a blocked command loses: execute, and reading. Reading too, because
 * execute alone is checked by execve() only: the dynamic loader runs a
 * program it is handed as an argument (ld-linux.so /usr/bin/rm) by reading
 * and mapping it, and a program that can be read can be copied. The
 * directory it is in stays listable.
 */
#define LL_FS_BLOCKED_CMD \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)

/* Where nono grants ioctl on devices for a directory grant. */
#define LL_DEV_DIR "/dev"

/*
 * The probed ABI: 0 until the first probe, then the version (> 0) or the
 * negative errno of the probe. The kernel cannot change under a running
 * process, so one probe serves it (and its forked children) for good; two
 * threads racing here merely probe twice and store the same value.
 */
static atomic_int ll_abi_cache;

static int ll_abi(void)
{
	int v = atomic_load(&ll_abi_cache);
	if (v != 0)
		return v;
	errno = 0;
	int abi = ll_sys->create_ruleset(NULL, 0,
					 LANDLOCK_CREATE_RULESET_VERSION);
	if (abi > 0)
		v = abi;
	else
		v = -(errno ? errno : ENOSYS);
	atomic_store(&ll_abi_cache, v);
	return v;
}

/* Why Landlock is missing, for a negative ll_abi() value. */
static const char *ll_unavailable_reason(int neg_errno)
{
	switch (-neg_errno) {
	case ENOSYS:
		return "the kernel has no Landlock system calls (older than "
		       "5.13, or built without CONFIG_SECURITY_LANDLOCK)";
	case EOPNOTSUPP:
		return "Landlock is built in but disabled at boot (add "
		       "\"landlock\" to the lsm= kernel parameter)";
	default:
		return strerror(-neg_errno);
	}
}

static const struct {
	unsigned bit;
	const char *name;
} ll_feature_names[] = {
	{ NONO_FEATURE_FS, "fs" },
	{ NONO_FEATURE_FS_REFER, "refer" },
	{ NONO_FEATURE_FS_TRUNCATE, "truncate" },
	{ NONO_FEATURE_NETWORK_TCP, "tcp" },
	{ NONO_FEATURE_FS_IOCTL_DEV, "ioctl_dev" },
	{ NONO_FEATURE_SCOPE_ABSTRACT_UNIX, "scope_abstract_unix" },
	{ NONO_FEATURE_SCOPE_SIGNAL, "scope_signal" },
	{ NONO_FEATURE_ALL_THREADS, "all_threads" },
	{ NONO_FEATURE_KERNEL_LOG, "kernel_log" },
	{ NONO_FEATURE_FS_RESOLVE_UNIX, "resolve_unix" },
	{ NONO_FEATURE_NETWORK_UDP, "udp" },
};

void nono__backend_support(nono_support_info *out)
{
	int abi = ll_abi();

	memset(out, 0, sizeof(*out));
	snprintf(out->platform, sizeof(out->platform), "linux");
	if (abi < 0) {
		snprintf(out->details, sizeof(out->details),
			 "Linux 5.13+ with Landlock enabled is required: %s",
			 ll_unavailable_reason(abi));
		return;
	}

	out->is_supported = true;
	out->abi = abi;
	out->features = nono__ll_features(abi);

	char names[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ll_feature_names); i++) {
		if (!(out->features & ll_feature_names[i].bit))
			continue;
		int n = snprintf(names + len, sizeof(names) - len, "%s%s",
				 len ? ", " : "", ll_feature_names[i].name);
		if (n < 0 || (size_t)n >= sizeof(names) - len)
			break;
		len += (size_t)n;
	}
	/* A newer kernel enforces at least what the newest ABI known here
	 * does, and is used as that one. */
	if (abi > NONO_LL_ABI_LAST)
		snprintf(out->details, sizeof(out->details),
			 "Landlock available (Landlock V%d, used as V%d, the "
			 "newest libnono knows; features: %s)",
			 abi, NONO_LL_ABI_LAST, names);
	else
		snprintf(out->details, sizeof(out->details),
			 "Landlock available (Landlock V%d, features: %s)", abi,
			 names);
}

/*
 * The number of threads of this process: 1 when it is alone, else the
 * entries of /proc/self/task, or a negative errno when /proc cannot tell.
 */
static int ll_thread_count(void)
{
	/*
	 * unshare(CLONE_THREAD) unshares nothing: the kernel refuses it
	 * (EINVAL) when the thread group holds another thread, whichever
	 * way it was made, and lets it succeed when the caller is alone.
	 * That is one system call that does almost nothing, where the stat
	 * below walks /proc and builds its entries for a new process (about
	 * 10 µs at the start of every sandboxed program). Refused for
	 * another reason (the filter of an outer sandbox), /proc tells.
	 */
	if (unshare(CLONE_THREAD) == 0)
		return 1;
	/*
	 * procfs gives a task directory two links plus one per thread.
	 * stat() is used rather than listing the directory because Landlock
	 * does not restrict it: a process already inside a sandbox that does
	 * not grant /proc (the shim in a child with another policy) can still
	 * count its threads.
	 */
	struct stat st;
	if (stat("/proc/self/task", &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_nlink < 3)
		return -ENOTDIR;
	return (int)(st.st_nlink - 2);
}

/* Whether a grant is a device for nono's ioctl rule: a character or block
 * device anywhere, or a directory at or beneath /dev. */
static bool ll_is_device_grant(const struct nono__fs_entry *e,
			       const struct stat *st)
{
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return true;
	return S_ISDIR(st->st_mode) &&
	       nono__path_is_beneath(e->resolved, LL_DEV_DIR);
}

/* The Landlock rights of one grant, limited to what the ruleset handles
 * (the kernel refuses a rule with a right the ruleset does not handle). */
static __u64 ll_rule_access(const struct nono__fs_entry *e,
			    const struct stat *st, __u64 handled_fs)
{
	__u64 access = 0;
	if (e->access & NONO_ACCESS_READ)
		access |= LL_FS_READ;
	if (e->access & NONO_ACCESS_WRITE)
		access |= LL_FS_WRITE | LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
	if (ll_is_device_grant(e, st))
		access |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (!S_ISDIR(st->st_mode))
		access &= LL_FS_FILE;
	return access & handled_fs;
}

/*
 * Opens a grant's path again for its rule, without following a final
 * symlink, and checks its kind against the grant: the tree may have
 * changed since the grant was made, and a rule on something else than
 * what was granted must not be added. A directory grant is opened with
 * O_DIRECTORY, which is that check, and needs no fstat: a directory's
 * rights depend on its path alone (ll_rule_access). Should that open fail
 * with ENOTDIR, the path is opened the plain way, whose fstat says what
 * it has become, so that the error is the one it always was.
 */
static int ll_open_grant(const struct nono__fs_entry *e,
			 struct nono__fd_batch *batch, struct stat *st,
			 int *fdp, nono_diag *diag)
{
	const int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	const char *kind = e->is_file ? "file" : "directory";
	int fd = -1, rc = 0;

	*fdp = -1;
	if (!e->is_file) {
		fd = nono__fd_batch_openat(batch, AT_FDCWD, e->resolved,
					   flags | O_DIRECTORY);
		if (fd >= 0) {
			*st = (struct stat){ .st_mode = S_IFDIR };
			*fdp = fd;
			return 0;
		}
		if (errno != ENOTDIR)
			return nono__diag_set_sys(
				diag, NONO_EAPPLY, NONO_STEP_OPEN_PATH, errno,
				"open %s (granted as a %s): %s", e->resolved,
				kind, strerror(errno));
	}
	fd = nono__fd_batch_openat(batch, AT_FDCWD, e->resolved, flags);
	if (fd < 0)
		return nono__diag_set_sys(diag, NONO_EAPPLY,
					  NONO_STEP_OPEN_PATH, errno,
					  "open %s (granted as a %s): %s",
					  e->resolved, kind, strerror(errno));
	if (fstat(fd, st) < 0)
		rc = nono__diag_set_sys(diag, NONO_EAPPLY, NONO_STEP_OPEN_PATH,
					errno, "fstat %s: %s", e->resolved,
					strerror(errno));
	else if (S_ISLNK(st->st_mode))
		rc = nono__diag_set(diag, NONO_EAPPLY,
				    "%s was granted as a %s but is now a "
				    "symbolic link",
				    e->resolved, kind);
	else if (e->is_file == S_ISDIR(st->st_mode))
		rc = nono__diag_set(diag, NONO_EAPPLY,
				    "%s was granted as a %s but is %s",
				    e->resolved, kind,
				    e->is_file ? "now a directory"
					       : "no longer a directory");
	if (rc) {
		close(fd);
		return rc;
	}
	*fdp = fd;
	return 0;
}

/*
 * Adds the rule for one grant, on the path opened again (ll_open_grant)
 * or on the descriptor kept since the grant. The descriptor opened goes
 * to `batch`, closed with the others.
 */
static int ll_add_path_rule(int ruleset_fd, const struct nono__fs_entry *e,
			    __u64 handled_fs, __u64 withheld,
			    struct nono__fd_batch *batch, nono_diag *diag)
{
	struct stat st = { .st_mode = (mode_t)e->mode };
	int fd = e->fd, rc = 0;

	/* A descriptor kept since the grant (nono_caps_set_keep_fds) is
	 * the file that was checked then: its kind cannot have changed. */
	if (fd < 0) {
		rc = ll_open_grant(e, batch, &st, &fd, diag);
		if (rc)
			return rc;
	}
	struct landlock_path_beneath_attr rule = {
		.allowed_access =
			ll_rule_access(e, &st, handled_fs) & ~withheld,
		.parent_fd = fd,
	};
	/* Every mode maps to at least one right of ABI 1, but withheld
	 * rights may leave none, and the kernel refuses an empty rule. */
	if (rule.allowed_access != 0 &&
	    ll_sys->add_rule(ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) <
		    0)
		rc = nono__diag_set_sys(diag, NONO_EAPPLY, NONO_STEP_ADD_RULE,
					errno, "landlock_add_rule for %s: %s",
					e->resolved, strerror(errno));
	/* Only once the rule is added: a full batch is closed at once. */
	if (fd != e->fd)
		nono__fd_batch_add(batch, fd);
	return rc;
}

/* Adds one net_port rule per TCP exception. */
static int ll_add_port_rules(int ruleset_fd, const struct nono__ports *ports,
			     __u64 right, const char *what, nono_diag *diag)
{
	for (size_t i = 0; i < ports->len; i++) {
		struct landlock_net_port_attr rule = {
			.allowed_access = right,
			.port = ports->v[i],
		};
		if (ll_sys->add_rule(ruleset_fd, LANDLOCK_RULE_NET_PORT, &rule,
				     0) < 0)
			return nono__diag_set_sys(
				diag, NONO_EAPPLY, NONO_STEP_ADD_RULE, errno,
				"landlock_add_rule for %s port "
				"%u: %s",
				what, (unsigned)ports->v[i], strerror(errno));
	}
	return 0;
}

/* What the carve-out walk needs to add a rule through ll_sys. */
struct ll_carve_ctx {
	int ruleset_fd;
	__u64 handled_fs;
};

static int ll_carve_rule(void *ctx, int fd, bool is_dir, uint64_t access,
			 const char *dir, size_t dir_len, const char *name,
			 nono_diag *diag)
{
	const struct ll_carve_ctx *c = ctx;
	struct landlock_path_beneath_attr rule = {
		.allowed_access = access & c->handled_fs &
				  (is_dir ? ~(__u64)0 : (__u64)LL_FS_FILE),
		.parent_fd = fd,
	};

	if (rule.allowed_access == 0)
		return 0;
	if (ll_sys->add_rule(c->ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &rule,
			     0) < 0)
		return nono__diag_set_sys(
			diag, NONO_EAPPLY, NONO_STEP_ADD_RULE, errno,
			"landlock_add_rule for %.*s%s%s: %s", (int)dir_len, dir,
			name && dir_len > 1 ? "/" : "", name ? name : "",
			strerror(errno));
	return 0;
}

/* Whether execute is withheld from grant `e` for exec_writable = false:
 * it is writable itself, or lies beneath a writable directory grant. */
static bool ll_in_writable_tree(const struct nono_caps *caps,
				const struct nono__fs_entry *e)
{
	if (e->access & NONO_ACCESS_WRITE)
		return true;
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *w = &caps->fs[i];

		if (!w->is_file && (w->access & NONO_ACCESS_WRITE) &&
		    nono__path_is_beneath(e->resolved, w->resolved))
			return true;
	}
	return false;
}

struct ll_interp_search {
	uintptr_t base;
	char *path;
};

static int ll_interp_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct ll_interp_search *s = data;

	(void)size;
	if ((uintptr_t)info->dlpi_addr != s->base || !info->dlpi_name ||
	    info->dlpi_name[0] != '/')
		return 0;
	s->path = realpath(info->dlpi_name, NULL);
	return 1;
}

/* The canonical path of this process's ELF interpreter (the dynamic
 * loader), to free(); NULL for a statically linked program, or where it
 * cannot be told. */
static char *ll_interpreter(void)
{
	struct ll_interp_search s = { .base = getauxval(AT_BASE) };

	if (s.base == 0)
		return NULL;
	dl_iterate_phdr(ll_interp_cb, &s);
	return s.path;
}

static bool ll_covers(const struct nono__carve_grant *g, const char *path)
{
	return g->is_file ? strcmp(g->path, path) == 0
			  : nono__path_is_beneath(path, g->path);
}

/*
 * Whether the grants give execute on `path` once the carve-outs are taken
 * out: some grant gives it, and no carve-out of execute lies between that
 * grant and the path. `strip` (may be NULL) are rights each grant lost.
 */
static bool ll_executable(const struct nono__carve_grant *grants,
			  const __u64 *strip, size_t n,
			  const struct nono__carve_out *outs, size_t nouts,
			  const char *path)
{
	for (size_t g = 0; g < n; g++) {
		__u64 access = grants[g].access | (strip ? strip[g] : 0);
		bool cut = false;

		if (!(access & LANDLOCK_ACCESS_FS_EXECUTE) ||
		    !ll_covers(&grants[g], path))
			continue;
		for (size_t o = 0; !cut && strip && o < nouts; o++)
			cut = (outs[o].withheld & LANDLOCK_ACCESS_FS_EXECUTE) &&
			      nono__path_is_beneath(path, outs[o].path) &&
			      ll_covers(&grants[g], outs[o].path);
		if (!cut)
			return true;
	}
	return false;
}

/*
 * The trap of taking execute out: executing a dynamically linked program
 * also executes its ELF interpreter (ld-linux), so a carve-out over it
 * would stop every such program from starting, this one's children
 * included. The interpreter normally lies in a branch of its own (/usr/lib
 * beside /usr/bin), where carve-outs leave it alone; this refuses the
 * policies that do reach it.
 */
static int ll_check_interpreter(const struct nono__carve_grant *grants,
				const __u64 *strip, size_t n,
				const struct nono__carve_out *outs,
				size_t nouts, nono_diag *diag)
{
	bool takes_execute = false;
	char *interp;
	int rc = 0;

	for (size_t o = 0; o < nouts; o++)
		takes_execute |=
			(outs[o].withheld & LANDLOCK_ACCESS_FS_EXECUTE) != 0;
	if (!takes_execute)
		return 0;
	interp = ll_interpreter();
	if (!interp)
		return 0;
	if (ll_executable(grants, NULL, n, outs, nouts, interp) &&
	    !ll_executable(grants, strip, n, outs, nouts, interp))
		rc = nono__diag_set(diag, NONO_EINVAL,
				    "the deny rules, blocked commands or "
				    "exec_writable = false take execute away "
				    "from %s, the dynamic loader every "
				    "dynamically linked program needs: no such "
				    "program could start",
				    interp);
	free(interp);
	return rc;
}

/* A grant in the order of nono__ll_subsumed: its path, and where it is
 * in the set. */
struct ll_sorted {
	const char *path;
	size_t i;
};

/*
 * The order of paths in which every directory comes right before what
 * lies beneath it: strcmp's, with '/' before every other byte ("/usr",
 * "/usr/bin", "/usr-x"). The common prefix is skipped as strcmp would;
 * only the first bytes that differ are weighed.
 */
static int ll_path_order(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	int x = *a == '/' ? 1 : *a ? (unsigned char)*a + 1 : 0;
	int y = *b == '/' ? 1 : *b ? (unsigned char)*b + 1 : 0;

	return x - y;
}

static int ll_sort_cmp(const void *a, const void *b)
{
	const struct ll_sorted *x = a, *y = b;
	int c = ll_path_order(x->path, y->path);

	/* The same path twice: the first given first. */
	if (c == 0)
		c = x->i < y->i ? -1 : 1;
	return c;
}

/*
 * Marks in `skip` the grants whose rule would add nothing: a directory
 * grant at or above the path gives every right the rule would. Landlock
 * grants an access when any rule on the way from the file up to the root
 * allows it, so such a rule is never the one that decides. Only for a set
 * with nothing carved out (no deny rule, blocked command or exec_writable
 * = false), where every grant is exactly one rule. The rights compared are
 * the rules' own, the kind of each path (a device's ioctl, a file's
 * subset) as it was when granted: should a file have become a device
 * since, a rule skipped gives less, never more. O(n log n): the grants
 * sorted so that each directory comes right before what lies beneath it,
 * and a stack of the directories the walk is inside. 0 or NONO_ENOMEM.
 */
int nono__ll_subsumed(const struct nono_caps *caps, uint64_t handled_fs,
		      bool *skip)
{
	size_t n = caps->fs_len, depth = 0;
	struct ll_sorted *order = malloc((n + 1) * sizeof(*order));
	size_t *stack = malloc((n + 1) * sizeof(*stack));
	__u64 *access = malloc((n + 1) * sizeof(*access));
	int rc = 0;

	if (!order || !stack || !access) {
		rc = NONO_ENOMEM;
		goto free_arrays;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st = { .st_mode = (mode_t)caps->fs[i].mode };

		order[i] = (struct ll_sorted){ caps->fs[i].resolved, i };
		access[i] = ll_rule_access(&caps->fs[i], &st, handled_fs);
	}
	qsort(order, n, sizeof(*order), ll_sort_cmp);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k].i;
		const struct nono__fs_entry *e = &caps->fs[i];

		while (depth > 0 &&
		       !nono__path_is_beneath(
			       e->resolved,
			       caps->fs[stack[depth - 1]].resolved))
			depth--;
		for (size_t d = 0; d < depth && !skip[i]; d++)
			skip[i] = (access[i] & ~access[stack[d]]) == 0;
		if (!e->is_file && !skip[i])
			stack[depth++] = i;
	}

free_arrays:
	free(order);
	free(stack);
	free(access);
	return rc;
}

/*
 * Adds the rules of every grant, with deny rules, blocked commands and
 * (for exec_writable = false) the writable grants taken out of the grants
 * above them. `missing` receives what cannot be enforced exactly.
 */
static int ll_add_fs_rules(int ruleset_fd, const struct nono_caps *caps,
			   __u64 handled_fs, char *missing, size_t cap,
			   nono_diag *diag)
{
	size_t n = caps->fs_len, nouts = 0;
	size_t max_outs = caps->deny_len + caps->block_files.len + n;
	struct nono__carve_grant *grants = NULL;
	struct nono__carve_out *outs = NULL;
	__u64 *strip = NULL;
	bool *split = NULL;
	struct ll_carve_ctx ctx = {
		.ruleset_fd = ruleset_fd,
		.handled_fs = handled_fs,
	};
	const struct nono__carve_ops ops = {
		.add_rule = ll_carve_rule,
		.ctx = &ctx,
	};
	struct nono__fd_batch batch = { .n = 0 };
	int rc = 0;

	/* Nothing takes rights back out of a grant: each grant is one rule
	 * as it stands, with nothing to carve and no loader to check, so the
	 * walk below (a stat per grant) would only cost time; nor is a rule
	 * that another grant's already covers (nono__ll_subsumed). */
	if (caps->deny_len == 0 && caps->block_files.len == 0 &&
	    !caps->no_exec_writable) {
		bool *skip = calloc(n + 1, sizeof(*skip));

		if (!skip)
			return nono__diag_set(diag, NONO_ENOMEM,
					      "out of memory");
		rc = nono__ll_subsumed(caps, handled_fs, skip);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (!skip[i])
				rc = ll_add_path_rule(ruleset_fd, &caps->fs[i],
						      handled_fs, 0, &batch,
						      diag);
		nono__fd_batch_flush(&batch);
		free(skip);
		if (rc == NONO_ENOMEM)
			nono__diag_set(diag, rc, "out of memory");
		return rc;
	}
	grants = calloc(n + 1, sizeof(*grants));
	outs = calloc(max_outs + 1, sizeof(*outs));
	strip = calloc(n + 1, sizeof(*strip));
	split = calloc(n + 1, sizeof(*split));
	if (!grants || !outs || !strip || !split) {
		rc = nono__diag_set(diag, NONO_ENOMEM, "out of memory");
		goto free_arrays;
	}
	for (size_t i = 0; i < n; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];
		struct stat st;

		if (stat(e->resolved, &st) < 0) {
			rc = nono__diag_set_sys(
				diag, NONO_EAPPLY, NONO_STEP_OPEN_PATH, errno,
				"open %s (granted as a %s): %s", e->resolved,
				e->is_file ? "file" : "directory",
				strerror(errno));
			goto free_arrays;
		}
		if (caps->no_exec_writable && ll_in_writable_tree(caps, e))
			strip[i] = LANDLOCK_ACCESS_FS_EXECUTE;
		grants[i] = (struct nono__carve_grant){
			.path = e->resolved,
			.is_file = e->is_file,
			.access =
				ll_rule_access(e, &st, handled_fs) & ~strip[i],
		};
		/* A writable place is taken out of the execute that grants
		 * above it give; only directories and regular files matter,
		 * as nothing else can be executed. */
		if (caps->no_exec_writable && (e->access & NONO_ACCESS_WRITE) &&
		    (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
			outs[nouts++] = (struct nono__carve_out){
				.path = e->resolved,
				.withheld = LANDLOCK_ACCESS_FS_EXECUTE,
			};
	}
	/* A deny takes a whole tree out, so the whole tree is checked for
	 * other ways in (carveout.h). The writable trees exec_writable =
	 * false takes execute out of are not: they are large, and the
	 * program can make new names in them anyway (docs/deny.md). */
	for (size_t i = 0; i < caps->deny_len; i++)
		outs[nouts++] = (struct nono__carve_out){
			.path = caps->deny[i].resolved,
			.withheld = handled_fs,
			.whole_tree = true,
		};
	for (size_t i = 0; i < caps->block_files.len; i++) {
		const char *f = caps->block_files.v[i];

		if (nono__caps_file_blocked(caps, f))
			outs[nouts++] = (struct nono__carve_out){
				.path = f,
				.withheld = LL_FS_BLOCKED_CMD & handled_fs,
			};
	}

	rc = ll_check_interpreter(grants, strip, n, outs, nouts, diag);
	if (rc)
		goto free_arrays;
	rc = nono__carve_add(grants, n, outs, nouts, split, &ops, missing, cap,
			     diag);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!split[i])
			rc = ll_add_path_rule(ruleset_fd, &caps->fs[i],
					      handled_fs, strip[i], &batch,
					      diag);
	}
	nono__fd_batch_flush(&batch);

free_arrays:
	free(grants);
	free(outs);
	free(strip);
	free(split);
	return rc;
}

/*
 * Without TSYNC (before ABI 8), landlock_restrict_self() restricts the
 * calling thread only; other threads would keep full access, so the
 * caller must say that this is what they want. Notes what stays
 * unrestricted in `plan`.
 */
static int ll_check_threads(struct nono__ll_plan *plan, unsigned flags, int abi,
			    nono_diag *diag)
{
	int threads = ll_thread_count();
	bool this_only = flags & NONO_APPLY_THIS_THREAD_ONLY;

	if (threads < 0 && !this_only)
		return nono__diag_set(
			diag, NONO_ETHREADS,
			"cannot count this process's threads "
			"(stat /proc/self/task: %s), and Landlock "
			"ABI %d restricts only the calling thread",
			strerror(-threads), abi);
	if (threads > 1 && !this_only)
		return nono__diag_set(
			diag, NONO_ETHREADS,
			"the process has %d threads, and Landlock "
			"ABI %d restricts only the calling thread "
			"(ABI 8 restricts all); pass "
			"NONO_APPLY_THIS_THREAD_ONLY to accept that",
			threads, abi);
	if (threads < 0) {
		plan->dropped |= NONO_FEATURE_ALL_THREADS;
		nono__ll_append(plan->missing, sizeof(plan->missing),
				"other threads, if any, are not restricted");
	} else if (threads > 1) {
		plan->dropped |= NONO_FEATURE_ALL_THREADS;
		nono__ll_append(plan->missing, sizeof(plan->missing),
				"%d other thread(s) not restricted",
				threads - 1);
	}
	return 0;
}

/* Adds the net_port rules the plan calls for. */
static int ll_add_net_rules(int ruleset_fd, const struct nono_caps *caps,
			    const struct nono__ll_plan *plan, nono_diag *diag)
{
	uint16_t port0 = 0;
	const struct nono__ports ephemeral = { .v = &port0, .len = 1 };
	const struct {
		bool on;
		const struct nono__ports *ports;
		__u64 right;
		const char *what;
	} lists[] = {
		{ plan->tcp_port_rules, &caps->tcp_connect,
		  LANDLOCK_ACCESS_NET_CONNECT_TCP, "TCP connect" },
		{ plan->tcp_port_rules, &caps->tcp_bind,
		  LANDLOCK_ACCESS_NET_BIND_TCP, "TCP bind" },
		{ plan->udp_port_rules, &caps->udp_connect,
		  LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP, "UDP connect" },
		{ plan->udp_port_rules, &caps->udp_bind,
		  LANDLOCK_ACCESS_NET_BIND_UDP, "UDP bind" },
		/* Sending from an unbound UDP socket binds it to an
		 * ephemeral port, which the kernel checks as a bind on
		 * port 0. */
		{ plan->udp_ephemeral_bind, &ephemeral,
		  LANDLOCK_ACCESS_NET_BIND_UDP, "UDP ephemeral bind" },
	};
	int rc = 0;

	for (size_t l = 0; rc == 0 && l < ARRAY_SIZE(lists); l++)
		if (lists[l].on)
			rc = ll_add_port_rules(ruleset_fd, lists[l].ports,
					       lists[l].right, lists[l].what,
					       diag);
	return rc;
}

int nono__backend_apply(const struct nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag)
{
	const bool best_effort = flags & NONO_APPLY_BEST_EFFORT;
	char inexact[sizeof(result->dropped_details)] = "";
	struct nono__ll_plan plan;
	int rc;

	int abi = ll_abi();
	if (abi < 0)
		return nono__diag_set(diag, NONO_ENOSYS,
				      "Landlock is not available: %s",
				      ll_unavailable_reason(abi));
	result->abi = abi;

	/* Everything that can fail is done before the point of no return;
	 * the seccomp filters were even built at build time (filter-gen.c). */
	nono__ll_plan_make(caps, abi, &plan);
	if (plan.missing[0] && !best_effort)
		return nono__diag_set(diag, NONO_EUNSUPPORTED,
				      "Landlock ABI %d cannot enforce all that "
				      "was asked for: %s",
				      abi, plan.missing);
	if (plan.this_thread_only) {
		rc = ll_check_threads(&plan, flags, abi, diag);
		if (rc)
			return rc;
	}

	/* Landlock creates every ruleset fd close-on-exec. */
	struct nono__ll_ruleset_attr attr = {
		.handled_access_fs = plan.handled_fs,
		.handled_access_net = plan.handled_net,
		.scoped = plan.scoped,
	};
	int ruleset_fd = ll_sys->create_ruleset(
		&attr, nono__ll_ruleset_attr_size(abi), 0);
	if (ruleset_fd < 0)
		return nono__diag_set_sys(
			diag, NONO_EAPPLY, NONO_STEP_CREATE_RULESET, errno,
			"landlock_create_ruleset: %s", strerror(errno));

	rc = ll_add_fs_rules(ruleset_fd, caps, plan.handled_fs, inexact,
			     sizeof(inexact), diag);
	if (rc)
		goto close_ruleset;
	/* The walk found what no rule can express exactly (a denied file
	 * with hard links, a bind mount of what is on the way to a deny):
	 * the same choice as for the plan. With best effort, the rules that
	 * would have reached what is denied were left out (carveout.h). */
	if (inexact[0] && !best_effort) {
		rc = nono__diag_set(
			diag, NONO_EUNSUPPORTED,
			"Landlock cannot enforce all that was asked "
			"for: %s",
			inexact);
		goto close_ruleset;
	}
	if (inexact[0])
		nono__ll_append(plan.missing, sizeof(plan.missing), "%s",
				inexact);
	rc = ll_add_net_rules(ruleset_fd, caps, &plan, diag);
	if (rc)
		goto close_ruleset;

	/*
	 * The point of no return. Capabilities go first, while CAP_SETPCAP
	 * (needed to shrink the bounding set) may still be in effect.
	 * no_new_privs is required by landlock_restrict_self() for a
	 * process without CAP_SYS_ADMIN, and by seccomp(), and nono sets it
	 * in every case. Should a later step fail, the process keeps what
	 * was done, which restricts nothing it could do before apart from
	 * gaining privileges; the shim and the CLI end it.
	 */
	rc = nono__capabilities_drop(caps->keep_capabilities, diag);
	if (rc)
		goto close_ruleset;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		rc = nono__diag_set_sys(
			diag, NONO_EAPPLY, NONO_STEP_NO_NEW_PRIVS, errno,
			"prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		goto close_ruleset;
	}
	if (ll_sys->restrict_self(ruleset_fd, plan.restrict_flags) < 0) {
		rc = nono__diag_set_sys(
			diag, NONO_EAPPLY, NONO_STEP_RESTRICT_SELF, errno,
			"landlock_restrict_self: %s", strerror(errno));
		goto close_ruleset;
	}
	rc = nono__filters_load(
		plan.filters,
		plan.restrict_flags & LANDLOCK_RESTRICT_SELF_TSYNC, diag);
	if (rc)
		goto close_ruleset;

	result->enforced = plan.enforced;
	result->dropped = plan.dropped;
	/* Copied, not formatted with "%s": on success (most often with
	 * nothing missing) the shim then calls none of printf's code. */
	size_t n = strnlen(plan.missing, sizeof(result->dropped_details) - 1);
	memcpy(result->dropped_details, plan.missing, n);
	result->dropped_details[n] = '\0';
	rc = 0;

close_ruleset:
	close(ruleset_fd);
	return rc;
}

int nono__backend_feature_abi(unsigned feature)
{
	return nono__ll_feature_abi(feature);
}
