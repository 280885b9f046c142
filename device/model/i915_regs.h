/* SPDX-License-Identifier: MIT */
/* The few BAR0 registers Linux i915 (6.1, Kaby Lake) waits on before it
 * reaches its OpRegion setup; everything else is a plain register file.
 * i915_regs.c has the table, observed against a real i915 through the
 * proxy (docs/linux-guest.md tells how). */
#ifndef IGDPT_DEVICE_I915_REGS_H
#define IGDPT_DEVICE_I915_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* Dword-aligned 32-bit accesses only: that is how i915 touches them. A read
 * returns true with *value when offset is a special register (stored is
 * what the register file holds there). */
bool igdpt_i915_read(uint8_t *regs, uint32_t offset, uint32_t *value);
/* A write returns true when it handled offset (and updated regs itself). */
bool igdpt_i915_write(uint8_t *regs, uint32_t offset, uint32_t value);

/* Sets the registers firmware leaves non-zero on a machine it booted: the
 * eDP panel of power sequencer 0 lit (PP_CONTROL). regs is all zero before. */
void igdpt_i915_firmware_state(uint8_t *regs);

#endif
