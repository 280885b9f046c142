/* SPDX-License-Identifier: MIT */
/* igdpt: the command; dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "igdpt/version.h"

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
	{ "vm", "boot QEMU (SeaBIOS or OVMF) with the virtual IGD and prove the guest got the OpRegion", cmd_vm },
	{ "strategies", "run the six OpRegion placement options in a machine model and compare them", cmd_strategies },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))
/* "igdpt " + the longest command name: what getopt's messages start with. */
#define PROGRAM_NAME_SIZE 32

static void usage(FILE *out)
{
	fprintf(out, "usage: igdpt COMMAND [OPTIONS]   (igdpt help COMMAND for details)\n\n"
		     "commands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "  %-10s %s\n", "help", "this list, or a command's help");
	fprintf(out, "\n  --version  print the version\n  --help     print this help\n");
}

static const struct igdpt_command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* Runs cmd with argv[0] spelled "igdpt CMD", so that getopt's own messages
 * ("igdpt validate: unrecognized option") name the command as typed. */
static int run(const struct igdpt_command *cmd, int argc, char **argv)
{
	char program[PROGRAM_NAME_SIZE];

	snprintf(program, sizeof(program), "igdpt %s", cmd->name);
	argv[0] = program;
	return cmd->run(argc, argv);
}

/* igdpt help [CMD]: the command list, or CMD --help. */
static int help(int argc, char **argv)
{
	static char help_option[] = "--help";
	const struct igdpt_command *cmd;
	char *help_argv[] = { NULL, help_option, NULL };

	if (argc < 2) {
		usage(stdout);
		return IGDPT_EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd || argc > 2) {
		if (!cmd)
			fprintf(stderr, "igdpt help: unknown command '%s'\n", argv[1]);
		else
			fprintf(stderr, "igdpt help: takes one command name\n");
		fprintf(stderr, "Try 'igdpt help' for the list of commands.\n");
		return IGDPT_EXIT_USAGE;
	}
	return run(cmd, 2, help_argv);
}

int main(int argc, char **argv)
{
	const struct igdpt_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return IGDPT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return IGDPT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("igdpt %s\n", IGDPT_VERSION_STRING);
		return IGDPT_EXIT_OK;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (cmd)
		return run(cmd, argc - 1, argv + 1);
	fprintf(stderr, "igdpt: unknown command '%s'\n", argv[1]);
	fprintf(stderr, "Try 'igdpt help' for the list of commands.\n");
	return IGDPT_EXIT_USAGE;
}
