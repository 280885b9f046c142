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

#endif
