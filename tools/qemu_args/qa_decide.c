/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args: legacy mode or UPT, decided from what igdpt verified.
 *
 * QEMU's legacy mode (hw/vfio/igd.c) makes the IGD the guest's VGA at
 * 00:02.0 with the LPC and host bridge ids copied, and needs: a VGA-class
 * IGD, a generation QEMU supports there (6-9 from QEMU 10.1), the IGD
 * decoding VGA (GGC.IVD clear; refused from 10.1), a ROM (the ROM BAR or
 * romfile=), an i440fx machine (q35's ICH9 LPC sits at 00:1f.0) and the
 * IGD at host 00:02.0. QEMU 10's x-igd-legacy-mode=on turns every failed
 * condition into a start-up error, auto into a fall-back to UPT, so `on`
 * is printed only when igdpt verified each condition; a condition igdpt
 * cannot read (not root) gives `auto`, one it knows fails gives UPT. Older
 * QEMU has no property: the address and machine imply the attempt.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "qa.h"
#include "tool_util.h"

#define CMD "qemu-args"
#define MIB (1024ull * 1024ull)
/* QEMU before 10.0 takes x-igd-gms in 32 MiB units up to 0x10 (512 MiB). */
#define QEMU72_GMS_MAX 0x10u

static const char *const check_names[QA_CHECK_COUNT] = {
	[QA_CHECK_VGA_CLASS] = "vga-class",
	[QA_CHECK_GENERATION] = "generation",
	[QA_CHECK_GGC_IVD] = "ggc-ivd",
	[QA_CHECK_ROM] = "rom",
	[QA_CHECK_MACHINE] = "machine",
	[QA_CHECK_ADDRESS] = "host-address",
};

const char *qa_check_name(enum qa_check check)
{
	return check_names[check];
}

const char *qa_fact_name(enum qa_fact fact)
{
	return fact == QA_VERIFIED ? "verified" : fact == QA_REFUTED ? "refuted" : "unknown";
}

const char *qa_legacy_prop_name(enum qa_legacy_prop prop)
{
	switch (prop) {
	case QA_LEGACY_ON: return "on";
	case QA_LEGACY_AUTO: return "auto";
	case QA_LEGACY_OFF: return "off";
	default: return NULL;
	}
}

static void set(struct qa_plan *p, enum qa_check c, enum qa_fact fact, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct qa_plan *p, enum qa_check c, enum qa_fact fact, const char *fmt, ...)
{
	va_list ap;

	p->checks[c].fact = fact;
	va_start(ap, fmt);
	vsnprintf(p->checks[c].detail, sizeof(p->checks[c].detail), fmt, ap);
	va_end(ap);
}

static void judge_rom_file(struct qa_plan *p)
{
	const struct igdpt_host_rom *rom = &p->romfile_rom;
	const char *name = p->romfile_is_igdpt_efi ? "igdpt-efi.rom" : "romfile";

	if (p->req.firmware == QA_FIRMWARE_OVMF) {
		set(p, QA_CHECK_ROM, QA_VERIFIED, "%s: an EFI x64 driver for OVMF", name);
	} else if (rom->x86_names_device) {
		set(p, QA_CHECK_ROM, QA_VERIFIED, "romfile: an x86 video BIOS for 8086:%04x",
		    p->dev->device);
	} else if (rom->x86_image) {
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "romfile: its x86 image names %04x:%04x, not 8086:%04x, and SeaBIOS runs a "
		    "ROM file's image only for the device it names", rom->x86_vendor,
		    rom->x86_device, p->dev->device);
	} else {
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "romfile: no x86 video BIOS image (SeaBIOS runs only those)");
	}
}

static void judge_rom_sysfs(struct qa_plan *p)
{
	const struct igdpt_host_rom *rom = &p->host_rom;

	if (!rom->present)
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "no ROM: %s has no sysfs rom; give the video BIOS with --romfile", p->dev->bdf);
	else if (rom->ret == -EACCES || rom->ret == -EPERM)
		set(p, QA_CHECK_ROM, QA_UNKNOWN, "sysfs rom unreadable: run as root");
	else if (rom->ret < 0)
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "sysfs rom unreadable (%s): no video BIOS to run (a UEFI-booted host "
		    "shadows none); give it with --romfile", strerror(-rom->ret));
	else if (rom->chain_ret < 0)
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "sysfs rom is no PCI option ROM (%s); give the video BIOS with --romfile",
		    rom->chain_error);
	else if (!rom->x86_image)
		set(p, QA_CHECK_ROM, QA_REFUTED,
		    "sysfs rom has no x86 video BIOS image; give one with --romfile");
	else
		set(p, QA_CHECK_ROM, QA_VERIFIED, "sysfs rom: an x86 video BIOS, %zu bytes",
		    rom->size);
}

