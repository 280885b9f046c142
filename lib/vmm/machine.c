/* SPDX-License-Identifier: MIT */
/* The machine model: guest memory with overlays, e820, the IGD's config
 * space behind an igdpt VMM context, fw_cfg and the model firmware.
 *
 * The layout is QEMU's pc machine with all RAM below 4 GiB: low RAM to the
 * EBDA, the BIOS area, RAM from 1 MiB, the 32-bit PCI hole from 0xE0000000
 * (where the firmware puts BARs), the IOAPIC, HPET and LAPIC/MSI ranges,
 * and the 256 KiB BIOS flash below 4 GiB. Those are the MMIO windows the
 * VMM's planner must avoid. */
#include "igdpt/machine.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/placement.h"
#include "machine_private.h"

#include "../struct_size.h"

#define EBDA_START 0x9FC00ull
#define LOW_RAM_END 0xA0000ull
#define VGA_END 0xC0000ull
#define BIOS_AREA_START 0xF0000ull
#define HIGH_RAM_START 0x100000ull
#define PCI_HOLE_START 0xE0000000ull
#define PCI_HOLE_END 0xFEC00000ull
#define IOAPIC_BASE 0xFEC00000ull
#define IOAPIC_SIZE 0x1000ull
#define HPET_BASE 0xFED00000ull
#define HPET_SIZE 0x400ull
#define LAPIC_MSI_BASE 0xFEE00000ull
#define LAPIC_MSI_SIZE 0x100000ull
#define FLASH_SIZE 0x40000ull
#define FLASH_BASE (IGDPT_GUEST_PLACEMENT_LIMIT - FLASH_SIZE)
#define UNBACKED_BYTE 0xFFu
#define DEFAULT_GENERATION 9u
#define DEFAULT_DEVICE_ID 0x5916u /* Kaby Lake GT2 */
#define PCI_VENDOR_OFFSET 0x00u
#define PCI_DEVICE_OFFSET 0x02u
#define PCI_CLASS_OFFSET 0x0Au
#define PCI_HEADER_END 0x40u      /* identity and BARs: read-only here */

static void machine_log(void *opaque, enum igdpt_vmm_log_level level, const char *msg)
{
	struct igdpt_machine *m = opaque;

	if (level == IGDPT_VMM_LOG_INFO)
		return;
	snprintf(m->last_log, sizeof(m->last_log), "%s", msg);
}

static struct overlay *overlay_at(struct igdpt_machine *m, uint64_t gpa)
{
	/* The newest mapping wins, as a later memory region does in a VMM. */
	for (size_t i = m->noverlays; i-- > 0;)
		if (gpa >= m->overlays[i].gpa && gpa - m->overlays[i].gpa < m->overlays[i].len)
			return &m->overlays[i];
	return NULL;
}

static bool in_host(const struct igdpt_machine *m, const uint8_t *p, size_t len)
{
	return p >= m->host && len <= m->host_len && (size_t)(p - m->host) <= m->host_len - len;
}

static int vmm_map(void *opaque, uint64_t gpa, void *host, size_t len, unsigned prot)
{
	struct igdpt_machine *m = opaque;
	struct overlay *o;

	if (m->config.no_map)
		return -EOPNOTSUPP;
	if (gpa % IGDPT_PLACEMENT_PAGE_SIZE || !len || len % IGDPT_PLACEMENT_PAGE_SIZE ||
	    gpa + len > IGDPT_GUEST_PLACEMENT_LIMIT)
		return -EINVAL;
	if (m->noverlays == MACHINE_MAX_OVERLAYS)
		return -ENOSPC;
	for (size_t i = 0; i < m->noverlays; i++)
		if (gpa < m->overlays[i].gpa + m->overlays[i].len && m->overlays[i].gpa < gpa + len)
			return -EBUSY;
	o = &m->overlays[m->noverlays++];
	o->gpa = gpa;
	o->len = len;
	o->mem = host;
	o->writable = prot & IGDPT_VMM_PROT_WRITE;
	o->host = in_host(m, host, len);
	return 0;
}

static int vmm_unmap(void *opaque, uint64_t gpa, size_t len)
{
	struct igdpt_machine *m = opaque;

	for (size_t i = 0; i < m->noverlays; i++) {
		if (m->overlays[i].gpa != gpa || m->overlays[i].len != len)
			continue;
		memmove(&m->overlays[i], &m->overlays[i + 1],
			(m->noverlays - i - 1) * sizeof(m->overlays[0]));
		m->noverlays--;
		return 0;
	}
	return -ENOENT;
}

