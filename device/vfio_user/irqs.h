/* SPDX-License-Identifier: MIT */
/* The device's interrupts as vfio-user describes them (DEVICE_GET_IRQ_INFO)
 * and the eventfds a client hands over for them (DEVICE_SET_IRQS).
 *
 * Five indexes, as Linux vfio-pci reports for a host IGD: INTx (one, pin
 * A; eventfd, maskable, automasked), MSI and MSI-X (none: the model's
 * config space lists no MSI capability), ERR and REQ (one each). The
 * device raises no interrupt: it keeps the eventfds a client sets, per
 * index and action, closes one when it is replaced or de-assigned and all
 * at the end, and never writes to them. */
#ifndef IGDPT_DEVICE_VFIO_USER_IRQS_H
#define IGDPT_DEVICE_VFIO_USER_IRQS_H

#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

enum igdpt_vfu_irq_action {
	IGDPT_VFU_IRQ_ACTION_MASK,
	IGDPT_VFU_IRQ_ACTION_UNMASK,
	IGDPT_VFU_IRQ_ACTION_TRIGGER,
	IGDPT_VFU_IRQ_ACTIONS,
};

struct igdpt_vfu_irqs {
	/* The eventfd of sub-index 0 (no index has more), -1: none. */
	int fd[IGDPT_VFU_IRQ_COUNT][IGDPT_VFU_IRQ_ACTIONS];
};

void igdpt_vfu_irqs_init(struct igdpt_vfu_irqs *irqs);
/* Closes every eventfd kept. */
void igdpt_vfu_irqs_fini(struct igdpt_vfu_irqs *irqs);

/* Flags and count of an index (< IGDPT_VFU_IRQ_COUNT). */
void igdpt_vfu_irq_info(unsigned index, uint32_t *flags, uint32_t *count);

/* The checks of struct vfio_irq_set that the payload and fds do not decide:
 * one data type and one action, an index that exists, a range inside the
 * index's count (count 0 only to disable, with DATA_NONE). 0 or -EINVAL
 * with *reason. */
int igdpt_vfu_irq_set_check(uint32_t flags, uint32_t index, uint32_t start, uint32_t count,
			    const char **reason);
/* Applies a checked DEVICE_SET_IRQS: with DATA_EVENTFD, nfds (count or 0)
 * eventfds replace (0: de-assign) the action's; with DATA_NONE and count 0,
 * the action's eventfd goes; other forms ask for an interrupt to be
 * triggered, masked or unmasked, which changes nothing here. The fds stay
 * the caller's: duplicates are kept. 0 or -errno (*reason) when an fd
 * cannot be duplicated. */
int igdpt_vfu_irq_set(struct igdpt_vfu_irqs *irqs, uint32_t flags, uint32_t index,
		      uint32_t count, const int *fds, unsigned nfds, const char **reason);

/* Eventfds kept (for tests). */
unsigned igdpt_vfu_irqs_kept(const struct igdpt_vfu_irqs *irqs);

#endif
