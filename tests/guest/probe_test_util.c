/* SPDX-License-Identifier: MIT */
/* Helpers shared by the probe tests (see probe_test_util.h). */
#include "probe_test_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

const char *probe_test_field(struct json_object *verdict, const char *path)
{
	struct json_object *obj = verdict, *next;
	char buf[128];
	char *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save)) {
		if (!json_object_object_get_ex(obj, key, &next))
			return NULL;
		obj = next;
	}
	return json_object_get_string(obj);
}

void probe_test_rmtree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

void probe_test_schema_check(const char *kind, const char *json_text)
{
	const char *source = getenv("IGDPT_SOURCE_ROOT");
	char path[] = "/tmp/igdpt-probe-json.XXXXXX", cmd[1024];
	int fd;

	assert_non_null(source);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, json_text, strlen(json_text)), (ssize_t)strlen(json_text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/lib/schema_check.py' %s '%s'", source, kind,
		 path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}
