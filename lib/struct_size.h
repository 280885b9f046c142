/* SPDX-License-Identifier: MIT */
/* Growable public structs (private to libigdpt): their first member is
 * size_t struct_size, the sizeof() the caller compiled against (the
 * IGDPT_*_INIT macros set it). A newer library reads a member only when the
 * caller's struct has it; 0 means the caller never initialized the struct,
 * which is refused (docs/library.md, "ABI"). */
#ifndef IGDPT_LIB_STRUCT_SIZE_H
#define IGDPT_LIB_STRUCT_SIZE_H

#include <stddef.h>
#include <string.h>

/* 1 when *ptr (of type `type`) was built with `member` in it. */
#define STRUCT_HAS(ptr, type, member) \
	((ptr)->struct_size >= offsetof(type, member) + sizeof(((type *)0)->member))

/* For an output struct: copies what the caller's *dst has room for
 * (dst->struct_size bytes) from the library's full *src, keeping
 * dst->struct_size. */
#define STRUCT_COPY_OUT(dst, src)                                                        \
	do {                                                                             \
		size_t struct_size_ = (dst)->struct_size;                                \
		memcpy((dst), (src),                                                     \
		       struct_size_ < sizeof(*(src)) ? struct_size_ : sizeof(*(src)));   \
		(dst)->struct_size = struct_size_;                                       \
	} while (0)

#endif
