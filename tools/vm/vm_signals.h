/* SPDX-License-Identifier: MIT */
/* igdpt vm and the signals that would end it: every catchable signal whose
 * default is to terminate (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, ...;
 * not the faults a bug raises) is caught and remembered, so the run stops
 * its children in order, removes its temporary directory and exits
 * 128 + the signal number, instead of dying with debris left behind. */
#ifndef IGDPT_TOOLS_VM_SIGNALS_H
#define IGDPT_TOOLS_VM_SIGNALS_H

#include <stddef.h>

/* Installs the handlers (no SA_RESTART: a blocking wait returns early). */
void vm_signals_install(void);
/* The first signal caught since install, or 0. */
int vm_signals_caught(void);
/* "SIGINT" into buf; "signal 42" when it has no name. */
const char *vm_signal_name(int sig, char *buf, size_t size);

#endif