static void judge(struct qa_plan *p)
{
	const struct igdpt_host_device *d = p->dev;
	unsigned cls = d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT;

	if (cls == IGDPT_PCI_CLASS_DISPLAY_VGA)
		set(p, QA_CHECK_VGA_CLASS, QA_VERIFIED, "class 0x%04x (VGA)", cls);
	else
		set(p, QA_CHECK_VGA_CLASS, QA_REFUTED,
		    "class 0x%04x is not VGA (0x0300): legacy mode takes the primary display only",
		    cls);

	if (!d->gen)
		set(p, QA_CHECK_GENERATION, QA_UNKNOWN,
		    "device id %04x is not in igdpt's table: generation unknown", d->device);
	else if (d->gen < IGDPT_IGD_LEGACY_GEN_MIN || d->gen > IGDPT_IGD_LEGACY_GEN_MAX)
		set(p, QA_CHECK_GENERATION, QA_REFUTED, "gen %d: legacy mode takes gen %d-%d only",
		    d->gen, IGDPT_IGD_LEGACY_GEN_MIN, IGDPT_IGD_LEGACY_GEN_MAX);
	else
		set(p, QA_CHECK_GENERATION, QA_VERIFIED, "gen %d (%s)", d->gen,
		    d->platform ? d->platform : "?");

	if (!d->config_read)
		set(p, QA_CHECK_GGC_IVD, QA_UNKNOWN, "GGC unreadable: run as root");
	else if (d->ggc & IGDPT_GGC_IVD)
		set(p, QA_CHECK_GGC_IVD, QA_REFUTED,
		    "GGC 0x%04x has IVD set: the IGD decodes no VGA (QEMU 10.1+ refuses legacy "
		    "mode; older QEMU cannot give the video BIOS its VGA ranges)", d->ggc);
	else
		set(p, QA_CHECK_GGC_IVD, QA_VERIFIED, "GGC 0x%04x: IVD clear", d->ggc);

	if (p->romfile)
		judge_rom_file(p);
	else
		judge_rom_sysfs(p);

	if (p->req.machine && !strcmp(p->req.machine, "q35"))
		set(p, QA_CHECK_MACHINE, QA_REFUTED,
		    "machine q35: legacy mode needs i440fx (q35's ICH9 LPC bridge occupies 00:1f.0)");
	else
		set(p, QA_CHECK_MACHINE, QA_VERIFIED, "i440fx (no --machine q35)");

	if (d->addr.domain == 0 && d->addr.bus == 0 && d->addr.dev == IGDPT_IGD_DEVFN_DEVICE &&
	    d->addr.fn == 0)
		set(p, QA_CHECK_ADDRESS, QA_VERIFIED, "host %s", d->bdf);
	else
		set(p, QA_CHECK_ADDRESS, QA_REFUTED, "host %s is not 00:02.0", d->bdf);
}

/* The details of every check in one state, "a; b" (empty when none). */
static void list_facts(const struct qa_plan *p, enum qa_fact fact, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int c = 0; c < QA_CHECK_COUNT && used < size; c++) {
		if (p->checks[c].fact != fact)
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "; " : "",
					 p->checks[c].detail);
	}
}

/* x-igd-gms for QEMU < 10: the host's stolen size in 32 MiB units, at most 0x10. */
static unsigned gms_for_qemu72(const struct igdpt_host_device *d)
{
	unsigned long long units;

	if (!d->config_read || !d->stolen_size)
		return 1; /* 32 MiB: enough for the VBIOS/GOP framebuffer */
	units = (d->stolen_size + IGDPT_GGC_GMS_UNIT - 1) / IGDPT_GGC_GMS_UNIT;
	return units > QEMU72_GMS_MAX ? QEMU72_GMS_MAX : (unsigned)units;
}

