/* SPDX-License-Identifier: MIT */
/* Unit tests for igdpt vm's options (tools/vm/vm_options.c): every value is
 * refused before anything starts, with one line that names the option, the
 * value and why; stolen memory is --stolen-size in binary units, checked
 * against GGC's encoding for the generation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "igdpt/abi/guest.h"
#include "vm_linux.h"
#include "vm_memory.h"
#include "vm_options.h"

#define MAX_ARGS 16

/* Runs vm_options_parse on "vm" + args; msg gets what it printed on stderr. */
static int parse(struct vm_options *o, char *msg, size_t size, ...)
{
	char *argv[MAX_ARGS] = { "igdpt vm" };
	int argc = 1, saved, ret;
	FILE *tmp = tmpfile();
	size_t n;
	va_list ap;

	va_start(ap, size);
	while (argc < MAX_ARGS - 1 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = vm_options_parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(msg, 1, size - 1, tmp);
	msg[n] = 0;
	fclose(tmp);
	return ret;
}

#define PARSE(o, msg, ...) parse(o, msg, sizeof(msg), __VA_ARGS__, (char *)NULL)

static void test_defaults(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	assert_int_equal(parse(&o, msg, sizeof(msg), (char *)NULL), 0);
	assert_int_equal(o.firmware, VM_FIRMWARE_SEABIOS);
	assert_int_equal(o.guest, VM_GUEST_PROBE);
	assert_null(o.kernel);
	assert_int_equal(o.source, VM_SOURCE_REFERENCE);
	assert_string_equal(o.machine, "pc");
	assert_int_equal(o.generation, 9);
	assert_false(o.device_id_given);
	assert_int_equal(o.stolen_size, 0);
	assert_int_equal(o.pci_class, IGDPT_PCI_CLASS_DISPLAY_VGA);
	assert_int_equal(o.strategy, IGDPT_VMM_4B);
	assert_true(o.timeout == VM_DEFAULT_TIMEOUT);
	assert_string_equal(msg, "");

	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf"), 0);
	assert_true(o.timeout == 180.0);
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--class", "display"), 0);
	assert_true(o.timeout == 300.0);
	assert_int_equal(o.pci_class, IGDPT_PCI_CLASS_DISPLAY_OTHER);
	assert_string_equal(o.kernel, VM_LINUX_DEFAULT_KERNEL);
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--kernel", "trixie"), 0);
	assert_string_equal(o.kernel, "trixie");
	assert_int_equal(PARSE(&o, msg, "--no-opregion", "--strategy", "1b", "--timeout", "2.5"), 0);
	assert_int_equal(o.source, VM_SOURCE_NONE);
	assert_int_equal(o.strategy, IGDPT_VMM_1B);
	assert_true(o.timeout == 2.5);
	assert_int_equal(PARSE(&o, msg, "--help"), 1);
}

static void test_stolen_size(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "64M"), 0);
	assert_int_equal(o.stolen_size, 64u << 20);
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "32MiB", "--generation", "12"), 0);
	assert_int_equal(o.stolen_size, 32u << 20);
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "8388608"), 0);
	assert_int_equal(o.stolen_size, 8u << 20);

	assert_int_equal(PARSE(&o, msg, "--stolen-size", "3X"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --stolen-size 3X: expected a size such as 64M (bytes, "
				 "or binary units K, M, G, T)\n");
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "1536K"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --stolen-size 1536K: expected a multiple of 1M, e.g. 64M\n");
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "0"), 0); /* none */
	assert_int_equal(o.stolen_size, 0);
	/* GGC's encoding, for the generation given or implied (the core's codec). */
	assert_int_equal(PARSE(&o, msg, "--generation", "8", "--stolen-size", "16M"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --stolen-size 16M: generation 8 cannot announce it in "
				 "GGC (GMS: multiples of 32M; from generation 9 also 4M..60M in 4M "
				 "steps)\n");
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x1616", "--stolen-size", "16M"), -EINVAL);
	assert_non_null(strstr(msg, "generation 8"));
	/* The old name says what replaced it. */
	assert_int_equal(PARSE(&o, msg, "--bdsm-size", "64M"), -EINVAL);
	assert_non_null(strstr(msg, "--stolen-size"));
}

