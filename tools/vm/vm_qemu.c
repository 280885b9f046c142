/* SPDX-License-Identifier: MIT */
/* igdpt vm's QEMU command line (see vm_qemu.h). */
#include "vm_qemu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/abi/guest.h"
#include "qemu_opt.h"

/* s as a JSON string's contents: '"', '\\' and control characters escaped. */
static char *json_escape(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n * 6 + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			*o++ = '\\';
			*o++ = (char)ch;
		} else if (ch < 0x20) {
			o += sprintf(o, "\\u%04x", ch);
		} else {
			*o++ = (char)ch;
		}
	}
	*o = 0;
	return out;
}

/* The IGD at 00:02.0 over the transport the config names. */
static int add_igd(struct vm_argv *a, const struct vm_qemu_config *c)
{
	char *path, *rom;
	int ret;

	if (c->igd_fd >= 0) {
		if (!c->romfile)
			return vm_argv_add(a, "-device") ||
			       vm_argv_add(a, "x-pci-proxy-dev,addr=%02x.0,fd=%d",
					   IGDPT_IGD_DEVFN_DEVICE, c->igd_fd);
		rom = qemu_opt_escape(c->romfile);
		ret = !rom || vm_argv_add(a, "-device") ||
		      vm_argv_add(a, "x-pci-proxy-dev,addr=%02x.0,fd=%d,romfile=%s",
				  IGDPT_IGD_DEVFN_DEVICE, c->igd_fd, rom);
		free(rom);
		return ret;
	}
	if (!c->vfio_user_socket)
		return 0;
	path = json_escape(c->vfio_user_socket);
	ret = !path || vm_argv_add(a, "-device") ||
	      vm_argv_add(a, "{\"driver\":\"vfio-user-pci\",\"addr\":\"%02x.0\","
			     "\"socket\":{\"type\":\"unix\",\"path\":\"%s\"}}",
			  IGDPT_IGD_DEVFN_DEVICE, path);
	free(path);
	return ret;
}

int vm_qemu_argv(const struct vm_qemu_config *c, struct vm_argv *out)
{
	char *opregion = NULL, *bdsm = NULL, *fw_log = NULL, *serial_log = NULL;
	struct vm_argv a = { 0 };
	int ret = -ENOMEM;

	if (!c->qemu || !c->machine || (!c->ovmf && (!c->bios || !c->kernel)) || !c->fw_log ||
	    !c->serial_log || !c->mem_mib || (c->chroot && !c->root))
		return -EINVAL;
	fw_log = qemu_opt_escape(c->fw_log);
	serial_log = qemu_opt_escape(c->serial_log);
	if (!fw_log || !serial_log)
		goto free_strings;
	if (c->opregion && !(opregion = qemu_opt_escape(c->opregion)))
		goto free_strings;
	if (c->stolen_size_file && !(bdsm = qemu_opt_escape(c->stolen_size_file)))
		goto free_strings;

	if (c->chroot && (vm_argv_add(&a, "%s", c->chroot) || vm_argv_add(&a, "%s", c->root)))
		goto free_argv;
	if (vm_argv_add(&a, "%s", c->qemu) ||
	    vm_argv_add(&a, "-machine") || vm_argv_add(&a, "%s", c->machine) ||
	    vm_argv_add(&a, "-accel") || vm_argv_add(&a, "tcg") ||
	    vm_argv_add(&a, "-m") || vm_argv_add(&a, "%uM", c->mem_mib) ||
	    vm_argv_add(&a, "-object") ||
	    vm_argv_add(&a, "memory-backend-memfd,id=ram,size=%uM,share=on", c->mem_mib) ||
	    vm_argv_add(&a, "-numa") || vm_argv_add(&a, "node,memdev=ram") ||
	    vm_argv_add(&a, "-nodefaults") || vm_argv_add(&a, "-nographic") ||
	    vm_argv_add(&a, "-vga") || vm_argv_add(&a, "none"))
		goto free_argv;
	if (c->ovmf) {
		/* OVMF from flash; the guest side is igdpt-efi + the check on a
		 * disk, or a kernel OVMF's loader starts (a UEFI Linux guest). */
		ret = vm_ovmf_add_args(&a, c->ovmf);
		if (ret < 0)
			goto free_argv;
		ret = -ENOMEM;
	} else if (vm_argv_add(&a, "-bios") || vm_argv_add(&a, "%s", c->bios)) {
		goto free_argv;
	}
	if (c->no_pci_hole64 &&
	    (vm_argv_add(&a, "-global") ||
	     vm_argv_add(&a, "%s.pci-hole64-size=0",
			  strcmp(c->machine, "q35") ? "i440FX-pcihost" : "q35-pcihost")))
		goto free_argv;
	if (c->kernel &&
	    (vm_argv_add(&a, "-kernel") || vm_argv_add(&a, "%s", c->kernel) ||
	     (c->append && (vm_argv_add(&a, "-append") || vm_argv_add(&a, "%s", c->append))) ||
	     (c->initrd && (vm_argv_add(&a, "-initrd") || vm_argv_add(&a, "%s", c->initrd)))))
		goto free_argv;
	if (add_igd(&a, c))
		goto free_argv;
	if (c->lpc_fd >= 0 &&
	    (vm_argv_add(&a, "-device") ||
	     vm_argv_add(&a, "x-pci-proxy-dev,addr=%02x.0,fd=%d", IGDPT_LPC_DEVFN_DEVICE, c->lpc_fd)))
		goto free_argv;
	if (opregion && (vm_argv_add(&a, "-fw_cfg") ||
			 vm_argv_add(&a, "name=%s,file=%s", IGDPT_FW_CFG_OPREGION_FILE, opregion)))
		goto free_argv;
	if (bdsm && (vm_argv_add(&a, "-fw_cfg") ||
		     vm_argv_add(&a, "name=%s,file=%s", IGDPT_FW_CFG_BDSM_SIZE_FILE, bdsm)))
		goto free_argv;
	if (vm_argv_add(&a, "-chardev") || vm_argv_add(&a, "file,id=fw,path=%s", fw_log) ||
	    vm_argv_add(&a, "-device") || vm_argv_add(&a, "isa-debugcon,iobase=0x402,chardev=fw") ||
	    vm_argv_add(&a, "-chardev") ||
	    vm_argv_add(&a, "file,id=serial,path=%s,mux=on", serial_log) ||
	    vm_argv_add(&a, "-serial") || vm_argv_add(&a, "chardev:serial") ||
	    vm_argv_add(&a, "-device") ||
	    vm_argv_add(&a, "isa-debugcon,iobase=%#x,chardev=serial", VM_SERIAL_PORT) ||
	    (c->serial_vport &&
	     (vm_argv_add(&a, "-device") ||
	      vm_argv_add(&a, "virtio-serial-pci,addr=%02x.0,disable-modern=on,max_ports=%u",
			  VM_SERIAL_VPORT_SLOT, VM_SERIAL_VPORT_MAX_PORTS) ||
	      vm_argv_add(&a, "-device") ||
	      vm_argv_add(&a, "virtserialport,chardev=serial,name=%s", c->serial_vport))) ||
	    vm_argv_add(&a, "-device") || vm_argv_add(&a, "isa-debug-exit,iobase=0xf4,iosize=0x04") ||
	    vm_argv_add(&a, "-no-reboot"))
		goto free_argv;
	*out = a;
	ret = 0;
	goto free_strings;

free_argv:
	vm_argv_free(&a);
free_strings:
	free(bdsm);
	free(opregion);
	free(fw_log);
	free(serial_log);
	return ret;
}
