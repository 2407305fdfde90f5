// SPDX-License-Identifier: Apache-2.0
/*
 * nono learn: writes a policy that lets a program run, learning only from
 * what the sandbox refused it. Each round runs the program inside the
 * sandbox of the policy written so far, observed as `nono explain` observes
 * it (explain_observe), and adds the lines explain suggests; never a line
 * that reaches a sensitive path. The program never runs outside a sandbox.
 * docs/learn.md says how each choice is made.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "trace.h"

/* The defaults of --rounds and --collapse. */
#define LEARN_ROUNDS 5
#define LEARN_ROUNDS_MAX 50
#define LEARN_COLLAPSE 3

/* The loader refuses lines longer than this (docs/policy.md, Syntax). */
#define LEARN_LINE_MAX 198
/* Comments are wrapped here, for reading. */
#define LEARN_WRAP 100
/* How many askers a line's comment names before "and N more". */
#define LEARN_ASKS_SHOWN 3

enum learn_option {
	LEARN_OPT_POLICY = 0x100,
	LEARN_OPT_OUTPUT,
	LEARN_OPT_ROUNDS,
	LEARN_OPT_COLLAPSE,
};

/* Beneath $HOME (and the user's home from the password database): never
 * granted. Credentials, keys, browser profiles, keyrings. */
static const char *const learn_home_secrets[] = {
	".ssh",
	".gnupg",
	".aws",
	".azure",
	".config/gcloud",
	".config/gh",
	".netrc",
	".kube",
	".docker/config.json",
	".git-credentials",
	".config/git/credentials",
	".npmrc",
	".pypirc",
	".cargo/credentials",
	".cargo/credentials.toml",
	".password-store",
	".local/share/keyrings",
	".mozilla",
	".thunderbird",
	"snap/firefox",
	"snap/chromium",
	".config/google-chrome",
	".config/chromium",
	".config/BraveSoftware",
	".config/microsoft-edge",
	".config/vivaldi",
	".config/opera",
};

/* Elsewhere: the password hashes, host keys, TLS private keys. */
static const char *const learn_system_secrets[] = {
	"/etc/shadow",	    "/etc/shadow-", "/etc/gshadow",   "/etc/gshadow-",
	"/etc/ssl/private", "/etc/sudoers", "/etc/sudoers.d",
};

/* Beneath /run/user/UID: agents' and keyrings' sockets. */
static const char *const learn_run_user_secrets[] = {
	"gnupg", "keyring", "gcr", "ssh-agent.socket", "openssh_agent",
};

/* What a file or directory is called, anywhere, to be a secret: the
 * environment files of projects, shell and REPL histories, SSH keys. A
 * pattern ending in '*' is a prefix; one starting with '*' a suffix. */
static const char *const learn_secret_names[] = {
	".env",	       ".env.*",     "*_history", ".histfile",
	".zhistory",   "id_rsa*",    "id_dsa*",	  "id_ecdsa*",
	"id_ed25519*", "ssh_host_*", ".pgpass",	  ".my.cnf",
};

/*
 * Directories never made from many files in them (--collapse): too much
 * else lives there for a careful person to grant the whole. $HOME, the
 * user's home and /run/user/UID are added at start.
 */
static const char *const learn_broad_dirs[] = {
	"/",	    "/etc", "/home", "/root",  "/tmp", "/var",	"/var/tmp",
	"/var/lib", "/dev", "/run",  "/proc",  "/sys", "/usr",	"/usr/lib",
	"/usr/bin", "/opt", "/mnt",  "/media", "/srv", "/boot",
};

/*
 * The built-in profiles learn prefers to single lines, and for which
 * programs: a profile for one kind of thing (/proc, terminals, shared
 * memory, git's configuration) answers any program; a profile for a
 * language's tools only those tools (python's grants /etc/os-release too,
 * which is no reason to give another program pip's cache). `whole`: the
 * profile answers only the line granting exactly this path (proc: a
 * /proc/<pid> path, for which explain suggests /proc; a single
 * /proc/cpuinfo stays a single file).
 */
static const struct {
	const char *name;
	const char *whole;
	const char *programs; /* space-separated; "x*" a prefix; NULL: any */
} learn_profiles[] = {
	{ "system", NULL, NULL },
	{ "proc", "/proc", NULL },
	{ "pty", NULL, NULL },
	{ "shm", NULL, NULL },
	{ "git", NULL, NULL },
	{ "python", NULL, "python* pip*" },
	{ "node", NULL, "node npm npx corepack" },
	{ "rust", NULL, "cargo rustc rustup rustdoc" },
	{ "man", NULL,
	  "man mandb apropos whatis less groff nroff troff grotty tbl "
	  "preconv" },
	{ "imagemagick", NULL,
	  "convert magick identify mogrify composite montage compare" },
};

#define LEARN_PROFILE_COUNT (sizeof(learn_profiles) / sizeof(learn_profiles[0]))

/* A list of strings, owned. */
struct learn_list {
	char **v;
	size_t n, cap;
};

/* Who asked for a line, and how: one refusal as explain saw it. */
struct learn_ask {
	char *program; /* the executable's name */
	const char *operation;
	char *target;
	char *syscall;
	unsigned count;
};

struct learn_asks {
	struct learn_ask *v;
	size_t n, cap;
};

/* A filesystem grant: merged by path and kind, access added up. */
struct learn_grant {
	char *path;
	bool is_file;
	nono_access access;
	struct learn_asks asks;
};

/* Any other line: "[section] key = value" (include, private_tmp, ports,
 * signals...). */
struct learn_key {
	char *section;
	char *key;
	char *value;
	struct learn_asks asks;
};

/* A refusal that got no line: a secret, or nothing to add. */
struct learn_kept {
	struct learn_ask ask;
	char *line;   /* the line that would grant it, or NULL */
	char *reason; /* why it is not granted */
	bool secret;
};

struct learn {
	const char *output;
	char *base; /* "system", or the canonical path of --policy */
	char *command;
	unsigned collapse;
	/* Absolute canonical paths never granted, nor any directory above
	 * them; and directories never made by --collapse. */
	struct learn_list secrets;
	struct learn_list broad;
	/* Where a refused temporary file means private_tmp = true. */
	char *tmp_dirs[3];
	/* TMPDIR and kin as this process got them, put back before the
	 * policy is loaded (it makes its private directory under TMPDIR). */
	char *saved_env[8];
	nono_query *profile_query[LEARN_PROFILE_COUNT];

	struct learn_grant *grants;
	size_t n_grants, cap_grants;
	struct learn_key *keys;
	size_t n_keys, cap_keys;
	struct learn_kept *kept;
	size_t n_kept, cap_kept;
	bool out_of_memory;
};

static void learn_ask_free(struct learn_ask *a)
{
	free(a->program);
	free(a->target);
	free(a->syscall);
}

