// SPDX-License-Identifier: Apache-2.0
/*
 * The table of policy sections and keys (docs/policy.md), and the few
 * functions that read it.
 */
#include "keys.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * keys-doc is built from this file alone, without the loader: there the
 * handlers are left out, and only the names, kinds and docs are used.
 */
#ifdef NONO_KEYS_DOC_ONLY
#define HANDLER(fn) NULL
#else
#define HANDLER(fn) fn
#endif

#define KEY_PATH(sec, key, kind_, mode, doc_)                              \
	{                                                                  \
		.section = (sec), .name = (key), .kind = (kind_),          \
		.repeatable = true, .status = NONO_KEY_SUPPORTED,          \
		.access = (mode), .handler = HANDLER(nono__policy_h_path), \
		.doc = (doc_),                                             \
	}

#define KEY_LATER(sec, key, kind_, repeat, choices_, doc_)             \
	{                                                              \
		.section = (sec), .name = (key), .kind = (kind_),      \
		.repeatable = (repeat), .status = NONO_KEY_NOT_YET,    \
		.choices = (choices_), .handler = NULL, .doc = (doc_), \
	}

const struct nono__key nono__keys[] = {
	{
		.section = "policy",
		.name = "version",
		.kind = NONO_KIND_VERSION,
		.repeatable = false,
		.handler = HANDLER(nono__policy_h_version),
		.doc = "Format version; optional. Any value but `1` is an "
		       "error.",
	},
	{
		.section = "policy",
		.name = "include",
		.kind = NONO_KIND_INCLUDE,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_include),
		.doc = "Adds a built-in profile (a bare word, e.g. `system`) "
		       "or another policy file (an absolute path). Nests to "
		       "depth 8; a cycle is an error.",
	},
	{
		.section = "policy",
		.name = "on_unsupported",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "fail|warn",
		.handler = HANDLER(nono__policy_h_on_unsupported),
		.doc = "What to do when the kernel cannot enforce all that is "
		       "asked: `fail` (default) or `warn` and apply the rest.",
	},
	{
		.section = "policy",
		.name = "kernel_log",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "denials|off",
		.handler = HANDLER(nono__policy_h_kernel_log),
		.doc = "What the kernel's audit log records of the program's "
		       "denials, where audit is enabled (Landlock ABI 7+): "
		       "`denials` logs them after `exec` too, `off` logs "
		       "none. Unset: the kernel's default (logged until the "
		       "next `exec`). Follows `on_unsupported`.",
	},
	KEY_PATH("filesystem", "read", NONO_KIND_DIR, NONO_ACCESS_READ,
		 "Read, list and execute everything beneath a directory."),
	KEY_PATH("filesystem", "write", NONO_KIND_DIR, NONO_ACCESS_WRITE,
		 "Create, write, truncate, rename, link and remove beneath a "
		 "directory."),
	KEY_PATH("filesystem", "read_write", NONO_KIND_DIR,
		 NONO_ACCESS_READ_WRITE, "`read` and `write` on a directory."),
	KEY_PATH("filesystem", "read_file", NONO_KIND_FILE, NONO_ACCESS_READ,
		 "Read (and execute) one file."),
	KEY_PATH("filesystem", "write_file", NONO_KIND_FILE, NONO_ACCESS_WRITE,
		 "Write one file."),
	KEY_PATH("filesystem", "read_write_file", NONO_KIND_FILE,
		 NONO_ACCESS_READ_WRITE, "Read and write one file."),
	{
		.section = "filesystem",
		.name = "deny",
		.kind = NONO_KIND_PATH,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_deny),
		.doc = "Takes a directory (and all beneath it) or a file back "
		       "out of what the grants above it give: it cannot be "
		       "read, listed, written, renamed or replaced. The "
		       "directories on the way from the grant lose listing "
		       "and creating; a grant beneath it stands. See "
		       "docs/deny.md.",
	},
	{
		.section = "filesystem",
		.name = "exec_writable",
		.kind = NONO_KIND_BOOL,
		.repeatable = false,
		.handler = HANDLER(nono__policy_h_exec_writable),
		.doc = "`false` withholds execute from every writable grant "
		       "and what lies beneath it, so that nothing the program "
		       "writes can be executed; default `true` (nono's "
		       "mapping).",
	},
	{
		.section = "filesystem",
		.name = "private_tmp",
		.kind = NONO_KIND_BOOL,
		.repeatable = false,
		.handler = HANDLER(nono__policy_h_private_tmp),
		.doc = "`true`: a temporary directory of the program's own "
		       "(`$TMPDIR/nono-UID/HASH`, else under `/tmp`; one per "
		       "user and policy, mode 0700, made when missing), "
		       "granted read and write; the shim and `nono run` set "
		       "`TMPDIR`, `TMP`, `TEMP`, `TMUX_TMPDIR` and "
		       "`SQLITE_TMPDIR` to it. Default `false`.",
	},
	{
		.section = "filesystem",
		.name = "metadata",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "allow|protect",
		.handler = HANDLER(nono__policy_h_metadata),
		.doc = "`protect` refuses changing modes, owners, times, "
		       "extended attributes and inode flags of any file "
		       "(Landlock has no right for them); it breaks `cp -p`, "
		       "`tar x` and git. Default `allow`: the program may "
		       "change the metadata of files its user owns, granted "
		       "or not.",
	},
	{
		.section = "network",
		.name = "block",
		.kind = NONO_KIND_BOOL,
		.repeatable = false,
		.handler = HANDLER(nono__policy_h_block),
		.doc = "`true` denies all network access; default `false`.",
	},
	{
		.section = "network",
		.name = "connect_tcp",
		.kind = NONO_KIND_PORT,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_tcp),
		.doc = "With `block = true`, still allows outbound TCP to this "
		       "port (repeatable; Landlock ABI 4+).",
	},
	{
		.section = "network",
		.name = "bind_tcp",
		.kind = NONO_KIND_PORT,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_tcp),
		.doc = "With `block = true`, still allows listening on this "
		       "TCP "
		       "port (repeatable; Landlock ABI 4+).",
	},
	{
		.section = "network",
		.name = "connect_udp",
		.kind = NONO_KIND_PORT,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_tcp),
		.doc = "With `block = true`, still allows sending UDP to this "
		       "port, from an ephemeral local port (repeatable; "
		       "Landlock ABI 10+; on older kernels UDP stays blocked "
		       "and `on_unsupported` decides).",
	},
	{
		.section = "network",
		.name = "bind_udp",
		.kind = NONO_KIND_PORT,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_tcp),
		.doc = "With `block = true`, still allows binding this UDP "
		       "port (repeatable; Landlock ABI 10+, as `connect_udp`).",
	},
	{
		.section = "network",
		.name = "unix",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "granted|none|all",
		.handler = HANDLER(nono__policy_h_unix),
		.doc = "Pathname UNIX sockets. `granted`: connect and send "
		       "only to sockets beneath a write grant (Landlock ABI "
		       "9); on older kernels no UNIX socket can be created "
		       "at all. `none`: no UNIX socket can be created. `all`: "
		       "any socket, wherever it is. `socketpair()` always "
		       "works. Default: `granted` with `block = true`, `all` "
		       "otherwise.",
	},
	{
		.section = "process",
		.name = "signals",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "isolated|allow",
		.handler = HANDLER(nono__policy_h_scope),
		.doc = "`isolated`: no signals to processes outside the "
		       "sandbox "
		       "(Landlock ABI 6+). Default: isolated where the kernel "
		       "can; written explicitly, follows `on_unsupported`.",
	},
	{
		.section = "process",
		.name = "abstract_unix",
		.kind = NONO_KIND_CHOICE,
		.repeatable = false,
		.choices = "isolated|allow",
		.handler = HANDLER(nono__policy_h_scope),
		.doc = "`isolated`: no connecting to abstract UNIX sockets "
		       "outside the sandbox (Landlock ABI 6+). Default as for "
		       "`signals`.",
	},
	{
		.section = "process",
		.name = "capabilities",
		.kind = NONO_KIND_CAPABILITIES,
		.repeatable = false,
		.handler = HANDLER(nono__policy_h_capabilities),
		.doc = "The Linux capabilities a program run as root keeps; "
		       "all others are dropped from every set. `default`: "
		       "chown, dac_override, fowner, fsetid, kill, setgid, "
		       "setuid, setpcap, net_bind_service, sys_chroot, "
		       "audit_write. `keep`: all of them. `none`, or a list "
		       "separated by commas (`chown, net_raw`).",
	},
	{
		.section = "commands",
		.name = "allow",
		.kind = NONO_KIND_COMMAND,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_command),
		.doc = "A command that may run: wins over `block` (compared by "
		       "the files both resolve to).",
	},
	{
		.section = "commands",
		.name = "block",
		.kind = NONO_KIND_COMMAND,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_command),
		.doc = "A command that may not run, by the program or any "
		       "child: every match on `PATH` at load time (or the "
		       "absolute path) loses execute and read.",
	},
	{
		.section = "macos",
		.name = "seatbelt",
		.kind = NONO_KIND_SEATBELT,
		.repeatable = true,
		.handler = HANDLER(nono__policy_h_seatbelt),
		.doc = "A raw Seatbelt rule; checked on every platform, used "
		       "on macOS only.",
	},
};

