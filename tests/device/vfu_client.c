/* SPDX-License-Identifier: MIT */
/* The tests' vfio-user client (vfu_client.h). */
#include "vfu_client.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "igdpt/core/bytes.h"

/* QEMU maps the BIOS at the top of the 32-bit space, without an fd. */
#define BIOS_BASE 0xFFFC0000u
#define BIOS_SIZE 0x40000u

int vfu_client_init(struct vfu_client *c, int sock)
{
	memset(c, 0, sizeof(*c));
	c->sock = sock;
	c->next_id = 1;
	c->buf = malloc(IGDPT_VFU_MAX_MSG_SIZE);
	return c->buf ? 0 : -ENOMEM;
}

void vfu_client_fini(struct vfu_client *c)
{
	free(c->buf);
	c->buf = NULL;
}

int vfu_send_raw(struct vfu_client *c, const void *msg, size_t len, const int *fds, unsigned nfds)
{
	int ret = igdpt_vfu_send(c->sock, msg, len, fds, nfds, VFU_TIMEOUT_MS, NULL);

	if (c->pump)
		c->pump(c->pump_arg);
	return ret;
}

int vfu_send(struct vfu_client *c, uint16_t command, uint32_t flags, const void *payload,
	     uint32_t len, const int *fds, unsigned nfds)
{
	uint32_t size = IGDPT_VFU_HDR_SIZE + len;

	if (size > IGDPT_VFU_MAX_MSG_SIZE)
		return -EMSGSIZE;
	c->id = c->next_id++;
	igdpt_vfu_put_header(c->buf, c->id, command, size, flags, 0);
	if (len)
		memcpy(c->buf + IGDPT_VFU_HDR_SIZE, payload, len);
	return vfu_send_raw(c, c->buf, size, fds, nfds);
}