static bool guest_uses(const struct igdpt_machine *m, uint64_t gpa)
{
	const struct igdpt_probe_memmap_entry *e;

	if (!m->os_running)
		return false;
	e = igdpt_probe_memmap_find(m->guest_map, m->guest_map_count, gpa);
	return e && e->type == IGDPT_E820_RAM;
}

static int vmm_write_ram(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct igdpt_machine *m = opaque;
	const uint8_t *src = buf;

	if (gpa > m->ram_size || len > m->ram_size - gpa)
		return -EFAULT;
	for (size_t i = 0; i < len; i++) {
		/* RAM the running guest OS owns: a hotplug VMM writing here
		 * corrupts the guest, whatever the bytes. */
		if (guest_uses(m, gpa + i))
			m->stats.ram_clobbered++;
		m->ram[gpa + i] = src[i];
	}
	m->stats.vmm_ram_writes += len;
	return 0;
}

static int vmm_read_ram(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct igdpt_machine *m = opaque;

	if (gpa > m->ram_size || len > m->ram_size - gpa)
		return -EFAULT;
	memcpy(buf, m->ram + gpa, len);
	return 0;
}

static int vmm_add_e820(void *opaque, uint64_t start, uint64_t len, uint32_t type)
{
	struct igdpt_machine *m = opaque;

	return igdpt_plan_e820_insert(m->e820, &m->e820_count, MACHINE_MAX_E820, start, len, type,
				      NULL);
}

static int vmm_publish(void *opaque, const char *name, const void *data, size_t len)
{
	struct igdpt_machine *m = opaque;
	struct fw_cfg_file *f = NULL;
	uint8_t *copy;

	for (size_t i = 0; i < m->nfiles; i++)
		if (!strcmp(m->files[i].name, name))
			f = &m->files[i];
	if (!f) {
		if (m->nfiles == MACHINE_MAX_FILES || strlen(name) >= sizeof(f->name))
			return -ENOSPC;
		f = &m->files[m->nfiles++];
		snprintf(f->name, sizeof(f->name), "%s", name);
		f->data = NULL;
	}
	copy = malloc(len ? len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, len);
	free(f->data);
	f->data = copy;
	f->len = len;
	return 0;
}

static const struct igdpt_vmm_ops machine_ops = {
	.struct_size = sizeof(struct igdpt_vmm_ops),
	.map = vmm_map,
	.unmap = vmm_unmap,
	.write_ram = vmm_write_ram,
	.read_ram = vmm_read_ram,
	.add_e820 = vmm_add_e820,
	.publish = vmm_publish,
	.log = machine_log,
};

static void add_range(struct igdpt_plan_range *set, size_t *count, uint64_t start, uint64_t end,
		      uint32_t type)
{
	set[*count].start = start;
	set[*count].length = end - start;
	set[*count].type = type;
	(*count)++;
}

static void layout(struct igdpt_machine *m)
{
	add_range(m->e820, &m->e820_count, 0, EBDA_START, IGDPT_E820_RAM);
	add_range(m->e820, &m->e820_count, EBDA_START, LOW_RAM_END, IGDPT_E820_RESERVED);
	add_range(m->e820, &m->e820_count, BIOS_AREA_START, HIGH_RAM_START, IGDPT_E820_RESERVED);
	add_range(m->e820, &m->e820_count, HIGH_RAM_START, m->ram_size, IGDPT_E820_RAM);
	add_range(m->e820, &m->e820_count, FLASH_BASE, IGDPT_GUEST_PLACEMENT_LIMIT,
		  IGDPT_E820_RESERVED);

	add_range(m->windows, &m->nwindows, LOW_RAM_END, VGA_END, 0);
	add_range(m->windows, &m->nwindows, PCI_HOLE_START, PCI_HOLE_END, 0);
	add_range(m->windows, &m->nwindows, IOAPIC_BASE, IOAPIC_BASE + IOAPIC_SIZE, 0);
	add_range(m->windows, &m->nwindows, HPET_BASE, HPET_BASE + HPET_SIZE, 0);
	add_range(m->windows, &m->nwindows, LAPIC_MSI_BASE, LAPIC_MSI_BASE + LAPIC_MSI_SIZE, 0);
	add_range(m->windows, &m->nwindows, FLASH_BASE, IGDPT_GUEST_PLACEMENT_LIMIT, 0);
}

