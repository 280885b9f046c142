/* SPDX-License-Identifier: MIT */
/* The vfio-user transport: one client (a VMM's vfio-user-pci device) on a
 * connected UNIX stream socket, framed by wire.h, dispatched to the device
 * model (device/model/device.h). It frames, checks what the protocol
 * allows and answers; the model decides everything about registers and
 * guest memory. docs/device.md maps each command to its model call.
 *
 * What a refused message gets (a protocol_error event, capped for error
 * replies):
 *   - an error reply (the header with the errno; nothing when the request
 *     was posted) when the message is well formed but asks for what the
 *     device does not have or allow: an unknown region or interrupt index,
 *     an access outside a region or larger than max_data_xfer_size, a write
 *     to a read-only region, an overlapping, unaligned or unknown DMA map,
 *     an argsz too small for the reply, a command the protocol has but the
 *     device does not implement (ENOTSUP); the connection goes on;
 *   - the end of the connection (after an error reply when one can be
 *     sent) when the stream itself is wrong: a header no client sends (a
 *     reply, unknown flags, an unknown command or one only a server sends,
 *     a size outside the command's bounds), a payload of the wrong size, fds
 *     on a message that takes none or the wrong number of them, anything
 *     before VERSION or a second VERSION, a major version other than 0 or
 *     malformed capabilities JSON, a client that does not read its replies
 *     for 5 s.
 * The device never crashes, never waits for a payload longer than the
 * header announced (the header bounds it), and writes guest RAM only as
 * the model allows. */
#ifndef IGDPT_DEVICE_VFIO_USER_VFIO_USER_H
#define IGDPT_DEVICE_VFIO_USER_VFIO_USER_H

#include <signal.h>
#include <stdbool.h>

#include "dma.h"
#include "irqs.h"
#include "model/device.h"
#include "model/event_log.h"
#include "regions.h"
#include "wire.h"

enum igdpt_vfu_state {
	IGDPT_VFU_WAITING,     /* no client yet */
	IGDPT_VFU_OPEN,
	IGDPT_VFU_PEER_CLOSED, /* the client left, or a signal ended it */
	IGDPT_VFU_FAILED,      /* closed by the device: protocol or I/O error */
};

struct igdpt_vfu {
	struct igdpt_device *dev;
	struct igdpt_event_log *log;
	enum igdpt_vfu_state state;
	int sock;
	bool versioned; /* VERSION was negotiated */
	struct igdpt_vfu_reader reader;
	struct igdpt_vfu_regions regions;
	struct igdpt_vfu_dma dma;
	struct igdpt_vfu_irqs irqs;
	uint8_t *reply; /* IGDPT_VFU_MAX_MSG_SIZE bytes */
	/* Set by a signal handler while a reply waits for room (may be NULL). */
	const volatile sig_atomic_t *stop;
	int send_timeout_ms;
};

/* Prepares the transport for the IGD of dev (borrowed, as log) and logs the
 * IGD's "start" event (transport "vfio-user"): the device is ready for a
 * client from here on. The host and LPC bridges must be functions of the
 * model. 0 or -ENOMEM. */
int igdpt_vfu_init(struct igdpt_vfu *vfu, struct igdpt_device *dev, struct igdpt_event_log *log);
/* Closes the socket if open (no event) and every fd kept. */
void igdpt_vfu_fini(struct igdpt_vfu *vfu);

/* Serves the client on a connected socket (the transport owns it now). */
void igdpt_vfu_connect(struct igdpt_vfu *vfu, int sock);

/* Reads and handles every complete message waiting, without blocking.
 * Returns 1 while the connection stays open, 0 once it is closed (the
 * "closed" event is logged, the socket closed). */
int igdpt_vfu_service(struct igdpt_vfu *vfu);
/* Serves the connection, blocking in recvmsg between messages, until it
 * ends (returns 0) or *stop is set (returns 1; the caller closes it). */
int igdpt_vfu_serve_blocking(struct igdpt_vfu *vfu, const volatile sig_atomic_t *stop);

/* Handles one message; its fds stay the caller's (the model and the
 * interrupt table keep duplicates). 0, or -EPROTO / -errno when the
 * connection must end (protocol_error logged), -EPIPE when the peer went
 * away. */
int igdpt_vfu_handle(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg);

/* Closes an open connection with a "closed" event giving reason. */
void igdpt_vfu_close(struct igdpt_vfu *vfu, const char *reason, enum igdpt_vfu_state state);

/* ---- the event loop (serve.c) ---- */

/* Creates a UNIX stream socket file at path and listens on it. The file
 * must not exist (the device removes only what it made). 0 with *fd, or
 * -errno with a one-line reason in err. */
int igdpt_vfu_listen(const char *path, int *fd, char *err, size_t err_size);
/* Waits for one client on the listening socket lfd, or for a signal read
 * from sigfd. The connected socket (>= 0), or -EINTR with *signo set, or
 * -errno. */
int igdpt_vfu_accept(int lfd, int sigfd, int *signo);
/* Serves the connection until the client leaves or a signal in mask
 * arrives; a connection still open then ends with the signal's name as
 * reason. The signals are unblocked while serving: their handler must set
 * *stop and shut vfu->sock down for reading (shutdown(SHUT_RD), which is
 * async-signal-safe), so that a wait that had not begun yet ends too. */
void igdpt_vfu_serve(struct igdpt_vfu *vfu, const sigset_t *mask, volatile sig_atomic_t *stop);
/* The "closed" reason for a signal (IGDPT_EV_CLOSED_SIG*). */
const char *igdpt_vfu_signal_reason(int signo);

#endif
