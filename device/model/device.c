/* SPDX-License-Identifier: MIT */
/* The device model: the IGD and LPC functions, guest RAM and the VMM
 * context that owns the OpRegion registers, and the events they are worth.
 *
 * A config access is served from two places, the way QEMU's PCI core keeps
 * a config array and lets vfio own some bits: the function's config space
 * holds the plumbing (identity, BARs, write masks; device/model/igd.c), and
 * for the IGD the VMM context (lib/vmm/vmm.c) owns GGC, BDSM, SWSCI and
 * ASLS. The config bytes under the context's registers are 0 and not
 * writable, so a read takes the config bytes and overlays the context's,
 * and a write goes to both, each taking its own bytes. */
#include "device.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "igdpt/abi/guest.h"
#include "igdpt/file.h"
#include "gt_engines.h"
#include "host_bridge.h"
#include "lpc.h"
#include "mmio.h"
#include "opregion_writes.h"
#include "vga.h"

struct igdpt_device {
	struct igdpt_event_log *log;
	struct igdpt_igd igd;
	struct igdpt_config_space lpc;
	bool has_lpc;
	struct igdpt_config_space host_bridge;
	bool has_host_bridge;
	unsigned generation;
	/* The option ROM, padded with zeros to its BAR's size (NULL: none). */
	uint8_t *rom;
	struct igdpt_vga vga; /* used for a VGA-class IGD only */
	struct igdpt_mmio mmio;
	/* The engines that run what a guest i915 submits (gt_engines.h). */
	struct igdpt_gt gt;
	struct igdpt_guest_memory gm;
	/* ASLS, BDSM, GGC and SWSCI, and the OpRegion (igdpt/vmm.h). */
	struct igdpt_vmm *vmm;
};

const char *igdpt_device_function_name(enum igdpt_function fn)
{
	switch (fn) {
	case IGDPT_FUNCTION_LPC:
		return IGDPT_EV_FUNCTION_LPC;
	case IGDPT_FUNCTION_HOST_BRIDGE:
		return IGDPT_EV_FUNCTION_HOST_BRIDGE;
	default:
		return IGDPT_EV_FUNCTION_IGD;
	}
}

bool igdpt_device_has_function(const struct igdpt_device *dev, enum igdpt_function fn)
{
	switch (fn) {
	case IGDPT_FUNCTION_IGD:
		return true;
	case IGDPT_FUNCTION_LPC:
		return dev->has_lpc;
	case IGDPT_FUNCTION_HOST_BRIDGE:
		return dev->has_host_bridge;
	default:
		return false;
	}
}

static struct igdpt_config_space *function_cfg(struct igdpt_device *dev, enum igdpt_function fn)
{
	if (!igdpt_device_has_function(dev, fn))
		return NULL;
	switch (fn) {
	case IGDPT_FUNCTION_LPC:
		return &dev->lpc;
	case IGDPT_FUNCTION_HOST_BRIDGE:
		return &dev->host_bridge;
	default:
		return &dev->igd.cfg;
	}
}

static const struct igdpt_config_space *function_cfg_const(const struct igdpt_device *dev,
							   enum igdpt_function fn)
{
	return function_cfg((struct igdpt_device *)dev, fn);
}

static int fail(const char **reason, const char *why, int err)
{
	if (reason)
		*reason = why;
	return err;
}

/* ---- the VMM context's callbacks ---- */

/* What a transport can give the context: guest RAM through the regions the
 * peer shared; no mapping of the device's memory into the guest (neither
 * the proxy nor vfio-user can add guest memory), so option 1b falls back to
 * a private copy; fw_cfg comes from the VMM's command line; no log lines
 * (the write reports say everything the event log needs). */
static int vmm_map(void *opaque, uint64_t gpa, void *host, size_t len, unsigned prot)
{
	(void)opaque, (void)gpa, (void)host, (void)len, (void)prot;
	return -EOPNOTSUPP;
}

