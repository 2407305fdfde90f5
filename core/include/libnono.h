/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libnono: capability-based sandboxing (nono, in C).
 *
 * A program builds a capability set (which paths it may read or write,
 * whether it may use the network) and applies it; the kernel then refuses
 * everything else to the process and to all its children.
 *
 * Conventions, for every function below:
 *  - Functions that can fail return 0 on success or a negative error code
 *    from the closed set NONO_E* below; nono_strerror() names it.
 *  - Where a function takes a `nono_diag *diag`, it may be NULL; when it is
 *    not NULL and the function fails, it is filled with the code, and where
 *    they apply the file and line, and a one-line message without a
 *    trailing newline. The library never prints and never exits.
 *  - Every input string is copied; the caller keeps ownership of its own.
 *  - Every returned allocation names the function that frees it.
 *  - Every `_free` function accepts NULL.
 *  - Handles are not thread-safe; distinct handles may be used from
 *    distinct threads.
 */
#ifndef LIBNONO_H
#define LIBNONO_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NONO_BUILDING) && defined(__GNUC__)
#define NONO_API __attribute__((visibility("default")))
#else
#define NONO_API
#endif

/* Marks a name kept for one release under its old spelling (NEWS lists
 * them): placed after a declaration or an enumerator's name. */
#if defined(__GNUC__)
#define NONO_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#define NONO_DEPRECATED(msg)
#endif

/* NONO_VERSION_MAJOR, _MINOR, _PATCH and _STRING: the version of these
 * headers, generated from meson.build. nono_version() says the library's. */
#include "libnono-version.h"

/* The version of the library running ("0.1.0"), which a program compares
 * with the NONO_VERSION_STRING it was built with. A static string, never
 * NULL, never to be freed. */
NONO_API const char *nono_version(void);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/*
 * The closed set of error codes. Each is a negative errno value so that
 * callers used to errno can reason about it, but always compare against
 * these names. X(name, value, message).
 */
#define NONO_ERRORS(X)                                                        \
	X(NONO_EINVAL, -EINVAL, "invalid argument")                           \
	X(NONO_ENOMEM, -ENOMEM, "out of memory")                              \
	X(NONO_ENOENT, -ENOENT, "path not found")                             \
	X(NONO_ENOTDIR, -ENOTDIR, "expected a directory")                     \
	X(NONO_EISDIR, -EISDIR, "expected a file")                            \
	X(NONO_ECANON, -EACCES, "path cannot be canonicalised")               \
	X(NONO_EPARSE, -EBADMSG, "parse error")                               \
	X(NONO_ENOSYS, -ENOSYS, "sandboxing is not supported on this system") \
	X(NONO_EUNSUPPORTED, -EOPNOTSUPP,                                     \
	  "the kernel cannot enforce everything that was asked for")          \
	X(NONO_ETHREADS, -EBUSY,                                              \
	  "the process has other threads that cannot be restricted")          \
	X(NONO_EAPPLY, -EPERM, "the kernel refused to apply the sandbox")     \
	X(NONO_ERANGE, -ERANGE, "value out of range")                         \
	X(NONO_ESPAWN, -EAGAIN, "cannot start the process")

enum nono_error {
	NONO_OK = 0,
#define NONO_ERR_ENUM_(name, value, msg) name = (value),
	NONO_ERRORS(NONO_ERR_ENUM_)
#undef NONO_ERR_ENUM_
};

/* A static string naming the error; "unknown error" for a code outside the
 * set. Never NULL, never to be freed. */
NONO_API const char *nono_strerror(int code);

/* What libnono was doing when a system call failed: nono_diag.step.
 * Grows only at the end. */
typedef enum nono_step {
	NONO_STEP_NONE = 0,	      /* not a system call, or not said */
	NONO_STEP_READ_FILE = 1,      /* opening or reading a policy file */
	NONO_STEP_OPEN_PATH = 2,      /* opening a granted path for its rule */
	NONO_STEP_CREATE_RULESET = 3, /* landlock_create_ruleset */
	NONO_STEP_ADD_RULE = 4,	      /* landlock_add_rule */
	NONO_STEP_NO_NEW_PRIVS = 5,   /* prctl(PR_SET_NO_NEW_PRIVS) */
	NONO_STEP_RESTRICT_SELF = 6,  /* landlock_restrict_self */
} nono_step;

/* A static name for a step ("landlock_restrict_self"); "unknown step"
 * outside the set. Never NULL, never to be freed. */
NONO_API const char *nono_step_str(nono_step step);

/* Where and why something failed. `file` and `message` are always
 * NUL-terminated; a longer file name is cut and ends in "...". A caller
 * tells causes apart by `code`, `step` and `sys_errno`, never by the
 * message's words. */
typedef struct nono_diag {
	int code;	 /* the NONO_E* code returned */
	unsigned line;	 /* 1-based line in `file`; 0 when not from a file */
	char file[1024]; /* policy or state file; "" when none */
	char message[1024];
	nono_step step; /* the step whose system call failed; 0: none */
	int sys_errno;	/* that call's errno (EACCES, E2BIG...); 0: none */
} nono_diag;

/* Clears a diag to "no error". Accepts NULL. */
NONO_API void nono_diag_clear(nono_diag *diag);

/* Frees a string returned by this library. Accepts NULL. */
NONO_API void nono_free(void *ptr);

/* ------------------------------------------------------------------ */
/* Access modes                                                        */
/* ------------------------------------------------------------------ */

typedef enum nono_access {
	NONO_ACCESS_READ = 1,
	NONO_ACCESS_WRITE = 2,
	NONO_ACCESS_READ_WRITE = 3, /* contains both READ and WRITE */
} nono_access;

/* "read", "write", "read+write"; NULL for any other value. Static. */
NONO_API const char *nono_access_str(nono_access mode);

/* Parses "read", "write", "read+write" (nono's spelling). 0 or NONO_EINVAL. */
NONO_API int nono_access_parse(const char *text, nono_access *out);

/* ------------------------------------------------------------------ */
/* Capability sets (nono's CapabilitySet)                              */
/* ------------------------------------------------------------------ */

typedef struct nono_caps nono_caps;

/* A new empty set: no paths, network allowed. Free with nono_caps_free.
 * Returns 0, NONO_EINVAL (out is NULL) or NONO_ENOMEM. */
NONO_API int nono_caps_new(nono_caps **out);

/* A deep copy. Free with nono_caps_free. 0, NONO_EINVAL or NONO_ENOMEM. */
NONO_API int nono_caps_clone(const nono_caps *caps, nono_caps **out);

NONO_API void nono_caps_free(nono_caps *caps);

/*
 * Grants `mode` on a directory and everything beneath it (allow_path).
 * The path is canonicalised (symlinks followed, a relative path taken
 * against the working directory); the caller's spelling is kept as the
 * original. Returns 0, NONO_EINVAL (NULL or empty argument, bad mode),
 * NONO_ENOENT (missing), NONO_ENOTDIR (not a directory), NONO_ECANON
 * (cannot be resolved: permission, loop, name too long) or NONO_ENOMEM.
 */
