/* SPDX-License-Identifier: MIT */
/* QEMU's multi-process proxy protocol (hw/remote/mpqemu-link.c), the device
 * side: framing, fd passing, per-command validation, replies.
 *
 * Host byte order throughout: a 16-byte header {int32 cmd; int32 pad;
 * uint64 size}, then size payload bytes; file descriptors ride with the
 * header as SCM_RIGHTS. */
#ifndef IGDPT_DEVICE_PROXY_PROTO_H
#define IGDPT_DEVICE_PROXY_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stream.h"

enum igdpt_proxy_cmd {
	IGDPT_PROXY_SYNC_SYSMEM = 0,
	IGDPT_PROXY_RET = 1,
	IGDPT_PROXY_PCI_CFGWRITE = 2,
	IGDPT_PROXY_PCI_CFGREAD = 3,
	IGDPT_PROXY_BAR_WRITE = 4,
	IGDPT_PROXY_BAR_READ = 5,
	IGDPT_PROXY_SET_IRQFD = 6,
	IGDPT_PROXY_DEVICE_RESET = 7,
	IGDPT_PROXY_CMD_COUNT = 8,
};

#define IGDPT_PROXY_HDR_SIZE 16u
#define IGDPT_PROXY_HDR_CMD_OFFSET 0u
#define IGDPT_PROXY_HDR_SIZE_OFFSET 8u
#define IGDPT_PROXY_MAX_FDS 8u /* REMOTE_MAX_FDS */
/* The payload union's size: SyncSysmemMsg, 3 arrays of 8 u64. */
#define IGDPT_PROXY_PAYLOAD_MAX 192u

/* PciConfDataMsg {uint32 addr; uint32 val; int32 len} */
#define IGDPT_PROXY_CFG_SIZE 12u
#define IGDPT_PROXY_CFG_ADDR_OFFSET 0u
#define IGDPT_PROXY_CFG_VAL_OFFSET 4u
#define IGDPT_PROXY_CFG_LEN_OFFSET 8u
/* BarAccessMsg {uint64 addr; uint64 val; uint32 size; bool memory} padded */
#define IGDPT_PROXY_BAR_SIZE 24u
#define IGDPT_PROXY_BAR_ADDR_OFFSET 0u
#define IGDPT_PROXY_BAR_VAL_OFFSET 8u
#define IGDPT_PROXY_BAR_SIZE_OFFSET 16u
#define IGDPT_PROXY_BAR_MEMORY_OFFSET 20u
/* SyncSysmemMsg {uint64 gpas[8]; uint64 sizes[8]; int64 offsets[8]} */
#define IGDPT_PROXY_SYSMEM_SIZE 192u
#define IGDPT_PROXY_SYSMEM_GPAS_OFFSET 0u
#define IGDPT_PROXY_SYSMEM_SIZES_OFFSET 64u
#define IGDPT_PROXY_SYSMEM_OFFSETS_OFFSET 128u
#define IGDPT_PROXY_RET_SIZE 8u
#define IGDPT_PROXY_IRQFD_COUNT 2u

struct igdpt_proxy_msg {
	int32_t cmd;
	uint64_t size;
	uint8_t payload[IGDPT_PROXY_PAYLOAD_MAX];
	int fds[IGDPT_PROXY_MAX_FDS];
	unsigned nfds;
};

struct igdpt_proxy_cfg {
	uint32_t addr;
	uint32_t val;
	int32_t len;
};

struct igdpt_proxy_bar {
	uint64_t addr; /* absolute bus address */
	uint64_t val;
	uint32_t size;
	bool memory; /* memory space, else I/O space */
};

struct igdpt_proxy_sysmem {
	uint64_t gpa[IGDPT_PROXY_MAX_FDS];
	uint64_t size[IGDPT_PROXY_MAX_FDS];
	int64_t offset[IGDPT_PROXY_MAX_FDS];
};

/* Room for four of the largest messages: after a message is taken, what is
 * left of the next one moves to the front, so one recvmsg always has room
 * for a whole message. */
