/* SPDX-License-Identifier: MIT */
/* A vfio-user client for the tests: QEMU's side of the protocol, message
 * by message, in the layouts of device/vfio_user/protocol.h. It talks to
 * igdpt-device in another process, or to a transport in the same process
 * (pump: called after each request so that the transport handles it). */
#ifndef IGDPT_TESTS_DEVICE_VFU_CLIENT_H
#define IGDPT_TESTS_DEVICE_VFU_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio_user/protocol.h"
#include "vfio_user/wire.h"

/* QEMU 11.1's VERSION JSON, as it sends it (docs/stacks.md). */
#define VFU_QEMU_CAPS                                                                       \
	"{\"capabilities\": {\"pgsizes\": 4096, \"max_msg_fds\": 16, \"max_dma_maps\": 65535, " \
	"\"max_data_xfer_size\": 1048576, \"migration\": {\"max_bitmap_size\": 268435456, "    \
	"\"pgsize\": 4096}, \"write_multiple\": true}}"
#define VFU_TIMEOUT_MS 5000

struct vfu_client {
	int sock;
	uint16_t next_id;
	uint8_t *buf; /* IGDPT_VFU_MAX_MSG_SIZE: requests and the last reply */
	void (*pump)(void *arg);
	void *pump_arg;
	/* The last reply. */
	uint16_t id, command;
	uint32_t size, flags, error;
	const uint8_t *payload;
	uint32_t payload_size;
};

/* 0 or -ENOMEM; sock stays the caller's. */
int vfu_client_init(struct vfu_client *c, int sock);
void vfu_client_fini(struct vfu_client *c);

/* Sends one message (a header with this command, flags and the next id,
 * then payload) with fds; a raw message when raw is set (buf then holds
 * the whole message, header included, as the caller made it). 0 or -errno
 * (-EPIPE: the device closed the socket). */
int vfu_send(struct vfu_client *c, uint16_t command, uint32_t flags, const void *payload,
	     uint32_t len, const int *fds, unsigned nfds);
int vfu_send_raw(struct vfu_client *c, const void *msg, size_t len, const int *fds, unsigned nfds);
/* Reads one reply within timeout_ms: 0, -ETIMEDOUT, -EPIPE (closed), -EPROTO. */
int vfu_recv(struct vfu_client *c, int timeout_ms);
/* True once the device has closed the socket (EOF within timeout_ms;
 * replies still queued are skipped). */
bool vfu_closed_by_peer(struct vfu_client *c, int timeout_ms);

/* A request and its reply: the reply's errno (0: success), or -errno when
 * there was none (-EPIPE: closed, -ETIMEDOUT) or it answered another id. */
int vfu_call(struct vfu_client *c, uint16_t command, const void *payload, uint32_t len,
	     const int *fds, unsigned nfds);

int vfu_version(struct vfu_client *c, const char *json);
int vfu_dma_map(struct vfu_client *c, uint64_t address, uint64_t size, uint64_t offset,
		uint32_t flags, int fd);
int vfu_dma_unmap(struct vfu_client *c, uint64_t address, uint64_t size, uint32_t flags);
int vfu_device_info(struct vfu_client *c);
int vfu_region_info(struct vfu_client *c, uint32_t index, uint32_t argsz);
int vfu_irq_info(struct vfu_client *c, uint32_t index);
int vfu_set_irqs(struct vfu_client *c, uint32_t flags, uint32_t index, uint32_t start,
		 uint32_t count, const int *fds, unsigned nfds);
int vfu_reset(struct vfu_client *c);
/* count bytes of a region into out (may be NULL). */
int vfu_region_read(struct vfu_client *c, uint32_t region, uint64_t offset, uint32_t count,
		    void *out);
/* posted: with NO_REPLY, as QEMU sends BAR writes; returns 0 once sent. */
int vfu_region_write(struct vfu_client *c, uint32_t region, uint64_t offset, uint32_t count,
		     const void *data, bool posted);
/* Config space of the IGD (region 7), 1, 2 or 4 bytes; reads give
 * UINT32_MAX... on failure, which the checks then see. */
uint32_t vfu_cfg_read(struct vfu_client *c, uint32_t off, uint32_t len);
int vfu_cfg_write(struct vfu_client *c, uint32_t off, uint32_t len, uint32_t value);

/* QEMU's start: VERSION with its JSON, one memfd as guest RAM from 0
 * (ram_size bytes, read-write; -1: none), the BIOS as a map without fd. 0 or
 * the first error. */
int vfu_qemu_start(struct vfu_client *c, int ram, uint64_t ram_size);

#endif
