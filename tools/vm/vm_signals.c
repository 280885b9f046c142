/* SPDX-License-Identifier: MIT */
/* Catching the signals that would end igdpt vm (see vm_signals.h). */
#include "vm_signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t caught;

/* Terminating by default and asynchronous: a user, a session, a pipe, a
 * timer or a resource limit sends them. SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT, SIGTRAP and SIGSYS mean a bug here: they keep their default. */
static const int terminating[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGPOLL,
	SIGPROF, SIGVTALRM, SIGXCPU, SIGXFSZ, SIGPWR, SIGSTKFLT,
};

static void on_signal(int sig)
{
	if (!caught)
		caught = sig;
}

/* A signal ignored when we started (nohup, a background job's SIGINT)
 * stays ignored, as the shell that started us asked. */
static void catch_signal(int sig, const struct sigaction *sa)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

void vm_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	caught = 0;
	for (size_t i = 0; i < sizeof(terminating) / sizeof(terminating[0]); i++)
		catch_signal(terminating[i], &sa);
	/* Real-time signals terminate by default too. */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		catch_signal(sig, &sa);
}

int vm_signals_caught(void)
{
	return caught;
}

const char *vm_signal_name(int sig, char *buf, size_t size)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		snprintf(buf, size, "SIG%s", abbrev);
	else
		snprintf(buf, size, "signal %d", sig);
	return buf;
}
