// SPDX-License-Identifier: Apache-2.0
/*
 * replay: runs a fuzz target without libFuzzer, over every file of the
 * corpus directories (or single files) named on the command line, in name
 * order. Each file is one TAP test ("ok N - corpus/name"), so the runner
 * counts them; an input that crashes the target ends the run, and the
 * missing lines and the exit status make it a failure.
 *
 *   replay_policy tests/fuzz/corpus/policy
 *
 * Built with the target, as an ordinary test: under ASan and UBSan in the
 * sanitizer build, so CI replays the corpora without needing clang.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Corpus files are small; anything larger is a mistake in the corpus. */
#define REPLAY_MAX_INPUT (4u * 1024 * 1024)

/* Targets without an initialiser leave this NULL. */
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

struct input {
	char *path;
	const char *shown; /* path relative to the corpus root's parent */
};

static struct input *inputs;
static size_t n_inputs, cap_inputs;

static void add_input(char *path, const char *shown)
{
	if (n_inputs == cap_inputs) {
		size_t cap = cap_inputs ? 2 * cap_inputs : 64;
		struct input *v = realloc(inputs, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "replay: out of memory\n");
			exit(1);
		}
		inputs = v;
		cap_inputs = cap;
	}
	inputs[n_inputs].path = path;
	inputs[n_inputs].shown = shown;
	n_inputs++;
}

/* Adds every regular file of `dir` (not recursively: libFuzzer corpora are
 * flat), in name order. Names starting with '.' are skipped. */
static int add_dir(const char *dir)
{
	struct dirent **names;
	const char *base = strrchr(dir, '/');
	int n = scandir(dir, &names, NULL, alphasort);

	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	base = base ? base + 1 : dir;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat st;
		char *path;

		if (name[0] == '.') {
			free(names[i]);
			continue;
		}
		if (asprintf(&path, "%s/%s", dir, name) < 0) {
			fprintf(stderr, "replay: out of memory\n");
			exit(1);
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			add_input(path, path + strlen(dir) - strlen(base));
		else
			free(path);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* Reads a whole file into a new buffer of exactly its size, so that ASan
 * sees any read past the end of the input. */
static int read_input(const char *path, unsigned char **data, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char *buf = NULL;
	struct stat st;
	size_t len = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size > REPLAY_MAX_INPUT)
		goto close_fd;
	/* malloc(0) may return NULL: ask for one byte at least. */
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (!buf)
		goto close_fd;
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + len, (size_t)st.st_size - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto free_buf;
		len += (size_t)r;
	}
	close(fd);
	*data = buf;
	*size = len;
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (add_dir(argv[i]) < 0)
				return 1;
		} else {
			char *path = strdup(argv[i]);

			if (!path) {
				fprintf(stderr, "replay: out of memory\n");
				return 1;
			}
			add_input(path, argv[i]);
		}
	}
	if (n_inputs == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	printf("1..%zu\n", n_inputs);
	for (size_t i = 0; i < n_inputs; i++) {
		unsigned char *data;
		size_t size;

		if (read_input(inputs[i].path, &data, &size) < 0) {
			printf("not ok %zu - %s (cannot read: %s)\n", i + 1,
			       inputs[i].shown, strerror(errno));
			free(inputs[i].path);
			failed = 1;
			continue;
		}
		/* Say which input is running before it runs: a crash ends
		 * the process, and the log must name the culprit. */
		fprintf(stderr, "replay: %s\n", inputs[i].shown);
		fflush(stdout);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		printf("ok %zu - %s\n", i + 1, inputs[i].shown);
		fflush(stdout);
		free(inputs[i].path);
	}
	free(inputs);
	return failed;
}