NONO_API int nono_caps_allow_path(nono_caps *caps, const char *path,
				  nono_access mode);

/* Grants `mode` on one non-directory (allow_file). As allow_path, but a
 * directory gives NONO_EISDIR. */
NONO_API int nono_caps_allow_file(nono_caps *caps, const char *path,
				  nono_access mode);

/*
 * For a set about to be applied in this process (the shim, nono run):
 * from now on, each path granted keeps the O_PATH descriptor (close-on-
 * exec) it was checked through, where it was opened by its canonical
 * spelling, and nono_apply() adds the rule by that descriptor instead of
 * opening the path again: the rule is then on the very file that was
 * checked. The set owns the descriptors until nono_caps_free();
 * nono_caps_clone() copies none (the copy opens its paths when applied).
 * One descriptor per grant: not for a large set kept for long. 0 or
 * NONO_EINVAL.
 */
NONO_API int nono_caps_set_keep_fds(nono_caps *caps, bool keep);

/* Blocks network access. 0 or NONO_EINVAL. */
NONO_API int nono_caps_block_network(nono_caps *caps);

/* Whether the network is blocked. false for NULL. */
NONO_API bool nono_caps_is_network_blocked(const nono_caps *caps);

/* The operations a port exception can reopen: TCP (Landlock ABI 4) and,
 * despite the type's name, UDP (ABI 10). */
typedef enum nono_tcp_op {
	NONO_TCP_CONNECT = 1,
	NONO_TCP_BIND = 2,
	/* connect() a UDP socket to the port, or send a datagram to it. */
	NONO_UDP_CONNECT = 3,
	/* bind() a UDP socket to the port. */
	NONO_UDP_BIND = 4,
} nono_tcp_op;

/*
 * With the network blocked, still allow outbound TCP connections to `port`
 * (connect) or listening on `port` (bind), 1..65535. A port given twice is
 * kept once. The exceptions only mean something with the network blocked:
 * nono_apply refuses them otherwise. 0, NONO_EINVAL, NONO_ERANGE (port out
 * of range) or NONO_ENOMEM.
 */
NONO_API int nono_caps_allow_tcp_connect(nono_caps *caps, unsigned port);
NONO_API int nono_caps_allow_tcp_bind(nono_caps *caps, unsigned port);

/*
 * The same for UDP: sending datagrams to `port` (and connect() to it), or
 * binding `port`. Enforced where the kernel judges UDP ports (Landlock ABI
 * 10); elsewhere UDP stays refused whole, and nono_apply fails (or, with
 * best effort, reports it dropped). A sender needs an ephemeral local port,
 * so a connect exception also allows binding one. Same returns as above.
 */
NONO_API int nono_caps_allow_udp_connect(nono_caps *caps, unsigned port);
NONO_API int nono_caps_allow_udp_bind(nono_caps *caps, unsigned port);

/*
 * Checks the rules a set must keep whatever the backend: port exceptions
 * (TCP or UDP) need a blocked network, and no port is 0 (only a set built
 * by hand can hold one). nono_apply checks them before anything else; a
 * front end may check earlier to point at its own input. 0 or NONO_EINVAL
 * (with the rule in diag, which may be NULL).
 */
NONO_API int nono_caps_check(const nono_caps *caps, nono_diag *diag);

/* The exceptions of one kind, in the order given: count, and the port at
 * `index` (NONO_EINVAL when out of range). */
NONO_API size_t nono_caps_tcp_port_count(const nono_caps *caps, nono_tcp_op op);
NONO_API int nono_caps_tcp_port_at(const nono_caps *caps, nono_tcp_op op,
				   size_t index);

/* Process isolation (Landlock scopes, ABI 6). */
typedef enum nono_scope {
	NONO_SCOPE_SIGNAL = 1,	      /* signals to processes outside */
	NONO_SCOPE_ABSTRACT_UNIX = 2, /* abstract UNIX sockets outside */
} nono_scope;

typedef enum nono_scope_mode {
	/* Isolated where the kernel supports the scope, quietly not where
	 * it does not. What a new set has. */
	NONO_SCOPE_MODE_DEFAULT = 0,
	/* Isolated, asked for explicitly: a kernel without the scope makes
	 * nono_apply fail unless best effort is asked for. */
	NONO_SCOPE_MODE_ISOLATED = 1,
	/* Not isolated. */
	NONO_SCOPE_MODE_ALLOWED = 2,
	/* The names of the development snapshots, which shared NONO_SCOPE_
	 * with enum nono_scope; removed in 0.2.0. */
	NONO_SCOPE_DEFAULT NONO_DEPRECATED("use NONO_SCOPE_MODE_DEFAULT") =
		NONO_SCOPE_MODE_DEFAULT,
	NONO_SCOPE_ISOLATED NONO_DEPRECATED("use NONO_SCOPE_MODE_ISOLATED") =
		NONO_SCOPE_MODE_ISOLATED,
	NONO_SCOPE_ALLOWED NONO_DEPRECATED("use NONO_SCOPE_MODE_ALLOWED") =
		NONO_SCOPE_MODE_ALLOWED,
} nono_scope_mode;

/* Sets how `scope` is handled. 0 or NONO_EINVAL. */
NONO_API int nono_caps_set_scope(nono_caps *caps, nono_scope scope,
				 nono_scope_mode mode);

/* How `scope` is handled; NONO_SCOPE_MODE_DEFAULT for NULL or a bad
 * scope. */
NONO_API nono_scope_mode nono_caps_scope(const nono_caps *caps,
					 nono_scope scope);

/* "default", "isolated", "allow"; NULL for another value. Static. */
NONO_API const char *nono_scope_mode_str(nono_scope_mode mode);

/*
 * Adds a command to the allow list / block list (nono's semantics: allow
 * wins). The name is kept as given, and resolved now into the files it
 * names: a bare name on the PATH of the calling process (every match, not
 * only the first; empty and relative PATH entries are skipped, and an
 * unset PATH means confstr(_CS_PATH)), an absolute path as it is; each
 * match is canonicalised (symlinks followed). A name that resolves to no
 * regular file is kept and withholds nothing. nono_apply withholds
 * execution (and reading: see docs/deny.md) of every file the block list
 * resolved to and the allow list did not. 0, NONO_EINVAL (NULL or empty,
 * or a relative path with a '/') or NONO_ENOMEM.
 */
NONO_API int nono_caps_allow_command(nono_caps *caps, const char *name);
NONO_API int nono_caps_block_command(nono_caps *caps, const char *name);

/* The command lists: count, and the i-th name (borrowed, valid until the
 * set is next changed or freed; NULL when out of range). */
NONO_API size_t nono_caps_allowed_command_count(const nono_caps *caps);
NONO_API const char *nono_caps_allowed_command_at(const nono_caps *caps,
						  size_t index);
