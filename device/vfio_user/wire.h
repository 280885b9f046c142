/* SPDX-License-Identifier: MIT */
/* vfio-user framing on a connected UNIX stream socket: the device's limits,
 * a buffered reader that cuts the stream into messages with their file
 * descriptors, and a sender that never waits on a peer for long. The
 * layouts are protocol.h's. */
#ifndef IGDPT_DEVICE_VFIO_USER_WIRE_H
#define IGDPT_DEVICE_VFIO_USER_WIRE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"
#include "stream.h"

/* What the device accepts, and advertises in its VERSION reply. */
#define IGDPT_VFU_MAX_DATA_XFER (1u << 20) /* max_data_xfer_size: QEMU's default */
#define IGDPT_VFU_MAX_MSG_FDS 8u           /* max_msg_fds */
/* The largest message: a REGION_WRITE of max_data_xfer_size bytes. */
#define IGDPT_VFU_MAX_MSG_SIZE (IGDPT_VFU_HDR_SIZE + IGDPT_VFU_REGION_RW_SIZE + IGDPT_VFU_MAX_DATA_XFER)
/* The largest VERSION JSON taken (QEMU 11.1 sends 194 bytes). */
#define IGDPT_VFU_MAX_VERSION_JSON 4096u
/* How long a reply may wait for room in the socket: QEMU gives up on a
 * reply after x-msg-timeout, 5 s by default; a peer that has read nothing
 * for that long does not read its replies. */
#define IGDPT_VFU_SEND_TIMEOUT_MS 5000

struct igdpt_vfu_msg {
	uint16_t id;
	uint16_t command;
	uint32_t size;  /* whole message, header included */
	uint32_t flags;
	/* size - 16 bytes inside the reader's buffer: valid until the next
	 * igdpt_vfu_read() on the same reader. */
	const uint8_t *payload;
	uint32_t payload_size;
	int fds[IGDPT_VFU_MAX_MSG_FDS]; /* owned by the message */
	unsigned nfds;
};

/* Room for the largest message and a little more, so a following message
 * that arrived with it does not force a second copy. */
#define IGDPT_VFU_READ_BUF (IGDPT_VFU_MAX_MSG_SIZE + 65536u)

/* The buffered reader of one connection. One recvmsg takes what the
 * socket holds (QEMU pipelines DMA_MAPs and posted writes), messages are
 * cut out of the buffer; stream.h says how fds find their message. */
struct igdpt_vfu_reader {
	uint8_t *buf; /* IGDPT_VFU_READ_BUF bytes */
	struct igdpt_stream_reader stream;
};

/* 0 or -ENOMEM. */
int igdpt_vfu_reader_init(struct igdpt_vfu_reader *rd);
/* Closes fds still held and frees the buffer. */
void igdpt_vfu_reader_fini(struct igdpt_vfu_reader *rd);

/* The header checks that need no payload: a command message (no reply or
 * error flag, no unknown flag), a size from 16 bytes to the largest message
 * the command can have (protocol.h, wire.c). 0 or -EPROTO with *reason. */
int igdpt_vfu_check_header(const uint8_t *hdr, const char **reason);

/* Returns 1 with *msg (which owns its fds now) when a message is complete,
 * reading the socket only when the buffer holds none; 0 when more bytes are
 * needed (wait: also when a signal interrupted the wait); -EPIPE when the
 * peer closed between messages; -EPROTO for a malformed message (*reason
 * set; when its header was complete, *msg holds the header fields so that
 * the caller can answer it, no payload and no fds); other -errno for I/O
 * errors (*reason set). wait false never blocks. */
int igdpt_vfu_read(struct igdpt_vfu_reader *rd, int sock, struct igdpt_vfu_msg *msg,
		   const char **reason, bool wait);
/* True when the buffer alone decides the next igdpt_vfu_read(): a whole
 * message or a malformed header is there. */
bool igdpt_vfu_buffered(const struct igdpt_vfu_reader *rd);

void igdpt_vfu_msg_close_fds(struct igdpt_vfu_msg *msg);

/* Writes a header into buf (16 bytes). */
void igdpt_vfu_put_header(uint8_t *buf, uint16_t id, uint16_t command, uint32_t size,
			  uint32_t flags, uint32_t error);

/* Sends len bytes (and nfds fds with the first byte) without blocking for
 * more than timeout_ms in all (< 0: no limit) while the socket is full;
 * gives up early when *stop (may be NULL) becomes non-zero during a wait.
 * 0, -EPIPE (peer gone), -ETIMEDOUT, -EINTR (stopped) or -errno. */
int igdpt_vfu_send(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds,
		   int timeout_ms, const volatile sig_atomic_t *stop);

/* The command's name ("DMA_MAP"), "unknown" for a number outside the
 * protocol. */
const char *igdpt_vfu_command_name(uint16_t command);

#endif
