// SPDX-License-Identifier: Apache-2.0
/*
 * keys-doc: prints the policy key list as Markdown, from the table in
 * keys.c, for docs/policy.md, and as roff for nono-policy(5).
 *
 *   keys-doc               print the list
 *   keys-doc --update F    replace the list between the keys markers in F
 *   keys-doc --check F     exit 1 if the list in F is not the current one
 *   keys-doc --man IN OUT  copy the man page IN to OUT, the line
 *                          MAN_MARK replaced by the list
 *
 * The roff list is made from the Markdown one, so that the two cannot say
 * different things: a "### `[section]`" heading becomes .SS, each table
 * row a .TP entry, and `code` bold.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

#define BEGIN_MARK "<!-- keys:begin -->\n"
#define END_MARK "<!-- keys:end -->"
#define MAN_MARK ".\\\" nono-keys\n"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rbe");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto close_file;
	buf = malloc((size_t)size + 1);
	if (!buf)
		goto close_file;
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
		goto close_file;
	}
	buf[size] = '\0';
	*len = (size_t)size;
close_file:
	fclose(f);
	return buf;
}

/* Writes Markdown text as roff: `code` in bold, backslashes and hyphens
 * escaped, and no line that starts with a control character. */
static void man_text(FILE *out, const char *s, size_t len)
{
	bool code = false;

	if (len > 0 && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", out);
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '`':
			fputs(code ? "\\fR" : "\\fB", out);
			code = !code;
			break;
		case '\\':
			fputs("\\e", out);
			break;
		case '-':
			fputs("\\-", out);
			break;
		default:
			fputc(s[i], out);
		}
	}
	if (code)
		fputs("\\fR", out);
}

/* The cell `n` (0-based) of a Markdown table row "| a | b |", trimmed. */
static bool man_cell(const char *row, int n, const char **cell, size_t *len)
{
	const char *p = row, *end;

	for (int i = 0; i <= n; i++) {
		p = strstr(p, "| ");
		if (!p)
			return false;
		p += 2;
	}
	end = strstr(p, " |");
	if (!end)
		return false;
	*cell = p;
	*len = (size_t)(end - p);
	return true;
}

/* The key list as roff, from the Markdown list `md`. */
static void man_keys(FILE *out, const char *md)
{
	for (const char *line = md; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *c[5];
		size_t l[5];

		if (strncmp(line, "### ", 4) == 0) {
			fputs(".SS ", out);
			man_text(out, line + 4, len - 4);
			fputc('\n', out);
		} else if (strncmp(line, "| `", 3) == 0) {
			bool ok = true;

			for (int i = 0; i < 5 && ok; i++)
				ok = man_cell(line, i, &c[i], &l[i]);
			if (ok) {
				fputs(".TP\n", out);
				man_text(out, c[0], l[0]);
				fputs(" = ", out);
				man_text(out, c[1], l[1]);
				fputc('\n', out);
				man_text(out, c[4], l[4]);
				if (l[2] == 3 && strncmp(c[2], "yes", 3) == 0)
					fputs(" Repeatable.", out);
				if (strncmp(c[3], "supported", l[3]) != 0)
					fputs(" Not supported yet.", out);
				fputc('\n', out);
			}
		}
		line += len + (nl ? 1 : 0);
	}
}

/* keys-doc --man IN OUT. Returns the exit status. */
static int man_page(const char *md, const char *in, const char *out_path)
{
	size_t len = 0;
	char *doc = slurp(in, &len), *mark;
	FILE *out;
	int rc = 1;

	if (!doc) {
		fprintf(stderr, "keys-doc: cannot read %s\n", in);
		return 1;
	}
	mark = strstr(doc, MAN_MARK);
	if (!mark) {
		fprintf(stderr, "keys-doc: %s has no keys marker\n", in);
		goto free_doc;
	}
	out = fopen(out_path, "we");
	if (!out) {
		fprintf(stderr, "keys-doc: cannot write %s\n", out_path);
		goto free_doc;
	}
	fwrite(doc, 1, (size_t)(mark - doc), out);
	man_keys(out, md);
	fputs(mark + strlen(MAN_MARK), out);
	rc = fclose(out) == 0 ? 0 : 1;
free_doc:
	free(doc);
	return rc;
}

int main(int argc, char **argv)
{
	char *md = nono__keys_markdown();
	char *doc, *begin, *end;
	size_t len = 0;
	int rc = 1;
	FILE *f;

	if (!md) {
		fprintf(stderr, "keys-doc: out of memory\n");
		return 1;
	}
	if (argc == 1) {
		fputs(md, stdout);
		free(md);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "--man") == 0) {
		rc = man_page(md, argv[2], argv[3]);
		goto free_md;
	}
	if (argc != 3 || (strcmp(argv[1], "--update") != 0 &&
			  strcmp(argv[1], "--check") != 0)) {
		fprintf(stderr, "usage: keys-doc [--update|--check FILE] "
				"[--man IN OUT]\n");
		goto free_md;
	}
	doc = slurp(argv[2], &len);
	if (!doc) {
		fprintf(stderr, "keys-doc: cannot read %s\n", argv[2]);
		goto free_md;
	}
	begin = strstr(doc, BEGIN_MARK);
	end = begin ? strstr(begin, END_MARK) : NULL;
	if (!end) {
		fprintf(stderr, "keys-doc: %s has no keys markers\n", argv[2]);
		goto free_doc;
	}
	begin += strlen(BEGIN_MARK);
	if (strcmp(argv[1], "--check") == 0) {
		rc = (size_t)(end - begin) == strlen(md) &&
				     memcmp(begin, md, strlen(md)) == 0
			     ? 0
			     : 1;
		if (rc)
			fprintf(stderr,
				"keys-doc: the key list in %s is stale; run "
				"ninja policy-doc\n",
				argv[2]);
		goto free_doc;
	}
	f = fopen(argv[2], "we");
	if (!f) {
		fprintf(stderr, "keys-doc: cannot write %s\n", argv[2]);
		goto free_doc;
	}
	fwrite(doc, 1, (size_t)(begin - doc), f);
	fputs(md, f);
	fputs(end, f);
	rc = fclose(f) == 0 ? 0 : 1;
free_doc:
	free(doc);
free_md:
	free(md);
	return rc;
}
