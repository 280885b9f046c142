/* SPDX-License-Identifier: MIT */
/* Guest RAM through the peer's files, with pread and pwrite.
 *
 * Why not a mapping: the file belongs to the peer. A mapping of it faults
 * with SIGBUS the moment the peer truncates the file below a page the
 * device touches, and a signal handler cannot make that safe for a device
 * that must survive anything its peer does. Seals (F_SEAL_SHRINK) would
 * protect memfds only where the peer sealed them; QEMU seals its
 * memory-backend-memfd by default, but not a memory-backend-file (tmpfs,
 * hugetlbfs), which the proxy and vfio-user share just the same. pread and
 * pwrite turn every change of the file into an error return instead: a
 * read past the current end is short (-EFAULT here), and a write is never
 * issued past the end the file has just before it (fstat), so the device
 * does not grow a file the peer shrank. The device touches guest RAM rarely
 * and little (8 KiB per ASLS write, one OpRegion copy per boot), so copying
 * through the kernel costs nothing that matters.
 *
 * Every access is checked against the declared regions first; an address
 * outside them is -EFAULT, never a stray offset. */
#include "guest_memory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Stack buffer of the comparison. */
#define COMPARE_CHUNK 4096u

void igdpt_guest_memory_init(struct igdpt_guest_memory *gm)
{
	memset(gm, 0, sizeof(*gm));
}

static void close_all(struct igdpt_guest_region *r, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		close(r[i].fd);
}

void igdpt_guest_memory_fini(struct igdpt_guest_memory *gm)
{
	close_all(gm->regions, gm->count);
	igdpt_guest_memory_init(gm);
}

static int fail(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

/* A region in itself and its file as it is now. */
static int check_region(const struct igdpt_guest_region *r, const char **reason)
{
	struct stat st;
	int flags;

	if (r->size == 0)
		return fail(reason, "guest memory region of size 0", -EINVAL);
	if (r->gpa + r->size < r->gpa || r->offset + r->size < r->offset ||
	    r->offset + r->size > (uint64_t)INT64_MAX)
		return fail(reason, "guest memory region wraps around the address space", -EINVAL);
	if (fstat(r->fd, &st) < 0)
		return fail(reason, "guest memory file descriptor cannot be examined", -errno);
	if (!S_ISREG(st.st_mode))
		return fail(reason, "guest memory file descriptor is not a memory file", -EINVAL);
	flags = fcntl(r->fd, F_GETFL);
	if (flags < 0)
		return fail(reason, "guest memory file descriptor cannot be examined", -errno);
	/* pwrite on an O_APPEND file appends wherever it is asked to write. */
	if ((flags & O_ACCMODE) == O_WRONLY || (flags & O_APPEND))
		return fail(reason, "guest memory file is write-only or opened for appending",
			    -EINVAL);
	if (r->offset + r->size > (uint64_t)st.st_size)
		return fail(reason, "guest memory region runs past the end of its memory file",
			    -EINVAL);
	return 0;
}

static bool overlap(const struct igdpt_guest_region *a, const struct igdpt_guest_region *b)
{
	return a->gpa < b->gpa + b->size && b->gpa < a->gpa + a->size;
}

/* Copies r with a duplicate of its fd into *kept. */
static int keep(const struct igdpt_guest_region *r, struct igdpt_guest_region *kept,
		const char **reason)
{
	int fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return fail(reason, "guest memory file descriptor cannot be duplicated", -errno);
	*kept = *r;
	kept->fd = fd;
	return 0;
}

int igdpt_guest_memory_replace(struct igdpt_guest_memory *gm,
			       const struct igdpt_guest_region *regions, unsigned count,
			       const char **reason)
{
	struct igdpt_guest_region fresh[IGDPT_GUEST_MEMORY_MAX_REGIONS];
	unsigned kept = 0;
	int ret;

	if (count > IGDPT_GUEST_MEMORY_MAX_REGIONS)
		return fail(reason, "more guest memory regions than the device keeps", -ENOSPC);
	for (unsigned i = 0; i < count; i++) {
		ret = check_region(&regions[i], reason);
		if (ret < 0)
			return ret;
		for (unsigned j = 0; j < i; j++)
			if (overlap(&regions[i], &regions[j]))
				return fail(reason, "guest memory region overlaps another", -EINVAL);
	}
	for (; kept < count; kept++) {
		ret = keep(&regions[kept], &fresh[kept], reason);
		if (ret < 0)
			goto close_fresh;
	}
	close_all(gm->regions, gm->count);
	memcpy(gm->regions, fresh, count * sizeof(fresh[0]));
	gm->count = count;
	return 0;

close_fresh:
	close_all(fresh, kept);
	return ret;
}

int igdpt_guest_memory_add(struct igdpt_guest_memory *gm, const struct igdpt_guest_region *region,
			   const char **reason)
{
	int ret;

	if (gm->count >= IGDPT_GUEST_MEMORY_MAX_REGIONS)
		return fail(reason, "more guest memory regions than the device keeps", -ENOSPC);
	ret = check_region(region, reason);
	if (ret < 0)
		return ret;
	for (unsigned i = 0; i < gm->count; i++)
		if (overlap(region, &gm->regions[i]))
			return fail(reason, "guest memory region overlaps another", -EINVAL);
	ret = keep(region, &gm->regions[gm->count], reason);
	if (ret < 0)
		return ret;
	gm->count++;
	return 0;
}

int igdpt_guest_memory_remove(struct igdpt_guest_memory *gm, uint64_t gpa, uint64_t size,
			      const char **reason)
{
	for (unsigned i = 0; i < gm->count; i++) {
		struct igdpt_guest_region *r = &gm->regions[i];

		if (r->gpa != gpa || r->size != size)
			continue;
		close(r->fd);
		memmove(r, r + 1, (gm->count - i - 1) * sizeof(*r));
		gm->count--;
		return 0;
	}
	return fail(reason, "no guest memory region with that address and size", -ENOENT);
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
 * if some byte lies in no region (or, for a write, in a read-only one). */
static int check_range(const struct igdpt_guest_memory *gm, uint64_t gpa, size_t len,
		       bool write)
{
	if (gpa + len < gpa)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa, &avail);
		size_t n;

		if (!r || (write && r->read_only))
			return -EFAULT;
		n = avail < len ? (size_t)avail : len;
		gpa += n;
		len -= n;
	}
	return 0;
}

