/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args --proxmox: the lines of a Proxmox VE VM configuration
 * (/etc/pve/qemu-server/VMID.conf).
 *
 * As qemu-server builds the QEMU command line (PVE/QemuServer/PCI.pm):
 * hostpci0 becomes "-device vfio-pci,host=BDF,id=hostpci0,bus=pci.0,addr=0x10";
 * legacy-igd=1 puts it at bus=pci.0,addr=0x2 and requires "vga: none", an
 * i440fx machine and host 00:02.0; romfile= is a name under /usr/share/kvm/
 * (no comma or semicolon). Properties qemu-server does not know reach the
 * device through "args: -set device.hostpci0.PROP=VALUE", which QEMU
 * applies to the -device of that id (the last value of an option wins), so
 * UPT on q35 moves it to 00:02.0 of pcie.0 the same way.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "qa.h"
#include "tool_util.h"

#define CMD "qemu-args"
#define PVE_ROM_DIR "/usr/share/kvm/"
#define PVE_ID "hostpci0"

static void comment(void *opaque, const char *text)
{
	const struct qa_plan *p = opaque;

	if (!p->req.quiet)
		printf("# %s\n", text);
}

static void note(const struct qa_plan *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(const struct qa_plan *p, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	comment((void *)p, text);
}

/* A word of "args:", which qemu-server splits as a shell does. */
static void shell_word(char *out, size_t size, const char *word)
{
	size_t n = 0;
	bool plain = word[0] && !word[strspn(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
						   "qrstuvwxyz0123456789_./=,:+-@%")];

	if (plain) {
		snprintf(out, size, "%s", word);
		return;
	}
	if (n + 1 < size)
		out[n++] = '\'';
	for (const char *c = word; *c && n + 5 < size; c++) {
		if (*c == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else {
			out[n++] = *c;
		}
	}
	if (n + 1 < size)
		out[n++] = '\'';
	out[n] = '\0';
}

int qa_print_proxmox(const struct qa_plan *plan)
{
	struct qa_plan adjusted = *plan, *p = &adjusted;
	const char *legacy = qa_legacy_prop_name(p->legacy_prop);
	char args[PATH_MAX * 3 + 512], word[PATH_MAX * 2 + 64], rom[PATH_MAX];
	const char *base = NULL;
	bool upt_to_02 = !p->legacy && !p->i440fx;
	size_t n = 0;

	if (!p->legacy && p->i440fx) {
		/* qemu-server's VGA holds 00:02.0 of i440fx, 00:03.0 its balloon. */
		p->addr_02 = p->move_vga = false;
		p->not_02_why = "qemu-server keeps its VGA there and puts hostpci0 at 00:10.0";
	}

	if (p->romfile) {
		base = strrchr(p->romfile, '/');
		base = base ? base + 1 : p->romfile;
		if (strpbrk(base, ",;") || !base[0]) {
			tool_error(CMD, "--proxmox: the ROM file name '%s' has a comma or semicolon, "
					"which Proxmox's romfile= cannot take: rename it", base);
			return IGDPT_EXIT_USAGE;
		}
		snprintf(rom, sizeof(rom), PVE_ROM_DIR "%s", base);
	}
	note(p, "igdpt qemu-args --proxmox: add these lines to /etc/pve/qemu-server/VMID.conf "
		"(qm set VMID, or an editor)");
	qa_explain(p, comment, (void *)p);
	if (p->req.firmware == QA_FIRMWARE_OVMF)
		printf("bios: ovmf\n");
	printf("machine: %s\n", p->i440fx ? "pc" : "q35");
	if (p->legacy) {
		note(p, "legacy-igd=1 requires it: the IGD is the guest's VGA");
		printf("vga: none\n");
	}
	if (p->romfile && strcmp(p->romfile, rom))
		note(p, "romfile= names a file in " PVE_ROM_DIR ": first cp '%s' '%s'", p->romfile,
		     rom);
	printf(PVE_ID ": %s%s%s%s\n", p->dev->bdf, p->legacy ? ",legacy-igd=1" : "",
	       base ? ",romfile=" : "", base ? base : "");

#define ARG(...) (n += n < sizeof(args) ? (size_t)snprintf(args + n, sizeof(args) - n, __VA_ARGS__) : 0)
	if (legacy)
		ARG(" -set device." PVE_ID ".x-igd-legacy-mode=%s", legacy);
	if (p->opregion_on)
		ARG(" -set device." PVE_ID ".x-igd-opregion=on");
	if (p->opregion_off)
		ARG(" -set device." PVE_ID ".x-igd-opregion=off");
	if (p->lpc_on)
		ARG(" -set device." PVE_ID ".x-igd-lpc=on");
	if (p->gms)
		ARG(" -set device." PVE_ID ".x-igd-gms=%u", p->gms);
	if (upt_to_02) {
		note(p, "-set moves the IGD from qemu-server's bus to 00:02.0 of pcie.0");
		ARG(" -set device." PVE_ID ".bus=pcie.0 -set device." PVE_ID ".addr=02.0");
	}
	if (p->image) {
		char value[PATH_MAX * 2 + 64];

		snprintf(value, sizeof(value), "name=%s,file=%s", IGDPT_FW_CFG_OPREGION_FILE,
			 p->image_opt);
		shell_word(word, sizeof(word), value);
		ARG(" -fw_cfg %s", word);
	}
#undef ARG
	if (n)
		printf("args:%s\n", args);
	return 0;
}
