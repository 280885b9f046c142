/* SPDX-License-Identifier: MIT */
/* Unit tests: whole-file reads and atomic writes, the kinds of file each
 * takes, and their error messages. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "igdpt/file.h"

struct tmp {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/igdpt-test-file-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/out.bin", t->dir);
	*state = t;
	return 0;
}

static void remove_tree(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int teardown(void **state)
{
	struct tmp *t = *state;

	remove_tree(t->dir);
	free(t);
	return 0;
}

/* Number of entries in dir besides . and .. */
static unsigned count_entries(const char *dir)
{
	struct dirent *de;
	unsigned n = 0;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_roundtrip(void **state)
{
	struct tmp *t = *state;
	uint8_t data[20000], *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;
	struct stat st;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 13);
	assert_int_equal(igdpt_file_write(t->path, data, sizeof(data), &diag), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(back, data, len);
	free(back);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* Only the file itself: no temporary left beside it. */
	assert_int_equal(count_entries(t->dir), 1);

	/* Overwrite with less: the old bytes do not linger. */
	assert_int_equal(igdpt_file_write(t->path, data, 10, &diag), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), 0);
	assert_int_equal(len, 10);
	free(back);
}

static void test_read_empty(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 99;

	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"", 0, &diag), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), 0);
	assert_int_equal(len, 0);
	assert_non_null(back);
	free(back);
}

static void test_read_missing(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = (uint8_t *)&back;
	char err[256] = "", below[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 7;

	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), -ENOENT);
	/* What, where, why. */
	assert_non_null(strstr(err, t->path));
	assert_non_null(strstr(err, "cannot open"));
	assert_non_null(strstr(err, strerror(ENOENT)));
	/* Outputs untouched on failure. */
	assert_ptr_equal(back, (uint8_t *)&back);
	assert_int_equal(len, 7);
	/* No message buffer is fine too. */
	assert_int_equal(igdpt_file_read(t->path, &back, &len, NULL), -ENOENT);
	/* A path through a regular file. */
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"x", 1, &diag), 0);
	snprintf(below, sizeof(below), "%s/below", t->path);
	assert_int_equal(igdpt_file_read(below, &back, &len, &diag), -ENOTDIR);
}

static void test_read_directory(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;

	assert_int_equal(igdpt_file_read(t->dir, &back, &len, &diag), -EISDIR);
	assert_non_null(strstr(err, t->dir));
	assert_non_null(strstr(err, "not a file"));
}

static void test_read_too_large(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;
	int fd;

	/* A sparse file one byte over the limit: refused from its size. */
	fd = open(t->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)IGDPT_FILE_MAX_SIZE + 1), 0);
	close(fd);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), -EFBIG);
	assert_non_null(strstr(err, "too large"));

	/* Exactly the limit is fine. */
	assert_int_equal(truncate(t->path, (off_t)IGDPT_FILE_MAX_SIZE), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), 0);
	assert_int_equal(len, IGDPT_FILE_MAX_SIZE);
	free(back);
}

static void test_read_endless(void **state)
{
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;

	(void)state;
	/* A device that never ends is not read at all. */
	assert_int_equal(igdpt_file_read("/dev/zero", &back, &len, &diag), -EINVAL);
	assert_non_null(strstr(err, "/dev/zero: not a file: a character device"));
	assert_int_equal(igdpt_file_read("/dev/urandom", &back, &len, &diag), -EINVAL);
}

/* A FIFO with no writer would block open() and read() forever. */
static void test_read_fifo(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;

	assert_int_equal(mkfifo(t->path, 0644), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), -EINVAL);
	assert_non_null(strstr(err, "not a file: a FIFO (igdpt reads regular files only)"));
}

static void test_read_unreadable(void **state)
{
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;
	int ret;

	(void)state;
	/* Opens, but reading offset 0 fails, even for root. */
	ret = igdpt_file_read("/proc/self/mem", &back, &len, &diag);
	assert_true(ret < 0);
	assert_non_null(strstr(err, "cannot read"));
}

static void test_read_short_message_buffer(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[8];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;

	memset(err, 'x', sizeof(err));
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), -ENOENT);
	assert_int_equal(err[sizeof(err) - 1], 0);
	assert_ptr_equal(diag.reason, err);
}

/* Without a message buffer the reason is a static string saying what
 * failed; with one it is the buffer, naming the file and the cause. */
static void test_diag_without_buffer(void **state)
{
	struct tmp *t = *state;
	uint8_t *back = NULL;
	char err[256];
	struct igdpt_diag plain = IGDPT_DIAG_INIT, full = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;

	assert_int_equal(igdpt_file_read(t->path, &back, &len, &plain), -ENOENT);
	assert_string_equal(plain.reason, "cannot open");
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &full), -ENOENT);
	assert_ptr_equal(full.reason, err);
	assert_non_null(strstr(full.reason, t->path));
	assert_non_null(strstr(full.reason, "No such file or directory"));
	assert_int_equal(igdpt_file_read(t->path, &back, &len, NULL), -ENOENT);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"x", 1, &full), 0);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &full), 0);
	free(back);
}

static void test_write_missing_dir(void **state)
{
	struct tmp *t = *state;
	char path[256], err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	snprintf(path, sizeof(path), "%s/no/such/dir/out.bin", t->dir);
	assert_int_equal(igdpt_file_write(path, (const uint8_t *)"x", 1, &diag), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_int_equal(count_entries(t->dir), 0);
}

static void test_write_over_directory(void **state)
{
	struct tmp *t = *state;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	uint8_t *back;
	size_t len;

	/* A directory target is refused before anything is created. */
	assert_int_equal(mkdir(t->path, 0755), 0);
	{
		char inner[256];
		FILE *f;

		snprintf(inner, sizeof(inner), "%s/keep", t->path);
		f = fopen(inner, "w");
		assert_non_null(f);
		fclose(f);
	}
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"data", 4, &diag), -EISDIR);
	assert_non_null(strstr(err, "is a directory"));
	assert_int_equal(count_entries(t->dir), 1);
	assert_int_equal(count_entries(t->path), 1);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), -EISDIR);
}

