/* SPDX-License-Identifier: MIT */
/* igdpt vm's options and their checks (see vm_options.h). Every value is
 * refused here, with the reason, before a file is written or a process
 * started; igdpt-device still has the last word on the IGD's identity
 * (vm_boot.c starts it before QEMU and reports its refusal). */
#include "vm_options.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/igd.h"
#include "tool_util.h"
#include "igdpt/core/size.h"
#include "vm_linux.h"
#include "vm_memory.h"
#include "vm_ovmf.h"
#include "vm_stack.h"

#define CMD "vm"
/* igdpt-device's default: Kaby Lake, the generation i915 tests most. */
#define VM_DEFAULT_GENERATION 9u
/* The generations the option accepts at all; igdpt-device knows which of
 * them it has an IGD for. */
#define VM_GENERATION_MAX 99u

static const char usage_text[] =
	"usage: igdpt vm [--firmware seabios|ovmf] [--guest probe|linux]\n"
	"                [--kernel bookworm|trixie] [--machine pc|q35]\n"
	"                [--reference | --image FILE | --no-opregion] [--no-host-check]\n"
	"                [--generation N] [--device-id ID] [--stolen-size SIZE]\n"
	"                [--class vga|display] [--strategy 4b|1b] [--timeout SEC]\n"
	"                [--memory SIZE] [--rom FILE] [--json] [--keep-logs DIR]\n"
	"                [--qemu PATH] [--stack bookworm|trixie]\n"
	"                [--transport proxy|vfio-user] [--efi-delivery rom|disk]\n"
	"\n"
	"Boots QEMU (TCG) with SeaBIOS or OVMF, the virtual IGD igdpt-device at 00:02.0\n"
	"and a guest probe, and reports each stage of the OpRegion's way to the guest,\n"
	"each line as the stage completes:\n"
	"  image validated, published (fw_cfg etc/igd-opregion, SWSCI cleared),\n"
	"  placed by firmware, ASLS programmed, guest verdict, guest copy identical,\n"
	"  host image untouched.\n"
	"Every option, file and program is checked before anything boots.\n"
	"\n"
	"  --firmware seabios|ovmf\n"
	"                      who places the OpRegion (default seabios). ovmf boots\n"
	"                      OVMF with igdpt's EFI driver as the IGD's option ROM:\n"
	"                      the driver places the OpRegion and stolen memory, then\n"
	"                      the UEFI check (a volume on a virtio disk at 05.0)\n"
	"                      gives the verdict (class 0x0380 and gen 11+ BDSM work;\n"
	"                      seconds, not a fraction of one, under TCG)\n"
	"  --efi-delivery rom|disk\n"
	"                      with ovmf: how igdpt's driver reaches OVMF. rom\n"
	"                      (default): an option ROM built for the device id into\n"
	"                      the run's directory (igdpt rom --device-id), served by\n"
	"                      igdpt-device (--rom) and, over the proxy, QEMU's\n"
	"                      romfile=; disk: igdpt-efi.efi as BOOTX64.EFI on a FAT\n"
	"                      volume (igdpt-efi-test.img)\n"
	"  --guest probe|linux the guest (default probe: igdpt's multiboot probe).\n"
	"                      linux boots a Debian kernel (with ovmf through OVMF's\n"
	"                      -kernel loader, igdpt's driver as the IGD's ROM):\n"
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
	"  --machine pc|q35    QEMU machine (default pc)\n"
	"  --reference         igdpt's reference OpRegion, built in memory (default)\n"
	"  --image FILE        a guest-ready OpRegion file (see igdpt prepare)\n"
	"  --no-opregion       publish nothing: the run holds when the guest sees\n"
	"                      ASLS 0 and the probe says no-opregion (exit 0)\n"
	"  --no-host-check     publish the image even if igdpt finds it invalid, so\n"
	"                      the guest's own rejection can be seen (the run then\n"
	"                      fails on the guest verdict)\n"
	"  --generation N      IGD generation (default 9, or the --device-id's)\n"
	"  --device-id ID      PCI device id, e.g. 0x9a49 (default: igdpt-device's\n"
	"                      for the generation)\n"
	"  --stolen-size SIZE  stolen memory to request through fw_cfg\n"
	"                      etc/igd-bdsm-size: bytes or binary units (64M, 64MiB;\n"
	"                      K M G T are powers of 1024). GGC must encode it for the\n"
	"                      generation: multiples of 32M, from gen 9 also 4M..60M\n"
	"                      in 4M steps (default 0: none)\n"
	"  --memory SIZE       guest RAM (default: what the firmware and guest need,\n"
	"                      128M for the probes, 256M for Linux, plus the stolen\n"
	"                      memory); stolen memory must fit below 4 GiB, where pc\n"
	"                      keeps at most 3583M of RAM and q35 2815M (more RAM:\n"
	"                      3G and 2G there), or the run is refused\n"
	"  --class vga|display present class 0x0300 (default) or 0x0380; SeaBIOS places\n"
	"                      the OpRegion only for 0x0300, so display fails (exit 1)\n"
	"                      with seabios and passes with ovmf\n"
	"  --strategy 4b|1b    the device's OpRegion strategy (default 4b)\n"
	"  --rom FILE          a PCI option ROM the IGD serves through its ROM BAR\n"
	"                      (igdpt-device --rom, QEMU's romfile=), e.g. a video\n"
	"                      BIOS from `igdpt rom --vbt`: where i915 looks for the\n"
	"                      VBT when the OpRegion has none\n"
	"  --timeout SEC       stop QEMU and the device after SEC seconds (default 60,\n"
	"                      180 with ovmf, 300 with --guest linux)\n"
	"  --json              one JSON object at the end instead of text\n"
	"                      (docs/schema/vm.schema.json)\n"
	"  --keep-logs DIR     copy all logs, the published image and the command\n"
	"                      lines to DIR (checked before boot; also on interrupt)\n"
	"  --qemu PATH         qemu-system-x86_64 to run (with a fetched stack: a path\n"
	"                      inside its root)\n"
	"  --stack bookworm|trixie\n"
	"                      QEMU and firmware: bookworm (default) this machine's\n"
	"                      Debian 12 packages (QEMU 7.2, SeaBIOS 1.16, OVMF\n"
	"                      2022.11); trixie QEMU 11.1, SeaBIOS 1.17 and OVMF\n"
	"                      2025.02 from the root scripts/fetch-stack builds\n"
	"                      (~/.cache/igdpt/stack/trixie, or $IGDPT_STACK_DIR),\n"
	"                      run under chroot (root only) with the run's files in\n"
	"                      ROOT/run/igdpt-vm.XXXXXX\n"
	"  --transport proxy|vfio-user\n"
	"                      how igdpt-device is attached: QEMU's x-pci-proxy-dev\n"
	"                      (QEMU before 10.0) or vfio-user-pci (QEMU 10.1 and\n"
	"                      later); default from `QEMU --version`, asked once\n"
	"                      per binary (kept in ~/.cache/igdpt/qemu-version/).\n"
	"                      A transport the QEMU cannot do is refused before boot\n"
	"\n"
	"On a terminal a progress line shows while QEMU runs. SIGINT, SIGTERM, SIGHUP\n"
	"and the other terminating signals stop QEMU, then igdpt-device, and remove\n"
	"the run's temporary directory (under $TMPDIR, default /tmp; with a\n"
	"fetched stack, ROOT/run).\n"
	"\n"
	"Environment: IGDPT_DEVICE and IGDPT_PROBE_IMAGE override the device binary\n"
	"and the probe image found beside this executable or installed; with\n"
	"--guest linux, IGDPT_GUEST_KERNEL and IGDPT_GUEST_INITRD; with ovmf,\n"
	"IGDPT_EFI_DRIVER the driver the option ROM is built of,\n"
	"IGDPT_EFI_CHECK_IMAGE the check's volume (rom), IGDPT_EFI_IMAGE the EFI\n"
	"volume (disk), IGDPT_OVMF_CODE and IGDPT_OVMF_VARS the firmware (default\n"
	"the stack's; bookworm: " VM_OVMF_CODE_DEFAULT ", Debian package ovmf);\n"
	"with --stack trixie, IGDPT_STACK_DIR the fetched root (else\n"
	"$IGDPT_STACK_CACHE/trixie, else ~/.cache/igdpt/stack/trixie);\n"
	"IGDPT_QEMU_VERSION_CACHE=off asks QEMU its version on every run.\n"
	"Exit status: 0 every stage holds; 1 a stage failed or the image is invalid;\n"
	"2 a usage, setup or I/O error (no space, --keep-logs); 128+N interrupted by\n"
	"signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP).\n";

