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

/* Room for twice the fds QEMU may send, so an excess is seen, not dropped. */
#define CMSG_FD_ROOM (2u * IGDPT_PROXY_MAX_FDS)

void igdpt_proxy_reader_init(struct igdpt_proxy_reader *rd)
{
	rd->start = 0;
	rd->have = 0;
	rd->nfds = 0;
	rd->fds_at = 0;
	rd->too_many_fds = false;
}

void igdpt_proxy_reader_fini(struct igdpt_proxy_reader *rd)
{
	for (unsigned i = 0; i < rd->nfds; i++)
		close(rd->fds[i]);
	igdpt_proxy_reader_init(rd);
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

static bool holds_fds(const struct igdpt_proxy_reader *rd)
{
	return rd->nfds || rd->too_many_fds;
}

/* Takes the fds of every SCM_RIGHTS header, keeping up to the maximum; they
 * came with the bytes up to buffer offset last. */
static void take_fds(struct igdpt_proxy_reader *rd, struct msghdr *mh, size_t last)
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
			if (rd->nfds < IGDPT_PROXY_MAX_FDS) {
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

/* Takes the message at rd->start out of the buffer: 1 with *msg, 0 when it
 * is not complete yet, -EPROTO for a malformed one (its fds closed). */
static int parse(struct igdpt_proxy_reader *rd, struct igdpt_proxy_msg *msg, const char **reason)
{
	size_t avail = rd->have - rd->start, end;
	const uint8_t *p = rd->buf + rd->start;
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
	end = rd->start + IGDPT_PROXY_HDR_SIZE + (size_t)size;
	msg->cmd = cmd;
	msg->size = size;
	memcpy(msg->payload, p + IGDPT_PROXY_HDR_SIZE, (size_t)size);
	memset(msg->payload + size, 0, IGDPT_PROXY_PAYLOAD_MAX - (size_t)size);
	msg->nfds = 0;
	ret = 0;
	if (holds_fds(rd) && rd->fds_at < end) {
		memcpy(msg->fds, rd->fds, rd->nfds * sizeof(int));
		msg->nfds = rd->nfds;
		if (rd->too_many_fds) {
			*reason = "more than 8 file descriptors with one message";
			ret = -EPROTO;
		}
		rd->nfds = 0;
		rd->too_many_fds = false;
	}
	rd->start = end;
	if (rd->start == rd->have)
		rd->start = rd->have = 0;
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
	size_t avail = rd->have - rd->start;
	const char *reason;
	int32_t cmd;
	uint64_t size;

	if (avail < IGDPT_PROXY_HDR_SIZE)
		return false;
	if (igdpt_proxy_check_header(rd->buf + rd->start, &cmd, &size, &reason) < 0)
		return true;
	return avail >= IGDPT_PROXY_HDR_SIZE + size;
}

/* One recvmsg into the buffer. 1 when bytes arrived, 0 when none are there
 * (or a signal interrupted the wait), -EPIPE / -EPROTO / -errno as
 * igdpt_proxy_read(). */
static int fill(struct igdpt_proxy_reader *rd, int sock, bool wait, const char **reason)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(CMSG_FD_ROOM * sizeof(int))];
	} control;
	struct iovec iov;
	struct msghdr mh;
	size_t room;
	ssize_t n;

	/* What is left of the next message moves to the front (usually nothing:
	 * a request arrives whole). */
	if (rd->start) {
		memmove(rd->buf, rd->buf + rd->start, rd->have - rd->start);
		rd->have -= rd->start;
		rd->fds_at -= holds_fds(rd) ? rd->start : 0;
		rd->start = 0;
	}
	room = sizeof(rd->buf) - rd->have;
	if (holds_fds(rd)) {
		/* The message at the front holds fds: read no further than its end,
		 * so fds that come next belong to it or to a message after it, never
		 * to both. Its header, if complete, passed the checks in parse(). */
		room = IGDPT_PROXY_HDR_SIZE - rd->have;
		if (rd->have >= IGDPT_PROXY_HDR_SIZE)
			room = IGDPT_PROXY_HDR_SIZE +
			       (size_t)get_u64(rd->buf + IGDPT_PROXY_HDR_SIZE_OFFSET) - rd->have;
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
		*reason = rd->have < IGDPT_PROXY_HDR_SIZE
				  ? "connection closed inside a message header (truncated header)"
				  : "connection closed inside a payload (size larger than what arrived)";
		return -EPROTO;
	}
	return 1;
}

int igdpt_proxy_read(struct igdpt_proxy_reader *rd, int sock, struct igdpt_proxy_msg *msg,
		     const char **reason, bool wait)
{
	for (;;) {
		int ret = parse(rd, msg, reason);

		if (ret != 0)
			return ret;
		ret = fill(rd, sock, wait, reason);
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
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(CMSG_FD_ROOM * sizeof(int))];
	} control;
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
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
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
