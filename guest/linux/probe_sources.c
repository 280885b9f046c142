/* SPDX-License-Identifier: MIT */
/* The facts `igdpt probe` gathers in a Linux guest, from sysfs, procfs and
 * /dev/mem, each under a root directory so the tests can fake the guest. */
#include "probe_sources.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"

/* PCI config space: the fields read here, and its full size. */
#define PCI_VENDOR_OFFSET 0x00u
#define PCI_DEVICE_OFFSET 0x02u
#define PCI_SUBCLASS_OFFSET 0x0Au
#define PCI_BASE_CLASS_OFFSET 0x0Bu
#define PCI_IDENTITY_SIZE 0x40u /* what unprivileged readers get */
#define PCI_CONFIG_SIZE 0x100u
#define PCI_CLASS_BASE_SHIFT 8u
#define PCI_BASE_CLASS_DISPLAY (IGDPT_PCI_CLASS_DISPLAY_VGA >> PCI_CLASS_BASE_SHIFT)

static int fail(char *err, size_t err_size, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes "MESSAGE[: strerror]" into err; returns -errnum (-EINVAL for 0). */
static int fail(char *err, size_t err_size, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err_size) {
		va_start(ap, fmt);
		vsnprintf(err, err_size, fmt, ap);
		va_end(ap);
		if (errnum) {
			size_t used = strlen(err);

			snprintf(err + used, err_size - used, ": %s", strerror(errnum));
		}
	}
	return -(errnum ? errnum : EINVAL);
}

void probe_path(const char *root, const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", root ? root : "", path);
}

/* Reads up to size bytes of a sysfs file (config, rom); returns bytes read
 * or -errno. */
static ssize_t read_upto(const char *path, uint8_t *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;

	if (fd < 0)
		return -errno;
	while (have < size) {
		ssize_t n = pread(fd, buf + have, size - have, (off_t)have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		have += (size_t)n;
	}
	close(fd);
	return (ssize_t)have;
}

static bool is_intel_display(const uint8_t *cfg)
{
	return igdpt_le16(cfg + PCI_VENDOR_OFFSET) == IGDPT_PCI_VENDOR_INTEL &&
	       cfg[PCI_BASE_CLASS_OFFSET] == PCI_BASE_CLASS_DISPLAY;
}

static int igd_rank(unsigned bus, unsigned dev, unsigned fn)
{
	return bus == 0 && dev == IGDPT_IGD_DEVFN_DEVICE && fn == 0 ? 0 : 1;
}

int probe_find_igd(const char *root, struct igdpt_probe_input *in, char *bdf, size_t bdf_size,
		   char *err, size_t err_size)
{
	char dir[4096], path[8192];
	struct dirent **names = NULL;
	uint8_t cfg[PCI_CONFIG_SIZE];
	int n, best = -1, best_rank = 2, ret = 0;
	ssize_t got;
	unsigned domain, bus, dev, fn;

	probe_path(root, PROBE_SYSFS_PCI, dir, sizeof(dir));
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return fail(err, err_size, errno, "cannot list %s", PROBE_SYSFS_PCI);
	for (int i = 0; i < n; i++) {
		if (sscanf(names[i]->d_name, "%x:%x:%x.%x", &domain, &bus, &dev, &fn) != 4)
			continue;
		snprintf(path, sizeof(path), "%s/%s/config", dir, names[i]->d_name);
		got = read_upto(path, cfg, PCI_IDENTITY_SIZE);
		if (got < (ssize_t)PCI_IDENTITY_SIZE || !is_intel_display(cfg))
			continue;
		if (igd_rank(bus, dev, fn) < best_rank) {
			best = i;
			best_rank = igd_rank(bus, dev, fn);
		}
	}
	if (best < 0)
		goto free_names;

	snprintf(bdf, bdf_size, "%s", names[best]->d_name);
	snprintf(path, sizeof(path), "%s/%s/config", dir, names[best]->d_name);
	got = read_upto(path, cfg, sizeof(cfg));
	if (got < (ssize_t)sizeof(cfg)) {
		/* sysfs gives unprivileged readers the first 64 bytes only. */
		snprintf(err, err_size,
			 "cannot read ASLS: only %zd bytes of %s/%s/config are readable (run as root)",
			 got < 0 ? (ssize_t)0 : got, PROBE_SYSFS_PCI, bdf);
		ret = -EACCES;
		goto free_names;
	}
	sscanf(bdf, "%x:%x:%x.%x", &domain, &bus, &dev, &fn);
	in->igd_found = true;
	in->bus = (uint8_t)bus;
	in->dev = (uint8_t)dev;
	in->fn = (uint8_t)fn;
	in->vendor = igdpt_le16(cfg + PCI_VENDOR_OFFSET);
	in->device_id = igdpt_le16(cfg + PCI_DEVICE_OFFSET);
	in->class_code = (uint16_t)(cfg[PCI_BASE_CLASS_OFFSET] << PCI_CLASS_BASE_SHIFT |
				    cfg[PCI_SUBCLASS_OFFSET]);
	in->asls = igdpt_le32(cfg + IGDPT_PCI_ASLS_OFFSET);
	igdpt_probe_pick_bdsm(in, igdpt_le32(cfg + IGDPT_PCI_BDSM_OFFSET),
			      igdpt_le64(cfg + IGDPT_PCI_BDSM64_OFFSET));
free_names:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

/* The firmware names Linux gives e820 types (firmware_map / iomem). */
static uint32_t type_from_name(const char *name)
{
	static const struct {
		const char *name;
		uint32_t type;
	} types[] = {
		{ "System RAM", IGDPT_E820_RAM },
		{ "Reserved", IGDPT_E820_RESERVED },
		{ "ACPI Tables", IGDPT_E820_ACPI },
		{ "ACPI Non-volatile Storage", IGDPT_E820_NVS },
	};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcasecmp(name, types[i].name))
			return types[i].type;
	return IGDPT_PROBE_MEMMAP_UNKNOWN;
}

static int append(struct igdpt_probe_memmap_entry **map, size_t *count, size_t *cap,
		  uint64_t start, uint64_t end, uint32_t type)
{
	if (end < start)
		return 0; /* empty ranges are printed as start-(start-1) */
	if (*count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 32;
		struct igdpt_probe_memmap_entry *grown = realloc(*map, grown_cap * sizeof(**map));

		if (!grown)
			return -ENOMEM;
		*map = grown;
		*cap = grown_cap;
	}
	(*map)[*count].start = start;
	(*map)[*count].length = end - start + 1; /* end is inclusive */
	(*map)[*count].type = type;
	(*count)++;
	return 0;
}

static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	size_t len;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	return 0;
}

