/* SPDX-License-Identifier: MIT */
/* The strategy comparison: each option run in fresh machines, every cell
 * of the row read off what happened (nothing is looked up in a table). */
#include "igdpt/machine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "machine_private.h"

#include "../struct_size.h"

/* Where the hostile guest points ASLS: RAM its own kernel lives in. */
#define HOSTILE_ASLS_TARGET 0x200000u

struct run {
	struct igdpt_machine *m;
	int plug_ret;
};

static int start(const struct igdpt_machine_config *cfg, bool plug_first, struct run *r,
		 struct igdpt_diag *diag)
{
	struct igdpt_diag plug_diag = { 0 };
	int ret;

	r->m = NULL;
	r->plug_ret = 0;
	ret = igdpt_machine_create(cfg, &r->m, diag);
	if (ret < 0)
		return ret;
	if (plug_first) {
		r->plug_ret = igdpt_machine_plug(r->m, &plug_diag);
		/* A configuration the VMM refuses is the caller's error; a
		 * realize that fails is a result. */
		if (r->plug_ret < 0 && !igdpt_machine_vmm(r->m)) {
			if (diag)
				*diag = plug_diag;
			igdpt_machine_destroy(r->m);
			r->m = NULL;
			return r->plug_ret;
		}
	}
	return 0;
}

static void note_error(struct igdpt_strategy_row *row, const struct run *r)
{
	const char *log = igdpt_machine_last_log(r->m);

	snprintf(row->error, sizeof(row->error), "%s", *log ? log : strerror(-r->plug_ret));
}

static bool overlay_covers(const struct igdpt_machine *m, uint64_t gpa)
{
	for (size_t i = 0; i < m->noverlays; i++)
		if (gpa >= m->overlays[i].gpa && gpa - m->overlays[i].gpa < m->overlays[i].len)
			return true;
	return false;
}

/* Cold boot with an IGD-aware firmware: the main columns and the scribble. */
static int run_cold(const struct igdpt_machine_config *cfg, struct igdpt_strategy_row *row,
		    struct igdpt_diag *diag)
{
	struct igdpt_machine_driver d;
	struct igdpt_machine_hostile h;
	struct igdpt_diag boot_diag = { 0 };
	const struct igdpt_probe_memmap_entry *map;
	size_t count;
	uint32_t asls_before, asls;
	struct run r;
	int ret;