const char *vm_firmware_name(enum vm_firmware f)
{
	return f == VM_FIRMWARE_OVMF ? "ovmf" : "seabios";
}

const char *vm_guest_name(enum vm_guest g)
{
	return g == VM_GUEST_LINUX ? "linux" : "probe";
}

const char *vm_efi_delivery_name(enum vm_efi_delivery d)
{
	return d == VM_EFI_DELIVERY_ROM ? "rom" : "disk";
}

const char *vm_class_option(unsigned pci_class)
{
	return pci_class == IGDPT_PCI_CLASS_DISPLAY_OTHER ? "display" : "vga";
}

/* Why QEMU cannot run an option with igdpt-device: its proxy forwards
 * config and BAR accesses only, its vfio-user client maps a server's memory
 * only into BARs; neither can map the device process's memory at a guest
 * address of its choosing nor add to the e820 map QEMU builds. */
static void strategy_unsupported(const char *name)
{
	enum igdpt_vmm_strategy s;

	if (igdpt_vmm_strategy_parse(name, &s) < 0)
		tool_error(CMD, "--strategy %s: unknown option; the thread's are 1a 1b 2 3 4a 4b, "
				"and QEMU runs 4b (default) and 1b", name);
	else if (igdpt_vmm_strategy_needs_map(s))
		tool_error(CMD, "--strategy %s: option %s maps memory into guest physical space, and "
				"QEMU cannot map igdpt-device's memory there (x-pci-proxy-dev maps "
				"none, its vfio-user client only into BARs); use 4b or 1b "
				"(`igdpt strategies` runs every option in a model)", name, name);
	else
		tool_error(CMD, "--strategy %s: option 4a needs the VMM to reserve guest RAM in the "
				"e820 map before boot, and QEMU builds that map itself; use 4b or 1b "
				"(`igdpt strategies` runs every option in a model)", name);
}

