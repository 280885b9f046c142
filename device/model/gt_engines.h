/* SPDX-License-Identifier: MIT */
/* The GT's command streamers, as far as a guest i915 needs them to finish
 * its GT setup: each engine takes the contexts i915 submits (ELSP on gen 8
 * to 10, the ELSQ and its load bit from gen 11), runs the ring of each from
 * head to tail, carrying out the commands that store to memory through the
 * global GTT (MI_STORE_DWORD_IMM, MI_FLUSH_DW and PIPE_CONTROL post-sync
 * writes: i915's breadcrumbs) and skipping every other, then reports the
 * switches in the context status buffer of the engine's status page, as an
 * engine that ran the requests and went idle does.
 *
 * Without it no request ever completes: i915 waits 200 ms at init for the
 * requests that record each engine's default context (intel_gt_init,
 * __engines_record_defaults), then declares the GT wedged. Nothing of it
 * touches the OpRegion or the display.
 *
 * Guest memory is reached only through present GGTT entries of BAR0's GTT
 * half and the guest RAM the peer shared; a descriptor, context image or
 * ring that does not resolve, or a ring longer than one pass, ends the
 * submission without a status (what a hung engine shows), never the device.
 * No interrupt is raised: i915 reads the status buffer when it flushes its
 * submission, which its waits do. */
#ifndef IGDPT_DEVICE_GT_ENGINES_H
#define IGDPT_DEVICE_GT_ENGINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Engines per GT the model knows (gen 9: rcs, bcs, vcs0/1, vecs; gen 11+:
 * rcs, bcs, vcs0-3, vecs0/1). */
#define IGDPT_GT_ENGINES 8u

/* Where the engines reach guest memory: the device's guest RAM. */
struct igdpt_gt_memory {
	void *opaque;
	int (*read)(void *opaque, uint64_t gpa, void *buf, size_t len);
	int (*write)(void *opaque, uint64_t gpa, const void *buf, size_t len);
};

struct igdpt_gt {
	unsigned generation;
	/* Gen 8-10: the ELSP dwords written since the last submission. */
	uint32_t elsp[IGDPT_GT_ENGINES][4];
	unsigned elsp_count[IGDPT_GT_ENGINES];
};

void igdpt_gt_init(struct igdpt_gt *gt, unsigned generation);

/* After a dword write of value at offset of BAR0 (regs: the whole BAR0
 * register file, GTT half included): runs a submission when the write
 * completes one. Returns true when it did. */
bool igdpt_gt_bar0_write(struct igdpt_gt *gt, uint8_t *regs, size_t regs_size,
			 const struct igdpt_gt_memory *mem, uint32_t offset, uint32_t value);

#endif
