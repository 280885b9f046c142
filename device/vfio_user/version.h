/* SPDX-License-Identifier: MIT */
/* The VERSION handshake's JSON: the client's capabilities read by a small
 * bounded parser, and the device's answer.
 *
 * Why not json-c, which the event log links anyway: the client's text is
 * the one JSON the device takes from a peer, it is at most 4 KiB, and only
 * five keys of one object matter. A parser of exactly that (nesting at
 * most 8 deep, every byte looked at once, integers checked for overflow)
 * is small enough to read in full and is fuzzed with the rest of the
 * message handler (tests/device/fuzz_vfio_user.c). */
#ifndef IGDPT_DEVICE_VFIO_USER_VERSION_H
#define IGDPT_DEVICE_VFIO_USER_VERSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The capabilities a client named (has_*: present), vfio-user.rst's
 * "Version" section. Other keys (migration, twin_socket, ...) are skipped. */
struct igdpt_vfu_caps {
	bool has_max_msg_fds, has_max_data_xfer_size, has_max_dma_maps, has_pgsizes;
	bool has_write_multiple;
	uint64_t max_msg_fds, max_data_xfer_size, max_dma_maps, pgsizes;
	bool write_multiple;
};

/* The deepest nesting of objects and arrays accepted. */
#define IGDPT_VFU_JSON_MAX_DEPTH 8u

/* Parses len bytes of JSON (no NUL needed; a NUL inside is an error): one
 * object, whose "capabilities" object (if any) gives *caps. The numbers of
 * the known keys must be non-negative integers that fit 64 bits,
 * write_multiple a boolean. 0, or -EINVAL with *reason. */
int igdpt_vfu_caps_parse(const char *json, size_t len, struct igdpt_vfu_caps *caps,
			 const char **reason);

/* The device's capabilities as a VERSION reply's JSON (NUL-terminated),
 * naming only what the client named (the reply's capabilities must be a
 * subset of the client's): max_msg_fds and max_data_xfer_size the device's
 * own limits, pgsizes the client's (the device reads guest memory through
 * the files, any page size does), max_dma_maps the device's; never
 * write_multiple. Returns the length without the NUL, 0 when the client
 * named none (no JSON then), or -ENOSPC when cap is too small. */
int igdpt_vfu_caps_reply(const struct igdpt_vfu_caps *client, uint32_t max_dma_maps, char *buf,
			 size_t cap);

#endif
