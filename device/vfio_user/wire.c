/* SPDX-License-Identifier: MIT */
/* vfio-user framing: reading messages with their fds, sending replies.
 *
 * The header alone bounds a message: each command has a largest payload
 * (a REGION_WRITE carries at most max_data_xfer_size bytes, a DMA_MAP
 * exactly its 32), so a peer cannot make the device wait for, or buffer, a
 * payload no client sends. Exact payload sizes and fd counts are the
 * dispatcher's checks (vfio_user.c). */
#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "igdpt/core/bytes.h"

/* Room for twice the fds a message may carry, so an excess is seen. */
#define CMSG_FD_ROOM (2u * IGDPT_VFU_MAX_MSG_FDS)
/* SET_IRQS data: one byte per interrupt of the range (DATA_BOOL). */
#define IRQ_SET_MAX_DATA 64u
/* REGION_WRITE_MULTI: QEMU batches at most 200 writes. */
#define WRITE_MULTI_MAX_ENTRIES 200u

static const char *const command_names[IGDPT_VFU_COMMAND_MAX + 1] = {
	[IGDPT_VFU_VERSION] = "VERSION",
	[IGDPT_VFU_DMA_MAP] = "DMA_MAP",
	[IGDPT_VFU_DMA_UNMAP] = "DMA_UNMAP",
	[IGDPT_VFU_DEVICE_GET_INFO] = "DEVICE_GET_INFO",
	[IGDPT_VFU_DEVICE_GET_REGION_INFO] = "DEVICE_GET_REGION_INFO",
	[IGDPT_VFU_DEVICE_GET_REGION_IO_FDS] = "DEVICE_GET_REGION_IO_FDS",
	[IGDPT_VFU_DEVICE_GET_IRQ_INFO] = "DEVICE_GET_IRQ_INFO",
	[IGDPT_VFU_DEVICE_SET_IRQS] = "DEVICE_SET_IRQS",
	[IGDPT_VFU_REGION_READ] = "REGION_READ",
	[IGDPT_VFU_REGION_WRITE] = "REGION_WRITE",
	[IGDPT_VFU_DMA_READ] = "DMA_READ",
	[IGDPT_VFU_DMA_WRITE] = "DMA_WRITE",
	[IGDPT_VFU_DEVICE_RESET] = "DEVICE_RESET",
	[IGDPT_VFU_DIRTY_PAGES] = "DIRTY_PAGES",
	[IGDPT_VFU_REGION_WRITE_MULTI] = "REGION_WRITE_MULTI",
	[IGDPT_VFU_DEVICE_FEATURE] = "DEVICE_FEATURE",
	[IGDPT_VFU_MIG_DATA_READ] = "MIG_DATA_READ",
	[IGDPT_VFU_MIG_DATA_WRITE] = "MIG_DATA_WRITE",
};

const char *igdpt_vfu_command_name(uint16_t command)
{
	if (command > IGDPT_VFU_COMMAND_MAX || !command_names[command])
		return "unknown";
	return command_names[command];
}

/* The largest payload a client's message of this command can have; 0 for
 * a command a client never sends (the header check refuses it). */
static uint32_t max_payload(uint16_t command)
{
	switch (command) {
	case IGDPT_VFU_VERSION:
		return IGDPT_VFU_VERSION_DATA_OFFSET + IGDPT_VFU_MAX_VERSION_JSON;
	case IGDPT_VFU_DMA_MAP:
		return IGDPT_VFU_DMA_MAP_SIZE;
	case IGDPT_VFU_DMA_UNMAP:
		return IGDPT_VFU_DMA_UNMAP_SIZE;
	case IGDPT_VFU_DEVICE_GET_INFO:
		return IGDPT_VFU_DEVICE_INFO_SIZE;
	case IGDPT_VFU_DEVICE_GET_REGION_INFO:
		return IGDPT_VFU_REGION_INFO_SIZE;
	case IGDPT_VFU_DEVICE_GET_IRQ_INFO:
		return IGDPT_VFU_IRQ_INFO_SIZE;
	case IGDPT_VFU_DEVICE_SET_IRQS:
		return IGDPT_VFU_IRQ_SET_SIZE + IRQ_SET_MAX_DATA;
	case IGDPT_VFU_REGION_READ:
		return IGDPT_VFU_REGION_RW_SIZE;
	case IGDPT_VFU_REGION_WRITE:
		return IGDPT_VFU_REGION_RW_SIZE + IGDPT_VFU_MAX_DATA_XFER;
	case IGDPT_VFU_DEVICE_RESET:
		return 0;
	case IGDPT_VFU_REGION_WRITE_MULTI:
		return IGDPT_VFU_WRITE_MULTI_HEAD_SIZE +
		       WRITE_MULTI_MAX_ENTRIES * IGDPT_VFU_WRITE_MULTI_ENTRY_SIZE;
	/* Specified, not implemented: read whole and answered ENOTSUP. */
	case IGDPT_VFU_DEVICE_GET_REGION_IO_FDS:
	case IGDPT_VFU_DIRTY_PAGES:
	case IGDPT_VFU_DEVICE_FEATURE:
	case IGDPT_VFU_MIG_DATA_READ:
	case IGDPT_VFU_MIG_DATA_WRITE:
		return IGDPT_VFU_MAX_MSG_SIZE - IGDPT_VFU_HDR_SIZE;
	default:
		return 0;
	}
}

