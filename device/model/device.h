/* SPDX-License-Identifier: MIT */
/* The device model: what igdpt-device is to any transport that carries it
 * to a VMM (device/proxy/ for QEMU's multi-process proxy; a vfio-user
 * transport uses the same calls). docs/device.md draws the whole picture.
 *
 * The model is the PCI functions of one machine that an IGD's driver
 * looks at: the IGD at 00:02.0 and, optionally, the LPC bridge at 00:1f.0
 * whose ids guest drivers read and the host bridge at 00:00.0 (identity
 * only, for the host-bridge region a vfio IGD has). A transport hands the
 * model what its wire carries, in the model's terms:
 *   - config reads and writes of a function (1, 2 or 4 bytes, 4 KiB space);
 *   - BAR accesses by BAR index and offset (a transport that sees absolute
 *     bus addresses resolves them with igdpt_device_bar_find(), against
 *     the BAR addresses the guest programmed);
 *   - expansion-ROM reads by offset (igdpt_device_config.rom);
 *   - the IGD's device-specific data a vfio IGD exposes: the OpRegion as
 *     published, and the legacy VGA ranges of a VGA-class IGD;
 *   - resets;
 *   - guest RAM regions as (gpa, size, fd, file offset): replaced as a
 *     whole (the proxy's SYNC_SYSMEM) or added and removed one by one
 *     (vfio-user's DMA_MAP and DMA_UNMAP).
 * It frames nothing and owns no socket. Everything it decides is logged in
 * the event log (include/igdpt/abi/events.h, docs/contract.md).
 *
 * Threads: one model is not locked; its transport serializes the calls.
 * Errors: >= 0 success, -errno failure; a failure that a peer caused also
 * sets *reason (a static string, may be passed NULL) for the transport's
 * protocol_error event. Nothing a caller passes can crash the model. */
#ifndef IGDPT_DEVICE_MODEL_DEVICE_H
#define IGDPT_DEVICE_MODEL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config_space.h"
#include "event_log.h"
#include "guest_memory.h"
#include "igd.h"
#include "igdpt/core/diag.h"
#include "igdpt/vmm.h"

enum igdpt_function {
	IGDPT_FUNCTION_IGD = 0,     /* 00:02.0 */
	IGDPT_FUNCTION_LPC,         /* 00:1f.0 */
	IGDPT_FUNCTION_HOST_BRIDGE, /* 00:00.0 */
	IGDPT_FUNCTION_COUNT,
};

/* The largest option ROM the device serves: a vfio-user VMM reads the
 * whole ROM region in one message, which max_data_xfer_size (1 MiB, QEMU's
 * and the device's) bounds. */
#define IGDPT_DEVICE_ROM_MAX_SIZE (1u << 20)

struct igdpt_device_config {
	struct igdpt_igd_params igd;
	unsigned generation;  /* 6..12 have BDSM (igdpt/vmm.h) */
	uint64_t stolen_size; /* what GGC announces; 0: none */
	/* The options where the firmware places (4b, 1b): no transport can
	 * map memory into the guest or add e820 entries for the model. */
	enum igdpt_vmm_strategy strategy;
	bool lpc;             /* serve the LPC bridge too */
	uint16_t lpc_vendor;
	uint16_t lpc_device;
	bool host_bridge;     /* have the host bridge too */
	uint16_t host_bridge_device; /* its device id (vendor: Intel) */
	/* The IGD's option ROM (NULL: none): rom_size bytes, at most
	 * IGDPT_DEVICE_ROM_MAX_SIZE, copied. The ROM BAR at 0x30 then sizes
	 * as the next power of two (at least 2 KiB) and reads beyond the
	 * bytes given read 0. The caller validates the contents. */
	const uint8_t *rom;
	size_t rom_size;
	/* The OpRegion (NULL: none). The VMM context copies it; for 1b it also
	 * keeps this pointer as the host OpRegion (igdpt_vmm_config), so it
	 * must stay valid until igdpt_device_destroy(). */
	uint8_t *image;
	size_t image_size;
	/* QEMU's x-pci-proxy-dev sizes each BAR dword on its own at realize
	 * and would take the upper dword of a 64-bit BAR for a BAR of its own
	 * (device/model/config_space.c): the proxy transport sets this to
	 * hide those dwords until the probe is over. */
	bool qemu_proxy_bar_probe;
};

struct igdpt_device;

/* Builds the model; log (borrowed, may not be NULL; a log opened on no
 * path drops events) must outlive it. -EINVAL (diag: why) for a
 * configuration the IGD or the VMM context refuses, e.g. a stolen size GGC
 * cannot encode; -ENOMEM. */
int igdpt_device_create(const struct igdpt_device_config *config, struct igdpt_event_log *log,
			struct igdpt_device **out, struct igdpt_diag *diag);
/* NULL is fine. Closes the model's duplicates of guest RAM fds. */
void igdpt_device_destroy(struct igdpt_device *dev);

/* "igd", "lpc", "host" (IGDPT_EV_FUNCTION_*). */
const char *igdpt_device_function_name(enum igdpt_function fn);
bool igdpt_device_has_function(const struct igdpt_device *dev, enum igdpt_function fn);
/* A transport serves fn now: logs the "start" event (with the IGD's
 * identity and the transport's name). -ENODEV for a function the model
 * does not have. */
int igdpt_device_attach(struct igdpt_device *dev, enum igdpt_function fn, const char *transport);

