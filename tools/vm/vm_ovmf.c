/* SPDX-License-Identifier: MIT */
/* igdpt vm --firmware ovmf: OVMF's flash and the EFI driver's FAT volume on
 * the QEMU command line (see vm_ovmf.h). */
#include "vm_ovmf.h"

#include <errno.h>
#include <stdlib.h>

#include "qemu_opt.h"

int vm_ovmf_add_args(struct vm_argv *a, const struct vm_ovmf_config *c)
{
	char *code = NULL, *vars = NULL, *esp = NULL;
	int ret = -ENOMEM;

	if (!a || !c || !c->code || !c->vars)
		return -EINVAL;
	code = qemu_opt_escape(c->code);
	vars = qemu_opt_escape(c->vars);
	esp = c->esp_image ? qemu_opt_escape(c->esp_image) : NULL;
	if (!code || !vars || (c->esp_image && !esp))
		goto free_strings;
	if (vm_argv_add(a, "-drive") ||
	    vm_argv_add(a, "if=pflash,format=raw,unit=0,readonly=on,file=%s", code) ||
	    vm_argv_add(a, "-drive") || vm_argv_add(a, "if=pflash,format=raw,unit=1,file=%s", vars))
		goto free_strings;
	if (esp && (vm_argv_add(a, "-drive") ||
	    vm_argv_add(a, "if=none,id=esp,format=raw,readonly=on,file=%s", esp) ||
	    vm_argv_add(a, "-device") ||
	    vm_argv_add(a, "virtio-blk-pci,drive=esp,addr=%02x.0", VM_OVMF_ESP_SLOT)))
		goto free_strings;
	ret = 0;
free_strings:
	free(esp);
	free(vars);
	free(code);
	return ret;
}
