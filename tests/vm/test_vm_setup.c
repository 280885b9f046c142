/* SPDX-License-Identifier: MIT */
/* Unit tests for a run's setup (tools/vm/vm_setup.c): the private work
 * directory, the published files, room for the logs, and the --keep-logs
 * destination refused before boot (under a regular file, not a directory,
 * too little space) with what and why. */
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

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "vm_setup.h"

struct fixture {
	char dir[64];
	char err[PATH_MAX + 512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/igdpt-vm-setup.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	setenv("TMPDIR", f->dir, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	unsetenv("TMPDIR");
	free(f);
	return 0;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Nothing left of a run's directory after remove. */
static void test_workdir(void **state)
{
	struct fixture *f = *state;
	struct vm_workdir w;

	assert_int_equal(vm_workdir_create(&w, f->err, sizeof(f->err)), 0);
	assert_int_equal(strncmp(w.dir, f->dir, strlen(f->dir)), 0);
	assert_non_null(strstr(w.dir, "/igdpt-vm."));
	assert_int_equal(vm_workdir_check_space(&w, 4096, f->err, sizeof(f->err)), 0);
	assert_int_equal(vm_workdir_check_space(&w, UINT64_MAX / 2, f->err, sizeof(f->err)),
			 -ENOSPC);
	assert_non_null(strstr(f->err, "No space left on device"));
	assert_int_equal(strncmp(f->err, "TMPDIR ", 7), 0);
	assert_int_equal(strncmp(f->err + 7, f->dir, strlen(f->dir)), 0);
	assert_false(vm_workdir_full(&w));
	close(open(w.device_log, O_CREAT | O_WRONLY, 0644));
	vm_workdir_remove(&w);
	assert_false(exists(w.device_log));
	vm_workdir_remove(&w); /* twice is harmless */

	setenv("TMPDIR", "/nonexistent/tmp", 1);
	assert_int_equal(vm_workdir_create(&w, f->err, sizeof(f->err)), -ENOENT);
	assert_string_equal(f->err, "cannot create a temporary directory in /nonexistent/tmp: No "
				    "such file or directory");
	vm_workdir_remove(&w);
	setenv("TMPDIR", f->dir, 1);
}

static void test_keep_logs_refused(void **state)
{
	struct fixture *f = *state;
	char file[128], under[160], fresh[160];
	bool created;

	snprintf(file, sizeof(file), "%s/regular", f->dir);
	close(open(file, O_CREAT | O_WRONLY, 0644));
	snprintf(under, sizeof(under), "%s/sub/dir", file);
	assert_int_equal(vm_keep_logs_check(under, 4096, &created, f->err, sizeof(f->err)),
			 -ENOTDIR);
	assert_false(created);
	assert_string_equal(f->err + strlen(f->err) - strlen(": cannot create: Not a directory"),
			    ": cannot create: Not a directory");
	assert_int_equal(vm_keep_logs_check(file, 4096, &created, f->err, sizeof(f->err)),
			 -ENOTDIR);
	assert_non_null(strstr(f->err, "Not a directory"));

	/* Too little space: refused, and the directory it made is gone again. */
	snprintf(fresh, sizeof(fresh), "%s/logs/a", f->dir);
	assert_int_equal(vm_keep_logs_check(fresh, UINT64_MAX / 2, &created, f->err,
					    sizeof(f->err)), -ENOSPC);
	assert_false(created);
	assert_false(exists(fresh));
	assert_non_null(strstr(f->err, "No space left on device"));

	/* Fine: made, and the test write leaves nothing behind. */
	assert_int_equal(vm_keep_logs_check(fresh, 4096, &created, f->err, sizeof(f->err)), 0);
	assert_true(created);
	assert_true(exists(fresh));
	assert_int_equal(rmdir(fresh), 0); /* empty */
	assert_int_equal(mkdir(fresh, 0755), 0);
	assert_int_equal(vm_keep_logs_check(fresh, 4096, &created, f->err, sizeof(f->err)), 0);
	assert_false(created);
	vm_keep_logs_abandon(fresh, created);
	assert_true(exists(fresh));
	vm_keep_logs_abandon(fresh, true);
	assert_false(exists(fresh));
}

static void test_publish(void **state)
{
	struct fixture *f = *state;
	struct vm_options o = { .source = VM_SOURCE_REFERENCE, .stolen_size = 64u << 20 };
	char kept[160], path[PATH_MAX + 32];
	struct vm_image img;
	struct vm_workdir w;
	uint8_t le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];
	FILE *in;

	assert_int_equal(vm_workdir_create(&w, f->err, sizeof(f->err)), 0);
	assert_int_equal(vm_image_load(&o, &img, f->err, sizeof(f->err)), 0);
	assert_string_equal(img.source, "reference");
	assert_int_equal(img.parse_ret, 0);
	assert_int_equal(vm_image_publish(&o, &img, &w, f->err, sizeof(f->err)), 0);
	/* The reference image announces SWSCI; the guest copy does not. */
	assert_true(img.policy_ret > 0);
	assert_int_equal(img.published[IGDPT_OPREGION_MBOX_OFFSET] & 2, 0);
	assert_true(vm_file_unchanged(w.published, img.published, img.published_len));
	in = fopen(w.stolen_size, "rb");
	assert_non_null(in);
	assert_int_equal(fread(le, 1, sizeof(le), in), sizeof(le));
	assert_int_equal(fgetc(in), EOF);
	fclose(in);
	assert_int_equal(le[3], 0x04); /* 64 MiB = 0x04000000, little-endian */

	snprintf(kept, sizeof(kept), "%s/kept", f->dir);
	assert_int_equal(vm_keep_logs_copy(&w, kept, f->err, sizeof(f->err)), 0);
	snprintf(path, sizeof(path), "%s/published-opregion.bin", kept);
	assert_true(vm_file_unchanged(path, img.published, img.published_len));
	vm_image_free(&img);
	vm_workdir_remove(&w);

	o.source = VM_SOURCE_FILE;
	o.image = "/nonexistent/opregion.bin";
	assert_true(vm_image_load(&o, &img, f->err, sizeof(f->err)) < 0);
	assert_non_null(strstr(f->err, "/nonexistent/opregion.bin"));
	vm_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_workdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_logs_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