/* Config space of fn: len 1, 2 or 4 at off, inside the 4 KiB space.
 * -EINVAL (*reason) for another access, -ENODEV for a missing function.
 * Writes honour the write masks; those touching GGC, BDSM, SWSCI or ASLS
 * go to the VMM context and are logged (capped). */
int igdpt_device_cfg_read(struct igdpt_device *dev, enum igdpt_function fn, uint32_t off,
			  uint32_t len, uint32_t *value, const char **reason);
int igdpt_device_cfg_write(struct igdpt_device *dev, enum igdpt_function fn, uint32_t off,
			   uint32_t len, uint32_t value, const char **reason);

/* A BAR as the guest programmed it. */
struct igdpt_device_bar {
	enum igdpt_bar_type type;
	uint64_t size;
	uint64_t address; /* what the BAR decodes now, flags masked off */
};

/* -ENOENT for an index with no BAR (an unused slot, the upper dword of a
 * 64-bit BAR, any index of the LPC bridge), -EINVAL for index >= 6. */
int igdpt_device_bar_info(const struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			  struct igdpt_device_bar *info);
/* Which BAR an access of size bytes at absolute bus address addr in memory
 * (or I/O) space falls in, and where: 0 with *bar and *offset, -EINVAL
 * (*reason) for a size that is not 1, 2, 4 or 8, -ENOENT when no BAR holds
 * the whole access. QEMU's proxy registers a 64-bit BAR at its lower dword
 * only: both that address and the full 64-bit one are found. */
int igdpt_device_bar_find(const struct igdpt_device *dev, enum igdpt_function fn, bool memory,
			  uint64_t addr, uint32_t size, unsigned *bar, uint64_t *offset,
			  const char **reason);
/* An access of size 1, 2, 4 or 8 bytes at offset into BAR bar. -EINVAL
 * (*reason) for another size, -ENOENT (*reason) when the BAR does not
 * exist or does not hold the whole access. */
int igdpt_device_bar_read(struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			  uint64_t offset, uint32_t size, uint64_t *value, const char **reason);
int igdpt_device_bar_write(struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			   uint64_t offset, uint32_t size, uint64_t value, const char **reason);

/* The expansion ROM of fn: its BAR's size (0: none, and the ROM BAR at
 * config 0x30 reads 0), and len bytes at offset. -ENOENT when the ROM does
 * not hold [offset, offset + len). Only the IGD can have one. The enabled
 * ROM BAR is also BAR IGDPT_PCI_ROM_SLOT to igdpt_device_bar_find() and
 * igdpt_device_bar_read() (writes to it are dropped: a ROM). */
uint64_t igdpt_device_rom_size(const struct igdpt_device *dev, enum igdpt_function fn);
int igdpt_device_rom_read(const struct igdpt_device *dev, enum igdpt_function fn,
			  uint64_t offset, void *buf, size_t len);

/* The OpRegion as the device publishes it (what etc/igd-opregion holds and
 * Linux vfio-pci's OpRegion region shows): its size (0: none) and len
 * bytes at offset, -ENOENT outside it. Read-only. */
size_t igdpt_device_opregion_size(const struct igdpt_device *dev);
int igdpt_device_opregion_read(const struct igdpt_device *dev, uint64_t offset, void *buf,
			       size_t len);

/* The legacy VGA ranges (device/model/vga.h) of a VGA-class IGD. -ENODEV
 * for a display-class IGD, -EINVAL (*reason) for an access outside the
 * ranges. */
bool igdpt_device_has_vga(const struct igdpt_device *dev);
int igdpt_device_vga_read(const struct igdpt_device *dev, uint64_t offset, void *buf, size_t len,
			  const char **reason);
int igdpt_device_vga_write(struct igdpt_device *dev, uint64_t offset, const void *buf,
			   size_t len, const char **reason);

/* Platform reset of fn: the header as QEMU's PCI core resets it; for the
 * IGD the VMM context's reset too (1b forgets its placement; 4b and 1b
 * clear ASLS and BDSM for the firmware to write again) and the VGA ranges. */
void igdpt_device_reset(struct igdpt_device *dev, enum igdpt_function fn);

/* Guest RAM (device/model/guest_memory.h has the rules a region must
 * meet). The model keeps duplicates of the fds; the caller keeps its own.
 * A change of the layout is logged ("sysmem"). */
int igdpt_device_memory_set(struct igdpt_device *dev, const struct igdpt_guest_region *regions,
			    unsigned count, const char **reason);
int igdpt_device_memory_add(struct igdpt_device *dev, const struct igdpt_guest_region *region,
			    const char **reason);
int igdpt_device_memory_remove(struct igdpt_device *dev, uint64_t gpa, uint64_t size,
			       const char **reason);

/* What the guest has at the current ASLS: "identical", "differs"
 * (*differs_at), "unmapped" or "no-image" (IGDPT_EV_COPY_*). */
const char *igdpt_device_guest_copy(const struct igdpt_device *dev, size_t *differs_at);

/* Logs the "final" event. image_path is re-read and compared with the
 * context's image (NULL: no check). Returns true if the host image is
 * unchanged (or there is none). */
bool igdpt_device_final(struct igdpt_device *dev, const char *image_path);

/* The register owner, for reads (tests, fuzzing): the model's own state
 * must change only through the calls above. */
const struct igdpt_vmm *igdpt_device_vmm(const struct igdpt_device *dev);

#endif
