/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args: the QEMU options (or libvirt XML) that assign this host's IGD.
 *
 * Two QEMU families matter (QEMU docs/igd-assign.txt and hw/vfio/igd.c):
 * - before 10.0 (Debian 12 ships 7.2): legacy mode is implied by addr=02.0 on
 *   i440fx with a ROM; it publishes etc/igd-opregion, creates the LPC bridge
 *   and zeroes GMS unless x-igd-gms (32 MiB units, <= 0x10) is given. In UPT
 *   mode only x-igd-opregion=on (default off) publishes the OpRegion.
 * - 10.0 and later: x-igd-legacy-mode=on|off|auto, x-igd-lpc, GGC passes
 *   through (no x-igd-gms needed); from 10.1 x-igd-opregion defaults on,
 *   so a prepared image (-fw_cfg) needs x-igd-opregion=off explicitly, or
 *   QEMU would add a second etc/igd-opregion and abort.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "igdpt/host.h"
#include "json_out.h"
#include "qemu_opt.h"
#include "tool_util.h"

/* QEMU versions, as major * 100 + minor. */
#define QEMU_V(major, minor) ((major) * 100 + (minor))
#define QEMU_FIRST_IGD QEMU_V(2, 7)        /* IGD assignment introduced */
#define QEMU_IGD_REWORK QEMU_V(10, 0)      /* x-igd-lpc, x-igd-legacy-mode, GGC passthrough */
#define QEMU_OPREGION_DEFAULT QEMU_V(10, 1) /* x-igd-opregion defaults on */
/* QEMU before 10.0 takes x-igd-gms in 32 MiB units up to 0x10 (512 MiB). */
#define QEMU72_GMS_MAX 0x10u
#define MIB (1024ull * 1024ull)
#define GMS_UNIT_BYTES ((unsigned long long)IGDPT_GGC_GMS_UNIT)

enum mode { MODE_AUTO, MODE_LEGACY, MODE_UPT };

struct plan {
	const struct igdpt_host_device *dev;
	enum mode mode;
	int qemu;               /* QEMU_V */
	const char *image;      /* absolute path of a prepared image, or NULL */
	const char *romfile;
	/* The two paths as QEMU option values (commas doubled), or NULL. */
	char *image_opt, *romfile_opt;
	bool i440fx;            /* machine type pc (i440fx), else q35 */
	bool quiet;
	/* The vfio-pci properties, decided once for both output forms. */
	bool opregion_on, opregion_off, legacy_on, legacy_off, lpc_on;
	unsigned gms;           /* x-igd-gms, 0 = not set */
	bool addr_02;
};

static const char usage_text[] =
	"usage: igdpt qemu-args [--mode legacy|upt] [--device BDF] [--image FILE]\n"
	"                       [--qemu-version V] [--machine pc|q35] [--romfile FILE]\n"
	"                       [--libvirt | --json] [--quiet] [--root DIR]\n"
	"\n"
	"Prints the QEMU options that assign this host's IGD with its OpRegion, each\n"
	"explained by a '# ...' comment line (XML comments with --libvirt) unless --quiet.\n"
	"\n"
	"  --mode legacy    IGD as the guest's VGA at 00:02.0 of an i440fx machine\n"
	"                   (gen 6-9, class 0x0300 only); default when possible\n"
	"  --mode upt       universal pass-through: secondary device, any machine\n"
	"  --image FILE     hand the guest this prepared OpRegion (igdpt dump, igdpt\n"
	"                   prepare) as fw_cfg etc/igd-opregion instead of QEMU's copy\n"
	"                   of the VFIO region (UPT mode only)\n"
	"  --qemu-version V target QEMU V (e.g. 7.2, 10.1); default: ask\n"
	"                   qemu-system-x86_64 --version\n"
	"  --machine M      pc (i440fx) or q35; legacy needs pc; default pc for legacy,\n"
	"                   q35 for UPT\n"
	"  --romfile FILE   the IGD's video BIOS, when the device exposes no ROM BAR\n"
	"  --libvirt        a libvirt domain XML fragment instead of QEMU options\n"
	"  --json           the QEMU options as one JSON document\n"
	"                   (docs/schema/qemu-args.schema.json): \"args\", the argv to\n"
	"                   add, and \"comments\", why each is there\n"
	"  --root DIR       read /sys under DIR\n"
	"\n"
	"Exit status: 0 printed, 1 the host cannot do the requested mode, 2 usage or I/O.\n";

