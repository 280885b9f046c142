/* SPDX-License-Identifier: MIT */
/* QEMU's version remembered per binary (tools/vm/vm_version_cache.c): an
 * entry serves until the binary changes (from the binary as it was when
 * QEMU was asked, not when the answer was recorded), a damaged or foreign
 * entry is ignored, and a cache that is off or cannot be written only means
 * asking QEMU again. */
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
#include <errno.h>
#include <limits.h>

#include "vm_transport.h"
#include "vm_version_cache.h"

static char dir[64];
static char binary[PATH_MAX], entries[PATH_MAX];

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/igdpt-test-version-cache.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(binary, sizeof(binary), "%s/qemu-system-x86_64", dir);
	write_text(binary, "#!/bin/sh\necho 'QEMU emulator version 9.2.0'\n");
	/* The cache root; the entries are under igdpt/qemu-version/. */
	snprintf(entries, sizeof(entries), "%s/cache", dir);
	setenv("XDG_CACHE_HOME", entries, 1);
	unsetenv("IGDPT_QEMU_VERSION_CACHE");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The entry each get names and the following put records into. */
static struct vm_version_cache_entry e;

static struct vm_qemu_version version(const char *text)
{
	struct vm_qemu_version v;
	char line[64];

	snprintf(line, sizeof(line), VM_QEMU_VERSION_LINE "%s", text);
	assert_int_equal(vm_qemu_version_parse(line, &v), 0);
	return v;
}

/* What igdpt vm does without a current entry: get misses (and names the
 * entry), QEMU answers v, put records it. */
static void asked(const struct vm_qemu_version *v)
{
	struct vm_qemu_version got;

	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	vm_version_cache_put(&e, v);
}

/* The only entry file under the cache root. */
static void entry_file(char *out, size_t size)
{
	char cmd[PATH_MAX + 64];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls -d '%s'/igdpt/qemu-version/*", entries);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)size, p));
	out[strcspn(out, "\n")] = 0;
	pclose(p);
}

static void test_entry_serves_until_the_binary_changes(void **state)
{
	struct vm_qemu_version v = version("9.2.0"), got;

	(void)state;
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), 0);
	assert_string_equal(got.text, "9.2.0");
	assert_int_equal(got.major, 9);
	assert_int_equal(got.minor, 2);
	/* An upgrade replaces the binary: size and times differ. */
	write_text(binary, "#!/bin/sh\necho 'QEMU emulator version 11.1.3'\n");
	v = version("11.1.3");
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), 0);
	assert_string_equal(got.text, "11.1.3");
	/* Replaced again while it answered: the entry names the binary as it
	 * was asked, so the new one is asked in turn. */
	write_text(binary, "#!/bin/sh\necho 'QEMU emulator version 12.0.0' # new\n");
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	write_text(binary, "#!/bin/sh\necho 'QEMU emulator version 12.0.1' # newer still\n");
	v = version("12.0.0");
	vm_version_cache_put(&e, &v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
}

static void test_damaged_entry_is_ignored(void **state)
{
	struct vm_qemu_version v = version("7.2.22"), got;
	char path[PATH_MAX];

	(void)state;
	asked(&v);
	entry_file(path, sizeof(path));
	write_text(path, "garbage\n");
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	/* Another binary's entry under this name (a hash collision). */
	write_text(path, "/usr/bin/other\n1 2 3 4.0 5.0\nversion 7.2.22\n");
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	/* The right identity, but no version. */
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), 0);
	{
		FILE *f = fopen(path, "r+");
		char text[PATH_MAX + 256];
		size_t n;

		assert_non_null(f);
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = 0;
		strcpy(strstr(text, "version "), "version x.y\n");
		write_text(path, text);
	}
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
}

static void test_cache_off_or_unwritable(void **state)
{
	struct vm_qemu_version v = version("7.2.22"), got;

	(void)state;
	setenv("IGDPT_QEMU_VERSION_CACHE", "off", 1);
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	unsetenv("IGDPT_QEMU_VERSION_CACHE");
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	/* A cache root that is a file: nothing written, nothing served. */
	setenv("XDG_CACHE_HOME", binary, 1);
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	/* No cache root at all. */
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "relative", 1);
	asked(&v);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
	/* A binary that is gone. */
	setenv("XDG_CACHE_HOME", entries, 1);
	asked(&v);
	unlink(binary);
	assert_int_equal(vm_version_cache_get(binary, &e, &got), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_entry_serves_until_the_binary_changes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_damaged_entry_is_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_off_or_unwritable, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
