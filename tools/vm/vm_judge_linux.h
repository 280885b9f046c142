/* SPDX-License-Identifier: MIT */
/* igdpt vm --guest linux: the stages a real i915 adds (vm_judge_run() calls
 * them after the probe's stages): the guest copy judged at the ASLS write,
 * "i915 agrees with igdpt probe" and "guest driver writes". */
#ifndef IGDPT_TOOLS_VM_JUDGE_LINUX_H
#define IGDPT_TOOLS_VM_JUDGE_LINUX_H

#include "vm_evidence.h"
#include "vm_stages.h"

/* Stage "guest copy identical" for a driver that writes its copy: judged at
 * the ASLS write, plus the fields the driver wrote. */
void vm_judge_copy_linux(struct vm_report *r, const struct vm_evidence *o);
/* Stage "i915 agrees with igdpt probe" (vm_i915_agrees()). */
void vm_judge_i915_agrees(struct vm_report *r, const struct vm_evidence *o);
/* Stage "guest driver writes": what i915 wrote into its private copy. */
void vm_judge_driver_writes(struct vm_report *r, const struct vm_evidence *o);

#endif
