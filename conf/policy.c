// SPDX-License-Identifier: Apache-2.0
/*
 * The policy file loader (docs/policy.md): INI through inih, or a nono
 * SandboxState JSON document, into a capability set. It uses libnono's
 * public API only.
 *
 * inih (Debian's r55) is lenient where a sandbox policy must not be: it
 * cuts long lines, joins indented lines to the previous value, stops a line
 * at a NUL byte and ignores text after a section header. So the whole file
 * is read once, bounded, and fed to inih line by line through our own
 * reader, which checks every line before inih sees it and stops the parse
 * at the first problem; errors thus come in file order, with the line they
 * are on. The capability set is private to the load and handed out only
 * when every file parsed without error.
 */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libnono.h"
#include "util.h"

#include "expand.h"
#include "keys.h"
#include "profiles.h"

/* Limits, so that a hostile or broken policy cannot make the loader (which
 * runs before main in the shim) take unbounded time or memory. */
#define POLICY_MAX_BYTES (1024 * 1024)
#define POLICY_MAX_DEPTH 8
#define POLICY_MAX_ENTRIES 100000
#define POLICY_MAX_FILES 128

/*
 * inih r55 reads lines into a 200-byte buffer that must also hold the
 * newline and the terminating NUL: 198 bytes of text is the most it takes
 * whole.
 */
#define POLICY_MAX_LINE 198

/* How much of a value or path to quote in a message. */
#define QUOTE_MAX 300

struct nono_policy {
	nono_caps *caps;
	bool best_effort;
	char *private_tmp; /* the directory private_tmp = true made, or NULL */
	char **notes;
	size_t note_count;
	size_t note_cap;
};

/* One file (or built-in profile) being parsed. They form a stack through
 * `parent`, which is how cycles and depth are found. */
struct ld_file {
	struct nono__policy_loader *ld;
	struct ld_file *parent;
	const char *name; /* as messages name it */
	unsigned id;	  /* tells files apart, even the same file twice */
	unsigned depth;	  /* 0 for the file the caller named */
	bool has_inode;	  /* built-in profiles have none */
	dev_t dev;
	ino_t ino;
	const char *buf;
	size_t len;
	size_t pos;
	unsigned line;	   /* the line the reader gave inih last */
	unsigned *seen_at; /* per key: line of its first use in this file */
};

/* Where a single-valued key was first set, across all files. */
struct seen_value {
	unsigned file_id; /* 0: not set yet */
	unsigned line;
	char *file;
	char *value;
};

struct nono__policy_loader {
	struct nono_policy *pol;
	nono_diag *diag;
	int err; /* the first error; 0 while there is none */
	struct ld_file *cur;
	size_t entries;
	size_t files;
	unsigned next_id;
	struct seen_value *seen; /* nono__key_count entries */
	/* Where the first TCP port exception was given, for the error when
	 * the network turns out not to be blocked (known only at the end,
	 * since `block` may come later or from another file). */
	char *first_port_file;
	unsigned first_port_line;
	const char *first_port_key;
	char first_port_value[8];
	/* Where each deny rule was given ("file:line: deny = value"), in the
	 * order of the set's deny list, for the notes made at the end (a
	 * deny's meaning depends on grants that may come later). */
	char **deny_where;
	size_t deny_where_len;
	/* private_tmp = true was given; the directory is made at the end,
	 * once the whole policy is known to be good. */
	bool private_tmp;
	/* The mask check_value read from a `capabilities` value, the port
	 * from a port value and the expansion of a path value, for their
	 * handlers: a value is parsed once. */
	uint64_t capabilities;
	unsigned port;
	struct nono__expanded path;
};

/* ------------------------------------------------------------------ */
/* Messages                                                             */
/* ------------------------------------------------------------------ */

/* Copies a file name into the diag, cutting a long one so that it ends in
 * "..." as libnono.h promises. */
static void diag_file(nono_diag *diag, const char *file)
{
	size_t len = strlen(file);

	if (len < sizeof(diag->file)) {
		memcpy(diag->file, file, len + 1);
		return;
	}
	memcpy(diag->file, file, sizeof(diag->file) - 4);
	memcpy(diag->file + sizeof(diag->file) - 4, "...", 4);
}

static void diag_vset(nono_diag *diag, int code, const char *file,
		      unsigned line, const char *fmt, va_list ap)
{
	if (!diag)
		return;
	nono_diag_clear(diag);
	diag->code = code;
	diag->line = line;
	diag_file(diag, file ? file : "");
	vsnprintf(diag->message, sizeof(diag->message), fmt, ap);
}