static int parse_version(const char *text, int *version)
{
	int major = 0, minor = 0;
	char tail;

	if (sscanf(text, "%d.%d%c", &major, &minor, &tail) < 1 || major < 0 || minor < 0 ||
	    major > 99 || minor > 99)
		return -EINVAL;
	*version = QEMU_V(major, minor);
	return 0;
}

static int detect_qemu_version(int *version)
{
	char line[256];
	const char *v;
	FILE *p = popen("qemu-system-x86_64 --version 2>/dev/null", "r");
	int ret = -ENOENT;

	if (!p)
		return -errno;
	if (fgets(line, sizeof(line), p) && (v = strstr(line, "version ")))
		ret = parse_version(v + strlen("version "), version);
	pclose(p);
	return ret;
}

/* x-igd-gms for QEMU < 10: the host's stolen size in 32 MiB units, at most 0x10. */
static unsigned gms_for_qemu72(const struct igdpt_host_device *d)
{
	unsigned long long units;

	if (!d->config_read || !d->stolen_size)
		return 1; /* 32 MiB: enough for the VBIOS/GOP framebuffer */
	units = (d->stolen_size + GMS_UNIT_BYTES - 1) / GMS_UNIT_BYTES;
	return units > QEMU72_GMS_MAX ? QEMU72_GMS_MAX : (unsigned)units;
}

static void decide(struct plan *p)
{
	bool v10 = p->qemu >= QEMU_IGD_REWORK;

	p->addr_02 = p->mode == MODE_LEGACY;
	if (p->image) {
		/* Our image is etc/igd-opregion; QEMU must not add its own. */
		p->opregion_off = p->qemu >= QEMU_OPREGION_DEFAULT;
	} else {
		p->opregion_on = true;
	}
	if (v10) {
		p->legacy_on = p->mode == MODE_LEGACY;
		p->legacy_off = p->mode == MODE_UPT;
		p->lpc_on = p->mode == MODE_UPT && p->i440fx;
	} else if (p->mode == MODE_LEGACY) {
		p->gms = gms_for_qemu72(p->dev);
	}
}

/* ---- QEMU command-line form ---- */

/* Where the QEMU form goes: lines of text ("# why" comments, then "-option
 * value"), or a JSON document's "args" (the argv) and "comments". */
struct emit {
	const struct plan *p;
	struct json_object *args, *comments; /* JSON form, else NULL */
};

