/* SPDX-License-Identifier: MIT */
/* The igdpt subcommands: one file each, dispatched from igdpt.c's table.
 * Exit status of every command: 0 success, 1 the input or the run is bad
 * (invalid file, failed stage), 2 usage or I/O error; igdpt vm also exits
 * 128+N when signal N interrupts it (tools/vm/vm_signals.h). */
#ifndef IGDPT_TOOLS_COMMANDS_H
#define IGDPT_TOOLS_COMMANDS_H

enum {
	IGDPT_EXIT_OK = 0,
	IGDPT_EXIT_INVALID = 1,
	IGDPT_EXIT_USAGE = 2,
};

struct igdpt_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

int cmd_validate(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_prepare(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_qemu_args(int argc, char **argv);
int cmd_strategies(int argc, char **argv);
int cmd_rom(int argc, char **argv);

#endif