NONO_API size_t nono_caps_blocked_command_count(const nono_caps *caps);
NONO_API const char *nono_caps_blocked_command_at(const nono_caps *caps,
						  size_t index);

/*
 * Adds a raw Seatbelt (macOS SBPL) rule, used on macOS only but validated
 * everywhere with nono_platform_rule_validate(). 0, NONO_EINVAL (with the
 * reason in diag) or NONO_ENOMEM.
 */
NONO_API int nono_caps_platform_rule(nono_caps *caps, const char *rule,
				     nono_diag *diag);
NONO_API size_t nono_caps_platform_rule_count(const nono_caps *caps);
NONO_API const char *nono_caps_platform_rule_at(const nono_caps *caps,
						size_t index);

/*
 * Checks a Seatbelt rule without adding it: it must start with '(' (after
 * white space), have balanced parentheses once comments (';' to end of
 * line, '#|' to '|#') and strings are set aside, have no unterminated
 * string or comment, and must not allow file-read* or file-write* on
 * (subpath "/"). 0 or NONO_EINVAL with the reason in diag.
 */
NONO_API int nono_platform_rule_validate(const char *rule, nono_diag *diag);

/*
 * Merges entries with the same resolved path and kind (file or directory)
 * into one; READ and WRITE merge to READ_WRITE. The first entry's original
 * spelling is kept, and the order of first appearance; the origins of all
 * (nono_caps_set_origin) are kept, each with the access it gave. 0,
 * NONO_EINVAL or NONO_ENOMEM (the set is then partly merged, and whole).
 */
NONO_API int nono_caps_deduplicate(nono_caps *caps);

/*
 * Whether some directory grant's resolved path is a component-wise prefix
 * of `path` (or equal to it): "/tmp" covers "/tmp/a", not "/tmpx". `path`
 * is canonicalised as far as it exists. Returns 1, 0, or NONO_EINVAL.
 */
NONO_API int nono_caps_path_covered(const nono_caps *caps, const char *path);

/*
 * Where what is added from now on comes from: the grants and deny rules
 * added after this call record `file` (copied) and `line`, until the next
 * call; a query names them (nono_query_path_explain). The policy loader
 * sets it for every line, naming a built-in profile "<builtin:NAME>". A
 * NULL file stops recording. It changes nothing that is enforced. 0,
 * NONO_EINVAL (NULL caps; an empty file or line 0 with a file) or
 * NONO_ENOMEM.
 */
NONO_API int nono_caps_set_origin(nono_caps *caps, const char *file,
				  unsigned line);

/* One filesystem capability, as fs_capabilities() lists them. The strings
 * are borrowed from the set: valid until it is next changed or freed. */
typedef struct nono_fs_cap {
	const char *original; /* as the caller spelled it */
	const char *resolved; /* canonical absolute path */
	nono_access access;
	bool is_file;
} nono_fs_cap;

NONO_API size_t nono_caps_fs_count(const nono_caps *caps);

/* Fills `out` with entry `index`. 0, or NONO_EINVAL (NULL, out of range). */
NONO_API int nono_caps_fs_at(const nono_caps *caps, size_t index,
			     nono_fs_cap *out);

/*
 * A human-readable summary, nono's format:
 *   Filesystem:
 *     /tmp [read+write] (dir)
 *   Network:
 *     outbound: allowed
 * Returns a string to free with nono_free, or NULL when out of memory.
 */
NONO_API char *nono_caps_summary(const nono_caps *caps);

/*
 * Takes `path` (a directory and everything beneath it, or one file) back
 * out of what the directory grants above it give: after nono_apply the
 * program can neither read, list, write, rename nor replace it. The path
 * is canonicalised as allow_path does (a symlink is followed: its target
 * is what is denied) and must exist. A grant at or above the path loses
 * it; a grant beneath it stands (an explicit carve-in). The directories on
 * the way from a grant down to the path lose what would reach it: they can
 * no longer be listed, and no entry can be created, removed or renamed in
 * them; their other entries keep their access (docs/deny.md). A path given
 * twice is kept once. Returns 0, NONO_EINVAL, NONO_ENOENT, NONO_ECANON or
 * NONO_ENOMEM.
 */
NONO_API int nono_caps_deny_path(nono_caps *caps, const char *path);

/* One denied path. The strings are borrowed from the set: valid until it
 * is next changed or freed. */
typedef struct nono_deny_cap {
	const char *original; /* as the caller spelled it */
	const char *resolved; /* canonical absolute path */
	bool is_file;	      /* not a directory when it was added */
} nono_deny_cap;

/* The denied paths, in the order given: count, and entry `index`
 * (0, or NONO_EINVAL for NULL or out of range). */
NONO_API size_t nono_caps_deny_count(const nono_caps *caps);
NONO_API int nono_caps_deny_at(const nono_caps *caps, size_t index,
			       nono_deny_cap *out);

/*
 * The files the allow list / block list resolved to (see
 * nono_caps_block_command), each once, in the order found. Borrowed, valid
 * until the set is next changed or freed; NULL when out of range.
 */
NONO_API size_t nono_caps_allowed_command_file_count(const nono_caps *caps);
NONO_API const char *nono_caps_allowed_command_file_at(const nono_caps *caps,
						       size_t index);
NONO_API size_t nono_caps_blocked_command_file_count(const nono_caps *caps);
NONO_API const char *nono_caps_blocked_command_file_at(const nono_caps *caps,
						       size_t index);

/*
 * Whether nono_apply would withhold execution of `path`: after
 * canonicalisation it is a file the block list resolved to and the allow
 * list did not. Returns 1, 0 (also for a path that does not exist), or
 * NONO_EINVAL.
 */
NONO_API int nono_caps_command_blocked(const nono_caps *caps, const char *path);

/*
 * Whether files in writable grants may be executed. true (the default) is
 * nono's mapping: READ includes execute everywhere. false withholds
 * execute from every grant with WRITE, from everything beneath a writable
 * directory grant, and takes it out of the grants above them, so that a
 * program cannot write a binary (a copy of a blocked command, say) and run
 * it. 0 or NONO_EINVAL.
 */
NONO_API int nono_caps_set_exec_writable(nono_caps *caps, bool allow);

/* The setting above; true for NULL. */
NONO_API bool nono_caps_exec_writable(const nono_caps *caps);

/* Pathname UNIX domain sockets ([network] unix). Abstract ones are a
 * scope (NONO_SCOPE_ABSTRACT_UNIX); socketpair() always works, since its
 * two ends reach nothing but each other. */
typedef enum nono_unix_mode {
	/* NONO_UNIX_GRANTED with the network blocked, NONO_UNIX_ALL
	 * otherwise. What a new set has. */
	NONO_UNIX_DEFAULT = 0,
	/* Connecting and sending only to sockets beneath a grant, where the
	 * kernel can tell (Landlock ABI 9). Where it cannot, UNIX sockets
	 * cannot be told apart, so none can be created: stricter than asked,
	 * never looser. */
	NONO_UNIX_GRANTED = 1,
	/* No UNIX socket can be created. */
	NONO_UNIX_NONE = 2,
	/* Any socket, wherever it is (nono's behaviour). */
	NONO_UNIX_ALL = 3,
} nono_unix_mode;

