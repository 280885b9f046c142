/* SPDX-License-Identifier: MIT */
/* igdpt vm: boot QEMU + SeaBIOS (or OVMF + igdpt's EFI driver) with the
 * virtual IGD (igdpt-device) and an OpRegion, let the guest probe judge what
 * it got, and report every stage from "image validated" to "host image
 * untouched".
 *
 * Why a separate device process: the IGD is served through QEMU's
 * x-pci-proxy-dev over a socketpair, so QEMU stays stock; the device maps
 * guest RAM (memfd, share=on) and checks the firmware's copy itself, which
 * gives a witness independent of the guest. See the lead's contract. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"
#include "igdpt/core/ggc.h"
#include "igdpt/guest_image.h"
#include "igdpt/core/opregion.h"
#include "igdpt/vmm.h"
#include "tool_util.h"
#include "vm.h"
#include "vm_linux.h"
#include "vm_ovmf.h"

#ifndef IGDPT_LIBEXECDIR
#define IGDPT_LIBEXECDIR "/usr/local/libexec/igdpt"
#endif
#ifndef IGDPT_PROBE_DIR
#define IGDPT_PROBE_DIR "/usr/local/lib/igdpt"
#endif

#define VM_SEABIOS_IMAGE "/usr/share/seabios/bios-256k.bin"
#define VM_QEMU_NAME "qemu-system-x86_64"
#define VM_GUEST_RAM_MIB 128u
#define VM_DEFAULT_TIMEOUT 60.0
/* After QEMU ends, the device sees its socket close and exits at once. */
#define VM_DEVICE_GRACE 10.0
#define VM_REFERENCE_CAP (64u << 10)

static const char usage_text[] =
	"usage: igdpt vm [--firmware seabios|ovmf] [--machine pc|q35] [--reference |\n"
	"                --image FILE | --no-opregion] [--generation N] [--device-id ID]\n"
	"                [--bdsm-size SIZE] [--class vga|display] [--strategy 4b|1b]\n"
	"                [--no-host-check] [--timeout SEC] [--json] [--keep-logs DIR]\n"
	"                [--qemu PATH] [--guest probe|linux] [--kernel bookworm|trixie]\n"
	"\n"
	"Boots QEMU (TCG) with SeaBIOS or OVMF, the virtual IGD igdpt-device at 00:02.0\n"
	"and a guest probe, and reports each stage of the OpRegion's way to the guest:\n"
	"  image validated, published (fw_cfg etc/igd-opregion, SWSCI cleared),\n"
	"  placed by firmware, ASLS programmed, guest verdict, guest copy identical,\n"
	"  host image untouched.\n"
	"\n"
	"  --firmware seabios|ovmf\n"
	"                      who places the OpRegion (default seabios). ovmf boots\n"
	"                      OVMF with igdpt's EFI volume on a virtio disk at 05.0:\n"
	"                      igdpt-efi.efi (BOOTX64.EFI) places the OpRegion and\n"
	"                      stolen memory, then the UEFI check gives the verdict\n"
	"                      (class 0x0380 and gen 11+ BDSM work; seconds, not a\n"
	"                      fraction of one, under TCG)\n"
	"  --reference         igdpt's reference OpRegion, built in memory (default)\n"
	"  --image FILE        a guest-ready OpRegion file (see igdpt prepare)\n"
	"  --no-opregion       publish nothing: the run holds when the guest sees\n"
	"                      ASLS 0 and the probe says no-opregion (exit 0)\n"
	"  --no-host-check     publish the image even if igdpt finds it invalid, so\n"
	"                      the guest probe's own rejection can be seen (the run\n"
	"                      then fails on the guest verdict)\n"
	"  --machine pc|q35    QEMU machine (default pc)\n"
	"  --generation N      IGD generation, picks the device id (default 9)\n"
	"  --device-id ID      PCI device id, overrides the generation's default\n"
	"  --bdsm-size SIZE    publish etc/igd-bdsm-size (suffix K, M, G; default none)\n"
	"  --class vga|display present class 0x0300 (default) or 0x0380; SeaBIOS places\n"
	"                      the OpRegion only for 0x0300, so display fails (exit 1)\n"
	"                      with seabios and passes with ovmf\n"
	"  --strategy 4b|1b    the device's OpRegion strategy (default 4b)\n"
	"  --timeout SEC       kill QEMU and the device after SEC seconds (default 60,\n"
	"                      180 with ovmf)\n"
	"  --json              one JSON object instead of text\n"
	"  --keep-logs DIR     copy all logs, the published image and the command lines\n"
	"  --qemu PATH         qemu-system-x86_64 to run\n"
	"  --guest probe|linux the guest (default probe: igdpt's multiboot probe).\n"
	"                      linux boots a Debian kernel (SeaBIOS only):\n"
	"                      i915 itself takes the OpRegion, igdpt probe judges it\n"
	"                      inside Linux, and two more stages report whether i915\n"
	"                      agrees with the probe and what the driver wrote into\n"
	"                      its copy (default timeout 300); needs\n"
	"                      `ninja -C <builddir> guest-linux` first\n"
	"  --kernel bookworm|trixie\n"
	"                      the Debian kernel of --guest linux: bookworm (Linux\n"
	"                      6.1, default) or trixie (6.12); each is prepared by\n"
	"                      `ninja -C <builddir> guest-linux` into\n"
	"                      <builddir>/guest-linux/NAME/\n"
	"\n"
	"Environment: IGDPT_DEVICE and IGDPT_PROBE_IMAGE override the device binary\n"
	"and the probe image found beside this executable or installed; with\n"
	"--guest linux, IGDPT_GUEST_KERNEL and IGDPT_GUEST_INITRD; with ovmf,\n"
	"IGDPT_EFI_IMAGE the EFI volume, IGDPT_OVMF_CODE and IGDPT_OVMF_VARS the\n"
	"firmware (default " VM_OVMF_CODE_DEFAULT ", Debian package ovmf).\n"
	"Exit status: 0 every stage holds, 1 a stage failed, 2 usage or setup error.\n";

