/* SPDX-License-Identifier: MIT */
/* QEMU multi-process proxy protocol: reading, validating and answering.
 *
 * What QEMU 7.2 sends (hw/remote/proxy.c, proxy-memory-listener.c) fixes
 * what is valid: SYNC_SYSMEM with 192 bytes and one fd per region (1..8),
 * config and BAR messages with their exact struct sizes and no fds,
 * SET_IRQFD with two eventfds and no payload, DEVICE_RESET empty. RET only
 * ever travels from the device to QEMU. Anything else cannot come from QEMU
 * and ends the connection. */
#include "proto.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

_Static_assert(IGDPT_PROXY_MAX_FDS <= IGDPT_STREAM_MAX_FDS, "the stream reader holds a message's fds");

void igdpt_proxy_reader_init(struct igdpt_proxy_reader *rd)
{
	memset(&rd->stream, 0, sizeof(rd->stream));
}

void igdpt_proxy_reader_fini(struct igdpt_proxy_reader *rd)
{
	igdpt_stream_reader_reset(&rd->stream);
}

/* Host byte order fields: memcpy, not a cast, to stay alignment-safe. */
static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void put_u64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

int igdpt_proxy_check_header(const uint8_t *hdr, int32_t *cmd, uint64_t *size,
			     const char **reason)
{
	int32_t c = (int32_t)get_u32(hdr + IGDPT_PROXY_HDR_CMD_OFFSET);
	uint64_t s = get_u64(hdr + IGDPT_PROXY_HDR_SIZE_OFFSET);

	if (c < 0 || c >= IGDPT_PROXY_CMD_COUNT) {
		*reason = "unknown command";
		return -EPROTO;
	}
	if (s > IGDPT_PROXY_PAYLOAD_MAX) {
		*reason = "payload size larger than the largest message (192 bytes)";
		return -EPROTO;
	}
	*cmd = c;
	*size = s;
	return 0;
}

int igdpt_proxy_validate(const struct igdpt_proxy_msg *msg, const char **reason)
{
	switch (msg->cmd) {
	case IGDPT_PROXY_SYNC_SYSMEM:
		if (msg->size != IGDPT_PROXY_SYSMEM_SIZE) {
			*reason = "SYNC_SYSMEM payload is not 192 bytes";
			return -EPROTO;
		}
		if (msg->nfds == 0) {
			*reason = "SYNC_SYSMEM without file descriptors";
			return -EPROTO;
		}
		return 0;
	case IGDPT_PROXY_RET:
		*reason = "RET sent to the device (only the device replies)";
		return -EPROTO;
	case IGDPT_PROXY_PCI_CFGWRITE:
	case IGDPT_PROXY_PCI_CFGREAD:
		if (msg->size != IGDPT_PROXY_CFG_SIZE) {
			*reason = "config access payload is not 12 bytes";
			return -EPROTO;
		}
		break;
	case IGDPT_PROXY_BAR_WRITE:
	case IGDPT_PROXY_BAR_READ:
		if (msg->size != IGDPT_PROXY_BAR_SIZE) {
			*reason = "BAR access payload is not 24 bytes";
			return -EPROTO;
		}
		break;
	case IGDPT_PROXY_SET_IRQFD:
		if (msg->size != 0) {
			*reason = "SET_IRQFD with a payload";
			return -EPROTO;
		}
		if (msg->nfds != IGDPT_PROXY_IRQFD_COUNT) {
			*reason = "SET_IRQFD without exactly two file descriptors";
			return -EPROTO;
		}
		return 0;
	case IGDPT_PROXY_DEVICE_RESET:
		if (msg->size != 0) {
			*reason = "DEVICE_RESET with a payload";
			return -EPROTO;
		}
		break;
	default:
		*reason = "unknown command";
		return -EPROTO;
	}
	if (msg->nfds) {
		*reason = "file descriptors attached to a message that takes none";
		return -EPROTO;
	}
	return 0;
}

/* Takes the message at rd->start out of the buffer: 1 with *msg, 0 when it
 * is not complete yet, -EPROTO for a malformed one (its fds closed). */
