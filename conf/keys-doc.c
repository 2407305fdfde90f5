// SPDX-License-Identifier: Apache-2.0
/*
 * keys-doc: prints the policy key list as Markdown, from the table in
 * keys.c, for docs/policy.md.
 *
 *   keys-doc               print the list
 *   keys-doc --update F    replace the list between the keys markers in F
 *   keys-doc --check F     exit 1 if the list in F is not the current one
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

#define BEGIN_MARK "<!-- keys:begin -->\n"
#define END_MARK "<!-- keys:end -->"

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

int main(int argc, char **argv)
{
	char *md = nono_keys_markdown();
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
	if (argc != 3 || (strcmp(argv[1], "--update") != 0 &&
			  strcmp(argv[1], "--check") != 0)) {
		fprintf(stderr, "usage: keys-doc [--update|--check FILE]\n");
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