/* Sets how UNIX sockets are handled. 0 or NONO_EINVAL. */
NONO_API int nono_caps_set_unix(nono_caps *caps, nono_unix_mode mode);

/* The setting above; NONO_UNIX_DEFAULT for NULL. */
NONO_API nono_unix_mode nono_caps_unix(const nono_caps *caps);

/* "default", "granted", "none", "all"; NULL for another value. Static. */
NONO_API const char *nono_unix_mode_str(nono_unix_mode mode);

/*
 * What the kernel logs of the sandboxed program's denials, where audit is
 * enabled (Landlock ABI 7; [policy] kernel_log). Asked for on an older
 * kernel, it is something the kernel cannot do (NONO_EUNSUPPORTED, or
 * dropped with best effort).
 */
typedef enum nono_kernel_log {
	/* The kernel's default, and what a new set has: denials are logged
	 * until the next execve(), not after it (so `nono run`'s program is
	 * not logged; a program sandboxed by the shim is). */
	NONO_KERNEL_LOG_DEFAULT = 0,
	/* Denials are logged before and after execve(). */
	NONO_KERNEL_LOG_DENIALS = 1,
	/* Nothing is logged, by this sandbox or one nested in it. */
	NONO_KERNEL_LOG_OFF = 2,
} nono_kernel_log;

/* Sets it. 0 or NONO_EINVAL. */
NONO_API int nono_caps_set_kernel_log(nono_caps *caps, nono_kernel_log mode);

/* The setting above; NONO_KERNEL_LOG_DEFAULT for NULL. */
NONO_API nono_kernel_log nono_caps_kernel_log(const nono_caps *caps);

/* "default", "denials", "off"; NULL for another value. Static. */
NONO_API const char *nono_kernel_log_str(nono_kernel_log mode);

/*
 * The Linux capabilities a sandboxed process keeps, as a mask of bits
 * numbered as the kernel numbers them (CAP_CHOWN is bit 0). Everything else
 * is dropped from the effective, permitted, inheritable, ambient and
 * bounding sets; this matters to root, an ordinary user's programs have
 * none. The default is Docker's default set without setfcap, mknod and
 * net_raw: chown (0), dac_override (1), fowner (3), fsetid (4), kill (5),
 * setgid (6), setuid (7), setpcap (8), net_bind_service (10), sys_chroot
 * (18) and audit_write (29). NONO_CAPABILITIES_ALL keeps them all.
 */
#define NONO_CAPABILITIES_DEFAULT                                        \
	((UINT64_C(1) << 0) | (UINT64_C(1) << 1) | (UINT64_C(1) << 3) |  \
	 (UINT64_C(1) << 4) | (UINT64_C(1) << 5) | (UINT64_C(1) << 6) |  \
	 (UINT64_C(1) << 7) | (UINT64_C(1) << 8) | (UINT64_C(1) << 10) | \
	 (UINT64_C(1) << 18) | (UINT64_C(1) << 29))
#define NONO_CAPABILITIES_ALL UINT64_MAX

/* Sets the capabilities kept (above). 0 or NONO_EINVAL. */
NONO_API int nono_caps_set_capabilities(nono_caps *caps, uint64_t keep);

/* The capabilities kept; NONO_CAPABILITIES_DEFAULT for a new set or NULL. */
NONO_API uint64_t nono_caps_capabilities(const nono_caps *caps);

/*
 * The number of a capability named as capabilities(7) names it, with or
 * without "CAP_", in any case ("sys_admin", "CAP_SYS_ADMIN"), or
 * NONO_EINVAL for a name the library does not know.
 */
NONO_API int nono_capability_from_name(const char *name);

/* The lower-case name without "cap_" of capability `cap` ("chown"), or NULL
 * for a number the library does not know. Static. */
NONO_API const char *nono_capability_name(unsigned cap);

/*
 * Whether the metadata of files may be changed: with `protect`, the chmod,
 * chown, utime and extended-attribute calls (and the inode-flag ioctls)
 * are refused for every file, granted or not. Landlock has no right for
 * them, so without it a program may change the metadata of any file the
 * user owns, wherever it is. It breaks `cp -p`, `tar x` and git, which set
 * modes and times. 0 or NONO_EINVAL.
 */
NONO_API int nono_caps_set_protect_metadata(nono_caps *caps, bool protect);

/* The setting above; false for NULL. */
NONO_API bool nono_caps_protect_metadata(const nono_caps *caps);

/* ------------------------------------------------------------------ */
/* Queries without applying (nono's QueryContext)                       */
/* ------------------------------------------------------------------ */

typedef struct nono_query nono_query;

typedef enum nono_query_status {
	NONO_QUERY_STATUS_ALLOWED = 0,
	NONO_QUERY_STATUS_DENIED = 1,
	/* The names of the development snapshots; removed in 0.2.0. */
	NONO_QUERY_ALLOWED NONO_DEPRECATED("use NONO_QUERY_STATUS_ALLOWED") =
		NONO_QUERY_STATUS_ALLOWED,
	NONO_QUERY_DENIED NONO_DEPRECATED("use NONO_QUERY_STATUS_DENIED") =
		NONO_QUERY_STATUS_DENIED,
} nono_query_status;