	ret = start(cfg, true, &r, diag);
	if (ret < 0)
		return ret;
	if (r.plug_ret < 0) {
		note_error(row, &r);
		goto out;
	}
	asls_before = igdpt_machine_cfg_read(r.m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	ret = igdpt_machine_boot(r.m, IGDPT_MACHINE_FW_IGD, &boot_diag);
	if (ret < 0) {
		/* The firmware could not do its part: a result too. */
		snprintf(row->error, sizeof(row->error), "firmware: %s", boot_diag.reason);
		ret = 0;
		goto out;
	}
	asls = igdpt_machine_cfg_read(r.m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	row->asls = asls;
	if (asls_before)
		row->address_chosen_by = "vmm";
	else if (asls && asls == igdpt_machine_firmware_asls(r.m))
		row->address_chosen_by = "firmware";
	row->placement = igdpt_vmm_placement_name(igdpt_vmm_placement(igdpt_machine_vmm(r.m)));

	igdpt_machine_guest_driver(r.m, false, &d);
	row->guest_sees_valid_opregion = d.verdict.result == IGDPT_PROBE_PASS;
	igdpt_probe_reason_text(&d.verdict, row->guest_reason, sizeof(row->guest_reason));
	row->driver_writes_succeed = d.writes_ok;
	row->guest_writes_reach_host = igdpt_machine_host_changed(r.m, NULL) > 0;
	row->host_bytes_exposed = igdpt_machine_host_exposed(r.m);
	map = igdpt_machine_guest_memmap(r.m, &count);
	row->looks_like_real_hardware =
		asls && igdpt_probe_memmap_reserved(map, count, asls, cfg->image_len);

	if (igdpt_machine_guest_hostile_writes(r.m, &h) == 0) {
		row->hostile_writes_refused = h.bytes_refused;
		row->host_bytes_corrupted = h.host_bytes_corrupted;
	}
	ret = 0;
out:
	igdpt_machine_destroy(r.m);
	return ret;
}

static int run_unmodified(const struct igdpt_machine_config *cfg, struct igdpt_strategy_row *row,
			  struct igdpt_diag *diag)
{
	struct igdpt_machine_driver d;
	struct run r;
	int ret;

	ret = start(cfg, true, &r, diag);
	if (ret < 0)
		return ret;
	if (r.plug_ret == 0 && igdpt_machine_boot(r.m, IGDPT_MACHINE_FW_UNMODIFIED, NULL) == 0) {
		igdpt_machine_guest_driver(r.m, false, &d);
		row->works_unmodified_firmware = d.verdict.result == IGDPT_PROBE_PASS;
	}
	igdpt_machine_destroy(r.m);
	return 0;
}

/* The guest points ASLS at its own RAM, then its driver looks again. */
static int run_hostile_asls(const struct igdpt_machine_config *cfg,
			    struct igdpt_strategy_row *row, struct igdpt_diag *diag)
{
	struct igdpt_machine_driver d;
	struct igdpt_machine_stats before, after;
	uint32_t asls, now;
	struct run r;
	int ret;

	ret = start(cfg, true, &r, diag);
	if (ret < 0)
		return ret;
	if (r.plug_ret < 0 || igdpt_machine_boot(r.m, IGDPT_MACHINE_FW_IGD, NULL) < 0)
		goto out;
	asls = igdpt_machine_cfg_read(r.m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	igdpt_machine_get_stats(r.m, &before);
	igdpt_machine_cfg_write(r.m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t), HOSTILE_ASLS_TARGET);
	now = igdpt_machine_cfg_read(r.m, IGDPT_PCI_ASLS_OFFSET, sizeof(uint32_t));
	igdpt_machine_get_stats(r.m, &after);
	if (now == asls)
		row->hostile_asls_effect = "ignored";
	else if (overlay_covers(r.m, HOSTILE_ASLS_TARGET))
		row->hostile_asls_effect = "remapped";
	else if (after.vmm_ram_writes != before.vmm_ram_writes)
		row->hostile_asls_effect = "copied over guest RAM";
	else
		row->hostile_asls_effect = "stored";
	igdpt_machine_guest_driver(r.m, false, &d);
	row->survives_hostile_asls = d.verdict.result == IGDPT_PROBE_PASS &&
				     after.ram_clobbered == before.ram_clobbered &&
				     !overlay_covers(r.m, HOSTILE_ASLS_TARGET);
out:
	igdpt_machine_destroy(r.m);
	return 0;
}

/* Plugged after the firmware ran and the guest OS took its RAM. */
static int run_hotplug(const struct igdpt_machine_config *cfg, struct igdpt_strategy_row *row,
		       struct igdpt_diag *diag)
{
	struct igdpt_machine_driver d;
	struct igdpt_machine_stats st;
	struct run r;
	int ret;

	ret = start(cfg, false, &r, diag);
	if (ret < 0)
		return ret;
	if (igdpt_machine_boot(r.m, IGDPT_MACHINE_FW_IGD, NULL) < 0 ||
	    igdpt_machine_plug(r.m, NULL) < 0)
		goto out;
	/* i915's own view (no memory map rule): a driver loaded after
	 * hotplug never saw the device in the boot-time map anyway. */
	igdpt_machine_guest_driver(r.m, true, &d);
	igdpt_machine_get_stats(r.m, &st);
	row->hotplug_possible = d.i915_found && st.ram_clobbered == 0;
out:
	igdpt_machine_destroy(r.m);
	return 0;
}

int igdpt_machine_evaluate(enum igdpt_vmm_strategy strategy, const uint8_t *image,
			   size_t image_len, const struct igdpt_strategy_options *opts,
			   struct igdpt_strategy_row *row, struct igdpt_diag *diag)
{
	struct igdpt_machine_config cfg = {
		.struct_size = sizeof(struct igdpt_machine_config),
		.strategy = strategy,
		.image = image,
		.image_len = image_len,
	};
	int ret;

	if (!row || !igdpt_vmm_strategy_name(strategy))
		return igdpt_diag_fail(diag, -EINVAL, 0, "evaluate: unknown strategy");
	if (opts && !STRUCT_HAS(opts, struct igdpt_strategy_options, no_map))
		return igdpt_diag_fail(diag, -EINVAL, 0,
				       "evaluate: struct igdpt_strategy_options: struct_size is not set "
				       "(start from IGDPT_STRATEGY_OPTIONS_INIT)");
	if (opts) {
		cfg.generation = opts->generation;
		cfg.stolen_size = opts->stolen_size;
		cfg.ram_size = opts->ram_size;
		cfg.no_map = opts->no_map;
	}
	memset(row, 0, sizeof(*row));
	row->strategy = strategy;
	row->address_chosen_by = "none";
	row->placement = "none";
	row->hostile_asls_effect = "not run";

	ret = run_cold(&cfg, row, diag);
	if (ret < 0)
		return ret;
	if (row->error[0])
		return 0;
	ret = run_unmodified(&cfg, row, diag);
	if (ret == 0)
		ret = run_hostile_asls(&cfg, row, diag);
	if (ret == 0)
		ret = run_hotplug(&cfg, row, diag);
	row->needs_firmware_support = !row->works_unmodified_firmware &&
				      row->guest_sees_valid_opregion;
	return ret;
}
