#!/bin/sh
# SPDX-License-Identifier: MIT
# Makes a FAT volume that UEFI boots from removable media: the driver as
# \EFI\BOOT\BOOTX64.EFI and, when given, the next stage as
# \EFI\igdpt\next.efi (mtools).
# usage: mkfat.sh OUT.img BOOTX64.EFI [NEXT.EFI]
set -eu
out=$1 boot=$2 next=${3:-}
rm -f "$out"
# 4 MiB, FAT12/16 chosen by mformat: plenty for two small PE images.
dd if=/dev/zero of="$out" bs=1024 count=4096 status=none
mformat -i "$out" -v IGDPT ::
mmd -i "$out" ::/EFI ::/EFI/BOOT ::/EFI/igdpt
mcopy -i "$out" "$boot" ::/EFI/BOOT/BOOTX64.EFI
if [ -n "$next" ]; then
	mcopy -i "$out" "$next" ::/EFI/igdpt/next.efi
fi
