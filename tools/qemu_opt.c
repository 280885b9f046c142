/* SPDX-License-Identifier: MIT */
/* QEMU option values: a literal comma is written twice. */
#include "qemu_opt.h"

#include <stdlib.h>
#include <string.h>

char *qemu_opt_escape(const char *s)
{
	size_t commas = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		commas += *p == ',';
	out = malloc(strlen(s) + commas + 1);
	if (!out)
		return NULL;
	o = out;
	for (const char *p = s; *p; p++) {
		*o++ = *p;
		if (*p == ',')
			*o++ = ',';
	}
	*o = '\0';
	return out;
}