static void learn_asks_free(struct learn_asks *asks)
{
	for (size_t i = 0; i < asks->n; i++)
		learn_ask_free(&asks->v[i]);
	free(asks->v);
}

static bool learn_ask_from(struct learn_ask *a, const struct refusal *r)
{
	*a = (struct learn_ask){
		.program = strdup(explain_base(r->program)),
		.operation = r->operation,
		.target = strdup(r->target ? r->target : r->syscall),
		.syscall = strdup(r->syscall),
		.count = r->count,
	};
	if (a->program && a->target && a->syscall)
		return true;
	learn_ask_free(a);
	return false;
}

static bool learn_ask_same(const struct learn_ask *a, const struct refusal *r)
{
	return strcmp(a->program, explain_base(r->program)) == 0 &&
	       strcmp(a->operation, r->operation) == 0 &&
	       strcmp(a->target, r->target ? r->target : r->syscall) == 0;
}

/* Adds who asked to a line, once. */
static void learn_asks_add(struct learn *L, struct learn_asks *asks,
			   const struct refusal *r)
{
	struct learn_ask *v;

	for (size_t i = 0; i < asks->n; i++)
		if (learn_ask_same(&asks->v[i], r))
			return;
	v = nono__grow(asks->v, &asks->cap, asks->n, sizeof(*v), 8);
	if (v)
		asks->v = v;
	if (!v || !learn_ask_from(&asks->v[asks->n], r)) {
		L->out_of_memory = true;
		return;
	}
	asks->n++;
}

static void learn_list_add(struct learn *L, struct learn_list *list, char *s)
{
	char **v = s ? nono__grow(list->v, &list->cap, list->n, sizeof(*v), 8)
		     : NULL;

	if (!v) {
		free(s);
		L->out_of_memory = true;
		return;
	}
	list->v = v;
	list->v[list->n++] = s;
}

static void learn_list_free(struct learn_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->v[i]);
	free(list->v);
}

/* --- Secrets ------------------------------------------------------------ */

/* Adds `path`, canonicalised as far as it exists, to `list`. */
static void learn_add_path(struct learn *L, struct learn_list *list,
			   const char *path)
{
	if (path && path[0] == '/')
		learn_list_add(L, list, cli_canonical_lenient(path));
}

/* The homes whose secrets are kept: $HOME and the user's own, which
 * differ where HOME was pointed elsewhere. */
static void learn_homes(const char *homes[2], char *buf, size_t len)
{
	struct passwd pwd, *pw = NULL;

	homes[0] = getenv("HOME");
	homes[1] = getpwuid_r(getuid(), &pwd, buf, len, &pw) == 0 && pw
			   ? pw->pw_dir
			   : NULL;
}

static void learn_secrets_init(struct learn *L)
{
	char pwbuf[4096];
	const char *homes[2], *sock = getenv("SSH_AUTH_SOCK");
	const char *gpg = getenv("GPG_AGENT_INFO");
	char *run_user = explain_fmt("/run/user/%u", (unsigned)getuid());

	learn_homes(homes, pwbuf, sizeof(pwbuf));
	for (size_t h = 0; h < 2; h++) {
		if (!homes[h] || homes[h][0] != '/')
			continue;
		for (size_t i = 0; i < sizeof(learn_home_secrets) /
					       sizeof(learn_home_secrets[0]);
		     i++) {
			char *p = explain_fmt("%s/%s", homes[h],
					      learn_home_secrets[i]);

			learn_add_path(L, &L->secrets, p);
			free(p);
		}
		learn_add_path(L, &L->broad, homes[h]);
	}
	for (size_t i = 0;
	     i < sizeof(learn_system_secrets) / sizeof(learn_system_secrets[0]);
	     i++)
		learn_add_path(L, &L->secrets, learn_system_secrets[i]);
	for (size_t i = 0;
	     run_user && i < sizeof(learn_run_user_secrets) /
					 sizeof(learn_run_user_secrets[0]);
	     i++) {
		char *p = explain_fmt("%s/%s", run_user,
				      learn_run_user_secrets[i]);

		learn_add_path(L, &L->secrets, p);
		free(p);
	}
	learn_add_path(L, &L->broad, run_user);
	free(run_user);
	/* The agents' sockets of this session, wherever they are. */
	learn_add_path(L, &L->secrets, sock);
	if (gpg && gpg[0] == '/') {
		char *p = strndup(gpg, strcspn(gpg, ":"));

		learn_add_path(L, &L->secrets, p);
		free(p);
	}
	for (size_t i = 0;
	     i < sizeof(learn_broad_dirs) / sizeof(learn_broad_dirs[0]); i++)
		learn_add_path(L, &L->broad, learn_broad_dirs[i]);
}

/* Whether a file name matches one of learn_secret_names. */
static const char *learn_secret_name(const char *name, size_t len)
{
	for (size_t i = 0;
	     i < sizeof(learn_secret_names) / sizeof(learn_secret_names[0]);
	     i++) {
		const char *p = learn_secret_names[i];
		size_t plen = strlen(p);

		if (p[plen - 1] == '*') {
			if (len >= plen - 1 && strncmp(name, p, plen - 1) == 0)
				return p;
		} else if (p[0] == '*') {
			if (len >= plen - 1 && strncmp(name + len - (plen - 1),
						       p + 1, plen - 1) == 0)
				return p;
		} else if (len == plen && strncmp(name, p, len) == 0) {
			return p;
		}
	}
	return NULL;
}

/*
 * Whether `path` is a secret: at or beneath one of L->secrets, or with a
 * component named like one. Returns what it is (a new string), or NULL.
 */
static char *learn_secret(const struct learn *L, const char *path)
{
	const char *c = path;

	for (size_t i = 0; i < L->secrets.n; i++)
		if (nono__path_is_beneath(path, L->secrets.v[i]))
			return strdup(L->secrets.v[i]);
	while (*c) {
		size_t len;
		const char *hit;

		c += strspn(c, "/");
		len = strcspn(c, "/");
		hit = len ? learn_secret_name(c, len) : NULL;
		if (hit)
			return explain_fmt("%.*s (named %s)",
					   (int)(c + len - path), path, hit);
		c += len;
	}
	return NULL;
}

/*
 * Whether granting directory `dir` would reach a secret: `dir` is one, or
 * one of L->secrets lies beneath it (existing or not: it may be made
 * later), or an entry of `dir` itself is named like one (one level only:
 * the tree beneath is not walked). A new string, or NULL.
 */
