/* SPDX-License-Identifier: MIT */
/* The UEFI Linux guest's option ROM (see vm_linux_efi.h). */
#include "vm_linux_efi.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/build_rom.h"
#include "igdpt/core/igd.h"
#include "igdpt/file.h"

/* Room for the ROM headers around the driver. */
#define ROM_HEADROOM (64u << 10)

bool vm_linux_efi(const struct vm_options *o)
{
	return o->firmware == VM_FIRMWARE_OVMF && o->guest == VM_GUEST_LINUX;
}

bool vm_rom_served(const struct vm_options *o)
{
	return o->rom || vm_linux_efi(o);
}

uint16_t vm_linux_efi_device_id(const struct vm_options *o)
{
	struct igdpt_igd_info info;

	if (o->device_id_given)
		return o->device_id;
	return igdpt_igd_reference(o->generation, &info) == 0 ? info.device_id : 0;
}

int vm_linux_efi_rom_write(const struct vm_options *o, const char *driver,
			   const struct vm_rom *user, const char *out, char *err, size_t err_size)
{
	char msg[PATH_MAX + 256];
	struct igdpt_diag diag = IGDPT_DIAG_MESSAGE(msg);
	struct igdpt_rom_efi_input in;
	uint8_t *pe = NULL, *rom = NULL, *chain = NULL;
	size_t pe_len = 0, rom_len = 0, chain_len = 0;
	int ret;

	ret = igdpt_file_read(driver, &pe, &pe_len, &diag);
	if (ret < 0) {
		snprintf(err, err_size, "igdpt's EFI driver: %s", diag.reason);
		return ret;
	}
	in.data = pe;
	in.len = pe_len;
	rom = malloc(pe_len + ROM_HEADROOM);
	ret = rom ? igdpt_rom_build_efi(&in, 1, vm_linux_efi_device_id(o), rom,
					pe_len + ROM_HEADROOM, &rom_len, NULL, &diag)
		  : -ENOMEM;
	if (ret < 0) {
		snprintf(err, err_size, "cannot build the option ROM of %s: %s", driver,
			 diag.reason ? diag.reason : strerror(-ret));
		goto out;
	}
	if (user && user->given) {
		ret = vm_rom_chain(user->data, user->len, rom, rom_len, &chain, &chain_len, err,
				   err_size);
		if (ret < 0)
			goto out;
	}
	diag = (struct igdpt_diag)IGDPT_DIAG_MESSAGE(msg);
	ret = igdpt_file_write(out, chain ? chain : rom, chain ? chain_len : rom_len, &diag);
	if (ret < 0)
		snprintf(err, err_size, "%s", diag.reason);
out:
	free(chain);
	free(rom);
	free(pe);
	return ret;
}
