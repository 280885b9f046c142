/* SPDX-License-Identifier: MIT */
/* igdpt's EFI driver as the IGD's option ROM for one run (see
 * vm_efi_rom.h). */
#include "vm_efi_rom.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/build_rom.h"
#include "igdpt/core/igd.h"
#include "igdpt/file.h"

uint16_t vm_efi_rom_device_id(const struct vm_options *o)
{
	struct igdpt_igd_info info;

	if (o->device_id_given)
		return o->device_id;
	return igdpt_igd_reference(o->generation, &info) == 0 ? info.device_id : 0;
}

bool vm_efi_rom_built(const struct vm_options *o)
{
	return o->firmware == VM_FIRMWARE_OVMF && o->efi_delivery == VM_EFI_DELIVERY_ROM &&
	       vm_efi_rom_device_id(o);
}

bool vm_rom_served(const struct vm_options *o)
{
	return o->rom || vm_efi_rom_built(o);
}

int vm_efi_rom_write(const char *driver_path, uint16_t device_id, const struct vm_rom *user,
		     const char *out, char *err, size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	struct igdpt_rom_efi_input in;
	uint8_t *driver = NULL, *rom = NULL, *chain = NULL;
	size_t driver_len = 0, rom_len = 0, chain_len = 0;
	int ret;

	ret = igdpt_file_read(driver_path, &driver, &driver_len, &diag);
	if (ret < 0)
		return ret;
	in.data = driver;
	in.len = driver_len;
	/* First the size, then the ROM. */
	diag = (struct igdpt_diag){ 0 };
	ret = igdpt_rom_build_efi(&in, 1, device_id, NULL, 0, &rom_len, NULL, &diag);
	if (ret == -ENOSPC) {
		rom = malloc(rom_len);
		ret = rom ? igdpt_rom_build_efi(&in, 1, device_id, rom, rom_len, &rom_len, NULL,
						&diag)
			  : -ENOMEM;
	}
	if (ret < 0) {
		if (ret == -EINVAL)
			snprintf(err, err_size, "%s cannot go into an option ROM: %s at 0x%zx",
				 driver_path, diag.reason, diag.offset);
		else
			snprintf(err, err_size, "building the option ROM: %s", strerror(-ret));
		goto free_buffers;
	}
	if (user && user->given) {
		ret = vm_rom_chain(user->data, user->len, rom, rom_len, &chain, &chain_len, err,
				   err_size);
		if (ret < 0)
			goto free_buffers;
	}
	diag = (struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size);
	ret = igdpt_file_write(out, chain ? chain : rom, chain ? chain_len : rom_len, &diag);
free_buffers:
	free(chain);
	free(rom);
	free(driver);
	return ret;
}

int vm_rom_write(const struct vm_options *o, const char *driver_path, const struct vm_rom *user,
		 const char *out, char *err, size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);

	if (vm_efi_rom_built(o))
		return vm_efi_rom_write(driver_path, vm_efi_rom_device_id(o), user, out, err,
					err_size);
	if (!user->given)
		return 0;
	return igdpt_file_write(out, user->data, user->len, &diag);
}
