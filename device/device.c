/* SPDX-License-Identifier: MIT */
/* Message dispatch for igdpt-device: config and BAR accesses, guest RAM
 * sync, resets; and what the IGD's virtualized registers trigger (the ASLS
 * check or placement of the OpRegion, the event log).
 *
 * Only messages QEMU cannot send end a connection. Config accesses outside
 * 4 KiB or with a length other than 1, 2, 4 are such (QEMU's PCI core never
 * forwards them). A BAR access outside every BAR is answered with all ones
 * (reads) or dropped (writes) and logged, not fatal: QEMU maps BARs from its
 * own copy of the registers, and a disagreement should not cut the guest
 * off its device. */
#include "device.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/file.h"
#include "igdpt/vmm.h"
#include "lpc.h"
#include "opregion_writes.h"

enum capped_event {
	CAPPED_ASLS,
	CAPPED_BDSM,
	CAPPED_GGC,
	CAPPED_SWSCI,
	CAPPED_BAR_OUTSIDE,
	CAPPED_KINDS,
};
_Static_assert(CAPPED_KINDS == IGDPT_DEVICE_CAPPED_KINDS, "event_counts size");

static const char *const capped_names[] = {
	[CAPPED_ASLS] = "asls_write",
	[CAPPED_BDSM] = "bdsm_write",
	[CAPPED_GGC] = "ggc_write",
	[CAPPED_SWSCI] = "swsci_write",
	[CAPPED_BAR_OUTSIDE] = "protocol_error",
};

const char *igdpt_device_function_name(enum igdpt_function_kind kind)
{
	return kind == IGDPT_FUNCTION_IGD ? "igd" : "lpc";
}

const char *igdpt_device_strategy_name(enum igdpt_strategy strategy)
{
	return strategy == IGDPT_STRATEGY_1B ? "1b" : "4b";
}

/* The VMM interface's callbacks, as QEMU's proxy allows them: guest RAM
 * through the SYNC_SYSMEM mappings; no mapping of the device's memory into
 * the guest (the proxy forwards config and BAR accesses only), so option 1b
 * falls back to a private copy; fw_cfg comes from QEMU's command line. */
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

static void vmm_log(void *opaque, enum igdpt_vmm_log_level level, const char *msg)
{
	struct igdpt_device *dev = opaque;

	if (level != IGDPT_VMM_LOG_INFO)
		snprintf(dev->vmm_message, sizeof(dev->vmm_message), "%s", msg);
}

static const struct igdpt_vmm_ops device_vmm_ops = {
	.map = vmm_map,
	.write_ram = vmm_write_ram,
	.add_e820 = vmm_add_e820,
	.publish = vmm_publish,
	.log = vmm_log,
};

static int vmm_init(struct igdpt_device *dev, const struct igdpt_device_config *config)
{
	struct igdpt_vmm_config vc = {
		.strategy = config->strategy == IGDPT_STRATEGY_1B ? IGDPT_VMM_1B : IGDPT_VMM_4B,
		.image = dev->image,
		.image_len = dev->image ? dev->image_size : 0,
		/* The guest judges the image; the e2e tests hand it broken ones. */
		.unvalidated_image = true,
		.generation = config->igd.generation,
		.stolen_size = config->igd.bdsm_size,
		.ops = &device_vmm_ops,
		.opaque = dev,
	};
	int ret;

	ret = igdpt_vmm_create(&vc, &dev->vmm, NULL);
	if (ret == 0)
		ret = igdpt_vmm_realize(dev->vmm, NULL);
	return ret;
}

int igdpt_device_init(struct igdpt_device *dev, const struct igdpt_device_config *config,
		      struct igdpt_event_log *log)
{
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->log = log;
	dev->strategy = config->strategy;
	igdpt_guest_memory_init(&dev->gm);
	ret = igdpt_igd_init(&dev->igd, &config->igd);
	if (ret < 0)
		return ret;
	igdpt_lpc_init(&dev->lpc, config->lpc_vendor, config->lpc_device,
		       IGDPT_IGD_DEFAULT_REVISION);
	if (config->image) {
		/* A private copy: the file on disk is never mapped writable. */
		dev->image = malloc(config->image_size ? config->image_size : 1);
		if (!dev->image)
			return -ENOMEM;
		memcpy(dev->image, config->image, config->image_size);
		dev->image_size = config->image_size;
	}
	ret = vmm_init(dev, config);
	if (ret < 0)
		goto free_vmm;
	ret = igdpt_mmio_init(&dev->mmio);
	if (ret < 0)
		goto free_vmm;
	return 0;

free_vmm:
	igdpt_vmm_destroy(dev->vmm);
	dev->vmm = NULL;
	free(dev->image);
	dev->image = NULL;
	return ret;
}