/* One of two words, or a message naming both. */
static int pick(const char *option, const char *value, const char *a, const char *b,
		const char *why, bool *is_b)
{
	if (strcmp(value, a) && strcmp(value, b)) {
		tool_error(CMD, "%s %s: expected %s or %s%s", option, value, a, b, why);
		return -EINVAL;
	}
	*is_b = !strcmp(value, b);
	return 0;
}

/* The generation and device id agree, and GGC can announce the stolen
 * size on that generation (igdpt-device must, in its GMS field). */
static int check_identity(struct vm_options *o, bool generation_given)
{
	if (o->device_id_given) {
		/* The IGD table (igdpt/core/igd.h): 0 when the id is unknown. */
		int gen = igdpt_igd_generation(o->device_id);

		if (!gen && !generation_given) {
			tool_error(CMD, "--device-id 0x%04x: not an Intel IGD id igdpt knows: give "
					"--generation N too", o->device_id);
			return -EINVAL;
		}
		if (gen && generation_given && (unsigned)gen != o->generation) {
			tool_error(CMD, "--device-id 0x%04x: a generation %d IGD (%s), not generation "
					"%u", o->device_id, gen, igdpt_igd_platform(o->device_id),
				   o->generation);
			return -EINVAL;
		}
		if (gen && !generation_given)
			o->generation = (unsigned)gen;
	}
	return tool_stolen_size_check(CMD, o->stolen_size, o->generation);
}

/* The firmware reserves stolen memory 1 MiB aligned in guest RAM, whose
 * size vm_memory_resolve() then fits around it. */
static int parse_stolen_size(const char *text, uint64_t *size)
{
	if (tool_stolen_size_parse(CMD, text, size) < 0)
		return -EINVAL;
	if (*size % IGDPT_STOLEN_GUEST_ALIGN) {
		tool_error(CMD, "--stolen-size %s: expected a multiple of 1M, e.g. 64M", text);
		return -EINVAL;
	}
	return 0;
}

/* QEMU's -m in MiB. */
static int parse_memory(const char *text, uint64_t *bytes)
{
	int ret = igdpt_size_parse(text, bytes);

	if (ret < 0 || !*bytes || *bytes % VM_MIB || *bytes / VM_MIB > VM_MEMORY_MAX_MIB) {
		tool_error(CMD, "--memory %s: expected a size in whole MiB up to %uG, e.g. 512M",
			   text, VM_MEMORY_MAX_MIB >> 10);
		return -EINVAL;
	}
	return 0;
}