static int vmm_write_ram(void *opaque, uint64_t gpa, const void *buf, size_t len)
{
	struct igdpt_device *dev = opaque;

	return igdpt_guest_memory_write(&dev->gm, gpa, buf, len);
}

static int vmm_read_ram(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	struct igdpt_device *dev = opaque;

	return igdpt_guest_memory_read(&dev->gm, gpa, buf, len);
}

static int vmm_add_e820(void *opaque, uint64_t start, uint64_t len, uint32_t type)
{
	(void)opaque, (void)start, (void)len, (void)type;
	return -EOPNOTSUPP;
}

static int vmm_publish(void *opaque, const char *name, const void *data, size_t len)
{
	(void)opaque, (void)name, (void)data, (void)len;
	return 0;
}

static const struct igdpt_vmm_ops device_vmm_ops = {
	.struct_size = sizeof(struct igdpt_vmm_ops),
	.map = vmm_map,
	.write_ram = vmm_write_ram,
	.read_ram = vmm_read_ram,
	.add_e820 = vmm_add_e820,
	.publish = vmm_publish,
};

static int vmm_init(struct igdpt_device *dev, const struct igdpt_device_config *config,
		    struct igdpt_diag *diag)
{
	struct igdpt_vmm_config vc = {
		.struct_size = sizeof(struct igdpt_vmm_config),
		.strategy = config->strategy,
		.image = config->image,
		.image_len = config->image ? config->image_size : 0,
		/* The guest judges the image; the e2e tests hand it broken ones. */
		.unvalidated_image = true,
		.generation = config->generation,
		.stolen_size = config->stolen_size,
		.ops = &device_vmm_ops,
		.opaque = dev,
	};
	int ret;

	if (!igdpt_vmm_strategy_firmware_places(config->strategy))
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "the device serves only the options where the firmware places (4b, 1b)");
	ret = igdpt_vmm_create(&vc, &dev->vmm, diag);
	if (ret == 0)
		ret = igdpt_vmm_realize(dev->vmm, diag);
	return ret;
}

/* The ROM BAR sizes as the smallest power of two holding the ROM, as
 * QEMU's romfile= does (pci_add_option_rom()), so that a VMM serving the
 * same file from its own copy agrees with the device on 0x30. */
static int rom_init(struct igdpt_device *dev, const struct igdpt_device_config *config,
		    struct igdpt_diag *diag)
{
	uint64_t size = IGDPT_PCI_ROM_MIN_SIZE;

	if (!config->rom)
		return 0;
	if (!config->rom_size || config->rom_size > IGDPT_DEVICE_ROM_MAX_SIZE)
		return igdpt_diag_fail(diag, -EINVAL, 0, "the option ROM is empty or larger than 1 MiB");
	while (size < config->rom_size)
		size <<= 1;
	dev->rom = calloc(1, (size_t)size);
	if (!dev->rom)
		return igdpt_diag_fail(diag, -ENOMEM, 0, "device: out of memory");
	memcpy(dev->rom, config->rom, config->rom_size);
	return igdpt_cfg_set_rom(&dev->igd.cfg, size);
}

int igdpt_device_create(const struct igdpt_device_config *config, struct igdpt_event_log *log,
			struct igdpt_device **out, struct igdpt_diag *diag)
{
	struct igdpt_device *dev;
	int ret;

