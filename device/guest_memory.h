/* SPDX-License-Identifier: MIT */
/* Guest RAM as QEMU shares it with SYNC_SYSMEM: memfd regions mapped into the
 * device process, and bounds-checked access by guest physical address. */
#ifndef IGDPT_DEVICE_GUEST_MEMORY_H
#define IGDPT_DEVICE_GUEST_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "proxy_proto.h"

struct igdpt_guest_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;   /* first byte of the region in this process */
	void *map_base;  /* what mmap returned (page aligned) */
	size_t map_len;
};

struct igdpt_guest_memory {
	struct igdpt_guest_region regions[IGDPT_PROXY_MAX_FDS];
	unsigned count;
};

void igdpt_guest_memory_init(struct igdpt_guest_memory *gm);
/* Unmaps everything. */
void igdpt_guest_memory_fini(struct igdpt_guest_memory *gm);

/* Checks count regions (gpa, size, offset into fds[i]) and maps them all
 * read-write, shared. Only when every region maps are the old mappings
 * replaced; on failure the old ones stay and *reason says why (-EINVAL for a
 * bad region, -errno from fstat/mmap). Never takes ownership of the fds. */
int igdpt_guest_memory_sync(struct igdpt_guest_memory *gm, const struct igdpt_proxy_sysmem *sm,
			    const int *fds, unsigned count, const char **reason);

/* Copies len bytes at guest physical address gpa into buf. The whole range
 * must be mapped (it may span adjacent regions). 0 or -EFAULT. */
int igdpt_guest_memory_read(const struct igdpt_guest_memory *gm, uint64_t gpa, uint8_t *buf,
			    size_t len);
/* The reverse; only strategy 1b's placement uses it. 0 or -EFAULT. */
int igdpt_guest_memory_write(struct igdpt_guest_memory *gm, uint64_t gpa, const uint8_t *buf,
			     size_t len);
/* Compares guest memory at gpa with data: 0 identical, 1 differs (first
 * differing offset in *differs_at), -EFAULT if any byte is unmapped. */
int igdpt_guest_memory_compare(const struct igdpt_guest_memory *gm, uint64_t gpa,
			       const uint8_t *data, size_t len, size_t *differs_at);

#endif