struct vm_options {
	bool ovmf; /* --firmware ovmf */
	bool linux_guest; /* --guest linux */
	const char *kernel; /* --kernel, for --guest linux */
	const char *machine;
	const char *image;
	bool reference, no_opregion, no_host_check, json;
	unsigned generation;
	const char *device_id;
	uint64_t bdsm_size;
	bool display_class;
	const char *strategy;
	double timeout;
	const char *keep_logs;
	const char *qemu;
};

/* Every file of one run, in a private temporary directory. */
struct vm_files {
	char dir[PATH_MAX - 64]; /* leaves room for the file names below */
	char published[PATH_MAX], bdsm[PATH_MAX];
	char device_log[PATH_MAX], device_out[PATH_MAX], device_err[PATH_MAX];
	char fw_log[PATH_MAX], serial[PATH_MAX], qemu_out[PATH_MAX], qemu_err[PATH_MAX];
	char cmdlines[PATH_MAX];
	char ovmf_vars[PATH_MAX]; /* OVMF's private vars flash; not kept (512 KiB) */
};

static int find_in_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/')) {
		if (!tool_is_file(name, X_OK))
			return -ENOENT;
		snprintf(out, size, "%s", name);
		return 0;
	}
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n && (int)n < (int)size - 2) {
			snprintf(out, size, "%.*s/%s", (int)n, path, name);
			if (tool_is_file(out, X_OK))
				return 0;
		}
		path += n + (path[n] == ':');
	}
	return -ENOENT;
}

/* QEMU warns that fw_cfg names should start with "opt/"; etc/igd-* are the
 * names SeaBIOS looks for, so the warning is expected and only noise here. */
static bool is_noise(const uint8_t *line, size_t n)
{
	static const char fw_cfg_warning[] = "should be prefixed with \"opt/\"";

	return memmem(line, n, fw_cfg_warning, sizeof(fw_cfg_warning) - 1) != NULL;
}

/* The last few lines of a child's stderr, on one line, for a failure message. */
static void file_tail(const char *path, char *buf, size_t size)
{
	uint8_t *data = NULL;
	size_t len = 0, start, lines = 0, o = 0, kept = 0;

	buf[0] = 0;
	if (igdpt_file_read(path, &data, &len, NULL) < 0)
		return;
	/* Drop the expected warnings first, in place. */
	for (size_t pos = 0; pos < len;) {
		uint8_t *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;

		if (!is_noise(data + pos, n)) {
			memmove(data + kept, data + pos, n);
			kept += n;
		}
		pos += n;
	}
	len = kept;
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	for (start = len; start > 0; start--)
		if (data[start - 1] == '\n' && ++lines == 3)
			break;
	if (len - start > 400)
		start = len - 400;
	for (size_t i = start; i < len && o + 4 < size; i++) {
		if (data[i] == '\n') {
			buf[o++] = ' ';
			buf[o++] = '|';
			buf[o++] = ' ';
		} else if (isprint(data[i])) {
			buf[o++] = (char)data[i];
		}
	}
	buf[o] = 0;
	free(data);
}

static char *read_text(const char *path, size_t *len)
{
	uint8_t *data = NULL;

	if (igdpt_file_read(path, &data, len, NULL) < 0) {
		*len = 0;
		return NULL;
	}
	return (char *)data;
}

static int files_init(struct vm_files *f)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(f->dir, sizeof(f->dir), "%s/igdpt-vm.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	if (n < 0 || (size_t)n >= sizeof(f->dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(f->dir))
		return -errno;
#define VM_FILE(field, name) snprintf(f->field, sizeof(f->field), "%s/" name, f->dir)
	VM_FILE(published, "published-opregion.bin");
	VM_FILE(bdsm, "igd-bdsm-size.bin");
	VM_FILE(device_log, "device.log");
	VM_FILE(device_out, "device.stdout");
	VM_FILE(device_err, "device.stderr");
	VM_FILE(fw_log, "firmware.log");
	VM_FILE(serial, "serial.log");
	VM_FILE(qemu_out, "qemu.stdout");
	VM_FILE(qemu_err, "qemu.stderr");
	VM_FILE(cmdlines, "command-lines.txt");
#undef VM_FILE
	return 0;
}

static const char *const *files_list(const struct vm_files *f)
{
	static const char *list[11];

	list[0] = f->published;
	list[1] = f->bdsm;
	list[2] = f->device_log;
	list[3] = f->device_out;
	list[4] = f->device_err;
	list[5] = f->fw_log;
	list[6] = f->serial;
	list[7] = f->qemu_out;
	list[8] = f->qemu_err;
	list[9] = f->cmdlines;
	list[10] = NULL;
	return list;
}

