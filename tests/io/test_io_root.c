/* SPDX-License-Identifier: MIT */
/* Unit tests: opening inside a root (lib/io/io_open.c) with openat2 and with
 * the walk of our own: no escape through absolute or ".." symlinks, loops
 * end, FIFOs never block, links and directories read in place. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "io_open.h"

struct tree {
	char top[64];   /* holds root/ and the secret beside it */
	char root[96];
};

static void put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void link_at(const char *dir, const char *rel, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void mkdir_at(const char *dir, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char path[PATH_MAX];

	if (!t)
		return -1;
	snprintf(t->top, sizeof(t->top), "/tmp/igdpt-test-root-XXXXXX");
	if (!mkdtemp(t->top))
		return -1;
	snprintf(t->root, sizeof(t->root), "%s/root", t->top);
	mkdir(t->root, 0755);
	/* Outside the root: what no read under the root may reach. */
	put(t->top, "secret", "OUTSIDE");
	mkdir_at(t->root, "sys");
	mkdir_at(t->root, "sys/dev");
	put(t->root, "sys/a", "inside");
	link_at(t->root, "sys/abs", "/sys/a");           /* absolute, stays inside */
	link_at(t->root, "sys/up", "../../../../../secret"); /* climbs past the root */
	link_at(t->root, "sys/abs-out", "/../secret");
	link_at(t->root, "sys/dev/driver", "../../bus/drivers/i915");
	link_at(t->root, "sysl", "sys");                 /* a directory link */
	link_at(t->root, "loop1", "loop2");
	link_at(t->root, "loop2", "loop1");
	link_at(t->root, "dangling", "nowhere");
	snprintf(path, sizeof(path), "%s/fifo", t->root);
	assert_int_equal(mkfifo(path, 0644), 0);
	/* An absolute link to the secret by its real path: inside the root
	 * that path does not exist. */
	snprintf(path, sizeof(path), "%s/secret", t->top);
	link_at(t->root, "real-path", path);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->top);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

typedef int (*open_fn)(const char *, const char *, int, unsigned, struct stat *);

/* Reads path under root into buf; returns the fd result or the length. */
static int read_in(open_fn fn, const char *root, const char *path, char *buf, size_t size)
{
	int fd = fn(root, path, O_RDONLY, IO_REGULAR, NULL);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return (int)n;
}

static void check_confinement(open_fn fn, const struct tree *t)
{
	char buf[64];

	assert_int_equal(read_in(fn, t->root, "/sys/a", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "inside");
	assert_int_equal(read_in(fn, t->root, "/sys/abs", buf, sizeof(buf)), 6);
	assert_int_equal(read_in(fn, t->root, "/sysl/a", buf, sizeof(buf)), 6);
	assert_int_equal(read_in(fn, t->root, "/sys/../sys/./a", buf, sizeof(buf)), 6);
	assert_int_equal(read_in(fn, t->root, "/../../sys/a", buf, sizeof(buf)), 6);
	/* Every way out ends inside the root, where there is no secret. */
	assert_int_equal(read_in(fn, t->root, "/sys/up", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(read_in(fn, t->root, "/sys/abs-out", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(read_in(fn, t->root, "/real-path", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(read_in(fn, t->root, "/../secret", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(read_in(fn, t->root, "/loop1", buf, sizeof(buf)), -ELOOP);
	assert_int_equal(read_in(fn, t->root, "/dangling", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(read_in(fn, t->root, "/sys/a/x", buf, sizeof(buf)), -ENOTDIR);
	/* A FIFO is refused by its kind, at once. */
	assert_int_equal(read_in(fn, t->root, "/fifo", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(read_in(fn, t->root, "/sys", buf, sizeof(buf)), -EISDIR);
	/* A directory opens when asked for. */
	{
		int fd = fn(t->root, "/sysl", O_RDONLY | O_DIRECTORY, IO_DIRECTORY, NULL);

		assert_true(fd >= 0);
		close(fd);
	}
}

static void test_openat2(void **state)
{
	check_confinement(io_open, *state);
}

static void test_walk(void **state)
{
	check_confinement(io_open_walk, *state);
}

/* Without a root the path is the host's own. */
static void test_no_root(void **state)
{
	struct tree *t = *state;
	char path[PATH_MAX], buf[64];

	snprintf(path, sizeof(path), "%s/secret", t->top);
	assert_int_equal(read_in(io_open, NULL, path, buf, sizeof(buf)), 7);
	assert_int_equal(read_in(io_open, "", path, buf, sizeof(buf)), 7);
	assert_int_equal(io_open(NULL, "/dev/null", O_RDONLY, IO_CHARDEV, NULL) >= 0, 1);
	assert_int_equal(io_open(NULL, "/dev/null", O_RDONLY, IO_REGULAR, NULL), -EINVAL);
	assert_int_equal(io_open_walk(NULL, "/dev/null", O_RDONLY, IO_CHARDEV, NULL), -EINVAL);
}

static void test_readlink_list_exists(void **state)
{
	struct tree *t = *state;
	char buf[64];
	char **names;
	int n;

	assert_int_equal(io_readlink(t->root, "/sys/dev/driver", buf, sizeof(buf)),
			 (int)strlen("../../bus/drivers/i915"));
	assert_string_equal(buf, "../../bus/drivers/i915");
	/* The link's parent is resolved in the root too. */
	assert_int_equal(io_readlink(t->root, "/sysl/abs", buf, sizeof(buf)), 6);
	assert_int_equal(io_readlink(t->root, "/sys/a", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(io_readlink(t->root, "/sys/dev/driver", buf, 4), -ENAMETOOLONG);
	assert_true(io_exists(t->root, "/dangling"));
	assert_true(io_exists(t->root, "/sysl/a"));
	assert_false(io_exists(t->root, "/secret"));
	n = io_list_dir(t->root, "/sysl", &names);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "a");
	assert_string_equal(names[1], "abs");
	assert_string_equal(names[2], "abs-out");
	assert_string_equal(names[3], "dev");
	assert_string_equal(names[4], "up");
	io_names_free(names, n);
	assert_int_equal(io_list_dir(t->root, "/sys/a", &names), -ENOTDIR);
	assert_int_equal(io_list_dir(t->root, "/nothing", &names), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_root, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readlink_list_exists, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
