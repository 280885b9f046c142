/* SPDX-License-Identifier: MIT */
/* The vfio-user transport's event loop: the listening socket, the one
 * client, and SIGTERM/SIGINT. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "igdpt/abi/events.h"
#include "vfio_user.h"

int igdpt_vfu_listen(const char *path, int *fd, char *err, size_t err_size)
{
	struct sockaddr_un addr;
	int s;

	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (!*path || strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, err_size, "%s: not a socket path of 1 to %zu bytes", path,
			 sizeof(addr.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		snprintf(err, err_size, "socket: %s", strerror(errno));
		return -errno;
	}
	/* bind() refuses an existing file: a stale socket or anything else
	 * there stays the caller's to remove. */
	if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(s, 1) < 0) {
		int e = errno;

		snprintf(err, err_size, "%s: cannot listen: %s%s", path, strerror(e),
			 e == EADDRINUSE ? " (the file exists: remove it or choose another path)"
					 : "");
		close(s);
		return -e;
	}
	*fd = s;
	return 0;
}

int igdpt_vfu_accept(int lfd, int sigfd, int *signo)
{
	for (;;) {
		struct pollfd pfd[2] = {{.fd = lfd, .events = POLLIN}, {.fd = sigfd, .events = POLLIN}};
		int s;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
				si.ssi_signo = 0;
			*signo = (int)si.ssi_signo;
			return -EINTR;
		}
		s = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (s >= 0)
			return s;
		if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN)
			return -errno;
	}
}

const char *igdpt_vfu_signal_reason(int signo)
{
	return signo == SIGTERM ? IGDPT_EV_CLOSED_SIGTERM
	       : signo == SIGINT ? IGDPT_EV_CLOSED_SIGINT
				 : IGDPT_EV_CLOSED_SIGNAL;
}

/* One client, strictly in order: waiting in recvmsg itself saves a poll()
 * per request. The signals in mask are unblocked for that time and
 * interrupt the wait (EINTR; their handler sets *stop). A signal that comes
 * between the check of *stop and the start of recvmsg would not interrupt
 * it: the handler also shuts the socket down for reading (vfio_user.h), so
 * that recvmsg returns at once. A receive timeout would close the gap too,
 * but arms a kernel timer for every wait: a tenth of the CPU a request
 * costs (bench/device_access.py). */
void igdpt_vfu_serve(struct igdpt_vfu *vfu, const sigset_t *mask, volatile sig_atomic_t *stop)
{
	if (vfu->state != IGDPT_VFU_OPEN)
		return;
	*stop = 0;
	sigprocmask(SIG_UNBLOCK, mask, NULL); /* a pending signal is handled here */
	igdpt_vfu_serve_blocking(vfu, stop);
	sigprocmask(SIG_BLOCK, mask, NULL);
	if (*stop)
		igdpt_vfu_close(vfu, igdpt_vfu_signal_reason(*stop), IGDPT_VFU_PEER_CLOSED);
}
