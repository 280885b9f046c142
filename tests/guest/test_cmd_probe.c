/* SPDX-License-Identifier: MIT */
/* `igdpt probe --root DIR` against fake Linux guest trees: sysfs config
 * space, the firmware memory map, fw_cfg files and a sparse file standing in
 * for /dev/mem with a real OpRegion at ASLS. Runs the real igdpt binary
 * (argv[1]) and checks its exit status and JSON verdict. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/core/bytes.h"
#include "probe_test_util.h"

#define ASLS 0x7ffe000u
#define RESERVED_START 0x7fde000u
#define RAM_ASLS 0x2000000u
#define STOLEN 0x6700000u
#define IGD_DIR "sys/bus/pci/devices/0000:00:02.0"
#define FW_CFG_DIR "sys/firmware/qemu_fw_cfg/by_name/"

static const char *igdpt_path;
static uint8_t opregion[IGDPT_OPREGION_BASE_SIZE];

struct tree {
	char root[256];
	char out[8192];
	int status;
	struct json_object *verdict;
};

static void mkdirs(const char *path)
{
	char tmp[1024];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(tmp, 0755);
		*p = '/';
	}
}

/* Writes data at offset of ROOT/rel, creating directories. */
static void put(struct tree *t, const char *rel, const void *data, size_t len, off_t offset)
{
	char path[1024];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	mkdirs(path);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, data, len, offset), (ssize_t)len);
	close(fd);
}

static void put_text(struct tree *t, const char *rel, const char *text)
{
	put(t, rel, text, strlen(text), 0);
}

static void remove_file(struct tree *t, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", t->root, rel);
	assert_int_equal(unlink(path), 0);
}

/* Config space of an IGD (or another device) with ASLS and BDSM. */
static void put_config(struct tree *t, const char *dir, uint16_t vendor, uint16_t class_code,
		       uint32_t asls, uint32_t bdsm, size_t size)
{
	uint8_t cfg[256] = { 0 };
	char rel[256];

	igdpt_put_le16(cfg, vendor);
	igdpt_put_le16(cfg + 2, 0x5916);
	cfg[0x0A] = (uint8_t)class_code;
	cfg[0x0B] = (uint8_t)(class_code >> 8);
	igdpt_put_le32(cfg + IGDPT_PCI_BDSM_OFFSET, bdsm);
	igdpt_put_le32(cfg + IGDPT_PCI_ASLS_OFFSET, asls);
	snprintf(rel, sizeof(rel), "%s/config", dir);
	put(t, rel, cfg, size, 0);
}

static void put_memmap_entry(struct tree *t, int n, uint64_t start, uint64_t end,
			     const char *type)
{
	char rel[256], text[64];

	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%d/start", n);
	snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)start);
	put_text(t, rel, text);
	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%d/end", n);
	snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)end);
	put_text(t, rel, text);
	snprintf(rel, sizeof(rel), "sys/firmware/memmap/%d/type", n);
	snprintf(text, sizeof(text), "%s\n", type);
	put_text(t, rel, text);
}

/* The guest SeaBIOS makes with 128 MiB, an OpRegion and 8 MiB stolen. */
static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->root, sizeof(t->root), "/tmp/igdpt-probe-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	put_config(t, IGD_DIR, IGDPT_PCI_VENDOR_INTEL, IGDPT_PCI_CLASS_DISPLAY_VGA, ASLS,
		   STOLEN | IGDPT_BDSM_LOCK, 256);
	/* Another display device, not Intel: must be skipped. */
	put_config(t, "sys/bus/pci/devices/0000:00:01.0", 0x1234, IGDPT_PCI_CLASS_DISPLAY_VGA,
		   0, 0, 256);
	put_memmap_entry(t, 0, 0, 0x9fbff, "System RAM");
	put_memmap_entry(t, 1, 0x9fc00, 0x9ffff, "Reserved");
	put_memmap_entry(t, 2, 0x100000, STOLEN - 1, "System RAM");
	put_memmap_entry(t, 3, STOLEN, STOLEN + 0x7fffff, "Reserved");
	put_memmap_entry(t, 4, STOLEN + 0x800000, RESERVED_START - 1, "System RAM");
	put_memmap_entry(t, 5, RESERVED_START, 0x7ffffff, "Reserved");
	put_memmap_entry(t, 6, 0xfffc0000, 0xffffffff, "Reserved");
	/* /dev/mem: sparse, 128 MiB, the OpRegion at ASLS. */
	put(t, "dev/mem", opregion, sizeof(opregion), ASLS);
	put(t, "dev/mem", "", 1, 0x7ffffff);
	put(t, FW_CFG_DIR IGDPT_FW_CFG_OPREGION_FILE "/raw", opregion, sizeof(opregion), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	json_object_put(t->verdict);
	probe_test_rmtree(t->root);
	free(t);
	return 0;
}

