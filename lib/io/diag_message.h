/* SPDX-License-Identifier: MIT */
/* Hosted failures in struct igdpt_diag (private to libigdpt): a message
 * formatted into the caller's buffer, or a static fallback without one. */
#ifndef IGDPT_LIB_IO_DIAG_MESSAGE_H
#define IGDPT_LIB_IO_DIAG_MESSAGE_H

#include <stddef.h>

#include "igdpt/core/diag.h"

/* Records a failure: formats fmt into diag's message buffer and points
 * reason at it; without a buffer, reason = fallback (a static string).
 * Returns ret. diag may be NULL. */
int diag_failf(struct igdpt_diag *diag, int ret, const char *fallback, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* For code that builds its message in a plain (buffer, size) pair: the
 * buffer to hand it (NULL and 0 without one)... */
char *diag_message_buf(struct igdpt_diag *diag, size_t *size);
/* ...and after it returned ret: on failure reason = the message it wrote,
 * or fallback when it wrote none; on success reason = NULL. Returns ret. */
int diag_message_done(struct igdpt_diag *diag, int ret, const char *fallback);

#endif
