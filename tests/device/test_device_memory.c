/* SPDX-License-Identifier: MIT */
/* Unit tests of guest RAM (region validation, bounds-checked access across
 * regions, replace/add/remove, a file the peer shrinks or grows) and of the
 * IGD's BAR register file. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "model/guest_memory.h"
#include "igdpt/abi/guest.h"
#include "model/mmio.h"

#define MIB (1u << 20)

/* A memfd of size bytes whose byte i is (i * 7) & 0xFF. */
static int make_ram(size_t size)
{
	int fd = memfd_create("guest-ram", MFD_CLOEXEC);
	uint8_t *p;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	for (size_t i = 0; i < size; i++)
		p[i] = (uint8_t)(i * 7);
	munmap(p, size);
	return fd;
}

/* Two regions of one 4 MiB file, like QEMU's pc layout with a hole:
 * [0, 640K) -> file 0, [1M, 4M) -> file 1M. */
static void sync_pc_layout(struct igdpt_guest_memory *gm, int fd)
{
	const struct igdpt_guest_region r[2] = {
		{.gpa = 0, .size = 0xA0000, .fd = fd, .offset = 0},
		{.gpa = MIB, .size = 3 * MIB, .fd = fd, .offset = MIB},
	};
	const char *reason = NULL;

	assert_int_equal(igdpt_guest_memory_replace(gm, r, 2, &reason), 0);
}

static void test_read_bounds(void **state)
{
	struct igdpt_guest_memory gm;
	uint8_t buf[16];
	int fd = make_ram(4 * MIB);

	(void)state;
	igdpt_guest_memory_init(&gm);
	sync_pc_layout(&gm, fd);
	close(fd); /* the memory keeps its own duplicates, as after QEMU dies */
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x1000, buf, 4), 0);
	assert_int_equal(buf[0], (uint8_t)(0x1000 * 7));
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x9FFF0, buf, 16), 0);
	/* Into the hole, across the hole, past the end, wrapping. */
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x9FFF8, buf, 16), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0xC0000, buf, 1), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, 4 * MIB - 8, buf, 8), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 4 * MIB - 8, buf, 9), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, UINT64_MAX - 2, buf, 8), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, 4 * MIB, buf, 0), 0);
	igdpt_guest_memory_fini(&gm);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0, buf, 1), -EFAULT);
}

static void test_compare_and_write(void **state)
{
	struct igdpt_guest_memory gm;
	uint8_t image[8192], back[8192];
	size_t at = 0;
	int fd = make_ram(4 * MIB);
	uint64_t asls = 3 * MIB;

	(void)state;
	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i ^ 0x5A);
	igdpt_guest_memory_init(&gm);
	sync_pc_layout(&gm, fd);
	assert_int_equal(igdpt_guest_memory_compare(&gm, asls, image, sizeof(image), &at), 1);
	assert_int_equal(at, 0);
	assert_int_equal(igdpt_guest_memory_write(&gm, asls, image, sizeof(image)), 0);
	assert_int_equal(igdpt_guest_memory_compare(&gm, asls, image, sizeof(image), &at), 0);
	/* The write went to the shared file, at the right offset. */
	assert_int_equal(pread(fd, back, sizeof(back), (off_t)asls), (ssize_t)sizeof(back));
	assert_memory_equal(back, image, sizeof(image));
	/* One byte changed by the "guest". */
	back[0x10] ^= 1;
	assert_int_equal(pwrite(fd, back + 0x10, 1, (off_t)asls + 0x10), 1);
	assert_int_equal(igdpt_guest_memory_compare(&gm, asls, image, sizeof(image), &at), 1);
	assert_int_equal(at, 0x10);
	/* A range running out of RAM is refused whole: nothing written. */
	assert_int_equal(igdpt_guest_memory_compare(&gm, 4 * MIB - 4096, image, sizeof(image), &at),
			 -EFAULT);
	assert_int_equal(igdpt_guest_memory_write(&gm, 4 * MIB - 4096, image, sizeof(image)),
			 -EFAULT);
	assert_int_equal(pread(fd, back, 4096, 4 * MIB - 4096), 4096);
	for (size_t i = 0; i < 4096; i++)
		assert_int_equal(back[i], (uint8_t)((4 * MIB - 4096 + i) * 7));
	igdpt_guest_memory_fini(&gm);
	close(fd);
}