static int parse(struct igdpt_proxy_reader *rd, struct igdpt_proxy_msg *msg, const char **reason)
{
	struct igdpt_stream_reader *st = &rd->stream;
	size_t avail = st->have - st->start, end;
	const uint8_t *p = rd->buf + st->start;
	int32_t cmd;
	uint64_t size;
	int ret;

	if (avail < IGDPT_PROXY_HDR_SIZE)
		return 0;
	/* The header alone rejects a bad command or size: no waiting for a
	 * payload that may never come. */
	ret = igdpt_proxy_check_header(p, &cmd, &size, reason);
	if (ret < 0)
		return ret;
	if (avail < IGDPT_PROXY_HDR_SIZE + size)
		return 0;
	end = st->start + IGDPT_PROXY_HDR_SIZE + (size_t)size;
	msg->cmd = cmd;
	msg->size = size;
	memcpy(msg->payload, p + IGDPT_PROXY_HDR_SIZE, (size_t)size);
	memset(msg->payload + size, 0, IGDPT_PROXY_PAYLOAD_MAX - (size_t)size);
	ret = igdpt_stream_claim_fds(st, end, msg->fds, &msg->nfds);
	if (ret < 0)
		*reason = "more than 8 file descriptors with one message";
	st->start = end;
	if (st->start == st->have)
		st->start = st->have = 0;
	if (ret == 0)
		ret = igdpt_proxy_validate(msg, reason);
	if (ret < 0) {
		igdpt_proxy_msg_close_fds(msg);
		return ret;
	}
	return 1;
}

bool igdpt_proxy_buffered(const struct igdpt_proxy_reader *rd)
{
	size_t avail = rd->stream.have - rd->stream.start;
	const char *reason;
	int32_t cmd;
	uint64_t size;

	if (avail < IGDPT_PROXY_HDR_SIZE)
		return false;
	if (igdpt_proxy_check_header(rd->buf + rd->stream.start, &cmd, &size, &reason) < 0)
		return true;
	return avail >= IGDPT_PROXY_HDR_SIZE + size;
}

static size_t message_size(const uint8_t *hdr)
{
	return IGDPT_PROXY_HDR_SIZE + (size_t)get_u64(hdr + IGDPT_PROXY_HDR_SIZE_OFFSET);
}

static const struct igdpt_stream_framing framing = {
	.buf_size = IGDPT_PROXY_READ_BUF,
	.hdr_size = IGDPT_PROXY_HDR_SIZE,
	.max_fds = IGDPT_PROXY_MAX_FDS,
	.message_size = message_size,
};

int igdpt_proxy_read(struct igdpt_proxy_reader *rd, int sock, struct igdpt_proxy_msg *msg,
		     const char **reason, bool wait)
{
	for (;;) {
		int ret = parse(rd, msg, reason);

		if (ret != 0)
			return ret;
		ret = igdpt_stream_fill(&rd->stream, rd->buf, &framing, sock, wait, reason);
		if (ret <= 0)
			return ret;
	}
}

int igdpt_proxy_recv(struct igdpt_proxy_reader *rd, int sock, struct igdpt_proxy_msg *msg,
		     const char **reason)
{
	return igdpt_proxy_read(rd, sock, msg, reason, false);
}

void igdpt_proxy_decode_cfg(const struct igdpt_proxy_msg *msg, struct igdpt_proxy_cfg *cfg)
{
	cfg->addr = get_u32(msg->payload + IGDPT_PROXY_CFG_ADDR_OFFSET);
	cfg->val = get_u32(msg->payload + IGDPT_PROXY_CFG_VAL_OFFSET);
	cfg->len = (int32_t)get_u32(msg->payload + IGDPT_PROXY_CFG_LEN_OFFSET);
}

void igdpt_proxy_decode_bar(const struct igdpt_proxy_msg *msg, struct igdpt_proxy_bar *bar)
{
	bar->addr = get_u64(msg->payload + IGDPT_PROXY_BAR_ADDR_OFFSET);
	bar->val = get_u64(msg->payload + IGDPT_PROXY_BAR_VAL_OFFSET);
	bar->size = get_u32(msg->payload + IGDPT_PROXY_BAR_SIZE_OFFSET);
	bar->memory = msg->payload[IGDPT_PROXY_BAR_MEMORY_OFFSET] != 0;
}

void igdpt_proxy_decode_sysmem(const struct igdpt_proxy_msg *msg,
			       struct igdpt_proxy_sysmem *sysmem)
{
	for (unsigned i = 0; i < IGDPT_PROXY_MAX_FDS; i++) {
		sysmem->gpa[i] = get_u64(msg->payload + IGDPT_PROXY_SYSMEM_GPAS_OFFSET + 8 * i);
		sysmem->size[i] = get_u64(msg->payload + IGDPT_PROXY_SYSMEM_SIZES_OFFSET + 8 * i);
		sysmem->offset[i] =
			(int64_t)get_u64(msg->payload + IGDPT_PROXY_SYSMEM_OFFSETS_OFFSET + 8 * i);
	}
}

