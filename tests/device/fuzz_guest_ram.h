/* SPDX-License-Identifier: MIT */
/* The guest RAM the device fuzz targets hand the device: a sealed memfd of a
 * known pattern, its shadow copy, and the checks made once the peer is gone. */
#ifndef IGDPT_TESTS_DEVICE_FUZZ_GUEST_RAM_H
#define IGDPT_TESTS_DEVICE_FUZZ_GUEST_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_RAM_SIZE (64u * 1024u)
/* Where the transport targets put the image's signature, for option 1b to
 * find. */
#define FUZZ_RAM_SIGNATURE_AT 0x4000u

/* A memfd of FUZZ_RAM_SIZE bytes that nobody (device or harness) may
 * resize, holding a fixed pattern and, when signature_size is not 0, the
 * signature at FUZZ_RAM_SIGNATURE_AT; shadow gets the same bytes. */
int fuzz_ram_create(uint8_t *shadow, const uint8_t *signature, size_t signature_size);

/* After a transport run: guest RAM is the shadow, unless the device placed
 * the image in guest RAM (placed), and then at most image_size bytes
 * changed (a peer's memory map may put the copy at any file offset). */
void fuzz_ram_check(int fd, const uint8_t *shadow, bool placed, size_t image_size);

/* The lowest free descriptor: the same before and after, or one leaked. */
int fuzz_lowest_free_fd(void);

#endif