/* /sys/firmware/memmap/N/{start,end,type}: the map firmware handed Linux. */
static int read_sysfs_memmap(const char *root, struct igdpt_probe_memmap_entry **map,
			     size_t *count, char *err, size_t err_size)
{
	char dir[4096], path[8192], start[64], end[64], type[128];
	size_t cap = 0;
	struct dirent *d;
	DIR *dp;
	int ret = 0;

	probe_path(root, PROBE_SYSFS_MEMMAP, dir, sizeof(dir));
	dp = opendir(dir);
	if (!dp && errno == ENOENT)
		return -ENOENT; /* older kernels: the caller falls back to iomem */
	if (!dp)
		return fail(err, err_size, errno, "cannot list %s", PROBE_SYSFS_MEMMAP);
	while ((d = readdir(dp))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/%s/start", dir, d->d_name);
		ret = read_line(path, start, sizeof(start));
		snprintf(path, sizeof(path), "%s/%s/end", dir, d->d_name);
		if (!ret)
			ret = read_line(path, end, sizeof(end));
		snprintf(path, sizeof(path), "%s/%s/type", dir, d->d_name);
		if (!ret)
			ret = read_line(path, type, sizeof(type));
		if (ret) {
			snprintf(path, sizeof(path), "%s/%s", PROBE_SYSFS_MEMMAP, d->d_name);
			ret = fail(err, err_size, -ret, "cannot read %s", path);
			break;
		}
		ret = append(map, count, &cap, strtoull(start, NULL, 16), strtoull(end, NULL, 16),
			     type_from_name(type));
		if (ret)
			break;
	}
	closedir(dp);
	return ret;
}

/* /proc/iomem top-level lines "start-end : name"; only firmware map names
 * are kept (the rest are bus windows and devices, not memory types). */
static int read_iomem(const char *root, struct igdpt_probe_memmap_entry **map, size_t *count,
		      char *err, size_t err_size)
{
	char path[4096], line[512];
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	probe_path(root, PROBE_PROC_IOMEM, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return fail(err, err_size, errno, "cannot read %s", PROBE_PROC_IOMEM);
	while (!ret && fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		int name_at = 0;
		uint32_t type;

		if (line[0] == ' ' ||
		    sscanf(line, "%llx-%llx : %n", &start, &end, &name_at) != 2 || !name_at)
			continue;
		line[strcspn(line, "\n")] = 0;
		type = type_from_name(line + name_at);
		if (type != IGDPT_PROBE_MEMMAP_UNKNOWN)
			ret = append(map, count, &cap, start, end, type);
	}
	fclose(f);
	return ret;
}

int probe_read_memmap(const char *root, struct igdpt_probe_memmap_entry **map, size_t *count,
		      const char **source, char *err, size_t err_size)
{
	int ret;

	*map = NULL;
	*count = 0;
	*source = PROBE_SYSFS_MEMMAP;
	ret = read_sysfs_memmap(root, map, count, err, err_size);
	if (ret == 0 && *count)
		return 0;
	if (ret != -ENOENT && ret != 0)
		return ret;
	*source = PROBE_PROC_IOMEM;
	ret = read_iomem(root, map, count, err, err_size);
	if (ret == 0 && !*count)
		ret = fail(err, err_size, 0, "%s lists no firmware memory ranges (run as root)",
			   PROBE_PROC_IOMEM);
	return ret;
}

int probe_read_fw_cfg(const char *root, struct igdpt_probe_input *in, uint8_t **image,
		      char *err, size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	char path[4096];
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	*image = NULL;
	probe_path(root, PROBE_FW_CFG_BY_NAME "/" IGDPT_FW_CFG_OPREGION_FILE "/raw", path,
		   sizeof(path));
	ret = igdpt_file_read(path, &data, &len, &diag);
	if (ret == 0) {
		in->has_fw_cfg = true;
		in->fw_cfg_image = data;
		in->fw_cfg_size = len;
		*image = data;
	} else if (ret != -ENOENT) {
		return ret;
	}

	probe_path(root, PROBE_FW_CFG_BY_NAME "/" IGDPT_FW_CFG_BDSM_SIZE_FILE "/raw", path,
		   sizeof(path));
	ret = igdpt_file_read(path, &data, &len, &diag);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ret;
	if (len != IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE) {
		free(data);
		return fail(err, err_size, 0, "fw_cfg %s is not %u bytes", IGDPT_FW_CFG_BDSM_SIZE_FILE,
			    IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE);
	}
	in->has_bdsm_request = true;
	in->bdsm_requested = igdpt_le64(data);
	free(data);
	return 0;
}

/* Writes "1" or "0" to sysfs rom: the kernel maps the ROM only while
 * enabled. */
static int rom_enable(const char *path, bool on)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, on ? "1" : "0", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}

