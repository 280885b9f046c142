/* SPDX-License-Identifier: MIT */
/* Guest RAM as a peer shares it: regions of guest physical address space
 * backed by files the peer passed (QEMU's SYNC_SYSMEM memfds, vfio-user
 * DMA_MAP fds), and bounds-checked access to them by guest address. */
#ifndef IGDPT_DEVICE_GUEST_MEMORY_H
#define IGDPT_DEVICE_GUEST_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One region as a transport declares it: [gpa, gpa + size) lives in fd's
 * file from byte offset on. read_only: the peer lets the device read it
 * only (a vfio-user DMA_MAP without the write flag); writes are refused. */
struct igdpt_guest_region {
	uint64_t gpa;
	uint64_t size;
	int fd;
	uint64_t offset;
	bool read_only;
};

/* Regions kept at once: the proxy sends at most 8, a vfio-user client one
 * per RAM block (QEMU 11.1: 5 for a pc machine). */
#define IGDPT_GUEST_MEMORY_MAX_REGIONS 64u

struct igdpt_guest_memory {
	/* fd here is the memory's own duplicate, closed with the region. */
	struct igdpt_guest_region regions[IGDPT_GUEST_MEMORY_MAX_REGIONS];
	unsigned count;
};

void igdpt_guest_memory_init(struct igdpt_guest_memory *gm);
/* Forgets every region (closes the duplicates). */
void igdpt_guest_memory_fini(struct igdpt_guest_memory *gm);

/* Replaces every region with count new ones (0: none), all or nothing: on
 * failure the old regions stay. Each region must be non-empty, not wrap,
 * lie inside its file as it is now (a regular file, readable, not opened
 * for appending) and overlap no other. The memory keeps a duplicate of
 * each fd; the caller keeps its own. 0, -EINVAL (*reason) for a bad region,
 * -ENOSPC for more than IGDPT_GUEST_MEMORY_MAX_REGIONS, -errno (*reason)
 * when an fd cannot be examined or duplicated. */
int igdpt_guest_memory_replace(struct igdpt_guest_memory *gm,
			       const struct igdpt_guest_region *regions, unsigned count,
			       const char **reason);
/* Adds one region, checked as above and against the regions there. */
int igdpt_guest_memory_add(struct igdpt_guest_memory *gm, const struct igdpt_guest_region *region,
			   const char **reason);
/* Removes the region added for exactly [gpa, gpa + size). 0 or -ENOENT. */
int igdpt_guest_memory_remove(struct igdpt_guest_memory *gm, uint64_t gpa, uint64_t size,
			      const char **reason);

/* Copies len bytes at guest physical address gpa into buf. The whole range
 * must lie in regions (it may span adjacent ones) and in their files as
 * they are now. 0 or -EFAULT (buf may then hold part of the bytes). */
int igdpt_guest_memory_read(const struct igdpt_guest_memory *gm, uint64_t gpa, uint8_t *buf,
			    size_t len);
/* The reverse, never past the current end of a file (a file the peer
 * shrank is not grown again) and never into a read-only region. 0 or
 * -EFAULT (nothing written when some byte lies outside the regions or in
 * a read-only one; a part of the range may have been written when the
 * file shrank during the write). */
int igdpt_guest_memory_write(struct igdpt_guest_memory *gm, uint64_t gpa, const uint8_t *buf,
			     size_t len);
/* Compares guest memory at gpa with data: 0 identical, 1 differs (first
 * differing offset in *differs_at), -EFAULT if any byte cannot be read. */
int igdpt_guest_memory_compare(const struct igdpt_guest_memory *gm, uint64_t gpa,
			       const uint8_t *data, size_t len, size_t *differs_at);

#endif
