/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one table of policy sections and keys. The loader looks keys up here,
 * builds its error messages from the names here, and the key list in
 * docs/policy.md is printed from here by keys-doc; nothing else in conf/
 * spells a section or key name.
 */
#ifndef NONO_CONF_KEYS_H
#define NONO_CONF_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "libnono.h"

/* What a key's value must look like; the loader checks it before it calls
 * the key's handler. */
enum nono__key_kind {
	NONO_KIND_VERSION,  /* "1" */
	NONO_KIND_INCLUDE,  /* a built-in profile name or an absolute path */
	NONO_KIND_CHOICE,   /* one of the words in .choices */
	NONO_KIND_BOOL,	    /* true | false */
	NONO_KIND_DIR,	    /* a path to a directory */
	NONO_KIND_FILE,	    /* a path to a non-directory */
	NONO_KIND_PORT,	    /* 1..65535 */
	NONO_KIND_COMMAND,  /* a command name or an absolute path */
	NONO_KIND_SEATBELT, /* a raw SBPL rule */
	NONO_KIND_PATH,	    /* a path to a directory or a file */
	NONO_KIND_CAPABILITIES, /* default | keep | none | a list of names */
};

/* Whether the loader acts on a key yet. Keys of later issues are in the
 * table already, so that their names are known (a typo of them is still an
 * "unknown key") and their values are checked; flipping this field is all it
 * takes to turn one on, once its handler does the work. */
enum nono__key_status {
	NONO_KEY_SUPPORTED,
	NONO_KEY_NOT_YET,
};

/* The loader's state; defined in policy.c. */
struct nono__policy_loader;
struct nono__key;

/* Applies one checked value. Returns 0, or a NONO_E* code after recording
 * the error in the loader. */
typedef int (*nono__key_handler)(struct nono__policy_loader *ld,
				 const struct nono__key *key,
				 const char *value);

struct nono__key {
	const char *section; /* without brackets, lower case */
	const char *name;    /* lower case */
	enum nono__key_kind kind;
	bool repeatable; /* false: once per file, and the same in all */
	enum nono__key_status status;
	nono_access access;	   /* NONO_KIND_DIR and NONO_KIND_FILE */
	const char *choices;	   /* NONO_KIND_CHOICE: "fail|warn" */
	nono__key_handler handler; /* NULL while .status is NONO_KEY_NOT_YET */
	const char *doc;	   /* one line, Markdown */
};

extern const struct nono__key nono__keys[];
extern const size_t nono__key_count;

/* The handlers, defined in policy.c. */
int nono__policy_h_version(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value);
int nono__policy_h_include(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value);
int nono__policy_h_on_unsupported(struct nono__policy_loader *ld,
				  const struct nono__key *key,
				  const char *value);
int nono__policy_h_path(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value);
int nono__policy_h_block(struct nono__policy_loader *ld,
			 const struct nono__key *key, const char *value);
int nono__policy_h_tcp(struct nono__policy_loader *ld,
		       const struct nono__key *key, const char *value);
int nono__policy_h_scope(struct nono__policy_loader *ld,
			 const struct nono__key *key, const char *value);
int nono__policy_h_seatbelt(struct nono__policy_loader *ld,
			    const struct nono__key *key, const char *value);
int nono__policy_h_deny(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value);
int nono__policy_h_exec_writable(struct nono__policy_loader *ld,
				 const struct nono__key *key,
				 const char *value);
int nono__policy_h_command(struct nono__policy_loader *ld,
			   const struct nono__key *key, const char *value);
int nono__policy_h_metadata(struct nono__policy_loader *ld,
			    const struct nono__key *key, const char *value);
int nono__policy_h_kernel_log(struct nono__policy_loader *ld,
			      const struct nono__key *key, const char *value);
int nono__policy_h_unix(struct nono__policy_loader *ld,
			const struct nono__key *key, const char *value);
int nono__policy_h_capabilities(struct nono__policy_loader *ld,
				const struct nono__key *key, const char *value);
int nono__policy_h_private_tmp(struct nono__policy_loader *ld,
			       const struct nono__key *key, const char *value);

/*
 * Reads a value of `[process] capabilities`: `default`, `keep` (all),
 * `none`, or capability names (capabilities(7), with or without `cap_`)
 * separated by commas, into a mask (bit n: capability n). Returns 0, or -1
 * with why the value is bad in `why`.
 */
int nono__capabilities_parse(const char *value, uint64_t *mask, char *why,
			     size_t why_len);

/* The key `name` in [section], or NULL. Case-sensitive: names are lower
 * case, and an upper-case spelling is an unknown key. */
const struct nono__key *nono__key_find(const char *section, const char *name);

/* Whether some key lives in [section]. */
bool nono__section_known(const char *section);

/* The index of `key` in nono__keys (for per-key loader state). */
size_t nono__key_index(const struct nono__key *key);

/* Whether `word` is one of the '|'-separated words in `choices`. */
bool nono__key_choice_ok(const char *choices, const char *word);

/* The value a key takes, in words, for messages and the docs:
 * "directory path", "true or false", "fail or warn", ... Static. */
const char *nono__key_kind_str(const struct nono__key *key);

/*
 * The key list as Markdown, one table per section in table order; this is
 * what docs/policy.md holds between its keys markers. A string to free(),
 * or NULL when out of memory.
 */
char *nono__keys_markdown(void);

#endif /* NONO_CONF_KEYS_H */
