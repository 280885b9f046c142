/* SPDX-License-Identifier: MIT */
/* How igdpt's public headers declare their API: C linkage for C++ callers,
 * default visibility for what libigdpt.so exports (the library is built with
 * -fvisibility=hidden, so only what a public header declares between
 * IGDPT_BEGIN_DECLS and IGDPT_END_DECLS is exported), and a compile-time
 * assertion that works in C11 and C++11. Freestanding: no includes. */
#ifndef IGDPT_CORE_API_H
#define IGDPT_CORE_API_H

#if defined(__GNUC__) || defined(__clang__)
#define IGDPT_VISIBILITY_PUSH _Pragma("GCC visibility push(default)")
#define IGDPT_VISIBILITY_POP _Pragma("GCC visibility pop")
#else
#define IGDPT_VISIBILITY_PUSH
#define IGDPT_VISIBILITY_POP
#endif

#ifdef __cplusplus
#define IGDPT_BEGIN_DECLS extern "C" { IGDPT_VISIBILITY_PUSH
#define IGDPT_END_DECLS IGDPT_VISIBILITY_POP }
#define IGDPT_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define IGDPT_BEGIN_DECLS IGDPT_VISIBILITY_PUSH
#define IGDPT_END_DECLS IGDPT_VISIBILITY_POP
#define IGDPT_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#endif