int vm_options_parse(int argc, char **argv, struct vm_options *o)
{
	enum {
		OPT_FIRMWARE = 256, OPT_MACHINE, OPT_REFERENCE, OPT_IMAGE, OPT_NO_OPREGION,
		OPT_GENERATION, OPT_DEVICE_ID, OPT_STOLEN, OPT_OLD_BDSM, OPT_CLASS, OPT_STRATEGY,
		OPT_TIMEOUT, OPT_JSON, OPT_KEEP, OPT_QEMU, OPT_NO_HOST_CHECK, OPT_GUEST, OPT_KERNEL,
		OPT_ROM, OPT_MEMORY, OPT_STACK, OPT_TRANSPORT, OPT_EFI_DELIVERY, OPT_HELP,
	};
	static const struct option options[] = {
		{ "firmware", required_argument, NULL, OPT_FIRMWARE },
		{ "machine", required_argument, NULL, OPT_MACHINE },
		{ "reference", no_argument, NULL, OPT_REFERENCE },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "no-opregion", no_argument, NULL, OPT_NO_OPREGION },
		{ "generation", required_argument, NULL, OPT_GENERATION },
		{ "device-id", required_argument, NULL, OPT_DEVICE_ID },
		{ "stolen-size", required_argument, NULL, OPT_STOLEN },
		/* The old name, refused with the new one, not silently kept. */
		{ "bdsm-size", required_argument, NULL, OPT_OLD_BDSM },
		{ "class", required_argument, NULL, OPT_CLASS },
		{ "strategy", required_argument, NULL, OPT_STRATEGY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "keep-logs", required_argument, NULL, OPT_KEEP },
		{ "qemu", required_argument, NULL, OPT_QEMU },
		{ "no-host-check", no_argument, NULL, OPT_NO_HOST_CHECK },
		{ "guest", required_argument, NULL, OPT_GUEST },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "rom", required_argument, NULL, OPT_ROM },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "stack", required_argument, NULL, OPT_STACK },
		{ "transport", required_argument, NULL, OPT_TRANSPORT },
		{ "efi-delivery", required_argument, NULL, OPT_EFI_DELIVERY },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool generation_given = false, is_b, reference = false, no_opregion = false;
	bool delivery_given = false;
	uint64_t u;
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	o->machine = "pc";
	o->generation = VM_DEFAULT_GENERATION;
	o->pci_class = IGDPT_PCI_CLASS_DISPLAY_VGA;
	o->strategy = IGDPT_VMM_4B;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_FIRMWARE:
			if (pick("--firmware", optarg, "seabios", "ovmf",
				 " (OVMF with igdpt's EFI driver)", &is_b) < 0)
				return -EINVAL;
			o->firmware = is_b ? VM_FIRMWARE_OVMF : VM_FIRMWARE_SEABIOS;
			break;
		case OPT_GUEST:
			if (pick("--guest", optarg, "probe", "linux", "", &is_b) < 0)
				return -EINVAL;
			o->guest = is_b ? VM_GUEST_LINUX : VM_GUEST_PROBE;
			break;
		case OPT_KERNEL:
			if (!vm_linux_kernel_find(optarg)) {
				char names[64];

				vm_linux_kernel_names(names, sizeof(names));
				tool_error(CMD, "--kernel %s: expected %s", optarg, names);
				return -EINVAL;
			}
			o->kernel = optarg;
			break;
		case OPT_MACHINE:
			if (pick("--machine", optarg, "pc", "q35", "", &is_b) < 0)
				return -EINVAL;
			o->machine = optarg;
			break;
		case OPT_REFERENCE:
			reference = true;
			break;
		case OPT_IMAGE:
			o->image = optarg;
			break;
		case OPT_NO_OPREGION:
			no_opregion = true;
			break;
		case OPT_GENERATION:
			if (tool_parse_u64(optarg, VM_GENERATION_MAX, &u) < 0 || !u) {
				tool_error(CMD, "--generation %s: expected a number such as 9 or 12",
					   optarg);
				return -EINVAL;
			}
			o->generation = (unsigned)u;
			generation_given = true;
			break;
		case OPT_DEVICE_ID:
			if (tool_parse_u64(optarg, UINT16_MAX, &u) < 0) {
				tool_error(CMD, "--device-id %s: expected a 16-bit id such as 0x5916",
					   optarg);
				return -EINVAL;
			}
			o->device_id = (uint16_t)u;
			o->device_id_given = true;
			break;
		case OPT_STOLEN:
			if (parse_stolen_size(optarg, &o->stolen_size) < 0)
				return -EINVAL;
			break;
		case OPT_OLD_BDSM:
			tool_error(CMD, "--bdsm-size is now --stolen-size SIZE (the same name in every "
					"igdpt command)");
			return -EINVAL;
		case OPT_CLASS:
			if (pick("--class", optarg, "vga", "display", " (0x0300 or 0x0380)", &is_b) < 0)
				return -EINVAL;
			o->pci_class = is_b ? IGDPT_PCI_CLASS_DISPLAY_OTHER : IGDPT_PCI_CLASS_DISPLAY_VGA;
			break;
		case OPT_STRATEGY:
			if (strcmp(optarg, "4b") && strcmp(optarg, "1b")) {
				strategy_unsupported(optarg);
				return -EINVAL;
			}
			o->strategy = strcmp(optarg, "1b") ? IGDPT_VMM_4B : IGDPT_VMM_1B;
			break;
		case OPT_TIMEOUT:
			o->timeout = strtod(optarg, &end);
			if (*end || end == optarg || !(o->timeout > 0) || o->timeout > VM_TIMEOUT_MAX) {
				tool_error(CMD, "--timeout %s: expected seconds up to a day, e.g. 60",
					   optarg);
				return -EINVAL;
			}
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_KEEP:
			if (!*optarg) {
				tool_error(CMD, "--keep-logs: expected a directory");
				return -EINVAL;
			}
			o->keep_logs = optarg;
			break;
		case OPT_QEMU:
			o->qemu = optarg;
			break;
		case OPT_MEMORY:
			if (parse_memory(optarg, &o->memory) < 0)
				return -EINVAL;
			break;
		case OPT_ROM:
			if (!*optarg) {
				tool_error(CMD, "--rom: expected a PCI option ROM file");
				return -EINVAL;
			}
			o->rom = optarg;
			break;
		case OPT_NO_HOST_CHECK:
			o->no_host_check = true;
			break;
		case OPT_STACK:
			if (!vm_stack_find(optarg)) {
				char names[64];

				vm_stack_names(names, sizeof(names));
				tool_error(CMD, "--stack %s: expected %s", optarg, names);
				return -EINVAL;
			}
			o->stack = optarg;
			break;
		case OPT_TRANSPORT:
			if (pick("--transport", optarg, "proxy", "vfio-user",
				 " (QEMU's x-pci-proxy-dev or vfio-user-pci)", &is_b) < 0)
				return -EINVAL;
			o->transport = is_b ? VM_TRANSPORT_VFIO_USER : VM_TRANSPORT_PROXY;
			break;
		case OPT_EFI_DELIVERY:
			if (pick("--efi-delivery", optarg, "rom", "disk",
				 " (the IGD's option ROM or a FAT boot volume)", &is_b) < 0)
				return -EINVAL;
			o->efi_delivery = is_b ? VM_EFI_DELIVERY_DISK : VM_EFI_DELIVERY_ROM;
			delivery_given = true;
			break;
		case OPT_HELP:
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		default:
			tool_usage_hint(CMD);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		tool_error(CMD, "unexpected argument '%s'", argv[optind]);
		tool_usage_hint(CMD);
		return -EINVAL;
	}
	if (reference + !!o->image + no_opregion > 1) {
		tool_error(CMD, "--reference, --image and --no-opregion exclude each other");
		return -EINVAL;
	}
	o->source = o->image ? VM_SOURCE_FILE : no_opregion ? VM_SOURCE_NONE : VM_SOURCE_REFERENCE;
	if (o->kernel && o->guest != VM_GUEST_LINUX) {
		tool_error(CMD, "--kernel names the kernel of --guest linux");
		return -EINVAL;
	}
	if (o->guest == VM_GUEST_LINUX && !o->kernel)
		o->kernel = VM_LINUX_DEFAULT_KERNEL;
	if (delivery_given && o->firmware != VM_FIRMWARE_OVMF) {
		tool_error(CMD, "--efi-delivery says how igdpt's EFI driver reaches OVMF: give "
				"--firmware ovmf too");
		return -EINVAL;
	}
	if (delivery_given && o->guest == VM_GUEST_LINUX &&
	    o->efi_delivery == VM_EFI_DELIVERY_DISK) {
		tool_error(CMD, "--guest linux boots the kernel through OVMF's loader: igdpt's driver "
				"comes from the IGD's option ROM, not --efi-delivery disk");
		return -EINVAL;
	}
	if (!delivery_given && o->firmware == VM_FIRMWARE_OVMF)
		o->efi_delivery = VM_EFI_DELIVERY_ROM;
	if (!o->stack)
		o->stack = VM_STACK_DEFAULT;
	if (check_identity(o, generation_given) < 0)
		return -EINVAL;
	{
		char err[512];

		if (vm_memory_resolve(o, err, sizeof(err)) < 0) {
			tool_error(CMD, "%s", err);
			return -EINVAL;
		}
	}
	/* A kernel and i915, or OVMF, under TCG take far longer than the probe. */
	if (!o->timeout)
		o->timeout = o->guest == VM_GUEST_LINUX	       ? VM_LINUX_DEFAULT_TIMEOUT
			     : o->firmware == VM_FIRMWARE_OVMF ? VM_OVMF_BOOT_SECONDS
							       : VM_DEFAULT_TIMEOUT;
	return 0;
}
