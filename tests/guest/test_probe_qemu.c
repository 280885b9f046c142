/* SPDX-License-Identifier: MIT */
/* igdpt-probe.elf under real QEMU + SeaBIOS: without an IGD, and with
 * igdpt-device serving 00:02.0 through x-pci-proxy-dev (a socketpair),
 * SeaBIOS placing fw_cfg etc/igd-opregion and the probe judging it.
 * argv: PROBE_ELF IGDPT [IGDPT_DEVICE]; the device cases skip without the last. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/probe_report.h"
#include "probe_test_util.h"

#define RUN_TIMEOUT_S 60
#define MAX_ARGS 64

static const char *probe_elf, *igdpt_exe, *device_exe, *corpus_opregion, *corpus_dir;

struct run {
	char dir[256];
	char serial[512], fwlog[512], devlog[512];
	const char *machine;
	const char *image;       /* fw_cfg etc/igd-opregion, NULL for none */
	const char *device_args[8];
	const char *bdsm_file;   /* fw_cfg etc/igd-bdsm-size */
	int qemu_status;         /* QEMU's exit status */
	int device_status;
	struct json_object *verdict;
};

static int setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	snprintf(r->dir, sizeof(r->dir), "/tmp/igdpt-probe-qemu-XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->serial, sizeof(r->serial), "%s/serial.log", r->dir);
	snprintf(r->fwlog, sizeof(r->fwlog), "%s/firmware.log", r->dir);
	snprintf(r->devlog, sizeof(r->devlog), "%s/device.log", r->dir);
	r->machine = "pc";
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct run *r = *state;

	json_object_put(r->verdict);
	probe_test_rmtree(r->dir);
	free(r);
	return 0;
}

static pid_t spawn(char *const argv[], int keep_fd)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		/* QEMU's fw_cfg prefix warning and the like: not test output. */
		dup2(null, STDIN_FILENO);
		dup2(null, STDERR_FILENO);
		if (keep_fd >= 0)
			fcntl(keep_fd, F_SETFD, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Waits up to the deadline, killing the process after it. */
static int wait_status(pid_t pid, time_t deadline)
{
	int status;

	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG);

		if (got == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("process %d did not finish in %d s", (int)pid, RUN_TIMEOUT_S);
		}
		usleep(20000);
	}
}

static void boot(struct run *r)
{
	char fd_arg[64], fw_cfg[600], bdsm[600], chardev[600], serial[600];
	const char *argv[MAX_ARGS];
	int sv[2] = { -1, -1 }, n = 0;
	pid_t device = -1, qemu;
	time_t deadline = time(NULL) + RUN_TIMEOUT_S;

#define ARG(x) (argv[n++] = (x))
	if (r->device_args[0]) {
		char dev_fd[16];
		const char *dargv[MAX_ARGS];
		int m = 0;

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
		snprintf(dev_fd, sizeof(dev_fd), "%d", sv[0]);
		dargv[m++] = device_exe;
		dargv[m++] = "--igd-fd";
		dargv[m++] = dev_fd;
		dargv[m++] = "--log";
		dargv[m++] = r->devlog;
		for (int i = 0; r->device_args[i]; i++)
			dargv[m++] = r->device_args[i];
		dargv[m] = NULL;
		device = spawn((char *const *)dargv, sv[0]);
		close(sv[0]);
	}
	ARG("qemu-system-x86_64");
	ARG("-machine"); ARG(r->machine);
	ARG("-accel"); ARG("tcg");
	ARG("-m"); ARG("128M");
	ARG("-object"); ARG("memory-backend-memfd,id=ram,size=128M,share=on");
	ARG("-numa"); ARG("node,memdev=ram");
	ARG("-nodefaults"); ARG("-nographic"); ARG("-vga"); ARG("none");
	ARG("-bios"); ARG("/usr/share/seabios/bios-256k.bin");
	ARG("-kernel"); ARG(probe_elf);
	if (sv[1] >= 0) {
		snprintf(fd_arg, sizeof(fd_arg), "x-pci-proxy-dev,addr=02.0,fd=%d", sv[1]);
		ARG("-device"); ARG(fd_arg);
	}
	if (r->image) {
		snprintf(fw_cfg, sizeof(fw_cfg), "name=etc/igd-opregion,file=%s", r->image);
		ARG("-fw_cfg"); ARG(fw_cfg);
	}
	if (r->bdsm_file) {
		snprintf(bdsm, sizeof(bdsm), "name=etc/igd-bdsm-size,file=%s", r->bdsm_file);
		ARG("-fw_cfg"); ARG(bdsm);
	}
	snprintf(chardev, sizeof(chardev), "file,id=fw,path=%s", r->fwlog);
	ARG("-chardev"); ARG(chardev);
	ARG("-device"); ARG("isa-debugcon,iobase=0x402,chardev=fw");
	snprintf(serial, sizeof(serial), "file:%s", r->serial);
	ARG("-serial"); ARG(serial);
	ARG("-device"); ARG("isa-debug-exit,iobase=0xf4,iosize=0x04");
	ARG("-no-reboot");
	argv[n] = NULL;
#undef ARG
	qemu = spawn((char *const *)argv, sv[1]);
	if (sv[1] >= 0)
		close(sv[1]);
	r->qemu_status = wait_status(qemu, deadline);
	if (device > 0)
		r->device_status = wait_status(device, deadline);
}