static char *learn_holds_secret(const struct learn *L, const char *dir)
{
	char *hit = learn_secret(L, dir);
	struct dirent *e;
	DIR *d;

	if (hit)
		return hit;
	for (size_t i = 0; i < L->secrets.n; i++)
		if (nono__path_is_beneath(L->secrets.v[i], dir))
			return strdup(L->secrets.v[i]);
	d = opendir(dir);
	if (!d)
		return NULL;
	while (!hit && (e = readdir(d))) {
		const char *p = learn_secret_name(e->d_name, strlen(e->d_name));

		if (p)
			hit = explain_fmt("%s/%s (named %s)", dir, e->d_name,
					  p);
	}
	closedir(d);
	return hit;
}

/* For a rename ("a -> b"), both sides; otherwise the target. */
static char *learn_target_secret(const struct learn *L, const char *target)
{
	const char *arrow = strstr(target, " -> ");
	char *first, *hit;

	if (target[0] != '/')
		return NULL;
	if (!arrow)
		return learn_secret(L, target);
	first = strndup(target, (size_t)(arrow - target));
	hit = first ? learn_secret(L, first) : NULL;
	free(first);
	return hit ? hit : learn_secret(L, arrow + 4);
}

/* --- Profiles ----------------------------------------------------------- */

static void learn_profiles_init(struct learn *L)
{
	for (size_t i = 0; i < LEARN_PROFILE_COUNT; i++) {
		char *text = explain_fmt("[policy]\ninclude = %s\n",
					 learn_profiles[i].name);
		nono_policy *policy = NULL;
		nono_diag diag;

		nono_diag_clear(&diag);
		/* A profile this build lacks is simply not offered. */
		if (text &&
		    nono_policy_load_buffer("nono learn", text, strlen(text),
					    &policy, &diag) == 0)
			nono_query_new(nono_policy_caps(policy),
				       &L->profile_query[i]);
		nono_policy_free(policy);
		free(text);
	}
}

static bool learn_program_matches(const char *programs, const char *program)
{
	const char *p = programs;

	if (!programs)
		return true;
	while (*p) {
		size_t len = strcspn(p, " ");

		if (len && p[len - 1] == '*'
			    ? strncmp(program, p, len - 1) == 0
			    : strlen(program) == len &&
				      strncmp(program, p, len) == 0)
			return true;
		p += len;
		p += strspn(p, " ");
	}
	return false;
}

static struct learn_key *learn_find_key(struct learn *L, const char *section,
					const char *key, const char *value)
{
	for (size_t i = 0; i < L->n_keys; i++) {
		struct learn_key *k = &L->keys[i];

		if (strcmp(k->section, section) == 0 &&
		    strcmp(k->key, key) == 0 &&
		    (!value || strcmp(k->value, value) == 0))
			return k;
	}
	return NULL;
}

/* The profile not yet included that grants `access` on `path` to the
 * program of `r`, or -1. */
static int learn_profile_for(struct learn *L, const struct refusal *r,
			     const char *path, nono_access access)
{
	for (size_t i = 0; i < LEARN_PROFILE_COUNT; i++) {
		nono_query_result res;

		if (!L->profile_query[i] ||
		    strcmp(L->base, learn_profiles[i].name) == 0 ||
		    learn_find_key(L, "policy", "include",
				   learn_profiles[i].name) ||
		    (learn_profiles[i].whole &&
		     strcmp(learn_profiles[i].whole, path) != 0) ||
		    !learn_program_matches(learn_profiles[i].programs,
					   explain_base(r->program)))
			continue;
		if (nono_query_path(L->profile_query[i], path, access, &res) ==
			    0 &&
		    res.status == NONO_QUERY_STATUS_ALLOWED)
			return (int)i;
	}
	return -1;
}

/* --- Taking a suggestion -------------------------------------------------- */

/* The single-valued keys explain may suggest, and the repeatable ones
 * (their values add up). */
static const char *const learn_single_keys[] = {
	"filesystem metadata",	 "network unix",
	"network block",	 "process signals",
	"process abstract_unix", "filesystem private_tmp",
};
static const char *const learn_repeated_keys[] = {
	"policy include",      "network connect_tcp", "network bind_tcp",
	"network connect_udp", "network bind_udp",
};

static int learn_key_kind(const char *section, const char *key)
{
	char both[64];

	snprintf(both, sizeof(both), "%s %s", section, key);
	for (size_t i = 0;
	     i < sizeof(learn_single_keys) / sizeof(learn_single_keys[0]); i++)
		if (strcmp(both, learn_single_keys[i]) == 0)
			return 1;
	for (size_t i = 0;
	     i < sizeof(learn_repeated_keys) / sizeof(learn_repeated_keys[0]);
	     i++)
		if (strcmp(both, learn_repeated_keys[i]) == 0)
			return 2;
	return 0;
}

/* Adds "[section] key = value" (a copy), asked by `r`. 1 when new. */
static int learn_add_key(struct learn *L, const char *section, const char *key,
			 const char *value, const struct refusal *r)
{
	struct learn_key *k = learn_find_key(L, section, key, value);

	if (k) {
		learn_asks_add(L, &k->asks, r);
		return 0;
	}
	k = nono__grow(L->keys, &L->cap_keys, L->n_keys, sizeof(*k), 8);
	if (!k) {
		L->out_of_memory = true;
		return 0;
	}
	L->keys = k;
	k = &L->keys[L->n_keys];
	*k = (struct learn_key){ .section = strdup(section),
				 .key = strdup(key),
				 .value = strdup(value) };
	if (!k->section || !k->key || !k->value) {
		free(k->section);
		free(k->key);
		free(k->value);
		L->out_of_memory = true;
		return 0;
	}
	L->n_keys++;
	if (r)
		learn_asks_add(L, &k->asks, r);
	return 1;
}

static bool learn_is_broad(const struct learn *L, const char *dir)
{
	for (size_t i = 0; i < L->broad.n; i++)
		if (strcmp(L->broad.v[i], dir) == 0)
			return true;
	return false;
}

/* Adds the filesystem grant, merged with one of the same path and kind.
 * 1 when it grants more than before. */
static int learn_add_grant(struct learn *L, const char *path, bool is_file,
			   nono_access access, const struct refusal *r)
{
	struct learn_grant *g = NULL;
	int added = 1;

	for (size_t i = 0; i < L->n_grants && !g; i++)
		if (L->grants[i].is_file == is_file &&
		    strcmp(L->grants[i].path, path) == 0)
			g = &L->grants[i];
	/* A directory the program writes in takes what was granted beneath
	 * it (learn_take says why). */
	for (size_t i = 0; !is_file && (access & NONO_ACCESS_WRITE) &&
			   !learn_is_broad(L, path) && i < L->n_grants;
	     i++)
		if (nono__path_is_beneath(L->grants[i].path, path))
			access |= L->grants[i].access;
	if (g) {
		added = (g->access | access) != g->access;
		g->access |= access;
	} else {
		g = nono__grow(L->grants, &L->cap_grants, L->n_grants,
			       sizeof(*g), 8);
		if (g)
			L->grants = g;
		if (!g || !(path = strdup(path))) {
			L->out_of_memory = true;
			return 0;
		}
		g = &L->grants[L->n_grants++];
		*g = (struct learn_grant){ .path = (char *)path,
					   .is_file = is_file,
					   .access = access };
	}
	learn_asks_add(L, &g->asks, r);
	return added;
}

