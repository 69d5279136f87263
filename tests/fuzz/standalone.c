/*
 * Standalone driver for the fuzz targets when they are not built with
 * libFuzzer: each argument is a file, or a directory whose regular files
 * are read (recursively, hidden entries skipped); every file is passed once to
 * LLVMFuzzerTestOneInput.  A crash or abort in the target is the failure;
 * exit 2 means an argument could not be read.
 */
#include "common/strbuf.h"
#include "common/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs larger than this are a mistake, not a test case. */
#define INPUT_MAX ((size_t)64 << 20)

static int
run_file(const char *path, size_t *count)
{
	char *buf;
	size_t len;
	int rc = util_read_file(path, INPUT_MAX, &buf, &len);

	if (rc < 0) {
		fprintf(stderr, "standalone: cannot read '%s': %s\n", path,
			rc == -2 ? "too large" : strerror(errno));
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	(*count)++;
	return 0;
}

static int
run_dir(const char *dir, size_t *count, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "standalone: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		strbuf_t path = STRBUF_INIT;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&path, "%s/%s", dir, de->d_name);
		if (stat(path.buf, &st) == 0) {
			if (S_ISREG(st.st_mode) && run_file(path.buf, count) < 0)
				rc = -1;
			else if (S_ISDIR(st.st_mode) && depth < 16 &&
				 run_dir(path.buf, count, depth + 1) < 0)
				rc = -1;
		}
		strbuf_release(&path);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (argv[i][0] == '-') /* libFuzzer options such as -runs=N */
			continue;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "standalone: cannot open '%s': %s\n", argv[i],
				strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode) ? run_dir(argv[i], &count, 0) < 0
					       : run_file(argv[i], &count) < 0) {
			rc = 2;
		}
	}
	printf("%zu inputs ok\n", count);
	return rc;
}
