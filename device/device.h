/* SPDX-License-Identifier: MIT */
/* igdpt-device's state: the IGD and LPC functions behind QEMU's proxy
 * sockets, guest RAM, the OpRegion image, and the event log. */
#ifndef IGDPT_DEVICE_DEVICE_H
#define IGDPT_DEVICE_DEVICE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_space.h"
#include "event_log.h"
#include "igdpt/vmm.h"
#include "guest_memory.h"
#include "igd.h"
#include "mmio.h"
#include "proxy_proto.h"

enum igdpt_function_kind {
	IGDPT_FUNCTION_IGD,
	IGDPT_FUNCTION_LPC,
};

#define IGDPT_DEVICE_MAX_FUNCTIONS 2u
/* Guest-triggered events of one kind logged before the rest are dropped, so
 * a guest writing ASLS in a loop cannot fill the host's disk. */
#define IGDPT_DEVICE_EVENT_CAP 256u
/* Kinds of capped events: ASLS, BDSM, GGC, SWSCI writes, BAR misses. */
#define IGDPT_DEVICE_CAPPED_KINDS 5u

enum igdpt_function_state {
	IGDPT_FUNCTION_OPEN,
	IGDPT_FUNCTION_PEER_CLOSED,
	IGDPT_FUNCTION_FAILED, /* closed by the device: protocol or I/O error */
};

struct igdpt_function {
	enum igdpt_function_kind kind;
	enum igdpt_function_state state;
	int sock;
	struct igdpt_proxy_reader reader;
	struct igdpt_config_space *cfg;
};

struct igdpt_device_config {
	struct igdpt_igd_params igd;
	unsigned generation;  /* 6..12 have BDSM (igdpt/vmm.h) */
	uint64_t stolen_size; /* what GGC announces; 0: none */
	/* The options where the firmware places (igdpt_vmm_strategy_firmware_
	 * places(): 4b, 1b); the proxy cannot map memory into the guest. */
	enum igdpt_vmm_strategy strategy;
	uint16_t lpc_vendor;
	uint16_t lpc_device;
	/* The OpRegion (NULL: none). The VMM context copies it; for 1b it also
	 * keeps this pointer as the host OpRegion (igdpt_vmm_config), so it
	 * must stay valid until igdpt_device_fini(). */
	uint8_t *image;
	size_t image_size;
};

struct igdpt_device {
	struct igdpt_event_log *log;
	struct igdpt_igd igd;
	struct igdpt_mmio mmio;
	struct igdpt_config_space lpc;
	struct igdpt_guest_memory gm;
	struct igdpt_function functions[IGDPT_DEVICE_MAX_FUNCTIONS];
	unsigned nfunctions;
	unsigned generation;
	unsigned event_counts[IGDPT_DEVICE_CAPPED_KINDS];
	/* ASLS, BDSM, GGC and SWSCI: igdpt's VMM interface owns them, holds
	 * the OpRegion and places it for the strategy (igdpt/vmm.h). */
	struct igdpt_vmm *vmm;
};

/* Sets the device up (no functions yet). 0, -EINVAL for a configuration the
 * IGD model or the VMM context rejects (diag, may be NULL, says why: e.g. a
 * stolen size without a GMS encoding), -ENOMEM. */
int igdpt_device_init(struct igdpt_device *dev, const struct igdpt_device_config *config,
		      struct igdpt_event_log *log, struct igdpt_diag *diag);
void igdpt_device_fini(struct igdpt_device *dev);

/* Serves a function on a connected socket (made non-blocking for reads);
 * logs its "start" event. Returns the function index or -ENOSPC. */
int igdpt_device_add_function(struct igdpt_device *dev, enum igdpt_function_kind kind,
			      int sock);

/* Reads and handles every complete message waiting on function index.
 * Returns 1 while the connection stays open, 0 once it was closed (by the
 * peer or because of a malformed message; the "closed" event is logged and
 * the socket closed). */
int igdpt_device_service(struct igdpt_device *dev, unsigned index);

/* Serves function index alone, blocking in recvmsg between messages (no
 * poll per request), until the connection ends (returns 0) or *stop is set
 * (returns 1). Meant for when it is the only open connection: a signal
 * handler sets *stop and interrupts the wait (see device/main.c). */
int igdpt_device_serve_blocking(struct igdpt_device *dev, unsigned index,
				const volatile sig_atomic_t *stop);

/* Handles one message; the device owns msg's fds. 0, or -EPROTO / -errno
 * when the connection must end (the protocol_error event is logged). */
int igdpt_device_handle(struct igdpt_device *dev, unsigned index, struct igdpt_proxy_msg *msg);

/* Closes an open function with a "closed" event giving reason. */
void igdpt_device_close(struct igdpt_device *dev, unsigned index, const char *reason,
			enum igdpt_function_state state);

/* The guest copy at the current ASLS: "identical", "differs" (*differs_at),
 * "unmapped" or "no-image". */
const char *igdpt_device_guest_copy(const struct igdpt_device *dev, size_t *differs_at);

/* Logs the "final" event. image_path is re-read and compared with the
 * context's image (NULL: no image). Returns true if the host image is
 * unchanged (or there is none). */
bool igdpt_device_final(struct igdpt_device *dev, const char *image_path);

/* Number of open functions. */
unsigned igdpt_device_open_count(const struct igdpt_device *dev);
/* True if some connection ended with an error. */
bool igdpt_device_had_error(const struct igdpt_device *dev);

const char *igdpt_device_function_name(enum igdpt_function_kind kind);

#endif
