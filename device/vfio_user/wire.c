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

_Static_assert(IGDPT_VFU_MAX_MSG_FDS <= IGDPT_STREAM_MAX_FDS, "the stream reader holds a message's fds");

int igdpt_vfu_reader_init(struct igdpt_vfu_reader *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->buf = malloc(IGDPT_VFU_READ_BUF);
	return rd->buf ? 0 : -ENOMEM;
}

void igdpt_vfu_reader_fini(struct igdpt_vfu_reader *rd)
{
	igdpt_stream_reader_reset(&rd->stream);
	free(rd->buf);
	memset(rd, 0, sizeof(*rd));
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

/* The size field counts the whole message, header included. */
static size_t message_size(const uint8_t *hdr)
{
	return igdpt_le32(hdr + IGDPT_VFU_HDR_SIZE_OFFSET);
}

/* Takes the message at rd->start out of the buffer: 1 with *msg, 0 when it
 * is not complete yet, -EPROTO for a malformed one (its fds closed). */
static int parse(struct igdpt_vfu_reader *rd, struct igdpt_vfu_msg *msg, const char **reason)
{
	struct igdpt_stream_reader *st = &rd->stream;
	size_t avail = st->have - st->start, end;
	const uint8_t *p = rd->buf + st->start;
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
	end = st->start + msg->size;
	msg->payload = p + IGDPT_VFU_HDR_SIZE;
	msg->payload_size = msg->size - IGDPT_VFU_HDR_SIZE;
	if (igdpt_stream_claim_fds(st, end, msg->fds, &msg->nfds) < 0) {
		igdpt_vfu_msg_close_fds(msg);
		msg->payload = NULL;
		msg->payload_size = 0;
		*reason = "more file descriptors with one message than max_msg_fds (8)";
		return -EPROTO;
	}
	st->start = end;
	return 1;
}

bool igdpt_vfu_buffered(const struct igdpt_vfu_reader *rd)
{
	size_t avail = rd->stream.have - rd->stream.start;
	const char *reason;

	if (avail < IGDPT_VFU_HDR_SIZE)
		return false;
	if (igdpt_vfu_check_header(rd->buf + rd->stream.start, &reason) < 0)
		return true;
	return avail >= message_size(rd->buf + rd->stream.start);
}

static const struct igdpt_stream_framing framing = {
	.buf_size = IGDPT_VFU_READ_BUF,
	.hdr_size = IGDPT_VFU_HDR_SIZE,
	.max_fds = IGDPT_VFU_MAX_MSG_FDS,
	.message_size = message_size,
};

int igdpt_vfu_read(struct igdpt_vfu_reader *rd, int sock, struct igdpt_vfu_msg *msg,
		   const char **reason, bool wait)
{
	memset(msg, 0, sizeof(*msg));
	for (;;) {
		int ret = parse(rd, msg, reason);

		if (ret != 0)
			return ret;
		ret = igdpt_stream_fill(&rd->stream, rd->buf, &framing, sock, wait, reason);
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
	int64_t deadline = -2; /* set at the first wait: a reply that fits costs no clock read */
	size_t done = 0;

	if (nfds > IGDPT_STREAM_FD_ROOM)
		return -EINVAL;
	while (done < len) {
		ssize_t n = igdpt_stream_send_once(sock, buf + done, len - done, fds,
						   done == 0 ? nfds : 0, MSG_DONTWAIT);

		if (n >= 0) {
			done += (size_t)n;
			continue;
		}
		if (n == -EINTR)
			continue;
		if (n == -EPIPE || n == -ECONNRESET)
			return -EPIPE;
		if (n != -EAGAIN && n != -EWOULDBLOCK)
			return (int)n;
		if (deadline == -2)
			deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
		n = wait_writable(sock, deadline, stop);
		if (n < 0)
			return (int)n;
	}
	return 0;
}