static void comment(const struct emit *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void comment(const struct emit *e, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (e->p->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (e->comments)
		json_object_array_add(e->comments, json_object_new_string(text));
	else
		printf("# %s\n", text);
}

static void option(const struct emit *e, const char *name, const char *value)
{
	if (e->args) {
		json_object_array_add(e->args, json_object_new_string(name));
		json_object_array_add(e->args, json_object_new_string(value));
	} else {
		printf("%s %s\n", name, value);
	}
}

/* The vfio-pci -device value: host=, then the properties decided. */
static void device_value(const struct plan *p, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "vfio-pci,host=%s%s%s%s%s%s%s", p->dev->bdf,
				    p->addr_02 ? ",addr=02.0" : "",
				    p->legacy_on ? ",x-igd-legacy-mode=on" : "",
				    p->legacy_off ? ",x-igd-legacy-mode=off" : "",
				    p->opregion_on ? ",x-igd-opregion=on" : "",
				    p->opregion_off ? ",x-igd-opregion=off" : "",
				    p->lpc_on ? ",x-igd-lpc=on" : "");

	if (p->gms && n < size)
		n += (size_t)snprintf(buf + n, size - n, ",x-igd-gms=%u", p->gms);
	if (p->romfile && n < size)
		snprintf(buf + n, size - n, ",romfile=%s", p->romfile_opt);
}

static void print_qemu(const struct emit *e)
{
	const struct plan *p = e->p;
	const struct igdpt_host_device *d = p->dev;
	char value[PATH_MAX + 256];

	comment(e, "igdpt qemu-args: IGD %s %04x:%04x (%s, gen %d), %s mode, QEMU %d.%d", d->bdf,
		d->vendor, d->device, d->platform ? d->platform : "unknown platform", d->gen,
		p->mode == MODE_LEGACY ? "legacy" : "UPT", p->qemu / 100, p->qemu % 100);
	if (p->i440fx)
		comment(e, "i440fx machine: q35 has its own ICH9 LPC bridge at 00:1f.0, where QEMU "
			   "puts the copy of the host's LPC bridge ids%s",
			p->mode == MODE_LEGACY ? " (legacy mode requires it)" : "");
	else
		comment(e, "q35 machine: fine for UPT; no LPC bridge copy (ICH9 occupies 00:1f.0)");
	option(e, "-machine", p->i440fx ? "pc" : "q35");
	if (p->mode == MODE_LEGACY) {
		comment(e, "no emulated VGA: in legacy mode the IGD is the guest's VGA adapter");
		option(e, "-vga", "none");
	}

	comment(e, "assign the IGD (bound to vfio-pci on the host)%s",
		p->addr_02 ? " at guest 00:02.0, the address legacy mode requires" : "");
	if (p->qemu < QEMU_IGD_REWORK && p->mode == MODE_LEGACY)
		comment(e, "QEMU %d.%d enters legacy mode by itself at addr=02.0 on i440fx with a ROM: "
			   "it publishes the host OpRegion as fw_cfg etc/igd-opregion, creates the LPC "
			   "bridge at 00:1f.0 with the host ids and copies the host bridge ids",
			p->qemu / 100, p->qemu % 100);
	if (p->legacy_on)
		comment(e, "x-igd-legacy-mode=on: VGA ranges, OpRegion, LPC and host bridge ids; fail "
			   "instead of silently falling back to UPT");
	if (p->legacy_off)
		comment(e, "x-igd-legacy-mode=off: UPT, even if the machine would allow legacy mode");
	if (p->opregion_on)
		comment(e, "x-igd-opregion=on: copy the OpRegion from the VFIO region into fw_cfg "
			   "etc/igd-opregion and emulate ASLS (0xFC) from 0 for the firmware to fill%s",
			p->qemu >= QEMU_OPREGION_DEFAULT ? " (the default since QEMU 10.1)"
			: p->mode == MODE_LEGACY ? " (also if legacy mode gets disabled)" : "");
	if (p->opregion_off)
		comment(e, "x-igd-opregion=off: the prepared image below is etc/igd-opregion; QEMU's "
			   "own copy (default on since 10.1) would be a duplicate fw_cfg file");
	if (p->lpc_on)
		comment(e, "x-igd-lpc=on: an ISA bridge at 00:1f.0 with the host LPC ids (and the host "
			   "bridge ids), which the IGD's GOP and Windows driver check");
	if (p->gms)
		comment(e, "x-igd-gms=%u: %u MiB stolen memory for the guest (32 MiB units, at most "
			   "0x10); QEMU %d.%d shows 0 otherwise and the Windows driver fails (Code 43); "
			   "host: %llu MiB",
			p->gms, p->gms * 32, p->qemu / 100, p->qemu % 100,
			(unsigned long long)(d->stolen_size / MIB));
	if (p->qemu >= QEMU_IGD_REWORK)
		comment(e, "stolen memory: QEMU 10 passes GGC through, the guest sees the host's %llu MiB",
			(unsigned long long)(d->stolen_size / MIB));
	if (p->romfile)
		comment(e, "romfile: the IGD's video BIOS (legacy mode needs a ROM)");
	device_value(p, value, sizeof(value));
	option(e, "-device", value);
	if (p->mode == MODE_LEGACY && !p->romfile)
		comment(e, "if QEMU says \"has no ROM, legacy mode disabled\", add romfile=VBIOS.rom "
			   "(the IGD's video BIOS) to -device");
	if (!p->image && (d->class_code >> IGDPT_PCI_CLASS_CODE_SHIFT) == IGDPT_PCI_CLASS_DISPLAY_OTHER)
		comment(e, "class 0x0380: Linux gives such an IGD a VFIO OpRegion region only from "
			   "6.15; on older kernels x-igd-opregion=on fails: use igdpt dump and --image");
	if (p->image) {
		comment(e, "the prepared OpRegion image: the firmware copies it to reserved memory "
			   "below 4 GiB and writes ASLS (QEMU warns about the etc/ prefix: harmless)");
		if (p->qemu < QEMU_IGD_REWORK)
			comment(e, "without x-igd-opregion QEMU %d.%d leaves ASLS to the kernel, which "
				   "keeps what the firmware writes (SeaBIOS does; OVMF needs an IGD driver)",
				p->qemu / 100, p->qemu % 100);
		snprintf(value, sizeof(value), "name=%s,file=%s", IGDPT_FW_CFG_OPREGION_FILE,
			 p->image_opt);
		option(e, "-fw_cfg", value);
	}
	comment(e, "SeaBIOS (QEMU's default firmware) places etc/igd-opregion and writes ASLS; "
		   "stock OVMF does not (use igdpt's EFI driver)");
}

/* The QEMU form as a document (docs/schema/qemu-args.schema.json). */
static int print_qemu_json(const struct plan *p)
{
	struct json_object *doc = igdpt_json_document("qemu-args"), *dev;
	struct emit e = { .p = p };
	char version[16];

	if (!doc)
		return -ENOMEM;
	dev = json_object_new_object();
	json_object_object_add(dev, "bdf", json_object_new_string(p->dev->bdf));
	json_object_object_add(dev, "vendor", igdpt_json_hex16(p->dev->vendor));
	json_object_object_add(dev, "device", igdpt_json_hex16(p->dev->device));
	json_object_object_add(dev, "generation", p->dev->gen ? json_object_new_int(p->dev->gen) : NULL);
	json_object_object_add(dev, "platform",
			       p->dev->platform ? json_object_new_string(p->dev->platform) : NULL);
	json_object_object_add(doc, "device", dev);
	json_object_object_add(doc, "mode",
			       json_object_new_string(p->mode == MODE_LEGACY ? "legacy" : "upt"));
	snprintf(version, sizeof(version), "%d.%d", p->qemu / 100, p->qemu % 100);
	json_object_object_add(doc, "qemu_version", json_object_new_string(version));
	json_object_object_add(doc, "machine", json_object_new_string(p->i440fx ? "pc" : "q35"));
	json_object_object_add(doc, "image", p->image ? json_object_new_string(p->image) : NULL);
	e.args = json_object_new_array();
	e.comments = json_object_new_array();
	json_object_object_add(doc, "args", e.args);
	json_object_object_add(doc, "comments", e.comments);
	print_qemu(&e);
	tool_print_json(stdout, doc);
	json_object_put(doc);
	return 0;
}

/* ---- libvirt form ---- */

static void xml_comment(const struct plan *p, const char *indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void xml_comment(const struct plan *p, const char *indent, const char *fmt, ...)
{
	va_list ap;

	char text[1024];

	if (p->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* "--" may not appear inside an XML comment. */
	printf("%s<!-- ", indent);
	for (const char *c = text; *c; c++)
		printf(c[0] == '-' && c[1] == '-' ? "- " : "%c", *c);
	printf(" -->\n");
}

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

static void xml_property(const char *name, const char *type, const char *value)
{
	printf("        <qemu:property name='%s' type='%s' value='%s'/>\n", name, type, value);
}

static void print_libvirt(const struct plan *p)
{
	const struct igdpt_host_device *d = p->dev;
	char gms[16];

	xml_comment(p, "", "igdpt qemu-args --libvirt: IGD %s %04x:%04x (%s, gen %d), %s mode, "
			   "QEMU %d.%d; merge into the domain XML (virsh edit)", d->bdf, d->vendor,
		    d->device, d->platform ? d->platform : "unknown platform", d->gen,
		    p->mode == MODE_LEGACY ? "legacy" : "UPT", p->qemu / 100, p->qemu % 100);
	xml_comment(p, "", "the qemu namespace enables <qemu:override> and <qemu:commandline>");
	printf("<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n");
	xml_comment(p, "  ", "%s", p->i440fx ? "i440fx machine: 00:1f.0 must be free for the LPC bridge copy"
					     : "q35 machine (UPT)");
	printf("  <os>\n    <type arch='x86_64' machine='%s'>hvm</type>\n  </os>\n",
	       p->i440fx ? "pc" : "q35");
	printf("  <devices>\n");
	xml_comment(p, "    ", "the IGD; managed='yes' lets libvirt bind it to vfio-pci; the alias "
			       "names it in <qemu:override>");
	printf("    <hostdev mode='subsystem' type='pci' managed='yes'>\n");
	printf("      <source>\n        <address domain='0x%04x' bus='0x%02x' slot='0x%02x' "
	       "function='0x%x'/>\n      </source>\n",
	       d->addr.domain, d->addr.bus, d->addr.dev, d->addr.fn);
	printf("      <alias name='ua-igd'/>\n");
	if (p->addr_02) {
		xml_comment(p, "      ", "guest 00:02.0: legacy mode requires it");
		printf("      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' "
		       "function='0x0'/>\n");
	}
	if (p->romfile) {
		printf("      <rom file='");
		xml_escape_print(p->romfile);
		printf("'/>\n");
	}
	printf("    </hostdev>\n");
	if (p->mode == MODE_LEGACY) {
		xml_comment(p, "    ", "no emulated VGA: the IGD is the guest's VGA adapter");
		printf("    <video>\n      <model type='none'/>\n    </video>\n");
	}
	printf("  </devices>\n");

	xml_comment(p, "  ", "vfio-pci properties of the IGD; libvirt passes -device as JSON, so "
			     "'-set device.ua-igd.x-igd-...' in qemu:commandline would not apply "
			     "(qemu:override needs libvirt 8.2)");
	printf("  <qemu:override>\n    <qemu:device alias='ua-igd'>\n      <qemu:frontend>\n");
	if (p->legacy_on)
		xml_property("x-igd-legacy-mode", "string", "on");
	if (p->legacy_off)
		xml_property("x-igd-legacy-mode", "string", "off");
	if (p->opregion_on)
		xml_property("x-igd-opregion", "bool", "true");
	if (p->opregion_off)
		xml_property("x-igd-opregion", "bool", "false");
	if (p->lpc_on)
		xml_property("x-igd-lpc", "bool", "true");
	if (p->gms) {
		snprintf(gms, sizeof(gms), "%u", p->gms);
		xml_property("x-igd-gms", "unsigned", gms);
	}
	printf("      </qemu:frontend>\n    </qemu:device>\n  </qemu:override>\n");
	if (p->image) {
		xml_comment(p, "  ", "the prepared OpRegion as fw_cfg etc/igd-opregion (SeaBIOS or an "
				     "OVMF IGD driver places it and writes ASLS)");
		printf("  <qemu:commandline>\n    <qemu:arg value='-fw_cfg'/>\n"
		       "    <qemu:arg value='name=%s,file=", IGDPT_FW_CFG_OPREGION_FILE);
		xml_escape_print(p->image_opt);
		printf("'/>\n  </qemu:commandline>\n");
	}
	printf("</domain>\n");
}

int cmd_qemu_args(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "device", required_argument, NULL, 'd' },
		{ "image", required_argument, NULL, 'i' },
		{ "qemu-version", required_argument, NULL, 'v' },
		{ "machine", required_argument, NULL, 'M' },
		{ "romfile", required_argument, NULL, 'R' },
		{ "libvirt", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct igdpt_host_ctx ctx = IGDPT_HOST_CTX_INIT;
	struct igdpt_host_device dev;
	struct plan plan = { .mode = MODE_AUTO, .qemu = -1 };
	const char *bdf = NULL, *machine = NULL;
	char image_path[PATH_MAX], err[1024];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	bool libvirt = false, json = false, legacy;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:d:i:v:M:R:lqr:h", options, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "legacy"))
				plan.mode = MODE_LEGACY;
			else if (!strcmp(optarg, "upt"))
				plan.mode = MODE_UPT;
			else {
				tool_error("qemu-args", "unknown mode '%s' (legacy, upt)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'd':
			if (tool_device_option("qemu-args", optarg) < 0)
				return IGDPT_EXIT_USAGE;
			bdf = optarg;
			break;
		case 'i':
			plan.image = optarg;
			break;
		case 'v':
			if (parse_version(optarg, &plan.qemu) < 0) {
				tool_error("qemu-args", "'%s' is not a QEMU version (e.g. 7.2, 10.1)",
					   optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'M':
			machine = optarg;
			if (strcmp(machine, "pc") && strcmp(machine, "q35")) {
				tool_error("qemu-args", "unknown machine '%s' (pc, q35)", machine);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'R':
			plan.romfile = optarg;
			break;
		case 'l':
			libvirt = true;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			plan.quiet = true;
			break;
		case 'r':
			ctx.root = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return IGDPT_EXIT_OK;
		default:
			tool_usage_hint("qemu-args");
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("qemu-args", "unexpected argument '%s'", argv[optind]);
		return IGDPT_EXIT_USAGE;
	}
	if (libvirt && json) {
		tool_error("qemu-args", "--libvirt (XML) and --json (QEMU options): choose one");
		tool_usage_hint("qemu-args");
		return IGDPT_EXIT_USAGE;
	}
	if (plan.qemu < 0 && detect_qemu_version(&plan.qemu) < 0) {
		tool_error("qemu-args", "cannot run qemu-system-x86_64 --version: give --qemu-version");
		return IGDPT_EXIT_USAGE;
	}
	if (plan.qemu < QEMU_FIRST_IGD) {
		tool_error("qemu-args", "QEMU %d.%d predates IGD assignment (2.7)", plan.qemu / 100,
			   plan.qemu % 100);
		return IGDPT_EXIT_INVALID;
	}
	if (plan.image) {
		/* fw_cfg file= is opened by QEMU, possibly from another directory. */
		if (!realpath(plan.image, image_path)) {
			tool_error("qemu-args", "%s: %s", plan.image, strerror(errno));
			return IGDPT_EXIT_USAGE;
		}
		plan.image = image_path;
	}

	ret = igdpt_host_select(&ctx, bdf, &dev, &diag);
	if (ret < 0) {
		tool_error("qemu-args", "%s", diag.reason);
		return ret == -ENODEV || ret == -EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
	}
	plan.dev = &dev;
	legacy = igdpt_host_legacy_check(&dev, &diag) == 0;
	if (plan.mode == MODE_AUTO)
		plan.mode = legacy && !plan.image ? MODE_LEGACY : MODE_UPT;
	if (plan.mode == MODE_LEGACY && !legacy) {
		tool_error("qemu-args", "%s: legacy mode is not possible: %s; use --mode upt",
			   dev.bdf, diag.reason);
		return IGDPT_EXIT_INVALID;
	}
	if (plan.mode == MODE_LEGACY && plan.image) {
		tool_error("qemu-args", "--image works in UPT mode only: legacy mode always publishes "
			   "the host OpRegion as %s itself; use --mode upt", IGDPT_FW_CFG_OPREGION_FILE);
		return IGDPT_EXIT_USAGE;
	}
	if (plan.mode == MODE_LEGACY && machine && strcmp(machine, "pc")) {
		tool_error("qemu-args", "legacy mode needs --machine pc (i440fx): q35 occupies 00:1f.0");
		return IGDPT_EXIT_USAGE;
	}
	plan.i440fx = machine ? !strcmp(machine, "pc") : plan.mode == MODE_LEGACY;
	if ((plan.image && !(plan.image_opt = qemu_opt_escape(plan.image))) ||
	    (plan.romfile && !(plan.romfile_opt = qemu_opt_escape(plan.romfile)))) {
		tool_error("qemu-args", "out of memory");
		ret = IGDPT_EXIT_USAGE;
		goto free_opts;
	}
	decide(&plan);
	if (libvirt) {
		print_libvirt(&plan);
	} else if (json) {
		if (print_qemu_json(&plan) < 0) {
			tool_error("qemu-args", "out of memory");
			ret = IGDPT_EXIT_USAGE;
			goto free_opts;
		}
	} else {
		struct emit e = { .p = &plan };

		print_qemu(&e);
	}
	ret = IGDPT_EXIT_OK;
free_opts:
	free(plan.romfile_opt);
	free(plan.image_opt);
	return ret;
}