static bool command_from_client(uint16_t command)
{
	return command >= IGDPT_VFU_VERSION && command <= IGDPT_VFU_COMMAND_MAX &&
	       command != IGDPT_VFU_DMA_READ && command != IGDPT_VFU_DMA_WRITE;
}

int igdpt_vfu_check_header(const uint8_t *hdr, const char **reason)
{
	uint16_t command = igdpt_le16(hdr + IGDPT_VFU_HDR_COMMAND_OFFSET);
	uint32_t size = igdpt_le32(hdr + IGDPT_VFU_HDR_SIZE_OFFSET);
	uint32_t flags = igdpt_le32(hdr + IGDPT_VFU_HDR_FLAGS_OFFSET);

	if (!command_from_client(command)) {
		*reason = command == IGDPT_VFU_DMA_READ || command == IGDPT_VFU_DMA_WRITE
				  ? "DMA_READ/DMA_WRITE sent to the server (only a server sends them)"
				  : "unknown command";
		return -EPROTO;
	}
	if ((flags & IGDPT_VFU_FLAG_TYPE_MASK) != IGDPT_VFU_FLAG_TYPE_COMMAND ||
	    (flags & IGDPT_VFU_FLAG_ERROR)) {
		*reason = "a reply sent to the server (only the server replies)";
		return -EPROTO;
	}
	if (flags & ~IGDPT_VFU_FLAGS_KNOWN) {
		*reason = "unknown message flags";
		return -EPROTO;
	}
	if (size < IGDPT_VFU_HDR_SIZE) {
		*reason = "message size smaller than the header";
		return -EPROTO;
	}
	if (size - IGDPT_VFU_HDR_SIZE > max_payload(command)) {
		*reason = "message larger than the largest message of its command";
		return -EPROTO;
	}
	return 0;
}

int igdpt_vfu_reader_init(struct igdpt_vfu_reader *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->buf = malloc(IGDPT_VFU_READ_BUF);
	return rd->buf ? 0 : -ENOMEM;
}

void igdpt_vfu_reader_fini(struct igdpt_vfu_reader *rd)
{
	for (unsigned i = 0; i < rd->nfds; i++)
		close(rd->fds[i]);
	free(rd->buf);
	memset(rd, 0, sizeof(*rd));
}

static bool holds_fds(const struct igdpt_vfu_reader *rd)
{
	return rd->nfds || rd->too_many_fds;
}

static void decode_header(const uint8_t *p, struct igdpt_vfu_msg *msg)
{
	msg->id = igdpt_le16(p + IGDPT_VFU_HDR_ID_OFFSET);
	msg->command = igdpt_le16(p + IGDPT_VFU_HDR_COMMAND_OFFSET);
	msg->size = igdpt_le32(p + IGDPT_VFU_HDR_SIZE_OFFSET);
	msg->flags = igdpt_le32(p + IGDPT_VFU_HDR_FLAGS_OFFSET);
	msg->payload = NULL;
	msg->payload_size = 0;
	msg->nfds = 0;
}

/* Takes the message at rd->start out of the buffer: 1 with *msg, 0 when it
 * is not complete yet, -EPROTO for a malformed one (its fds closed). */
static int parse(struct igdpt_vfu_reader *rd, struct igdpt_vfu_msg *msg, const char **reason)
{
	size_t avail = rd->have - rd->start, end;
	const uint8_t *p = rd->buf + rd->start;
	int ret;

	if (avail < IGDPT_VFU_HDR_SIZE)
		return 0;
	ret = igdpt_vfu_check_header(p, reason);
	if (ret < 0) {
		decode_header(p, msg);
		return ret;
	}
	decode_header(p, msg);
	if (avail < msg->size)
		return 0;
	end = rd->start + msg->size;
	msg->payload = p + IGDPT_VFU_HDR_SIZE;
	msg->payload_size = msg->size - IGDPT_VFU_HDR_SIZE;
	if (holds_fds(rd) && rd->fds_at < end) {
		bool too_many = rd->too_many_fds;

		memcpy(msg->fds, rd->fds, rd->nfds * sizeof(int));
		msg->nfds = rd->nfds;
		rd->nfds = 0;
		rd->too_many_fds = false;
		if (too_many) {
			igdpt_vfu_msg_close_fds(msg);
			msg->payload = NULL;
			msg->payload_size = 0;
			*reason = "more file descriptors with one message than max_msg_fds (8)";
			return -EPROTO;
		}
	}
	rd->start = end;
	return 1;
}

bool igdpt_vfu_buffered(const struct igdpt_vfu_reader *rd)
{
	size_t avail = rd->have - rd->start;
	const char *reason;

	if (avail < IGDPT_VFU_HDR_SIZE)
		return false;
	if (igdpt_vfu_check_header(rd->buf + rd->start, &reason) < 0)
		return true;
	return avail >= igdpt_le32(rd->buf + rd->start + IGDPT_VFU_HDR_SIZE_OFFSET);
}