/* A ROM BAR is at most 16 MiB; the shadow is 128 KiB. */
#define PROBE_ROM_MAX (16u << 20)

int probe_read_rom(const char *root, const char *bdf, struct igdpt_probe_input *in,
		   uint8_t **rom, char *err, size_t err_size)
{
	char path[4096], logical[256];
	uint8_t *buf;
	ssize_t got;

	*rom = NULL;
	in->rom_from = PROBE_SYSFS_ROM_FROM;
	snprintf(logical, sizeof(logical), "%s/%s/rom", PROBE_SYSFS_PCI, bdf);
	probe_path(root, logical, path, sizeof(path));
	if (access(path, F_OK) < 0 && errno == ENOENT) {
		in->rom_read = true; /* Linux gives this device no ROM */
		return 0;
	}
	buf = malloc(PROBE_ROM_MAX);
	if (!buf)
		return fail(err, err_size, ENOMEM, "cannot read %s", logical);
	/* The kernel answers EINVAL until "1" enables the ROM for reading. */
	got = read_upto(path, buf, PROBE_ROM_MAX);
	if (got == -EINVAL && rom_enable(path, true) == 0) {
		got = read_upto(path, buf, PROBE_ROM_MAX);
		rom_enable(path, false);
	}
	if (got == -EIO) {
		/* pci_map_rom() found no valid image: i915 gets none either. */
		got = 0;
	} else if (got < 0) {
		free(buf);
		return fail(err, err_size, (int)-got, "cannot read %s", logical);
	}
	in->rom_read = true;
	if (!got) {
		free(buf);
		return 0;
	}
	in->rom = buf;
	in->rom_size = (size_t)got;
	*rom = buf;
	return 0;
}

void probe_devmem_init(struct probe_devmem *m, const char *root)
{
	memset(m, 0, sizeof(*m));
	m->fd = -1;
	probe_path(root, PROBE_DEV_MEM, m->path, sizeof(m->path));
}

/* read() on /dev/mem refuses (EFAULT) addresses above the kernel's last RAM
 * page (valid_phys_addr_range), and SeaBIOS places the OpRegion in reserved
 * memory at the top of RAM; mmap() has no such limit (only STRICT_DEVMEM's,
 * which allows reserved ranges), so fall back to it for those. */
static int devmem_mmap_read(int fd, uint64_t gpa, uint8_t *buf, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t base = gpa & ~(uint64_t)(page - 1);
	size_t map_len = (size_t)(gpa - base) + len;
	volatile const uint8_t *src;
	void *map;

	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, (off_t)base);
	if (map == MAP_FAILED)
		return -errno;
	/* Byte reads: uncached device-style mappings dislike wide copies. */
	src = (volatile const uint8_t *)map + (gpa - base);
	for (size_t i = 0; i < len; i++)
		buf[i] = src[i];
	munmap(map, map_len);
	return 0;
}

int probe_devmem_read(void *ctx, uint64_t gpa, uint8_t *buf, size_t len)
{
	struct probe_devmem *m = ctx;
	size_t have = 0;
	int ret = 0;

	if (m->fd < 0) {
		m->fd = open(m->path, O_RDONLY | O_CLOEXEC);
		if (m->fd < 0)
			ret = -errno;
	}
	while (!ret && have < len) {
		ssize_t n = pread(m->fd, buf + have, len - have, (off_t)(gpa + have));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EFAULT) {
			ret = devmem_mmap_read(m->fd, gpa + have, buf + have, len - have);
			if (!ret)
				have = len;
		} else if (n < 0)
			ret = -errno;
		else if (n == 0)
			ret = -EIO; /* past the end: nothing there */
		else
			have += (size_t)n;
	}
	if (ret && !m->error) {
		m->error = ret;
		m->error_gpa = gpa + have;
	}
	return ret;
}

void probe_devmem_close(struct probe_devmem *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}
