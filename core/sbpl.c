// SPDX-License-Identifier: Apache-2.0
/*
 * The Seatbelt profile of a capability set, as SBPL text.
 *
 * Seatbelt is macOS's sandbox: a profile in a small Scheme dialect, handed
 * to sandbox_init() by core/seatbelt.c. Everything that decides what the
 * profile says lives here, in portable C, so that it is tested on every
 * platform (tests/unit/test_sbpl.c compares it with golden files in
 * tests/data/sbpl/, and tests/fuzz/fuzz_sbpl.c tries to make a path add a
 * rule of its own).
 *
 * The profile, in order:
 *  1. (version 1) and (deny default): everything not allowed below is
 *     refused.
 *  2. What every process needs to run at all, as nono's profile has it:
 *     fork, sysctl reads, Mach service lookups (but not the keychain's),
 *     POSIX shared memory, the terminal. Signals and process information
 *     are limited to the sandbox itself unless the signal scope is
 *     "allow".
 *  3. Metadata reads (stat, readlink) on the directories above each grant,
 *     so that a program can walk down to what it was granted.
 *  4. The grants. Seatbelt matches paths as it sees them, and macOS has
 *     symbolic links where Linux has directories (/tmp is /private/tmp,
 *     /var is /private/var), so each grant names both the canonical path
 *     and, where it differs and is absolute, the caller's spelling.
 *     Directories are (subpath ...), files (literal ...). Read covers
 *     reading, mapping code and executing, as on Linux (Landlock's read
 *     includes execute); write covers every change.
 *  5. The network: allowed, or blocked with name resolution through
 *     mDNSResponder kept (as in nono) and the TCP port exceptions.
 *  6. The raw platform rules, last: when several rules match, Seatbelt
 *     applies the last one, so a platform rule can narrow (or, knowingly,
 *     widen) anything above.
 * What takes paths back out of grants (deny rules, blocked commands,
 * exec_writable = false) is not expressed yet, and is refused rather than
 * left out: see plan_unexpressed().
 *
 * The grants are the caller's text inside SBPL strings: a path that could
 * end its string could add a rule. So every path is checked (absolute,
 * valid UTF-8, no control characters, which SBPL strings could carry as
 * line breaks or escapes) and `"` and `\` are escaped; nothing else in a
 * path means anything inside a string.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbpl.h"
#include "util.h"

/* A message names a path by at most this many bytes of it. */
#define SBPL_PATH_SHOWN 200

/* The DNS-SD socket of mDNSResponder, which answers name lookups. */
#define SBPL_MDNS_SOCKET "/private/var/run/mDNSResponder"
#define SBPL_MDNS_SERVICE "com.apple.mDNSResponder"

/* An SBPL string literal: `s` in quotes, `"` and `\` escaped. The caller
 * has checked `s` with check_path(). */
static void sbuf_put_string(struct nono__sbuf *b, const char *s)
{
	nono__sbuf_putn(b, "\"", 1);
	for (;;) {
		size_t n = strcspn(s, "\"\\");

		nono__sbuf_putn(b, s, n);
		s += n;
		if (!*s)
			break;
		nono__sbuf_putn(b, "\\", 1);
		nono__sbuf_putn(b, s, 1);
		s++;
	}
	nono__sbuf_putn(b, "\"", 1);
}

/* A copy of at most SBPL_PATH_SHOWN bytes of `path` for a message, with
 * control characters as '?', so that a message stays one line. */