typedef enum nono_query_reason {
	NONO_QUERY_REASON_GRANTED_PATH = 0,
	NONO_QUERY_REASON_PATH_NOT_GRANTED = 1,
	NONO_QUERY_REASON_INSUFFICIENT_ACCESS = 2,
	NONO_QUERY_REASON_NETWORK_ALLOWED = 3,
	NONO_QUERY_REASON_NETWORK_BLOCKED = 4,
	/* libnono's: the network is blocked but for TCP port exceptions. */
	NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS = 5,
	/* libnono's: a TCP port exception allows this port. */
	NONO_QUERY_REASON_TCP_PORT_GRANTED = 6,
	/* libnono's: a deny rule (nono_caps_deny_path) takes the path out,
	 * the path lies on the way from a grant to a denied path (such a
	 * directory cannot be listed or changed, and a new entry in it gets
	 * no access), or the path is a blocked command, which cannot be read
	 * (or executed). */
	NONO_QUERY_REASON_DENIED_BY_RULE = 7,
	/* The names of the development snapshots; removed in 0.2.0. */
	NONO_REASON_GRANTED_PATH NONO_DEPRECATED(
		"use NONO_QUERY_REASON_GRANTED_PATH") =
		NONO_QUERY_REASON_GRANTED_PATH,
	NONO_REASON_PATH_NOT_GRANTED NONO_DEPRECATED(
		"use NONO_QUERY_REASON_PATH_NOT_GRANTED") =
		NONO_QUERY_REASON_PATH_NOT_GRANTED,
	NONO_REASON_INSUFFICIENT_ACCESS NONO_DEPRECATED(
		"use NONO_QUERY_REASON_INSUFFICIENT_ACCESS") =
		NONO_QUERY_REASON_INSUFFICIENT_ACCESS,
	NONO_REASON_NETWORK_ALLOWED NONO_DEPRECATED(
		"use NONO_QUERY_REASON_NETWORK_ALLOWED") =
		NONO_QUERY_REASON_NETWORK_ALLOWED,
	NONO_REASON_NETWORK_BLOCKED NONO_DEPRECATED(
		"use NONO_QUERY_REASON_NETWORK_BLOCKED") =
		NONO_QUERY_REASON_NETWORK_BLOCKED,
	NONO_REASON_NETWORK_BLOCKED_EXCEPT_PORTS NONO_DEPRECATED(
		"use NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS") =
		NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS,
	NONO_REASON_TCP_PORT_GRANTED NONO_DEPRECATED(
		"use NONO_QUERY_REASON_TCP_PORT_GRANTED") =
		NONO_QUERY_REASON_TCP_PORT_GRANTED,
	NONO_REASON_DENIED_BY_RULE NONO_DEPRECATED(
		"use NONO_QUERY_REASON_DENIED_BY_RULE") =
		NONO_QUERY_REASON_DENIED_BY_RULE,
} nono_query_reason;

/* "allowed" / "denied"; "granted_path", "path_not_granted", ... Static;
 * NULL for a value outside the enum. */
NONO_API const char *nono_query_status_str(nono_query_status status);
NONO_API const char *nono_query_reason_str(nono_query_reason reason);

typedef struct nono_query_result {
	nono_query_status status;
	nono_query_reason reason;
	/* GRANTED_PATH: the most specific grant that covers the path
	 * (borrowed from the query context; valid until it is freed);
	 * otherwise NULL. */
	const char *granted_path;
	/* GRANTED_PATH: the access that grant gives, or, where no single
	 * covering grant gives all that was asked but they do together,
	 * the access all covering grants give together (granted_path is
	 * then the most specific grant that contributes).
	 * INSUFFICIENT_ACCESS: all the access the covering grants give
	 * together. Otherwise 0. */
	nono_access granted;
	/* The access that was asked for (path queries), otherwise 0. */
	nono_access requested;
	/* TCP queries: the operation and port asked about; otherwise 0. */
	nono_tcp_op tcp_op;
	unsigned port;
	/* DENIED_BY_RULE: the denied path (or blocked command file) that
	 * decides, canonical (borrowed from the query context); otherwise
	 * NULL. */
	const char *denied_path;
} nono_query_result;

/* A snapshot of `caps`: later changes to caps do not show. Free with
 * nono_query_free. 0, NONO_EINVAL or NONO_ENOMEM. */
NONO_API int nono_query_new(const nono_caps *caps, nono_query **out);
NONO_API void nono_query_free(nono_query *query);

/*
 * Would `mode` on `path` be allowed? `path` is canonicalised as far as it
 * exists (a missing tail is kept as written, with "." and ".." folded).
 * Where several grants cover it, the most specific answers; the access of
 * all covering grants adds up, as it does in the kernel. A deny rule takes
 * away what the grants at or above it give (NONO_QUERY_REASON_DENIED_BY_RULE),
 * as nono_apply enforces it: see nono_caps_deny_path.
 * 0, NONO_EINVAL or NONO_ENOMEM.
 */
NONO_API int nono_query_path(const nono_query *query, const char *path,
			     nono_access mode, nono_query_result *out);

/*
 * As nono_query_path, for a path the caller knows is canonical: absolute,
 * every symlink resolved, no ".", ".." or empty component and no trailing
 * slash ("/" itself is fine), shorter than PATH_MAX; what does not exist
 * of it is taken as it is written. Nothing is canonicalised, so the
 * answer costs the index lookup alone (no system call unless a deny rule
 * needs to know whether the path exists). A path that is not spelled that
 * way is refused with NONO_EINVAL, from its spelling alone, without
 * looking at the file system; a symlink on a well-spelled path is the
 * caller's broken promise, and the answer is for the path as written.
 * 0, NONO_EINVAL. Never allocates.
 */
NONO_API int nono_query_path_canonical(const nono_query *query,
				       const char *path, nono_access mode,
				       nono_query_result *out);

/* One rule an answer rests on, with where it was given. The strings are
 * borrowed from the query context: valid until it is freed. */
typedef struct nono_query_rule {
	const char *original; /* as the caller spelled it */
	const char *resolved; /* canonical absolute path */
	nono_access access;   /* what this grant gives; 0 for a deny rule */
	bool is_file;
	/* The policy file ("<builtin:NAME>" for a built-in profile) and
	 * line that gave it (nono_caps_set_origin); NULL and 0 where the
	 * rule was added without an origin. */
	const char *origin_file;
	unsigned origin_line;
} nono_query_rule;

/* A path query's answer with what it rests on (nono_query_path_explain). */
typedef struct nono_query_explanation {
	/* The answer nono_query_path gives for the same arguments. */
	nono_query_result result;
	/* The path judged: the question's path canonicalised as far as it
	 * exists (symlinks followed; a relative path taken against the
	 * working directory; a missing tail, or one that cannot be resolved
	 * (a symlink loop, a directory that cannot be searched), kept as
	 * written with "." and ".." folded). Owned by the explanation. */
	const char *canonical_path;
	/* The grants the answer rests on, the most specific first: where
	 * allowed, those that together give what was asked (the first is
	 * result.granted_path's); for INSUFFICIENT_ACCESS, every grant that
	 * covers the path; otherwise none (NULL, 0). A grant given on
	 * several lines is listed once per line, with the access of that
	 * line. */
	const nono_query_rule *grants;
	size_t grant_count;
	/* DENIED_BY_RULE by a deny rule: that rule (resolved is
	 * result.denied_path); NULL otherwise (a blocked command). */
	const nono_query_rule *deny;
} nono_query_explanation;

/*
 * As nono_query_path, and says what the answer rests on. *out is a new
 * explanation to free with nono_query_explanation_free, before the query
 * context it borrows from. 0, NONO_EINVAL or NONO_ENOMEM.
 */
NONO_API int nono_query_path_explain(const nono_query *query, const char *path,
				     nono_access mode,
				     nono_query_explanation **out);
NONO_API void nono_query_explanation_free(nono_query_explanation *explanation);

/*
 * Canonicalises `path` as a path query does (see canonical_path above):
 * the one canonicaliser of queries, for a caller that must spell a path as
 * the library judges it. *out is a new string to free with nono_free.
 * 0, NONO_EINVAL (NULL or empty, longer than PATH_MAX, or a relative path
 * without a working directory) or NONO_ENOMEM.
 */
NONO_API int nono_path_canonical(const char *path, char **out);