static void files_remove(const struct vm_files *f)
{
	for (const char *const *p = files_list(f); *p; p++)
		unlink(*p);
	if (f->ovmf_vars[0])
		unlink(f->ovmf_vars);
	rmdir(f->dir);
}

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int keep_logs(const struct vm_files *f, const char *dir, char *err, size_t err_size)
{
	int ret = mkdir_p(dir);

	if (ret < 0) {
		snprintf(err, err_size, "%s: cannot create: %s", dir, strerror(-ret));
		return ret;
	}
	for (const char *const *p = files_list(f); *p; p++) {
		const char *base = strrchr(*p, '/') + 1;
		char dst[PATH_MAX * 2];
		uint8_t *data;
		size_t len;

		if (access(*p, F_OK))
			continue;
		ret = igdpt_file_read(*p, &data, &len,
				      &(struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size));
		if (ret < 0)
			return ret;
		snprintf(dst, sizeof(dst), "%s/%s", dir, base);
		ret = igdpt_file_write(dst, data, len,
				       &(struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size));
		free(data);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Why QEMU's proxy cannot run an option: it forwards config and BAR
 * accesses only; it can neither map the device process's memory into the
 * guest nor add to the e820 map QEMU builds. */
static void vm_strategy_unsupported(const char *name)
{
	enum igdpt_vmm_strategy s;

	if (igdpt_vmm_strategy_parse(name, &s) < 0)
		tool_error("vm", "--strategy %s: unknown option; the thread's are 1a 1b 2 3 4a 4b, "
				 "and QEMU runs 4b (default) and 1b", name);
	else if (igdpt_vmm_strategy_needs_map(s))
		tool_error("vm", "--strategy %s: option %s maps memory into guest physical space, and "
				 "QEMU's x-pci-proxy-dev cannot map igdpt-device's memory into the guest; "
				 "use 4b or 1b (`igdpt strategies` runs every option in a model)", name, name);
	else
		tool_error("vm", "--strategy %s: option 4a needs the VMM to reserve guest RAM in the "
				 "e820 map before boot, and QEMU builds that map itself; use 4b or 1b "
				 "(`igdpt strategies` runs every option in a model)", name);
}

static int parse_options(int argc, char **argv, struct vm_options *o)
{
	enum {
		OPT_FIRMWARE = 256, OPT_MACHINE, OPT_REFERENCE, OPT_IMAGE, OPT_NO_OPREGION,
		OPT_GENERATION, OPT_DEVICE_ID, OPT_BDSM, OPT_CLASS, OPT_STRATEGY, OPT_TIMEOUT,
		OPT_JSON, OPT_KEEP, OPT_QEMU, OPT_NO_HOST_CHECK, OPT_GUEST, OPT_KERNEL, OPT_HELP,
	};
	static const struct option options[] = {
		{ "firmware", required_argument, NULL, OPT_FIRMWARE },
		{ "machine", required_argument, NULL, OPT_MACHINE },
		{ "reference", no_argument, NULL, OPT_REFERENCE },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "no-opregion", no_argument, NULL, OPT_NO_OPREGION },
		{ "generation", required_argument, NULL, OPT_GENERATION },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "bdsm-size", required_argument, NULL, OPT_BDSM },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "strategy", required_argument, NULL, OPT_STRATEGY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "keep-logs", required_argument, NULL, OPT_KEEP },
		{ "qemu", required_argument, NULL, OPT_QEMU },
		{ "no-host-check", no_argument, NULL, OPT_NO_HOST_CHECK },
		{ "guest", required_argument, NULL, OPT_GUEST },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t u;
	uint16_t ggc;
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	o->machine = "pc";
	o->generation = 9;
	o->strategy = "4b";
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_FIRMWARE:
			if (strcmp(optarg, "seabios") && strcmp(optarg, "ovmf")) {
				tool_error("vm", "--firmware %s: expected seabios or ovmf (OVMF with "
						 "igdpt's EFI driver)", optarg);
				return -EINVAL;
			}
			o->ovmf = !strcmp(optarg, "ovmf");
			break;
		case OPT_MACHINE:
			if (strcmp(optarg, "pc") && strcmp(optarg, "q35")) {
				tool_error("vm", "--machine %s: expected pc or q35", optarg);
				return -EINVAL;
			}
			o->machine = optarg;
			break;
		case OPT_REFERENCE:
			o->reference = true;
			break;
		case OPT_IMAGE:
			o->image = optarg;
			break;
		case OPT_NO_OPREGION:
			o->no_opregion = true;
			break;
		case OPT_GENERATION:
			if (!vm_parse_u64(optarg, &u) || u < 1 || u > 99) {
				tool_error("vm", "--generation %s: expected a number such as 9 or 12", optarg);
				return -EINVAL;
			}
			o->generation = (unsigned)u;
			break;
		case OPT_DEVICE_ID:
			if (!vm_parse_u64(optarg, &u) || u > UINT16_MAX) {
				tool_error("vm", "--device-id %s: expected a 16-bit id such as 0x5916", optarg);
				return -EINVAL;
			}
			o->device_id = optarg;
			break;
		case OPT_BDSM:
			if (!vm_parse_size(optarg, &o->bdsm_size) ||
			    o->bdsm_size % IGDPT_STOLEN_GUEST_ALIGN ||
			    o->bdsm_size >= (VM_GUEST_RAM_MIB << 20)) {
				tool_error("vm", "--bdsm-size %s: expected a multiple of 1M below the "
						 "guest's %u MiB, e.g. 64M", optarg, VM_GUEST_RAM_MIB);
				return -EINVAL;
			}
			break;
		case OPT_CLASS:
			if (strcmp(optarg, "vga") && strcmp(optarg, "display")) {
				tool_error("vm", "--class %s: expected vga (0x0300) or display (0x0380)", optarg);
				return -EINVAL;
			}
			o->display_class = !strcmp(optarg, "display");
			break;
		case OPT_STRATEGY:
			if (strcmp(optarg, "4b") && strcmp(optarg, "1b")) {
				vm_strategy_unsupported(optarg);
				return -EINVAL;
			}
			o->strategy = optarg;
			break;
		case OPT_TIMEOUT:
			o->timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(o->timeout > 0) || o->timeout > 86400) {
				tool_error("vm", "--timeout %s: expected seconds, e.g. 60", optarg);
				return -EINVAL;
			}
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_KEEP:
			o->keep_logs = optarg;
			break;
		case OPT_QEMU:
			o->qemu = optarg;
			break;
		case OPT_NO_HOST_CHECK:
			o->no_host_check = true;
			break;
		case OPT_GUEST:
			if (strcmp(optarg, "probe") && strcmp(optarg, "linux")) {
				tool_error("vm", "--guest %s: expected probe or linux", optarg);
				return -EINVAL;
			}
			o->linux_guest = !strcmp(optarg, "linux");
			break;
		case OPT_KERNEL:
			if (!vm_linux_kernel_find(optarg)) {
				char names[64];

				vm_linux_kernel_names(names, sizeof(names));
				tool_error("vm", "--kernel %s: expected %s", optarg, names);
				return -EINVAL;
			}
			o->kernel = optarg;
			break;
		case OPT_HELP:
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		default:
			tool_usage_hint("vm");
			return -EINVAL;
		}
	}
	if (optind < argc) {
		tool_error("vm", "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	if ((o->reference + !!o->image + o->no_opregion) > 1) {
		tool_error("vm", "--reference, --image and --no-opregion exclude each other");
		return -EINVAL;
	}
	if (!o->image && !o->no_opregion)
		o->reference = true;
	/* igdpt-device must express the size in GGC's GMS field (the same codec,
	 * igdpt/core/ggc.h): refuse here what would only fail at device start-up. */
	if (o->bdsm_size && igdpt_ggc_encode(o->generation, o->bdsm_size, &ggc) < 0) {
		tool_error("vm", "--bdsm-size %" PRIu64 "M has no GGC GMS encoding on generation %u "
				 "(multiples of 32M; from gen 9 also 4M..60M in 4M steps)",
			   o->bdsm_size >> 20, o->generation);
		return -EINVAL;
	}
	if (o->kernel && !o->linux_guest) {
		tool_error("vm", "--kernel names the kernel of --guest linux");
		return -EINVAL;
	}
	if (o->linux_guest && !o->kernel)
		o->kernel = VM_LINUX_DEFAULT_KERNEL;
	if (o->linux_guest && o->ovmf) {
		tool_error("vm", "--guest linux boots with SeaBIOS only (-kernel/-initrd)");
		return -EINVAL;
	}
	/* A kernel and i915 under TCG take far longer than the probe. */
	if (!o->timeout && o->linux_guest)
		o->timeout = VM_LINUX_DEFAULT_TIMEOUT;
	/* OVMF under TCG needs seconds where SeaBIOS needs a fraction of one. */
	if (!o->timeout)
		o->timeout = o->ovmf ? VM_OVMF_BOOT_SECONDS : VM_DEFAULT_TIMEOUT;
	return 0;
}