void igdpt_device_fini(struct igdpt_device *dev)
{
	for (unsigned i = 0; i < dev->nfunctions; i++) {
		struct igdpt_function *fn = &dev->functions[i];

		igdpt_proxy_reader_fini(&fn->reader);
		if (fn->state == IGDPT_FUNCTION_OPEN)
			close(fn->sock);
		fn->state = IGDPT_FUNCTION_PEER_CLOSED;
	}
	igdpt_guest_memory_fini(&dev->gm);
	igdpt_mmio_fini(&dev->mmio);
	igdpt_vmm_destroy(dev->vmm);
	dev->vmm = NULL;
	free(dev->image);
	dev->image = NULL;
}

static struct json_object *fn_event(struct igdpt_device *dev, const char *name,
				    const struct igdpt_function *fn)
{
	struct json_object *ev = igdpt_event_new(dev->log, name);

	igdpt_event_add_str(ev, "function", igdpt_device_function_name(fn->kind));
	return ev;
}

/* Counts a guest-triggered event; false once its cap is reached (one
 * "suppressed" event marks the point). */
static bool capped(struct igdpt_device *dev, enum capped_event which)
{
	unsigned n = ++dev->event_counts[which];

	if (n == IGDPT_DEVICE_EVENT_CAP + 1) {
		struct json_object *ev = igdpt_event_new(dev->log, "suppressed");

		igdpt_event_add_str(ev, "of", capped_names[which]);
		igdpt_event_add_int(ev, "after", IGDPT_DEVICE_EVENT_CAP);
		igdpt_event_emit(dev->log, ev);
	}
	return n <= IGDPT_DEVICE_EVENT_CAP;
}

int igdpt_device_add_function(struct igdpt_device *dev, enum igdpt_function_kind kind,
			      int sock)
{
	struct igdpt_function *fn;
	struct json_object *ev;
	int flags;

	if (dev->nfunctions >= IGDPT_DEVICE_MAX_FUNCTIONS)
		return -ENOSPC;
	flags = fcntl(sock, F_GETFD);
	if (flags >= 0)
		fcntl(sock, F_SETFD, flags | FD_CLOEXEC);
	fn = &dev->functions[dev->nfunctions];
	memset(fn, 0, sizeof(*fn));
	fn->kind = kind;
	fn->sock = sock;
	fn->state = IGDPT_FUNCTION_OPEN;
	fn->cfg = kind == IGDPT_FUNCTION_IGD ? &dev->igd.cfg : &dev->lpc;
	igdpt_proxy_reader_init(&fn->reader);

	ev = fn_event(dev, "start", fn);
	if (kind == IGDPT_FUNCTION_IGD) {
		igdpt_event_add_id(ev, "device_id", dev->igd.params.device_id);
		igdpt_event_add_int(ev, "generation", dev->igd.params.generation);
		igdpt_event_add_id(ev, "class", dev->igd.params.class_code);
		igdpt_event_add_str(ev, "strategy", igdpt_device_strategy_name(dev->strategy));
		igdpt_event_add_int(ev, "image_size", (int64_t)dev->image_size);
		igdpt_event_add_hex(ev, "ggc", igdpt_vmm_ggc(dev->vmm));
		igdpt_event_add_hex(ev, "bdsm_register", dev->igd.bdsm_offset);
	} else {
		igdpt_event_add_id(ev, "vendor_id",
				   (uint16_t)igdpt_cfg_get(&dev->lpc, IGDPT_PCI_VENDOR_ID_OFFSET, 2));
		igdpt_event_add_id(ev, "device_id",
				   (uint16_t)igdpt_cfg_get(&dev->lpc, IGDPT_PCI_DEVICE_ID_OFFSET, 2));
		igdpt_event_add_id(ev, "class", IGDPT_PCI_CLASS_BRIDGE_ISA);
	}
	igdpt_event_emit(dev->log, ev);
	return (int)dev->nfunctions++;
}