/* Would outbound network access be allowed? Denied with
 * NONO_QUERY_REASON_NETWORK_BLOCKED_EXCEPT_PORTS where TCP port exceptions
 * remain. 0 or NONO_EINVAL. */
NONO_API int nono_query_network(const nono_query *query,
				nono_query_result *out);

/* Would a TCP connect to (or bind on) `port` be allowed? Allowed with
 * NONO_QUERY_REASON_NETWORK_ALLOWED or NONO_QUERY_REASON_TCP_PORT_GRANTED,
 * denied with NONO_QUERY_REASON_NETWORK_BLOCKED. 0, NONO_EINVAL or NONO_ERANGE.
 */
NONO_API int nono_query_tcp(const nono_query *query, nono_tcp_op op,
			    unsigned port, nono_query_result *out);

/*
 * The result as the JSON object nono-py returns, keys in nono's order:
 *   {"status": "allowed", "reason": "granted_path", "granted_path": "/tmp",
 *    "access": "read"}
 *   {"status": "denied", "reason": "path_not_granted"}
 *   {"status": "denied", "reason": "insufficient_access",
 *    "granted": "read", "requested": "write"}
 *   {"status": "denied", "reason": "denied_by_rule",
 *    "denied_path": "/home/u/.ssh"}
 * and, for TCP queries, "op" ("connect" or "bind") and "port" after the
 * reason. One line. A string to free with nono_free; NULL when out of memory or
 * for NULL input.
 */
NONO_API char *nono_query_result_json(const nono_query_result *result);

/* ------------------------------------------------------------------ */
/* Sandbox state as JSON (nono's SandboxState)                          */
/* ------------------------------------------------------------------ */

typedef struct nono_state nono_state;

/* Captures caps. Free with nono_state_free. 0, NONO_EINVAL, NONO_ENOMEM. */
NONO_API int nono_state_from_caps(const nono_caps *caps, nono_state **out);
NONO_API void nono_state_free(nono_state *state);

/*
 * nono's JSON, 2-space indent:
 *   {"fs": [{"original": ..., "resolved": ..., "access": "read",
 *            "is_file": false}], "net_blocked": true}
 * A string to free with nono_free; NULL when out of memory.
 */
NONO_API char *nono_state_to_json(const nono_state *state);

/*
 * Parses nono's JSON. "fs" and "net_blocked" are required; unknown keys
 * are ignored. At most `len` bytes are read (the text need not be
 * NUL-terminated). 0, NONO_EINVAL or NONO_EPARSE (with the reason, and the
 * line where known, in diag), or NONO_ENOMEM.
 */
NONO_API int nono_state_from_json(const char *json, size_t len,
				  nono_state **out, nono_diag *diag);

/* Whether the state blocks the network. */
NONO_API bool nono_state_is_network_blocked(const nono_state *state);

/*
 * Rebuilds a capability set, checking every path again from its original
 * spelling (a path deleted since fails with allow_path's errors, named in
 * diag). Free with nono_caps_free.
 */
NONO_API int nono_state_to_caps(const nono_state *state, nono_caps **out,
				nono_diag *diag);

/* ------------------------------------------------------------------ */
/* Support information                                                  */
/* ------------------------------------------------------------------ */

/* Features a backend may enforce; bits of nono_support_info.features and
 * of nono_apply_result. */
enum nono_feature {
	NONO_FEATURE_FS = 1u << 0,	     /* basic filesystem rules */
	NONO_FEATURE_FS_REFER = 1u << 1,     /* rename/link across dirs */
	NONO_FEATURE_FS_TRUNCATE = 1u << 2,  /* truncate */
	NONO_FEATURE_NETWORK_TCP = 1u << 3,  /* TCP bind/connect */
	NONO_FEATURE_FS_IOCTL_DEV = 1u << 4, /* ioctl on devices */
	NONO_FEATURE_SCOPE_ABSTRACT_UNIX = 1u << 5,
	NONO_FEATURE_SCOPE_SIGNAL = 1u << 6,
	NONO_FEATURE_ALL_THREADS = 1u << 7, /* restrict every thread */
	NONO_FEATURE_KERNEL_LOG = 1u << 8,  /* choose what is audit-logged */
	NONO_FEATURE_FS_RESOLVE_UNIX = 1u << 9, /* UNIX sockets by grant */
	NONO_FEATURE_NETWORK_UDP = 1u << 10,	/* UDP bind/connect by port */
	/* The names of the development snapshots; removed in 0.2.0. */
	NONO_FEATURE_NET_TCP NONO_DEPRECATED("use NONO_FEATURE_NETWORK_TCP") =
		NONO_FEATURE_NETWORK_TCP,
	NONO_FEATURE_NET_UDP NONO_DEPRECATED("use NONO_FEATURE_NETWORK_UDP") =
		NONO_FEATURE_NETWORK_UDP,
};

/*
 * The Landlock ABI that brings `feature` (one enum nono_feature bit), so
 * that a front end can say what a kernel lacks: 1 to 10 on Linux; 0 for
 * an unknown bit, and for every bit on a system without Landlock.
 */
NONO_API int nono_feature_abi(unsigned feature);

typedef struct nono_support_info {
	bool is_supported;
	char platform[16]; /* "linux", "macos" or "unsupported" */
	int abi;	   /* Landlock ABI version; 0 where none */
	unsigned features; /* enum nono_feature bits */
	char details[512]; /* e.g. "Landlock available (Landlock V7, ...)" */
} nono_support_info;

/* Fills `out` (probing the kernel once per process). 0 or NONO_EINVAL. */
NONO_API int nono_support_info_get(nono_support_info *out);

/* Whether this system can apply a sandbox at all. */
NONO_API bool nono_is_supported(void);

/* ------------------------------------------------------------------ */
/* Applying                                                             */
/* ------------------------------------------------------------------ */

enum nono_apply_flags {
	/* Apply what the kernel can enforce and report the rest in
	 * nono_apply_result.dropped, instead of failing. */
	NONO_APPLY_BEST_EFFORT = 1u << 0,
	/* Where the kernel cannot restrict all threads at once and the
	 * process has more than one, restrict only the calling thread (and
	 * its future children) instead of failing with NONO_ETHREADS. */
	NONO_APPLY_THIS_THREAD_ONLY = 1u << 1,
};

typedef struct nono_apply_result {
	int abi;	   /* Landlock ABI used; 0 where none */
	unsigned enforced; /* enum nono_feature bits the kernel enforces */
	unsigned dropped;  /* bits asked for but not enforced (best effort) */
	char dropped_details[512]; /* what was dropped, in words; "" if none */
} nono_apply_result;

