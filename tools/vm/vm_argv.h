/* SPDX-License-Identifier: MIT */
/* Argument vectors for igdpt vm's children (QEMU, igdpt-device): growable,
 * printable as one shell line for --keep-logs. (QEMU's option-value
 * escaping: tools/qemu_opt.h.) */
#ifndef IGDPT_TOOLS_VM_ARGV_H
#define IGDPT_TOOLS_VM_ARGV_H

#include <stddef.h>
#include <stdio.h>

/* A growable NULL-terminated argument vector; zero-initialised is empty. */
struct vm_argv {
	char **argv;
	size_t count, cap;
};

/* Appends one argument formatted like printf. 0 or -ENOMEM. */
int vm_argv_add(struct vm_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_argv_free(struct vm_argv *a);
/* Writes the vector as one shell-quoted line plus a newline. */
void vm_argv_print(FILE *out, const struct vm_argv *a);

#endif