size_t igdpt_proxy_encode(uint8_t *buf, int32_t cmd, const void *payload, uint64_t size)
{
	memset(buf, 0, IGDPT_PROXY_HDR_SIZE);
	put_u32(buf + IGDPT_PROXY_HDR_CMD_OFFSET, (uint32_t)cmd);
	put_u64(buf + IGDPT_PROXY_HDR_SIZE_OFFSET, size);
	if (payload && size)
		memcpy(buf + IGDPT_PROXY_HDR_SIZE, payload, (size_t)size);
	return IGDPT_PROXY_HDR_SIZE + (size_t)(payload ? size : 0);
}

size_t igdpt_proxy_encode_cfg(uint8_t *buf, int32_t cmd, const struct igdpt_proxy_cfg *cfg)
{
	uint8_t p[IGDPT_PROXY_CFG_SIZE];

	put_u32(p + IGDPT_PROXY_CFG_ADDR_OFFSET, cfg->addr);
	put_u32(p + IGDPT_PROXY_CFG_VAL_OFFSET, cfg->val);
	put_u32(p + IGDPT_PROXY_CFG_LEN_OFFSET, (uint32_t)cfg->len);
	return igdpt_proxy_encode(buf, cmd, p, sizeof(p));
}

size_t igdpt_proxy_encode_bar(uint8_t *buf, int32_t cmd, const struct igdpt_proxy_bar *bar)
{
	uint8_t p[IGDPT_PROXY_BAR_SIZE] = {0};

	put_u64(p + IGDPT_PROXY_BAR_ADDR_OFFSET, bar->addr);
	put_u64(p + IGDPT_PROXY_BAR_VAL_OFFSET, bar->val);
	put_u32(p + IGDPT_PROXY_BAR_SIZE_OFFSET, bar->size);
	p[IGDPT_PROXY_BAR_MEMORY_OFFSET] = bar->memory;
	return igdpt_proxy_encode(buf, cmd, p, sizeof(p));
}

size_t igdpt_proxy_encode_sysmem(uint8_t *buf, const struct igdpt_proxy_sysmem *sysmem)
{
	uint8_t p[IGDPT_PROXY_SYSMEM_SIZE];

	for (unsigned i = 0; i < IGDPT_PROXY_MAX_FDS; i++) {
		put_u64(p + IGDPT_PROXY_SYSMEM_GPAS_OFFSET + 8 * i, sysmem->gpa[i]);
		put_u64(p + IGDPT_PROXY_SYSMEM_SIZES_OFFSET + 8 * i, sysmem->size[i]);
		put_u64(p + IGDPT_PROXY_SYSMEM_OFFSETS_OFFSET + 8 * i, (uint64_t)sysmem->offset[i]);
	}
	return igdpt_proxy_encode(buf, IGDPT_PROXY_SYNC_SYSMEM, p, sizeof(p));
}

static int send_all(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds,
		    int flags)
{
	size_t done = 0;

	if (nfds > IGDPT_STREAM_FD_ROOM)
		return -EINVAL;
	while (done < len) {
		ssize_t n = igdpt_stream_send_once(sock, buf + done, len - done, fds,
						   done == 0 ? nfds : 0, flags);

		if (n < 0) {
			if (n == -EINTR)
				continue;
			return (int)n;
		}
		done += (size_t)n;
	}
	return 0;
}

int igdpt_proxy_send(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds)
{
	return send_all(sock, buf, len, fds, nfds, 0);
}

/* Non-blocking: QEMU waits for each reply before it sends the next request,
 * so a full socket buffer means a peer that does not read its replies; the
 * device must not wedge on it (the caller ends that connection). */
int igdpt_proxy_send_ret(int sock, uint64_t value, bool with_value)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_RET_SIZE];
	uint8_t payload[IGDPT_PROXY_RET_SIZE];
	size_t len;

	put_u64(payload, value);
	len = igdpt_proxy_encode(buf, IGDPT_PROXY_RET, with_value ? payload : NULL,
				 with_value ? sizeof(payload) : 0);
	return send_all(sock, buf, len, NULL, 0, MSG_DONTWAIT);
}

void igdpt_proxy_msg_close_fds(struct igdpt_proxy_msg *msg)
{
	for (unsigned i = 0; i < msg->nfds; i++)
		close(msg->fds[i]);
	msg->nfds = 0;
}
