/* SPDX-License-Identifier: MIT */
/* Helpers shared by the probe tests: reading the probe's JSON verdict and
 * removing a scratch tree. */
#ifndef IGDPT_TESTS_PROBE_TEST_UTIL_H
#define IGDPT_TESTS_PROBE_TEST_UTIL_H

#include <json-c/json.h>

/* The value at a dotted path ("memmap.start") of a verdict, as a string;
 * NULL when a key is missing. */
const char *probe_test_field(struct json_object *verdict, const char *path);

/* rm -rf dir, asserting it worked. */
void probe_test_rmtree(const char *dir);

/* Validates json_text against docs/schema/KIND.schema.json with
 * tests/lib/schema_check.py (needs $IGDPT_SOURCE_ROOT); fails the test when
 * it does not match. */
void probe_test_schema_check(const char *kind, const char *json_text);

#endif
