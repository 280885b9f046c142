/* SPDX-License-Identifier: MIT */
/* The UEFI Linux guest (see vm_linux_efi.h). */
#include "vm_linux_efi.h"

bool vm_linux_efi(const struct vm_options *o)
{
	return o->firmware == VM_FIRMWARE_OVMF && o->guest == VM_GUEST_LINUX;
}
