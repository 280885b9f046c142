/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args --libvirt: the domain XML fragment to merge (virsh edit).
 *
 * libvirt hands QEMU its -device as JSON, so '-set device.ID.x-igd-...' in
 * qemu:commandline would not reach the IGD: its properties go through
 * <qemu:override> (libvirt 8.2). The fragment validates against libvirt's
 * domain schema once merged into a domain (tests: virt-xml-validate).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "qa.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"
/* libvirt takes user aliases that start with "ua-". */
#define ALIAS "ua-igd"

static void xml_escape_print(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '\'': fputs("&apos;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default: fputc(*s, stdout);
		}
	}
}

struct xml_emit {
	const struct qa_plan *p;
	const char *indent;
};

static void xml_comment(void *opaque, const char *text)
{
	const struct xml_emit *e = opaque;

	if (e->p->req.quiet)
		return;
	printf("%s<!-- ", e->indent);
	/* "--" may not appear inside an XML comment. */
	for (const char *c = text; *c; c++) {
		if (c[0] == '-' && c[1] == '-')
			fputs("- ", stdout);
		else if (*c == '<')
			fputs("&lt;", stdout);
		else
			fputc(*c, stdout);
	}
	printf(" -->\n");
}

static void note(const struct qa_plan *p, const char *indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(const struct qa_plan *p, const char *indent, const char *fmt, ...)
{
	struct xml_emit e = { p, indent };
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	xml_comment(&e, text);
}

static void property(const char *name, const char *type, const char *value)
{
	printf("        <qemu:property name='%s' type='%s' value='%s'/>\n", name, type, value);
}

static void pci_address(unsigned slot)
{
	printf("<address type='pci' domain='0x0000' bus='0x00' slot='0x%02x' function='0x0'/>\n",
	       slot);
}

void qa_print_libvirt(const struct qa_plan *p)
{
	const struct igdpt_host_device *d = p->dev;
	const char *legacy = qa_legacy_prop_name(p->legacy_prop);
	struct xml_emit top = { p, "" };
	char gms[16];

	note(p, "", "igdpt qemu-args --libvirt: merge into the domain XML (virsh edit)");
	qa_explain(p, xml_comment, &top);
	printf("<domain type='kvm' xmlns:qemu='" QEMU_NS "'>\n");
	printf("  <os%s>\n    <type arch='x86_64' machine='%s'>hvm</type>\n  </os>\n",
	       p->req.firmware == QA_FIRMWARE_OVMF ? " firmware='efi'" : "",
	       p->i440fx ? "pc" : "q35");
	printf("  <devices>\n");
	note(p, "    ", "the IGD; managed='yes' lets libvirt bind it to vfio-pci; the alias names "
			"it in qemu:override");
	printf("    <hostdev mode='subsystem' type='pci' managed='yes'>\n");
	printf("      <source>\n        <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
	       "function='0x%x'/>\n      </source>\n",
	       d->addr.domain, d->addr.bus, d->addr.dev, d->addr.fn);
	printf("      <alias name='" ALIAS "'/>\n");
	if (p->addr_02) {
		note(p, "      ", "guest 00:02.0 on bus 0 (not behind a root port)");
		printf("      ");
		pci_address(IGDPT_IGD_DEVFN_DEVICE);
	}
	if (p->romfile) {
		printf("      <rom file='");
		xml_escape_print(p->romfile);
		printf("'/>\n");
	}
	printf("    </hostdev>\n");
	if (p->legacy) {
		note(p, "    ", "no emulated display: the IGD is the guest's VGA");
		printf("    <video>\n      <model type='none'/>\n    </video>\n");
	} else if (p->move_vga) {
		note(p, "    ", "the emulated VGA at 00:03.0: 00:02.0 is the IGD's");
		printf("    <video>\n      <model type='vga'/>\n      ");
		pci_address(IGDPT_IGD_DEVFN_DEVICE + 1);
		printf("    </video>\n");
	}
	printf("  </devices>\n");
	printf("  <qemu:override>\n    <qemu:device alias='" ALIAS "'>\n      <qemu:frontend>\n");
	if (legacy)
		property("x-igd-legacy-mode", "string", legacy);
	if (p->opregion_on)
		property("x-igd-opregion", "bool", "true");
	if (p->opregion_off)
		property("x-igd-opregion", "bool", "false");
	if (p->lpc_on)
		property("x-igd-lpc", "bool", "true");
	if (p->gms) {
		snprintf(gms, sizeof(gms), "%u", p->gms);
		property("x-igd-gms", "unsigned", gms);
	}
	printf("      </qemu:frontend>\n    </qemu:device>\n  </qemu:override>\n");
	if (p->image) {
		note(p, "  ", "the prepared OpRegion as fw_cfg %s", IGDPT_FW_CFG_OPREGION_FILE);
		printf("  <qemu:commandline>\n    <qemu:arg value='-fw_cfg'/>\n"
		       "    <qemu:arg value='name=%s,file=", IGDPT_FW_CFG_OPREGION_FILE);
		xml_escape_print(p->image_opt);
		printf("'/>\n  </qemu:commandline>\n");
	}
	printf("</domain>\n");
}
