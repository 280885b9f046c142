/* SPDX-License-Identifier: MIT */
/* The errno values the core returns, spelled without <errno.h> so the core
 * builds freestanding. They equal Linux's values; tests/core/test_bytes.c
 * asserts that against the C library's. */
#ifndef IGDPT_ERRNO_H
#define IGDPT_ERRNO_H

#define IGDPT_ENOENT 2
#define IGDPT_EIO 5
#define IGDPT_ENOMEM 12
#define IGDPT_ENODEV 19
#define IGDPT_EINVAL 22
#define IGDPT_ENOSPC 28
#define IGDPT_ERANGE 34

#endif
