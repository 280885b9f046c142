/* SPDX-License-Identifier: MIT */
/* Hosted failure messages in the caller's diag buffer. */
#include "diag_message.h"

#include <stdarg.h>
#include <stdio.h>

int diag_failf(struct igdpt_diag *diag, int ret, const char *fallback, const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return ret;
	if (diag->message && diag->message_size) {
		va_start(ap, fmt);
		vsnprintf(diag->message, diag->message_size, fmt, ap);
		va_end(ap);
		diag->reason = diag->message;
	} else {
		diag->reason = fallback;
	}
	return ret;
}

char *diag_message_buf(struct igdpt_diag *diag, size_t *size)
{
	if (!diag || !diag->message || !diag->message_size) {
		*size = 0;
		return NULL;
	}
	diag->message[0] = '\0';
	*size = diag->message_size;
	return diag->message;
}

int diag_message_done(struct igdpt_diag *diag, int ret, const char *fallback)
{
	if (!diag)
		return ret;
	if (ret >= 0)
		diag->reason = NULL;
	else if (diag->message && diag->message_size && diag->message[0])
		diag->reason = diag->message;
	else
		diag->reason = fallback;
	return ret;
}