	if (!config || !log || !out)
		return igdpt_diag_fail(diag, -EINVAL, 0, "device: missing config, log or result");
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return igdpt_diag_fail(diag, -ENOMEM, 0, "device: out of memory");
	dev->log = log;
	dev->generation = config->generation;
	igdpt_gt_init(&dev->gt, config->generation);
	dev->has_lpc = config->lpc;
	igdpt_guest_memory_init(&dev->gm);
	ret = igdpt_igd_init(&dev->igd, &config->igd);
	if (ret < 0) {
		igdpt_diag_fail(diag, ret, 0, "the IGD's class is not a display controller");
		goto free_dev;
	}
	if (!config->qemu_proxy_bar_probe)
		igdpt_cfg_end_probe(&dev->igd.cfg);
	igdpt_lpc_init(&dev->lpc, config->lpc_vendor, config->lpc_device,
		       IGDPT_IGD_DEFAULT_REVISION);
	dev->has_host_bridge = config->host_bridge;
	igdpt_host_bridge_init(&dev->host_bridge, IGDPT_PCI_VENDOR_INTEL,
			       config->host_bridge_device, IGDPT_IGD_DEFAULT_REVISION);
	ret = rom_init(dev, config, diag);
	if (ret < 0)
		goto free_dev;
	ret = igdpt_vga_init(&dev->vga);
	if (ret < 0) {
		igdpt_diag_fail(diag, ret, 0, "cannot allocate the VGA memory window");
		goto free_rom;
	}
	ret = igdpt_mmio_init(&dev->mmio);
	if (ret < 0) {
		igdpt_diag_fail(diag, ret, 0, "cannot allocate BAR0's register file");
		goto fini_vga;
	}
	ret = vmm_init(dev, config, diag);
	if (ret < 0)
		goto fini_mmio;
	*out = dev;
	return 0;

fini_mmio:
	igdpt_vmm_destroy(dev->vmm);
	igdpt_mmio_fini(&dev->mmio);
fini_vga:
	igdpt_vga_fini(&dev->vga);
free_rom:
	free(dev->rom);
free_dev:
	free(dev);
	return ret;
}

void igdpt_device_destroy(struct igdpt_device *dev)
{
	if (!dev)
		return;
	igdpt_vmm_destroy(dev->vmm);
	igdpt_guest_memory_fini(&dev->gm);
	igdpt_mmio_fini(&dev->mmio);
	igdpt_vga_fini(&dev->vga);
	free(dev->rom);
	free(dev);
}

const struct igdpt_vmm *igdpt_device_vmm(const struct igdpt_device *dev)
{
	return dev->vmm;
}

static struct json_object *fn_event(struct igdpt_device *dev, const char *name,
				    enum igdpt_function fn)
{
	struct json_object *ev = igdpt_event_new(dev->log, name);

	igdpt_event_add_str(ev, IGDPT_EV_FUNCTION, igdpt_device_function_name(fn));
	return ev;
}

int igdpt_device_attach(struct igdpt_device *dev, enum igdpt_function fn, const char *transport)
{
	struct json_object *ev;

	if (!igdpt_device_has_function(dev, fn))
		return -ENODEV;
	ev = fn_event(dev, IGDPT_EV_START, fn);
	if (transport)
		igdpt_event_add_str(ev, IGDPT_EV_TRANSPORT, transport);
	if (fn == IGDPT_FUNCTION_IGD) {
		size_t image_size;

		igdpt_vmm_image(dev->vmm, &image_size);
		igdpt_event_add_id(ev, IGDPT_EV_DEVICE_ID, dev->igd.params.device_id);
		igdpt_event_add_int(ev, IGDPT_EV_GENERATION, dev->generation);
		igdpt_event_add_id(ev, IGDPT_EV_CLASS, dev->igd.params.class_code);
		igdpt_event_add_str(ev, IGDPT_EV_STRATEGY,
				    igdpt_vmm_strategy_name(igdpt_vmm_get_strategy(dev->vmm)));
		igdpt_event_add_int(ev, IGDPT_EV_IMAGE_SIZE, (int64_t)image_size);
		igdpt_event_add_hex(ev, IGDPT_EV_GGC, igdpt_vmm_ggc(dev->vmm));
		igdpt_event_add_hex(ev, IGDPT_EV_BDSM_REGISTER, igdpt_vmm_bdsm_register(dev->vmm));
	} else {
		const struct igdpt_config_space *cfg = function_cfg(dev, fn);

		igdpt_event_add_id(ev, IGDPT_EV_VENDOR_ID,
				   (uint16_t)igdpt_cfg_get(cfg, IGDPT_PCI_VENDOR_ID_OFFSET, 2));
		igdpt_event_add_id(ev, IGDPT_EV_DEVICE_ID,
				   (uint16_t)igdpt_cfg_get(cfg, IGDPT_PCI_DEVICE_ID_OFFSET, 2));
		igdpt_event_add_id(ev, IGDPT_EV_CLASS,
				   (uint16_t)igdpt_cfg_get(cfg, IGDPT_PCI_CLASS_DEVICE_OFFSET, 2));
	}
	igdpt_event_emit(dev->log, ev);
	return 0;
}