/* The OpRegion to publish, where it came from, and its fingerprint. */
struct vm_image {
	uint8_t *host; /* as loaded or built */
	size_t host_len;
	uint8_t *published;
	size_t published_len;
	uint64_t host_hash;
	char source[PATH_MAX + 32];
};

static void stage_validate(struct vm_report *r, const struct vm_options *o, struct vm_image *img,
			   struct igdpt_opregion *op)
{
	struct igdpt_diag diag = { 0 };
	char warnings[256], what[200];
	int ret;

	ret = igdpt_opregion_parse(img->host, img->host_len, op, &diag);
	tool_warnings_text(diag.warnings, warnings, sizeof(warnings));
	if (ret < 0) {
		vm_report_set(r, VM_STAGE_VALIDATED, o->no_host_check ? VM_STATE_SKIPPED : VM_STATE_FAIL,
			      "%s%s: %s at 0x%zx", o->no_host_check ? "not enforced (--no-host-check); " : "",
			      img->source, diag.reason, diag.offset);
		return;
	}
	snprintf(what, sizeof(what), "VBT in %s",
		 op->vbt_source == IGDPT_VBT_SOURCE_RVDA ? "RVDA (extended)"
		 : op->vbt_source == IGDPT_VBT_SOURCE_MAILBOX4 ? "mailbox 4" : "none");
	if (op->vbt_source != IGDPT_VBT_SOURCE_NONE) {
		size_t n = strlen(what);

		snprintf(what + n, sizeof(what) - n, ", BDB %u", op->vbt.bdb_version);
	}
	vm_report_set(r, VM_STAGE_VALIDATED, VM_STATE_OK, "%s: OpRegion %u.%u.%u, %zu bytes, %s%s%s%s",
		      img->source, op->major, op->minor, op->revision, img->host_len, what,
		      warnings[0] ? " (tolerated: " : "", warnings, warnings[0] ? ")" : "");
}

/* Applies the guest-image policy and writes the published file. */
static int stage_publish(struct vm_report *r, const struct vm_options *o, struct vm_image *img,
			 const struct vm_files *f)
{
	struct igdpt_diag diag = { 0 };
	char err[512], policy[128], bdsm[64] = "";
	int ret;

	if (o->bdsm_size) {
		uint8_t le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];

		igdpt_put_le64(le, o->bdsm_size);
		ret = igdpt_file_write(f->bdsm, le, sizeof(le),
				       &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err));
		if (ret < 0) {
			vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL, "%s", err);
			return ret;
		}
		snprintf(bdsm, sizeof(bdsm), "; %s %" PRIu64 " MiB", IGDPT_FW_CFG_BDSM_SIZE_FILE,
			 o->bdsm_size >> 20);
	}
	if (o->no_opregion) {
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_OK,
			      "nothing as %s (--no-opregion)%s", IGDPT_FW_CFG_OPREGION_FILE, bdsm);
		return 0;
	}
	img->published = malloc(img->host_len ? img->host_len : 1);
	if (!img->published)
		return -ENOMEM;
	ret = igdpt_guest_image_policy(img->host, img->host_len, NULL, img->published,
				       img->host_len, &img->published_len, &diag);
	if (ret == -EINVAL && o->no_host_check) {
		/* The point of --no-host-check: let the guest see the bad image. */
		memcpy(img->published, img->host, img->host_len);
		img->published_len = img->host_len;
		snprintf(policy, sizeof(policy), "published as given (policy not applied: %s at 0x%zx)",
			 diag.reason, diag.offset);
	} else if (ret < 0) {
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL,
			      "guest-image policy refused the image: %s at 0x%zx",
			      diag.reason ? diag.reason : strerror(-ret), diag.offset);
		return ret;
	} else {
		uint32_t before = igdpt_le32(img->host + IGDPT_OPREGION_MBOX_OFFSET);
		uint32_t after = igdpt_le32(img->published + IGDPT_OPREGION_MBOX_OFFSET);

		if (ret > 0)
			snprintf(policy, sizeof(policy), "SWSCI cleared (MBOX 0x%02x -> 0x%02x)",
				 before, after);
		else
			snprintf(policy, sizeof(policy), "SWSCI already clear (MBOX 0x%02x)", after);
	}
	ret = igdpt_file_write(f->published, img->published, img->published_len,
			       &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err));
	if (ret < 0) {
		vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_FAIL, "%s", err);
		return ret;
	}
	vm_report_set(r, VM_STAGE_PUBLISHED, VM_STATE_OK, "fw_cfg %s, %zu bytes, %s%s",
		      IGDPT_FW_CFG_OPREGION_FILE, img->published_len, policy, bdsm);
	return 0;
}