static void expect_bad_region(struct igdpt_guest_memory *gm, uint64_t gpa, uint64_t size,
			      uint64_t offset, int fd, const char *want)
{
	const struct igdpt_guest_region r = {.gpa = gpa, .size = size, .fd = fd, .offset = offset};
	const char *reason = NULL;

	assert_true(igdpt_guest_memory_replace(gm, &r, 1, &reason) < 0);
	assert_non_null(reason);
	if (!strstr(reason, want))
		fail_msg("reason \"%s\" does not mention \"%s\"", reason, want);
	reason = NULL;
	assert_true(igdpt_guest_memory_add(gm, &r, &reason) < 0);
	assert_non_null(reason);
}

static void test_region_validation(void **state)
{
	struct igdpt_guest_memory gm;
	struct igdpt_guest_region r = {0};
	uint8_t b;
	int fd = make_ram(2 * MIB);
	int sock[2] = {-1, -1};
	const char *reason;
	char path[] = "/tmp/igdpt-append.XXXXXX";
	int append;

	(void)state;
	igdpt_guest_memory_init(&gm);
	expect_bad_region(&gm, 0, 0, 0, fd, "size 0");
	expect_bad_region(&gm, 0, MIB, (uint64_t)-4096, fd, "wraps");
	expect_bad_region(&gm, 0, 4 * MIB, 0, fd, "past the end");
	expect_bad_region(&gm, 0, MIB, MIB + 4096, fd, "past the end");
	expect_bad_region(&gm, UINT64_MAX - 4095, 8192, 0, fd, "wraps");
	expect_bad_region(&gm, 0, 4096, INT64_MAX, fd, "wraps");
	expect_bad_region(&gm, 0, UINT64_MAX, 1, fd, "wraps");
	expect_bad_region(&gm, 0, 4096, 0, 987654, "cannot be examined");
	assert_int_equal(pipe(sock), 0);
	expect_bad_region(&gm, 0, 4096, 0, sock[0], "not a memory file");
	close(sock[0]);
	close(sock[1]);
	/* pwrite would append wherever it is asked to write. */
	append = mkstemp(path);
	assert_true(append >= 0);
	assert_int_equal(ftruncate(append, 8192), 0);
	close(append);
	append = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	unlink(path);
	expect_bad_region(&gm, 0, 4096, 0, append, "appending");
	close(append);
	assert_int_equal(gm.count, 0);

	/* A good region, then a bad replacement: the good one stays. */
	r = (struct igdpt_guest_region){.size = 2 * MIB, .fd = fd};
	assert_int_equal(igdpt_guest_memory_replace(&gm, &r, 1, &reason), 0);
	expect_bad_region(&gm, 0, 8 * MIB, 0, fd, "past the end");
	assert_int_equal(gm.count, 1);
	assert_int_equal(igdpt_guest_memory_read(&gm, 2 * MIB - 1, &b, 1), 0);
	/* Overlaps, within one replacement and against what is there. */
	{
		const struct igdpt_guest_region two[2] = {
			{.gpa = 0, .size = MIB, .fd = fd}, {.gpa = MIB - 1, .size = 2, .fd = fd}};

		assert_int_equal(igdpt_guest_memory_replace(&gm, two, 2, &reason), -EINVAL);
		assert_non_null(strstr(reason, "overlaps"));
		assert_int_equal(igdpt_guest_memory_add(&gm, &two[1], &reason), -EINVAL);
		assert_non_null(strstr(reason, "overlaps"));
	}
	/* A good replacement replaces it; unaligned file offsets work. */
	r = (struct igdpt_guest_region){.gpa = 0x10000000, .size = 4096, .fd = fd, .offset = 100};
	assert_int_equal(igdpt_guest_memory_replace(&gm, &r, 1, &reason), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0, &b, 1), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x10000000, &b, 1), 0);
	assert_int_equal(b, (uint8_t)(100 * 7));
	/* Add and remove, as vfio-user's DMA_MAP and DMA_UNMAP do. */
	r = (struct igdpt_guest_region){.gpa = 0, .size = 4096, .fd = fd, .offset = 0};
	assert_int_equal(igdpt_guest_memory_add(&gm, &r, &reason), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0, &b, 1), 0);
	assert_int_equal(igdpt_guest_memory_remove(&gm, 0, 8192, &reason), -ENOENT);
	assert_int_equal(igdpt_guest_memory_remove(&gm, 0, 4096, &reason), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0, &b, 1), -EFAULT);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x10000000, &b, 1), 0);
	/* Replacing with nothing forgets everything. */
	assert_int_equal(igdpt_guest_memory_replace(&gm, NULL, 0, &reason), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 0x10000000, &b, 1), -EFAULT);
	/* Too many regions. */
	for (unsigned i = 0; i < IGDPT_GUEST_MEMORY_MAX_REGIONS; i++) {
		r = (struct igdpt_guest_region){.gpa = i * 4096ull, .size = 4096, .fd = fd};
		assert_int_equal(igdpt_guest_memory_add(&gm, &r, &reason), 0);
	}
	r.gpa += 4096;
	assert_int_equal(igdpt_guest_memory_add(&gm, &r, &reason), -ENOSPC);
	igdpt_guest_memory_fini(&gm);
	close(fd);
}