/* ---- config space ---- */

int igdpt_device_cfg_read(struct igdpt_device *dev, enum igdpt_function fn, uint32_t off,
			  uint32_t len, uint32_t *value, const char **reason)
{
	struct igdpt_config_space *cfg = function_cfg(dev, fn);
	const char *why = NULL;
	uint32_t v;

	if (!cfg)
		return fail(reason, "no such PCI function", -ENODEV);
	if (igdpt_cfg_check_access(off, len, &why) < 0)
		return fail(reason, why, -EINVAL);
	v = igdpt_cfg_read(cfg, off, len);
	if (fn == IGDPT_FUNCTION_IGD)
		igdpt_vmm_config_read(dev->vmm, off, len, &v);
	*value = v;
	return 0;
}

const char *igdpt_device_guest_copy(const struct igdpt_device *dev, size_t *differs_at)
{
	int ret;

	if (!igdpt_vmm_image(dev->vmm, NULL))
		return IGDPT_EV_COPY_NO_IMAGE;
	/* ASLS 0 means "no OpRegion" to every driver (-ENOENT): nothing to
	 * check; a range outside guest RAM cannot be read (-EFAULT). */
	ret = igdpt_vmm_guest_copy(dev->vmm, differs_at);
	if (ret < 0)
		return IGDPT_EV_COPY_UNMAPPED;
	return ret ? IGDPT_EV_COPY_DIFFERS : IGDPT_EV_COPY_IDENTICAL;
}

/* ASLS was written: report what the context did with it and what the guest
 * has at the new ASLS (4b: the firmware's copy; 1b: the context's own
 * placement, the only write the device ever makes to guest RAM). */
static void log_asls(struct igdpt_device *dev, const struct igdpt_vmm_write_report *rep)
{
	struct json_object *ev;
	const char *state;
	size_t differs_at = 0;

	if (!igdpt_event_log_capped(dev->log, IGDPT_EVENT_CAP_ASLS_WRITE))
		return;
	ev = fn_event(dev, IGDPT_EV_ASLS_WRITE, IGDPT_FUNCTION_IGD);
	igdpt_event_add_hex(ev, IGDPT_EV_VALUE, rep->value);
	switch (rep->action) {
	case IGDPT_VMM_WRITE_REFUSED:
		state = IGDPT_EV_COPY_UNMAPPED;
		igdpt_event_add_str(ev, IGDPT_EV_REFUSED, rep->reason);
		break;
	case IGDPT_VMM_WRITE_PLACED:
		state = IGDPT_EV_COPY_PLACED;
		break;
	case IGDPT_VMM_WRITE_PARTIAL:
		/* Bytes of a value the guest has not finished writing: no copy
		 * to speak of (vmm.h: partial writes are never acted on). */
		igdpt_event_add_bool(ev, IGDPT_EV_PARTIAL, true);
		igdpt_event_emit(dev->log, ev);
		return;
	case IGDPT_VMM_WRITE_IGNORED:
		/* 1b after the placement (Xen ignores it the same way). */
		igdpt_event_add_bool(ev, IGDPT_EV_IGNORED, true);
		state = igdpt_device_guest_copy(dev, &differs_at);
		break;
	default:
		state = igdpt_device_guest_copy(dev, &differs_at);
		break;
	}
	igdpt_event_add_str(ev, IGDPT_EV_GUEST_COPY, state);
	if (!strcmp(state, IGDPT_EV_COPY_DIFFERS))
		igdpt_event_add_hex(ev, IGDPT_EV_DIFFERS_AT, differs_at);
	igdpt_event_emit(dev->log, ev);
}

