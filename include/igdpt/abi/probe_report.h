/* SPDX-License-Identifier: MIT */
/* The contract between every guest probe (multiboot, Linux, UEFI check) and
 * igdpt vm: one line "IGDPT-PROBE {json}" on the guest's first serial port.
 * docs/contract.md lists the object's keys; this header spells the line's
 * prefix, the verdicts and the probe kinds. tests/lib/contract.py reads them
 * from here for the Python tests. */
#ifndef IGDPT_ABI_PROBE_REPORT_H
#define IGDPT_ABI_PROBE_REPORT_H

#define IGDPT_PROBE_LINE_TAG "IGDPT-PROBE"
#define IGDPT_PROBE_LINE_PREFIX IGDPT_PROBE_LINE_TAG " " /* then the JSON object */

/* The object's keys (docs/contract.md has each one's meaning); nested
 * objects are named by the key that holds them. */
#define IGDPT_PROBE_KEY_PROBE "probe"     /* which probe wrote the line */
#define IGDPT_PROBE_KEY_VERDICT "verdict" /* IGDPT_PROBE_VERDICT_* */
#define IGDPT_PROBE_KEY_REASON "reason"
#define IGDPT_PROBE_KEY_IGD "igd"         /* "bb:dd.f" */
#define IGDPT_PROBE_KEY_VENDOR "vendor"
#define IGDPT_PROBE_KEY_DEVICE "device"
#define IGDPT_PROBE_KEY_CLASS "class"
#define IGDPT_PROBE_KEY_ASLS "asls"
#define IGDPT_PROBE_KEY_MEMMAP "memmap"   /* {type, start, end} */
#define IGDPT_PROBE_KEY_TYPE "type"
#define IGDPT_PROBE_KEY_START "start"
#define IGDPT_PROBE_KEY_END "end"
#define IGDPT_PROBE_KEY_OPREGION "opregion" /* {version, mbox, size_kib, vbt_source, ...} */
#define IGDPT_PROBE_KEY_VERSION "version"
#define IGDPT_PROBE_KEY_MBOX "mbox"
#define IGDPT_PROBE_KEY_SIZE_KIB "size_kib"
#define IGDPT_PROBE_KEY_VBT_SOURCE "vbt_source"
#define IGDPT_PROBE_KEY_BDB_VERSION "bdb_version"
#define IGDPT_PROBE_KEY_VBT_SIZE "vbt_size"
#define IGDPT_PROBE_KEY_WARNINGS "warnings"
#define IGDPT_PROBE_KEY_I915 "i915"       /* {verdict, vbt_source, pci_rom}: i915's view */
#define IGDPT_PROBE_KEY_PCI_ROM "pci_rom" /* {vbt, from, size, vbt_offset}: i915's fallback */
#define IGDPT_PROBE_KEY_VBT "vbt"
#define IGDPT_PROBE_KEY_FROM "from"
#define IGDPT_PROBE_KEY_SIZE "size"
#define IGDPT_PROBE_KEY_VBT_OFFSET "vbt_offset"
#define IGDPT_PROBE_KEY_FW_CFG "fw_cfg"   /* {opregion_size, identical, differs_at, runtime_only} */
#define IGDPT_PROBE_KEY_OPREGION_SIZE "opregion_size"
#define IGDPT_PROBE_KEY_IDENTICAL "identical"
#define IGDPT_PROBE_KEY_DIFFERS_AT "differs_at"
#define IGDPT_PROBE_KEY_RUNTIME_ONLY "runtime_only"
#define IGDPT_PROBE_KEY_BDSM "bdsm"       /* {requested, register, value, aligned, reserved} */
#define IGDPT_PROBE_KEY_REQUESTED "requested"
#define IGDPT_PROBE_KEY_REGISTER "register"
#define IGDPT_PROBE_KEY_VALUE "value"
#define IGDPT_PROBE_KEY_ALIGNED "aligned"
#define IGDPT_PROBE_KEY_RESERVED "reserved"
#define IGDPT_PROBE_KIND_MULTIBOOT "multiboot"
#define IGDPT_PROBE_KIND_LINUX "linux"
#define IGDPT_PROBE_KIND_UEFI "uefi"

#define IGDPT_PROBE_VERDICT_PASS "pass"
#define IGDPT_PROBE_VERDICT_FAIL "fail"
#define IGDPT_PROBE_VERDICT_NO_OPREGION "no-opregion" /* ASLS is 0: nothing to judge */

#endif
