/* SPDX-License-Identifier: MIT */
/* Interrupt info and the eventfds a client sets (irqs.h). */
#include "irqs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

void igdpt_vfu_irqs_init(struct igdpt_vfu_irqs *irqs)
{
	for (unsigned i = 0; i < IGDPT_VFU_IRQ_COUNT; i++)
		for (unsigned a = 0; a < IGDPT_VFU_IRQ_ACTIONS; a++)
			irqs->fd[i][a] = -1;
}

void igdpt_vfu_irqs_fini(struct igdpt_vfu_irqs *irqs)
{
	for (unsigned i = 0; i < IGDPT_VFU_IRQ_COUNT; i++)
		for (unsigned a = 0; a < IGDPT_VFU_IRQ_ACTIONS; a++)
			if (irqs->fd[i][a] >= 0)
				close(irqs->fd[i][a]);
	igdpt_vfu_irqs_init(irqs);
}

void igdpt_vfu_irq_info(unsigned index, uint32_t *flags, uint32_t *count)
{
	/* Linux vfio-pci: every type signals through eventfds; INTx can be
	 * masked and masks itself when it fires; the others are set whole. */
	*flags = IGDPT_VFU_IRQ_INFO_EVENTFD;
	if (index == IGDPT_VFU_IRQ_INTX)
		*flags |= IGDPT_VFU_IRQ_INFO_MASKABLE | IGDPT_VFU_IRQ_INFO_AUTOMASKED;
	else
		*flags |= IGDPT_VFU_IRQ_INFO_NORESIZE;
	*count = index == IGDPT_VFU_IRQ_MSI || index == IGDPT_VFU_IRQ_MSIX ? 0 : 1;
}

static bool one_bit(uint32_t v)
{
	return v && !(v & (v - 1));
}

static enum igdpt_vfu_irq_action action_of(uint32_t flags)
{
	switch (flags & IGDPT_VFU_IRQ_SET_ACTION_TYPE_MASK) {
	case IGDPT_VFU_IRQ_SET_ACTION_MASK:
		return IGDPT_VFU_IRQ_ACTION_MASK;
	case IGDPT_VFU_IRQ_SET_ACTION_UNMASK:
		return IGDPT_VFU_IRQ_ACTION_UNMASK;
	default:
		return IGDPT_VFU_IRQ_ACTION_TRIGGER;
	}
}

int igdpt_vfu_irq_set_check(uint32_t flags, uint32_t index, uint32_t start, uint32_t count,
			    const char **reason)
{
	uint32_t irq_flags, irq_count;

	if (flags & ~(IGDPT_VFU_IRQ_SET_DATA_TYPE_MASK | IGDPT_VFU_IRQ_SET_ACTION_TYPE_MASK) ||
	    !one_bit(flags & IGDPT_VFU_IRQ_SET_DATA_TYPE_MASK) ||
	    !one_bit(flags & IGDPT_VFU_IRQ_SET_ACTION_TYPE_MASK)) {
		*reason = "SET_IRQS flags are not one data type and one action";
		return -EINVAL;
	}
	if (index >= IGDPT_VFU_IRQ_COUNT) {
		*reason = "SET_IRQS for an interrupt index the device does not have";
		return -EINVAL;
	}
	igdpt_vfu_irq_info(index, &irq_flags, &irq_count);
	if (count == 0) {
		if (start || !(flags & IGDPT_VFU_IRQ_SET_DATA_NONE)) {
			*reason = "SET_IRQS with count 0 other than DATA_NONE from 0 (disable)";
			return -EINVAL;
		}
		return 0;
	}
	if (start >= irq_count || count > irq_count - start) {
		*reason = "SET_IRQS range past the interrupts of that index";
		return -EINVAL;
	}
	return 0;
}

static void replace(int *slot, int fd)
{
	if (*slot >= 0)
		close(*slot);
	*slot = fd;
}

int igdpt_vfu_irq_set(struct igdpt_vfu_irqs *irqs, uint32_t flags, uint32_t index,
		      uint32_t count, const int *fds, unsigned nfds, const char **reason)
{
	int *slot = &irqs->fd[index][action_of(flags)];

	if (flags & IGDPT_VFU_IRQ_SET_DATA_EVENTFD) {
		int fd = -1;

		/* The ranges are at most one interrupt long (irq_info). */
		if (nfds) {
			fd = fcntl(fds[0], F_DUPFD_CLOEXEC, 0);
			if (fd < 0) {
				*reason = "cannot duplicate an eventfd";
				return -errno;
			}
		}
		replace(slot, fd);
	} else if ((flags & IGDPT_VFU_IRQ_SET_DATA_NONE) && count == 0) {
		replace(slot, -1);
	}
	return 0;
}

unsigned igdpt_vfu_irqs_kept(const struct igdpt_vfu_irqs *irqs)
{
	unsigned n = 0;

	for (unsigned i = 0; i < IGDPT_VFU_IRQ_COUNT; i++)
		for (unsigned a = 0; a < IGDPT_VFU_IRQ_ACTIONS; a++)
			n += irqs->fd[i][a] >= 0;
	return n;
}