static int load_image(const struct vm_options *o, struct vm_image *img, char *err,
		      size_t err_size)
{
	struct igdpt_diag diag = { 0 };
	int ret;

	if (o->no_opregion)
		return 0;
	if (o->image) {
		ret = igdpt_file_read(o->image, &img->host, &img->host_len,
				      &(struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size));
		if (ret < 0)
			return ret;
		snprintf(img->source, sizeof(img->source), "%s", o->image);
	} else {
		img->host = malloc(VM_REFERENCE_CAP);
		if (!img->host)
			return -ENOMEM;
		ret = igdpt_build_reference(IGDPT_BUILD_VERSION_DEFAULT, img->host, VM_REFERENCE_CAP,
					    &img->host_len, &diag);
		if (ret < 0) {
			snprintf(err, err_size, "cannot build the reference OpRegion: %s",
				 diag.reason ? diag.reason : strerror(-ret));
			return ret;
		}
		snprintf(img->source, sizeof(img->source), "reference");
	}
	img->host_hash = vm_fnv1a64(img->host, img->host_len);
	return 0;
}

/* Re-reads a file and compares it with what it held at the start. */
static bool file_unchanged(const char *path, const uint8_t *before, size_t len)
{
	uint8_t *now;
	size_t now_len;
	bool same;

	if (igdpt_file_read(path, &now, &now_len, NULL) < 0)
		return false;
	same = now_len == len && !memcmp(now, before, len);
	free(now);
	return same;
}

/* Everything the run started, so one cleanup path can undo it. */
struct vm_run {
	struct vm_proc device, qemu;
	struct vm_argv device_argv, qemu_argv;
	int igd_sv[2];
	bool timed_out;
};

/* ovmf: OVMF + igdpt's EFI volume in place of SeaBIOS + the probe, or NULL.
 * initrd: with --guest linux, probe is the kernel and this its initramfs. */
static int boot(const struct vm_options *o, const struct vm_files *f, const char *qemu,
		const char *device, const char *probe, const char *initrd,
		const struct vm_ovmf_config *ovmf, struct vm_run *run, char *err, size_t err_size)
{
	struct vm_qemu_config qc = {
		.qemu = qemu,
		.machine = o->machine,
		.bios = ovmf ? NULL : VM_SEABIOS_IMAGE,
		.kernel = ovmf ? NULL : probe,
		.append = initrd ? VM_LINUX_APPEND : NULL,
		.ovmf = ovmf,
		.mem_mib = VM_GUEST_RAM_MIB,
		.lpc_fd = -1,
		.opregion = o->no_opregion ? NULL : f->published,
		.bdsm_size_file = o->bdsm_size ? f->bdsm : NULL,
		.fw_log = f->fw_log,
		.serial_log = f->serial,
	};
	FILE *cmd;
	int ret;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, run->igd_sv) < 0) {
		ret = -errno;
		snprintf(err, err_size, "socketpair: %s", strerror(errno));
		return ret;
	}
	qc.igd_fd = run->igd_sv[0];
	if (vm_argv_add(&run->device_argv, "%s", device) ||
	    vm_argv_add(&run->device_argv, "--igd-fd") ||
	    vm_argv_add(&run->device_argv, "%d", run->igd_sv[1]) ||
	    vm_argv_add(&run->device_argv, "--generation") ||
	    vm_argv_add(&run->device_argv, "%u", o->generation) ||
	    vm_argv_add(&run->device_argv, "--bdsm-size") ||
	    vm_argv_add(&run->device_argv, "%" PRIu64, o->bdsm_size) ||
	    vm_argv_add(&run->device_argv, "--class") ||
	    vm_argv_add(&run->device_argv, "%s", o->display_class ? "display" : "vga") ||
	    vm_argv_add(&run->device_argv, "--strategy") ||
	    vm_argv_add(&run->device_argv, "%s", o->strategy) ||
	    vm_argv_add(&run->device_argv, "--log") ||
	    vm_argv_add(&run->device_argv, "%s", f->device_log) ||
	    (!o->no_opregion && (vm_argv_add(&run->device_argv, "--image") ||
				 vm_argv_add(&run->device_argv, "%s", f->published))) ||
	    (o->device_id && (vm_argv_add(&run->device_argv, "--device-id") ||
			      vm_argv_add(&run->device_argv, "%s", o->device_id))))
		return -ENOMEM;
	ret = vm_qemu_argv(&qc, &run->qemu_argv);
	if (ret < 0)
		return ret;
	if (initrd && (vm_argv_add(&run->qemu_argv, "-initrd") ||
		       vm_argv_add(&run->qemu_argv, "%s", initrd)))
		return -ENOMEM;
	cmd = fopen(f->cmdlines, "w");
	if (cmd) {
		fputs("# igdpt-device\n", cmd);
		vm_argv_print(cmd, &run->device_argv);
		fputs("# qemu\n", cmd);
		vm_argv_print(cmd, &run->qemu_argv);
		fclose(cmd);
	}

	ret = vm_proc_spawn(&run->device, "igdpt-device", run->device_argv.argv, &run->igd_sv[1], 1,
			    f->device_out, f->device_err, err, err_size);
	if (ret < 0)
		return ret;
	close(run->igd_sv[1]);
	run->igd_sv[1] = -1;
	ret = vm_proc_spawn(&run->qemu, "qemu", run->qemu_argv.argv, &run->igd_sv[0], 1, f->qemu_out,
			    f->qemu_err, err, err_size);
	close(run->igd_sv[0]);
	run->igd_sv[0] = -1;
	if (ret < 0)
		return ret;

	if (vm_proc_wait(&run->qemu, run->qemu.t_start + o->timeout) == -ETIMEDOUT) {
		run->timed_out = true;
		vm_proc_kill(&run->qemu);
	}
	if (vm_proc_wait(&run->device, vm_now() + VM_DEVICE_GRACE) == -ETIMEDOUT)
		vm_proc_kill(&run->device);
	return 0;
}