static int protocol_error(struct igdpt_device *dev, const struct igdpt_function *fn,
			  const char *reason, int err)
{
	struct json_object *ev = fn_event(dev, "protocol_error", fn);

	igdpt_event_add_str(ev, "reason", reason);
	igdpt_event_add_str(ev, "action", "closed");
	igdpt_event_emit(dev->log, ev);
	return err;
}

const char *igdpt_device_guest_copy(const struct igdpt_device *dev, size_t *differs_at)
{
	uint32_t asls = igdpt_vmm_asls(dev->vmm);
	int ret;

	if (!dev->image)
		return "no-image";
	/* ASLS 0 means "no OpRegion" to every driver; there is nothing to check. */
	if (asls == 0)
		return "unmapped";
	ret = igdpt_guest_memory_compare(&dev->gm, asls, dev->image, dev->image_size, differs_at);
	if (ret < 0)
		return "unmapped";
	return ret ? "differs" : "identical";
}

/* ASLS was written and the VMM context acted (vmm_ret; placement before
 * the write): report the copy the firmware made (4b) or the one the context
 * placed (1b: the only write the device ever makes to guest RAM). */
static void on_asls(struct igdpt_device *dev, const struct igdpt_function *fn, uint32_t value,
		    int vmm_ret, enum igdpt_vmm_placement before)
{
	struct json_object *ev;
	const char *state;
	size_t differs_at = 0;
	bool placed = igdpt_vmm_placement(dev->vmm) == IGDPT_VMM_PLACED_GUEST_RAM;

	if (!capped(dev, CAPPED_ASLS))
		return;
	ev = fn_event(dev, "asls_write", fn);
	igdpt_event_add_hex(ev, "value", value);
	if (dev->strategy == IGDPT_STRATEGY_1B && dev->image && value != 0 &&
	    (vmm_ret < 0 || !placed)) {
		state = "unmapped";
		igdpt_event_add_str(ev, "refused", dev->vmm_message[0]
							   ? dev->vmm_message
							   : "OpRegion range is not inside mapped guest RAM");
	} else if (dev->strategy == IGDPT_STRATEGY_1B && placed &&
		   before != IGDPT_VMM_PLACED_GUEST_RAM) {
		state = "placed";
	} else {
		/* 4b, or a 1b write after the placement (ignored, as Xen
		 * ignores it): what the guest has at ASLS now. */
		if (dev->strategy == IGDPT_STRATEGY_1B && placed)
			igdpt_event_add_bool(ev, "ignored", true);
		state = igdpt_device_guest_copy(dev, &differs_at);
	}
	igdpt_event_add_str(ev, "guest_copy", state);
	if (!strcmp(state, "differs"))
		igdpt_event_add_hex(ev, "differs_at", differs_at);
	igdpt_event_emit(dev->log, ev);
}

static void log_effects(struct igdpt_device *dev, const struct igdpt_function *fn,
			const struct igdpt_igd_write_effect *eff, int vmm_ret,
			enum igdpt_vmm_placement before)
{
	struct json_object *ev;

	if (eff->asls)
		on_asls(dev, fn, eff->asls_value, vmm_ret, before);
	if (eff->bdsm && capped(dev, CAPPED_BDSM)) {
		ev = fn_event(dev, "bdsm_write", fn);
		igdpt_event_add_hex(ev, "register", dev->igd.bdsm_offset);
		igdpt_event_add_hex(ev, "value", igdpt_vmm_bdsm_register(dev->vmm)
							 ? igdpt_vmm_bdsm(dev->vmm)
							 : eff->bdsm_value);
		igdpt_event_emit(dev->log, ev);
	}
	if (eff->ggc && capped(dev, CAPPED_GGC)) {
		ev = fn_event(dev, "ggc_write", fn);
		igdpt_event_add_hex(ev, "value", eff->ggc_written);
		igdpt_event_add_hex(ev, "ggc", eff->ggc_value);
		igdpt_event_add_bool(ev, "accepted", false);
		igdpt_event_emit(dev->log, ev);
	}
	if (eff->swsci && capped(dev, CAPPED_SWSCI)) {
		ev = fn_event(dev, "swsci_write", fn);
		igdpt_event_add_hex(ev, "value", eff->swsci_written);
		igdpt_event_emit(dev->log, ev);
	}
}

