/* SPDX-License-Identifier: MIT */
/* Unit tests for starting QEMU (tools/vm/vm_proc, vm_argv, vm_qemu,
 * vm_ovmf): real child processes (status, signals, deadlines, stopping in
 * order, process groups, fd inheritance, exec failures, a captured short
 * query) and the QEMU command line (proxy, vfio-user, chroot). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "qemu_opt.h"
#include "vm_argv.h"
#include "vm_ovmf.h"
#include "vm_proc.h"
#include "vm_qemu.h"

static void test_exit_status(void **state)
{
	char *const argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct vm_proc p;
	char err[256], text[96];

	(void)state;
	assert_int_equal(vm_proc_spawn(&p, "sh", argv, NULL, 0, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(vm_proc_wait(&p, vm_now() + 10), 0);
	assert_true(p.exited);
	assert_int_equal(p.exit_code, 3);
	vm_proc_status_text(&p, text, sizeof(text));
	assert_string_equal(text, "exit status 3");
}

static void test_deadline_and_kill(void **state)
{
	char *const argv[] = { "/bin/sleep", "30", NULL };
	struct vm_proc p;
	char err[256], text[96];
	double t0 = vm_now();

	(void)state;
	assert_int_equal(vm_proc_spawn(&p, "sleep", argv, NULL, 0, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(vm_proc_wait(&p, vm_now() + 0.2), -ETIMEDOUT);
	assert_true(p.running);
	vm_proc_kill(&p);
	assert_false(p.running);
	assert_int_equal(p.signal, 9);
	assert_true(p.killed_by_us);
	vm_proc_status_text(&p, text, sizeof(text));
	assert_non_null(strstr(text, "killed by signal 9"));
	/* Killing did not wait for the 30 s sleep. */
	assert_true(vm_now() - t0 < 20);
}

/* SIGTERM first; SIGKILL only for a child that ignores it. */
static void test_stop(void **state)
{
	char *const polite[] = { "/bin/sleep", "30", NULL };
	/* No grandchild: one would outlive the kill and hold the test's pipes. */
	char *const stubborn[] = { "/bin/sh", "-c", "trap '' TERM; while :; do :; done", NULL };
	struct vm_proc p;
	char err[256];
	double t0;

	(void)state;
	assert_int_equal(vm_proc_spawn(&p, "sleep", polite, NULL, 0, NULL, NULL, err, sizeof(err)),
			 0);
	vm_proc_stop(&p, 10);
	assert_false(p.running);
	assert_int_equal(p.signal, 15);
	assert_true(p.killed_by_us);

	assert_int_equal(vm_proc_spawn(&p, "sh", stubborn, NULL, 0, NULL, NULL, err, sizeof(err)),
			 0);
	/* Let the shell set its trap before the signal comes. */
	assert_int_equal(vm_proc_wait(&p, vm_now() + 0.3), -ETIMEDOUT);
	t0 = vm_now();
	vm_proc_stop(&p, 0.3);
	assert_false(p.running);
	assert_int_equal(p.signal, 9);
	assert_true(vm_now() - t0 < 20);
	/* Stopping what has ended does nothing. */
	vm_proc_stop(&p, 0.3);
	assert_int_equal(p.signal, 9);
}

/* A child leads its own process group: a terminal's Ctrl-C reaches only
 * igdpt vm, which stops the children in its own order. */