const size_t nono__key_count = ARRAY_SIZE(nono__keys);

const struct nono__key *nono__key_find(const char *section, const char *name)
{
	/*
	 * Every line of every policy load comes here. A section's keys name
	 * it with one string literal, which the compiler stores once: a
	 * section found to differ (or to match) is known again by its
	 * pointer, and strcmp runs about once per section, not per key.
	 * Where the pointers differ, strcmp decides as before.
	 */
	const char *other = NULL, *same = NULL;

	if (!section || !name)
		return NULL;
	for (size_t i = 0; i < nono__key_count; i++) {
		const char *s = nono__keys[i].section;

		if (s == other)
			continue;
		if (s != same) {
			if (strcmp(s, section) != 0) {
				other = s;
				continue;
			}
			same = s;
		}
		if (strcmp(nono__keys[i].name, name) == 0)
			return &nono__keys[i];
	}
	return NULL;
}

bool nono__section_known(const char *section)
{
	if (!section)
		return false;
	for (size_t i = 0; i < nono__key_count; i++) {
		if (strcmp(nono__keys[i].section, section) == 0)
			return true;
	}
	return false;
}

size_t nono__key_index(const struct nono__key *key)
{
	return (size_t)(key - nono__keys);
}

bool nono__key_choice_ok(const char *choices, const char *word)
{
	size_t wlen = strlen(word);

	if (!choices || wlen == 0)
		return false;
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == wlen && strncmp(p, word, len) == 0)
			return true;
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