/* issue 13: a peer that shrinks the file it shared must not kill the device
 * (a mapping would fault with SIGBUS here). Reads and comparisons of what is
 * gone fail; writes neither fault nor grow the file back. */
static void test_file_shrinks(void **state)
{
	struct igdpt_guest_memory gm;
	uint8_t image[8192], buf[8192];
	struct stat st;
	size_t at = 0;
	int fd = make_ram(4 * MIB);

	(void)state;
	memset(image, 0x5A, sizeof(image));
	igdpt_guest_memory_init(&gm);
	sync_pc_layout(&gm, fd);
	assert_int_equal(igdpt_guest_memory_write(&gm, 3 * MIB, image, sizeof(image)), 0);
	assert_int_equal(ftruncate(fd, 2 * MIB), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 3 * MIB, buf, sizeof(buf)), -EFAULT);
	assert_int_equal(igdpt_guest_memory_compare(&gm, 3 * MIB, image, sizeof(image), &at),
			 -EFAULT);
	assert_int_equal(igdpt_guest_memory_write(&gm, 3 * MIB, image, sizeof(image)), -EFAULT);
	/* Straddling the new end: refused, the file keeps its size. */
	assert_int_equal(igdpt_guest_memory_write(&gm, 2 * MIB - 4096, image, sizeof(image)),
			 -EFAULT);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 2 * MIB);
	/* What is left still works. */
	assert_int_equal(igdpt_guest_memory_read(&gm, MIB, buf, 16), 0);
	assert_int_equal(buf[0], (uint8_t)(MIB * 7));
	/* Grown back: the region is readable again (zeros past the old end). */
	assert_int_equal(ftruncate(fd, 4 * MIB), 0);
	assert_int_equal(igdpt_guest_memory_read(&gm, 3 * MIB, buf, 16), 0);
	assert_int_equal(buf[0], 0);
	igdpt_guest_memory_fini(&gm);
	close(fd);
}

static int publish_nothing(void *opaque, const char *name, const void *data, size_t len)
{
	(void)opaque, (void)name, (void)data, (void)len;
	return 0;
}

static const struct igdpt_vmm_ops firmware_places = {
	.struct_size = sizeof(struct igdpt_vmm_ops),
	.publish = publish_nothing,
};

/* The register owner the mirrors read: gen 9, 32 MiB stolen, option 4b. */
static struct igdpt_vmm *make_vmm(unsigned generation, uint64_t stolen)
{
	struct igdpt_vmm_config c = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = IGDPT_VMM_4B, .generation = generation,
				     .stolen_size = stolen, .ops = &firmware_places};
	struct igdpt_vmm *vmm = NULL;

	assert_int_equal(igdpt_vmm_create(&c, &vmm, NULL), 0);
	assert_int_equal(igdpt_vmm_realize(vmm, NULL), 0);
	return vmm;
}