/*
 * Applies the sandbox to this process. IRREVERSIBLE. Sets no_new_privs.
 * It covers the calling thread and all children created afterwards; where
 * the kernel can (Landlock ABI 8), every thread of the process, otherwise
 * the call fails with NONO_ETHREADS when other threads exist unless
 * NONO_APPLY_THIS_THREAD_ONLY is given.
 *
 * Everything the kernel knows how to restrict and `caps` does not grant is
 * denied. Without NONO_APPLY_BEST_EFFORT the call fails with
 * NONO_EUNSUPPORTED, before restricting anything, when the kernel cannot
 * enforce all that `caps` asks for.
 *
 * Returns 0, NONO_EINVAL, NONO_ENOSYS (no usable backend),
 * NONO_EUNSUPPORTED, NONO_ETHREADS, NONO_EAPPLY (a kernel call failed; the
 * step and errno are in diag), NONO_ENOMEM. `result` and `diag` may be NULL.
 */
NONO_API int nono_apply(const nono_caps *caps, unsigned flags,
			nono_apply_result *result, nono_diag *diag);

/*
 * Whether this process is inside a sandbox that nono_apply made, here or
 * in an ancestor, as the kernel says:
 *  - Linux: no_new_privs is set, and the baseline seccomp filter that
 *    nono_apply loads into every sandbox answers its probe (a system call
 *    that fails differently anywhere else). Neither can be removed once
 *    set, and an environment variable cannot fake them. It does not say
 *    which policy the sandbox was made from.
 *  - macOS: the process is under a Seatbelt profile (sandbox_check), nono's
 *    or any other (an App Sandbox application, a sandboxed parent).
 *  - Elsewhere: always false.
 * Never fails.
 */
NONO_API bool nono_is_confined(void);

/*
 * For an observer that traces this process (nono explain), after
 * nono_apply: loads into the calling thread a copy of each seccomp filter
 * nono_apply loaded in this process (or before a fork, in its parent), in
 * which every refusal raises SIGSYS (SECCOMP_RET_TRAP) instead of failing
 * with its errno. The signal's si_code is SYS_SECCOMP and its si_errno is
 * NONO_TRAP_MARK | errno (errno in the bits of NONO_TRAP_ERRNO_MASK).
 *
 * Why: when several filters answer, the kernel takes the strictest
 * action, and "fail with errno" beats SECCOMP_RET_TRACE, so a tracer
 * never sees a call the filters refuse; SIGSYS beats both. The tracer
 * sets the call's return value to -errno and suppresses the signal: the
 * program then sees what it would have seen. Without such a tracer the
 * program is killed by SIGSYS at the first refused call: never more
 * access, only less. The original filters stay in force.
 *
 * IRREVERSIBLE, this thread and its children. Returns 0, NONO_EINVAL (no
 * filters were loaded here, or one cannot be copied), NONO_EAPPLY (with
 * the errno of seccomp(2) in diag), NONO_ENOSYS (not Linux).
 */
#define NONO_TRAP_MARK 0x6000
#define NONO_TRAP_ERRNO_MASK 0x0fff
NONO_API int nono_filters_load_traps(nono_diag *diag);

/* ------------------------------------------------------------------ */
/* Policy files (the INI format of docs/policy.md, or a state JSON)      */
/* ------------------------------------------------------------------ */

typedef struct nono_policy nono_policy;

/*
 * Loads a policy file: INI, or a nono SandboxState JSON document when its
 * first non-blank character is '{'. Includes are followed. Nothing is kept
 * from a file that had any error. Free with nono_policy_free.
 * Returns 0, NONO_EINVAL, NONO_EPARSE (with file, line and message in
 * diag), a path error of allow_path (likewise), or NONO_ENOMEM.
 */
NONO_API int nono_policy_load(const char *path, nono_policy **out,
			      nono_diag *diag);

/* As nono_policy_load, from memory; `name` is used in messages and to
 * anchor nothing (relative includes are errors anyway). */
NONO_API int nono_policy_load_buffer(const char *name, const char *data,
				     size_t len, nono_policy **out,
				     nono_diag *diag);

/*
 * As nono_policy_load, for a policy about to be applied in this process
 * (the shim, nono run): its set keeps the descriptor of each grant
 * (nono_caps_set_keep_fds), so that applying it opens no path again. Take
 * the set with nono_policy_take_caps() rather than copying it: a copy
 * keeps no descriptor.
 */
NONO_API int nono_policy_load_to_apply(const char *path, nono_policy **out,
				       nono_diag *diag);

/* As nono_policy_load_to_apply, from memory (nono run builds its policy
 * from its options). */
NONO_API int nono_policy_load_buffer_to_apply(const char *name,
					      const char *data, size_t len,
					      nono_policy **out,
					      nono_diag *diag);

/*
 * Hands the policy's capability set over to the caller, who frees it with
 * nono_caps_free(); the policy has none left (nono_policy_caps() then
 * gives NULL) and its other answers stay. NULL for NULL.
 */
NONO_API nono_caps *nono_policy_take_caps(nono_policy *policy);

NONO_API void nono_policy_free(nono_policy *policy);

/* The capability set the policy describes (borrowed from the policy). */
NONO_API const nono_caps *nono_policy_caps(const nono_policy *policy);

/* Whether `on_unsupported = warn` was given (apply in best-effort mode). */
NONO_API bool nono_policy_best_effort(const nono_policy *policy);

/* Debug-level notes gathered while loading (an optional path skipped, ...),
 * borrowed from the policy; NULL when out of range. */
NONO_API size_t nono_policy_note_count(const nono_policy *policy);
NONO_API const char *nono_policy_note(const nono_policy *policy, size_t index);

/*
 * The private temporary directory of `[filesystem] private_tmp = true`
 * (borrowed from the policy), or NULL where the policy does not ask for
 * one. Loading the policy made it when missing, mode 0700, and granted it
 * read and write: $TMPDIR/nono-UID/HASH (/tmp when TMPDIR is not an
 * absolute path to a directory), HASH naming the policy file's canonical
 * path, or a buffer's name and text. Nothing removes it. The caller that
 * runs the program sets TMPDIR (and TMP, TEMP, TMUX_TMPDIR,
 * SQLITE_TMPDIR) to it, as the shim and `nono run` do.
 */
NONO_API const char *nono_policy_private_tmp(const nono_policy *policy);

/* The environment variables that name the private temporary directory for
 * the program: TMPDIR, TMP, TEMP, TMUX_TMPDIR, SQLITE_TMPDIR. A static
 * NULL-terminated list. */
NONO_API const char *const *nono_private_tmp_vars(void);

/* The built-in profiles (`include = NAME`), in the order nono check lists
 * them: how many, and the name and one-line description of profile
 * `index`; static strings, NULL when out of range. */
NONO_API size_t nono_builtin_profile_count(void);
NONO_API const char *nono_builtin_profile_name(size_t index);
NONO_API const char *nono_builtin_profile_description(size_t index);

/* ------------------------------------------------------------------ */
/* Running a program inside a sandbox (nono-py's sandboxed_exec)        */
/* ------------------------------------------------------------------ */