static int handle_sysmem(struct igdpt_device *dev, const struct igdpt_function *fn,
			 struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_sysmem sm;
	struct igdpt_guest_memory scratch;
	struct igdpt_guest_memory *gm = &dev->gm;
	struct igdpt_guest_region before[IGDPT_PROXY_MAX_FDS];
	unsigned before_count = dev->gm.count;
	const char *reason = NULL;
	struct json_object *ev, *regions;
	bool changed;
	int ret;

	igdpt_proxy_decode_sysmem(msg, &sm);
	memcpy(before, dev->gm.regions, sizeof(before));
	/* Only the IGD needs guest RAM; the LPC's copy is checked, then dropped. */
	if (fn->kind != IGDPT_FUNCTION_IGD) {
		igdpt_guest_memory_init(&scratch);
		gm = &scratch;
	}
	ret = igdpt_guest_memory_sync(gm, &sm, msg->fds, msg->nfds, &reason);
	igdpt_proxy_msg_close_fds(msg);
	if (gm == &scratch)
		igdpt_guest_memory_fini(&scratch);
	if (ret < 0)
		return protocol_error(dev, fn, reason, -EPROTO);
	if (fn->kind != IGDPT_FUNCTION_IGD)
		return 0;
	/* QEMU resends the map on every memory transaction (dozens per boot);
	 * log only when the guest RAM layout changed. */
	changed = before_count != dev->gm.count;
	for (unsigned i = 0; !changed && i < before_count; i++)
		changed = before[i].gpa != dev->gm.regions[i].gpa ||
			  before[i].size != dev->gm.regions[i].size;
	if (!changed)
		return 0;
	ev = igdpt_event_new(dev->log, "sysmem");
	regions = json_object_new_array();
	for (unsigned i = 0; i < dev->gm.count; i++) {
		struct json_object *r = json_object_new_object();

		igdpt_event_add_hex(r, "gpa", dev->gm.regions[i].gpa);
		igdpt_event_add_hex(r, "size", dev->gm.regions[i].size);
		json_object_array_add(regions, r);
	}
	json_object_object_add(ev, "regions", regions);
	igdpt_event_emit(dev->log, ev);
	return 0;
}

static int reply(struct igdpt_device *dev, const struct igdpt_function *fn, uint64_t value,
		 bool with_value)
{
	int ret = igdpt_proxy_send_ret(fn->sock, value, with_value);

	if (ret == -EPIPE || ret == -ECONNRESET)
		return -EPIPE; /* the peer went away; the next read sees it */
	if (ret < 0)
		return protocol_error(dev, fn, "cannot send the reply (peer does not read its replies)",
				      ret);
	return 0;
}

static int handle_cfg(struct igdpt_device *dev, struct igdpt_function *fn,
		      const struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_cfg c;
	struct igdpt_igd_write_effect eff;
	const char *reason;

	igdpt_proxy_decode_cfg(msg, &c);
	if (igdpt_cfg_check_access(c.addr, c.len, &reason) < 0)
		return protocol_error(dev, fn, reason, -EPROTO);
	if (msg->cmd == IGDPT_PROXY_PCI_CFGREAD) {
		uint32_t v = igdpt_cfg_read(fn->cfg, c.addr, (unsigned)c.len);

		/* The VMM context's registers override the model's bytes. */
		if (fn->kind == IGDPT_FUNCTION_IGD)
			igdpt_vmm_config_read(dev->vmm, c.addr, (unsigned)c.len, &v);
		return reply(dev, fn, v, true);
	}
	/* The LPC bridge is read-only: its writes are acknowledged and dropped. */
	if (fn->kind == IGDPT_FUNCTION_IGD) {
		enum igdpt_vmm_placement before = igdpt_vmm_placement(dev->vmm);
		int vmm_ret;

		/* The model keeps the rest of config space and says which
		 * registers a write touched; the context acts on its own. */
		igdpt_igd_cfg_write(&dev->igd, c.addr, c.val, (unsigned)c.len, &eff);
		dev->vmm_message[0] = '\0';
		vmm_ret = igdpt_vmm_config_write(dev->vmm, c.addr, (unsigned)c.len, c.val);
		log_effects(dev, fn, &eff, vmm_ret, before);
	}
	return reply(dev, fn, 0, true);
}