int igdpt_machine_create(const struct igdpt_machine_config *config, struct igdpt_machine **out,
			 struct igdpt_diag *diag)
{
	struct igdpt_machine *m;
	uint64_t ram;

	if (!config || !out)
		return igdpt_diag_fail(diag, -EINVAL, 0, "machine: missing config or result");
	if (!STRUCT_HAS(config, struct igdpt_machine_config, no_map))
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "machine: struct igdpt_machine_config: struct_size is not set "
				       "(start from IGDPT_MACHINE_CONFIG_INIT)");
	ram = config->ram_size ? config->ram_size : IGDPT_MACHINE_DEFAULT_RAM;
	if (ram < 2 * HIGH_RAM_START || ram > IGDPT_MACHINE_MAX_RAM || ram % IGDPT_PLACEMENT_PAGE_SIZE)
		return igdpt_diag_fail(diag, -EINVAL, ram,
				       "machine: RAM size must be page-aligned, 2 MiB to 3 GiB");
	if (config->image_len && !config->image)
		return igdpt_diag_fail(diag, -EINVAL, 0, "machine: image length without image");
	m = calloc(1, sizeof(*m));
	if (!m)
		return igdpt_diag_fail(diag, -ENOMEM, 0, "machine: out of memory");
	memcpy(&m->config, config,
	       config->struct_size < sizeof(m->config) ? config->struct_size : sizeof(m->config));
	m->config.struct_size = sizeof(m->config);
	if (!m->config.generation)
		m->config.generation = DEFAULT_GENERATION;
	if (!m->config.device_id)
		m->config.device_id = DEFAULT_DEVICE_ID;
	m->ram_size = ram;
	/* Anonymous memory, as a VMM allocates guest RAM: zero pages appear
	 * only where touched, so large guests cost nothing. */
	m->ram = mmap(NULL, ram, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->ram == MAP_FAILED)
		m->ram = NULL;
	m->host_len = igdpt_placement_pages(config->image_len) * IGDPT_PLACEMENT_PAGE_SIZE;
	m->host = malloc(m->host_len ? m->host_len : 1);
	m->host_orig = malloc(m->host_len ? m->host_len : 1);
	if (!m->ram || !m->host || !m->host_orig) {
		igdpt_machine_destroy(m);
		return igdpt_diag_fail(diag, -ENOMEM, 0, "machine: out of memory");
	}
	memset(m->host, IGDPT_MACHINE_HOST_FILL, m->host_len);
	if (config->image_len)
		memcpy(m->host, config->image, config->image_len);
	memcpy(m->host_orig, m->host, m->host_len);
	layout(m);

	igdpt_put_le16(m->cfg + PCI_VENDOR_OFFSET, IGDPT_PCI_VENDOR_INTEL);
	igdpt_put_le16(m->cfg + PCI_DEVICE_OFFSET, m->config.device_id);
	igdpt_put_le16(m->cfg + PCI_CLASS_OFFSET, IGDPT_PCI_CLASS_DISPLAY_VGA);
	*out = m;
	return 0;
}

void igdpt_machine_destroy(struct igdpt_machine *m)
{
	if (!m)
		return;
	igdpt_vmm_destroy(m->vmm);
	for (size_t i = 0; i < m->nfiles; i++)
		free(m->files[i].data);
	free(m->guest_map);
	free(m->host_orig);
	free(m->host);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	free(m);
}

int igdpt_machine_plug(struct igdpt_machine *m, struct igdpt_diag *diag)
{
	struct igdpt_vmm_config vc = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = m->config.strategy,
		.image = m->config.image_len ? m->host : NULL,
		.image_len = m->config.image_len,
		.host_len = m->host_len,
		.generation = m->config.generation,
		.stolen_size = m->config.stolen_size,
		.e820 = m->e820,
		.e820_count = m->e820_count,
		.windows = m->windows,
		.window_count = m->nwindows,
		.ops = &machine_ops,
		.opaque = m,
	};
	int ret;

	if (m->vmm)
		return igdpt_diag_fail(diag, -EBUSY, 0, "machine: device already plugged");
	ret = igdpt_vmm_create(&vc, &m->vmm, diag);
	if (ret < 0)
		return ret;
	return igdpt_vmm_realize(m->vmm, diag);
}

/* ---- guest memory ---- */