enum nono_exec_flags {
	/* The child becomes the leader of a new process group (setpgid), so
	 * that a signal to the group reaches what it starts too;
	 * nono_exec_capture's timeout kills the whole group. */
	NONO_EXEC_NEW_PROCESS_GROUP = 1u << 0,
	/* SIGPIPE and SIGXFSZ, when the caller ignores them (Python does),
	 * are set back to their default action in the child, as Python's
	 * subprocess does with restore_signals. Other ignored signals stay
	 * ignored (nohup keeps working). */
	NONO_EXEC_RESTORE_SIGNALS = 1u << 1,
};

/*
 * What to run, and how. Fill it with nono_exec_opts_init() and set the
 * fields that matter; everything is borrowed for the length of the call
 * only (the child has its own copy of the caller's memory).
 */
typedef struct nono_exec_opts {
	/* The program, as execve(2) takes it: not looked up on PATH (look it
	 * up before: the child's PATH is for the program's own use). A
	 * relative path is taken against `cwd`, once the child is there. */
	const char *path;
	/* The arguments, NULL-terminated; NULL gives { path, NULL }. */
	char *const *argv;
	/* The environment, NULL-terminated "NAME=value" strings, passed as
	 * they are; NULL gives an empty environment (not the caller's). */
	char *const *envp;
	/* The child's working directory; NULL keeps the caller's. */
	const char *cwd;
	/* The descriptors the child gets as its 0, 1 and 2 (the same one
	 * may be given twice); -1 gives /dev/null. Every other descriptor is
	 * closed in the child, whether close-on-exec or not. */
	int stdin_fd;
	int stdout_fd;
	int stderr_fd;
	/* nono_apply flags for the child. Never needed for threads: the
	 * child of fork() has one thread. */
	unsigned apply_flags;
	/* enum nono_exec_flags bits. */
	unsigned flags;
} nono_exec_opts;

/* The defaults: no program, the caller's 0, 1 and 2, no flags. */
NONO_API void nono_exec_opts_init(nono_exec_opts *opts);

/*
 * Starts opts->path in a new process, sandboxed by `caps`; the calling
 * process is not sandboxed and may call this again with other sets.
 *
 * The child, in this order: resets to their default every signal the
 * caller catches, empties its signal mask, becomes a group leader
 * (NONO_EXEC_NEW_PROCESS_GROUP), takes the three descriptors as 0, 1, 2
 * and closes every other one, changes to opts->cwd, calls nono_apply
 * (caps, opts->apply_flags) and execve()s the program. If a step before
 * execve fails, the child writes one line "nono: <what failed>: <why>" to
 * its descriptor 2 and exits with status 126; if execve fails, the line
 * names the program and the status is 127 (a shell's codes).
 *
 * Fork safety: everything that can be prepared is prepared before the
 * fork (descriptors checked, /dev/null opened, argument arrays taken as
 * given), and the child's own steps use only async-signal-safe calls,
 * except nono_apply, which allocates memory, formats its messages and
 * reads /proc. With glibc that is safe in the child of a multi-threaded
 * caller (glibc's fork() takes the allocator's and stdio's locks across
 * the fork and resets them in the child); POSIX does not promise it.
 *
 * On success *pid is the child's process id: the caller owns the child
 * and must reap it (waitpid), as for fork(). Returns 0, NONO_EINVAL (NULL
 * caps, opts, path or pid; an empty path; a descriptor that is neither -1
 * nor open; unknown flags or apply flags), NONO_ESPAWN (fork, or opening
 * /dev/null, failed: the system's reason in diag) or NONO_ENOMEM. A
 * sandbox that cannot be applied is not an error here: the child exits
 * with 126, as above. `diag` may be NULL.
 */
NONO_API int nono_exec(const nono_caps *caps, const nono_exec_opts *opts,
		       pid_t *pid, nono_diag *diag);

/* What nono_exec_capture collected. */
typedef struct nono_exec_output {
	/* What the child wrote to its stdout and stderr, each NUL-terminated
	 * (the output itself may hold NUL bytes: use the lengths); NULL when
	 * nothing was written. Free with nono_exec_output_clear. */
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
	/* The child's wait status (WIFEXITED(), WEXITSTATUS(), ...). */
	int status;
	/* The timeout expired: the child (its group, with
	 * NONO_EXEC_NEW_PROCESS_GROUP) was killed with SIGKILL. */
	bool timed_out;
} nono_exec_output;

/*
 * As nono_exec, with the child's stdout and stderr going to two pipes
 * (opts->stdout_fd and stderr_fd are not used), then reads both to the end
 * while waiting for the child, so that a child writing much to both never
 * blocks, and reaps it. Once the child has exited, what is left in the
 * pipes is read and the call returns, even if a process the child started
 * still holds them open. After `timeout_ms` milliseconds (negative: no
 * limit) the child, or its group, is killed with SIGKILL and reaped.
 * Signals that interrupt the wait do not end it.
 *
 * `out` is filled on success (and cleared on failure). Returns 0,
 * nono_exec's errors, NONO_ESPAWN (pipe, poll or waitpid failed; a
 * SIGCHLD set to SIG_IGN makes waitpid fail) or NONO_ENOMEM (the output
 * did not fit in memory: the child is killed and reaped first).
 */
NONO_API int nono_exec_capture(const nono_caps *caps,
			       const nono_exec_opts *opts, int64_t timeout_ms,
			       nono_exec_output *out, nono_diag *diag);

/* Frees the buffers of an output and zeroes it. Accepts NULL. */
NONO_API void nono_exec_output_clear(nono_exec_output *out);

/* ------------------------------------------------------------------ */
/* The names of the development snapshots, removed in 0.2.0            */
/* ------------------------------------------------------------------ */

/* Each does what the function it names does (NEWS, 0.1.0). */
NONO_API int nono_caps_fs_get(const nono_caps *caps, size_t index,
			      nono_fs_cap *out)
	NONO_DEPRECATED("use nono_caps_fs_at");
NONO_API int nono_caps_deny_get(const nono_caps *caps, size_t index,
				nono_deny_cap *out)
	NONO_DEPRECATED("use nono_caps_deny_at");
NONO_API const char *nono_caps_allowed_command(const nono_caps *caps,
					       size_t index)
	NONO_DEPRECATED("use nono_caps_allowed_command_at");
NONO_API const char *nono_caps_blocked_command(const nono_caps *caps,
					       size_t index)
	NONO_DEPRECATED("use nono_caps_blocked_command_at");
NONO_API const char *nono_caps_allowed_command_file(const nono_caps *caps,
						    size_t index)
	NONO_DEPRECATED("use nono_caps_allowed_command_file_at");
NONO_API const char *nono_caps_blocked_command_file(const nono_caps *caps,
						    size_t index)
	NONO_DEPRECATED("use nono_caps_blocked_command_file_at");
NONO_API bool nono_state_net_blocked(const nono_state *state)
	NONO_DEPRECATED("use nono_state_is_network_blocked");

#ifdef __cplusplus
}
#endif

#endif /* LIBNONO_H */