static bool valid_bar_size(uint32_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static int handle_bar(struct igdpt_device *dev, struct igdpt_function *fn,
		      const struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_bar b;
	unsigned index;
	uint64_t offset;
	bool is_read = msg->cmd == IGDPT_PROXY_BAR_READ;

	igdpt_proxy_decode_bar(msg, &b);
	igdpt_cfg_end_probe(fn->cfg);
	if (!valid_bar_size(b.size))
		return protocol_error(dev, fn, "BAR access size is not 1, 2, 4 or 8", -EPROTO);
	if (igdpt_cfg_find_bar(fn->cfg, b.memory, b.addr, b.size, &index, &offset) < 0 ||
	    fn->kind != IGDPT_FUNCTION_IGD) {
		if (capped(dev, CAPPED_BAR_OUTSIDE)) {
			struct json_object *ev = fn_event(dev, "protocol_error", fn);

			igdpt_event_add_str(ev, "reason", "BAR access outside every BAR");
			igdpt_event_add_str(ev, "action", is_read ? "answered all ones" : "dropped");
			igdpt_event_add_hex(ev, "addr", b.addr);
			igdpt_event_add_int(ev, "size", b.size);
			igdpt_event_add_bool(ev, "memory", b.memory);
			igdpt_event_emit(dev->log, ev);
		}
		return reply(dev, fn, is_read ? UINT64_MAX : 0, true);
	}
	if (is_read)
		return reply(dev, fn, igdpt_mmio_read(&dev->mmio, &dev->igd, index, offset, b.size),
			     true);
	igdpt_mmio_write(&dev->mmio, &dev->igd, index, offset, b.val, b.size);
	return reply(dev, fn, 0, true);
}

int igdpt_device_handle(struct igdpt_device *dev, unsigned index, struct igdpt_proxy_msg *msg)
{
	struct igdpt_function *fn = &dev->functions[index];

	switch (msg->cmd) {
	case IGDPT_PROXY_SYNC_SYSMEM:
		return handle_sysmem(dev, fn, msg);
	case IGDPT_PROXY_SET_IRQFD:
		/* The device raises no interrupts (they never reach a TCG guest
		 * through the proxy anyway); the eventfds are not needed. */
		igdpt_proxy_msg_close_fds(msg);
		return 0;
	case IGDPT_PROXY_PCI_CFGREAD:
	case IGDPT_PROXY_PCI_CFGWRITE:
		return handle_cfg(dev, fn, msg);
	case IGDPT_PROXY_BAR_READ:
	case IGDPT_PROXY_BAR_WRITE:
		return handle_bar(dev, fn, msg);
	case IGDPT_PROXY_DEVICE_RESET:
		igdpt_cfg_end_probe(fn->cfg);
		if (fn->kind == IGDPT_FUNCTION_IGD) {
			igdpt_igd_reset(&dev->igd);
			igdpt_vmm_reset(dev->vmm);
		}
		return reply(dev, fn, 0, false);
	default:
		igdpt_proxy_msg_close_fds(msg);
		return protocol_error(dev, fn, "unknown command", -EPROTO);
	}
}

void igdpt_device_close(struct igdpt_device *dev, unsigned index, const char *reason,
			enum igdpt_function_state state)
{
	struct igdpt_function *fn = &dev->functions[index];
	struct json_object *ev;

	if (fn->state != IGDPT_FUNCTION_OPEN)
		return;
	igdpt_proxy_reader_fini(&fn->reader);
	close(fn->sock);
	fn->sock = -1;
	fn->state = state;
	ev = fn_event(dev, "closed", fn);
	igdpt_event_add_str(ev, "reason", reason);
	igdpt_event_emit(dev->log, ev);
}

/* Reads (waiting if asked) and handles one message of function index.
 * 1: a message was handled, 0: none was there (or a signal interrupted the
 * wait), -1: the connection is closed now (event logged, socket closed). */
static int service_one(struct igdpt_device *dev, unsigned index, bool wait)
{
	struct igdpt_function *fn = &dev->functions[index];
	struct igdpt_proxy_msg msg;
	const char *reason = NULL;
	int ret;

	if (fn->state != IGDPT_FUNCTION_OPEN)
		return -1;
	ret = igdpt_proxy_read(&fn->reader, fn->sock, &msg, &reason, wait);
	if (ret == 0)
		return 0;
	if (ret == -EPIPE) {
		igdpt_device_close(dev, index, "peer closed", IGDPT_FUNCTION_PEER_CLOSED);
		return -1;
	}
	if (ret < 0) {
		protocol_error(dev, fn, reason, ret);
		igdpt_device_close(dev, index, reason, IGDPT_FUNCTION_FAILED);
		return -1;
	}
	ret = igdpt_device_handle(dev, index, &msg);
	igdpt_proxy_msg_close_fds(&msg);
	if (ret == -EPIPE) {
		igdpt_device_close(dev, index, "peer closed", IGDPT_FUNCTION_PEER_CLOSED);
		return -1;
	}
	if (ret < 0) {
		igdpt_device_close(dev, index, "protocol error", IGDPT_FUNCTION_FAILED);
		return -1;
	}
	return 1;
}

int igdpt_device_service(struct igdpt_device *dev, unsigned index)
{
	for (;;) {
		int ret = service_one(dev, index, false);

		if (ret < 0)
			return 0;
		/* QEMU sends the next request only after our reply: unless the
		 * buffer already holds a message, asking the socket again now would
		 * only return EAGAIN. Back to the caller's poll. */
		if (ret == 0 || !igdpt_proxy_buffered(&dev->functions[index].reader))
			return 1;
	}
}

int igdpt_device_serve_blocking(struct igdpt_device *dev, unsigned index,
				const volatile sig_atomic_t *stop)
{
	while (!*stop) {
		if (service_one(dev, index, true) < 0)
			return 0;
	}
	return 1;
}

/* What the guest driver wrote into its copy, field by field (a running
 * i915 sets DRDY, CHPD, DIDL, ARDY...): read the copy back and name the
 * changes. Skipped silently when the copy cannot be read. */
static void add_opregion_writes(const struct igdpt_device *dev, struct json_object *ev)
{
	uint8_t *copy = malloc(dev->image_size);
	unsigned unnamed = 0;

	if (!copy)
		return;
	if (igdpt_guest_memory_read(&dev->gm, igdpt_vmm_asls(dev->vmm), copy, dev->image_size) == 0) {
		json_object_object_add(ev, "opregion_writes",
				       igdpt_opregion_writes_json(dev->image, copy, dev->image_size,
								  &unnamed));
		igdpt_event_add_int(ev, "opregion_writes_unnamed", unnamed);
	}
	free(copy);
}

bool igdpt_device_final(struct igdpt_device *dev, const char *image_path)
{
	struct json_object *ev = igdpt_event_new(dev->log, "final");
	size_t differs_at = 0;
	const char *state = igdpt_device_guest_copy(dev, &differs_at);
	bool unchanged = true;

	igdpt_event_add_hex(ev, "asls", igdpt_vmm_asls(dev->vmm));
	igdpt_event_add_str(ev, "guest_copy", state);
	if (!strcmp(state, "differs")) {
		igdpt_event_add_hex(ev, "differs_at", differs_at);
		add_opregion_writes(dev, ev);
	}
	if (image_path && dev->image) {
		uint8_t *now = NULL;
		size_t len = 0;
		char err[256];

		if (igdpt_file_read(image_path, &now, &len,
				    &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
			unchanged = false;
			igdpt_event_add_str(ev, "host_image_error", err);
		} else {
			unchanged = len == dev->image_size && !memcmp(now, dev->image, len);
			free(now);
		}
		igdpt_event_add_bool(ev, "host_image_unchanged", unchanged);
	}
	igdpt_event_emit(dev->log, ev);
	return unchanged;
}

unsigned igdpt_device_open_count(const struct igdpt_device *dev)
{
	unsigned n = 0;

	for (unsigned i = 0; i < dev->nfunctions; i++)
		n += dev->functions[i].state == IGDPT_FUNCTION_OPEN;
	return n;
}

bool igdpt_device_had_error(const struct igdpt_device *dev)
{
	for (unsigned i = 0; i < dev->nfunctions; i++)
		if (dev->functions[i].state == IGDPT_FUNCTION_FAILED)
			return true;
	return false;
}