/* Reads exactly len bytes within timeout_ms. */
static int read_exact(int sock, uint8_t *buf, size_t len, int timeout_ms)
{
	while (len) {
		struct pollfd pfd = {.fd = sock, .events = POLLIN};
		ssize_t n;
		int ready = poll(&pfd, 1, timeout_ms);

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return ready < 0 ? -errno : -ETIMEDOUT;
		n = recv(sock, buf, len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return errno == ECONNRESET ? -EPIPE : -errno;
		if (n == 0)
			return -EPIPE;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int vfu_recv(struct vfu_client *c, int timeout_ms)
{
	uint8_t *h = c->buf;
	int ret = read_exact(c->sock, h, IGDPT_VFU_HDR_SIZE, timeout_ms);

	c->payload = NULL;
	c->payload_size = 0;
	if (ret < 0)
		return ret;
	c->id = igdpt_le16(h + IGDPT_VFU_HDR_ID_OFFSET);
	c->command = igdpt_le16(h + IGDPT_VFU_HDR_COMMAND_OFFSET);
	c->size = igdpt_le32(h + IGDPT_VFU_HDR_SIZE_OFFSET);
	c->flags = igdpt_le32(h + IGDPT_VFU_HDR_FLAGS_OFFSET);
	c->error = igdpt_le32(h + IGDPT_VFU_HDR_ERROR_OFFSET);
	if (c->size < IGDPT_VFU_HDR_SIZE || c->size > IGDPT_VFU_MAX_MSG_SIZE)
		return -EPROTO;
	ret = read_exact(c->sock, c->buf + IGDPT_VFU_HDR_SIZE, c->size - IGDPT_VFU_HDR_SIZE,
			 timeout_ms);
	if (ret < 0)
		return ret;
	c->payload = c->buf + IGDPT_VFU_HDR_SIZE;
	c->payload_size = c->size - IGDPT_VFU_HDR_SIZE;
	return 0;
}

bool vfu_closed_by_peer(struct vfu_client *c, int timeout_ms)
{
	for (;;) {
		int ret = vfu_recv(c, timeout_ms);

		if (ret == -EPIPE)
			return true;
		if (ret < 0 && ret != -EPROTO)
			return false;
	}
}

int vfu_call(struct vfu_client *c, uint16_t command, const void *payload, uint32_t len,
	     const int *fds, unsigned nfds)
{
	uint16_t id;
	int ret = vfu_send(c, command, 0, payload, len, fds, nfds);

	if (ret < 0)
		return ret;
	id = c->id;
	ret = vfu_recv(c, VFU_TIMEOUT_MS);
	if (ret < 0)
		return ret;
	if (c->id != id || c->command != command ||
	    (c->flags & IGDPT_VFU_FLAG_TYPE_MASK) != IGDPT_VFU_FLAG_TYPE_REPLY)
		return -EPROTO;
	return (c->flags & IGDPT_VFU_FLAG_ERROR) ? (int)c->error : 0;
}

int vfu_version(struct vfu_client *c, const char *json)
{
	uint8_t p[IGDPT_VFU_VERSION_DATA_OFFSET + IGDPT_VFU_MAX_VERSION_JSON] = {0};
	size_t n = json ? strlen(json) + 1 : 0;

	if (n > IGDPT_VFU_MAX_VERSION_JSON)
		return -EMSGSIZE;
	igdpt_put_le16(p + IGDPT_VFU_VERSION_MAJOR_OFFSET, IGDPT_VFU_VERSION_MAJOR);
	igdpt_put_le16(p + IGDPT_VFU_VERSION_MINOR_OFFSET, IGDPT_VFU_VERSION_MINOR);
	if (n)
		memcpy(p + IGDPT_VFU_VERSION_DATA_OFFSET, json, n);
	return vfu_call(c, IGDPT_VFU_VERSION, p, (uint32_t)(IGDPT_VFU_VERSION_DATA_OFFSET + n), NULL,
			0);
}

int vfu_dma_map(struct vfu_client *c, uint64_t address, uint64_t size, uint64_t offset,
		uint32_t flags, int fd)
{
	uint8_t p[IGDPT_VFU_DMA_MAP_SIZE];

	igdpt_put_le32(p + IGDPT_VFU_DMA_MAP_ARGSZ_OFFSET, IGDPT_VFU_DMA_MAP_SIZE);
	igdpt_put_le32(p + IGDPT_VFU_DMA_MAP_FLAGS_OFFSET, flags);
	igdpt_put_le64(p + IGDPT_VFU_DMA_MAP_FILE_OFFSET, offset);
	igdpt_put_le64(p + IGDPT_VFU_DMA_MAP_ADDRESS_OFFSET, address);
	igdpt_put_le64(p + IGDPT_VFU_DMA_MAP_LENGTH_OFFSET, size);
	return vfu_call(c, IGDPT_VFU_DMA_MAP, p, sizeof(p), fd >= 0 ? &fd : NULL, fd >= 0);
}

int vfu_dma_unmap(struct vfu_client *c, uint64_t address, uint64_t size, uint32_t flags)
{
	uint8_t p[IGDPT_VFU_DMA_UNMAP_SIZE];

	igdpt_put_le32(p + IGDPT_VFU_DMA_UNMAP_ARGSZ_OFFSET, IGDPT_VFU_DMA_UNMAP_SIZE);
	igdpt_put_le32(p + IGDPT_VFU_DMA_UNMAP_FLAGS_OFFSET, flags);
	igdpt_put_le64(p + IGDPT_VFU_DMA_UNMAP_ADDRESS_OFFSET, address);
	igdpt_put_le64(p + IGDPT_VFU_DMA_UNMAP_LENGTH_OFFSET, size);
	return vfu_call(c, IGDPT_VFU_DMA_UNMAP, p, sizeof(p), NULL, 0);
}

int vfu_device_info(struct vfu_client *c)
{
	uint8_t p[IGDPT_VFU_DEVICE_INFO_SIZE] = {0};

	igdpt_put_le32(p + IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET, IGDPT_VFU_DEVICE_INFO_SIZE);
	return vfu_call(c, IGDPT_VFU_DEVICE_GET_INFO, p, sizeof(p), NULL, 0);
}

int vfu_region_info(struct vfu_client *c, uint32_t index, uint32_t argsz)
{
	uint8_t p[IGDPT_VFU_REGION_INFO_SIZE] = {0};

	igdpt_put_le32(p + IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET, argsz);
	igdpt_put_le32(p + IGDPT_VFU_REGION_INFO_INDEX_OFFSET, index);
	return vfu_call(c, IGDPT_VFU_DEVICE_GET_REGION_INFO, p, sizeof(p), NULL, 0);
}

int vfu_irq_info(struct vfu_client *c, uint32_t index)
{
	uint8_t p[IGDPT_VFU_IRQ_INFO_SIZE] = {0};

	igdpt_put_le32(p + IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET, IGDPT_VFU_IRQ_INFO_SIZE);
	igdpt_put_le32(p + IGDPT_VFU_IRQ_INFO_INDEX_OFFSET, index);
	return vfu_call(c, IGDPT_VFU_DEVICE_GET_IRQ_INFO, p, sizeof(p), NULL, 0);
}

int vfu_set_irqs(struct vfu_client *c, uint32_t flags, uint32_t index, uint32_t start,
		 uint32_t count, const int *fds, unsigned nfds)
{
	uint8_t p[IGDPT_VFU_IRQ_SET_SIZE];

	igdpt_put_le32(p + IGDPT_VFU_IRQ_SET_ARGSZ_OFFSET, IGDPT_VFU_IRQ_SET_SIZE);
	igdpt_put_le32(p + IGDPT_VFU_IRQ_SET_FLAGS_OFFSET, flags);
	igdpt_put_le32(p + IGDPT_VFU_IRQ_SET_INDEX_OFFSET, index);
	igdpt_put_le32(p + IGDPT_VFU_IRQ_SET_START_OFFSET, start);
	igdpt_put_le32(p + IGDPT_VFU_IRQ_SET_COUNT_OFFSET, count);
	return vfu_call(c, IGDPT_VFU_DEVICE_SET_IRQS, p, sizeof(p), fds, nfds);
}

int vfu_reset(struct vfu_client *c)
{
	return vfu_call(c, IGDPT_VFU_DEVICE_RESET, NULL, 0, NULL, 0);
}

int vfu_region_read(struct vfu_client *c, uint32_t region, uint64_t offset, uint32_t count,
		    void *out)
{
	uint8_t p[IGDPT_VFU_REGION_RW_SIZE];
	int ret;

	igdpt_put_le64(p + IGDPT_VFU_REGION_RW_OFFSET_OFFSET, offset);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, region);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, count);
	ret = vfu_call(c, IGDPT_VFU_REGION_READ, p, sizeof(p), NULL, 0);
	if (ret)
		return ret;
	if (c->payload_size != IGDPT_VFU_REGION_RW_SIZE + count ||
	    igdpt_le32(c->payload + IGDPT_VFU_REGION_RW_COUNT_OFFSET) != count)
		return -EPROTO;
	if (out)
		memcpy(out, c->payload + IGDPT_VFU_REGION_RW_SIZE, count);
	return 0;
}

int vfu_region_write(struct vfu_client *c, uint32_t region, uint64_t offset, uint32_t count,
		     const void *data, bool posted)
{
	uint8_t *p = malloc(IGDPT_VFU_REGION_RW_SIZE + (size_t)count);
	int ret;

	if (!p)
		return -ENOMEM;
	igdpt_put_le64(p + IGDPT_VFU_REGION_RW_OFFSET_OFFSET, offset);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, region);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, count);
	memcpy(p + IGDPT_VFU_REGION_RW_SIZE, data, count);
	if (posted)
		ret = vfu_send(c, IGDPT_VFU_REGION_WRITE, IGDPT_VFU_FLAG_NO_REPLY, p,
			       IGDPT_VFU_REGION_RW_SIZE + count, NULL, 0);
	else
		ret = vfu_call(c, IGDPT_VFU_REGION_WRITE, p, IGDPT_VFU_REGION_RW_SIZE + count, NULL,
			       0);
	free(p);
	return ret;
}

uint32_t vfu_cfg_read(struct vfu_client *c, uint32_t off, uint32_t len)
{
	uint8_t b[4] = {0};

	if (vfu_region_read(c, IGDPT_VFU_REGION_CONFIG, off, len, b))
		return UINT32_MAX;
	return igdpt_le32(b);
}

int vfu_cfg_write(struct vfu_client *c, uint32_t off, uint32_t len, uint32_t value)
{
	uint8_t b[4];

	igdpt_put_le32(b, value);
	return vfu_region_write(c, IGDPT_VFU_REGION_CONFIG, off, len, b, false);
}

int vfu_qemu_start(struct vfu_client *c, int ram, uint64_t ram_size)
{
	int ret = vfu_version(c, VFU_QEMU_CAPS);

	if (!ret && ram >= 0)
		ret = vfu_dma_map(c, 0, ram_size, 0,
				  IGDPT_VFU_DMA_MAP_FLAG_READ | IGDPT_VFU_DMA_MAP_FLAG_WRITE, ram);
	if (!ret)
		ret = vfu_dma_map(c, BIOS_BASE, BIOS_SIZE, 0, IGDPT_VFU_DMA_MAP_FLAG_READ, -1);
	return ret;
}