static const char *shown(const char *path, char buf[SBPL_PATH_SHOWN + 4])
{
	size_t i;

	for (i = 0; i < SBPL_PATH_SHOWN && path[i]; i++) {
		unsigned char c = (unsigned char)path[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (path[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/*
 * Whether a path can be written into the profile: absolute, valid UTF-8
 * (the only names APFS and HFS+ have; SBPL is text), and free of control
 * characters (C0, DEL and C1), which could break a line or read as an
 * escape. Refused rather than dropped: a rule must name exactly the path
 * it was asked for. `what` names the path in the message.
 */
static int check_path(const char *path, const char *what, size_t index,
		      nono_diag *diag)
{
	char buf[SBPL_PATH_SHOWN + 4];
	const unsigned char *s = (const unsigned char *)path;
	size_t i = 0;

	if (!path || path[0] != '/')
		return nono__diag_set(diag, NONO_EINVAL,
				      "grant %zu: %s path '%s' is not absolute",
				      index, what,
				      path ? shown(path, buf) : "");
	size_t len = strlen(path);

	while (s[i]) {
		uint32_t cp;
		size_t n = nono__utf8_next(s + i, len - i, &cp);

		if (cp == NONO_UTF8_INVALID)
			return nono__diag_set(diag, NONO_EINVAL,
					      "grant %zu: %s path '%s' is not "
					      "valid UTF-8 (at byte %zu)",
					      index, what, shown(path, buf), i);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return nono__diag_set(
				diag, NONO_EINVAL,
				"grant %zu: %s path '%s' contains "
				"the control character U+%04lX "
				"(at byte %zu)",
				index, what, shown(path, buf),
				(unsigned long)cp, i);
		i += n;
	}
	return 0;
}

/*
 * The caller's spelling of a grant, as Seatbelt would see it, in a new
 * string (free()); NULL in *out when it is not used. Repeated and trailing
 * slashes and "." components are folded. A relative spelling is not used
 * (it is relative to a directory the profile knows nothing about), nor one
 * with "..": folding it without the file system could name another path
 * than the kernel does, and the canonical path is always there.
 */
static int clean_original(const char *orig, char **out)
{
	size_t len, n = 0;
	char *p;

	*out = NULL;
	if (!orig || orig[0] != '/')
		return 0;
	len = strlen(orig);
	p = malloc(len + 1);
	if (!p)
		return NONO_ENOMEM;
	for (size_t i = 0; i < len;) {
		size_t start, clen;

		while (i < len && orig[i] == '/')
			i++;
		start = i;
		while (i < len && orig[i] != '/')
			i++;
		clen = i - start;
		if (clen == 0 || (clen == 1 && orig[start] == '.'))
			continue;
		if (clen == 2 && orig[start] == '.' && orig[start + 1] == '.') {
			free(p);
			return 0;
		}
		p[n++] = '/';
		memcpy(p + n, orig + start, clen);
		n += clen;
	}
	if (n == 0)
		p[n++] = '/';
	p[n] = '\0';
	*out = p;
	return 0;
}

/* The one or two spellings of a grant: the canonical path, and the
 * caller's where it is used and differs. */
struct spellings {
	const char *v[2];
	size_t n;
	char *owned; /* the cleaned original, if any */
};

static int spellings_of(const struct nono__fs_entry *e, size_t index,
			struct spellings *sp, nono_diag *diag)
{
	char *orig = NULL;
	int rc;

	*sp = (struct spellings){ .v = { e->resolved }, .n = 1 };
	rc = check_path(e->resolved, "canonical", index, diag);
	if (rc)
		return rc;
	rc = clean_original(e->original, &orig);
	if (rc)
		return nono__diag_set(diag, rc, "out of memory");
	if (!orig)
		return 0;
	if (strcmp(orig, e->resolved) == 0) {
		free(orig);
		return 0;
	}
	rc = check_path(orig, "original", index, diag);
	if (rc) {
		free(orig);
		return rc;
	}
	sp->v[sp->n++] = orig;
	sp->owned = orig;
	return 0;
}

/* Adds each directory above `path` ("/a" and "/a/b" for "/a/b/c"; never
 * "/", which the profile allows on its own) to `dirs`, once. */
static int add_ancestors(struct nono__strv *dirs, const char *path)
{
	size_t len = strlen(path);
	char *dir = malloc(len + 1);
	int rc = 0;

	if (!dir)
		return NONO_ENOMEM;
	for (size_t i = 1; i < len && rc == 0; i++) {
		bool seen = false;

		if (path[i] != '/')
			continue;
		memcpy(dir, path, i);
		dir[i] = '\0';
		for (size_t j = 0; j < dirs->len && !seen; j++)
			seen = strcmp(dirs->v[j], dir) == 0;
		if (!seen)
			rc = nono__strv_push(dirs, dir);
	}
	free(dir);
	return rc;
}

/* One rule on a grant: (allow OPS (subpath "p") (subpath "q")). */
static void put_grant_rule(struct nono__sbuf *b, const char *ops,
			   const struct nono__fs_entry *e,
			   const struct spellings *sp)
{
	const char *filter = e->is_file ? "literal" : "subpath";

	nono__sbuf_printf(b, "(allow %s", ops);
	for (size_t i = 0; i < sp->n; i++) {
		nono__sbuf_printf(b, " (%s ", filter);
		sbuf_put_string(b, sp->v[i]);
		nono__sbuf_puts(b, ")");
	}
	nono__sbuf_puts(b, ")\n");
}

/* What every process needs to start and run, whatever its grants. */
static void put_base(struct nono__sbuf *b, const struct nono_caps *caps)
{
	static const char base[] =
		"; What every process needs: fork, its own process, system\n"
		"; information and services (not the keychain's), shared\n"
		"; memory, the terminal, and the root directory itself.\n"
		"(allow process-fork)\n"
		"(allow process-info* (target self))\n"
		"(allow process-info* (target same-sandbox))\n"
		"(allow sysctl-read)\n"
		"(allow system-info)\n"
		"(allow system-socket)\n"
		"(allow system-fsctl)\n"
		"(allow mach-lookup)\n"
		"(deny mach-lookup (global-name "
		"\"com.apple.SecurityServer\"))\n"
		"(deny mach-lookup (global-name \"com.apple.securityd\"))\n"
		"(allow mach-per-user-lookup)\n"
		"(allow mach-task-name)\n"
		"(deny mach-priv*)\n"
		"(allow ipc-posix-shm-read-data)\n"
		"(allow ipc-posix-shm-write-data)\n"
		"(allow ipc-posix-shm-write-create)\n"
		"(allow pseudo-tty)\n"
		"(allow file-ioctl (literal \"/dev/tty\"))\n"
		"(allow file-ioctl (regex #\"^/dev/ttys[0-9]+$\"))\n"
		"(allow file-read* (literal \"/\"))\n";

	nono__sbuf_puts(b, "(version 1)\n(deny default)\n");
	nono__sbuf_puts(b, base);
	/*
	 * Landlock's signal scope lets a process signal its own domain and
	 * the domains nested in it; Seatbelt's nearest is the processes under
	 * the same profile, which is what every child inherits.
	 */
	if (caps->scope_signal == NONO_SCOPE_MODE_ALLOWED) {
		nono__sbuf_puts(
			b, "; Signals: any process (signal scope allowed).\n"
			   "(allow signal)\n");
	} else {
		nono__sbuf_puts(b, "; Signals: this sandbox only (signal scope "
				   "isolated).\n"
				   "(allow signal (target self))\n"
				   "(allow signal (target same-sandbox))\n");
	}
}

static int put_filesystem(struct nono__sbuf *b, const struct nono_caps *caps,
			  nono_diag *diag)
{
	struct nono__strv dirs = { 0 };
	struct spellings sp = { 0 };
	int rc = 0;

	/* Every path is checked, and the directories gathered, before any
	 * grant is written. */
	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];

		if (e->access != NONO_ACCESS_READ &&
		    e->access != NONO_ACCESS_WRITE &&
		    e->access != NONO_ACCESS_READ_WRITE) {
			rc = nono__diag_set(diag, NONO_EINVAL,
					    "grant %zu: invalid access mode %d",
					    i, (int)e->access);
			goto clear_dirs;
		}
		rc = spellings_of(e, i, &sp, diag);
		for (size_t k = 0; k < sp.n && rc == 0; k++) {
			rc = add_ancestors(&dirs, sp.v[k]);
			if (rc)
				rc = nono__diag_set(diag, rc, "out of memory");
		}
		free(sp.owned);
		if (rc)
			goto clear_dirs;
	}

	if (dirs.len > 0)
		nono__sbuf_puts(b,
				"; The directories above the grants: metadata "
				"only, to reach them.\n");
	for (size_t i = 0; i < dirs.len; i++) {
		nono__sbuf_puts(b, "(allow file-read-metadata (literal ");
		sbuf_put_string(b, dirs.v[i]);
		nono__sbuf_puts(b, "))\n");
	}

	for (size_t i = 0; i < caps->fs_len; i++) {
		const struct nono__fs_entry *e = &caps->fs[i];

		/* Checked above: it cannot fail now but for memory. */
		rc = spellings_of(e, i, &sp, diag);
		if (rc)
			goto clear_dirs;
		nono__sbuf_printf(b, "; Grant %zu: %s, %s.\n", i,
				  nono_access_str(e->access),
				  e->is_file ? "file" : "directory");
		if (e->access & NONO_ACCESS_READ) {
			put_grant_rule(b, "file-read*", e, &sp);
			put_grant_rule(b, "file-map-executable", e, &sp);
			put_grant_rule(b, "process-exec*", e, &sp);
		}
		if (e->access & NONO_ACCESS_WRITE)
			put_grant_rule(b, "file-write*", e, &sp);
		/* Landlock never restricts stat(): a program may see what it
		 * writes, even without read access. */
		if (e->access == NONO_ACCESS_WRITE)
			put_grant_rule(b, "file-read-metadata", e, &sp);
		put_grant_rule(b, "file-ioctl", e, &sp);
		free(sp.owned);
	}

clear_dirs:
	nono__strv_clear(&dirs);
	return rc;
}

/*
 * The network. Seatbelt's address filters take a host of "*" or
 * "localhost" and a port of "*" or one number, which is exactly what a
 * port exception needs: any host, one port, as Landlock has it.
 */
static void put_network(struct nono__sbuf *b, const struct nono_caps *caps)
{
	const struct nono__ports *conn = &caps->tcp_connect;
	const struct nono__ports *bind = &caps->tcp_bind;

	if (!caps->net_blocked) {
		nono__sbuf_puts(b, "; Network: allowed.\n(allow network*)\n");
		return;
	}

	/*
	 * Name resolution stays, as in nono: a program that cannot resolve
	 * names fails in ways that are hard to diagnose, and the resolver
	 * only answers lookups; the connections themselves stay blocked.
	 */
	nono__sbuf_puts(b,
			"; Network: blocked; name resolution through "
			"mDNSResponder kept.\n"
			"(deny network*)\n"
			"(allow mach-lookup (global-name \"" SBPL_MDNS_SERVICE
			"\"))\n"
			"(allow network-outbound (literal \"" SBPL_MDNS_SOCKET
			"\"))\n");
	if (conn->len > 0)
		nono__sbuf_puts(b,
				"; TCP connections allowed to these ports.\n");
	for (size_t i = 0; i < conn->len; i++)
		nono__sbuf_printf(
			b, "(allow network-outbound (remote tcp \"*:%u\"))\n",
			(unsigned)conn->v[i]);
	/* Listening takes the bind, and accepting what arrives. */
	if (bind->len > 0)
		nono__sbuf_puts(b, "; TCP listening allowed on these ports.\n");
	for (size_t i = 0; i < bind->len; i++)
		nono__sbuf_printf(b,
				  "(allow network-bind network-inbound "
				  "(local tcp \"*:%u\"))\n",
				  (unsigned)bind->v[i]);
}

static int put_platform_rules(struct nono__sbuf *b,
			      const struct nono_caps *caps, nono_diag *diag)
{
	const struct nono__strv *rules = &caps->platform_rules;

	/*
	 * nono_caps_platform_rule() validated each rule, but a set can be
	 * built by other means, and a rule that is not one balanced form
	 * would swallow or break the rest of the profile.
	 */
	for (size_t i = 0; i < rules->len; i++) {
		nono_diag rd;
		int rc = nono_platform_rule_validate(rules->v[i], &rd);

		if (rc)
			return nono__diag_set(diag, rc, "platform rule %zu: %s",
					      i, rd.message);
	}
	if (rules->len > 0)
		nono__sbuf_puts(
			b, "; Platform rules, last: the last matching rule "
			   "wins.\n");
	/* Each on a line of its own: a rule may end in a ';' comment. */
	for (size_t i = 0; i < rules->len; i++) {
		nono__sbuf_puts(b, rules->v[i]);
		nono__sbuf_puts(b, "\n");
	}
	return 0;
}

/* Appends to `missing`, "; "-separated. */
static void add_missing(char *missing, size_t cap, const char *what)
{
	size_t len = strlen(missing);

	snprintf(missing + len, cap - len, "%s%s", len ? "; " : "", what);
}

/*
 * What the capability model has and this profile does not express yet:
 * paths taken back out of grants (deny rules, the files of blocked
 * commands, and with exec_writable = false execution in writable places).
 * Seatbelt could say each of them, but saying them safely takes more than
 * a deny rule on the path: the directories on the way to it must not be
 * renamed, nor the file hard-linked elsewhere, and which operations guard
 * that has not been checked on macOS. Until it has, they are refused in
 * strict mode and named as dropped otherwise, rather than left out
 * quietly, which would grant what the policy denies. No feature bit names
 * them: the dropped details do, as on Linux.
 */
static void plan_unexpressed(const struct nono_caps *caps, char *missing,
			     size_t cap)
{
	bool blocked = false, writable = false;

	for (size_t i = 0; i < caps->block_files.len && !blocked; i++)
		blocked = nono__caps_file_blocked(caps, caps->block_files.v[i]);
	for (size_t i = 0; i < caps->fs_len && !writable; i++)
		writable = caps->fs[i].access & NONO_ACCESS_WRITE;

	if (caps->deny_len > 0)
		add_missing(missing, cap,
			    "deny rules are not expressed in the Seatbelt "
			    "profile yet");
	if (blocked)
		add_missing(missing, cap,
			    "blocked commands are not expressed in the "
			    "Seatbelt profile yet");
	if (caps->no_exec_writable && writable)
		add_missing(missing, cap,
			    "exec_writable = false is not expressed in the "
			    "Seatbelt profile yet");
	if (caps->net_blocked &&
	    (caps->udp_connect.len > 0 || caps->udp_bind.len > 0))
		add_missing(missing, cap,
			    "UDP port exceptions are not expressed in the "
			    "Seatbelt profile yet, so all UDP stays blocked");
}

int nono__sbpl_generate(const struct nono_caps *caps, unsigned flags,
			char **out, nono_apply_result *result, nono_diag *diag)
{
	/* sizeof does not evaluate its operand: result may be NULL. */
	// cppcheck-suppress ctunullpointer
	char missing[sizeof(result->dropped_details)] = "";
	unsigned enforced = NONO_SBPL_FEATURES;
	struct nono__sbuf b = { 0 };
	int rc;

	if (out)
		*out = NULL;
	if (!caps || !out)
		return nono__diag_set(diag, NONO_EINVAL, "caps or out is NULL");
	/* nono_apply checked the set already, but tests and fuzzers reach
	 * the generator without it. */
	rc = nono_caps_check(caps, diag);
	if (rc)
		return rc;

	plan_unexpressed(caps, missing, sizeof(missing));
	if (missing[0] && !(flags & NONO_APPLY_BEST_EFFORT))
		return nono__diag_set(diag, NONO_EUNSUPPORTED,
				      "Seatbelt cannot enforce all that was "
				      "asked for: %s",
				      missing);
	if (caps->net_blocked)
		enforced |= NONO_FEATURE_NETWORK_TCP;

	put_base(&b, caps);
	rc = put_filesystem(&b, caps, diag);
	if (rc == 0)
		put_network(&b, caps);
	if (rc == 0)
		rc = put_platform_rules(&b, caps, diag);
	if (rc == 0 && b.oom)
		rc = nono__diag_set(diag, NONO_ENOMEM,
				    "out of memory writing the profile");
	if (rc) {
		free(b.p);
		return rc;
	}

	if (result) {
		result->abi = 0;
		result->enforced = enforced;
		result->dropped = 0;
		snprintf(result->dropped_details,
			 sizeof(result->dropped_details), "%s", missing);
	}
	*out = b.p;
	return 0;
}
