/* SPDX-License-Identifier: MIT */
/* igdpt-device against real QEMU 7.2 and SeaBIOS.
 *
 * 1. Boot: QEMU realizes x-pci-proxy-dev at 00:02.0 (IGD) and 00:1f.0 (LPC)
 *    on the device's sockets; SeaBIOS enumerates 8086:5916 and the LPC id,
 *    copies etc/igd-opregion into reserved memory, writes ASLS ("Intel IGD
 *    OpRegion enabled at") and BDSM; the device sees the copy identical.
 * 2. QEMU is then killed with SIGKILL mid-boot (SeaBIOS is looking for a boot
 *    disk): the device exits 0 with "closed" and "final" events.
 * 3. QEMU killed at a few earlier moments (during realize, during firmware):
 *    the device still exits 0.
 * The boot runs with igdpt's reference image (igdpt build --reference
 * --guest, when the igdpt tool is given) and with a real OpRegion dump from
 * $IGDPT_CORPUS/opregion. Skips (77) without qemu-system-x86_64 or without
 * any image.
 * usage: test-device-qemu PATH-TO-igdpt-device [PATH-TO-igdpt] */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SKIP 77
#define BOOT_TIMEOUT_MS 60000
#define EXIT_TIMEOUT_MS 10000
#define STOLEN_SIZE (8ull << 20) /* fits SeaBIOS's tmp zone with -m 64M */

static char tmpdir[] = "/tmp/igdpt-device-qemu.XXXXXX";
static const char *device_path;
static const char *image_path;
static char bdsm_file[300];
static char reference[300];

/* Builds igdpt's reference OpRegion as igdpt vm publishes it. 0 or -1. */
static int build_reference(const char *igdpt)
{
	char cmd[1024];

	snprintf(reference, sizeof(reference), "%s/reference.bin", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' build --reference --guest -o '%s'", igdpt, reference);
	if (system(cmd) != 0) {
		reference[0] = 0;
		return -1;
	}
	return 0;
}

static const char *qemu_binary(void)
{
	const char *q = getenv("IGDPT_QEMU");

	return q && *q ? q : "qemu-system-x86_64";
}

static bool qemu_available(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s --version >/dev/null 2>&1", qemu_binary());
	return system(cmd) == 0;
}

/* Starts QEMU with the device's peer sockets; returns its pid. */
static pid_t qemu_start(struct device_run *run, const char *fw_log, const char *out_log)
{
	char igd_dev[64], lpc_dev[64], chardev[400], fwcfg[4200], bdsm[400];
	const char *argv[64];
	unsigned n = 0;
	pid_t pid;

	snprintf(igd_dev, sizeof(igd_dev), "x-pci-proxy-dev,addr=02.0,fd=%d", run->igd);
	snprintf(lpc_dev, sizeof(lpc_dev), "x-pci-proxy-dev,addr=1f.0,fd=%d", run->lpc);
	snprintf(chardev, sizeof(chardev), "file,id=fw,path=%s", fw_log);
	snprintf(fwcfg, sizeof(fwcfg), "name=etc/igd-opregion,file=%s", image_path);
	snprintf(bdsm, sizeof(bdsm), "name=etc/igd-bdsm-size,file=%s", bdsm_file);
	const char *args[] = {
		qemu_binary(), "-machine", "pc", "-accel", "tcg", "-nodefaults", "-nographic",
		"-m", "64M", "-object", "memory-backend-memfd,id=ram,size=64M,share=on",
		"-numa", "node,memdev=ram", "-device", igd_dev, "-device", lpc_dev,
		"-fw_cfg", fwcfg, "-fw_cfg", bdsm, "-chardev", chardev,
		"-device", "isa-debugcon,iobase=0x402,chardev=fw", "-no-reboot", NULL,
	};
	for (; args[n]; n++)
		argv[n] = args[n];
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int out = open(out_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		dup2(out, 1);
		dup2(out, 2);
		fcntl(run->igd, F_SETFD, 0);
		fcntl(run->lpc, F_SETFD, 0);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* Only QEMU may hold these now, or the device never sees it go. */
	device_close_igd(run);
	device_close_lpc(run);
	return pid;
}

static char *slurp(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	char *s;

	if (read_whole(path, &data, &len) < 0)
		return calloc(1, 1);
	s = realloc(data, len + 1);
	s[len] = 0;
	return s;
}

/* Waits until the firmware log holds needle; returns the log (free it). */
static char *wait_for(const char *path, const char *needle, int timeout_ms)
{
	for (int waited = 0;; waited += 50) {
		char *log = slurp(path);

		if (strstr(log, needle) || waited >= timeout_ms)
			return log;
		free(log);
		usleep(50000);
	}
}

static void start_device(struct device_run *run)
{
	const char *extra[] = {"--image", image_path, "--stolen-size", "8M", NULL};

	CHECK(device_start(run, device_path, tmpdir, true, extra) == 0, "cannot start device");
}

static void kill_qemu(pid_t qemu)
{
	int status;

	kill(qemu, SIGKILL);
	waitpid(qemu, &status, 0);
}

static void test_boot_then_kill(void)
{
	printf("image: %s\n", image_path);

	struct device_run run;
	char fw_log[400], out_log[400], want[64];
	struct json_object *events, *ev;
	const char *at;
	char *log;
	unsigned long asls = 0, bdsm = 0;
	pid_t qemu;
	int status;

	snprintf(fw_log, sizeof(fw_log), "%s/fw.log", tmpdir);
	snprintf(out_log, sizeof(out_log), "%s/qemu.log", tmpdir);
	start_device(&run);
	qemu = qemu_start(&run, fw_log, out_log);
	/* 00:1f.0 is initialized after 00:02.0, so both IGD lines are out. */
	log = wait_for(fw_log, "init bdf=00:1f.0", BOOT_TIMEOUT_MS);
	at = strstr(log, "Intel IGD OpRegion enabled at");
	CHECK(at && sscanf(at, "Intel IGD OpRegion enabled at 0x%lx", &asls) == 1,
	      "SeaBIOS did not place the OpRegion; firmware log:\n%s", log);
	CHECK(strstr(log, "init bdf=00:02.0 id=8086:5916"), "SeaBIOS did not see 8086:5916");
	CHECK(strstr(log, "init bdf=00:1f.0 id=8086:9d58"), "SeaBIOS did not see the LPC bridge");
	CHECK(strstr(log, "size 8KB, dev 00:02.0"), "OpRegion line incomplete");
	at = strstr(log, "Intel IGD BDSM enabled at");
	CHECK(at && sscanf(at, "Intel IGD BDSM enabled at 0x%lx", &bdsm) == 1,
	      "SeaBIOS did not place stolen memory");
	free(log);
	/* Mid-boot: SeaBIOS is past PCI init, looking for something to boot. */
	kill_qemu(qemu);
	status = device_wait(&run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "device after QEMU was killed: status 0x%x", status);

	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_START, IGDPT_EV_DEVICE_ID, "0x5916") == 1, "start event");
	CHECK(log_count(events, IGDPT_EV_START, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_LPC) == 1,
	      "LPC start event");
	CHECK(log_count(events, IGDPT_EV_SYSMEM, NULL, NULL) >= 1, "no sysmem event");
	snprintf(want, sizeof(want), "0x%lx", asls);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_VALUE, want) >= 1,
	      "no asls_write of %s", want);
	ev = log_last(events, IGDPT_EV_ASLS_WRITE);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL),
	      "guest copy at ASLS is not identical");
	snprintf(want, sizeof(want), "0x%lx", bdsm);
	CHECK(log_count(events, IGDPT_EV_BDSM_WRITE, IGDPT_EV_VALUE, want) == 1,
	      "no bdsm_write of %s", want);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, NULL, NULL) == 0,
	      "QEMU caused a protocol_error");
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_PEER) == 2,
	      "closed events");
	ev = log_last(events, IGDPT_EV_FINAL);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL),
	      "final guest_copy");
	snprintf(want, sizeof(want), "0x%lx", asls);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_ASLS), want), "final asls");
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_HOST_IMAGE_UNCHANGED),
	      "true"), "host image changed");
	json_object_put(events);
	printf("ok boot: OpRegion at 0x%lx, BDSM at 0x%lx, guest copy identical, "
	       "device exited 0 after QEMU was killed\n", asls, bdsm);
	unlink(run.log);
	unlink(fw_log);
	unlink(out_log);
}

