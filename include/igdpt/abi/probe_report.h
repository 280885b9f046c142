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

#define IGDPT_PROBE_KEY_PROBE "probe"     /* which probe wrote the line */
#define IGDPT_PROBE_KEY_VERDICT "verdict" /* IGDPT_PROBE_VERDICT_* */
#define IGDPT_PROBE_KIND_MULTIBOOT "multiboot"
#define IGDPT_PROBE_KIND_LINUX "linux"
#define IGDPT_PROBE_KIND_UEFI "uefi"

#define IGDPT_PROBE_VERDICT_PASS "pass"
#define IGDPT_PROBE_VERDICT_FAIL "fail"
#define IGDPT_PROBE_VERDICT_NO_OPREGION "no-opregion" /* ASLS is 0: nothing to judge */

#endif
