/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args, a file per job: the inputs checked (qa_inputs.c), the mode
 * decided from verified facts (qa_decide.c), QEMU's own messages by version
 * (qa_messages.c), and the three forms: QEMU options and their JSON
 * (qa_qemu.c), libvirt XML (qa_libvirt.c), Proxmox VE lines (qa_proxmox.c). */
#ifndef IGDPT_TOOLS_QEMU_ARGS_QA_H
#define IGDPT_TOOLS_QEMU_ARGS_QA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/host.h"

/* QEMU versions, as major * 100 + minor. */
#define QA_QEMU_V(major, minor) ((major) * 100 + (minor))
#define QA_QEMU_FIRST_IGD QA_QEMU_V(2, 7)        /* IGD assignment introduced */
#define QA_QEMU_IGD_REWORK QA_QEMU_V(10, 0)      /* x-igd-lpc, x-igd-legacy-mode, GGC passthrough */
#define QA_QEMU_OPREGION_DEFAULT QA_QEMU_V(10, 1) /* x-igd-opregion on by default */

enum qa_mode { QA_MODE_AUTO, QA_MODE_LEGACY, QA_MODE_UPT };
enum qa_firmware { QA_FIRMWARE_SEABIOS, QA_FIRMWARE_OVMF };

/* What the user asked for. */
struct qa_request {
	enum qa_mode mode;
	enum qa_firmware firmware;
	int qemu;                /* QA_QEMU_V */
	const char *machine;     /* "pc", "q35" or NULL */
	const char *image;       /* --image as given, or NULL */
	const char *romfile;     /* --romfile as given, or NULL */
	bool quiet;
};

/* One condition of QEMU's legacy mode, as igdpt knows it. */
enum qa_fact { QA_VERIFIED, QA_UNKNOWN, QA_REFUTED };

enum qa_check {
	QA_CHECK_VGA_CLASS,
	QA_CHECK_GENERATION,
	QA_CHECK_GGC_IVD,
	QA_CHECK_ROM,
	QA_CHECK_MACHINE,
	QA_CHECK_ADDRESS,
	QA_CHECK_COUNT,
};

struct qa_check_result {
	enum qa_fact fact;
	char detail[256];
};

/* x-igd-legacy-mode as printed (QEMU >= 10), or the implied legacy
 * behavior of older QEMU (NONE: no such property). */
enum qa_legacy_prop { QA_LEGACY_NONE, QA_LEGACY_ON, QA_LEGACY_AUTO, QA_LEGACY_OFF };

/* The decided configuration, printed by every form. */
struct qa_plan {
	const struct igdpt_host_device *dev;
	struct qa_request req;
	struct qa_check_result checks[QA_CHECK_COUNT];
	struct igdpt_host_rom host_rom;  /* sysfs rom of the device */
	/* The image and ROM file, absolute, and as QEMU option values (commas
	 * doubled), or NULL. */
	char *image, *image_opt;
	char *romfile, *romfile_opt;
	bool romfile_is_igdpt_efi;       /* the installed igdpt-efi.rom */
	struct igdpt_host_rom romfile_rom; /* the ROM file judged */
	bool image_announces_swsci;
	/* Decided. */
	bool legacy;                     /* IGD as the guest's VGA (legacy or attempted) */
	enum qa_legacy_prop legacy_prop;
	char legacy_why[1536];            /* why this mode, one sentence */
	bool i440fx;
	bool opregion_on, opregion_off, lpc_on;
	unsigned gms;                    /* x-igd-gms, 0 = not set */
	bool addr_02;                    /* the IGD at guest 00:02.0 */
	const char *not_02_why;          /* why not, when not */
	bool move_vga;                   /* pc UPT: the emulated VGA leaves 00:02.0 */
};

/* ---- qa_inputs.c ---- */

/* --image: resolved, read and validated as igdpt vm does (lib/io,
 * igdpt_opregion_parse()); a file QEMU would publish with bytes past the
 * OpRegion, a bare VBT or a 2.0 RVDA is refused. Returns 0, or the exit
 * status after one line on stderr. */
int qa_check_image(struct qa_plan *p);
/* --romfile (or, for OVMF, the installed igdpt-efi.rom): absolute, a
 * regular file, a valid PCI option ROM judged for this device (an EFI x64
 * driver for OVMF). 0, or the exit status after one line on stderr. */
int qa_check_romfile(struct qa_plan *p);

/* ---- qa_decide.c ---- */

/* Judges each legacy-mode condition and decides the mode and every
 * property. Returns 0, or the exit status after one line on stderr (an
 * explicit --mode legacy that a fact refutes). */
int qa_decide(struct qa_plan *p);
const char *qa_check_name(enum qa_check check);
const char *qa_fact_name(enum qa_fact fact);
const char *qa_legacy_prop_name(enum qa_legacy_prop prop);
/* The vfio-pci properties decided, "x-igd-legacy-mode=on,x-igd-opregion=on"
 * (no leading comma), into buf. */
void qa_device_properties(const struct qa_plan *p, char *buf, size_t size);

/* ---- qa_messages.c: QEMU's own texts, per version ---- */

/* What QEMU prints at start for the plan's mode, and what it prints when a
 * condition fails, quoted for the version asked for. */
void qa_expected_messages(const struct qa_plan *p, char *buf, size_t size);

/* ---- the forms ---- */

/* Where a form's "why" lines go: a callback per comment. */
typedef void (*qa_comment_fn)(void *opaque, const char *text);
/* The comments every form shares: the device, the decision and its
 * checks, QEMU's expected messages, firmware notes. */
void qa_explain(const struct qa_plan *p, qa_comment_fn fn, void *opaque);

void qa_print_qemu(const struct qa_plan *p);
int qa_print_qemu_json(const struct qa_plan *p);
void qa_print_libvirt(const struct qa_plan *p);
int qa_print_proxmox(const struct qa_plan *p);

void qa_plan_free(struct qa_plan *p);

#endif
