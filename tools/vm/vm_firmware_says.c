/* SPDX-License-Identifier: MIT */
/* What the firmware said and its limits (see vm_firmware_says.h). */
#include "vm_firmware_says.h"

#include <stdio.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/pci.h"
#include "tool_util.h"
#include "vm_stack.h"

/* " 1.16.2": SeaBIOS's banner ("1.16.2-debian-1.16.2-1": the part before
 * the first '-'), else the stack's package; "" when neither says. */
void vm_fw_seabios_seen(const struct vm_evidence *o, char *buf, size_t size)
{
	const char *v = o->seabios.version;

	if (v[0])
		snprintf(buf, size, " %.*s", (int)strcspn(v, "-"), v);
	else if (o->seabios_version[0])
		snprintf(buf, size, " %s", o->seabios_version);
	else
		buf[0] = 0;
}

/* ", like 1.16.2" (or "... and ..."): the other versions of firmware
 * ("seabios", "ovmf") igdpt has seen; seen as " X.Y" or "". */
static void vm_fw_like(const char *firmware, const char *seen, char *buf, size_t size)
{
	char others[96];

	vm_stack_seen_versions(firmware, seen[0] ? seen + 1 : NULL, others, sizeof(others));
	snprintf(buf, size, "%s%s", others[0] ? ", like " : "", others);
}

void vm_fw_class_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	vm_fw_seabios_seen(o, seen, sizeof(seen));
	vm_fw_like("seabios", seen, alike, sizeof(alike));
	snprintf(buf, size, "SeaBIOS%s places the OpRegion only for class 0x0300 (VGA)%s; this "
			    "device is 0x%04x",
		 seen, alike, o->pci_class);
}

void vm_fw_bdsm_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	vm_fw_seabios_seen(o, seen, sizeof(seen));
	vm_fw_like("seabios", seen, alike, sizeof(alike));
	snprintf(buf, size, "SeaBIOS%s writes the stolen-memory base only to the 32-bit BDSM at "
			    "0x5c%s; this device's BDSM is at %s (gen 11+)",
		 seen, alike, o->dev.bdsm_register_at_start);
}

/* Why stock OVMF leaves ASLS 0: it never reads etc/igd-opregion. */
void vm_fw_ovmf_limit(const struct vm_evidence *o, char *buf, size_t size)
{
	char seen[40], alike[120];

	snprintf(seen, sizeof(seen), "%s%s", o->ovmf_version[0] ? " " : "", o->ovmf_version);
	vm_fw_like("ovmf", seen, alike, sizeof(alike));
	snprintf(buf, size, "OVMF%s itself ignores %s%s, so without igdpt's driver ASLS stays 0",
		 seen, IGDPT_FW_CFG_OPREGION_FILE, alike);
}

/* " (option ROM of 00:02.0, OVMF 2025.02)": where igdpt's driver came
 * from and on which OVMF. */
void vm_fw_driver_origin(const struct vm_evidence *o, char *buf, size_t size)
{
	char ovmf[48] = "";

	if (o->ovmf_version[0])
		snprintf(ovmf, sizeof(ovmf), ", OVMF %s", o->ovmf_version);
	if (o->ovmf.from_rom)
		snprintf(buf, size, " (option ROM of %s%s)", o->ovmf.rom_bdf, ovmf);
	else
		snprintf(buf, size, " (BOOTX64.EFI on the boot volume%s)", ovmf);
}

/* SeaBIOS placed stolen memory, but wrote it where this generation has no
 * BDSM: the device saw no BDSM write although the firmware logged one.
 * (igdpt-efi writes the generation's own register.) */
bool vm_fw_bdsm_limitation(const struct vm_evidence *o)
{
	const char *reg = o->dev.bdsm_register_at_start;

	uint64_t offset;

	return o->firmware == VM_FIRMWARE_SEABIOS && o->stolen_size && o->seabios.bdsm &&
	       !o->dev.bdsm_writes && tool_parse_u64(reg, UINT16_MAX, &offset) == 0 &&
	       offset != IGDPT_PCI_BDSM_OFFSET;
}

/* SeaBIOS skips a class 0x0380 IGD; igdpt-efi handles both classes. */
bool vm_fw_class_limitation(const struct vm_evidence *o)
{
	return o->firmware == VM_FIRMWARE_SEABIOS && o->pci_class != IGDPT_PCI_CLASS_DISPLAY_VGA;
}

struct vm_fw_placement vm_fw_where_placed(const struct vm_evidence *o)
{
	struct vm_fw_placement p = { .who = "SeaBIOS" };

	if (o->firmware == VM_FIRMWARE_OVMF) {
		p.who = "igdpt-efi";
		p.placed = o->ovmf.opregion_placed;
		p.addr = o->ovmf.asls;
	} else {
		p.placed = o->seabios.opregion;
		p.addr = o->seabios.opregion_addr;
	}
	return p;
}

/* A driver line without "igdpt-efi: " and the "00:02.0: " it is about. */
const char *vm_fw_driver_says(const char *line)
{
	static const char prefix[] = "igdpt-efi: ";
	static const char bdf[] = "00:00.0: ";

	if (!strncmp(line, prefix, sizeof(prefix) - 1))
		line += sizeof(prefix) - 1;
	if (strlen(line) >= sizeof(bdf) - 1 && line[2] == ':' && line[5] == '.' &&
	    line[7] == ':' && line[8] == ' ')
		line += sizeof(bdf) - 1;
	return line;
}

/* igdpt-efi's refusal, precisely: the line that refused ("REASON:
 * CONSEQUENCE"), or for a validation failure the validator's reason and
 * offset from the line before it ("fw_cfg etc/igd-opregion is invalid:
 * REASON at 0xOFF; ASLS stays 0"). Empty when the driver refused nothing. */
void vm_fw_driver_refusal(const struct vm_evidence *o, char *buf, size_t size)
{
	const struct vm_ovmf_log *l = &o->ovmf;
	const char *consequence;

	buf[0] = 0;
	if (o->firmware != VM_FIRMWARE_OVMF || !l->refusal[0])
		return;
	consequence = strrchr(l->refusal, ':');
	if (l->invalid[0] && consequence)
		snprintf(buf, size, "%s;%s", vm_fw_driver_says(l->invalid), consequence + 1);
	else
		snprintf(buf, size, "%s", vm_fw_driver_says(l->refusal));
}