/* A --json verdict is one line in igdpt's JSON dialect, as
 * docs/schema/probe.schema.json describes it (tests/lib/schema_check.py). */
static void check_schema(const struct tree *t)
{
	const char *newline = strchr(t->out, '\n');

	/* One line: the Linux guest's /init prefixes it for igdpt vm. */
	assert_non_null(newline);
	assert_int_equal(newline[1], 0);
	assert_string_equal(probe_test_field(t->verdict, "kind"), "probe");
	assert_non_null(probe_test_field(t->verdict, "igdpt_version"));
	probe_test_schema_check("probe", t->out);
}

/* Runs igdpt probe [--json] --root ROOT; stdout into t->out. */
static void run(struct tree *t, int json)
{
	int pipefd[2];
	pid_t pid;
	size_t have = 0;
	ssize_t n;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		if (json)
			execl(igdpt_path, igdpt_path, "probe", "--json", "--root", t->root, (char *)NULL);
		else
			execl(igdpt_path, igdpt_path, "probe", "--root", t->root, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], t->out + have, sizeof(t->out) - 1 - have)) > 0)
		have += (size_t)n;
	close(pipefd[0]);
	t->out[have] = 0;
	assert_int_equal(waitpid(pid, &t->status, 0), pid);
	assert_true(WIFEXITED(t->status));
	t->status = WEXITSTATUS(t->status);
	json_object_put(t->verdict);
	t->verdict = json ? json_tokener_parse(t->out) : NULL;
	if (json && t->status < 2) {
		assert_non_null(t->verdict);
		check_schema(t);
	}
}

static void test_pass(void **state)
{
	struct tree *t = *state;

	run(t, 1);
	assert_int_equal(t->status, 0);
	assert_string_equal(probe_test_field(t->verdict, "probe"), "linux");
	assert_string_equal(probe_test_field(t->verdict, "verdict"), "pass");
	assert_string_equal(probe_test_field(t->verdict, "igd"), "00:02.0");
	assert_string_equal(probe_test_field(t->verdict, "asls"), "0x07ffe000");
	assert_string_equal(probe_test_field(t->verdict, "memmap.type"), "reserved");
	assert_string_equal(probe_test_field(t->verdict, "memmap.start"), "0x07fde000");
	assert_string_equal(probe_test_field(t->verdict, "memmap.end"), "0x07ffffff");
	assert_string_equal(probe_test_field(t->verdict, "opregion.vbt_source"), "mailbox4");
	assert_string_equal(probe_test_field(t->verdict, "i915.verdict"), "ok");
	assert_string_equal(probe_test_field(t->verdict, "fw_cfg.identical"), "true");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.value"), "0x06700001");
	/* No etc/igd-bdsm-size: the register is reported, never failed. */
	assert_string_equal(probe_test_field(t->verdict, "bdsm.requested"), "0");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.reserved"), "true");
	/* One line, no prefix */
	assert_non_null(strchr(t->out, '\n'));
	assert_int_equal(strchr(t->out, '\n')[1], 0);

	run(t, 0);
	assert_int_equal(t->status, 0);
	assert_non_null(strstr(t->out, "pass: OpRegion at 0x7ffe000 is valid"));
	assert_non_null(strstr(t->out, "i915 6.1   ok (VBT from mailbox4)"));
}

static void test_asls_zero(void **state)
{
	struct tree *t = *state;

	put_config(t, IGD_DIR, IGDPT_PCI_VENDOR_INTEL, IGDPT_PCI_CLASS_DISPLAY_VGA, 0, 0, 256);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "verdict"), "no-opregion");
	assert_string_equal(probe_test_field(t->verdict, "reason"),
			    "ASLS is 0: firmware placed no OpRegion although "
			    "fw_cfg etc/igd-opregion offers one");
	assert_string_equal(probe_test_field(t->verdict, "i915.verdict"), "no-opregion");
}

static void test_asls_in_ram_refused(void **state)
{
	struct tree *t = *state;

	put_config(t, IGD_DIR, IGDPT_PCI_VENDOR_INTEL, IGDPT_PCI_CLASS_DISPLAY_VGA, RAM_ASLS, 0, 256);
	/* Without /dev/mem any read attempt would be an I/O error (exit 2). */
	remove_file(t, "dev/mem");
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "verdict"), "fail");
	assert_string_equal(probe_test_field(t->verdict, "reason"),
			    "ASLS 0x2000000 not inside a reserved or ACPI NVS range");
	assert_string_equal(probe_test_field(t->verdict, "memmap.type"), "ram");
	assert_null(probe_test_field(t->verdict, "i915"));
}

