/* SPDX-License-Identifier: MIT */
/* PE/COFF header checks for EFI images: the DOS stub's pointer, the PE
 * signature, the COFF header and the optional header up to the subsystem,
 * each bounds-checked before it is read. */
#include "igdpt/core/pe.h"

#include "igdpt/abi/pe.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/errno.h"

int igdpt_pe_parse(const uint8_t *buf, size_t len, struct igdpt_pe *pe, struct igdpt_diag *diag)
{
	size_t opt, opt_size;
	uint32_t lfanew;

	if (len < IGDPT_PE_DOS_HEADER_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, 0,
				       len ? "too short for a DOS (MZ) header" : "empty file");
	if (igdpt_le16(buf + IGDPT_PE_DOS_MAGIC_OFFSET) != IGDPT_PE_DOS_MAGIC)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_PE_DOS_MAGIC_OFFSET,
				       "no \"MZ\" signature: not a PE/EFI image");
	lfanew = igdpt_le32(buf + IGDPT_PE_DOS_LFANEW_OFFSET);
	if (lfanew < IGDPT_PE_DOS_HEADER_SIZE || lfanew > len ||
	    len - lfanew < IGDPT_PE_COFF_HEADER_END)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, IGDPT_PE_DOS_LFANEW_OFFSET,
				       "PE header pointer (e_lfanew) outside the file");
	if (igdpt_le32(buf + lfanew) != IGDPT_PE_SIGNATURE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, lfanew, "no \"PE\\0\\0\" signature");
	opt = (size_t)lfanew + IGDPT_PE_COFF_HEADER_END;
	opt_size = igdpt_le16(buf + lfanew + IGDPT_PE_COFF_OPT_SIZE_OFFSET);
	if (opt_size < IGDPT_PE_OPT_MIN_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, lfanew + IGDPT_PE_COFF_OPT_SIZE_OFFSET,
				       "optional header too small to hold the subsystem");
	if (len - opt < IGDPT_PE_OPT_MIN_SIZE)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, opt, "optional header truncated");
	pe->pe_offset = lfanew;
	pe->machine = igdpt_le16(buf + lfanew + IGDPT_PE_COFF_MACHINE_OFFSET);
	pe->sections = igdpt_le16(buf + lfanew + IGDPT_PE_COFF_SECTIONS_OFFSET);
	pe->magic = igdpt_le16(buf + opt + IGDPT_PE_OPT_MAGIC_OFFSET);
	if (pe->magic != IGDPT_PE_OPT_MAGIC_PE32 && pe->magic != IGDPT_PE_OPT_MAGIC_PE32_PLUS)
		return igdpt_diag_fail(diag, -IGDPT_EINVAL, opt + IGDPT_PE_OPT_MAGIC_OFFSET,
				       "optional header is neither PE32 nor PE32+");
	pe->size_of_image = igdpt_le32(buf + opt + IGDPT_PE_OPT_SIZE_OF_IMAGE_OFFSET);
	pe->subsystem = igdpt_le16(buf + opt + IGDPT_PE_OPT_SUBSYSTEM_OFFSET);
	return 0;
}

const char *igdpt_pe_machine_name(uint16_t machine)
{
	switch (machine) {
	case IGDPT_PE_MACHINE_X64:
		return "x64";
	case IGDPT_PE_MACHINE_I386:
		return "IA32";
	case IGDPT_PE_MACHINE_EBC:
		return "EBC";
	case IGDPT_PE_MACHINE_ARM64:
		return "AArch64";
	case IGDPT_PE_MACHINE_RISCV64:
		return "RISC-V 64";
	default:
		return 0;
	}
}

const char *igdpt_pe_subsystem_name(uint16_t subsystem)
{
	switch (subsystem) {
	case IGDPT_PE_SUBSYSTEM_EFI_APPLICATION:
		return "EFI application";
	case IGDPT_PE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER:
		return "EFI boot-services driver";
	case IGDPT_PE_SUBSYSTEM_EFI_RUNTIME_DRIVER:
		return "EFI runtime driver";
	case IGDPT_PE_SUBSYSTEM_EFI_ROM:
		return "EFI ROM";
	default:
		return 0;
	}
}
