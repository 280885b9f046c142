/* SPDX-License-Identifier: MIT */
/* Guest RAM mappings. Every access is checked against the regions QEMU
 * declared; an address outside them is -EFAULT, never a stray pointer. */
#include "guest_memory.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void igdpt_guest_memory_init(struct igdpt_guest_memory *gm)
{
	memset(gm, 0, sizeof(*gm));
}

static void unmap_all(struct igdpt_guest_region *r, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		munmap(r[i].map_base, r[i].map_len);
}

void igdpt_guest_memory_fini(struct igdpt_guest_memory *gm)
{
	unmap_all(gm->regions, gm->count);
	igdpt_guest_memory_init(gm);
}

static int check_region(uint64_t gpa, uint64_t size, int64_t offset, int fd,
			const char **reason)
{
	struct stat st;

	if (size == 0) {
		*reason = "SYNC_SYSMEM region of size 0";
		return -EINVAL;
	}
	if (offset < 0) {
		*reason = "SYNC_SYSMEM region with a negative file offset";
		return -EINVAL;
	}
	if (gpa + size < gpa || size > SIZE_MAX || (uint64_t)offset + size < (uint64_t)offset) {
		*reason = "SYNC_SYSMEM region wraps around the address space";
		return -EINVAL;
	}
	if (fstat(fd, &st) < 0) {
		*reason = "SYNC_SYSMEM file descriptor cannot be examined";
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		*reason = "SYNC_SYSMEM file descriptor is not a memory file";
		return -EINVAL;
	}
	if ((uint64_t)offset + size > (uint64_t)st.st_size) {
		*reason = "SYNC_SYSMEM region runs past the end of its memory file";
		return -EINVAL;
	}
	return 0;
}

int igdpt_guest_memory_sync(struct igdpt_guest_memory *gm, const struct igdpt_proxy_sysmem *sm,
			    const int *fds, unsigned count, const char **reason)
{
	struct igdpt_guest_region fresh[IGDPT_PROXY_MAX_FDS];
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	unsigned mapped = 0;
	int ret = 0;

	if (count == 0 || count > IGDPT_PROXY_MAX_FDS) {
		*reason = "SYNC_SYSMEM region count is not 1..8";
		return -EINVAL;
	}
	for (unsigned i = 0; i < count; i++) {
		ret = check_region(sm->gpa[i], sm->size[i], sm->offset[i], fds[i], reason);
		if (ret < 0)
			return ret;
	}
	for (; mapped < count; mapped++) {
		uint64_t off = (uint64_t)sm->offset[mapped];
		uint64_t delta = off % page;
		struct igdpt_guest_region *r = &fresh[mapped];
		void *p;

		r->map_len = (size_t)(sm->size[mapped] + delta);
		p = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fds[mapped],
			 (off_t)(off - delta));
		if (p == MAP_FAILED) {
			ret = -errno;
			*reason = "SYNC_SYSMEM region cannot be mapped";
			goto unmap_fresh;
		}
		r->map_base = p;
		r->host = (uint8_t *)p + delta;
		r->gpa = sm->gpa[mapped];
		r->size = sm->size[mapped];
	}
	unmap_all(gm->regions, gm->count);
	memcpy(gm->regions, fresh, count * sizeof(fresh[0]));
	gm->count = count;
	return 0;

unmap_fresh:
	unmap_all(fresh, mapped);
	return ret;
}

/* The region holding gpa and how many bytes of it follow gpa. */
static const struct igdpt_guest_region *find(const struct igdpt_guest_memory *gm, uint64_t gpa,
					     uint64_t *avail)
{
	for (unsigned i = 0; i < gm->count; i++) {
		const struct igdpt_guest_region *r = &gm->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size) {
			*avail = r->size - (gpa - r->gpa);
			return r;
		}
	}
	return NULL;
}

/* Walks [gpa, gpa + len) region by region; fails before touching anything
 * if some byte is unmapped. */
static int check_range(const struct igdpt_guest_memory *gm, uint64_t gpa, size_t len)
{
	if (gpa + len < gpa)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		size_t n;

		if (!find(gm, gpa, &avail))
			return -EFAULT;
		n = avail < len ? (size_t)avail : len;
		gpa += n;
		len -= n;
	}
	return 0;
}

int igdpt_guest_memory_read(const struct igdpt_guest_memory *gm, uint64_t gpa, uint8_t *buf,
			    size_t len)
{
	if (check_range(gm, gpa, len) < 0)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa, &avail);
		size_t n = avail < len ? (size_t)avail : len;

		memcpy(buf, r->host + (gpa - r->gpa), n);
		buf += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int igdpt_guest_memory_write(struct igdpt_guest_memory *gm, uint64_t gpa, const uint8_t *buf,
			     size_t len)
{
	if (check_range(gm, gpa, len) < 0)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa, &avail);
		size_t n = avail < len ? (size_t)avail : len;

		memcpy(r->host + (gpa - r->gpa), buf, n);
		buf += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int igdpt_guest_memory_compare(const struct igdpt_guest_memory *gm, uint64_t gpa,
			       const uint8_t *data, size_t len, size_t *differs_at)
{
	size_t done = 0;

	if (check_range(gm, gpa, len) < 0)
		return -EFAULT;
	while (done < len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa + done, &avail);
		size_t n = avail < len - done ? (size_t)avail : len - done;
		const uint8_t *g = r->host + (gpa + done - r->gpa);

		for (size_t i = 0; i < n; i++) {
			if (g[i] != data[done + i]) {
				*differs_at = done + i;
				return 1;
			}
		}
		done += n;
	}
	return 0;
}
