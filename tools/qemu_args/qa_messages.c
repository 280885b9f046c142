/* SPDX-License-Identifier: MIT */
/* What QEMU itself prints about the IGD at start, quoted per version so a
 * user can match the line in their log (hw/vfio/igd.c of QEMU 7.2 and of
 * 10.x; 7.2's and 11.1's texts checked against the binaries of the two
 * stacks, docs/stacks.md; 10.0's legacy error is the one 10.1 replaced). */
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "qa.h"

/* QEMU before 10.0: legacy mode is tried for a VGA IGD at 00:02.0 and each
 * failure ends it with one line, the IGD continuing as in UPT. */
#define Q72_NO_ROM "IGD device %s has no ROM, legacy mode disabled"
#define Q72_LPC_TAKEN "IGD device %s cannot support legacy mode due to existing devices " \
		      "at address 1f.0"
#define Q72_UNSUPPORTED "IGD device %s is unsupported in legacy mode, try SandyBridge or newer"
#define Q72_NO_VGA "IGD device %s failed to enable VGA access, legacy mode disabled"
#define Q72_NO_OPREGION "does not support requested IGD OpRegion feature"

/* QEMU 10: x-igd-legacy-mode=on|off|auto. */
#define Q10_ENABLED "IGD legacy mode enabled, use x-igd-legacy-mode=off to disable it if " \
		    "unwanted."
#define Q10_NO_ROM "Device has no ROM"
#define Q10_NO_VGA "Unable to enable VGA access"
#define Q10_DISABLED "IGD legacy mode disabled"
#define Q100_NOT_LEGACY "Machine is not i440fx or assigned BDF is not 00:02.0"
#define Q101_NOT_LEGACY "Machine is not i440fx, assigned BDF is not 00:02.0, or device %04x " \
			"(gen %d) doesn't support legacy mode"
#define Q10_OPREGION_FOUND "OpRegion detected on Intel display %x."

static void qemu72(const struct qa_plan *p, char *buf, size_t size)
{
	const char *bdf = p->dev->bdf;
	char a[160], b[160], c[160], d[160];

	snprintf(a, sizeof(a), Q72_NO_ROM, bdf);
	snprintf(b, sizeof(b), Q72_LPC_TAKEN, bdf);
	snprintf(c, sizeof(c), Q72_UNSUPPORTED, bdf);
	snprintf(d, sizeof(d), Q72_NO_VGA, bdf);
	if (p->legacy)
		snprintf(buf, size,
			 "QEMU %d.%d says nothing when legacy mode works; when it does not, one of "
			 "\"%s\", \"%s\", \"%s\", \"%s\", and the IGD goes on as in UPT",
			 p->req.qemu / 100, p->req.qemu % 100, a, b, c, d);
	else if (p->addr_02 && !p->i440fx &&
		 (p->dev->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) == IGDPT_PCI_CLASS_DISPLAY_VGA)
		snprintf(buf, size,
			 "QEMU %d.%d prints \"%s\" (q35): expected, the IGD runs in UPT; \"%s\" "
			 "means the kernel gives the device no OpRegion region",
			 p->req.qemu / 100, p->req.qemu % 100, b, Q72_NO_OPREGION);
	else
		snprintf(buf, size,
			 "if QEMU %d.%d says \"%s\", the kernel gives the device no OpRegion region",
			 p->req.qemu / 100, p->req.qemu % 100, Q72_NO_OPREGION);
}

static void qemu10(const struct qa_plan *p, char *buf, size_t size)
{
	char not_legacy[200], found[64];
	int v = p->req.qemu;

	if (v >= QA_QEMU_OPREGION_DEFAULT)
		snprintf(not_legacy, sizeof(not_legacy), Q101_NOT_LEGACY, p->dev->device,
			 p->dev->gen);
	else
		snprintf(not_legacy, sizeof(not_legacy), Q100_NOT_LEGACY);
	snprintf(found, sizeof(found), Q10_OPREGION_FOUND, p->dev->device);
	switch (p->legacy_prop) {
	case QA_LEGACY_ON:
		snprintf(buf, size,
			 "QEMU %d.%d prints \"%s\" and \"%s\"; with x-igd-legacy-mode=on a failed "
			 "condition stops it at start: \"%s\", \"%s\" or \"%s\"",
			 v / 100, v % 100, found, Q10_ENABLED, Q10_NO_ROM, Q10_NO_VGA, not_legacy);
		break;
	case QA_LEGACY_AUTO:
		snprintf(buf, size,
			 "QEMU %d.%d prints \"%s\", then \"%s\", or the failed condition (\"%s\", "
			 "\"%s\") and \"%s\", and goes on in UPT",
			 v / 100, v % 100, found, Q10_ENABLED, Q10_NO_ROM, Q10_NO_VGA, Q10_DISABLED);
		break;
	default:
		if (p->image) {
			snprintf(buf, size,
				 "QEMU %d.%d prints \"%s\" if the kernel gives the device an "
				 "OpRegion region; the guest gets --image's", v / 100, v % 100, found);
			break;
		}
		snprintf(buf, size,
			 "QEMU %d.%d prints \"%s\" when the kernel gives the device its OpRegion "
			 "region; without that line (class 0x0380 before Linux 6.15) it sets up no "
			 "OpRegion: use --image", v / 100, v % 100, found);
		break;
	}
}

void qa_expected_messages(const struct qa_plan *p, char *buf, size_t size)
{
	if (p->req.qemu >= QA_QEMU_IGD_REWORK)
		qemu10(p, buf, size);
	else
		qemu72(p, buf, size);
}
