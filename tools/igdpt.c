/* SPDX-License-Identifier: MIT */
/* igdpt: the command; dispatches to one file per subcommand. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct igdpt_command commands[] = {
	{ "validate", "check OpRegion and VBT files, with the reason and offset of any fault", cmd_validate },
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
