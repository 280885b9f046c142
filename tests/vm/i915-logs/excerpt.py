#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Cuts the fixture excerpts in this folder from the serial log of a real
# `igdpt vm --guest linux --keep-logs DIR` run: the IGDPT-KMSG lines that
# tools/vm/vm_log_i915.c reads (OpRegion and VBT setup, the VBT sources tried,
# ports and outputs, WARNING and *ERROR* lines with the message i915 printed
# before a WARNING), verbatim and in order.
#
# usage: excerpt.py DIR/serial.log > KERNEL-CASE.log
import sys

KEEP = (
    "Linux version ", "intel_opregion_setup", "intel_bios_is_valid_vbt", "VBT signature",
    " VBT info:", "Found valid VBT", "Invalid VBT", "PCI ROM", "Failed to find VBIOS",
    "outputs detected", "[drm] Initialized i915", "*ERROR*", "WARNING:",
)


def main():
    if len(sys.argv) != 2:
        print("usage: excerpt.py SERIAL_LOG", file=sys.stderr)
        return 2
    lines = [l.rstrip("\r\n") for l in open(sys.argv[1], errors="replace")]
    kmsg = [l[l.index("IGDPT-KMSG "):] for l in lines if "IGDPT-KMSG " in l]
    for i, line in enumerate(kmsg):
        # drm_WARN prints its message on the line before "WARNING:".
        before_warning = i + 1 < len(kmsg) and "WARNING:" in kmsg[i + 1]
        if before_warning or any(k in line for k in KEEP):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