static void test_mmio(void **state)
{
	struct igdpt_mmio mmio;
	struct igdpt_vmm *vmm = make_vmm(9, 32u * MIB);

	(void)state;
	assert_int_equal(igdpt_mmio_init(&mmio), 0);
	/* Register file: 0 initially, reads back writes, any width. */
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x7000, 4), 0);
	igdpt_mmio_write(&mmio, vmm, 0, 0x7000, 0x00010001, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x7000, 4), 0x00010001);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x7000, 2), 0x0001);
	igdpt_mmio_write(&mmio, vmm, 0, IGDPT_IGD_BAR0_SIZE - 8, UINT64_MAX, 8);
	assert_true(igdpt_mmio_read(&mmio, vmm, 0, IGDPT_IGD_BAR0_SIZE - 8, 8) == UINT64_MAX);
	/* GGC and BDSM mirrors read config and ignore writes. */
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, IGDPT_MMIO_GGC_MIRROR_OFFSET, 2), 0x01C1);
	igdpt_mmio_write(&mmio, vmm, 0, IGDPT_MMIO_GGC_MIRROR_OFFSET, 0, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, IGDPT_MMIO_GGC_MIRROR_OFFSET, 2), 0x01C1);
	assert_int_equal(igdpt_vmm_config_write(vmm, IGDPT_PCI_BDSM_OFFSET, 4, 0x7F000000), 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, IGDPT_MMIO_BDSM_MIRROR_OFFSET, 4),
			 0x7F000000);
	/* I/O BAR4: index at +0, data at +4 reaches BAR0. */
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_INDEX_OFFSET, 0x7000, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 4, IGDPT_MMIO_IO_INDEX_OFFSET, 4), 0x7000);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 4), 0x00010001);
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 0xCAFE, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x7000, 4), 0xCAFE);
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_INDEX_OFFSET, IGDPT_MMIO_BDSM_MIRROR_OFFSET, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 4), 0x7F000000);
	/* An index past BAR0 reads 0 and writes nothing (no overflow). */
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_INDEX_OFFSET, UINT32_MAX, 4);
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 1, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 4), 0);
	/* Aperture: reads 0, writes dropped. */
	igdpt_mmio_write(&mmio, vmm, 2, 0x1000, 0x1234, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 2, 0x1000, 4), 0);
	igdpt_mmio_fini(&mmio);
	igdpt_vmm_destroy(vmm);

	/* Gen 12: the BDSM mirror is 8 bytes wide and shows 0xC0. */
	vmm = make_vmm(12, 0);
	assert_int_equal(igdpt_mmio_init(&mmio), 0);
	assert_int_equal(igdpt_vmm_config_write(vmm, IGDPT_PCI_BDSM64_OFFSET + 4, 4, 0x1), 4);
	assert_int_equal(igdpt_vmm_config_write(vmm, IGDPT_PCI_BDSM64_OFFSET, 4, 0x7F000000), 4);
	assert_true(igdpt_mmio_read(&mmio, vmm, 0, IGDPT_MMIO_BDSM_MIRROR_OFFSET, 8) ==
		    0x17F000000ull);
	igdpt_mmio_fini(&mmio);
	igdpt_vmm_destroy(vmm);
}

/* The registers i915 waits on (device/model/i915_regs.c), through BAR0 and BAR4. */
static void test_i915_registers(void **state)
{
	struct igdpt_mmio mmio;
	struct igdpt_vmm *vmm = make_vmm(9, 0);

	(void)state;
	assert_int_equal(igdpt_mmio_init(&mmio), 0);
	/* Forcewake: masked request, ack mirrors it. */
	igdpt_mmio_write(&mmio, vmm, 0, 0xA278, 0x00010001, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0xA278, 4), 0x1);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x0D84, 4), 0x1);
	igdpt_mmio_write(&mmio, vmm, 0, 0xA278, 0x00010000, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x0D84, 4), 0);
	/* The same through the I/O window. */
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_INDEX_OFFSET, 0xA188, 4);
	igdpt_mmio_write(&mmio, vmm, 4, IGDPT_MMIO_IO_DATA_OFFSET, 0x00030003, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x130044, 4), 0x3);
	/* Engine reset ready, reset done, fuses. */
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x20D0, 4), 0x2);
	igdpt_mmio_write(&mmio, vmm, 0, 0x941C, 0x1, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x941C, 4), 0);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x9120, 4), (1u << 25) | (0x8u << 20));
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0xC6204, 4), 24);
	/* Power wells: state follows request. */
	igdpt_mmio_write(&mmio, vmm, 0, 0x45404, 0xA, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x45404, 4), 0xF);
	/* LCPLL: lock follows enable. */
	igdpt_mmio_write(&mmio, vmm, 0, 0x46010, 1u << 31, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x46010, 4), 3u << 30);
	/* AUX: a send completes with a timeout. */
	igdpt_mmio_write(&mmio, vmm, 0, 0x64010, (1u << 31) | 0x5, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x64010, 4), (1u << 30) | (1u << 28) | 0x5);
	/* PCODE: memory latency, busy clears. */
	igdpt_mmio_write(&mmio, vmm, 0, 0x138128, 0, 4);
	igdpt_mmio_write(&mmio, vmm, 0, 0x138124, (1u << 31) | 0x6, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x138124, 4), 0);
	assert_int_not_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x138128, 4), 0);
	/* Interrupt identity reads 0 whatever was written. */
	igdpt_mmio_write(&mmio, vmm, 0, 0x44308, UINT32_MAX, 4);
	assert_int_equal(igdpt_mmio_read(&mmio, vmm, 0, 0x44308, 4), 0);
	igdpt_mmio_fini(&mmio);
	igdpt_vmm_destroy(vmm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_bounds),
		cmocka_unit_test(test_compare_and_write),
		cmocka_unit_test(test_region_validation),
		cmocka_unit_test(test_file_shrinks),
		cmocka_unit_test(test_mmio),
		cmocka_unit_test(test_i915_registers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
