/* SPDX-License-Identifier: MIT */
/* igdpt: the command; dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct igdpt_command commands[] = {
	{ "validate", "check OpRegion and VBT files, with the reason and offset of any fault", cmd_validate },
	{ "inspect", "report this host's IGD, its OpRegion, and what blocks assigning it", cmd_inspect },
	{ "dump", "read the host OpRegion (VFIO, debugfs or /dev/mem) into a guest-safe file", cmd_dump },
	{ "qemu-args", "print the QEMU options or libvirt XML that assign this host's IGD", cmd_qemu_args },
	{ "build", "write the reference OpRegion, or wrap a real VBT in one", cmd_build },
	{ "prepare", "turn a host OpRegion dump into the image a guest gets", cmd_prepare },
	{ "rom", "build a PCI option ROM with igdpt's EFI driver, or check any option ROM", cmd_rom },
	{ "decode", "decode every field of an OpRegion or VBT, as text or JSON", cmd_decode },
	{ "probe", "in a guest: check the OpRegion at ASLS as i915 does, and strictly", cmd_probe },
	{ "vm", "boot QEMU + SeaBIOS with the virtual IGD and prove the guest got the OpRegion", cmd_vm },
	{ "strategies", "run the six OpRegion placement options in a machine model and compare them", cmd_strategies },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: igdpt COMMAND [OPTIONS]   (igdpt COMMAND --help for details)\n\n"
		     "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n  --version  print the version\n  --help     print this help\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return IGDPT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return IGDPT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("igdpt %s\n", IGDPT_VERSION);
		return IGDPT_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "igdpt: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return IGDPT_EXIT_USAGE;
}