/* The rename fails at the last step (the directory became read-only
 * after the copy was made is hard to stage; a target whose parent is not
 * writable fails at creation): either way nothing is left behind. */
static void test_write_unwritable_dir(void **state)
{
	struct tmp *t = *state;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	if (geteuid() == 0)
		skip(); /* root writes anyway */
	assert_int_equal(chmod(t->dir, 0555), 0);
	assert_true(igdpt_file_write(t->path, (const uint8_t *)"data", 4, &diag) < 0);
	assert_int_equal(chmod(t->dir, 0755), 0);
	assert_non_null(strstr(err, "cannot create"));
	assert_int_equal(count_entries(t->dir), 0);
}

/* An existing file keeps its mode; a new one gets 0666 less the umask. */
static void test_write_keeps_mode(void **state)
{
	struct tmp *t = *state;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	struct stat st;
	mode_t old;

	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"a", 1, &diag), 0);
	assert_int_equal(chmod(t->path, 0600), 0);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"bb", 2, &diag), 0);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 2);
	assert_int_equal(chmod(t->path, 0751), 0);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"c", 1, &diag), 0);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0751);
	assert_int_equal(unlink(t->path), 0);
	old = umask(077);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"d", 1, &diag), 0);
	umask(old);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(count_entries(t->dir), 1);
}

/* A symlink to a file stays a symlink; a dangling one is refused. */
static void test_write_through_symlink(void **state)
{
	struct tmp *t = *state;
	char err[256] = "", real[256], link[256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	uint8_t *back = NULL;
	size_t len = 0;
	struct stat st;

	snprintf(real, sizeof(real), "%s/real.bin", t->dir);
	snprintf(link, sizeof(link), "%s/link.bin", t->dir);
	assert_int_equal(igdpt_file_write(real, (const uint8_t *)"old", 3, &diag), 0);
	assert_int_equal(symlink("real.bin", link), 0);
	assert_int_equal(igdpt_file_write(link, (const uint8_t *)"new!", 4, &diag), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(igdpt_file_read(real, &back, &len, &diag), 0);
	assert_int_equal(len, 4);
	free(back);
	assert_int_equal(unlink(real), 0);
	assert_int_equal(igdpt_file_write(link, (const uint8_t *)"x", 1, &diag), -ENOENT);
	assert_non_null(strstr(err, "a symbolic link to nothing"));
	assert_int_equal(count_entries(t->dir), 1);
}

/* Device nodes and FIFOs are written through, never replaced. */
static void test_write_device_and_fifo(void **state)
{
	struct tmp *t = *state;
	char err[256] = "", buf[8] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	struct stat st;
	int fds[2], rd;

	assert_int_equal(igdpt_file_write("/dev/null", (const uint8_t *)"x", 1, &diag), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	/* A FIFO nobody reads: refused at once, not a hang. */
	assert_int_equal(mkfifo(t->path, 0644), 0);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"x", 1, &diag), -ENXIO);
	assert_non_null(strstr(err, "no process reads from it"));
	/* With a reader the bytes arrive and the FIFO stays one. */
	rd = open(t->path, O_RDONLY | O_NONBLOCK);
	assert_true(rd >= 0);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"fifo", 4, &diag), 0);
	assert_int_equal(read(rd, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "fifo", 4);
	close(rd);
	assert_int_equal(lstat(t->path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(count_entries(t->dir), 1);

	/* /dev/fd/N names an open pipe: written through as well. */
	assert_int_equal(pipe(fds), 0);
	{
		char name[64];

		snprintf(name, sizeof(name), "/dev/fd/%d", fds[1]);
		assert_int_equal(igdpt_file_write(name, (const uint8_t *)"pipe", 4, &diag), 0);
	}
	memset(buf, 0, sizeof(buf));
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "pipe", 4);
	close(fds[0]);
	close(fds[1]);
}

/* A socket or block device is no output. */
static void test_write_refuses_socket(void **state)
{
	struct tmp *t = *state;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);

	assert_int_equal(mknod(t->path, S_IFSOCK | 0644, 0), 0);
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"x", 1, &diag), -EINVAL);
	assert_non_null(strstr(err, "a socket"));
	assert_int_equal(count_entries(t->dir), 1);
}

static void test_write_fails_midway(void **state)
{
	struct tmp *t = *state;
	static uint8_t data[65536];
	struct rlimit old, small;
	uint8_t *back = NULL;
	char err[256] = "";
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	size_t len = 0;
	void (*old_handler)(int);
	int ret;

	/* An existing file that a failed write must not damage. */
	assert_int_equal(igdpt_file_write(t->path, (const uint8_t *)"old", 3, &diag), 0);
	memset(data, 0x42, sizeof(data));

	/* A file size limit makes write() fail with EFBIG part way. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 4096;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	ret = igdpt_file_write(t->path, data, sizeof(data), &diag);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);

	assert_int_equal(ret, -EFBIG);
	assert_non_null(strstr(err, "cannot write"));
	assert_int_equal(count_entries(t->dir), 1);
	assert_int_equal(igdpt_file_read(t->path, &back, &len, &diag), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(back, "old", 3);
	free(back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_endless, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_short_message_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_without_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_missing_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_over_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_unwritable_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_keeps_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_through_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_device_and_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_refuses_socket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails_midway, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