const char *nono__key_kind_str(const struct nono__key *key)
{
	switch (key->kind) {
	case NONO_KIND_VERSION:
		return "1";
	case NONO_KIND_INCLUDE:
		return "a built-in profile name or an absolute path";
	case NONO_KIND_CHOICE:
		return key->choices;
	case NONO_KIND_BOOL:
		return "true|false";
	case NONO_KIND_DIR:
		return "a directory path";
	case NONO_KIND_FILE:
		return "a file path";
	case NONO_KIND_PORT:
		return "a TCP port, 1..65535";
	case NONO_KIND_COMMAND:
		return "a command name or an absolute path";
	case NONO_KIND_SEATBELT:
		return "a Seatbelt rule";
	case NONO_KIND_PATH:
		return "a directory or file path";
	case NONO_KIND_CAPABILITIES:
		return "default, keep, none or a list of capability names";
	}
	return "?";
}

/* The value column: each choice in backticks, "or" between them. */
static void sb_value(struct nono__sbuf *sb, const struct nono__key *key)
{
	const char *p;

	switch (key->kind) {
	case NONO_KIND_VERSION:
		nono__sbuf_printf(sb, "`1`");
		return;
	case NONO_KIND_BOOL:
		nono__sbuf_printf(sb, "`true` or `false`");
		return;
	case NONO_KIND_CHOICE:
		p = key->choices;
		while (*p) {
			const char *bar = strchr(p, '|');
			int len = bar ? (int)(bar - p) : (int)strlen(p);

			nono__sbuf_printf(sb, "%s`%.*s`",
					  p == key->choices ? "" : " or ", len,
					  p);
			if (!bar)
				break;
			p = bar + 1;
		}
		return;
	case NONO_KIND_DIR:
	case NONO_KIND_FILE:
	case NONO_KIND_PATH:
		nono__sbuf_printf(sb, "%s (`-` prefix: optional)",
				  nono__key_kind_str(key));
		return;
	default:
		nono__sbuf_printf(sb, "%s", nono__key_kind_str(key));
		return;
	}
}

char *nono__keys_markdown(void)
{
	struct nono__sbuf sb = { 0 };
	const char *section = NULL;

	for (size_t i = 0; i < nono__key_count; i++) {
		const struct nono__key *k = &nono__keys[i];

		if (!section || strcmp(section, k->section) != 0) {
			section = k->section;
			nono__sbuf_printf(&sb, "%s### `[%s]`\n\n",
					  i ? "\n" : "", section);
			nono__sbuf_printf(
				&sb, "| key | value | repeatable | status | "
				     "meaning |\n");
			nono__sbuf_printf(&sb,
					  "| --- | --- | --- | --- | --- |\n");
		}
		nono__sbuf_printf(&sb, "| `%s` | ", k->name);
		sb_value(&sb, k);
		nono__sbuf_printf(&sb, " | %s | %s | %s |\n",
				  k->repeatable ? "yes" : "no",
				  k->status == NONO_KEY_SUPPORTED
					  ? "supported"
					  : "not supported yet",
				  k->doc);
	}
	if (sb.oom || !sb.p) {
		free(sb.p);
		return NULL;
	}
	return sb.p;
}
