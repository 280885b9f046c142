/* SPDX-License-Identifier: MIT */
/* The QEMU multi-process proxy transport: one connected socket per PCI
 * function (QEMU's -device x-pci-proxy-dev,fd=N), framed by proto.h,
 * dispatched to the device model (device/model/device.h). It frames,
 * checks what the wire allows and answers; the model decides everything
 * about registers and guest memory.
 *
 * What ends a connection (a protocol_error event with "action":"closed"):
 * a message QEMU cannot send (proto.c lists them) and a config access the
 * model refuses (length not 1, 2, 4 or past 4 KiB: QEMU's PCI core never
 * forwards those), a BAR access of another size, a SYNC_SYSMEM region the
 * model refuses. A BAR access outside every BAR is answered with all ones
 * (reads) or dropped (writes) and logged (capped), not fatal: QEMU maps BARs
 * from its own copy of the registers, and a disagreement should not cut the
 * guest off its device. */
#ifndef IGDPT_DEVICE_PROXY_PROXY_H
#define IGDPT_DEVICE_PROXY_PROXY_H

#include <signal.h>
#include <stdbool.h>

#include "igdpt/abi/events.h"
#include "model/device.h"
#include "model/event_log.h"
#include "proto.h"


enum igdpt_proxy_conn_state {
	IGDPT_PROXY_OPEN,
	IGDPT_PROXY_PEER_CLOSED,
	IGDPT_PROXY_FAILED, /* closed by the device: protocol or I/O error */
};

struct igdpt_proxy_conn {
	enum igdpt_function fn;
	enum igdpt_proxy_conn_state state;
	int sock;
	struct igdpt_proxy_reader reader;
};

struct igdpt_proxy {
	struct igdpt_device *dev;
	struct igdpt_event_log *log;
	struct igdpt_proxy_conn conns[IGDPT_FUNCTION_COUNT];
	unsigned count;
};

/* No connections yet; dev and log are borrowed. */
void igdpt_proxy_init(struct igdpt_proxy *px, struct igdpt_device *dev,
		      struct igdpt_event_log *log);
/* Closes every connection still open (no events). */
void igdpt_proxy_fini(struct igdpt_proxy *px);

/* Serves function fn on a connected socket (the transport owns it from now
 * on) and attaches fn to the model (its "start" event). Returns the
 * connection index, -ENOSPC when every function is served, -ENODEV for a
 * function the model lacks. */
int igdpt_proxy_add(struct igdpt_proxy *px, enum igdpt_function fn, int sock);

/* Reads and handles every complete message waiting on connection index.
 * Returns 1 while the connection stays open, 0 once it was closed (by the
 * peer or because of a malformed message; the "closed" event is logged and
 * the socket closed). */
int igdpt_proxy_service(struct igdpt_proxy *px, unsigned index);

/* Serves connection index alone, blocking in recvmsg between messages (no
 * poll per request), until the connection ends (returns 0) or *stop is set
 * (returns 1). Meant for when it is the only open connection: a signal
 * handler sets *stop and interrupts the wait. */
int igdpt_proxy_serve_blocking(struct igdpt_proxy *px, unsigned index,
			       const volatile sig_atomic_t *stop);

/* Handles one message of connection index. msg's fds stay the caller's
 * (the model keeps duplicates of what it needs): close them afterwards.
 * 0, or -EPROTO / -errno when the connection must end (the protocol_error
 * event is logged), -EPIPE when the peer went away. */
int igdpt_proxy_handle(struct igdpt_proxy *px, unsigned index, struct igdpt_proxy_msg *msg);

/* Closes an open connection with a "closed" event giving reason. */
void igdpt_proxy_close(struct igdpt_proxy *px, unsigned index, const char *reason,
		       enum igdpt_proxy_conn_state state);

/* Serves every connection until all have ended or a signal in mask
 * arrives (on sigfd, or, while one connection is served alone, through a
 * handler that sets *stop; see serve.c). Connections still open are then
 * closed with the signal's name as the reason. */
void igdpt_proxy_serve(struct igdpt_proxy *px, int sigfd, const sigset_t *mask,
		       volatile sig_atomic_t *stop);

/* Number of open connections. */
unsigned igdpt_proxy_open_count(const struct igdpt_proxy *px);
/* True if some connection ended with an error. */
bool igdpt_proxy_had_error(const struct igdpt_proxy *px);

#endif