static struct json_object *proc_json(const struct vm_proc *p)
{
	struct json_object *obj = json_object_new_object();
	char status[96];

	vm_proc_status_text(p, status, sizeof(status));
	json_object_object_add(obj, "status", json_object_new_string(status));
	if (p->exited)
		json_object_object_add(obj, "exit_code", json_object_new_int(p->exit_code));
	if (p->signal)
		json_object_object_add(obj, "signal", json_object_new_int(p->signal));
	json_object_object_add(obj, "cpu_seconds", json_object_new_double(vm_proc_cpu_seconds(p)));
	json_object_object_add(obj, "wall_seconds", json_object_new_double(p->t_end - p->t_start));
	return obj;
}

static void add_hex(struct json_object *obj, const char *key, uint64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%08" PRIx64, value);
	json_object_object_add(obj, key, json_object_new_string(buf));
}

/* --firmware ovmf: the files booted and what igdpt-efi said. */
static struct json_object *ovmf_json(const struct vm_ovmf_config *c, const struct vm_ovmf_log *l)
{
	struct json_object *obj = json_object_new_object();
	struct json_object *driver = json_object_new_object();

	json_object_object_add(obj, "code", json_object_new_string(c->code ? c->code : ""));
	json_object_object_add(obj, "esp_image",
			       json_object_new_string(c->esp_image ? c->esp_image : ""));
	json_object_object_add(driver, "ran", json_object_new_boolean(l->driver_ran));
	json_object_object_add(driver, "opregion_placed", json_object_new_boolean(l->opregion_placed));
	if (l->opregion_placed)
		add_hex(driver, "asls", l->asls);
	json_object_object_add(driver, "stolen_placed", json_object_new_boolean(l->stolen_placed));
	if (l->stolen_placed)
		add_hex(driver, "bdsm", l->bdsm);
	if (l->refusal[0])
		json_object_object_add(driver, "refusal", json_object_new_string(l->refusal));
	if (l->invalid[0])
		json_object_object_add(driver, "invalid", json_object_new_string(l->invalid));
	json_object_object_add(driver, "next_stage_started",
			       json_object_new_boolean(l->next_stage_started));
	json_object_object_add(obj, "driver", driver);
	return obj;
}

static void print_json(const struct vm_options *o, const struct vm_report *r,
		       const struct vm_outcome *out, const struct vm_image *img,
		       const struct vm_ovmf_config *ovmf, const struct vm_linux_result *lr,
		       bool passed)
{
	struct json_object *stages;
	struct json_object *obj = json_object_new_object();
	struct json_object *image = json_object_new_object();
	uint64_t asls = 0;
	char buf[32];

	json_object_object_add(obj, "verdict", json_object_new_string(passed ? "pass" : "fail"));
	/* What the guest reads; the device's view when the guest said nothing. */
	if (!vm_json_hex(out->probe, "asls", &asls) && out->dev->asls_writes)
		asls = out->dev->asls_value;
	snprintf(buf, sizeof(buf), "0x%08" PRIx64, asls);
	json_object_object_add(obj, "asls", json_object_new_string(buf));
	json_object_object_add(obj, "expected", json_object_new_string(o->no_opregion ? "no-opregion"
										    : "opregion"));
	json_object_object_add(obj, "firmware", json_object_new_string(o->ovmf ? "ovmf" : "seabios"));
	if (o->ovmf)
		json_object_object_add(obj, "ovmf", ovmf_json(ovmf, out->ovmf));
	else
		json_object_object_add(obj, "firmware_version",
				       json_object_new_string(out->fw->version));
	json_object_object_add(obj, "machine", json_object_new_string(o->machine));
	json_object_object_add(obj, "generation", json_object_new_int((int)o->generation));
	json_object_object_add(obj, "class", json_object_new_string(o->display_class ? "0x0380"
										      : "0x0300"));
	json_object_object_add(obj, "strategy", json_object_new_string(o->strategy));
	json_object_object_add(obj, "bdsm_size", json_object_new_int64((int64_t)o->bdsm_size));
	json_object_object_add(image, "source", json_object_new_string(o->no_opregion ? "none"
									: img->source));
	json_object_object_add(image, "size", json_object_new_int64((int64_t)img->published_len));
	json_object_object_add(obj, "image", image);
	stages = vm_report_stages_json(r);
	if (lr)
		vm_linux_stages_json(stages, lr);
	json_object_object_add(obj, "stages", stages);
	if (r->note[0])
		json_object_object_add(obj, "note", json_object_new_string(r->note));
	json_object_object_add(obj, "guest", out->probe ? json_object_get(out->probe) : NULL);
	if (lr) {
		json_object_object_add(obj, "guest_kind", json_object_new_string("linux"));
		json_object_object_add(obj, "guest_kernel", json_object_new_string(o->kernel));
		json_object_object_add(obj, "guest_driver", vm_linux_guest_driver_json(lr));
	}
	json_object_object_add(obj, "device_log", vm_device_log_json(out->dev));
	if (out->qemu)
		json_object_object_add(obj, "qemu", proc_json(out->qemu));
	if (out->device)
		json_object_object_add(obj, "device", proc_json(out->device));
	json_object_object_add(obj, "timed_out", json_object_new_boolean(out->timed_out));
	if (o->keep_logs)
		json_object_object_add(obj, "logs", json_object_new_string(o->keep_logs));
	tool_print_json(stdout, obj);
	json_object_put(obj);
}