static void test_identity(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	/* The generation follows a known device id. */
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x9a49"), 0);
	assert_int_equal(o.generation, 12);
	assert_true(o.device_id_given);
	assert_int_equal(o.device_id, 0x9a49);
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x9a49", "--generation", "9"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --device-id 0x9a49: a generation 12 IGD (Tiger Lake), "
				 "not generation 9\n");
	/* An id igdpt does not know needs the generation spelled out. */
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x1234"), -EINVAL);
	assert_non_null(strstr(msg, "give --generation N too"));
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x1234", "--generation", "9"), 0);
	assert_int_equal(PARSE(&o, msg, "--device-id", "0x12345"), -EINVAL);
	assert_non_null(strstr(msg, "expected a 16-bit id"));
	assert_int_equal(PARSE(&o, msg, "--generation", "0"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --generation 0: expected a number such as 9 or 12\n");
	assert_int_equal(PARSE(&o, msg, "--generation", "100"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--generation", "9x"), -EINVAL);
}

/* Guest RAM: the firmware's and guest's own plus the stolen memory, which
 * must fit below 4 GiB under QEMU's PCI hole (vm_memory.c). */
static void test_memory(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	assert_int_equal(PARSE(&o, msg, (char *)NULL), 0);
	assert_int_equal(o.memory_mib, VM_MEMORY_OWN_PROBE_MIB);
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "512M"), 0);
	assert_int_equal(o.memory_mib, VM_MEMORY_OWN_PROBE_MIB + 512);
	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf", "--stolen-size", "60M"), 0);
	assert_int_equal(o.memory_mib, VM_MEMORY_OWN_OVMF_MIB + 60);
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--stolen-size", "64M"), 0);
	assert_int_equal(o.memory_mib, VM_MEMORY_OWN_LINUX_MIB + 64);
	assert_int_equal(PARSE(&o, msg, "--memory", "1G", "--stolen-size", "256M"), 0);
	assert_int_equal(o.memory_mib, 1024);
	/* 2 GiB on q35 stays below 4 GiB; 3 GiB of stolen memory fits pc only. */
	assert_int_equal(PARSE(&o, msg, "--machine", "q35", "--stolen-size", "2G"), 0);
	assert_int_equal(o.memory_mib, 2048 + VM_MEMORY_OWN_PROBE_MIB);
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "3G"), 0);
	assert_int_equal(PARSE(&o, msg, "--machine", "q35", "--stolen-size", "3G"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --stolen-size 3072M: stolen memory must lie below 4 GiB, "
				 "where QEMU's q35 machine puts at most 2815 MiB of RAM (its PCI "
				 "hole is above), beside the 128 MiB of the firmware and probe: at "
				 "most 2687M fits\n");
	/* The largest size GGC encodes on gen 9 fits nowhere. */
	assert_int_equal(PARSE(&o, msg, "--stolen-size", "7648M"), -EINVAL);
	assert_non_null(strstr(msg, "pc machine puts at most 3583 MiB"));
	/* --memory too small, or so large that QEMU moves RAM above 4 GiB. */
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--memory", "128M", "--stolen-size",
			       "64M"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --memory 128M: too little for 64 MiB of stolen memory beside "
				 "the 256 MiB of the Linux guest: give at least 320M (or leave --memory "
				 "out)\n");
	assert_int_equal(PARSE(&o, msg, "--machine", "q35", "--memory", "4G", "--stolen-size",
			       "2G"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --memory 4096M: QEMU's q35 machine then puts only 2048 "
				 "MiB of it below 4 GiB (the rest above its PCI hole), too little for "
				 "2048 MiB of stolen memory beside the 128 MiB of the firmware and probe: "
				 "give 2176M to 2815M (or leave --memory out)\n");
	assert_int_equal(PARSE(&o, msg, "--memory", "4G"), 0); /* no stolen memory: fine */
	assert_int_equal(PARSE(&o, msg, "--memory", "1000K"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --memory 1000K: expected a size in whole MiB up to 64G, "
				 "e.g. 512M\n");
	assert_int_equal(PARSE(&o, msg, "--memory", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--memory", "65G"), -EINVAL);
	assert_int_equal(vm_memory_below_4g_mib("pc", 3583), 3583);
	assert_int_equal(vm_memory_below_4g_mib("pc", 3584), 3072);
	assert_int_equal(vm_memory_below_4g_mib("q35", 2815), 2815);
	assert_int_equal(vm_memory_below_4g_mib("q35", 2816), 2048);
}

static void test_refusals(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	assert_int_equal(PARSE(&o, msg, "--firmware", "uefi"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --firmware uefi: expected seabios or ovmf (OVMF with "
				 "igdpt's EFI driver)\n");
	assert_int_equal(PARSE(&o, msg, "--machine", "virt"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--class", "3d"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--guest", "windows"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--strategy", "2"), -EINVAL);
	assert_non_null(strstr(msg, "cannot map"));
	assert_int_equal(PARSE(&o, msg, "--strategy", "4a"), -EINVAL);
	assert_non_null(strstr(msg, "e820"));
	assert_int_equal(PARSE(&o, msg, "--strategy", "5"), -EINVAL);
	assert_non_null(strstr(msg, "unknown option"));
	assert_int_equal(PARSE(&o, msg, "--timeout", "0"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--timeout", "1e9"), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--keep-logs", ""), -EINVAL);
	assert_int_equal(PARSE(&o, msg, "--reference", "--no-opregion"), -EINVAL);
	/* A UEFI Linux guest is a run like any other now. */
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--firmware", "ovmf"), 0);
	assert_int_equal(o.efi_delivery, VM_EFI_DELIVERY_ROM);
	/* OVMF's loader boots the kernel: the driver can only be in the ROM. */
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--firmware", "ovmf", "--efi-delivery",
			       "disk"),
			 -EINVAL);
	assert_non_null(strstr(msg, "option ROM"));
	assert_int_equal(PARSE(&o, msg, "extra"), -EINVAL);
	assert_non_null(strstr(msg, "unexpected argument 'extra'"));
	assert_int_equal(PARSE(&o, msg, "--frobnicate"), -EINVAL);
	assert_non_null(strstr(msg, "Try 'igdpt vm --help'"));
	/* --kernel: one of the table's, and only for a Linux guest. */
	assert_int_equal(PARSE(&o, msg, "--guest", "linux", "--kernel", "sid"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --kernel sid: expected bookworm|trixie\n");
	/* --rom: a file, read and judged before boot (vm_rom.c). */
	assert_int_equal(PARSE(&o, msg, "--rom", ""), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --rom: expected a PCI option ROM file\n");
	assert_int_equal(PARSE(&o, msg, "--rom", "vbios.rom"), 0);
	assert_string_equal(o.rom, "vbios.rom");
	assert_int_equal(PARSE(&o, msg, "--kernel", "trixie"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --kernel names the kernel of --guest linux\n");
}

/* --stack, --transport, --efi-delivery: defaults and refusals. (Whether
 * a QEMU can do a transport is vm_transport's, tests/vm/test_vm_stack.c.) */
static void test_stack_transport_delivery(void **state)
{
	struct vm_options o;
	char msg[1024];

	(void)state;
	assert_int_equal(parse(&o, msg, sizeof(msg), (char *)NULL), 0);
	assert_string_equal(o.stack, "bookworm");
	assert_int_equal(o.transport, VM_TRANSPORT_AUTO);
	assert_int_equal(o.efi_delivery, VM_EFI_DELIVERY_DISK);
	assert_int_equal(PARSE(&o, msg, "--stack", "trixie", "--transport", "vfio-user"), 0);
	assert_string_equal(o.stack, "trixie");
	assert_int_equal(o.transport, VM_TRANSPORT_VFIO_USER);
	assert_int_equal(PARSE(&o, msg, "--transport", "proxy"), 0);
	assert_int_equal(o.transport, VM_TRANSPORT_PROXY);
	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf"), 0);
	assert_int_equal(o.efi_delivery, VM_EFI_DELIVERY_ROM);
	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf", "--efi-delivery", "disk"), 0);
	assert_int_equal(o.efi_delivery, VM_EFI_DELIVERY_DISK);
	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf", "--efi-delivery", "rom"), 0);
	assert_int_equal(o.efi_delivery, VM_EFI_DELIVERY_ROM);

	assert_int_equal(PARSE(&o, msg, "--stack", "sid"), -EINVAL);
	assert_string_equal(msg, "igdpt vm: --stack sid: expected bookworm|trixie\n");
	assert_int_equal(PARSE(&o, msg, "--transport", "vhost-user"), -EINVAL);
	assert_non_null(strstr(msg, "--transport vhost-user: expected proxy or vfio-user"));
	assert_int_equal(PARSE(&o, msg, "--firmware", "ovmf", "--efi-delivery", "pxe"), -EINVAL);
	assert_non_null(strstr(msg, "--efi-delivery pxe: expected rom or disk"));
	assert_int_equal(PARSE(&o, msg, "--efi-delivery", "rom"), -EINVAL);
	assert_non_null(strstr(msg, "give --firmware ovmf too"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_stolen_size),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_stack_transport_delivery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