static void test_early_kill(int delay_ms)
{
	struct device_run run;
	char fw_log[400], out_log[400];
	struct json_object *events;
	pid_t qemu;
	int status;

	snprintf(fw_log, sizeof(fw_log), "%s/fw-%d.log", tmpdir, delay_ms);
	snprintf(out_log, sizeof(out_log), "%s/qemu-%d.log", tmpdir, delay_ms);
	start_device(&run);
	qemu = qemu_start(&run, fw_log, out_log);
	usleep((useconds_t)delay_ms * 1000);
	kill_qemu(qemu);
	status = device_wait(&run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "QEMU killed after %d ms: device status 0x%x", delay_ms, status);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_FINAL, NULL, NULL) == 1,
	      "killed after %d ms: no final", delay_ms);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, NULL, NULL) == 0,
	      "killed after %d ms: protocol_error", delay_ms);
	json_object_put(events);
	printf("ok QEMU killed after %d ms: device exited 0\n", delay_ms);
	unlink(run.log);
	unlink(fw_log);
	unlink(out_log);
}

int main(int argc, char **argv)
{
	uint8_t size_le[8];
	FILE *f;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s PATH-TO-igdpt-device [PATH-TO-igdpt]\n", argv[0]);
		return 2;
	}
	device_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!qemu_available()) {
		printf("SKIP: %s not runnable\n", qemu_binary());
		return SKIP;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (argc == 3 && build_reference(argv[2]) < 0) {
		fprintf(stderr, "igdpt build --reference failed\n");
		return 1;
	}
	image_path = reference_image();
	if (!image_path && !reference[0]) {
		printf("SKIP: no OpRegion image (set IGDPT_CORPUS or IGDPT_REFERENCE_IMAGE)\n");
		return SKIP;
	}
	/* etc/igd-bdsm-size: the stolen size as a little-endian u64. */
	snprintf(bdsm_file, sizeof(bdsm_file), "%s/bdsm-size", tmpdir);
	for (unsigned i = 0; i < sizeof(size_le); i++)
		size_le[i] = (uint8_t)(STOLEN_SIZE >> (8 * i));
	f = fopen(bdsm_file, "we");
	if (!f || fwrite(size_le, 1, sizeof(size_le), f) != sizeof(size_le)) {
		perror(bdsm_file);
		return 1;
	}
	fclose(f);
	if (reference[0]) {
		const char *corpus_image = image_path;

		image_path = reference;
		test_boot_then_kill();
		image_path = corpus_image;
	}
	if (image_path)
		test_boot_then_kill();
	if (!image_path)
		image_path = reference;
	test_early_kill(0);
	test_early_kill(100);
	test_early_kill(300);

	unlink(bdsm_file);
	if (reference[0])
		unlink(reference);
	rmdir(tmpdir);
	if (harness_failures) {
		fprintf(stderr, "%d check(s) failed\n", harness_failures);
		return 1;
	}
	printf("all QEMU checks passed\n");
	return 0;
}