int cmd_vm(int argc, char **argv)
{
	char qemu[PATH_MAX], device[PATH_MAX], probe[PATH_MAX] = "", err[PATH_MAX + 256];
	char initrd[PATH_MAX] = "";
	struct vm_linux_paths lp;
	struct vm_linux_result lr = { 0 };
	char esp_found[PATH_MAX] = "", esp[PATH_MAX] = "", ovmf_code[PATH_MAX] = "";
	char qemu_tail[512] = "", device_tail[512] = "", probe_err[256] = "";
	struct vm_run run = { .igd_sv = { -1, -1 } };
	struct vm_ovmf_config ovmf = { 0 };
	struct vm_firmware_log fw = { 0 };
	struct vm_ovmf_log efi = { 0 };
	struct vm_device_log dev = { 0 };
	struct vm_outcome out = { 0 };
	struct vm_report report = { 0 };
	struct vm_image img = { 0 };
	struct vm_files files = { 0 };
	struct igdpt_opregion op;
	struct vm_options o;
	char *text;
	size_t len;
	int ret, status = IGDPT_EXIT_USAGE;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret > 0 ? IGDPT_EXIT_OK : IGDPT_EXIT_USAGE;

	/* Setup errors: say what is missing and how to get it. */
	if (find_in_path(o.qemu ? o.qemu : VM_QEMU_NAME, qemu, sizeof(qemu)) < 0) {
		if (o.qemu)
			tool_error("vm", "%s not found or not executable (--qemu)", o.qemu);
		else
			tool_error("vm", "%s not found: install the Debian package qemu-system-x86",
				   VM_QEMU_NAME);
		return IGDPT_EXIT_USAGE;
	}
	if (!o.ovmf && !tool_is_file(VM_SEABIOS_IMAGE, R_OK)) {
		tool_error("vm", "SeaBIOS not found at %s: install the Debian package seabios",
			   VM_SEABIOS_IMAGE);
		return IGDPT_EXIT_USAGE;
	}
	if (tool_find_helper("igdpt-device", "IGDPT_DEVICE", "device/igdpt-device",
			IGDPT_LIBEXECDIR "/igdpt-device", X_OK, device, sizeof(device), err,
			sizeof(err)) < 0 ||
	    (!o.ovmf && !o.linux_guest &&
	     tool_find_helper("the guest probe image", "IGDPT_PROBE_IMAGE",
				    "guest/multiboot/igdpt-probe.elf",
				    IGDPT_PROBE_DIR "/igdpt-probe.elf", R_OK, probe, sizeof(probe),
				    err, sizeof(err)) < 0)) {
		tool_error("vm", "%s", err);
		return IGDPT_EXIT_USAGE;
	}
	if (o.linux_guest)
		vm_linux_paths(o.kernel, IGDPT_PROBE_DIR, &lp);
	if (o.linux_guest &&
	    (tool_find_helper("the Linux guest kernel", "IGDPT_GUEST_KERNEL", lp.kernel_rel,
			 lp.kernel_installed, R_OK, probe, sizeof(probe), err, sizeof(err)) < 0 ||
	     tool_find_helper("the Linux guest initramfs", "IGDPT_GUEST_INITRD", lp.initrd_rel,
			 lp.initrd_installed, R_OK, initrd, sizeof(initrd), err, sizeof(err)) < 0)) {
		/* find_helper's "build igdpt first" does not apply here. */
		char *hint = strstr(err, ": build igdpt first");

		if (hint)
			*hint = 0;
		tool_error("vm", "%s: %s", err, VM_LINUX_HINT);
		return IGDPT_EXIT_USAGE;
	}
	if (o.ovmf && tool_find_helper("igdpt's EFI volume", "IGDPT_EFI_IMAGE", VM_OVMF_ESP_BUILD_PATH,
				  IGDPT_EFI_DIR "/" VM_OVMF_ESP_NAME, R_OK, esp_found,
				  sizeof(esp_found), err, sizeof(err)) < 0) {
		const char *env = getenv("IGDPT_EFI_IMAGE");

		tool_error("vm", "%s%s", err, env && *env ? "" : "; it is built only when gnu-efi "
								 "and mtools are installed");
		return IGDPT_EXIT_USAGE;
	}
	ret = files_init(&files);
	if (ret < 0) {
		tool_error("vm", "cannot create a temporary directory: %s", strerror(-ret));
		return IGDPT_EXIT_USAGE;
	}
	if (o.ovmf) {
		/* The OVMF flash pair (a private copy of the vars) and the volume found. */
		char esp_dir[PATH_MAX];

		snprintf(esp_dir, sizeof(esp_dir), "%s", esp_found);
		*strrchr(esp_dir, '/') = 0;
		if (vm_ovmf_prepare(files.dir, NULL, esp_dir, ovmf_code, files.ovmf_vars, esp,
				    PATH_MAX, err, sizeof(err)) < 0) {
			tool_error("vm", "%s", err);
			goto stop;
		}
		ovmf.code = ovmf_code;
		ovmf.vars = files.ovmf_vars;
		ovmf.esp_image = esp;
	}
	if (load_image(&o, &img, err, sizeof(err)) < 0) {
		tool_error("vm", "%s", err);
		goto stop;
	}

	/* Stage 1: the host side's own check, before anything is published. */
	if (o.no_opregion)
		vm_report_set(&report, VM_STAGE_VALIDATED, VM_STATE_SKIPPED,
			      "no image (--no-opregion)");
	else
		stage_validate(&report, &o, &img, &op);
	if (report.stages[VM_STAGE_VALIDATED].state == VM_STATE_FAIL) {
		status = IGDPT_EXIT_INVALID;
		goto print;
	}
	if (stage_publish(&report, &o, &img, &files) < 0) {
		status = IGDPT_EXIT_INVALID;
		goto print;
	}

	ret = boot(&o, &files, qemu, device, probe, o.linux_guest ? initrd : NULL,
		   o.ovmf ? &ovmf : NULL, &run, err, sizeof(err));
	if (ret < 0) {
		tool_error("vm", "%s", ret == -ENOMEM ? "out of memory" : err);
		goto stop;
	}

	/* Collect what each party said. */
	text = read_text(files.device_log, &len);
	vm_device_log_parse(text ? text : "", len, &dev);
	free(text);
	text = read_text(files.fw_log, &len);
	if (o.ovmf)
		vm_ovmf_log_parse(text ? text : "", len, &efi);
	else
		vm_firmware_log_parse(text ? text : "", len, &fw);
	free(text);
	text = read_text(files.serial, &len);
	if (vm_probe_line_parse(text ? text : "", len, &out.probe, probe_err, sizeof(probe_err)) < 0)
		out.probe = NULL;
	free(text);
	file_tail(files.qemu_err, qemu_tail, sizeof(qemu_tail));
	file_tail(files.device_err, device_tail, sizeof(device_tail));

	out.firmware = o.ovmf ? VM_FIRMWARE_OVMF : VM_FIRMWARE_SEABIOS;
	out.expect_opregion = !o.no_opregion;
	out.pci_class = o.display_class ? IGDPT_PCI_CLASS_DISPLAY_OTHER : IGDPT_PCI_CLASS_DISPLAY_VGA;
	out.strategy = o.strategy;
	out.published_size = img.published_len;
	out.bdsm_size = o.bdsm_size;
	out.timed_out = run.timed_out;
	out.timeout = o.timeout;
	out.qemu = &run.qemu;
	out.qemu_stderr_tail = qemu_tail;
	out.device = &run.device;
	out.device_stderr_tail = device_tail;
	out.fw = &fw;
	out.ovmf = &efi;
	out.dev = &dev;
	out.probe_error = probe_err;
	out.host_checked = o.image != NULL;
	out.host_hash = img.host_hash;
	if (o.image)
		out.host_unchanged = file_unchanged(o.image, img.host, img.host_len);
	if (img.published) {
		out.published_hash = vm_fnv1a64(img.published, img.published_len);
		out.published_unchanged = file_unchanged(files.published, img.published,
							 img.published_len);
	}
	vm_report_judge(&report, &out);

	/* The device must have loaded exactly what fw_cfg carries. */
	if (!o.no_opregion && report.stages[VM_STAGE_PUBLISHED].state == VM_STATE_OK &&
	    (!dev.started || dev.image_size != (long long)img.published_len)) {
		size_t n = strlen(report.stages[VM_STAGE_PUBLISHED].detail);

		report.stages[VM_STAGE_PUBLISHED].state = VM_STATE_FAIL;
		if (dev.started)
			snprintf(report.stages[VM_STAGE_PUBLISHED].detail + n,
				 sizeof(report.stages[0].detail) - n,
				 "; but the device loaded %lld bytes", dev.image_size);
		else
			snprintf(report.stages[VM_STAGE_PUBLISHED].detail + n,
				 sizeof(report.stages[0].detail) - n,
				 "; but the device logged no start event");
	}
	status = vm_report_passed(&report) ? IGDPT_EXIT_OK : IGDPT_EXIT_INVALID;
	if (o.linux_guest) {
		/* i915's own verdict from the kernel log, and what it wrote back. */
		size_t dlen;
		char *dtext = read_text(files.device_log, &dlen);

		text = read_text(files.serial, &len);
		vm_linux_collect(&lr, text ? text : "", len, dtext ? dtext : "", dlen);
		free(text);
		free(dtext);
		vm_linux_judge(&lr, &report, &dev, out.probe, !o.no_opregion);
		status = vm_report_passed(&report) && vm_linux_passed(&lr) ? IGDPT_EXIT_OK
									    : IGDPT_EXIT_INVALID;
	}

	/* The device must never fail; say so loudly besides the stage line. */
	if (!run.device.killed_by_us && (!run.device.exited || run.device.exit_code)) {
		char dstatus[96];

		vm_proc_status_text(&run.device, dstatus, sizeof(dstatus));
		tool_error("vm", "igdpt-device %s with %s: %s",
			   run.device.exited ? "FAILED" : "CRASHED", dstatus, device_tail);
	}

print:
	if (o.keep_logs && files.dir[0] && keep_logs(&files, o.keep_logs, err, sizeof(err)) < 0)
		tool_error("vm", "--keep-logs: %s", err);
	if (o.json) {
		out.fw = &fw;
		out.ovmf = &efi;
		out.dev = &dev;
		print_json(&o, &report, &out, &img, &ovmf, o.linux_guest ? &lr : NULL,
			   status == IGDPT_EXIT_OK);
	} else {
		printf("igdpt vm: %s%s, %s, generation %u, class %s, strategy %s, %s%s\n",
		       o.ovmf ? "ovmf + igdpt-efi" : o.linux_guest ? "seabios + " : "seabios",
		       o.linux_guest ? vm_linux_kernel_find(o.kernel)->what : "",
		       o.machine, o.generation, o.display_class ? "0x0380" : "0x0300", o.strategy,
		       o.no_opregion ? "no OpRegion" : img.source,
		       o.bdsm_size ? ", stolen memory requested" : "");
		vm_report_print(stdout, &report);
		if (o.linux_guest && report.stages[VM_STAGE_PUBLISHED].state != VM_STATE_NOT_RUN)
			vm_linux_print(stdout, &lr);
		if (status != IGDPT_EXIT_OK && qemu_tail[0] &&
		    report.stages[VM_STAGE_VERDICT].state == VM_STATE_FAIL)
			printf("       QEMU stderr: %s\n", qemu_tail);
		if (o.keep_logs)
			printf("       logs kept in %s\n", o.keep_logs);
		printf("verdict: %s\n", status == IGDPT_EXIT_OK ? "pass" : "fail");
	}
stop:
	vm_proc_kill(&run.qemu);
	vm_proc_kill(&run.device);
	if (run.igd_sv[0] >= 0)
		close(run.igd_sv[0]);
	if (run.igd_sv[1] >= 0)
		close(run.igd_sv[1]);
	vm_argv_free(&run.device_argv);
	vm_argv_free(&run.qemu_argv);
	json_object_put(out.probe);
	vm_linux_result_free(&lr);
	if (files.dir[0])
		files_remove(&files);
	free(img.published);
	free(img.host);
	return status;
}