/* The verdict line from the serial log, parsed. */
static void read_verdict(struct run *r)
{
	static const char prefix[] = IGDPT_PROBE_LINE_PREFIX;
	char line[8192];
	FILE *f = fopen(r->serial, "r");
	int lines = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		lines++;
		r->verdict = json_tokener_parse(line + strlen(prefix));
		probe_test_schema_check("probe-line", line + strlen(prefix));
	}
	fclose(f);
	assert_int_equal(lines, 1);
	assert_non_null(r->verdict);
}

static bool file_contains(const char *path, const char *text)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, text) != NULL;
}

static void need_device(void)
{
	if (!device_exe || access(device_exe, X_OK))
		skip();
}

static void test_no_igd(void **state)
{
	struct run *r = *state;

	boot(r);
	assert_int_equal(r->qemu_status, 3); /* isa-debug-exit 1: fail */
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "probe"), "multiboot");
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "fail");
	assert_string_equal(probe_test_field(r->verdict, "reason"),
			    "no Intel display device (vendor 8086, class 03xx) on bus 0");
}

static void test_pass(void **state)
{
	struct run *r = *state;

	need_device();
	r->image = corpus_opregion;
	r->device_args[0] = "--generation";
	r->device_args[1] = "9";
	r->device_args[2] = "--image";
	r->device_args[3] = corpus_opregion;
	boot(r);
	assert_int_equal(r->qemu_status, 1); /* isa-debug-exit 0: pass */
	assert_int_equal(r->device_status, 0);
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "pass");
	assert_string_equal(probe_test_field(r->verdict, "igd"), "00:02.0");
	assert_string_equal(probe_test_field(r->verdict, "device"), "0x5916");
	assert_string_equal(probe_test_field(r->verdict, "memmap.type"), "reserved");
	assert_string_equal(probe_test_field(r->verdict, "i915.verdict"), "ok");
	assert_string_equal(probe_test_field(r->verdict, "i915.vbt_source"), "mailbox4");
	assert_string_equal(probe_test_field(r->verdict, "fw_cfg.identical"), "true");
	/* SeaBIOS and the device saw the same address the probe did. */
	{
		char text[128];

		snprintf(text, sizeof(text), "Intel IGD OpRegion enabled at 0x%08lx",
			 strtoul(probe_test_field(r->verdict, "asls"), NULL, 16));
		assert_true(file_contains(r->fwlog, text));
	}
	assert_true(file_contains(r->devlog, "\"guest_copy\":\"identical\""));
}

static void test_pass_q35_with_bdsm(void **state)
{
	struct run *r = *state;
	char path[512];
	const uint8_t size[8] = { 0, 0, 0x80, 0, 0, 0, 0, 0 }; /* 8 MiB, LE */
	FILE *f;

	need_device();
	snprintf(path, sizeof(path), "%s/bdsm-size", r->dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(size, 1, sizeof(size), f), sizeof(size));
	fclose(f);
	r->machine = "q35";
	r->image = corpus_opregion;
	r->bdsm_file = path;
	r->device_args[0] = "--generation";
	r->device_args[1] = "9";
	r->device_args[2] = "--stolen-size";
	r->device_args[3] = "8388608";
	r->device_args[4] = "--image";
	r->device_args[5] = corpus_opregion;
	boot(r);
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "pass");
	assert_int_equal(r->qemu_status, 1);
	assert_string_equal(probe_test_field(r->verdict, "bdsm.requested"), "8388608");
	assert_string_equal(probe_test_field(r->verdict, "bdsm.register"), "0x5c");
	assert_string_equal(probe_test_field(r->verdict, "bdsm.aligned"), "true");
	assert_string_equal(probe_test_field(r->verdict, "bdsm.reserved"), "true");
}