static void properties(struct qa_plan *p)
{
	bool v10 = p->req.qemu >= QA_QEMU_IGD_REWORK;

	if (p->legacy)
		p->i440fx = true;
	else
		p->i440fx = p->req.machine && !strcmp(p->req.machine, "pc");
	if (p->image)
		p->opregion_off = p->req.qemu >= QA_QEMU_OPREGION_DEFAULT;
	else
		p->opregion_on = true;
	p->lpc_on = v10 && !p->legacy && p->i440fx;
	if (!v10 && p->legacy)
		p->gms = gms_for_qemu72(p->dev);
	if (!v10)
		p->legacy_prop = QA_LEGACY_NONE;
	/* The guest sees the IGD at 00:02.0, where its drivers (Windows') look,
	 * except in UPT on i440fx with QEMU before 10: there, a VGA IGD at
	 * 00:02.0 is what makes QEMU attempt legacy mode. In UPT on i440fx
	 * the emulated VGA QEMU (and libvirt) put at 00:02.0 moves to 00:03.0. */
	p->addr_02 = p->legacy || !p->i440fx || v10 ||
		     (p->dev->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) != IGDPT_PCI_CLASS_DISPLAY_VGA;
	p->move_vga = p->addr_02 && !p->legacy && p->i440fx;
	if (!p->addr_02)
		p->not_02_why = "there a VGA IGD makes QEMU before 10.0 attempt legacy mode";
}

int qa_decide(struct qa_plan *p)
{
	char refuted[1024], unknown[1024];
	bool v10 = p->req.qemu >= QA_QEMU_IGD_REWORK;

	judge(p);
	list_facts(p, QA_REFUTED, refuted, sizeof(refuted));
	list_facts(p, QA_UNKNOWN, unknown, sizeof(unknown));

	if (p->req.mode == QA_MODE_LEGACY && refuted[0]) {
		tool_error(CMD, "%s: legacy mode is not possible: %s; use --mode upt", p->dev->bdf,
			   refuted);
		return IGDPT_EXIT_INVALID;
	}
	if (p->req.mode == QA_MODE_UPT) {
		p->legacy = false;
		p->legacy_prop = QA_LEGACY_OFF;
		snprintf(p->legacy_why, sizeof(p->legacy_why), "UPT, as asked (--mode upt)");
	} else if (p->image) {
		p->legacy = false;
		p->legacy_prop = QA_LEGACY_OFF;
		snprintf(p->legacy_why, sizeof(p->legacy_why),
			 "UPT: --image is published as etc/igd-opregion, and legacy mode publishes "
			 "the host's own");
	} else if (refuted[0]) {
		p->legacy = false;
		p->legacy_prop = QA_LEGACY_OFF;
		snprintf(p->legacy_why, sizeof(p->legacy_why), "UPT: legacy mode is not possible: %s",
			 refuted);
	} else if (unknown[0]) {
		p->legacy = true;
		p->legacy_prop = QA_LEGACY_AUTO;
		snprintf(p->legacy_why, sizeof(p->legacy_why),
			 "legacy mode if QEMU finds it possible (%s): igdpt could not verify: %s",
			 v10 ? "x-igd-legacy-mode=auto falls back to UPT"
			     : "it falls back to UPT by itself", unknown);
	} else {
		p->legacy = true;
		p->legacy_prop = QA_LEGACY_ON;
		snprintf(p->legacy_why, sizeof(p->legacy_why),
			 "legacy mode: every condition verified");
	}
	properties(p);
	return 0;
}

void qa_device_properties(const struct qa_plan *p, char *buf, size_t size)
{
	const char *legacy = qa_legacy_prop_name(p->legacy_prop);
	size_t n = 0;

	buf[0] = '\0';
#define ADD(...) (n += n < size ? (size_t)snprintf(buf + n, size - n, __VA_ARGS__) : 0)
	if (legacy)
		ADD("%sx-igd-legacy-mode=%s", n ? "," : "", legacy);
	if (p->opregion_on)
		ADD("%sx-igd-opregion=on", n ? "," : "");
	if (p->opregion_off)
		ADD("%sx-igd-opregion=off", n ? "," : "");
	if (p->lpc_on)
		ADD("%sx-igd-lpc=on", n ? "," : "");
	if (p->gms)
		ADD("%sx-igd-gms=%u", n ? "," : "", p->gms);
#undef ADD
}
