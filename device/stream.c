/* SPDX-License-Identifier: MIT */
/* Buffered reading and sending of messages with fds on a UNIX stream socket,
 * for both transports (stream.h). */
#include "stream.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void igdpt_stream_reader_reset(struct igdpt_stream_reader *rd)
{
	for (unsigned i = 0; i < rd->nfds; i++)
		close(rd->fds[i]);
	memset(rd, 0, sizeof(*rd));
}

static bool holds_fds(const struct igdpt_stream_reader *rd)
{
	return rd->nfds || rd->too_many_fds;
}

int igdpt_stream_claim_fds(struct igdpt_stream_reader *rd, size_t end, int *fds,
			   unsigned *nfds)
{
	bool too_many = rd->too_many_fds;

	*nfds = 0;
	if (!holds_fds(rd) || rd->fds_at >= end)
		return 0;
	memcpy(fds, rd->fds, rd->nfds * sizeof(int));
	*nfds = rd->nfds;
	rd->nfds = 0;
	rd->too_many_fds = false;
	return too_many ? -EPROTO : 0;
}

/* Takes the fds of every SCM_RIGHTS header, keeping up to max_fds; they
 * came with the bytes up to buffer offset last. */
static void take_fds(struct igdpt_stream_reader *rd, unsigned max_fds, struct msghdr *mh,
		     size_t last)
{
	bool any = (mh->msg_flags & MSG_CTRUNC) != 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t n;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			any = true;
			if (rd->nfds < max_fds) {
				rd->fds[rd->nfds++] = fd;
			} else {
				rd->too_many_fds = true;
				close(fd);
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		rd->too_many_fds = true;
	if (any)
		rd->fds_at = last;
}

/* How many bytes the next recvmsg may take. */
static size_t room(const struct igdpt_stream_reader *rd, const uint8_t *buf,
		   const struct igdpt_stream_framing *framing)
{
	if (!holds_fds(rd))
		return framing->buf_size - rd->have;
	/* The message at the front holds fds: read no further than its end, so
	 * fds that come next belong to it or to a later message, never to
	 * both. A complete header passed the transport's checks, so its size
	 * is bounded. */
	if (rd->have < framing->hdr_size)
		return framing->hdr_size - rd->have;
	return framing->message_size(buf) - rd->have;
}

int igdpt_stream_fill(struct igdpt_stream_reader *rd, uint8_t *buf,
		      const struct igdpt_stream_framing *framing, int sock, bool wait,
		      const char **reason)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(IGDPT_STREAM_FD_ROOM * sizeof(int))];
	} control;
	struct iovec iov;
	struct msghdr mh;
	ssize_t n;

	/* What is left of the next message moves to the front (usually
	 * nothing: a request arrives whole). */
	if (rd->start) {
		memmove(buf, buf + rd->start, rd->have - rd->start);
		rd->have -= rd->start;
		rd->fds_at -= holds_fds(rd) ? rd->start : 0;
		rd->start = 0;
	}
	iov.iov_len = room(rd, buf, framing);
	for (;;) {
		iov.iov_base = buf + rd->have;
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = control.buf;
		mh.msg_controllen = sizeof(control.buf);
		n = recvmsg(sock, &mh, (wait ? 0 : MSG_DONTWAIT) | MSG_CMSG_CLOEXEC);
		if (n >= 0)
			break;
		if (errno == EINTR) {
			if (wait)
				return 0; /* the caller checks why it was woken */
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno != ECONNRESET) {
			*reason = "cannot read from the socket";
			return -errno;
		}
		n = 0; /* a reset peer is a closed peer */
		mh.msg_controllen = 0;
		mh.msg_flags = 0;
		break;
	}
	rd->have += (size_t)n;
	if (mh.msg_controllen || (mh.msg_flags & MSG_CTRUNC))
		take_fds(rd, framing->max_fds, &mh, rd->have ? rd->have - 1 : 0);
	if (n == 0) {
		if (rd->have == 0 && !holds_fds(rd))
			return -EPIPE;
		*reason = rd->have < framing->hdr_size
				  ? "connection closed inside a message header (truncated header)"
				  : "connection closed inside a payload (size larger than what arrived)";
		return -EPROTO;
	}
	return 1;
}

ssize_t igdpt_stream_send_once(int sock, const uint8_t *buf, size_t len, const int *fds,
			       unsigned nfds, int flags)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(IGDPT_STREAM_FD_ROOM * sizeof(int))];
	} control;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh;
	ssize_t n;

	if (nfds > IGDPT_STREAM_FD_ROOM)
		return -EINVAL;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds) {
		struct cmsghdr *c;

		memset(&control, 0, sizeof(control));
		mh.msg_control = control.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	n = sendmsg(sock, &mh, MSG_NOSIGNAL | flags);
	return n < 0 ? -errno : n;
}