static void test_no_opregion(void **state)
{
	struct run *r = *state;

	need_device();
	r->device_args[0] = "--generation";
	r->device_args[1] = "9";
	boot(r);
	assert_int_equal(r->qemu_status, 5); /* isa-debug-exit 2: no-opregion */
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "no-opregion");
	assert_string_equal(probe_test_field(r->verdict, "reason"),
			    "ASLS is 0: firmware placed no OpRegion");
	assert_string_equal(probe_test_field(r->verdict, "asls"), "0x00000000");
}

static void test_broken_image(void **state)
{
	struct run *r = *state;
	uint8_t image[IGDPT_OPREGION_BASE_SIZE];
	char path[512];
	FILE *f;

	need_device();
	/* Break the BDB signature: i915 6.1 does not look at it, igdpt does. */
	f = fopen(corpus_opregion, "rb");
	assert_non_null(f);
	assert_int_equal(fread(image, 1, sizeof(image), f), sizeof(image));
	fclose(f);
	image[IGDPT_MBOX4_OFFSET + IGDPT_VBT_HEADER_SIZE] = 'b';
	snprintf(path, sizeof(path), "%s/broken.bin", r->dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(image, 1, sizeof(image), f), sizeof(image));
	fclose(f);
	r->image = path;
	r->device_args[0] = "--generation";
	r->device_args[1] = "9";
	r->device_args[2] = "--image";
	r->device_args[3] = path;
	boot(r);
	assert_int_equal(r->qemu_status, 3);
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "fail");
	assert_string_equal(probe_test_field(r->verdict, "reason"),
			    "BDB signature is not \"BIOS_DATA_BLOCK \" at 0x430");
	assert_string_equal(probe_test_field(r->verdict, "i915.verdict"), "ok");
	assert_string_equal(probe_test_field(r->verdict, "fw_cfg.identical"), "true");
}

static void test_pass_extended_vbt(void **state)
{
	struct run *r = *state;
	char image[512], vbt[4096];
	char *const build[] = {
		(char *)igdpt_exe, "build", "--vbt", vbt, "--opregion-version", "2.1", "--guest",
		"-o", image, NULL,
	};

	need_device();
	/* A Tiger Lake VBT (8571 bytes) needs RVDA: igdpt builds a 2.1 image. */
	snprintf(vbt, sizeof(vbt), "%s/vbt/cb-system76-tgl-u-galp5.vbt", corpus_dir);
	snprintf(image, sizeof(image), "%s/tgl-2.1.bin", r->dir);
	assert_int_equal(wait_status(spawn(build, -1), time(NULL) + RUN_TIMEOUT_S), 0);
	r->image = image;
	r->device_args[0] = "--generation";
	r->device_args[1] = "12";
	r->device_args[2] = "--image";
	r->device_args[3] = image;
	boot(r);
	assert_int_equal(r->qemu_status, 1);
	read_verdict(r);
	assert_string_equal(probe_test_field(r->verdict, "verdict"), "pass");
	assert_string_equal(probe_test_field(r->verdict, "device"), "0x9a49");
	assert_string_equal(probe_test_field(r->verdict, "opregion.version"), "2.1.0");
	assert_string_equal(probe_test_field(r->verdict, "opregion.vbt_source"), "rvda");
	assert_string_equal(probe_test_field(r->verdict, "opregion.vbt_size"), "8571");
	assert_string_equal(probe_test_field(r->verdict, "i915.vbt_source"), "rvda");
	assert_string_equal(probe_test_field(r->verdict, "fw_cfg.opregion_size"), "16896");
	assert_string_equal(probe_test_field(r->verdict, "fw_cfg.identical"), "true");
	assert_true(file_contains(r->fwlog, "size 16KB, dev 00:02.0"));
}

int main(int argc, char **argv)
{
	static char opregion_path[4096];
	const char *corpus = getenv("IGDPT_CORPUS");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_no_igd),
		T(test_pass),
		T(test_pass_q35_with_bdsm),
		T(test_pass_extended_vbt),
		T(test_no_opregion),
		T(test_broken_image),
#undef T
	};

	if (argc < 3 || !corpus) {
		fprintf(stderr, "usage: IGDPT_CORPUS=DIR %s PROBE_ELF IGDPT [IGDPT_DEVICE]\n",
			argv[0]);
		return 2;
	}
	probe_elf = argv[1];
	igdpt_exe = argv[2];
	device_exe = argc > 3 ? argv[3] : NULL;
	corpus_dir = corpus;
	snprintf(opregion_path, sizeof(opregion_path),
		 "%s/opregion/rikka0w0-qemu-gvt-d-opregion.bin", corpus);
	corpus_opregion = opregion_path;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