/* The event a write to one of the context's registers is worth. */
static void log_write(struct igdpt_device *dev, const struct igdpt_vmm_write_report *rep)
{
	struct json_object *ev;

	switch (rep->reg) {
	case IGDPT_VMM_REG_ASLS:
		log_asls(dev, rep);
		break;
	case IGDPT_VMM_REG_BDSM:
		if (!igdpt_event_log_capped(dev->log, IGDPT_EVENT_CAP_BDSM_WRITE))
			break;
		ev = fn_event(dev, IGDPT_EV_BDSM_WRITE, IGDPT_FUNCTION_IGD);
		igdpt_event_add_hex(ev, IGDPT_EV_REGISTER, igdpt_vmm_bdsm_register(dev->vmm));
		igdpt_event_add_hex(ev, IGDPT_EV_VALUE, rep->value);
		if (rep->action == IGDPT_VMM_WRITE_PARTIAL)
			igdpt_event_add_bool(ev, IGDPT_EV_PARTIAL, true);
		igdpt_event_emit(dev->log, ev);
		break;
	case IGDPT_VMM_REG_GGC:
		if (!igdpt_event_log_capped(dev->log, IGDPT_EVENT_CAP_GGC_WRITE))
			break;
		ev = fn_event(dev, IGDPT_EV_GGC_WRITE, IGDPT_FUNCTION_IGD);
		igdpt_event_add_hex(ev, IGDPT_EV_VALUE, rep->written);
		igdpt_event_add_hex(ev, IGDPT_EV_GGC, rep->value);
		igdpt_event_add_bool(ev, IGDPT_EV_ACCEPTED, false);
		igdpt_event_emit(dev->log, ev);
		break;
	case IGDPT_VMM_REG_SWSCI:
		if (!igdpt_event_log_capped(dev->log, IGDPT_EVENT_CAP_SWSCI_WRITE))
			break;
		ev = fn_event(dev, IGDPT_EV_SWSCI_WRITE, IGDPT_FUNCTION_IGD);
		igdpt_event_add_hex(ev, IGDPT_EV_VALUE, rep->written);
		igdpt_event_emit(dev->log, ev);
		break;
	case IGDPT_VMM_REG_NONE:
		break;
	}
}

int igdpt_device_cfg_write(struct igdpt_device *dev, enum igdpt_function fn, uint32_t off,
			   uint32_t len, uint32_t value, const char **reason)
{
	struct igdpt_config_space *cfg = function_cfg(dev, fn);
	struct igdpt_vmm_write_report rep = IGDPT_VMM_WRITE_REPORT_INIT;
	const char *why = NULL;

	if (!cfg)
		return fail(reason, "no such PCI function", -ENODEV);
	if (igdpt_cfg_check_access(off, len, &why) < 0)
		return fail(reason, why, -EINVAL);
	/* The LPC bridge is read-only: no byte of it is writable. */
	igdpt_cfg_write(cfg, off, value, len);
	if (fn != IGDPT_FUNCTION_IGD)
		return 0;
	/* A refusal or a failed placement is the context's to report (rep),
	 * not the transport's: the access itself was fine. */
	igdpt_vmm_config_write_report(dev->vmm, off, len, value, &rep);
	log_write(dev, &rep);
	return 0;
}

/* ---- BARs and ROM ---- */

int igdpt_device_bar_info(const struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			  struct igdpt_device_bar *info)
{
	const struct igdpt_config_space *cfg = function_cfg_const(dev, fn);

	if (bar >= IGDPT_PCI_BAR_COUNT)
		return -EINVAL;
	if (!cfg || cfg->bars[bar].type == IGDPT_BAR_NONE)
		return -ENOENT;
	info->type = cfg->bars[bar].type;
	info->size = cfg->bars[bar].size;
	info->address = igdpt_cfg_bar_address(cfg, bar);
	return 0;
}