/* Takes the fds of every SCM_RIGHTS header, keeping up to the maximum; they
 * came with the bytes up to buffer offset last. */
static void take_fds(struct igdpt_vfu_reader *rd, struct msghdr *mh, size_t last)
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
			if (rd->nfds < IGDPT_VFU_MAX_MSG_FDS) {
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

/* One recvmsg into the buffer. 1 when bytes arrived, 0 when none are there
 * (or a signal interrupted the wait), -EPIPE / -EPROTO / -errno as
 * igdpt_vfu_read(). */
static int fill(struct igdpt_vfu_reader *rd, int sock, bool wait, const char **reason)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(CMSG_FD_ROOM * sizeof(int))];
	} control;
	struct iovec iov;
	struct msghdr mh;
	size_t room;
	ssize_t n;

	/* What is left of the next message moves to the front (usually
	 * nothing: a request arrives whole). */
	if (rd->start) {
		memmove(rd->buf, rd->buf + rd->start, rd->have - rd->start);
		rd->have -= rd->start;
		rd->fds_at -= holds_fds(rd) ? rd->start : 0;
		rd->start = 0;
	}
	room = IGDPT_VFU_READ_BUF - rd->have;
	if (holds_fds(rd)) {
		/* The message at the front holds fds: read no further than its
		 * end, so fds that come next belong to it or to a later
		 * message, never to both. A complete header passed its checks
		 * in parse(), so its size is bounded. */
		room = IGDPT_VFU_HDR_SIZE - rd->have;
		if (rd->have >= IGDPT_VFU_HDR_SIZE)
			room = igdpt_le32(rd->buf + IGDPT_VFU_HDR_SIZE_OFFSET) - rd->have;
	}
	for (;;) {
		iov.iov_base = rd->buf + rd->have;
		iov.iov_len = room;
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
		take_fds(rd, &mh, rd->have ? rd->have - 1 : 0);
	if (n == 0) {
		if (rd->have == 0 && !holds_fds(rd))
			return -EPIPE;
		*reason = rd->have < IGDPT_VFU_HDR_SIZE
				  ? "connection closed inside a message header (truncated header)"
				  : "connection closed inside a payload (size larger than what arrived)";
		return -EPROTO;
	}
	return 1;
}

int igdpt_vfu_read(struct igdpt_vfu_reader *rd, int sock, struct igdpt_vfu_msg *msg,
		   const char **reason, bool wait)
{
	memset(msg, 0, sizeof(*msg));
	for (;;) {
		int ret = parse(rd, msg, reason);

		if (ret != 0)
			return ret;
		ret = fill(rd, sock, wait, reason);
		if (ret <= 0)
			return ret;
	}
}

void igdpt_vfu_msg_close_fds(struct igdpt_vfu_msg *msg)
{
	for (unsigned i = 0; i < msg->nfds; i++)
		close(msg->fds[i]);
	msg->nfds = 0;
}

void igdpt_vfu_put_header(uint8_t *buf, uint16_t id, uint16_t command, uint32_t size,
			  uint32_t flags, uint32_t error)
{
	igdpt_put_le16(buf + IGDPT_VFU_HDR_ID_OFFSET, id);
	igdpt_put_le16(buf + IGDPT_VFU_HDR_COMMAND_OFFSET, command);
	igdpt_put_le32(buf + IGDPT_VFU_HDR_SIZE_OFFSET, size);
	igdpt_put_le32(buf + IGDPT_VFU_HDR_FLAGS_OFFSET, flags);
	igdpt_put_le32(buf + IGDPT_VFU_HDR_ERROR_OFFSET, error);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for room in the socket until deadline (< 0: none). 0 when there
 * is room, -ETIMEDOUT, -EINTR when stopped, -EPIPE when the peer is gone. */
static int wait_writable(int sock, int64_t deadline, const volatile sig_atomic_t *stop)
{
	for (;;) {
		struct pollfd pfd = {.fd = sock, .events = POLLOUT};
		int timeout = -1, n;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			timeout = (int)left;
		}
		n = poll(&pfd, 1, timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (stop && *stop)
			return -EINTR;
		if (n > 0)
			return (pfd.revents & (POLLERR | POLLHUP)) ? -EPIPE : 0;
	}
}

int igdpt_vfu_send(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds,
		   int timeout_ms, const volatile sig_atomic_t *stop)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(CMSG_FD_ROOM * sizeof(int))];
	} control;
	int64_t deadline = -2; /* set at the first wait: a reply that fits costs no clock read */
	size_t done = 0;

	if (nfds > CMSG_FD_ROOM)
		return -EINVAL;
	while (done < len) {
		struct iovec iov = {.iov_base = (void *)(buf + done), .iov_len = len - done};
		struct msghdr mh;
		ssize_t n;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		if (done == 0 && nfds) {
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
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE || errno == ECONNRESET)
			return -EPIPE;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (deadline == -2)
			deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
		n = wait_writable(sock, deadline, stop);
		if (n < 0)
			return (int)n;
	}
	return 0;
}
