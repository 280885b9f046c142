/* SPDX-License-Identifier: MIT */
/* The proxy transport's event loop: every connection until all have ended
 * or SIGTERM/SIGINT asks the device to stop. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "igdpt/abi/events.h"
#include "proxy.h"

/* A signal that arrives between the check of *stop and the start of
 * recvmsg does not interrupt it; the receive timeout bounds how long it can
 * go unnoticed on an idle connection (a busy one checks after each message). */
#define BLOCKING_RECV_TIMEOUT_USEC 200000

static void close_all(struct igdpt_proxy *px, int signo)
{
	const char *why = signo == SIGTERM ? IGDPT_EV_CLOSED_SIGTERM
			  : signo == SIGINT ? IGDPT_EV_CLOSED_SIGINT
					    : IGDPT_EV_CLOSED_SIGNAL;

	for (unsigned i = 0; i < px->count; i++)
		igdpt_proxy_close(px, i, why, IGDPT_PROXY_PEER_CLOSED);
}

/* With one open connection, waiting in recvmsg itself saves a poll() per
 * request: QEMU's proxy is strictly request/reply, so each config access
 * costs one recvmsg and one sendmsg. The signals in mask are unblocked for
 * that time and interrupt the wait (EINTR; their handler sets *stop)
 * instead of reaching the signalfd. Returns true when a signal ended it. */
static bool serve_alone(struct igdpt_proxy *px, unsigned index, const sigset_t *mask,
			volatile sig_atomic_t *stop)
{
	const struct timeval timeout = {.tv_sec = 0, .tv_usec = BLOCKING_RECV_TIMEOUT_USEC};
	int sock = px->conns[index].sock;

	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
		return false; /* the caller polls instead */
	*stop = 0;
	sigprocmask(SIG_UNBLOCK, mask, NULL); /* a pending signal is handled here */
	igdpt_proxy_serve_blocking(px, index, stop);
	sigprocmask(SIG_BLOCK, mask, NULL);
	if (!*stop)
		return false;
	close_all(px, *stop);
	return true;
}

void igdpt_proxy_serve(struct igdpt_proxy *px, int sigfd, const sigset_t *mask,
		       volatile sig_atomic_t *stop)
{
	while (igdpt_proxy_open_count(px) > 0) {
		struct pollfd pfd[IGDPT_FUNCTION_COUNT + 1];
		unsigned owner[IGDPT_FUNCTION_COUNT + 1];
		unsigned n = 0;

		for (unsigned i = 0; i < px->count; i++) {
			if (px->conns[i].state != IGDPT_PROXY_OPEN)
				continue;
			pfd[n].fd = px->conns[i].sock;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			owner[n++] = i;
		}
		/* Two connections need poll(): a read blocked on one would starve
		 * the other. */
		if (n == 1) {
			if (serve_alone(px, owner[0], mask, stop))
				return;
			if (igdpt_proxy_open_count(px) == 0)
				return;
		}
		pfd[n].fd = sigfd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("igdpt-device: poll");
			return;
		}
		if (pfd[n].revents) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
				si.ssi_signo = 0;
			close_all(px, (int)si.ssi_signo);
			return;
		}
		for (unsigned k = 0; k < n; k++)
			if (pfd[k].revents)
				igdpt_proxy_service(px, owner[k]);
	}
}