static void test_bad_signature(void **state)
{
	struct tree *t = *state;

	put(t, "dev/mem", "IntelGraphicsMEM", 16, ASLS);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "reason"),
			    "OpRegion signature is not \"IntelGraphicsMem\" at 0x0");
	assert_string_equal(probe_test_field(t->verdict, "i915.verdict"), "signature-mismatch");
}

static void test_fw_cfg_mismatch(void **state)
{
	struct tree *t = *state;
	uint8_t byte = opregion[0x500] ^ 0xff;

	put(t, "dev/mem", &byte, 1, ASLS + 0x500);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "reason"),
			    "guest copy differs from fw_cfg etc/igd-opregion at 0x500");
	assert_string_equal(probe_test_field(t->verdict, "fw_cfg.identical"), "false");
	/* An offset into the image: a number (docs/json.md). */
	assert_string_equal(probe_test_field(t->verdict, "fw_cfg.differs_at"), "1280");
	assert_string_equal(probe_test_field(t->verdict, "fw_cfg.runtime_only"), "false");
}

static void test_runtime_writes_pass(void **state)
{
	struct tree *t = *state;
	uint8_t one = 0x55;

	/* i915 rewrote DRDY after boot: reported, not a failure. */
	put(t, "dev/mem", &one, 1, ASLS + IGDPT_MBOX1_DRDY_OFFSET);
	run(t, 1);
	assert_int_equal(t->status, 0);
	assert_string_equal(probe_test_field(t->verdict, "fw_cfg.runtime_only"), "true");
}

static void test_iomem_fallback_and_bdsm(void **state)
{
	struct tree *t = *state;
	char cmd[512];
	uint8_t size[8];
	const char *iomem =
		"00000000-00000fff : Reserved\n"
		"00001000-0009fbff : System RAM\n"
		"000a0000-000bffff : PCI Bus 0000:00\n"
		"00100000-066fffff : System RAM\n"
		"  01000000-01ffffff : Kernel code\n"
		"06700000-06efffff : Reserved\n"
		"06f00000-07fddfff : System RAM\n"
		"07fde000-07ffffff : Reserved\n"
		"fec00000-fec003ff : IOAPIC 0\n";

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/firmware/memmap'", t->root);
	assert_int_equal(system(cmd), 0);
	put_text(t, "proc/iomem", iomem);
	igdpt_put_le64(size, 0x800000);
	put(t, FW_CFG_DIR IGDPT_FW_CFG_BDSM_SIZE_FILE "/raw", size, sizeof(size), 0);
	run(t, 1);
	assert_int_equal(t->status, 0);
	assert_string_equal(probe_test_field(t->verdict, "memmap.start"), "0x07fde000");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.requested"), "8388608");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.register"), "0x5c");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.aligned"), "true");
	assert_string_equal(probe_test_field(t->verdict, "bdsm.reserved"), "true");
	run(t, 0);
	assert_non_null(strstr(t->out, "(/proc/iomem)"));
	/* Stolen memory larger than its reserved range */
	igdpt_put_le64(size, 0x1000000);
	put(t, FW_CFG_DIR IGDPT_FW_CFG_BDSM_SIZE_FILE "/raw", size, sizeof(size), 0);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "bdsm.reserved"), "false");
}

static void test_io_errors(void **state)
{
	struct tree *t = *state;

	/* Unprivileged: sysfs shows 64 bytes of config space. */
	put_config(t, IGD_DIR, IGDPT_PCI_VENDOR_INTEL, IGDPT_PCI_CLASS_DISPLAY_VGA, ASLS, 0, 64);
	{
		char path[512];

		snprintf(path, sizeof(path), "%s/" IGD_DIR "/config", t->root);
		assert_int_equal(truncate(path, 64), 0);
	}
	run(t, 1);
	assert_int_equal(t->status, 2);
	put_config(t, IGD_DIR, IGDPT_PCI_VENDOR_INTEL, IGDPT_PCI_CLASS_DISPLAY_VGA, ASLS, 0, 256);
	/* /dev/mem missing although ASLS is reserved: cannot look, exit 2. */
	remove_file(t, "dev/mem");
	run(t, 1);
	assert_int_equal(t->status, 2);
	/* /dev/mem too short: the read past its end fails. */
	put(t, "dev/mem", opregion, 16, ASLS);
	run(t, 1);
	assert_int_equal(t->status, 2);
}