static int diag_set(nono_diag *diag, int code, const char *file, unsigned line,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int diag_set(nono_diag *diag, int code, const char *file, unsigned line,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(diag, code, file, line, fmt, ap);
	va_end(ap);
	return code;
}

/*
 * Records the first error of the load, at `line` of the current file, and
 * returns its code. Later errors (an including file failing because its
 * include failed) keep the first one's place and words.
 */
static int ld_error_at(struct nono__policy_loader *ld, int code, unsigned line,
		       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int ld_error_at(struct nono__policy_loader *ld, int code, unsigned line,
		       const char *fmt, ...)
{
	va_list ap;

	if (ld->err)
		return ld->err;
	ld->err = code;
	va_start(ap, fmt);
	diag_vset(ld->diag, code, ld->cur ? ld->cur->name : "", line, fmt, ap);
	va_end(ap);
	return code;
}

#define ld_error(ld, code, ...) \
	ld_error_at((ld), (code), (ld)->cur->line, __VA_ARGS__)

/* A handler's result: `rc` from the nono_caps_ call that carried out
 * `key = value`, a failure reported at that line. */
static int ld_applied(struct nono__policy_loader *ld,
		      const struct nono__key *key, const char *value, int rc)
{
	if (rc != 0)
		return ld_error(ld, rc, "%s = %s: %s", key->name, value,
				nono_strerror(rc));
	return 0;
}

static int add_note(struct nono_policy *pol, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends `note` to the policy's notes, taking it over (freed when it
 * cannot be kept). 0 or NONO_ENOMEM. */
static int add_note_made(struct nono_policy *pol, char *note)
{
	char **notes = nono__grow(pol->notes, &pol->note_cap, pol->note_count,
				  sizeof(*notes), 8);

	if (!notes) {
		free(note);
		return NONO_ENOMEM;
	}
	pol->notes = notes;
	pol->notes[pol->note_count++] = note;
	return 0;
}

/*
 * An optional ('-') path of `key` that does not exist: no error, said in
 * a note at this line, the value as `shown`. The built-in profiles name
 * a few such paths on any system, so that every load makes some: the
 * note, "file:line: key = shown: skipped, why", is put together from its
 * parts rather than formatted.
 */
static int ld_skipped(struct nono__policy_loader *ld,
		      const struct nono__key *key, const char *shown)
{
	char num[NONO_UTOA_SIZE], *note, *o;
	const char *part[] = {
		ld->cur->name, ":",	      nono__utoa(ld->cur->line, num),
		": ",	       key->name,     " = ",
		shown,	       ": skipped, ", nono_strerror(NONO_ENOENT)
	};
	size_t len[ARRAY_SIZE(part)], total = 1;

	for (size_t i = 0; i < ARRAY_SIZE(part); i++)
		total += len[i] = strlen(part[i]);
	note = malloc(total);
	if (note) {
		o = note;
		for (size_t i = 0; i < ARRAY_SIZE(part); i++) {
			memcpy(o, part[i], len[i]);
			o += len[i];
		}
		*o = '\0';
	}
	if (!note || add_note_made(ld->pol, note) != 0)
		return ld_error(ld, NONO_ENOMEM, "out of memory");
	return 0;
}

static int add_note(struct nono_policy *pol, const char *fmt, ...)
{
	va_list ap;
	char *note;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&note, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NONO_ENOMEM;
	return add_note_made(pol, note);
}

/* ------------------------------------------------------------------ */
/* Reading files                                                        */
/* ------------------------------------------------------------------ */

static const char *file_type_str(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* What a file that cannot be read as a policy gives, and why. */
struct read_failure {
	int code;
	int sys_errno; /* of the system call that failed; 0: none */
	char why[256];
};

static int read_fail(struct read_failure *rf, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int read_fail(struct read_failure *rf, int code, const char *fmt, ...)
{
	va_list ap;

	rf->code = code;
	rf->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(rf->why, sizeof(rf->why), fmt, ap);
	va_end(ap);
	return code;
}

/* As read_fail, for a system call that failed with errno: keeps it, for
 * the diag's sys_errno. */
static int read_fail_sys(struct read_failure *rf, int code, const char *what)
{
	int err = errno;

	read_fail(rf, code, "%s: %s", what, strerror(err));
	rf->sys_errno = err;
	return code;
}

/* Records the failed step and its errno in a diag (which may be NULL). */
static void diag_cause(nono_diag *diag, nono_step step, int err)
{
	if (diag && err) {
		diag->step = step;
		diag->sys_errno = err;
	}
}

static int open_errno_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? NONO_ENOENT : NONO_EINVAL;
}

/*
 * Reads a whole policy file, at most POLICY_MAX_BYTES, from one descriptor.
 * Anything but a regular file is refused: a FIFO or a device could block
 * the program before main, or change under a second read. Symlinks are
 * followed, as for any configuration file. Returns 0 with a malloc'd buffer
 * (NUL-terminated, for the JSON reader) or a code with the reason in rf.
 */
static int read_policy_file(const char *path, char **out, size_t *outlen,
			    struct stat *st, struct read_failure *rf)
{
	char *buf = NULL;
	size_t len = 0;
	int fd;

	/* A stat first, so that a FIFO or a device is never opened. */
	if (stat(path, st) < 0)
		return read_fail_sys(rf, open_errno_code(errno), "cannot open");
	if (S_ISDIR(st->st_mode))
		return read_fail(rf, NONO_EISDIR,
				 "cannot read: is a directory");
	if (!S_ISREG(st->st_mode))
		return read_fail(rf, NONO_EINVAL,
				 "cannot read: %s, not a regular file",
				 file_type_str(st->st_mode));

	/* O_NONBLOCK: should it have become a FIFO meanwhile, opening it
	 * must not wait for a writer; the fstat below refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return read_fail_sys(rf, open_errno_code(errno), "cannot open");
	if (fstat(fd, st) < 0) {
		read_fail_sys(rf, NONO_EINVAL, "cannot read");
		goto close_fd;
	}
	if (S_ISDIR(st->st_mode)) {
		read_fail(rf, NONO_EISDIR, "cannot read: is a directory");
		goto close_fd;
	}
	if (!S_ISREG(st->st_mode)) {
		read_fail(rf, NONO_EINVAL,
			  "cannot read: %s, not a regular file",
			  file_type_str(st->st_mode));
		goto close_fd;
	}
	if (st->st_size > POLICY_MAX_BYTES) {
		read_fail(rf, NONO_EPARSE,
			  "policy file too large (more than %d bytes)",
			  POLICY_MAX_BYTES);
		goto close_fd;
	}

	/*
	 * Sized from fstat, with one byte more to see a file that grew (or
	 * one, in /proc say, whose size says nothing) and one for the NUL.
	 * Should it fill up, it grows, up to one byte past the limit.
	 */
	size_t cap = (size_t)st->st_size + 1;
	buf = malloc(cap + 1);
	if (!buf) {
		read_fail(rf, NONO_ENOMEM, "out of memory");
		goto close_fd;
	}
	/* A regular file gives everything up to its end in one read: a
	 * short read is the end, and only a file that grew (or one whose
	 * size says nothing) takes another. */
	for (;;) {
		if (len == cap) {
			size_t grown = cap > (POLICY_MAX_BYTES + 1) / 2
					       ? POLICY_MAX_BYTES + 1
					       : cap * 2;
			char *bigger = realloc(buf, grown + 1);

			if (!bigger) {
				read_fail(rf, NONO_ENOMEM, "out of memory");
				goto free_buf;
			}
			buf = bigger;
			cap = grown;
		}
		ssize_t n = read(fd, buf + len, cap - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			read_fail_sys(rf, NONO_EINVAL, "cannot read");
			goto free_buf;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > POLICY_MAX_BYTES) {
			read_fail(rf, NONO_EPARSE,
				  "policy file too large (more than %d bytes)",
				  POLICY_MAX_BYTES);
			goto free_buf;
		}
		if (len < cap && len == (size_t)st->st_size)
			break;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return rf->code;
}

/* ------------------------------------------------------------------ */
/* Checking lines before inih sees them                                 */
/* ------------------------------------------------------------------ */

/*
 * Whether any of the eight bytes in `w` (in any order) needs a closer
 * look: below 0x20, 0x7f, or 0x80 and above. The usual word-at-a-time
 * tests, each exact about whether some byte matches: a byte below 0x20
 * is the lowest to borrow when 0x20 is taken from every byte, a byte
 * 0x7f the lowest to borrow once 0x7f is xored out and 1 taken away.
 */
static bool word_not_printable(uint64_t w)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t del = w ^ (ones * 0x7f);

	return ((w | ((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) &
		(ones * 0x80)) != 0;
}

/*
 * Checks the bytes of one line (without its newline) that every format
 * shares: no NUL, valid UTF-8, no control characters but tab (and a
 * carriage return ending the line). Returns NULL or the problem.
 */
static const char *check_bytes(const char *line, size_t len, char *tmp,
			       size_t tmplen)
{
	const unsigned char *s = (const unsigned char *)line;

	if (memchr(line, '\0', len))
		return "NUL byte";
	for (size_t i = 0; i < len;) {
		uint64_t w;
		uint32_t cp;

		/* This runs on every byte of every load: eight bytes of
		 * printable ASCII, most of any policy, are passed at once. */
		if (len - i >= sizeof(w)) {
			memcpy(&w, s + i, sizeof(w));
			if (!word_not_printable(w)) {
				i += sizeof(w);
				continue;
			}
		}
		/* Nearly every byte of a policy is ASCII, which the decoder
		 * would only hand back: it sees the others alone. A control
		 * character is always one ASCII byte (C1 controls, two bytes
		 * of UTF-8, are text here). */
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 || s[i] == 0x7f) && s[i] != '\t' &&
			    !(s[i] == '\r' && i + 1 == len)) {
				snprintf(tmp, tmplen,
					 "control character 0x%02x", s[i]);
				return tmp;
			}
			i++;
			continue;
		}
		i += nono__utf8_next(s + i, len - i, &cp);
		if (cp == NONO_UTF8_INVALID)
			return "not valid UTF-8";
	}
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * As inih does: the first of `chars` (one or two of them: `c2` may be
 * `c1`), or of an inline comment (';' after white space), or the end.
 * Returns its offset. The two characters are compared directly, not
 * looked up with strchr per byte: this runs on every line of every load.
 */
static size_t find_chars_or_comment(const char *s, size_t len, char c1, char c2)
{
	bool was_space = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == c1 || s[i] == c2 || (was_space && s[i] == ';'))
			break;
		was_space = is_blank(s[i]);
	}
	return i;
}

/*
 * Checks one line as inih will read it, and returns NULL or the problem.
 * Besides what inih itself calls an error (a section header without ']',
 * a line with no '=' or ':'), it refuses what inih would take silently:
 * an indented line (inih joins it to the previous value), text after a
 * section header, an empty or unknown section name (a section without keys
 * never reaches the handler).
 */
static const char *check_ini_line(const char *line, size_t len, char *tmp,
				  size_t tmplen)
{
	const char *why = check_bytes(line, len, tmp, tmplen);
	char name[POLICY_MAX_LINE + 1];
	size_t i = 0, end;

	if (why)
		return why;
	if (len > POLICY_MAX_LINE) {
		snprintf(tmp, tmplen, "line longer than %d bytes",
			 POLICY_MAX_LINE);
		return tmp;
	}
	while (i < len && is_blank(line[i]))
		i++;
	if (i == len || line[i] == ';' || line[i] == '#')
		return NULL;
	if (i > 0)
		return "indented line (inih would join it to the previous "
		       "value); remove the indentation";
	if (line[0] == '[') {
		end = 1 + find_chars_or_comment(line + 1, len - 1, ']', ']');
		if (end >= len || line[end] != ']')
			return "section header without a closing ']'";
		if (end == 1)
			return "empty section name []";
		/* The length check above bounds the name. */
		memcpy(name, line + 1, end - 1);
		name[end - 1] = '\0';
		if (!nono__section_known(name)) {
			snprintf(tmp, tmplen, "unknown section [%.100s]", name);
			return tmp;
		}
		for (i = end + 1; i < len && is_blank(line[i]); i++)
			;
		if (i < len && line[i] != ';' && line[i] != '#')
			return "unexpected text after the section header";
		return NULL;
	}
	end = find_chars_or_comment(line, len, '=', ':');
	if (end >= len || (line[end] != '=' && line[end] != ':'))
		return "expected 'key = value'";
	return NULL;
}

/* inih's reader: one checked line per call, NULL at the end or at the first
 * problem (which stops the parse). */
static char *policy_reader(char *str, int num, void *stream)
{
	struct ld_file *f = stream;
	struct nono__policy_loader *ld = f->ld;
	const char *start, *nl, *why;
	size_t linelen, take;
	char tmp[192];

	if (ld->err || f->pos >= f->len)
		return NULL;
	start = f->buf + f->pos;
	nl = memchr(start, '\n', f->len - f->pos);
	linelen = nl ? (size_t)(nl - start) : f->len - f->pos;
	take = nl ? linelen + 1 : linelen;
	f->line++;

	why = check_ini_line(start, linelen, tmp, sizeof(tmp));
	if (why) {
		ld_error(ld, NONO_EPARSE, "%s", why);
		return NULL;
	}
	/* Only if inih was set up with a smaller buffer than r55's. */
	if (num < 1 || take >= (size_t)num) {
		ld_error(ld, NONO_EPARSE, "line too long for the INI parser");
		return NULL;
	}
	memcpy(str, start, take);
	str[take] = '\0';
	f->pos += take;
	return str;
}

/* ------------------------------------------------------------------ */
/* Values                                                               */
/* ------------------------------------------------------------------ */

/* "fail or warn" from "fail|warn". */
static void choices_words(const char *choices, char *buf, size_t len)
{
	size_t o = 0;

	for (const char *p = choices; *p && o + 5 < len; p++) {
		if (*p == '|') {
			memcpy(buf + o, " or ", 4);
			o += 4;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
}

/* Where a path value has a " #" that its writer probably meant as a
 * comment: inih strips only " ;" comments. */
static bool has_hash_comment(const char *value)
{
	for (const char *p = strchr(value, '#'); p; p = strchr(p + 1, '#')) {
		if (p > value && is_blank(p[-1]))
			return true;
	}
	return false;
}

/*
 * Whether `value` is bad for its key's kind, with why in `why`. A
 * `capabilities` value is read into ld->capabilities for its handler.
 */
static bool value_bad(struct nono__policy_loader *ld,
		      const struct nono__key *key, const char *value, char *why,
		      size_t len)
{
	const char *choices = key->choices;
	char words[256];
	nono_diag d;

	switch (key->kind) {
	case NONO_KIND_VERSION:
		if (strcmp(value, "1") == 0)
			return false;
		snprintf(why, len,
			 "unsupported version (this loader reads version 1)");
		return true;
	case NONO_KIND_BOOL:
		choices = "true|false";
		/* fall through */
	case NONO_KIND_CHOICE:
		if (nono__key_choice_ok(choices, value))
			return false;
		choices_words(choices, words, sizeof(words));
		snprintf(why, len, "expected %s", words);
		return true;
	case NONO_KIND_PORT:
		switch (nono__port_parse(value, &ld->port)) {
		case 0:
			return false;
		case -1:
			snprintf(why, len, "expected a port number (1..65535)");
			return true;
		default:
			snprintf(why, len, "port out of range (1..65535)");
			return true;
		}
	case NONO_KIND_DIR:
	case NONO_KIND_FILE:
	case NONO_KIND_PATH:
		if (has_hash_comment(value)) {
			snprintf(why, len,
				 "'#' starts a comment only at the start of a "
				 "line (inline comments start with ' ;')");
			return true;
		}
		return nono__expand_path(value, &ld->path, why, len) < 0;
	case NONO_KIND_COMMAND:
		if (!strchr(value, '/') || value[0] == '/')
			return false;
		snprintf(why, len,
			 "a command is a bare name or an absolute path");
		return true;
	case NONO_KIND_SEATBELT:
		if (nono_platform_rule_validate(value, &d) == 0)
			return false;
		snprintf(why, len, "%s", d.message);
		return true;
	case NONO_KIND_INCLUDE:
		/* The include handler tells profiles from paths. */
		return false;
	case NONO_KIND_CAPABILITIES:
		return nono__capabilities_parse(value, &ld->capabilities, why,
						len) < 0;
	}
	return false;
}

/* Checks a value against its key's kind, so that a bad value is reported
 * the same way whether the key is supported yet or not. */
static int check_value(struct nono__policy_loader *ld,
		       const struct nono__key *key, const char *value)
{
	char why[sizeof(((nono_diag *)0)->message)];

	if (value_bad(ld, key, value, why, sizeof(why)))
		return ld_error(ld, NONO_EPARSE, "%s = %.*s: %s", key->name,
				QUOTE_MAX, value, why);
	return 0;
}

/*
 * Single-valued keys: once per file, and the same value in every file that
 * sets them, so that an included file cannot quietly turn off what the
 * including one turned on (or the other way round).
 */
static int check_single(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value)
{
	struct ld_file *f = ld->cur;
	size_t idx = nono__key_index(key);
	struct seen_value *s = &ld->seen[idx];

	if (f->seen_at[idx])
		return ld_error(ld, NONO_EPARSE,
				"duplicate key '%s' in [%s] (first at line %u)",
				key->name, key->section, f->seen_at[idx]);
	f->seen_at[idx] = f->line;
	if (s->file_id) {
		if (strcmp(s->value, value) != 0)
			return ld_error(ld, NONO_EPARSE,
					"conflicting values for '%s' in [%s]: "
					"'%.*s' here, '%.*s' at %s:%u",
					key->name, key->section, QUOTE_MAX,
					value, QUOTE_MAX, s->value, s->file,
					s->line);
		return 0;
	}
	s->value = strdup(value);
	s->file = strdup(f->name);
	if (!s->value || !s->file)
		return ld_error(ld, NONO_ENOMEM, "out of memory");
	s->file_id = f->id;
	s->line = f->line;
	return 0;
}

static int policy_handler(void *user, const char *section, const char *name,
			  const char *value)
{
	struct nono__policy_loader *ld = user;
	const struct nono__key *key;

	if (ld->err)
		return 0;
	if (++ld->entries > POLICY_MAX_ENTRIES) {
		ld_error(ld, NONO_EPARSE,
			 "too many entries (more than %d in all files)",
			 POLICY_MAX_ENTRIES);
		return 0;
	}
	if (!*name) {
		ld_error(ld, NONO_EPARSE, "missing key name before '='");
		return 0;
	}
	if (!*section) {
		ld_error(ld, NONO_EPARSE, "key '%s' before any [section]",
			 name);
		return 0;
	}
	/* A key found is in a known section: the section is looked up
	 * alone only to say which of the two is unknown. */
	key = nono__key_find(section, name);
	if (!key && !nono__section_known(section)) {
		ld_error(ld, NONO_EPARSE, "unknown section [%s]", section);
		return 0;
	}
	if (!key) {
		ld_error(ld, NONO_EPARSE, "unknown key '%s' in [%s]", name,
			 section);
		return 0;
	}
	if (!*value) {
		ld_error(ld, NONO_EPARSE, "empty value for '%s' in [%s]", name,
			 section);
		return 0;
	}
	if (check_value(ld, key, value) != 0)
		return 0;
	if (key->status != NONO_KEY_SUPPORTED || !key->handler) {
		ld_error(ld, NONO_EPARSE, "'%s' in [%s] is not supported yet",
			 key->name, key->section);
		return 0;
	}
	if (!key->repeatable && check_single(ld, key, value) != 0)
		return 0;
	/* What the line grants or denies remembers the line, so that a
	 * query (nono why) can name it. */
	if (nono_caps_set_origin(ld->pol->caps, ld->cur->name, ld->cur->line) !=
	    0) {
		ld_error(ld, NONO_ENOMEM, "out of memory");
		return 0;
	}
	return key->handler(ld, key, value) == 0;
}

/* ------------------------------------------------------------------ */
/* Documents                                                            */
/* ------------------------------------------------------------------ */

/* The line of byte offset `off`, 1-based. */
static unsigned line_of(const char *buf, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static int parse_json(struct nono__policy_loader *ld, struct ld_file *f)
{
	nono_state *state = NULL;
	nono_caps *caps = NULL;
	char tmp[64];
	nono_diag d;
	int rc;

	/* The same byte rules as for INI, so that a NUL cannot end the
	 * document early for one reader and not for another. */
	for (size_t off = 0; off < f->len;) {
		const char *nl = memchr(f->buf + off, '\n', f->len - off);
		size_t len = nl ? (size_t)(nl - f->buf) - off : f->len - off;
		const char *why =
			check_bytes(f->buf + off, len, tmp, sizeof(tmp));

		if (why)
			return ld_error_at(ld, NONO_EPARSE,
					   line_of(f->buf, off), "%s", why);
		off += len + 1;
	}
	nono_diag_clear(&d);
	rc = nono_state_from_json(f->buf, f->len, &state, &d);
	if (rc != 0)
		return ld_error_at(ld, rc, d.line, "%s",
				   d.message[0] ? d.message
						: nono_strerror(rc));
	nono_diag_clear(&d);
	rc = nono_state_to_caps(state, &caps, &d);
	nono_state_free(state);
	if (rc != 0)
		return ld_error_at(ld, rc, d.line, "%s",
				   d.message[0] ? d.message
						: nono_strerror(rc));
	nono_caps_free(ld->pol->caps);
	ld->pol->caps = caps;
	return 0;
}

static int parse_ini(struct nono__policy_loader *ld, struct ld_file *f)
{
	int rc;

	f->seen_at = calloc(nono__key_count, sizeof(*f->seen_at));
	if (!f->seen_at)
		return ld_error_at(ld, NONO_ENOMEM, 0, "out of memory");
	rc = ini_parse_stream(policy_reader, f, policy_handler, ld);
	free(f->seen_at);
	f->seen_at = NULL;
	if (ld->err)
		return ld->err;
	if (rc == -2)
		return ld_error_at(ld, NONO_ENOMEM, 0, "out of memory");
	/* Whatever inih refuses that the line checks let through. */
	if (rc != 0)
		return ld_error_at(ld, NONO_EPARSE, rc > 0 ? (unsigned)rc : 0,
				   "syntax error");
	return 0;
}

/*
 * Parses one document (the top file, an included file or a built-in
 * profile) into the loader's capability set. `f` is filled in by the caller
 * but for the fields set here.
 */
static int parse_document(struct nono__policy_loader *ld, struct ld_file *f)
{
	size_t i = 0;
	int rc;

	f->ld = ld;
	f->parent = ld->cur;
	f->depth = ld->cur ? ld->cur->depth + 1 : 0;
	f->id = ++ld->next_id;
	f->pos = 0;
	f->line = 0;

	/* A UTF-8 byte order mark is no part of the text. */
	if (f->len >= 3 && memcmp(f->buf, "\xef\xbb\xbf", 3) == 0) {
		f->buf += 3;
		f->len -= 3;
	}

	while (i < f->len && (is_blank(f->buf[i]) || f->buf[i] == '\n'))
		i++;
	if (i < f->len && f->buf[i] == '{' && f->depth > 0)
		return ld_error(ld, NONO_EPARSE,
				"%s is a JSON state, which cannot be included",
				f->name);

	ld->cur = f;
	if (i < f->len && f->buf[i] == '{')
		rc = parse_json(ld, f);
	else
		rc = parse_ini(ld, f);
	ld->cur = f->parent;
	return rc;
}

/* "a -> b -> c" for the files from the top down to `f`, then `last`. */
static void include_chain(const struct ld_file *f, const char *last, char *buf,
			  size_t len)
{
	const struct ld_file *stack[POLICY_MAX_DEPTH + 2];
	size_t n = 0, o = 0;

	for (; f && n < POLICY_MAX_DEPTH + 1; f = f->parent)
		stack[n++] = f;
	buf[0] = '\0';
	while (n > 0 && o < len) {
		int w = snprintf(buf + o, len - o, "%s -> ", stack[--n]->name);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o < len)
		snprintf(buf + o, len - o, "%s", last);
}

/* Whether `name` (a profile) or dev/ino (a file) is already being parsed. */
static bool include_cycle(const struct ld_file *f, const char *name,
			  const struct stat *st)
{
	for (; f; f = f->parent) {
		if (st && f->has_inode && f->dev == st->st_dev &&
		    f->ino == st->st_ino)
			return true;
		if (!st && !f->has_inode && strcmp(f->name, name) == 0)
			return true;
	}
	return false;
}

static int include_document(struct nono__policy_loader *ld, struct ld_file *f,
			    const struct stat *st)
{
	char chain[768];

	if (include_cycle(ld->cur, f->name, st)) {
		include_chain(ld->cur, f->name, chain, sizeof(chain));
		return ld_error(ld, NONO_EPARSE, "include cycle: %s", chain);
	}
	if (++ld->files > POLICY_MAX_FILES)
		return ld_error(ld, NONO_EPARSE,
				"too many included files (more than %d)",
				POLICY_MAX_FILES);
	if (ld->cur->depth + 1 > POLICY_MAX_DEPTH) {
		include_chain(ld->cur, f->name, chain, sizeof(chain));
		return ld_error(ld, NONO_EPARSE,
				"includes nested deeper than %d: %s",
				POLICY_MAX_DEPTH, chain);
	}
	if (st) {
		f->has_inode = true;
		f->dev = st->st_dev;
		f->ino = st->st_ino;
	}
	return parse_document(ld, f);
}

/* ------------------------------------------------------------------ */
/* Handlers (named in keys.c)                                           */
/* ------------------------------------------------------------------ */

int nono__policy_h_version(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value)
{
	/* check_value allowed "1" only; there is nothing to record. */
	(void)ld;
	(void)key;
	(void)value;
	return 0;
}

int nono__policy_h_on_unsupported(struct nono__policy_loader *ld,
				  const struct nono__key *key,
				  const char *value)
{
	(void)key;
	ld->pol->best_effort = strcmp(value, "warn") == 0;
	return 0;
}

int nono__policy_h_block(struct nono__policy_loader *ld,
			 const struct nono__key *key, const char *value)
{
	if (strcmp(value, "true") != 0)
		return 0;
	return ld_applied(ld, key, value,
			  nono_caps_block_network(ld->pol->caps));
}

int nono__policy_h_tcp(struct nono__policy_loader *ld,
		       const struct nono__key *key, const char *value)
{
	/* check_value has read the value (1..65535) into ld->port. */
	unsigned port = ld->port;
	int rc;

	if (strcmp(key->name, "connect_tcp") == 0)
		rc = nono_caps_allow_tcp_connect(ld->pol->caps, port);
	else if (strcmp(key->name, "bind_tcp") == 0)
		rc = nono_caps_allow_tcp_bind(ld->pol->caps, port);
	else if (strcmp(key->name, "connect_udp") == 0)
		rc = nono_caps_allow_udp_connect(ld->pol->caps, port);
	else
		rc = nono_caps_allow_udp_bind(ld->pol->caps, port);
	rc = ld_applied(ld, key, value, rc);
	if (rc != 0)
		return rc;
	if (!ld->first_port_file) {
		ld->first_port_file = strdup(ld->cur->name);
		if (!ld->first_port_file)
			return ld_error(ld, NONO_ENOMEM, "out of memory");
		ld->first_port_line = ld->cur->line;
		ld->first_port_key = key->name;
		snprintf(ld->first_port_value, sizeof(ld->first_port_value),
			 "%s", value);
	}
	return 0;
}

int nono__policy_h_scope(struct nono__policy_loader *ld,
			 const struct nono__key *key, const char *value)
{
	nono_scope scope = strcmp(key->name, "signals") == 0
				   ? NONO_SCOPE_SIGNAL
				   : NONO_SCOPE_ABSTRACT_UNIX;
	/* Written explicitly, `isolated` is something the kernel must
	 * enforce (or on_unsupported must excuse), unlike the default. */
	nono_scope_mode mode = strcmp(value, "isolated") == 0
				       ? NONO_SCOPE_MODE_ISOLATED
				       : NONO_SCOPE_MODE_ALLOWED;

	return ld_applied(ld, key, value,
			  nono_caps_set_scope(ld->pol->caps, scope, mode));
}

int nono__policy_h_seatbelt(struct nono__policy_loader *ld,
			    const struct nono__key *key, const char *value)
{
	nono_diag d;
	int rc;

	nono_diag_clear(&d);
	rc = nono_caps_platform_rule(ld->pol->caps, value, &d);
	if (rc == NONO_ENOMEM)
		return ld_error(ld, rc, "out of memory");
	if (rc != 0)
		return ld_error(ld, NONO_EPARSE, "%s = %.*s: %s", key->name,
				QUOTE_MAX, value,
				d.message[0] ? d.message : nono_strerror(rc));
	return 0;
}

/* "~/x (/root/x)" where expansion changed the spelling, else "/x". */
static void value_shown(const char *value, const struct nono__expanded *ex,
			char *buf, size_t len)
{
	const char *bare = ex->optional ? value + 1 : value;

	/* The value as written, the common case (every optional path
	 * skipped shows it), is copied rather than formatted. */
	if (strcmp(bare, ex->path) == 0) {
		size_t n = strnlen(value, QUOTE_MAX);

		if (n >= len)
			n = len - 1;
		memcpy(buf, value, n);
		buf[n] = '\0';
	} else {
		/* Cut to fit, as every quoted value is. */
		if (snprintf(buf, len, "%.*s (%.*s)", QUOTE_MAX, value,
			     QUOTE_MAX, ex->path) < 0)
			buf[0] = '\0';
	}
}

/* Whether `path` is `dir` or lies beneath it, spelled as it is. */
static bool spelled_beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* Whether `path` is /proc/<pid> or lies beneath it. */
static bool proc_pid_path(const char *path)
{
	size_t n;

	if (strncmp(path, "/proc/", 6) != 0)
		return false;
	n = strspn(path + 6, "0123456789");
	return n > 0 && (path[6 + n] == '\0' || path[6 + n] == '/');
}

/*
 * Refuses a path that names one process's entries in /proc: /proc/self,
 * /proc/thread-self, /proc/<pid>, and /dev/fd and /dev/std* (symlinks to
 * /proc/self/fd). Canonicalised, /proc/self becomes the loader's own pid,
 * and the grant would reach neither the program's children nor, under
 * nono run, the program itself. Returns 0, or the error recorded.
 */
static int refuse_per_process_as(struct nono__policy_loader *ld,
				 const struct nono__key *key, const char *value,
				 const char *path, const char *resolved)
{
	static const char *const proc[] = { "/proc/self", "/proc/thread-self" };
	static const char *const fds[] = { "/dev/fd", "/dev/stdin",
					   "/dev/stdout", "/dev/stderr" };
	bool in_proc = resolved && proc_pid_path(resolved);
	bool in_fds = false;

	/* Each of them lies in /proc or /dev: any other spelling, nearly
	 * every grant of every load, is passed with one comparison. */
	if (strncmp(path, "/proc/", 6) == 0) {
		in_proc = in_proc || proc_pid_path(path);
		for (size_t i = 0; i < ARRAY_SIZE(proc); i++)
			in_proc = in_proc || spelled_beneath(path, proc[i]);
	} else if (strncmp(path, "/dev/", 5) == 0) {
		for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
			in_fds = in_fds || spelled_beneath(path, fds[i]);
	}
	if (in_fds)
		return ld_error(ld, NONO_EPARSE,
				"%s = %.*s: a per-process path (a symlink into "
				"/proc/self/fd): descriptors the program "
				"inherits need no grant; grant the file or "
				"device they are, or use include = proc",
				key->name, QUOTE_MAX, value);
	if (in_proc)
		return ld_error(ld, NONO_EPARSE,
				"%s = %.*s: a per-process path: it would name "
				"the process that loads the policy, not the "
				"program nor its children; use include = proc "
				"(read access to /proc, /proc/self included)",
				key->name, QUOTE_MAX, value);
	return 0;
}

/* As refuse_per_process_as, with the path resolved here (realpath(3); a
 * path that does not resolve is judged by its spelling alone). */
static int refuse_per_process(struct nono__policy_loader *ld,
			      const struct nono__key *key, const char *value,
			      const char *path)
{
	char *resolved = realpath(path, NULL);
	int rc = refuse_per_process_as(ld, key, value, path, resolved);

	free(resolved);
	return rc;
}

int nono__policy_h_private_tmp(struct nono__policy_loader *ld,
			       const struct nono__key *key, const char *value)
{
	(void)key;
	ld->private_tmp = strcmp(value, "true") == 0;
	return 0;
}

int nono__policy_h_path(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value)
{
	/* check_value expanded it. */
	const struct nono__expanded *ex = &ld->path;
	char shown[2 * QUOTE_MAX + 8];
	int rc;

	/*
	 * The spelling is judged first, then what the grant resolved to:
	 * the grant canonicalises the path anyway, and the cheapest way it
	 * can (nono_caps_allow_path), so a realpath of its own here is
	 * needed only when the grant failed and says nothing. The grant
	 * made is thrown away with the whole set when refused.
	 */
	if (refuse_per_process_as(ld, key, value, ex->path, NULL) != 0)
		return ld->err;
	if (key->kind == NONO_KIND_DIR)
		rc = nono_caps_allow_path(ld->pol->caps, ex->path, key->access);
	else
		rc = nono_caps_allow_file(ld->pol->caps, ex->path, key->access);
	if (rc == 0) {
		nono_fs_cap made;

		if (nono_caps_fs_at(ld->pol->caps,
				    nono_caps_fs_count(ld->pol->caps) - 1,
				    &made) == 0 &&
		    refuse_per_process_as(ld, key, value, ex->path,
					  made.resolved) != 0)
			return ld->err;
		return 0;
	}
	/* A path that does not exist resolves nowhere: realpath would fail
	 * on it as the grant did. */
	if (rc != NONO_ENOENT &&
	    refuse_per_process(ld, key, value, ex->path) != 0)
		return ld->err;
	value_shown(value, ex, shown, sizeof(shown));
	if (rc == NONO_ENOENT && ex->optional)
		return ld_skipped(ld, key, shown);
	return ld_applied(ld, key, shown, rc);
}

int nono__policy_h_deny(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value)
{
	size_t before = nono_caps_deny_count(ld->pol->caps);
	/* check_value expanded it. */
	const struct nono__expanded *ex = &ld->path;
	char shown[2 * QUOTE_MAX + 8];
	char **where;
	int rc;

	if (refuse_per_process(ld, key, value, ex->path) != 0)
		return ld->err;
	value_shown(value, ex, shown, sizeof(shown));
	rc = nono_caps_deny_path(ld->pol->caps, ex->path);
	if (rc == NONO_ENOENT && ex->optional)
		return ld_skipped(ld, key, shown);
	if (rc != 0)
		return ld_applied(ld, key, shown, rc);
	/* The same path denied twice is one rule, named where it came
	 * first. */
	if (nono_caps_deny_count(ld->pol->caps) == before)
		return 0;
	where = realloc(ld->deny_where,
			(ld->deny_where_len + 1) * sizeof(*where));
	if (!where)
		return ld_error(ld, NONO_ENOMEM, "out of memory");
	ld->deny_where = where;
	if (asprintf(&where[ld->deny_where_len], "%s:%u: %s = %s",
		     ld->cur->name, ld->cur->line, key->name, shown) < 0)
		return ld_error(ld, NONO_ENOMEM, "out of memory");
	ld->deny_where_len++;
	return 0;
}

int nono__policy_h_exec_writable(struct nono__policy_loader *ld,
				 const struct nono__key *key, const char *value)
{
	return ld_applied(ld, key, value,
			  nono_caps_set_exec_writable(
				  ld->pol->caps, strcmp(value, "true") == 0));
}

int nono__policy_h_metadata(struct nono__policy_loader *ld,
			    const struct nono__key *key, const char *value)
{
	return ld_applied(
		ld, key, value,
		nono_caps_set_protect_metadata(ld->pol->caps,
					       strcmp(value, "protect") == 0));
}

int nono__policy_h_unix(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value)
{
	nono_unix_mode mode = strcmp(value, "granted") == 0 ? NONO_UNIX_GRANTED
			      : strcmp(value, "none") == 0  ? NONO_UNIX_NONE
							    : NONO_UNIX_ALL;

	return ld_applied(ld, key, value,
			  nono_caps_set_unix(ld->pol->caps, mode));
}

int nono__policy_h_kernel_log(struct nono__policy_loader *ld,
			      const struct nono__key *key, const char *value)
{
	nono_kernel_log mode = strcmp(value, "denials") == 0
				       ? NONO_KERNEL_LOG_DENIALS
				       : NONO_KERNEL_LOG_OFF;

	return ld_applied(ld, key, value,
			  nono_caps_set_kernel_log(ld->pol->caps, mode));
}

int nono__capabilities_parse(const char *value, uint64_t *mask, char *why,
			     size_t why_len)
{
	const char *p = value;

	if (strcmp(value, "default") == 0) {
		*mask = NONO_CAPABILITIES_DEFAULT;
		return 0;
	}
	if (strcmp(value, "keep") == 0) {
		*mask = NONO_CAPABILITIES_ALL;
		return 0;
	}
	*mask = 0;
	if (strcmp(value, "none") == 0)
		return 0;
	for (;;) {
		char name[32];
		size_t n;
		int cap;

		p += strspn(p, " \t");
		n = strcspn(p, ", \t");
		if (n == 0 || n >= sizeof(name)) {
			snprintf(why, why_len,
				 "expected default, keep, none or capability "
				 "names separated by commas");
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		cap = nono_capability_from_name(name);
		if (cap < 0) {
			snprintf(why, why_len, "unknown capability '%s'", name);
			return -1;
		}
		*mask |= UINT64_C(1) << cap;
		p += n;
		p += strspn(p, " \t");
		if (*p == '\0')
			return 0;
		if (*p != ',') {
			snprintf(why, why_len,
				 "capability names are separated by commas");
			return -1;
		}
		p++;
	}
}

int nono__policy_h_capabilities(struct nono__policy_loader *ld,
				const struct nono__key *key, const char *value)
{
	/* check_value has read the value into ld->capabilities. */
	return ld_applied(
		ld, key, value,
		nono_caps_set_capabilities(ld->pol->caps, ld->capabilities));
}

int nono__policy_h_command(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value)
{
	bool block = strcmp(key->name, "block") == 0;
	const nono_caps *caps = ld->pol->caps;
	size_t before = block ? nono_caps_blocked_command_file_count(caps)
			      : nono_caps_allowed_command_file_count(caps);
	size_t after;
	int rc;

	/* Resolved now, on this process's PATH: load time, as the spec
	 * says (check_value has refused a relative path with a '/'). */
	rc = block ? nono_caps_block_command(ld->pol->caps, value)
		   : nono_caps_allow_command(ld->pol->caps, value);
	if (rc != 0)
		return ld_error(ld, rc, "%s = %.*s: %s", key->name, QUOTE_MAX,
				value, nono_strerror(rc));
	after = block ? nono_caps_blocked_command_file_count(caps)
		      : nono_caps_allowed_command_file_count(caps);
	if (after == before)
		rc = add_note(ld->pol, "%s:%u: [commands] %s = %.*s: %s",
			      ld->cur->name, ld->cur->line, key->name,
			      QUOTE_MAX, value,
			      value[0] == '/'
				      ? "no such file, or one listed "
					"already: nothing more to do"
				      : "found nowhere on PATH, or only "
					"as files listed already: "
					"nothing more to do");
	for (size_t i = before; rc == 0 && i < after; i++)
		rc = add_note(
			ld->pol, "%s:%u: [commands] %s = %.*s: %s",
			ld->cur->name, ld->cur->line, key->name, QUOTE_MAX,
			value,
			block ? nono_caps_blocked_command_file_at(caps, i)
			      : nono_caps_allowed_command_file_at(caps, i));
	return rc ? ld_error(ld, rc, "out of memory") : 0;
}

/*
 * What each deny rule means with every grant known: nothing at all when
 * no grant reaches it, and nothing for a grant beneath it, which stands as
 * an explicit carve-in. Both are said at debug level, never silently.
 */
static int deny_notes(struct nono__policy_loader *ld)
{
	const nono_caps *caps = ld->pol->caps;
	size_t ngrants = nono_caps_fs_count(caps);
	int rc = 0;

	for (size_t d = 0; rc == 0 && d < nono_caps_deny_count(caps); d++) {
		const char *where =
			d < ld->deny_where_len ? ld->deny_where[d] : "deny";
		bool reached = false;
		nono_deny_cap deny;
		nono_fs_cap g;

		if (nono_caps_deny_at(caps, d, &deny) != 0)
			continue;
		for (size_t i = 0; rc == 0 && i < ngrants; i++) {
			bool same;

			if (nono_caps_fs_at(caps, i, &g) != 0)
				continue;
			same = strcmp(g.resolved, deny.resolved) == 0;
			if (same)
				rc = add_note(ld->pol,
					      "%s: the grant of the same path "
					      "gives nothing (a deny wins at "
					      "its own path)",
					      where);
			if (same ||
			    (!g.is_file &&
			     nono__path_is_beneath(deny.resolved, g.resolved)))
				reached = true;
			else if (nono__path_is_beneath(g.resolved,
						       deny.resolved))
				rc = add_note(ld->pol,
					      "%s: the grant of %s beneath it "
					      "stands (a more specific grant "
					      "wins)",
					      where, g.resolved);
		}
		if (rc == 0 && !reached)
			rc = add_note(ld->pol,
				      "%s: outside every grant, nothing to "
				      "take out",
				      where);
	}
	return rc;
}

/* A bare word names a built-in profile; anything that looks like a path is
 * a path, and checked as one. */
static bool is_profile_name(const char *value)
{
	return value[0] != '-' && !strpbrk(value, "/~$");
}

static int include_profile(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value)
{
	const struct nono__profile *p = nono__profile_find(value);
	char name[128];
	struct ld_file f = { 0 };

	if (!p) {
		char known[256] = "";
		size_t o = 0;

		for (size_t i = 0; i < nono__profile_count && o < sizeof(known);
		     i++) {
			int w = snprintf(known + o, sizeof(known) - o, "%s%s",
					 i ? ", " : "", nono__profiles[i].name);
			if (w < 0)
				break;
			o += (size_t)w;
		}
		return ld_error(ld, NONO_EPARSE,
				"%s = %.*s: unknown built-in profile (known: "
				"%s)",
				key->name, QUOTE_MAX, value, known);
	}
	/* "<builtin:NAME>", copied together rather than formatted: this
	 * runs in every process the shim starts a sandbox in, where it
	 * would be the only caller of printf's code. Profile names are
	 * short words, fixed at build time. */
	size_t n = strnlen(p->name, sizeof(name) - sizeof("<builtin:>"));
	memcpy(name, "<builtin:", 9);
	memcpy(name + 9, p->name, n);
	memcpy(name + 9 + n, ">", 2);
	f.name = name;
	f.buf = p->text;
	f.len = strlen(p->text);
	return include_document(ld, &f, NULL);
}

int nono__policy_h_include(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value)
{
	struct nono__expanded ex;
	struct read_failure rf;
	struct ld_file f = { 0 };
	char why[256];
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (is_profile_name(value))
		return include_profile(ld, key, value);
	if (has_hash_comment(value))
		return ld_error(ld, NONO_EPARSE,
				"%s = %.*s: '#' starts a comment only at the "
				"start of a line (inline comments start with "
				"' ;')",
				key->name, QUOTE_MAX, value);
	if (nono__expand_path(value, &ex, why, sizeof(why)) < 0)
		return ld_error(ld, NONO_EPARSE, "%s = %.*s: %s", key->name,
				QUOTE_MAX, value, why);

	rc = read_policy_file(ex.path, &buf, &len, &st, &rf);
	if (rc == NONO_ENOENT && ex.optional) {
		value_shown(value, &ex, why, sizeof(why));
		return ld_skipped(ld, key, why);
	}
	if (rc != 0) {
		char shown[2 * QUOTE_MAX + 8];
		bool first = !ld->err;

		value_shown(value, &ex, shown, sizeof(shown));
		rc = ld_error(ld, rc, "%s = %s: %s", key->name, shown, rf.why);
		if (first)
			diag_cause(ld->diag, NONO_STEP_READ_FILE, rf.sys_errno);
		return rc;
	}
	f.name = ex.path;
	f.buf = buf;
	f.len = len;
	rc = include_document(ld, &f, &st);
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The public API                                                       */
/* ------------------------------------------------------------------ */

void nono_policy_free(nono_policy *policy)
{
	if (!policy)
		return;
	nono_caps_free(policy->caps);
	free(policy->private_tmp);
	for (size_t i = 0; i < policy->note_count; i++)
		free(policy->notes[i]);
	free(policy->notes);
	free(policy);
}

static void loader_free(struct nono__policy_loader *ld)
{
	if (!ld->seen)
		return;
	for (size_t i = 0; i < nono__key_count; i++) {
		free(ld->seen[i].file);
		free(ld->seen[i].value);
	}
	free(ld->seen);
	free(ld->first_port_file);
	for (size_t i = 0; i < ld->deny_where_len; i++)
		free(ld->deny_where[i]);
	free(ld->deny_where);
}

/* ------------------------------------------------------------------ */
/* private_tmp                                                          */
/* ------------------------------------------------------------------ */

/*
 * Opens directory `name` beneath `dirfd`, making it (0700) when missing,
 * and checks that it is private: a directory, not a symlink, owned by this
 * user, with no access for anyone else. Another user could have made it
 * first in a shared /tmp, to read or plant what the program writes there.
 * Returns the descriptor, or -1 with the reason in `why`.
 */
static int private_dir(int dirfd, const char *name, char *why, size_t len)
{
	bool made = mkdirat(dirfd, name, 0700) == 0;
	struct stat st;
	int fd;

	if (!made && errno != EEXIST) {
		snprintf(why, len, "cannot make %s: %s", name, strerror(errno));
		return -1;
	}
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "cannot open %s: %s", name,
			 errno == ELOOP ? "a symlink" : strerror(errno));
		return -1;
	}
	/* The umask may have taken bits the program needs. */
	if (made && fchmod(fd, 0700) < 0) {
		snprintf(why, len, "cannot set the mode of %s: %s", name,
			 strerror(errno));
		goto close_fd;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(why, len, "cannot stat %s: %s", name, strerror(errno));
		goto close_fd;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		snprintf(why, len,
			 "%s is not private (owner uid %u, mode %04o; expected "
			 "uid %u, mode 0700)",
			 name, (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
		goto close_fd;
	}
	return fd;

close_fd:
	close(fd);
	return -1;
}

/*
 * Makes the policy's private temporary directory,
 * BASE/nono-UID/HASH: BASE is $TMPDIR when it is an absolute path to a
 * directory (inside a sandbox with a private temp directory, a nested
 * policy's lands within it, where it may write), /tmp otherwise; HASH
 * names the policy: the canonical path of its file, or the name and text
 * of a buffer. Returns 0 with a malloc'd path in *out, or a code with the
 * reason in `why`.
 */
static int private_tmp_make(const char *name, const char *data, size_t len,
			    bool is_file, char **out, char *why, size_t whylen)
{
	const char *base = getenv("TMPDIR");
	uint64_t hash = NONO_FNV1A_INIT;
	char *canon = NULL, *base_canon = NULL, user[32], leaf[32];
	int basefd = -1, userfd = -1, leaffd = -1, rc = NONO_EINVAL;
	struct stat st;

	if (!base || base[0] != '/' || stat(base, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		base = "/tmp";
	base_canon = realpath(base, NULL);
	if (!base_canon) {
		snprintf(why, whylen, "%s: %s", base, strerror(errno));
		return errno == ENOMEM ? NONO_ENOMEM : NONO_ENOENT;
	}
	hash = nono__fnv1a(hash, "nono-private-tmp",
			   sizeof("nono-private-tmp"));
	if (is_file && (canon = realpath(name, NULL)) != NULL) {
		hash = nono__fnv1a(hash, canon, strlen(canon) + 1);
	} else {
		hash = nono__fnv1a(hash, name, strlen(name) + 1);
		hash = nono__fnv1a(hash, data, len);
	}
	snprintf(user, sizeof(user), "nono-%u", (unsigned)geteuid());
	snprintf(leaf, sizeof(leaf), "%016llx", (unsigned long long)hash);

	basefd = open(base_canon, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (basefd < 0) {
		snprintf(why, whylen, "%s: %s", base_canon, strerror(errno));
		goto free_paths;
	}
	userfd = private_dir(basefd, user, why, whylen);
	if (userfd < 0)
		goto close_fds;
	leaffd = private_dir(userfd, leaf, why, whylen);
	if (leaffd < 0)
		goto close_fds;
	if (asprintf(out, "%s/%s/%s", strcmp(base_canon, "/") ? base_canon : "",
		     user, leaf) < 0) {
		snprintf(why, whylen, "out of memory");
		rc = NONO_ENOMEM;
		goto close_fds;
	}
	rc = 0;

close_fds:
	if (leaffd >= 0)
		close(leaffd);
	if (userfd >= 0)
		close(userfd);
	if (basefd >= 0)
		close(basefd);
free_paths:
	free(canon);
	free(base_canon);
	return rc;
}

/* Makes and grants the private temporary directory, when asked for. */
static int private_tmp_grant(struct nono__policy_loader *ld, const char *name,
			     const char *data, size_t len, bool is_file)
{
	const struct nono__key *key =
		nono__key_find("filesystem", "private_tmp");
	const struct seen_value *where = &ld->seen[nono__key_index(key)];
	char why[512];
	int rc;

	if (!ld->private_tmp)
		return 0;
	rc = private_tmp_make(name, data, len, is_file, &ld->pol->private_tmp,
			      why, sizeof(why));
	if (rc != 0)
		return diag_set(ld->diag, rc, where->file, where->line,
				"private_tmp = true: %s", why);
	rc = nono_caps_set_origin(ld->pol->caps, where->file, where->line);
	if (rc == 0)
		rc = nono_caps_allow_path(ld->pol->caps, ld->pol->private_tmp,
					  NONO_ACCESS_READ_WRITE);
	if (rc != 0)
		return diag_set(ld->diag, rc, where->file, where->line,
				"private_tmp = true: %s: %s",
				ld->pol->private_tmp, nono_strerror(rc));
	return 0;
}

/*
 * Loads one top-level document. `path` is set when it comes from a file
 * (and `st` describes it), NULL for a buffer.
 */
static int load(const char *name, const char *data, size_t len,
		const struct stat *st, bool keep_fds, nono_policy **out,
		nono_diag *diag)
{
	struct nono__policy_loader ld = { .diag = diag };
	struct ld_file f = { .name = name, .buf = data, .len = len };
	nono_policy *pol;
	int rc;

	pol = calloc(1, sizeof(*pol));
	if (!pol)
		return diag_set(diag, NONO_ENOMEM, name, 0, "out of memory");
	rc = nono_caps_new(&pol->caps);
	if (rc == 0 && keep_fds)
		rc = nono_caps_set_keep_fds(pol->caps, true);
	if (rc != 0) {
		diag_set(diag, rc, name, 0, "out of memory");
		goto free_policy;
	}
	ld.pol = pol;
	ld.seen = calloc(nono__key_count, sizeof(*ld.seen));
	if (!ld.seen) {
		rc = diag_set(diag, NONO_ENOMEM, name, 0, "out of memory");
		goto free_policy;
	}
	if (st) {
		f.has_inode = true;
		f.dev = st->st_dev;
		f.ino = st->st_ino;
	}
	rc = parse_document(&ld, &f);
	if (rc != 0)
		goto free_loader;
	/* The rules every backend relies on are the library's to check
	 * (nono_caps_check, which nono_apply calls too); checked here as
	 * well so that the error points at the line that broke one. The
	 * only one a file can break is a port exception without a block. */
	nono_diag why;
	if (nono_caps_check(pol->caps, &why) != 0) {
		if (ld.first_port_file)
			rc = diag_set(diag, NONO_EPARSE, ld.first_port_file,
				      ld.first_port_line,
				      "%s = %s: port exceptions need block = "
				      "true in [network]",
				      ld.first_port_key, ld.first_port_value);
		else
			rc = diag_set(diag, NONO_EPARSE, name, 0, "%s",
				      why.message);
		goto free_loader;
	}
	rc = private_tmp_grant(&ld, name, data, len, st != NULL);
	if (rc != 0)
		goto free_loader;
	/* The same path granted twice (by the profile and by the file, say)
	 * becomes one rule. */
	rc = nono_caps_deduplicate(pol->caps);
	if (rc == 0)
		rc = deny_notes(&ld);
	/* A caller that adds to the set adds without this file's origin. */
	if (rc == 0)
		rc = nono_caps_set_origin(pol->caps, NULL, 0);
	if (rc != 0) {
		diag_set(diag, rc, name, 0, "%s", nono_strerror(rc));
		goto free_loader;
	}
	loader_free(&ld);
	*out = pol;
	return 0;

free_loader:
	loader_free(&ld);
free_policy:
	nono_policy_free(pol);
	return rc;
}

static int load_file(const char *path, bool keep_fds, nono_policy **out,
		     nono_diag *diag)
{
	struct read_failure rf;
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	nono_diag_clear(diag);
	if (!out)
		return diag_set(diag, NONO_EINVAL, path ? path : "", 0,
				"no place for the result");
	*out = NULL;
	if (!path || !*path)
		return diag_set(diag, NONO_EINVAL, "", 0,
				"no policy file named");
	rc = read_policy_file(path, &buf, &len, &st, &rf);
	if (rc != 0) {
		diag_set(diag, rc, path, 0, "%s", rf.why);
		diag_cause(diag, NONO_STEP_READ_FILE, rf.sys_errno);
		return rc;
	}
	rc = load(path, buf, len, &st, keep_fds, out, diag);
	free(buf);
	return rc;
}

int nono_policy_load(const char *path, nono_policy **out, nono_diag *diag)
{
	return load_file(path, false, out, diag);
}

int nono_policy_load_to_apply(const char *path, nono_policy **out,
			      nono_diag *diag)
{
	return load_file(path, true, out, diag);
}

nono_caps *nono_policy_take_caps(nono_policy *policy)
{
	nono_caps *caps = policy ? policy->caps : NULL;

	if (policy)
		policy->caps = NULL;
	return caps;
}

static int load_buffer(const char *name, const char *data, size_t len,
		       bool keep_fds, nono_policy **out, nono_diag *diag)
{
	nono_diag_clear(diag);
	if (!name || !*name)
		name = "<buffer>";
	if (!out)
		return diag_set(diag, NONO_EINVAL, name, 0,
				"no place for the result");
	*out = NULL;
	if (!data && len > 0)
		return diag_set(diag, NONO_EINVAL, name, 0, "no data");
	if (len > POLICY_MAX_BYTES)
		return diag_set(diag, NONO_EPARSE, name, 0,
				"policy file too large (more than %d bytes)",
				POLICY_MAX_BYTES);
	return load(name, data ? data : "", len, NULL, keep_fds, out, diag);
}

int nono_policy_load_buffer(const char *name, const char *data, size_t len,
			    nono_policy **out, nono_diag *diag)
{
	return load_buffer(name, data, len, false, out, diag);
}

int nono_policy_load_buffer_to_apply(const char *name, const char *data,
				     size_t len, nono_policy **out,
				     nono_diag *diag)
{
	return load_buffer(name, data, len, true, out, diag);
}

const nono_caps *nono_policy_caps(const nono_policy *policy)
{
	return policy ? policy->caps : NULL;
}

bool nono_policy_best_effort(const nono_policy *policy)
{
	return policy && policy->best_effort;
}

size_t nono_policy_note_count(const nono_policy *policy)
{
	return policy ? policy->note_count : 0;
}

const char *nono_policy_note(const nono_policy *policy, size_t index)
{
	if (!policy || index >= policy->note_count)
		return NULL;
	return policy->notes[index];
}

const char *nono_policy_private_tmp(const nono_policy *policy)
{
	return policy ? policy->private_tmp : NULL;
}

const char *const *nono_private_tmp_vars(void)
{
	/* TMPDIR is POSIX's; TMP and TEMP are read by Python's tempfile,
	 * Perl and Windows-minded tools; tmux and SQLite have their own. */
	static const char *const vars[] = { "TMPDIR",	     "TMP",
					    "TEMP",	     "TMUX_TMPDIR",
					    "SQLITE_TMPDIR", NULL };

	return vars;
}

size_t nono_builtin_profile_count(void)
{
	return nono__profile_count;
}

const char *nono_builtin_profile_name(size_t index)
{
	return index < nono__profile_count ? nono__profiles[index].name : NULL;
}

const char *nono_builtin_profile_description(size_t index)
{
	return index < nono__profile_count ? nono__profiles[index].doc : NULL;
}
