/* SPDX-License-Identifier: MIT */
/* Replays fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput on every
 * file given, and on every file in every directory given (recursively), so
 * the ordinary test run covers the seed corpus. Exit 0 when all ran; a
 * failed invariant or a sanitizer stops the run with a crash. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "igdpt/file.h"

static int replay(const char *path, unsigned *count)
{
	char err[512];
	struct stat st;
	uint8_t *data;
	size_t len;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: no such file or directory\n", path);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent *de;
		DIR *d = opendir(path);
		int ret = 0;

		if (!d) {
			fprintf(stderr, "replay: %s: cannot open directory\n", path);
			return -1;
		}
		while (!ret && (de = readdir(d))) {
			char child[4096];

			if (de->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(child, sizeof(child), "%s/%s", path, de->d_name) >=
			    sizeof(child)) {
				fprintf(stderr, "replay: %s/%s: path too long\n", path, de->d_name);
				ret = -1;
				break;
			}
			ret = replay(child, count);
		}
		closedir(d);
		return ret;
	}
	if (igdpt_file_read(path, &data, &len, &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
		fprintf(stderr, "replay: %s\n", err);
		return -1;
	}
	/* Name the input first: if it crashes, the log says which. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	(*count)++;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay(argv[i], &count) < 0)
			return 2;
	/* An empty seed set would pass without testing anything. */
	if (count == 0) {
		fprintf(stderr, "replay: no inputs found\n");
		return 2;
	}
	printf("replayed %u inputs\n", count);
	return 0;
}
