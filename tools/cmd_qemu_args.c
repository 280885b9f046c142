/* SPDX-License-Identifier: MIT */
/* igdpt qemu-args: the QEMU options, libvirt XML or Proxmox VE lines that
 * assign this host's IGD with its OpRegion, each decision explained
 * (tools/qemu_args/: inputs, decision, QEMU's messages, the forms).
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "igdpt/host.h"
#include "qemu_args/qa.h"
#include "tool_util.h"

#define CMD "qemu-args"

static const char usage_text[] =
	"usage: igdpt qemu-args [--mode auto|legacy|upt] [--device BDF] [--image FILE]\n"
	"                       [--qemu-version V] [--machine pc|q35] [--romfile FILE]\n"
	"                       [--firmware seabios|ovmf]\n"
	"                       [--libvirt | --proxmox | --json] [--quiet] [--root DIR]\n"
	"\n"
	"Prints the QEMU options that assign this host's IGD with its OpRegion, each\n"
	"explained by a '# ...' comment line (XML comments with --libvirt) unless --quiet.\n"
	"\n"
	"  --mode auto      (default) legacy mode when igdpt verified every condition\n"
	"                   (VGA class, gen 6-9, GGC.IVD clear, a ROM, i440fx, host\n"
	"                   00:02.0: x-igd-legacy-mode=on), QEMU's own check when one\n"
	"                   cannot be read (auto), else UPT; the reason is printed\n"
	"  --mode legacy    IGD as the guest's VGA at 00:02.0 of an i440fx machine;\n"
	"                   refused when a condition is known to fail\n"
	"  --mode upt       universal pass-through: the IGD beside an emulated display,\n"
	"                   at guest 00:02.0 (q35 by default)\n"
	"  --image FILE     hand the guest this prepared OpRegion (igdpt dump, igdpt\n"
	"                   prepare) as fw_cfg etc/igd-opregion instead of QEMU's copy\n"
	"                   of the VFIO region (UPT); checked as igdpt vm checks it\n"
	"  --qemu-version V target QEMU V (e.g. 7.2, 10.1); default: ask\n"
	"                   qemu-system-x86_64 --version\n"
	"  --machine M      pc (i440fx) or q35 (UPT); default pc for legacy, q35 for UPT\n"
	"  --romfile FILE   the ROM the guest's firmware runs (the IGD's video BIOS for\n"
	"                   legacy mode); must be a valid PCI option ROM\n"
	"  --firmware F     seabios (default) or ovmf: a UEFI guest, romfile= igdpt's\n"
	"                   installed igdpt-efi.rom unless --romfile names another\n"
	"  --libvirt        a libvirt domain XML fragment instead of QEMU options\n"
	"  --proxmox        the Proxmox VE VM configuration lines (hostpci0:, args:, ...)\n"
	"  --json           the QEMU options as one JSON document\n"
	"                   (docs/schema/qemu-args.schema.json): \"args\", the argv to\n"
	"                   add, \"legacy\" (each condition checked), \"comments\"\n"
	"  --root DIR       read /sys under DIR\n"
	"\n"
	"Exit status: 0 printed, 1 the host or the image cannot do what was asked, 2\n"
	"usage or I/O (a missing or invalid --romfile, an unreadable --image).\n";

static int parse_version(const char *text, int *version)
{
	int major = 0, minor = 0;
	char tail;

	if (sscanf(text, "%d.%d%c", &major, &minor, &tail) < 1 || major < 0 || minor < 0 ||
	    major > 99 || minor > 99)
		return -EINVAL;
	*version = QA_QEMU_V(major, minor);
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

enum form { FORM_QEMU, FORM_JSON, FORM_LIBVIRT, FORM_PROXMOX };

static int set_form(enum form *form, enum form want)
{
	if (*form != FORM_QEMU && *form != want) {
		tool_error(CMD, "--libvirt, --proxmox and --json are different forms: choose one");
		tool_usage_hint(CMD);
		return -EINVAL;
	}
	*form = want;
	return 0;
}

static int parse_options(int argc, char **argv, struct qa_request *req, enum form *form,
			 const char **bdf, struct igdpt_host_ctx *ctx)
{
	static const struct option options[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "device", required_argument, NULL, 'd' },
		{ "image", required_argument, NULL, 'i' },
		{ "qemu-version", required_argument, NULL, 'v' },
		{ "machine", required_argument, NULL, 'M' },
		{ "romfile", required_argument, NULL, 'R' },
		{ "firmware", required_argument, NULL, 'F' },
		{ "libvirt", no_argument, NULL, 'l' },
		{ "proxmox", no_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "m:d:i:v:M:R:F:lPqr:h", options, NULL)) != -1) {
		switch (opt) {
		case 'm':
			if (!strcmp(optarg, "auto"))
				req->mode = QA_MODE_AUTO;
			else if (!strcmp(optarg, "legacy"))
				req->mode = QA_MODE_LEGACY;
			else if (!strcmp(optarg, "upt"))
				req->mode = QA_MODE_UPT;
			else {
				tool_error(CMD, "unknown mode '%s' (auto, legacy, upt)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'd':
			if (tool_device_option(CMD, optarg) < 0)
				return IGDPT_EXIT_USAGE;
			*bdf = optarg;
			break;
		case 'i':
			req->image = optarg;
			break;
		case 'v':
			if (parse_version(optarg, &req->qemu) < 0) {
				tool_error(CMD, "'%s' is not a QEMU version (e.g. 7.2, 10.1)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'M':
			if (strcmp(optarg, "pc") && strcmp(optarg, "q35")) {
				tool_error(CMD, "unknown machine '%s' (pc, q35)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			req->machine = optarg;
			break;
		case 'R':
			req->romfile = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "seabios"))
				req->firmware = QA_FIRMWARE_SEABIOS;
			else if (!strcmp(optarg, "ovmf"))
				req->firmware = QA_FIRMWARE_OVMF;
			else {
				tool_error(CMD, "unknown firmware '%s' (seabios, ovmf)", optarg);
				return IGDPT_EXIT_USAGE;
			}
			break;
		case 'l':
			if (set_form(form, FORM_LIBVIRT) < 0)
				return IGDPT_EXIT_USAGE;
			break;
		case 'P':
			if (set_form(form, FORM_PROXMOX) < 0)
				return IGDPT_EXIT_USAGE;
			break;
		case 'j':
			if (set_form(form, FORM_JSON) < 0)
				return IGDPT_EXIT_USAGE;
			break;
		case 'q':
			req->quiet = true;
			break;
		case 'r':
			ctx->root = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			tool_usage_hint(CMD);
			return IGDPT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error(CMD, "unexpected argument '%s'", argv[optind]);
		return IGDPT_EXIT_USAGE;
	}
	if (req->mode == QA_MODE_LEGACY && req->image) {
		tool_error(CMD, "--image works in UPT mode only: legacy mode always publishes the "
				"host OpRegion as etc/igd-opregion itself; use --mode upt");
		return IGDPT_EXIT_USAGE;
	}
	if (req->mode == QA_MODE_LEGACY && req->machine && !strcmp(req->machine, "q35")) {
		tool_error(CMD, "--mode legacy with --machine q35: legacy mode needs i440fx (q35's "
				"ICH9 LPC bridge occupies 00:1f.0); use --machine pc, or --mode upt");
		return IGDPT_EXIT_USAGE;
	}
	return 0;
}

int cmd_qemu_args(int argc, char **argv)
{
	struct igdpt_host_ctx ctx = IGDPT_HOST_CTX_INIT;
	struct igdpt_host_device dev;
	struct qa_plan plan;
	enum form form = FORM_QEMU;
	const char *bdf = NULL;
	char err[1024];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(err);
	int ret;

	memset(&plan, 0, sizeof(plan));
	plan.req.qemu = -1;
	ret = parse_options(argc, argv, &plan.req, &form, &bdf, &ctx);
	if (ret)
		return ret < 0 ? IGDPT_EXIT_OK : ret;
	if (plan.req.qemu < 0 && detect_qemu_version(&plan.req.qemu) < 0) {
		tool_error(CMD, "cannot run qemu-system-x86_64 --version: give --qemu-version");
		return IGDPT_EXIT_USAGE;
	}
	if (plan.req.qemu < QA_QEMU_FIRST_IGD) {
		tool_error(CMD, "QEMU %d.%d predates IGD assignment (2.7)", plan.req.qemu / 100,
			   plan.req.qemu % 100);
		return IGDPT_EXIT_INVALID;
	}
	ret = igdpt_host_select(&ctx, bdf, &dev, &diag);
	if (ret < 0) {
		tool_error(CMD, "%s", diag.reason);
		return ret == -ENODEV || ret == -EINVAL ? IGDPT_EXIT_INVALID : IGDPT_EXIT_USAGE;
	}
	plan.dev = &dev;
	igdpt_host_read_rom(&ctx, &dev, &plan.host_rom);
	ret = qa_check_image(&plan);
	if (!ret)
		ret = qa_check_romfile(&plan);
	if (!ret)
		ret = qa_decide(&plan);
	if (ret)
		goto out;
	switch (form) {
	case FORM_LIBVIRT:
		qa_print_libvirt(&plan);
		break;
	case FORM_PROXMOX:
		ret = qa_print_proxmox(&plan);
		break;
	case FORM_JSON:
		if (qa_print_qemu_json(&plan) < 0) {
			tool_error(CMD, "out of memory");
			ret = IGDPT_EXIT_USAGE;
		}
		break;
	default:
		qa_print_qemu(&plan);
	}
out:
	qa_plan_free(&plan);
	return ret;
}