static bool valid_bar_size(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

int igdpt_device_bar_find(const struct igdpt_device *dev, enum igdpt_function fn, bool memory,
			  uint64_t addr, uint32_t size, unsigned *bar, uint64_t *offset,
			  const char **reason)
{
	const struct igdpt_config_space *cfg = function_cfg_const(dev, fn);

	if (!valid_bar_size(size))
		return fail(reason, "BAR access size is not 1, 2, 4 or 8", -EINVAL);
	if (!cfg || igdpt_cfg_find_bar(cfg, memory, addr, size, bar, offset) < 0)
		return fail(reason, "BAR access outside every BAR", -ENOENT);
	return 0;
}

/* Checks a BAR access (the ROM BAR included: its size is the BAR's); ends
 * QEMU's realize-time BAR probe, which is over once a BAR is used. */
static int bar_access(struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
		      uint64_t offset, uint32_t size, const char **reason)
{
	struct igdpt_config_space *cfg = function_cfg(dev, fn);
	uint64_t bar_size;

	if (!valid_bar_size(size))
		return fail(reason, "BAR access size is not 1, 2, 4 or 8", -EINVAL);
	if (cfg && bar == IGDPT_PCI_ROM_SLOT && cfg->rom_size)
		bar_size = cfg->rom_size;
	else if (cfg && bar < IGDPT_PCI_BAR_COUNT && cfg->bars[bar].type != IGDPT_BAR_NONE)
		bar_size = cfg->bars[bar].size;
	else
		return fail(reason, "no such BAR", -ENOENT);
	if (offset >= bar_size || size > bar_size - offset)
		return fail(reason, "BAR access past the end of the BAR", -ENOENT);
	igdpt_cfg_end_probe(cfg);
	return 0;
}

int igdpt_device_bar_read(struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			  uint64_t offset, uint32_t size, uint64_t *value, const char **reason)
{
	int ret = bar_access(dev, fn, bar, offset, size, reason);
	uint8_t bytes[sizeof(uint64_t)];

	if (ret < 0)
		return ret;
	if (bar != IGDPT_PCI_ROM_SLOT) {
		*value = igdpt_mmio_read(&dev->mmio, dev->vmm, bar, offset, size);
		return 0;
	}
	igdpt_device_rom_read(dev, fn, offset, bytes, size);
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value |= (uint64_t)bytes[i] << (8 * i);
	return 0;
}

int igdpt_device_bar_write(struct igdpt_device *dev, enum igdpt_function fn, unsigned bar,
			   uint64_t offset, uint32_t size, uint64_t value, const char **reason)
{
	int ret = bar_access(dev, fn, bar, offset, size, reason);

	if (ret < 0)
		return ret;
	/* A ROM ignores writes, as the chip behind a real ROM BAR does. */
	if (bar == IGDPT_PCI_ROM_SLOT)
		return 0;
	igdpt_mmio_write(&dev->mmio, dev->vmm, bar, offset, value, size);
	if (fn == IGDPT_FUNCTION_IGD && bar == IGDPT_IGD_BAR0_INDEX && size == sizeof(uint32_t)) {
		const struct igdpt_gt_memory mem = { dev, vmm_read_ram, vmm_write_ram };

		igdpt_gt_bar0_write(&dev->gt, dev->mmio.regs, dev->mmio.size, &mem,
				    (uint32_t)offset, (uint32_t)value);
	}
	return 0;
}

uint64_t igdpt_device_rom_size(const struct igdpt_device *dev, enum igdpt_function fn)
{
	const struct igdpt_config_space *cfg = function_cfg_const(dev, fn);

	return cfg && fn == IGDPT_FUNCTION_IGD ? cfg->rom_size : 0;
}

int igdpt_device_rom_read(const struct igdpt_device *dev, enum igdpt_function fn,
			  uint64_t offset, void *buf, size_t len)
{
	uint64_t size = igdpt_device_rom_size(dev, fn);

	if (offset >= size || len > size - offset)
		return -ENOENT;
	memcpy(buf, dev->rom + offset, len);
	return 0;
}

size_t igdpt_device_opregion_size(const struct igdpt_device *dev)
{
	size_t size = 0;

	igdpt_vmm_image(dev->vmm, &size);
	return size;
}

int igdpt_device_opregion_read(const struct igdpt_device *dev, uint64_t offset, void *buf,
			       size_t len)
{
	size_t size = 0;
	const uint8_t *image = igdpt_vmm_image(dev->vmm, &size);

	if (!image || offset >= size || len > size - offset)
		return -ENOENT;
	memcpy(buf, image + offset, len);
	return 0;
}

bool igdpt_device_has_vga(const struct igdpt_device *dev)
{
	return dev->igd.params.class_code == IGDPT_PCI_CLASS_DISPLAY_VGA;
}

int igdpt_device_vga_read(const struct igdpt_device *dev, uint64_t offset, void *buf, size_t len,
			  const char **reason)
{
	const char *why = NULL;

	if (!igdpt_device_has_vga(dev))
		return fail(reason, "the IGD is not a VGA controller", -ENODEV);
	if (igdpt_vga_check(offset, len, &why) < 0)
		return fail(reason, why, -EINVAL);
	igdpt_vga_read(&dev->vga, offset, buf, len);
	return 0;
}

int igdpt_device_vga_write(struct igdpt_device *dev, uint64_t offset, const void *buf,
			   size_t len, const char **reason)
{
	const char *why = NULL;

	if (!igdpt_device_has_vga(dev))
		return fail(reason, "the IGD is not a VGA controller", -ENODEV);
	if (igdpt_vga_check(offset, len, &why) < 0)
		return fail(reason, why, -EINVAL);
	igdpt_vga_write(&dev->vga, offset, buf, len);
	return 0;
}

void igdpt_device_reset(struct igdpt_device *dev, enum igdpt_function fn)
{
	struct igdpt_config_space *cfg = function_cfg(dev, fn);

	if (!cfg)
		return;
	igdpt_cfg_end_probe(cfg);
	if (fn == IGDPT_FUNCTION_IGD) {
		igdpt_igd_reset(&dev->igd);
		igdpt_vmm_reset(dev->vmm);
		igdpt_vga_reset(&dev->vga);
	}
}

/* ---- guest RAM ---- */

struct layout {
	uint64_t gpa[IGDPT_GUEST_MEMORY_MAX_REGIONS];
	uint64_t size[IGDPT_GUEST_MEMORY_MAX_REGIONS];
	unsigned count;
};

static void layout_of(const struct igdpt_guest_memory *gm, struct layout *l)
{
	l->count = gm->count;
	for (unsigned i = 0; i < gm->count; i++) {
		l->gpa[i] = gm->regions[i].gpa;
		l->size[i] = gm->regions[i].size;
	}
}

/* Logs the layout when it differs from before: QEMU's proxy resends the
 * same map on every memory transaction (dozens per boot). */
static void log_layout(struct igdpt_device *dev, const struct layout *before)
{
	struct json_object *ev, *list;
	struct layout now;
	bool changed;

	layout_of(&dev->gm, &now);
	changed = now.count != before->count;
	for (unsigned i = 0; !changed && i < now.count; i++)
		changed = now.gpa[i] != before->gpa[i] || now.size[i] != before->size[i];
	/* A peer can change the layout at will (a vfio-user client maps and
	 * unmaps): capped like the guest's events. */
	if (!changed || !igdpt_event_log_capped(dev->log, IGDPT_EVENT_CAP_SYSMEM))
		return;
	ev = igdpt_event_new(dev->log, IGDPT_EV_SYSMEM);
	list = json_object_new_array();
	for (unsigned i = 0; i < now.count; i++) {
		struct json_object *r = json_object_new_object();

		igdpt_event_add_hex(r, IGDPT_EV_GPA, now.gpa[i]);
		igdpt_event_add_hex(r, IGDPT_EV_SIZE, now.size[i]);
		json_object_array_add(list, r);
	}
	json_object_object_add(ev, IGDPT_EV_REGIONS, list);
	igdpt_event_emit(dev->log, ev);
}

int igdpt_device_memory_set(struct igdpt_device *dev, const struct igdpt_guest_region *regions,
			    unsigned count, const char **reason)
{
	struct layout before;
	int ret;

	layout_of(&dev->gm, &before);
	ret = igdpt_guest_memory_replace(&dev->gm, regions, count, reason);
	if (ret == 0)
		log_layout(dev, &before);
	return ret;
}

int igdpt_device_memory_add(struct igdpt_device *dev, const struct igdpt_guest_region *region,
			    const char **reason)
{
	struct layout before;
	int ret;

	layout_of(&dev->gm, &before);
	ret = igdpt_guest_memory_add(&dev->gm, region, reason);
	if (ret == 0)
		log_layout(dev, &before);
	return ret;
}

int igdpt_device_memory_remove(struct igdpt_device *dev, uint64_t gpa, uint64_t size,
			       const char **reason)
{
	struct layout before;
	int ret;

	layout_of(&dev->gm, &before);
	ret = igdpt_guest_memory_remove(&dev->gm, gpa, size, reason);
	if (ret == 0)
		log_layout(dev, &before);
	return ret;
}

/* ---- the last word ---- */

/* What the guest driver wrote into its copy, field by field (a running
 * i915 sets DRDY, CHPD, DIDL, ARDY...): read the copy back and name the
 * changes. Skipped silently when the copy cannot be read. */
static void add_opregion_writes(const struct igdpt_device *dev, struct json_object *ev)
{
	size_t size;
	const uint8_t *image = igdpt_vmm_image(dev->vmm, &size);
	uint8_t *copy = image ? malloc(size) : NULL;
	unsigned unnamed = 0;

	if (!copy)
		return;
	if (igdpt_guest_memory_read(&dev->gm, igdpt_vmm_asls(dev->vmm), copy, size) == 0) {
		json_object_object_add(ev, IGDPT_EV_OPREGION_WRITES,
				       igdpt_opregion_writes_json(image, copy, size, &unnamed));
		igdpt_event_add_int(ev, IGDPT_EV_OPREGION_WRITES_UNNAMED, unnamed);
	}
	free(copy);
}

bool igdpt_device_final(struct igdpt_device *dev, const char *image_path)
{
	struct json_object *ev = igdpt_event_new(dev->log, IGDPT_EV_FINAL);
	size_t differs_at = 0;
	const char *state = igdpt_device_guest_copy(dev, &differs_at);
	bool unchanged = true;

	igdpt_event_add_hex(ev, IGDPT_EV_ASLS, igdpt_vmm_asls(dev->vmm));
	igdpt_event_add_str(ev, IGDPT_EV_GUEST_COPY, state);
	if (!strcmp(state, IGDPT_EV_COPY_DIFFERS)) {
		igdpt_event_add_hex(ev, IGDPT_EV_DIFFERS_AT, differs_at);
		add_opregion_writes(dev, ev);
	}
	if (image_path && igdpt_vmm_image(dev->vmm, NULL)) {
		uint8_t *now = NULL;
		size_t len = 0;
		char err[256];

		if (igdpt_file_read(image_path, &now, &len,
				    &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
			unchanged = false;
			igdpt_event_add_str(ev, IGDPT_EV_HOST_IMAGE_ERROR, err);
		} else {
			unchanged = igdpt_vmm_image_compare(dev->vmm, now, len, NULL) == 0;
			free(now);
		}
		igdpt_event_add_bool(ev, IGDPT_EV_HOST_IMAGE_UNCHANGED, unchanged);
	}
	igdpt_event_emit(dev->log, ev);
	return unchanged;
}
