/* SPDX-License-Identifier: MIT */
/* igdpt vm's guest RAM and whether the stolen memory fits (see vm_memory.h). */
#include "vm_memory.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

unsigned vm_memory_own_mib(const struct vm_options *o)
{
	if (o->guest == VM_GUEST_LINUX)
		return VM_MEMORY_OWN_LINUX_MIB;
	return o->firmware == VM_FIRMWARE_OVMF ? VM_MEMORY_OWN_OVMF_MIB : VM_MEMORY_OWN_PROBE_MIB;
}

unsigned vm_memory_below_4g_mib(const char *machine, unsigned memory_mib)
{
	bool q35 = !strcmp(machine, "q35");
	unsigned split = q35 ? VM_MEMORY_Q35_SPLIT_MIB : VM_MEMORY_PC_SPLIT_MIB;
	unsigned low = q35 ? VM_MEMORY_Q35_LOW_MIB : VM_MEMORY_PC_LOW_MIB;

	return memory_mib >= split ? low : memory_mib;
}

static const char *who(const struct vm_options *o)
{
	return o->guest == VM_GUEST_LINUX ? "the Linux guest" : "the firmware and probe";
}

int vm_memory_resolve(struct vm_options *o, char *err, size_t err_size)
{
	unsigned own = vm_memory_own_mib(o);
	bool q35 = !strcmp(o->machine, "q35");
	/* The most RAM that stays below 4 GiB in one piece. */
	unsigned most_low = (q35 ? VM_MEMORY_Q35_SPLIT_MIB : VM_MEMORY_PC_SPLIT_MIB) - 1;
	uint64_t stolen_mib = (o->stolen_size + VM_MIB - 1) / VM_MIB;
	uint64_t need = stolen_mib + own;
	unsigned memory, low;

	if (need > most_low) {
		snprintf(err, err_size,
			 "--stolen-size %" PRIu64 "M: stolen memory must lie below 4 GiB, where "
			 "QEMU's %s machine puts at most %u MiB of RAM (its PCI hole is above), "
			 "beside the %u MiB of %s: at most %uM fits",
			 stolen_mib, o->machine, most_low, own, who(o), most_low - own);
		return -EINVAL;
	}
	memory = o->memory ? (unsigned)(o->memory / VM_MIB) : (unsigned)need;
	low = vm_memory_below_4g_mib(o->machine, memory);
	if (need > low && memory < need) {
		snprintf(err, err_size,
			 "--memory %uM: too little for %" PRIu64 " MiB of stolen memory beside the "
			 "%u MiB of %s: give at least %" PRIu64 "M (or leave --memory out)",
			 memory, stolen_mib, own, who(o), need);
		return -EINVAL;
	}
	if (need > low) {
		snprintf(err, err_size,
			 "--memory %uM: QEMU's %s machine then puts only %u MiB of it below 4 GiB "
			 "(the rest above its PCI hole), too little for %" PRIu64 " MiB of stolen "
			 "memory beside the %u MiB of %s: give %" PRIu64 "M to %uM (or leave "
			 "--memory out)",
			 memory, o->machine, low, stolen_mib, own, who(o), need, most_low);
		return -EINVAL;
	}
	o->memory_mib = memory;
	return 0;
}