static void test_own_process_group(void **state)
{
	char *const argv[] = { "/bin/sleep", "30", NULL };
	struct vm_proc p;
	char err[256];

	(void)state;
	assert_int_equal(vm_proc_spawn(&p, "sleep", argv, NULL, 0, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(getpgid(p.pid), p.pid);
	assert_int_not_equal(getpgid(p.pid), getpgrp());
	vm_proc_kill(&p);
}

static void test_qemu_escape(void **state)
{
	char *s;

	(void)state;
	s = qemu_opt_escape("/a,b,,c");
	assert_string_equal(s, "/a,,b,,,,c");
	free(s);
	s = qemu_opt_escape("");
	assert_string_equal(s, "");
	free(s);
}

static void test_missing_program(void **state)
{
	char *const argv[] = { "/nonexistent/igdpt-device", NULL };
	struct vm_proc p;
	char err[256];

	(void)state;
	assert_int_equal(vm_proc_spawn(&p, "igdpt-device", argv, NULL, 0, NULL, NULL, err,
				       sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/igdpt-device"));
	assert_false(p.running);
}

/* The child gets the listed fd and no other of ours; output goes to files. */
static void test_fds_and_output(void **state)
{
	char path[] = "/tmp/igdpt-test-vm-run.XXXXXX";
	char script[256], err[256];
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct vm_proc p;
	int sv[2], other[2], out;
	char buf[256] = "";
	ssize_t n;

	(void)state;
	out = mkstemp(path);
	assert_true(out >= 0);
	close(out);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, other), 0);
	snprintf(script, sizeof(script),
		 "printf x >&%d && if [ -e /proc/self/fd/%d ]; then echo leaked; else echo clean; fi",
		 sv[1], other[1]);
	assert_int_equal(vm_proc_spawn(&p, "sh", argv, &sv[1], 1, path, NULL, err, sizeof(err)), 0);
	assert_int_equal(vm_proc_wait(&p, vm_now() + 10), 0);
	assert_int_equal(p.exit_code, 0);
	assert_int_equal(read(sv[0], buf, 1), 1);
	assert_int_equal(buf[0], 'x');
	out = open(path, O_RDONLY);
	assert_true(out >= 0);
	n = read(out, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, "clean\n");
	close(out);
	unlink(path);
	close(sv[0]);
	close(sv[1]);
	close(other[0]);
	close(other[1]);
}

static bool has_arg(const struct vm_argv *a, const char *s)
{
	for (size_t i = 0; i < a->count; i++)
		if (!strcmp(a->argv[i], s))
			return true;
	return false;
}

static void test_qemu_argv(void **state)
{
	struct vm_qemu_config c = {
		.qemu = "/usr/bin/qemu-system-x86_64",
		.machine = "q35",
		.bios = "/usr/share/seabios/bios-256k.bin",
		.kernel = "/b/guest/multiboot/igdpt-probe.elf",
		.mem_mib = 128,
		.igd_fd = 5,
		.lpc_fd = -1,
		.opregion = "/tmp/a,b/published.bin",
		.stolen_size_file = "/tmp/x/bdsm.bin",
		.fw_log = "/tmp/x/fw.log",
		.serial_log = "/tmp/x/serial.log",
	};
	struct vm_argv a = { 0 };
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	(void)state;
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_string_equal(a.argv[0], "/usr/bin/qemu-system-x86_64");
	assert_null(a.argv[a.count]);
	assert_true(has_arg(&a, "q35"));
	assert_true(has_arg(&a, "memory-backend-memfd,id=ram,size=128M,share=on"));
	assert_true(has_arg(&a, "x-pci-proxy-dev,addr=02.0,fd=5"));
	assert_false(has_arg(&a, "-append"));
	/* A comma in a path is doubled for QEMU's option parser. */
	assert_true(has_arg(&a, "name=etc/igd-opregion,file=/tmp/a,,b/published.bin"));
	assert_true(has_arg(&a, "name=etc/igd-bdsm-size,file=/tmp/x/bdsm.bin"));
	assert_true(has_arg(&a, "isa-debug-exit,iobase=0xf4,iosize=0x04"));
	assert_true(has_arg(&a, "-no-reboot"));
	mem = open_memstream(&text, &len);
	vm_argv_print(mem, &a);
	fclose(mem);
	assert_non_null(strstr(text, "/usr/bin/qemu-system-x86_64 -machine q35 "));
	free(text);
	vm_argv_free(&a);

	/* No IGD, no image: the baseline boot of the benchmark. */
	c.igd_fd = -1;
	c.opregion = NULL;
	c.stolen_size_file = NULL;
	c.append = "100 loops";
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_false(has_arg(&a, "-fw_cfg"));
	assert_true(has_arg(&a, "100 loops"));
	mem = open_memstream(&text, &len);
	vm_argv_print(mem, &a);
	fclose(mem);
	assert_non_null(strstr(text, "-append '100 loops'"));
	free(text);
	vm_argv_free(&a);

	c.kernel = NULL;
	assert_int_equal(vm_qemu_argv(&c, &a), -EINVAL);
}

/* --firmware ovmf: flash + the EFI volume replace -bios/-kernel/-append. */
static void test_qemu_argv_ovmf(void **state)
{
	struct vm_ovmf_config ovmf = { "/fw/CODE.fd", "/w/VARS.fd", "/b/esp.img" };
	struct vm_qemu_config c = {
		.qemu = "qemu-system-x86_64",
		.machine = "q35",
		.append = "ignored",
		.ovmf = &ovmf,
		.mem_mib = 128,
		.igd_fd = 5,
		.lpc_fd = -1,
		.opregion = "/tmp/x/published.bin",
		.fw_log = "/tmp/x/fw.log",
		.serial_log = "/tmp/x/serial.log",
	};
	struct vm_argv a = { 0 };

	(void)state;
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_false(has_arg(&a, "-bios"));
	assert_false(has_arg(&a, "-kernel"));
	assert_false(has_arg(&a, "-append"));
	assert_true(has_arg(&a, "if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd"));
	assert_true(has_arg(&a, "if=pflash,format=raw,unit=1,file=/w/VARS.fd"));
	assert_true(has_arg(&a, "virtio-blk-pci,drive=esp,addr=05.0"));
	assert_true(has_arg(&a, "x-pci-proxy-dev,addr=02.0,fd=5"));
	assert_true(has_arg(&a, "name=etc/igd-opregion,file=/tmp/x/published.bin"));
	assert_true(has_arg(&a, "isa-debugcon,iobase=0x402,chardev=fw"));
	assert_true(has_arg(&a, "isa-debug-exit,iobase=0xf4,iosize=0x04"));
	/* COM1 and the kernel-log debugcon share the serial log's chardev. */
	assert_true(has_arg(&a, "file,id=serial,path=/tmp/x/serial.log,mux=on"));
	assert_true(has_arg(&a, "chardev:serial"));
	assert_true(has_arg(&a, "isa-debugcon,iobase=0xe9,chardev=serial"));
	assert_false(has_arg(&a, "virtio-serial-pci,addr=03.0,disable-modern=on,max_ports=2"));
	vm_argv_free(&a);

	/* A UEFI Linux guest: no volume; OVMF's loader starts the kernel, the
	 * driver is the IGD's ROM, and no 64-bit PCI window tempts Linux to
	 * keep BARs above 4 GiB, where the proxy cannot reach them. */
	ovmf.esp_image = NULL;
	c.kernel = "/g/vmlinuz";
	c.initrd = "/g/initrd.img";
	c.romfile = "/w/pci-rom.bin";
	c.no_pci_hole64 = true;
	c.serial_vport = "org.igdpt.kmsg";
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_true(has_arg(&a, "virtio-serial-pci,addr=03.0,disable-modern=on,max_ports=2"));
	assert_true(has_arg(&a, "virtserialport,chardev=serial,name=org.igdpt.kmsg"));
	assert_false(has_arg(&a, "-bios"));
	assert_false(has_arg(&a, "virtio-blk-pci,drive=esp,addr=05.0"));
	assert_true(has_arg(&a, "if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd"));
	assert_true(has_arg(&a, "/g/vmlinuz"));
	assert_true(has_arg(&a, "/g/initrd.img"));
	assert_true(has_arg(&a, "ignored"));
	assert_true(has_arg(&a, "x-pci-proxy-dev,addr=02.0,fd=5,romfile=/w/pci-rom.bin"));
	assert_true(has_arg(&a, "q35-pcihost.pci-hole64-size=0"));
	vm_argv_free(&a);
	c.machine = "pc";
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_true(has_arg(&a, "i440FX-pcihost.pci-hole64-size=0"));
	vm_argv_free(&a);

	ovmf.code = NULL;
	assert_int_equal(vm_qemu_argv(&c, &a), -EINVAL);
	assert_null(a.argv);
}

/* A fetched stack: chroot ROOT first; the IGD over vfio-user in QEMU
 * 11.1's JSON form (the path JSON-escaped); over the proxy a romfile=. */
static void test_qemu_argv_vfio_user_chroot(void **state)
{
	struct vm_qemu_config c = {
		.chroot = "/usr/sbin/chroot",
		.root = "/cache/trixie",
		.qemu = "/usr/bin/qemu-system-x86_64",
		.machine = "pc",
		.bios = "/usr/share/seabios/bios-256k.bin",
		.kernel = "/run/igdpt-vm.x/probe.elf",
		.mem_mib = 128,
		.igd_fd = -1,
		.vfio_user_socket = "/run/igdpt-vm.x/a\"b.sock",
		.lpc_fd = -1,
		.fw_log = "/run/igdpt-vm.x/fw.log",
		.serial_log = "/run/igdpt-vm.x/serial.log",
	};
	struct vm_argv a = { 0 };

	(void)state;
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_string_equal(a.argv[0], "/usr/sbin/chroot");
	assert_string_equal(a.argv[1], "/cache/trixie");
	assert_string_equal(a.argv[2], "/usr/bin/qemu-system-x86_64");
	assert_true(has_arg(&a, "{\"driver\":\"vfio-user-pci\",\"addr\":\"02.0\",\"socket\":"
				"{\"type\":\"unix\",\"path\":\"/run/igdpt-vm.x/a\\\"b.sock\"}}"));
	assert_false(has_arg(&a, "x-pci-proxy-dev,addr=02.0,fd=-1"));
	vm_argv_free(&a);

	/* The proxy with the ROM QEMU must map itself (a comma doubled). */
	c.chroot = c.root = NULL;
	c.igd_fd = 7;
	c.romfile = "/tmp/r,1/igdpt-efi.rom";
	assert_int_equal(vm_qemu_argv(&c, &a), 0);
	assert_string_equal(a.argv[0], "/usr/bin/qemu-system-x86_64");
	assert_true(has_arg(&a, "x-pci-proxy-dev,addr=02.0,fd=7,romfile=/tmp/r,,1/igdpt-efi.rom"));
	vm_argv_free(&a);

	/* chroot without a root is a caller's mistake. */
	c.chroot = "/usr/sbin/chroot";
	assert_int_equal(vm_qemu_argv(&c, &a), -EINVAL);
}

/* A short query's output, bounded; a child that hangs is killed. */
static int never(void)
{
	return 0;
}

static void test_capture(void **state)
{
	char *const echo[] = { "/bin/sh", "-c", "echo 'QEMU emulator version 7.2.22'; echo x >&2",
			       NULL };
	char *const hang[] = { "/bin/sleep", "30", NULL };
	char out[16], err[256];
	int status = -1;
	double t0;

	(void)state;
	assert_int_equal(vm_proc_capture(echo, out, sizeof(out), 10, never, &status, err,
					 sizeof(err)), 0);
	/* Cut to the buffer, NUL-terminated; stderr not mixed in. */
	assert_string_equal(out, "QEMU emulator v");
	assert_int_equal(status, 0);
	t0 = vm_now();
	assert_int_equal(vm_proc_capture(hang, out, sizeof(out), 0.3, NULL, &status, err,
					 sizeof(err)), -ETIMEDOUT);
	assert_non_null(strstr(err, "did not end within"));
	assert_true(vm_now() - t0 < 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_deadline_and_kill),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_own_process_group),
		cmocka_unit_test(test_qemu_escape),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_fds_and_output),
		cmocka_unit_test(test_qemu_argv),
		cmocka_unit_test(test_qemu_argv_ovmf),
		cmocka_unit_test(test_qemu_argv_vfio_user_chroot),
		cmocka_unit_test(test_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