/* Records a refusal that gets no line (once per asker). Takes `reason`. */
static void learn_keep(struct learn *L, const struct refusal *r,
		       const char *line, char *reason, bool secret)
{
	struct learn_kept *k;

	for (size_t i = 0; i < L->n_kept; i++) {
		if (learn_ask_same(&L->kept[i].ask, r)) {
			free(reason);
			return;
		}
	}
	k = reason ? nono__grow(L->kept, &L->cap_kept, L->n_kept, sizeof(*k), 8)
		   : NULL;
	if (!k) {
		free(reason);
		L->out_of_memory = true;
		return;
	}
	L->kept = k;
	k = &L->kept[L->n_kept];
	*k = (struct learn_kept){ .line = line ? strdup(line) : NULL,
				  .reason = reason,
				  .secret = secret };
	if (!learn_ask_from(&k->ask, r)) {
		free(k->line);
		free(reason);
		L->out_of_memory = true;
		return;
	}
	L->n_kept++;
}

/* Whether `value` can be written as a policy value as it is: one line,
 * no inline comment, no white space the loader would trim. */
static bool learn_value_ok(const char *value)
{
	size_t len = strlen(value);

	for (const char *c = value; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	return len > 0 && !strstr(value, " ;") && !strstr(value, " #") &&
	       value[0] != ' ' && value[len - 1] != ' ' &&
	       value[len - 1] != '\t' && len + 24 < LEARN_LINE_MAX;
}

/* Whether a write grant of `path` (a directory, or a file in one) is a
 * temporary file that private_tmp = true would move. */
static bool learn_is_tmp(const struct learn *L, const char *path, bool is_file)
{
	char *copy = strdup(path);
	const char *dir = copy ? (is_file ? dirname(copy) : copy) : "";
	bool tmp = false;

	for (size_t i = 0; i < 3 && !tmp; i++)
		tmp = L->tmp_dirs[i] && strcmp(L->tmp_dirs[i], dir) == 0;
	free(copy);
	return tmp;
}

/*
 * One line of a suggestion ("[section] key = value"), for refusal `r`:
 * added, kept back as a secret, or kept back as nothing to add. Returns 1
 * when the policy grows.
 */
static int learn_take(struct learn *L, const struct refusal *r,
		      const char *line)
{
	char section[32], key[32];
	const char *value;
	bool is_file = false;
	nono_access access = 0;
	char *secret;
	int p, kind;

	if (sscanf(line, "[%31[a-z]] %31[a-z_] = %n", section, key, &p) != 2 ||
	    !p) {
		learn_keep(L, r, line, strdup("a line nono learn cannot read"),
			   false);
		return 0;
	}
	value = line + p;
	for (int f = 0; f < 2 && !access; f++)
		for (nono_access a = NONO_ACCESS_READ;
		     a <= NONO_ACCESS_READ_WRITE; a++)
			if (strcmp(section, "filesystem") == 0 &&
			    strcmp(cli_fs_key(f, a), key) == 0) {
				is_file = f;
				access = a;
				break;
			}
	if (!access) {
		kind = learn_key_kind(section, key);
		if (!kind || strpbrk(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ")) {
			learn_keep(L, r, line,
				   strdup("no exact line: fill it in by hand"),
				   false);
			return 0;
		}
		if (kind == 1 && learn_find_key(L, section, key, NULL) &&
		    !learn_find_key(L, section, key, value)) {
			learn_keep(L, r, line,
				   strdup("another value of this key is "
					  "already in the policy"),
				   false);
			return 0;
		}
		return learn_add_key(L, section, key, value, r);
	}

	/* A temporary file goes to a directory of the program's own, which
	 * reaches nothing of anyone else's. */
	if ((access & NONO_ACCESS_WRITE) && learn_is_tmp(L, value, is_file) &&
	    !learn_find_key(L, "filesystem", "private_tmp", NULL))
		return learn_add_key(L, "filesystem", "private_tmp", "true", r);
	secret =
		is_file ? learn_secret(L, value) : learn_holds_secret(L, value);
	if (!secret && r->target)
		secret = learn_target_secret(L, r->target);
	if (secret) {
		learn_keep(L, r, line, explain_fmt("sensitive: %s", secret),
			   true);
		free(secret);
		return 0;
	}
	p = learn_profile_for(L, r, value, access);
	if (p >= 0)
		return learn_add_key(L, "policy", "include",
				     learn_profiles[p].name, r);
	if (!learn_value_ok(value)) {
		learn_keep(L, r, line,
			   strdup("the path cannot be written as a policy "
				  "value (a control character, ' ;' or ' #', "
				  "or too long)"),
			   false);
		return 0;
	}
	for (size_t i = 0; i < L->n_grants; i++) {
		const struct learn_grant *w = &L->grants[i];

		/* Beneath a directory the program writes in: what it makes
		 * there, it may remove and make again on the next run, and a
		 * Landlock grant follows the file, not its name. */
		if (!w->is_file && (w->access & NONO_ACCESS_WRITE) &&
		    strcmp(w->path, value) != 0 &&
		    nono__path_is_beneath(value, w->path) &&
		    !learn_is_broad(L, w->path))
			return learn_add_grant(L, w->path, false, access, r);
	}
	return learn_add_grant(L, value, is_file, access, r);
}

/* Takes every refusal of a run. Returns how many lines were added. */
static unsigned learn_absorb(struct learn *L, const struct explain *ex)
{
	unsigned added = 0;

	for (size_t i = 0; i < ex->n; i++) {
		const struct refusal *r = &ex->r[i];
		char *copy, *save = NULL, *line;

		if (!r->sandbox)
			continue;
		if (!r->suggestion) {
			learn_keep(
				L, r, NULL,
				strdup(r->note ? r->note : "no line grants it"),
				false);
			continue;
		}
		copy = strdup(r->suggestion);
		if (!copy) {
			L->out_of_memory = true;
			continue;
		}
		for (line = strtok_r(copy, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			added += (unsigned)learn_take(L, r, line);
		free(copy);
	}
	return added;
}

/* --- Writing the policy --------------------------------------------------- */

/*
 * Writes `text` as comment lines: "# " and the text, wrapped at spaces
 * near LEARN_WRAP columns, continued with "#   ", control characters as
 * '?', and no line longer than the loader takes.
 */
static void learn_comment(FILE *out, const char *text)
{
	const char *lead = "# ";
	size_t room = LEARN_LINE_MAX - 8;

	while (*text) {
		size_t len = strlen(text), cut = len;

		if (len > LEARN_WRAP) {
			cut = LEARN_WRAP;
			while (cut > 20 && text[cut] != ' ')
				cut--;
			if (text[cut] != ' ')
				cut = len < room ? len : room;
		}
		fputs(lead, out);
		for (size_t i = 0; i < cut; i++) {
			unsigned char c = (unsigned char)text[i];

			fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
		}
		fputc('\n', out);
		text += cut;
		text += strspn(text, " ");
		lead = "#   ";
	}
}

/* Writes and frees `s`, a formatted comment (NULL: out of memory). */
static void learn_comment_take(FILE *out, char *s)
{
	if (s)
		learn_comment(out, s);
	free(s);
}

/* A comment formatted as printf does (explain_fmt checks the format). */
#define learn_commentf(out, ...) \
	learn_comment_take((out), explain_fmt(__VA_ARGS__))

static void learn_comment_ask(FILE *out, const struct learn_ask *a)
{
	if (a->count > 1)
		learn_commentf(out, "%s: %s %s (%s, %u times)", a->program,
			       a->operation, a->target, a->syscall, a->count);
	else
		learn_commentf(out, "%s: %s %s (%s)", a->program, a->operation,
			       a->target, a->syscall);
}

static void learn_comment_asks(FILE *out, const struct learn_asks *asks,
			       size_t *shown)
{
	for (size_t i = 0; i < asks->n; i++, (*shown)++)
		if (*shown < LEARN_ASKS_SHOWN)
			learn_comment_ask(out, &asks->v[i]);
}

/* "key = value" with '$' doubled as the loader wants it; '-' before a
 * path that does not exist now (an optional path: skipped when
 * missing, rather than an error that stops the program). */
static void learn_line(FILE *out, const char *key, const char *value,
		       bool is_path)
{
	struct stat st;

	fprintf(out, "%s = %s", key,
		is_path && lstat(value, &st) < 0 ? "-" : "");
	for (const char *c = value; *c; c++) {
		if (*c == '$')
			fputc('$', out);
		fputc(*c, out);
	}
	fputc('\n', out);
}

/* One filesystem line as written: a grant, or a directory made of
 * several (collapsed), with the grants it stands for. */
struct learn_out {
	char *path;
	bool is_file;
	bool collapsed;
	bool dead;
	nono_access access;
	size_t *members; /* indexes into L->grants */
	size_t n_members;
};

static bool learn_out_add_member(struct learn_out *o, size_t grant)
{
	size_t *grown =
		realloc(o->members, (o->n_members + 1) * sizeof(*grown));

	if (!grown)
		return false;
	o->members = grown;
	o->members[o->n_members++] = grant;
	return true;
}

/*
 * Makes a directory of `collapse` or more file grants of the same access
 * in it, where the directory is not a broad one and holds no secret.
 */
static void learn_collapse(struct learn *L, struct learn_out *o, size_t *n)
{
	size_t before = *n;

	for (size_t i = 0; L->collapse && i < before; i++) {
		char *copy, *dir, *why;
		size_t same = 0;

		if (o[i].dead || !o[i].is_file)
			continue;
		copy = strdup(o[i].path);
		if (!copy)
			break;
		dir = dirname(copy);
		for (size_t j = i; j < before; j++) {
			char *c2 = strdup(o[j].path);

			if (c2 && !o[j].dead && o[j].is_file &&
			    o[j].access == o[i].access &&
			    strcmp(dirname(c2), dir) == 0)
				same++;
			free(c2);
		}
		why = same >= L->collapse && !learn_is_broad(L, dir)
			      ? learn_holds_secret(L, dir)
			      : NULL;
		if (same >= L->collapse && !learn_is_broad(L, dir) && !why) {
			struct learn_out *d = &o[(*n)++];

			*d = (struct learn_out){ .path = strdup(dir),
						 .collapsed = true,
						 .access = o[i].access };
			for (size_t j = i; j < before; j++) {
				char *c2 = strdup(o[j].path);

				if (c2 && !o[j].dead && o[j].is_file &&
				    o[j].access == o[i].access &&
				    strcmp(dirname(c2), dir) == 0) {
					for (size_t m = 0; m < o[j].n_members;
					     m++)
						learn_out_add_member(
							d, o[j].members[m]);
					o[j].dead = true;
				}
				free(c2);
			}
		}
		free(why);
		free(copy);
	}
}

/* Drops what another directory line of at least the same access already
 * grants, its askers going to that line. */
static void learn_cover(struct learn_out *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n && !o[i].dead; j++) {
			if (i == j || o[j].dead || o[j].is_file || !o[i].path ||
			    !o[j].path || (o[i].access & ~o[j].access) ||
			    !nono__path_is_beneath(o[i].path, o[j].path))
				continue;
			/* Two directory lines of one path: the wider (or
			 * the first) stays. */
			if (!o[i].is_file &&
			    strcmp(o[i].path, o[j].path) == 0 &&
			    o[i].access == o[j].access && i < j)
				continue;
			for (size_t m = 0; m < o[i].n_members; m++)
				learn_out_add_member(&o[j], o[i].members[m]);
			o[i].dead = true;
		}
	}
}

/* Whether a profile the policy includes grants it already (a file of
 * /proc asked for before the proc profile was). */
static bool learn_profile_grants(const struct learn *L, const char *path,
				 nono_access access)
{
	for (size_t i = 0; i < LEARN_PROFILE_COUNT; i++) {
		nono_query_result res;

		if (L->profile_query[i] &&
		    learn_find_key((struct learn *)L, "policy", "include",
				   learn_profiles[i].name) &&
		    nono_query_path(L->profile_query[i], path, access, &res) ==
			    0 &&
		    res.status == NONO_QUERY_STATUS_ALLOWED)
			return true;
	}
	return false;
}

static int learn_out_cmp(const void *a, const void *b)
{
	const struct learn_out *x = a, *y = b;

	if (x->access != y->access)
		return (int)x->access - (int)y->access;
	if (!x->path || !y->path)
		return !x->path - !y->path;
	return strcmp(x->path, y->path);
}

static void learn_write_fs(FILE *out, const struct learn *L)
{
	static const char *const heads[] = {
		[NONO_ACCESS_READ] = "Read.",
		[NONO_ACCESS_WRITE] = "Write.",
		[NONO_ACCESS_READ_WRITE] = "Read and write.",
	};
	struct learn_out *o = calloc(2 * L->n_grants + 1, sizeof(*o));
	size_t n = L->n_grants;
	nono_access group = 0;

	if (!o) {
		fprintf(out, "# out of memory: the grants are missing\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		o[i] = (struct learn_out){ .path = strdup(L->grants[i].path),
					   .is_file = L->grants[i].is_file,
					   .access = L->grants[i].access };
		learn_out_add_member(&o[i], i);
	}
	learn_collapse((struct learn *)L, o, &n);
	learn_cover(o, n);
	for (size_t i = 0; i < n; i++)
		if (!o[i].dead && o[i].path &&
		    learn_profile_grants(L, o[i].path, o[i].access))
			o[i].dead = true;
	qsort(o, n, sizeof(*o), learn_out_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t shown = 0;

		if (o[i].dead || !o[i].path)
			continue;
		if (o[i].access != group) {
			fprintf(out, "\n# %s\n", heads[o[i].access]);
			group = o[i].access;
		}
		fputc('\n', out);
		if (o[i].collapsed) {
			size_t len = 0, files = 0;
			char *names;

			for (size_t m = 0; m < o[i].n_members; m++)
				len += strlen(L->grants[o[i].members[m]].path) +
				       2;
			names = calloc(len + 1, 1);
			for (size_t m = 0; names && m < o[i].n_members; m++) {
				const struct learn_grant *g =
					&L->grants[o[i].members[m]];

				if (!g->is_file ||
				    !nono__path_is_beneath(g->path, o[i].path))
					continue;
				strcat(names, *names ? ", " : "");
				strcat(names, explain_base(g->path));
				files++;
			}
			learn_commentf(
				out,
				"%zu files of this directory (--collapse "
				"%u): %s",
				files, L->collapse, names ? names : "?");
			free(names);
		}
		for (size_t m = 0; m < o[i].n_members; m++)
			learn_comment_asks(
				out, &L->grants[o[i].members[m]].asks, &shown);
		if (shown > LEARN_ASKS_SHOWN)
			learn_commentf(out, "and %zu more",
				       shown - LEARN_ASKS_SHOWN);
		learn_line(out, cli_fs_key(o[i].is_file, o[i].access),
			   o[i].path, true);
	}
	for (size_t i = 0; i < n; i++) {
		free(o[i].path);
		free(o[i].members);
	}
	free(o);
}

static void learn_write_keys(FILE *out, const struct learn *L,
			     const char *section)
{
	for (size_t i = 0; i < L->n_keys; i++) {
		const struct learn_key *k = &L->keys[i];
		size_t shown = 0;

		if (strcmp(k->section, section) != 0)
			continue;
		fputc('\n', out);
		learn_comment_asks(out, &k->asks, &shown);
		if (shown > LEARN_ASKS_SHOWN)
			learn_commentf(out, "and %zu more",
				       shown - LEARN_ASKS_SHOWN);
		learn_line(out, k->key, k->value, false);
	}
}

static bool learn_has_section(const struct learn *L, const char *section)
{
	for (size_t i = 0; i < L->n_keys; i++)
		if (strcmp(L->keys[i].section, section) == 0)
			return true;
	return false;
}

/* What is still refused in the run `last` (NULL: none yet), and why. */
static size_t learn_still_refused(const struct explain *last)
{
	size_t n = 0;

	for (size_t i = 0; last && i < last->n; i++)
		n += last->r[i].sandbox;
	return n;
}

/* Whether the run `last` (NULL: still learning) refused `k` again. */
static bool learn_kept_now(const struct learn_kept *k,
			   const struct explain *last)
{
	for (size_t i = 0; last && i < last->n; i++)
		if (last->r[i].sandbox && learn_ask_same(&k->ask, &last->r[i]))
			return true;
	return !last;
}

/* The refusals that got no line, and are still refused: a program that
 * tries one place after another (/tmp, then /var/tmp) and was given one
 * does not ask for the others any more. */
static void learn_write_kept(FILE *out, const struct learn *L,
			     const struct explain *last, bool secret)
{
	bool head = false;

	for (size_t i = 0; i < L->n_kept; i++) {
		const struct learn_kept *k = &L->kept[i];

		if (k->secret != secret || !learn_kept_now(k, last))
			continue;
		if (!head) {
			fputc('\n', out);
			learn_comment(out,
				      secret ? "Refused, kept refused: review. "
					       "nono learn never grants a "
					       "sensitive path, however often "
					       "it is asked for."
					     : "Refused, and nono learn added "
					       "no line for it:");
			head = true;
		}
		learn_comment(out, "");
		learn_comment_ask(out, &k->ask);
		learn_commentf(out, "  %s", k->reason);
		if (k->line)
			learn_commentf(out, "  the line would be: %s", k->line);
	}
}

/* Writes the policy learned so far to L->output. `last`: the run of the
 * policy as it is written (NULL while learning). 0 or -1 (printed). */
static int learn_write(const struct learn *L, const struct explain *last,
		       int status, unsigned runs)
{
	FILE *out = fopen(L->output, "we");
	time_t now = time(NULL);
	char date[32] = "";
	struct tm tm;

	if (!out) {
		cli_error("learn: %s: %s", L->output, strerror(errno));
		return -1;
	}
	if (localtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
	learn_commentf(out, "Written by nono learn, %s, for:", date);
	learn_commentf(out, "  %s", L->command);
	learn_commentf(out,
		       "from what the sandbox refused it in %u run%s, always "
		       "inside the sandbox. Review every line: its comment "
		       "says which program asked for it, and how. A path "
		       "marked '-' did not exist when this was written.",
		       runs, runs == 1 ? "" : "s");
	if (L->collapse)
		learn_commentf(out,
			       "%u or more files of one directory, with the "
			       "same access, became the directory, unless it "
			       "is a broad one (/etc, /usr, $HOME, /tmp...) or "
			       "holds something sensitive (--collapse).",
			       L->collapse);
	fprintf(out, "[policy]\nversion = 1\n");
	learn_comment(out, strcmp(L->base, "system") == 0
				   ? "What a program needs to start (the "
				     "default base)."
				   : "The base policy (--policy).");
	learn_line(out, "include", L->base, false);
	learn_write_keys(out, L, "policy");

	fprintf(out, "\n[filesystem]");
	learn_write_keys(out, L, "filesystem");
	learn_write_fs(out, L);
	if (learn_has_section(L, "network")) {
		fprintf(out, "\n[network]");
		learn_write_keys(out, L, "network");
	}
	if (learn_has_section(L, "process")) {
		fprintf(out, "\n[process]");
		learn_write_keys(out, L, "process");
	}
	learn_write_kept(out, L, last, true);
	learn_write_kept(out, L, last, false);
	if (last) {
		size_t left = learn_still_refused(last);

		fputc('\n', out);
		if (!left)
			learn_commentf(out, "The last run, with this policy: "
					    "nothing was refused.");
		else
			learn_commentf(out,
				       "The last run, with this policy: %zu "
				       "refusal%s left:",
				       left, left == 1 ? "" : "s");
		for (size_t i = 0; i < last->n; i++) {
			const struct refusal *r = &last->r[i];

			if (r->sandbox)
				learn_commentf(
					out, "  %s: %s %s (%s)",
					explain_base(r->program), r->operation,
					r->target ? r->target : r->syscall,
					r->syscall);
		}
		if (WIFSIGNALED(status))
			learn_commentf(out,
				       "The program was killed by signal %d.",
				       WTERMSIG(status));
		else
			learn_commentf(out,
				       "The program exited with status %d.",
				       WEXITSTATUS(status));
	}
	if (fclose(out) != 0) {
		cli_error("learn: %s: %s", L->output, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- Running ----------------------------------------------------------------
 */

/* Puts TMPDIR and kin back as this process got them: the loader makes the
 * private directory under TMPDIR, which must not be the last round's. */
static void learn_env_restore(const struct learn *L)
{
	const char *const *vars = nono_private_tmp_vars();

	for (size_t i = 0; i < 8 && vars[i]; i++) {
		if (L->saved_env[i])
			setenv(vars[i], L->saved_env[i], 1);
		else
			unsetenv(vars[i]);
	}
}

/* The command line, quoted for a shell where it needs to be, for the
 * file's header. */
static char *learn_quote(char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (size_t i = 0; argv[i]; i++)
		len += 4 * strlen(argv[i]) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];
		bool plain =
			*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"abcdefghijklmnopqrstuvwxyz"
					"0123456789_./=:,+-@%") == strlen(a);

		if (i)
			*p++ = ' ';
		if (plain) {
			p = stpcpy(p, a);
			continue;
		}
		*p++ = '\'';
		for (; *a; a++) {
			if (*a == '\'')
				p = stpcpy(p, "'\\''");
			else
				*p++ = *a;
		}
		*p++ = '\'';
	}
	*p = '\0';
	return s;
}

/*
 * One run with the policy as written: loads it from L->output (so that
 * what is tested is the file), and observes the program in its sandbox.
 * 0, or -1 (printed; *load_failed tells the policy did not load).
 */
static int learn_run(const struct learn *L, char **program, struct explain *ex,
		     int *status, bool *load_failed)
{
	nono_policy *policy = NULL;
	unsigned flags = 0;
	int rc = -1;

	*ex = (struct explain){ 0 };
	learn_env_restore(L);
	if (cli_policy_load(L->output, &policy) < 0) {
		*load_failed = true;
		return -1;
	}
	if (nono_policy_best_effort(policy))
		flags |= NONO_APPLY_BEST_EFFORT;
	if (cli_set_private_tmp(policy) == 0)
		rc = explain_observe(nono_policy_caps(policy), flags, program,
				     ex, status);
	nono_policy_free(policy);
	return rc;
}

static void learn_print_status(int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "the program was killed by signal %d",
			WTERMSIG(status));
	else
		fprintf(stderr, "the program exited with status %d",
			WEXITSTATUS(status));
}

/* What is left after the last run, on stderr. */
static void learn_print_left(const struct learn *L, const struct explain *ex,
			     int status, unsigned runs)
{
	size_t left = learn_still_refused(ex);

	fprintf(stderr, "nono learn: wrote %s after %u run%s; in the last, ",
		L->output, runs, runs == 1 ? "" : "s");
	learn_print_status(status);
	fprintf(stderr, left ? ", and the sandbox still refused:\n"
			     : ", and nothing was refused\n");
	if (!left && status != 0)
		fprintf(stderr, "nono learn: the program failed without a "
				"refusal: its own error, or a failure the "
				"sandbox's rules do not explain (below)\n");
	for (size_t i = 0; i < ex->n; i++) {
		const struct refusal *r = &ex->r[i];
		const char *why = "no line was added for it";

		if (!r->sandbox)
			continue;
		for (size_t k = 0; k < L->n_kept; k++)
			if (learn_ask_same(&L->kept[k].ask, r))
				why = L->kept[k].reason;
		fprintf(stderr, "  %d %s: %s %s (%s)\n    %s\n", (int)r->pid,
			explain_base(r->program), r->operation,
			r->target ? r->target : r->syscall, r->syscall, why);
	}
	/* A path the policy grants and the kernel refused is most often one
	 * the program removed and made again: the grant followed the old
	 * file. Worth a look, so it is listed, apart. */
	for (size_t i = 0; i < ex->n; i++) {
		const struct refusal *r = &ex->r[i];

		if (r->sandbox)
			continue;
		fprintf(stderr,
			"nono learn: failed, though the policy grants it: %s: "
			"%s %s (%s)%s%s\n",
			explain_base(r->program), r->operation,
			r->target ? r->target : r->syscall, r->syscall,
			r->note ? ": " : "", r->note ? r->note : "");
	}
}

static void learn_free(struct learn *L)
{
	learn_list_free(&L->secrets);
	learn_list_free(&L->broad);
	for (size_t i = 0; i < 3; i++)
		free(L->tmp_dirs[i]);
	for (size_t i = 0; i < 8; i++)
		free(L->saved_env[i]);
	for (size_t i = 0; i < LEARN_PROFILE_COUNT; i++)
		nono_query_free(L->profile_query[i]);
	for (size_t i = 0; i < L->n_grants; i++) {
		free(L->grants[i].path);
		learn_asks_free(&L->grants[i].asks);
	}
	free(L->grants);
	for (size_t i = 0; i < L->n_keys; i++) {
		free(L->keys[i].section);
		free(L->keys[i].key);
		free(L->keys[i].value);
		learn_asks_free(&L->keys[i].asks);
	}
	free(L->keys);
	for (size_t i = 0; i < L->n_kept; i++) {
		learn_ask_free(&L->kept[i].ask);
		free(L->kept[i].line);
		free(L->kept[i].reason);
	}
	free(L->kept);
	free(L->base);
	free(L->command);
}

/* Parses a count of 0..max; false when it is not one. */
static bool learn_count(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || s[0] == '-')
		return false;
	*out = (unsigned)v;
	return true;
}

/* Returns -1 when the command line is good, otherwise the exit status. */
static int learn_parse(int argc, char **argv, struct learn *L,
		       const char **base, unsigned *rounds, char ***program)
{
	static const struct option options[] = {
		{ "policy", required_argument, NULL, LEARN_OPT_POLICY },
		{ "output", required_argument, NULL, LEARN_OPT_OUTPUT },
		{ "rounds", required_argument, NULL, LEARN_OPT_ROUNDS },
		{ "collapse", required_argument, NULL, LEARN_OPT_COLLAPSE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (c) {
		case LEARN_OPT_POLICY:
			if (*base)
				return cli_usage_error("learn",
						       "--policy given twice");
			*base = optarg;
			break;
		case LEARN_OPT_OUTPUT:
			L->output = optarg;
			break;
		case LEARN_OPT_ROUNDS:
			if (!learn_count(optarg, LEARN_ROUNDS_MAX, rounds) ||
			    !*rounds)
				return cli_usage_error(
					"learn", "--rounds: 1 to %d, not '%s'",
					LEARN_ROUNDS_MAX, optarg);
			break;
		case LEARN_OPT_COLLAPSE:
			if (!learn_count(optarg, 1000, &L->collapse))
				return cli_usage_error(
					"learn",
					"--collapse: 0 (never) to 1000, not "
					"'%s'",
					optarg);
			break;
		default:
			return cli_common_option(&cli_learn_command, c, argv);
		}
	}
	if (!L->output)
		return cli_usage_error("learn", "--output FILE is required");
	if (optind >= argc)
		return cli_usage_error("learn", "no program given");
	*program = argv + optind;
	return -1;
}

/* What the learning needs besides the command line. 0 or -1 (printed). */
static int learn_init(struct learn *L, const char *base, char **program)
{
	const char *const *vars = nono_private_tmp_vars();
	const char *tmpdir = getenv("TMPDIR");

	if (base) {
		nono_policy *policy = NULL;

		/* Checked now, so that a bad base is its own error. */
		if (cli_policy_load(base, &policy) < 0)
			return -1;
		nono_policy_free(policy);
		L->base = realpath(base, NULL);
	} else {
		L->base = strdup("system");
	}
	L->command = learn_quote(program);
	for (size_t i = 0; i < 8 && vars[i]; i++)
		if (getenv(vars[i]) &&
		    !(L->saved_env[i] = strdup(getenv(vars[i]))))
			L->out_of_memory = true;
	L->tmp_dirs[0] = cli_canonical_lenient("/tmp");
	L->tmp_dirs[1] = cli_canonical_lenient("/var/tmp");
	if (tmpdir && tmpdir[0] == '/')
		L->tmp_dirs[2] = cli_canonical_lenient(tmpdir);
	learn_secrets_init(L);
	learn_profiles_init(L);
	if (!L->base || !L->command || L->out_of_memory) {
		cli_error("learn: %s", nono_strerror(NONO_ENOMEM));
		return -1;
	}
	return 0;
}

static int learn_main(int argc, char **argv)
{
	struct learn L = { .collapse = LEARN_COLLAPSE };
	struct explain ex = { 0 };
	unsigned rounds = LEARN_ROUNDS, run;
	const char *base = NULL;
	char **program = NULL, *found;
	int status = 0, rc;
	bool load_failed = false;

	rc = learn_parse(argc, argv, &L, &base, &rounds, &program);
	if (rc >= 0)
		return rc;
	rc = CLI_EXIT_CANNOT_RUN;
	if (!trace_supported()) {
		cli_error("learn: not supported on this CPU architecture");
		return rc;
	}
	found = cli_find_program(program[0]);
	if (!found) {
		cli_error("%s: %s", program[0],
			  errno == ENOENT ? "program not found"
					  : strerror(errno));
		return errno == ENOENT ? CLI_EXIT_NOT_FOUND : rc;
	}
	free(found);
	if (learn_init(&L, base, program) < 0) {
		rc = CLI_EXIT_FAILURE;
		goto free_learn;
	}
	for (run = 1;; run++) {
		unsigned added;

		if (learn_write(&L, NULL, 0, run - 1) < 0) {
			rc = CLI_EXIT_FAILURE;
			goto free_learn;
		}
		explain_clear(&ex);
		if (learn_run(&L, program, &ex, &status, &load_failed) < 0) {
			if (load_failed)
				cli_error("learn: the policy written does not "
					  "load (above); it is left in %s for "
					  "review",
					  L.output);
			rc = load_failed ? CLI_EXIT_FAILURE
					 : CLI_EXIT_CANNOT_RUN;
			goto free_learn;
		}
		/* The last round's lines are checked by one more run. */
		if (run > rounds)
			break;
		added = learn_absorb(&L, &ex);
		fprintf(stderr, "nono learn: round %u: ", run);
		learn_print_status(status);
		fprintf(stderr, "; %zu refused, %u line%s added\n",
			learn_still_refused(&ex), added, added == 1 ? "" : "s");
		if (!added)
			break;
	}
	if (L.out_of_memory)
		cli_error("learn: out of memory: the policy is incomplete");
	if (learn_write(&L, &ex, status, run) < 0) {
		rc = CLI_EXIT_FAILURE;
		goto free_learn;
	}
	learn_print_left(&L, &ex, status, run);
	rc = learn_still_refused(&ex) || L.out_of_memory ? CLI_EXIT_FAILURE
							 : CLI_EXIT_OK;

free_learn:
	explain_clear(&ex);
	learn_env_restore(&L);
	learn_free(&L);
	return rc;
}

/* clang-format off */
const struct cli_command cli_learn_command = {
	.name = "learn",
	.summary = "write a policy from what the sandbox refused a program",
	.usage = "usage: nono learn [--policy BASE] --output FILE [--rounds N]\n"
		 "                  [--collapse N] [--] PROGRAM [ARGS...]\n",
	.help = "Writes a policy that lets PROGRAM run, learning only from what\n"
		"the sandbox refuses it: starting from BASE (default: include =\n"
		"system), it runs PROGRAM in the sandbox of the policy written so\n"
		"far, as `nono explain` does, adds the lines explain suggests,\n"
		"and runs it again, until a round adds nothing or N rounds have\n"
		"passed; then one more run checks the result. The program never\n"
		"runs outside a sandbox, but it runs several times: it should be\n"
		"a job that can be repeated.\n"
		"\n"
		"Sensitive paths (~/.ssh, ~/.gnupg, ~/.aws, /etc/shadow, browser\n"
		"profiles, histories, .env files, keyrings, agent sockets...) are\n"
		"never granted: they are written as comments to review. Built-in\n"
		"profiles and private_tmp are preferred where they grant what\n"
		"was refused. Each line says which program asked, and how.\n"
		"\n"
		"  --policy BASE   start from this policy (included by the output)\n"
		"  --output FILE   the policy to write (rewritten every round)\n"
		"  --rounds N      at most N rounds that add lines (default 5)\n"
		"  --collapse N    N or more files of one directory with the same\n"
		"                  access become the directory, unless it is a\n"
		"                  broad one (/etc, $HOME...) or holds something\n"
		"                  sensitive; 0: never (default 3)\n"
		"  -h, --help      this text\n"
		"\n"
		"See docs/learn.md.\n"
		"\n"
		"Exit status: 0 when the last run with the policy written had\n"
		"nothing refused; 1 when something is left (listed), or the\n"
		"policy cannot be written or loaded; 2 for a usage error; 126\n"
		"when the sandbox cannot be applied or traced; 127 when PROGRAM\n"
		"is not found.\n",
	.run = learn_main,
};
/* clang-format on */
