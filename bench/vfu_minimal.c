/* SPDX-License-Identifier: MIT */
/* vfu-minimal: the least a vfio-user server can do for QEMU 11.1's
 * vfio-user-pci, as the benchmark's peer of igdpt-device (bench/
 * device_access.py): a PCI function 8086:5916 with a 256-byte config space
 * answered from a constant array, no BARs, no model, no checks beyond what
 * keeps it in step with the stream. It reads the socket the way
 * igdpt-device's transport does (one recvmsg takes what is there, messages
 * are cut out of the buffer) and sends one reply per request, so the
 * difference between the two is what igdpt-device does per message.
 *
 * usage: vfu-minimal SOCKET   (listens, serves one client, exits when it
 * leaves; the wire layout is device/vfio_user/protocol.h's) */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "igdpt/core/bytes.h"
#include "vfio_user/protocol.h"

#define BUF_SIZE (1u << 17)
#define CONFIG_SIZE 256u
#define NUM_REGIONS 9u /* QEMU 11.1 wants at least 8 */

static uint8_t in[BUF_SIZE], out[BUF_SIZE];
static uint8_t config[CONFIG_SIZE] = {
	[0x00] = 0x86, [0x01] = 0x80, [0x02] = 0x16, [0x03] = 0x59, /* 8086:5916 */
	[0x0B] = 0x03, /* class 0x0300 */
	[0x3D] = 0x01, /* INTA */
};

static void close_fds(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(fd));
			close(fd);
		}
	}
}

