/* SPDX-License-Identifier: MIT */
/* Growable public structs (private to libigdpt): their first member is
 * size_t struct_size, the sizeof() the caller compiled against (the
 * IGDPT_*_INIT macros set it). A newer library reads a member only when the
 * caller's struct has it; 0 means the caller never initialized the struct,
 * which is refused (docs/library.md, "ABI"). */
#ifndef IGDPT_LIB_STRUCT_SIZE_H
#define IGDPT_LIB_STRUCT_SIZE_H

#include <stddef.h>

/* 1 when *ptr (of type `type`) was built with `member` in it. */
#define STRUCT_HAS(ptr, type, member) \
	((ptr)->struct_size >= offsetof(type, member) + sizeof(((type *)0)->member))

#endif