size_t igdpt_machine_read(struct igdpt_machine *m, uint64_t gpa, uint8_t *buf, size_t len)
{
	size_t backed = 0;

	for (size_t i = 0; i < len; i++) {
		uint64_t a = gpa + i;
		struct overlay *o = a < gpa ? NULL : overlay_at(m, a);

		if (o)
			buf[i] = o->mem[a - o->gpa];
		else if (a >= gpa && a < m->ram_size)
			buf[i] = m->ram[a];
		else {
			buf[i] = UNBACKED_BYTE;
			continue;
		}
		backed++;
	}
	return backed;
}

size_t igdpt_machine_write(struct igdpt_machine *m, uint64_t gpa, const uint8_t *buf, size_t len)
{
	size_t done = 0;

	for (size_t i = 0; i < len; i++) {
		uint64_t a = gpa + i;
		struct overlay *o = a < gpa ? NULL : overlay_at(m, a);

		if (o && !o->writable) {
			m->stats.ro_writes_refused++;
			continue;
		}
		if (o) {
			o->mem[a - o->gpa] = buf[i];
			m->stats.host_writes += o->host;
		} else if (a >= gpa && a < m->ram_size) {
			m->ram[a] = buf[i];
		} else {
			m->stats.unbacked_writes++;
			continue;
		}
		done++;
	}
	return done;
}

/* ---- PCI config ---- */

static bool cfg_access_ok(unsigned off, unsigned len)
{
	return (len == 1 || len == 2 || len == 4) && off < MACHINE_CFG_SIZE &&
	       len <= MACHINE_CFG_SIZE - off;
}

uint32_t igdpt_machine_cfg_read(struct igdpt_machine *m, unsigned off, unsigned len)
{
	uint32_t v = 0;

	if (!cfg_access_ok(off, len))
		return UINT32_MAX;
	for (unsigned i = 0; i < len; i++)
		v |= (uint32_t)m->cfg[off + i] << (8 * i);
	if (m->vmm)
		igdpt_vmm_config_read(m->vmm, off, len, &v);
	return v;
}

void igdpt_machine_cfg_write(struct igdpt_machine *m, unsigned off, unsigned len, uint32_t value)
{
	if (!cfg_access_ok(off, len))
		return;
	/* The bytes the VMM context owns go there; the rest is scratch here. */
	if (m->vmm && igdpt_vmm_config_write(m->vmm, off, len, value) == (int)len)
		return;
	for (unsigned i = 0; i < len; i++) {
		uint32_t dummy = 0;

		if (off + i < PCI_HEADER_END)
			continue;
		if (m->vmm && igdpt_vmm_config_read(m->vmm, off + i, 1, &dummy) > 0)
			continue;
		m->cfg[off + i] = (uint8_t)(value >> (8 * i));
	}
}

/* ---- firmware ---- */

/* SeaBIOS intel_igd_setup(): OpRegion from etc/igd-opregion into the high
 * zone (4 KiB aligned, already reserved), ASLS; stolen memory of
 * etc/igd-bdsm-size bytes 1 MiB aligned, reserved, BDSM at 0x5C. */
static int firmware_igd(struct igdpt_machine *m, uint64_t zone, struct igdpt_diag *diag)
{
	const uint8_t *op, *bdsm_file;
	size_t op_len, bdsm_len;
	uint64_t addr, size;
	int ret;

	op = igdpt_machine_fw_cfg(m, IGDPT_FW_CFG_OPREGION_FILE, &op_len);
	if (op && op_len) {
		if (igdpt_placement_pages(op_len) * IGDPT_PLACEMENT_PAGE_SIZE > IGDPT_MACHINE_HIGH_ZONE)
			return igdpt_diag_fail(diag, -ENOSPC, op_len,
					       "firmware: etc/igd-opregion does not fit the high zone");
		addr = zone + IGDPT_MACHINE_HIGH_ZONE -
		       igdpt_placement_pages(op_len) * IGDPT_PLACEMENT_PAGE_SIZE;
		igdpt_machine_write(m, addr, op, op_len);
		m->firmware_asls = (uint32_t)addr;
		igdpt_machine_cfg_write(m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t), (uint32_t)addr);
	}
	bdsm_file = igdpt_machine_fw_cfg(m, IGDPT_FW_CFG_BDSM_SIZE_FILE, &bdsm_len);
	if (bdsm_file && bdsm_len == IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE && (size = igdpt_le64(bdsm_file))) {
		ret = igdpt_plan_place(m->e820, m->e820_count, m->windows, m->nwindows, size,
				       IGDPT_STOLEN_GUEST_ALIGN, IGDPT_PLAN_IN_RAM, &addr, diag);
		if (ret < 0)
			return ret;
		ret = igdpt_plan_e820_insert(m->e820, &m->e820_count, MACHINE_MAX_E820, addr, size,
					     IGDPT_E820_RESERVED, diag);
		if (ret < 0)
			return ret;
		igdpt_machine_cfg_write(m, IGDPT_PCI_BDSM_OFFSET, sizeof(uint32_t), (uint32_t)addr);
	}
	return 0;
}