static int send_all(int sock, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = send(sock, out + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Answers one request; returns the reply's length (0: none). */
static size_t answer(const uint8_t *msg)
{
	uint16_t cmd = igdpt_le16(msg + IGDPT_VFU_HDR_COMMAND_OFFSET);
	uint32_t flags = igdpt_le32(msg + IGDPT_VFU_HDR_FLAGS_OFFSET);
	const uint8_t *p = msg + IGDPT_VFU_HDR_SIZE;
	uint8_t *r = out + IGDPT_VFU_HDR_SIZE;
	uint32_t len = 0, err = 0;

	if (flags & IGDPT_VFU_FLAG_NO_REPLY)
		return 0;
	memset(r, 0, 32);
	switch (cmd) {
	case IGDPT_VFU_VERSION:
		len = IGDPT_VFU_VERSION_DATA_OFFSET; /* 0.0, no JSON */
		break;
	case IGDPT_VFU_DEVICE_GET_INFO:
		igdpt_put_le32(r + IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET, IGDPT_VFU_DEVICE_INFO_SIZE);
		igdpt_put_le32(r + IGDPT_VFU_DEVICE_INFO_FLAGS_OFFSET,
			       IGDPT_VFU_DEVICE_FLAGS_RESET | IGDPT_VFU_DEVICE_FLAGS_PCI);
		igdpt_put_le32(r + IGDPT_VFU_DEVICE_INFO_NUM_REGIONS_OFFSET, NUM_REGIONS);
		igdpt_put_le32(r + IGDPT_VFU_DEVICE_INFO_NUM_IRQS_OFFSET, IGDPT_VFU_IRQ_COUNT);
		len = IGDPT_VFU_DEVICE_INFO_SIZE;
		break;
	case IGDPT_VFU_DEVICE_GET_REGION_INFO: {
		uint32_t index = igdpt_le32(p + IGDPT_VFU_REGION_INFO_INDEX_OFFSET);
		bool cfg = index == IGDPT_VFU_REGION_CONFIG;

		igdpt_put_le32(r + IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET, IGDPT_VFU_REGION_INFO_SIZE);
		igdpt_put_le32(r + IGDPT_VFU_REGION_INFO_FLAGS_OFFSET,
			       cfg ? IGDPT_VFU_REGION_INFO_FLAG_READ | IGDPT_VFU_REGION_INFO_FLAG_WRITE
				   : 0);
		igdpt_put_le32(r + IGDPT_VFU_REGION_INFO_INDEX_OFFSET, index);
		igdpt_put_le64(r + IGDPT_VFU_REGION_INFO_SIZE_OFFSET, cfg ? CONFIG_SIZE : 0);
		len = IGDPT_VFU_REGION_INFO_SIZE;
		break;
	}
	case IGDPT_VFU_DEVICE_GET_IRQ_INFO: {
		uint32_t index = igdpt_le32(p + IGDPT_VFU_IRQ_INFO_INDEX_OFFSET);

		igdpt_put_le32(r + IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET, IGDPT_VFU_IRQ_INFO_SIZE);
		igdpt_put_le32(r + IGDPT_VFU_IRQ_INFO_FLAGS_OFFSET,
			       IGDPT_VFU_IRQ_INFO_EVENTFD | IGDPT_VFU_IRQ_INFO_NORESIZE);
		igdpt_put_le32(r + IGDPT_VFU_IRQ_INFO_INDEX_OFFSET, index);
		igdpt_put_le32(r + IGDPT_VFU_IRQ_INFO_COUNT_OFFSET,
			       index == IGDPT_VFU_IRQ_INTX || index == IGDPT_VFU_IRQ_ERR);
		len = IGDPT_VFU_IRQ_INFO_SIZE;
		break;
	}
	case IGDPT_VFU_REGION_READ: {
		uint64_t off = igdpt_le64(p + IGDPT_VFU_REGION_RW_OFFSET_OFFSET);
		uint32_t count = igdpt_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET);

		if (count > BUF_SIZE - 64) {
			err = EINVAL;
			break;
		}
		memcpy(r, p, IGDPT_VFU_REGION_RW_SIZE);
		memset(r + IGDPT_VFU_REGION_RW_SIZE, 0, count);
		if (igdpt_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET) == IGDPT_VFU_REGION_CONFIG &&
		    off < CONFIG_SIZE)
			memcpy(r + IGDPT_VFU_REGION_RW_SIZE, config + off,
			       count < CONFIG_SIZE - off ? count : CONFIG_SIZE - off);
		len = IGDPT_VFU_REGION_RW_SIZE + count;
		break;
	}
	case IGDPT_VFU_REGION_WRITE:
		memcpy(r, p, IGDPT_VFU_REGION_RW_SIZE);
		len = IGDPT_VFU_REGION_RW_SIZE;
		break;
	case IGDPT_VFU_DMA_MAP:
	case IGDPT_VFU_DMA_UNMAP:
	case IGDPT_VFU_DEVICE_SET_IRQS:
	case IGDPT_VFU_DEVICE_RESET:
		break;
	default:
		err = ENOTSUP;
		break;
	}
	if (err)
		len = 0;
	igdpt_put_le16(out + IGDPT_VFU_HDR_ID_OFFSET, igdpt_le16(msg + IGDPT_VFU_HDR_ID_OFFSET));
	igdpt_put_le16(out + IGDPT_VFU_HDR_COMMAND_OFFSET, cmd);
	igdpt_put_le32(out + IGDPT_VFU_HDR_SIZE_OFFSET, IGDPT_VFU_HDR_SIZE + len);
	igdpt_put_le32(out + IGDPT_VFU_HDR_FLAGS_OFFSET,
		       IGDPT_VFU_FLAG_TYPE_REPLY | (err ? IGDPT_VFU_FLAG_ERROR : 0));
	igdpt_put_le32(out + IGDPT_VFU_HDR_ERROR_OFFSET, err);
	return IGDPT_VFU_HDR_SIZE + len;
}

/* Serves one client until it leaves. */
static int serve(int sock)
{
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(16 * sizeof(int))];
	} control;
	size_t have = 0;

	for (;;) {
		struct iovec iov = {.iov_base = in + have, .iov_len = sizeof(in) - have};
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
				    .msg_controllen = sizeof(control.buf)};
		ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		size_t start = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		close_fds(&mh);
		have += (size_t)n;
		while (have - start >= IGDPT_VFU_HDR_SIZE) {
			uint32_t size = igdpt_le32(in + start + IGDPT_VFU_HDR_SIZE_OFFSET);
			size_t len;

			if (size < IGDPT_VFU_HDR_SIZE || size > sizeof(in))
				return -1;
			if (have - start < size)
				break;
			len = answer(in + start);
			if (len && send_all(sock, len) < 0)
				return -1;
			start += size;
		}
		memmove(in, in + start, have - start);
		have -= start;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int lfd, sock, ret;

	if (argc != 2 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: vfu-minimal SOCKET\n");
		return 2;
	}
	memcpy(addr.sun_path, argv[1], strlen(argv[1]) + 1);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(lfd, 1) < 0) {
		perror("vfu-minimal: listen");
		return 1;
	}
	sock = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	unlink(argv[1]);
	close(lfd);
	if (sock < 0) {
		perror("vfu-minimal: accept");
		return 1;
	}
	ret = serve(sock);
	close(sock);
	return ret < 0 ? 1 : 0;
}
