/* SPDX-License-Identifier: MIT */
/* Argument vectors for igdpt vm's children (see vm_argv.h). */
#include "vm_argv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int vm_argv_add(struct vm_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->count + 2 > a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 32;
		char **grown = realloc(a->argv, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		a->argv = grown;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	a->argv[a->count++] = s;
	a->argv[a->count] = NULL;
	return 0;
}

void vm_argv_free(struct vm_argv *a)
{
	for (size_t i = 0; i < a->count; i++)
		free(a->argv[i]);
	free(a->argv);
	memset(a, 0, sizeof(*a));
}

void vm_argv_print(FILE *out, const struct vm_argv *a)
{
	static const char plain_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789-_=,./:+@%";

	for (size_t i = 0; i < a->count; i++) {
		const char *s = a->argv[i];
		bool plain = *s != 0 && strspn(s, plain_chars) == strlen(s);

		if (i)
			fputc(' ', out);
		if (plain) {
			fputs(s, out);
			continue;
		}
		fputc('\'', out);
		for (const char *p = s; *p; p++) {
			if (*p == '\'')
				fputs("'\\''", out);
			else
				fputc(*p, out);
		}
		fputc('\'', out);
	}
	fputc('\n', out);
}