/* An OpRegion without a VBT fails unless sysfs "rom" (what i915 maps)
 * holds one: a video BIOS igdpt rom built from a corpus VBT. */
static void test_no_vbt_and_rom(void **state)
{
	static uint8_t empty[IGDPT_OPREGION_BASE_SIZE];
	struct tree *t = *state;
	char cmd[8192], rom[512];
	struct stat st;

	memcpy(empty, opregion, sizeof(empty));
	memset(empty + IGDPT_MBOX4_OFFSET, 0, IGDPT_MBOX4_SIZE);
	put(t, "dev/mem", empty, sizeof(empty), ASLS);
	put(t, FW_CFG_DIR IGDPT_FW_CFG_OPREGION_FILE "/raw", empty, sizeof(empty), 0);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_non_null(strstr(t->out, "\"warnings\":[\"no-vbt\"]"));
	assert_string_equal(probe_test_field(t->verdict, "i915.vbt_source"), "none");
	assert_string_equal(probe_test_field(t->verdict, "i915.pci_rom.vbt"), "none");
	assert_string_equal(probe_test_field(t->verdict, "i915.pci_rom.from"), "sysfs rom");
	assert_non_null(strstr(probe_test_field(t->verdict, "reason"),
			       "holds none (mailbox 4 empty, no RVDA) and Linux maps no PCI ROM"));

	snprintf(rom, sizeof(rom), "%s/" IGD_DIR "/rom", t->root);
	snprintf(cmd, sizeof(cmd), "'%s' rom --vbt '%s/vbt/fsp-Kabylake-Vbt.vbt' --device-id 0x5916 "
		 "-o '%s' 2>/dev/null", igdpt_path, getenv("IGDPT_CORPUS"), rom);
	assert_int_equal(system(cmd), 0);
	run(t, 1);
	assert_int_equal(t->status, 0);
	assert_string_equal(probe_test_field(t->verdict, "verdict"), "pass");
	assert_string_equal(probe_test_field(t->verdict, "i915.verdict"), "invalid-vbt");
	assert_string_equal(probe_test_field(t->verdict, "i915.vbt_source"), "pci-rom");
	assert_string_equal(probe_test_field(t->verdict, "i915.pci_rom.vbt"), "valid");
	assert_string_equal(probe_test_field(t->verdict, "i915.pci_rom.vbt_offset"), "64");
	/* Readable as it is: the probe never wrote "1" into it. */
	assert_int_equal(stat(rom, &st), 0);
	assert_int_equal(st.st_size, 4608);
	run(t, 0);
	assert_non_null(strstr(t->out, "PCI ROM    valid, 4608 bytes, VBT at 0x40 (sysfs rom)"));

	/* The kernel's EIO: pci_map_rom() found no valid image. A ROM file
	 * that is not a ROM is the same for i915. */
	put(t, IGD_DIR "/rom", "XX", 2, 0);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "i915.pci_rom.vbt"), "none");
}

static void test_no_igd(void **state)
{
	struct tree *t = *state;
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s/" IGD_DIR "'", t->root);
	assert_int_equal(system(cmd), 0);
	run(t, 1);
	assert_int_equal(t->status, 1);
	assert_string_equal(probe_test_field(t->verdict, "reason"),
			    "no Intel display device (vendor 8086, class 03xx) "
			    "in /sys/bus/pci/devices");
	/* Not even a PCI sysfs: an I/O error */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/bus'", t->root);
	assert_int_equal(system(cmd), 0);
	run(t, 1);
	assert_int_equal(t->status, 2);
}

int main(int argc, char **argv)
{
	const char *corpus = getenv("IGDPT_CORPUS");
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_pass),
		T(test_asls_zero),
		T(test_asls_in_ram_refused),
		T(test_bad_signature),
		T(test_fw_cfg_mismatch),
		T(test_runtime_writes_pass),
		T(test_iomem_fallback_and_bdsm),
		T(test_io_errors),
		T(test_no_vbt_and_rom),
		T(test_no_igd),
#undef T
	};
	char path[4096];
	FILE *f;

	if (argc != 2 || !corpus) {
		fprintf(stderr, "usage: IGDPT_CORPUS=DIR %s PATH-TO-igdpt\n", argv[0]);
		return 2;
	}
	igdpt_path = argv[1];
	snprintf(path, sizeof(path), "%s/opregion/rikka0w0-qemu-gvt-d-opregion.bin", corpus);
	f = fopen(path, "rb");
	if (!f || fread(opregion, 1, sizeof(opregion), f) != sizeof(opregion)) {
		fprintf(stderr, "cannot read %s\n", path);
		return 2;
	}
	fclose(f);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