/* One piece inside region r: a short read means the file ended early. */
static int read_piece(const struct igdpt_guest_region *r, uint64_t gpa, uint8_t *buf, size_t len)
{
	uint64_t off = r->offset + (gpa - r->gpa);

	while (len) {
		ssize_t n = pread(r->fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EFAULT;
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_piece(const struct igdpt_guest_region *r, uint64_t gpa, const uint8_t *buf,
		       size_t len)
{
	uint64_t off = r->offset + (gpa - r->gpa);
	struct stat st;

	if (fstat(r->fd, &st) < 0 || off + len > (uint64_t)st.st_size)
		return -EFAULT;
	while (len) {
		ssize_t n = pwrite(r->fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EFAULT;
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int igdpt_guest_memory_read(const struct igdpt_guest_memory *gm, uint64_t gpa, uint8_t *buf,
			    size_t len)
{
	if (check_range(gm, gpa, len, false) < 0)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa, &avail);
		size_t n = avail < len ? (size_t)avail : len;

		if (read_piece(r, gpa, buf, n) < 0)
			return -EFAULT;
		buf += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int igdpt_guest_memory_write(struct igdpt_guest_memory *gm, uint64_t gpa, const uint8_t *buf,
			     size_t len)
{
	if (check_range(gm, gpa, len, true) < 0)
		return -EFAULT;
	while (len) {
		uint64_t avail;
		const struct igdpt_guest_region *r = find(gm, gpa, &avail);
		size_t n = avail < len ? (size_t)avail : len;

		if (write_piece(r, gpa, buf, n) < 0)
			return -EFAULT;
		buf += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

int igdpt_guest_memory_compare(const struct igdpt_guest_memory *gm, uint64_t gpa,
			       const uint8_t *data, size_t len, size_t *differs_at)
{
	uint8_t chunk[COMPARE_CHUNK];

	if (check_range(gm, gpa, len, false) < 0)
		return -EFAULT;
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);

		if (igdpt_guest_memory_read(gm, gpa + done, chunk, n) < 0)
			return -EFAULT;
		for (size_t i = 0; i < n; i++) {
			if (chunk[i] != data[done + i]) {
				*differs_at = done + i;
				return 1;
			}
		}
		done += n;
	}
	return 0;
}