#define IGDPT_PROXY_READ_BUF (4u * (IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX))

/* Buffered reader for one connection: one recvmsg takes what the socket
 * holds (header and payload together; also a following message, as QEMU
 * sends SYNC_SYSMEM without waiting for a reply), and messages are parsed out
 * of the buffer.
 *
 * Fds: QEMU sends a message and its fds with one sendmsg, so they belong to
 * the message holding the last byte a recvmsg returned with them (stream.h
 * says how the reader keeps them apart). */
struct igdpt_proxy_reader {
	uint8_t buf[IGDPT_PROXY_READ_BUF];
	struct igdpt_stream_reader stream;
};

void igdpt_proxy_reader_init(struct igdpt_proxy_reader *rd);
/* Closes fds still held (a message that never completed). */
void igdpt_proxy_reader_fini(struct igdpt_proxy_reader *rd);

/* Returns 1 with *msg filled (msg owns its fds now) when a message is
 * complete, reading the socket only when the buffer holds none; 0 when more
 * bytes are needed (wait: also when a signal interrupted the wait), -EPIPE
 * when the peer closed between messages, -EPROTO for a malformed message
 * (*reason set), other -errno for I/O errors (*reason set). wait false never
 * blocks; wait true blocks in recvmsg until bytes arrive. */
int igdpt_proxy_read(struct igdpt_proxy_reader *rd, int sock, struct igdpt_proxy_msg *msg,
		     const char **reason, bool wait);
/* igdpt_proxy_read() without waiting. */
int igdpt_proxy_recv(struct igdpt_proxy_reader *rd, int sock, struct igdpt_proxy_msg *msg,
		     const char **reason);
/* True when the buffer alone decides the next igdpt_proxy_recv(): a whole
 * message, or a header that is already malformed. False means the next
 * message needs bytes from the socket (a request/reply peer sends them only
 * after our reply), so the caller can wait for the socket first. */
bool igdpt_proxy_buffered(const struct igdpt_proxy_reader *rd);

/* Header checks on the first 16 bytes: known command, size within the
 * payload maximum. 0 or -EPROTO with *reason. */
int igdpt_proxy_check_header(const uint8_t *hdr, int32_t *cmd, uint64_t *size,
			     const char **reason);
/* Per-command checks of a complete message: exact payload size and fd count
 * as QEMU sends them. 0 or -EPROTO with *reason. */
int igdpt_proxy_validate(const struct igdpt_proxy_msg *msg, const char **reason);

void igdpt_proxy_decode_cfg(const struct igdpt_proxy_msg *msg, struct igdpt_proxy_cfg *cfg);
void igdpt_proxy_decode_bar(const struct igdpt_proxy_msg *msg, struct igdpt_proxy_bar *bar);
void igdpt_proxy_decode_sysmem(const struct igdpt_proxy_msg *msg,
			       struct igdpt_proxy_sysmem *sysmem);

/* Encoders, used by the device for replies and by tests as QEMU's side.
 * They return the total number of bytes written into buf. */
size_t igdpt_proxy_encode(uint8_t *buf, int32_t cmd, const void *payload, uint64_t size);
size_t igdpt_proxy_encode_cfg(uint8_t *buf, int32_t cmd, const struct igdpt_proxy_cfg *cfg);
size_t igdpt_proxy_encode_bar(uint8_t *buf, int32_t cmd, const struct igdpt_proxy_bar *bar);
size_t igdpt_proxy_encode_sysmem(uint8_t *buf, const struct igdpt_proxy_sysmem *sysmem);

/* Sends a RET reply carrying value (with_value false: size 0, as the reply
 * to DEVICE_RESET). 0 or -errno. */
int igdpt_proxy_send_ret(int sock, uint64_t value, bool with_value);

/* Sends buf with fds attached (nfds may be 0). 0 or -errno. For tests and
 * for QEMU-side peers. */
int igdpt_proxy_send(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds);

/* Closes the fds a message carries. */
void igdpt_proxy_msg_close_fds(struct igdpt_proxy_msg *msg);

#endif