int igdpt_machine_boot(struct igdpt_machine *m, enum igdpt_machine_firmware fw,
		       struct igdpt_diag *diag)
{
	uint64_t zone;
	int ret;

	if (m->booted)
		return igdpt_diag_fail(diag, -EBUSY, 0, "machine: already booted");
	/* The high zone: the top of the highest RAM below 4 GiB. */
	ret = igdpt_plan_place(m->e820, m->e820_count, m->windows, m->nwindows,
			       IGDPT_MACHINE_HIGH_ZONE, IGDPT_PLACEMENT_PAGE_SIZE, IGDPT_PLAN_IN_RAM,
			       &zone, diag);
	if (ret < 0)
		return ret;
	ret = igdpt_plan_e820_insert(m->e820, &m->e820_count, MACHINE_MAX_E820, zone,
				     IGDPT_MACHINE_HIGH_ZONE, IGDPT_E820_RESERVED, diag);
	if (ret < 0)
		return ret;
	if (fw == IGDPT_MACHINE_FW_IGD) {
		ret = firmware_igd(m, zone, diag);
		if (ret < 0)
			return ret;
	}
	/* Hand-over: the guest keeps this map; later e820 changes are unseen. */
	m->guest_map = calloc(m->e820_count, sizeof(*m->guest_map));
	if (!m->guest_map)
		return igdpt_diag_fail(diag, -ENOMEM, 0, "machine: out of memory");
	for (size_t i = 0; i < m->e820_count; i++) {
		m->guest_map[i].start = m->e820[i].start;
		m->guest_map[i].length = m->e820[i].length;
		m->guest_map[i].type = m->e820[i].type;
	}
	m->guest_map_count = m->e820_count;
	m->booted = true;
	/* The guest OS now owns every byte its map calls RAM. */
	m->os_running = true;
	return 0;
}

/* ---- inspection ---- */

const struct igdpt_probe_memmap_entry *igdpt_machine_guest_memmap(const struct igdpt_machine *m,
								    size_t *count)
{
	*count = m->guest_map_count;
	return m->guest_map;
}

const uint8_t *igdpt_machine_fw_cfg(const struct igdpt_machine *m, const char *name, size_t *len)
{
	for (size_t i = 0; i < m->nfiles; i++) {
		if (!strcmp(m->files[i].name, name)) {
			if (len)
				*len = m->files[i].len;
			return m->files[i].data;
		}
	}
	return NULL;
}

struct igdpt_vmm *igdpt_machine_vmm(const struct igdpt_machine *m)
{
	return m->vmm;
}

uint32_t igdpt_machine_firmware_asls(const struct igdpt_machine *m)
{
	return m->firmware_asls;
}

size_t igdpt_machine_host_changed(const struct igdpt_machine *m, size_t *first)
{
	size_t n = 0;

	for (size_t i = m->host_len; i-- > 0;) {
		if (m->host[i] == m->host_orig[i])
			continue;
		n++;
		if (first)
			*first = i;
	}
	return n;
}

uint64_t igdpt_machine_host_exposed(const struct igdpt_machine *m)
{
	uint64_t n = 0;

	for (size_t i = 0; i < m->noverlays; i++)
		if (m->overlays[i].host)
			n += m->overlays[i].len;
	return n;
}

const uint8_t *igdpt_machine_host(const struct igdpt_machine *m, size_t *len)
{
	*len = m->host_len;
	return m->host;
}

void igdpt_machine_get_stats(const struct igdpt_machine *m, struct igdpt_machine_stats *stats)
{
	*stats = m->stats;
}

const char *igdpt_machine_last_log(const struct igdpt_machine *m)
{
	return m->last_log;
}
