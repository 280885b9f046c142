/* SPDX-License-Identifier: MIT */
/* Robustness of the igdpt-device process against a hostile or broken peer.
 *
 * Each malformed message (unknown command, oversize or truncated message,
 * wrong fd counts, config accesses past 4 KiB or with odd lengths, bad BAR
 * sizes, unusable SYNC_SYSMEM regions) must end that connection only, with a
 * protocol_error event, while the LPC connection of the same process keeps
 * working. Random hostile config and BAR traffic must never crash the
 * device nor change a byte of the guest RAM memfd it has mapped (strategy
 * 4b); with strategy 1b the only change is the documented OpRegion copy.
 * A peer that shrinks its memfd after SYNC_SYSMEM does not kill the device
 * (issue 13: it died of SIGBUS when it touched the truncated range).
 * usage: test-device-robustness PATH-TO-igdpt-device */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "igdpt/abi/guest.h"
#include "model/pci_regs.h"

#define RAM_SIZE (16ull << 20)
#define CLOSE_TIMEOUT_MS 5000
#define EXIT_TIMEOUT_MS 10000
#define RANDOM_OPS 20000
#define BAR0_BASE 0xFD000000u
#define BAR2_BASE 0xE0000000u
#define BAR4_BASE 0xC000u
#define EXIT_PROTOCOL 2

static const char *device_path;
static char tmpdir[] = "/tmp/igdpt-device-test.XXXXXX";
static const char *image_path;
static uint8_t *image;
static size_t image_size;

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static const char *const base_args[] = {NULL};

static void start(struct device_run *run, const char *strategy)
{
	const char *extra[] = {"--image", image_path, "--strategy", strategy, NULL};

	CHECK(device_start(run, device_path, tmpdir, true, extra) == 0, "cannot start %s",
	      device_path);
}

/* The device exits by itself once both peers are gone; returns its status. */
static int finish(struct device_run *run)
{
	int status;

	device_close_igd(run);
	device_close_lpc(run);
	status = device_wait(run, EXIT_TIMEOUT_MS);
	CHECK(status != -1, "device did not exit after its peers closed");
	CHECK(status == -1 || WIFEXITED(status), "device died of signal %d",
	      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
}

/* The final event says the host image is unchanged. */
static void check_final(struct json_object *events, const char *what)
{
	struct json_object *final = log_last(events, IGDPT_EV_FINAL);
	struct json_object *v;

	CHECK(final != NULL, "%s: no final event", what);
	CHECK(final && json_object_object_get_ex(final, IGDPT_EV_HOST_IMAGE_UNCHANGED, &v) &&
		      json_object_get_boolean(v),
	      "%s: host image reported changed", what);
}

typedef void (*bad_sender)(int sock);

static void send_bytes(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds)
{
	int ret = igdpt_proxy_send(sock, buf, len, fds, nfds);

	CHECK(ret == 0 || ret == -EPIPE || ret == -ECONNRESET, "send failed: %s", strerror(-ret));
}

static void bad_unknown_cmd(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];

	send_bytes(sock, buf, igdpt_proxy_encode(buf, 99, NULL, 0), NULL, 0);
}

static void bad_negative_cmd(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];

	send_bytes(sock, buf, igdpt_proxy_encode(buf, -7, NULL, 0), NULL, 0);
}

static void bad_ret_cmd(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + 8] = {0};

	send_bytes(sock, buf, igdpt_proxy_encode(buf, IGDPT_PROXY_RET, buf + 16, 8), NULL, 0);
}

static void bad_size_over_max(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX] = {0};
	uint64_t size = 1u << 30;

	igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGREAD, NULL, 0);
	memcpy(buf + IGDPT_PROXY_HDR_SIZE_OFFSET, &size, sizeof(size));
	send_bytes(sock, buf, sizeof(buf), NULL, 0);
}

static void bad_size_over_arrived(int sock)
{
	struct igdpt_proxy_cfg c = {.addr = 0, .len = 4};
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_CFG_SIZE];

	igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGREAD, &c);
	send_bytes(sock, buf, IGDPT_PROXY_HDR_SIZE + 4, NULL, 0);
	shutdown(sock, SHUT_WR);
}

static void bad_truncated_header(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE] = {IGDPT_PROXY_PCI_CFGREAD};

	send_bytes(sock, buf, 7, NULL, 0);
	shutdown(sock, SHUT_WR);
}

static void bad_sysmem_no_fds(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	struct igdpt_proxy_sysmem sm;

	memset(&sm, 0, sizeof(sm));
	sm.size[0] = RAM_SIZE;
	send_bytes(sock, buf, igdpt_proxy_encode_sysmem(buf, &sm), NULL, 0);
}

static void bad_sysmem_nine_fds(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	struct igdpt_proxy_sysmem sm;
	int fds[9];

	memset(&sm, 0, sizeof(sm));
	for (unsigned i = 0; i < 9; i++)
		fds[i] = memfd_create("x", MFD_CLOEXEC);
	send_bytes(sock, buf, igdpt_proxy_encode_sysmem(buf, &sm), fds, 9);
	for (unsigned i = 0; i < 9; i++)
		close(fds[i]);
}

static void bad_sysmem_past_file(int sock)
{
	int fd = ram_create(1 << 20);

	CHECK(proxy_sysmem(sock, fd, 2 << 20) == 0, "send");
	close(fd);
}

static void bad_sysmem_pipe(int sock)
{
	int p[2];

	CHECK(pipe(p) == 0, "pipe");
	CHECK(proxy_sysmem(sock, p[0], 4096) == 0, "send");
	close(p[0]);
	close(p[1]);
}

static void bad_cfg_with_fd(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_CFG_SIZE];
	struct igdpt_proxy_cfg c = {.addr = 0, .len = 4};
	int fd = memfd_create("x", MFD_CLOEXEC);

	send_bytes(sock, buf, igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGREAD, &c), &fd, 1);
	close(fd);
}

static void bad_irqfd_one_fd(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];
	int fd = memfd_create("x", MFD_CLOEXEC);

	send_bytes(sock, buf, igdpt_proxy_encode(buf, IGDPT_PROXY_SET_IRQFD, NULL, 0), &fd, 1);
	close(fd);
}

static void bad_cfg_payload_short(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + 8] = {0};

	send_bytes(sock, buf, igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGWRITE, buf + 16, 8), NULL, 0);
}

static void bad_cfg(int sock, uint32_t addr, int32_t len)
{
	uint64_t v;

	CHECK(proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, addr, 0xFFFFFFFF, len, &v) < 0,
	      "config write at 0x%x len %d was answered", addr, len);
}

static void bad_cfg_past_4k(int sock) { bad_cfg(sock, 0x1000, 4); }
static void bad_cfg_huge_offset(int sock) { bad_cfg(sock, 0xFFFFFFFC, 4); }
static void bad_cfg_straddle(int sock) { bad_cfg(sock, 0xFFE, 4); }
static void bad_cfg_len3(int sock) { bad_cfg(sock, 0xFC, 3); }
static void bad_cfg_len0(int sock) { bad_cfg(sock, 0xFC, 0); }
static void bad_cfg_len8(int sock) { bad_cfg(sock, 0xF8, 8); }
static void bad_cfg_len_negative(int sock) { bad_cfg(sock, 0xFC, -4); }

static void bad_bar_size(int sock)
{
	uint64_t v;

	CHECK(proxy_bar(sock, IGDPT_PROXY_BAR_READ, BAR0_BASE, 0, 3, true, &v) < 0,
	      "BAR read of size 3 was answered");
}

static void run_fatal(const char *name, bad_sender send_bad)
{
	struct device_run run;
	struct json_object *events;
	int ram = ram_create(RAM_SIZE);
	uint64_t before = ram_hash(ram, RAM_SIZE), v = 0;
	int status;

	start(&run, "4b");
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "%s: sysmem", name);
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 4, &v) == 0 && v == 0x59168086,
	      "%s: ids before: 0x%llx", name, (unsigned long long)v);
	send_bad(run.igd);
	CHECK(proxy_closed_by_peer(run.igd, CLOSE_TIMEOUT_MS), "%s: IGD connection not closed",
	      name);
	/* The other connection of the same process still works. */
	v = 0;
	CHECK(proxy_cfg(run.lpc, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 2, &v) == 0 && v == 0x8086,
	      "%s: LPC connection broken after the IGD's error", name);
	status = finish(&run);
	CHECK(status == EXIT_PROTOCOL, "%s: exit status %d, want %d", name, status, EXIT_PROTOCOL);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_IGD) >= 1,
	      "%s: no protocol_error event", name);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED) == 1,
	      "%s: want one fatal protocol_error", name);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_IGD) == 1,
	      "%s: no closed event", name);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_PEER) == 1,
	      "%s: LPC should end by peer close", name);
	check_final(events, name);
	CHECK(ram_hash(ram, RAM_SIZE) == before, "%s: guest RAM changed", name);
	json_object_put(events);
	close(ram);
	unlink(run.log);
	printf("ok fatal: %s\n", name);
}

/* Plays SeaBIOS: program the BARs and the command register. */
static void program_bars(int sock)
{
	uint64_t v;

	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x10, BAR0_BASE, 4, &v);
	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x14, 0, 4, &v);
	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x18, BAR2_BASE, 4, &v);
	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x1C, 0, 4, &v);
	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x20, BAR4_BASE, 4, &v);
	proxy_cfg(sock, IGDPT_PROXY_PCI_CFGWRITE, 0x04, 0x7, 2, &v);
}

/* A config offset biased towards the registers that matter. */
static uint32_t hostile_offset(unsigned len)
{
	static const uint32_t hot[] = {0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20,
				       0x24, 0x2C, 0x3C, 0x50, 0x52, 0x5C, 0xC0, 0xC4, 0xE8,
				       0xFC, 0xFD, 0xFE, 0xFF};
	uint32_t off;

	if (rnd() % 4)
		off = hot[rnd() % (sizeof(hot) / sizeof(hot[0]))];
	else
		off = (uint32_t)(rnd() % IGDPT_PCI_CONFIG_SPACE_SIZE);
	if (off + len > IGDPT_PCI_CONFIG_SPACE_SIZE)
		off = IGDPT_PCI_CONFIG_SPACE_SIZE - len;
	return off;
}

static void hostile_ops(struct device_run *run, int ram, unsigned count)
{
	static const unsigned lens[] = {1, 2, 4};
	static const unsigned sizes[] = {1, 2, 4, 8};
	unsigned failures = 0;

	for (unsigned i = 0; i < count && failures < 5; i++) {
		uint64_t v = 0, r = rnd() % 100;
		int ret = 0;

		if (r < 45) {
			unsigned len = lens[rnd() % 3];

			ret = proxy_cfg(run->igd, IGDPT_PROXY_PCI_CFGWRITE, hostile_offset(len),
					(uint32_t)rnd(), (int32_t)len, &v);
		} else if (r < 65) {
			unsigned len = lens[rnd() % 3];

			ret = proxy_cfg(run->igd, IGDPT_PROXY_PCI_CFGREAD, hostile_offset(len), 0,
					(int32_t)len, &v);
		} else if (r < 95) {
			bool memory = rnd() % 4 != 0;
			uint64_t base = memory ? (rnd() % 2 ? BAR0_BASE : BAR2_BASE) : BAR4_BASE;
			uint64_t addr = rnd() % 8 == 0 ? rnd() : base + rnd() % (32u << 20);

			ret = proxy_bar(run->igd, rnd() % 2 ? IGDPT_PROXY_BAR_WRITE : IGDPT_PROXY_BAR_READ,
					addr, rnd(), sizes[rnd() % 4], memory, &v);
		} else if (r < 97) {
			ret = proxy_reset(run->igd);
			program_bars(run->igd);
		} else if (r < 98) {
			ret = proxy_sysmem(run->igd, ram, RAM_SIZE);
		} else {
			/* An LPC write: read-only, acknowledged. */
			ret = proxy_cfg(run->lpc, IGDPT_PROXY_PCI_CFGWRITE, hostile_offset(4),
					(uint32_t)rnd(), 4, &v);
		}
		if (ret < 0) {
			failures++;
			CHECK(0, "hostile op %u failed: %s", i, strerror(-ret));
		}
	}
}

/* Writes the image into guest RAM at gpa, as firmware would (test side). */
static void firmware_copy(int ram, uint64_t gpa)
{
	CHECK(pwrite(ram, image, image_size, (off_t)gpa) == (ssize_t)image_size, "pwrite");
}

static void run_hostile_4b(void)
{
	struct device_run run;
	struct json_object *events, *ev;
	int ram = ram_create(RAM_SIZE);
	uint64_t asls = RAM_SIZE - 0x20000, before, v = 0;
	int status;
	uint8_t flip;

	start(&run, "4b");
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "sysmem");
	program_bars(run.igd);
	/* Deterministic ASLS cases first: identical, differs, unmapped, 0. */
	firmware_copy(ram, asls);
	before = ram_hash(ram, RAM_SIZE);
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET, (uint32_t)asls, 4,
			&v) == 0,
	      "asls write");
	flip = image[0x10] ^ 0xFF;
	CHECK(pwrite(ram, &flip, 1, (off_t)asls + 0x10) == 1, "pwrite");
	proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET, (uint32_t)asls, 4, &v);
	firmware_copy(ram, asls);
	proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET, 0x7FFE0000, 4, &v);
	proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET,
		  (uint32_t)(RAM_SIZE - 0x1000), 4, &v);
	CHECK(ram_hash(ram, RAM_SIZE) == before, "ASLS writes changed guest RAM");

	hostile_ops(&run, ram, RANDOM_OPS);

	/* Still alive and still itself. */
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 4, &v) == 0 && v == 0x59168086,
	      "ids after hostile traffic: 0x%llx", (unsigned long long)v);
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, IGDPT_PCI_GGC_OFFSET, 0, 2, &v) == 0 &&
		      v == 0x00C1,
	      "GGC changed by hostile writes: 0x%llx", (unsigned long long)v);
	CHECK(proxy_cfg(run.lpc, IGDPT_PROXY_PCI_CFGREAD, IGDPT_PCI_CLASS_DEVICE_OFFSET, 0, 2, &v) ==
			      0 && v == IGDPT_PCI_CLASS_BRIDGE_ISA,
	      "LPC class after hostile writes: 0x%llx", (unsigned long long)v);
	/* Leave ASLS at the good copy for the final check. */
	proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET, (uint32_t)asls, 4, &v);
	status = finish(&run);
	CHECK(status == 0, "hostile 4b: exit status %d, want 0", status);
	CHECK(ram_hash(ram, RAM_SIZE) == before, "hostile traffic changed guest RAM");

	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_IDENTICAL) >= 1,
	      "no identical");
	ev = NULL;
	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i);
		const char *name = log_field(e, IGDPT_EV_KEY_EVENT), *gc = log_field(e, IGDPT_EV_GUEST_COPY);

		if (name && !strcmp(name, IGDPT_EV_ASLS_WRITE) && gc && !strcmp(gc, IGDPT_EV_COPY_DIFFERS)) {
			ev = e;
			break;
		}
	}
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_DIFFERS_AT),
	      "0x10"), "first differs not at 0x10");
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_VALUE, "0x7ffe0000") >= 1 &&
		      log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_UNMAPPED) >= 2,
	      "unmapped ASLS not reported");
	CHECK(log_count(events, IGDPT_EV_BDSM_WRITE, IGDPT_EV_REGISTER,
	      "0x5c") >= 1, "no bdsm_write");
	CHECK(log_count(events, IGDPT_EV_GGC_WRITE, NULL, NULL) >= 1, "no ggc_write");
	CHECK(log_count(events, IGDPT_EV_SWSCI_WRITE, NULL, NULL) >= 1, "no swsci_write");
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_ALL_ONES) >= 1,
	      "no BAR-outside protocol_error");
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED) == 0,
	      "a legitimate message closed the connection");
	CHECK(log_count(events, IGDPT_EV_SUPPRESSED, NULL, NULL) >= 1, "event cap not applied");
	ev = log_last(events, IGDPT_EV_FINAL);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL),
	      "final guest_copy");
	check_final(events, "hostile 4b");
	json_object_put(events);
	close(ram);
	unlink(run.log);
	printf("ok hostile 4b: %d random messages, guest RAM untouched\n", RANDOM_OPS);
}

static int asls_write(struct device_run *run, uint32_t off, int32_t len, uint32_t value)
{
	uint64_t v;

	return proxy_cfg(run->igd, IGDPT_PROXY_PCI_CFGWRITE, off, value, len, &v);
}

static uint32_t cfg_read4(struct device_run *run, uint32_t off)
{
	uint64_t v = 0;

	CHECK(proxy_cfg(run->igd, IGDPT_PROXY_PCI_CFGREAD, off, 0, 4, &v) == 0, "read 0x%x", off);
	return (uint32_t)v;
}

/* Option 1b: the device writes its copy only where the firmware copied the
 * published image (it starts with the image's signature), on a complete
 * 32-bit ASLS write, page aligned, inside guest RAM; everything else is
 * refused and leaves guest RAM as it was. */
static void run_placement_1b(void)
{
	struct device_run run;
	struct json_object *events, *ev;
	int ram = ram_create(RAM_SIZE);
	uint8_t *expect = malloc(RAM_SIZE), *now;
	uint32_t asls = 0x100000;
	int status;

	CHECK(pread(ram, expect, RAM_SIZE, 0) == (ssize_t)RAM_SIZE, "pread");
	start(&run, "1b");
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "sysmem");
	/* The firmware's copy; only its signature, so the device's own copy
	 * shows in RAM afterwards. */
	CHECK(pwrite(ram, image, 16, asls) == 16, "pwrite");
	memcpy(expect + asls, image, 16);
	/* Partly outside RAM, no room below 4 GiB, no firmware copy there,
	 * and a partial write: refused, nothing written. */
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)(RAM_SIZE - 0x1000));
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET, 4, 0xFFFFF000);
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET, 4, 0xE000);
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET, 2, asls & 0xFFFF);
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET + 2, 2, asls >> 16);
	CHECK(cfg_read4(&run, IGDPT_PCI_ASLS_OFFSET) == asls, "1b: ASLS does not read back");
	now = mmap(NULL, RAM_SIZE, PROT_READ, MAP_SHARED, ram, 0);
	CHECK(now != MAP_FAILED && !memcmp(now, expect, RAM_SIZE),
	      "1b: a refused or partial ASLS write changed guest RAM");
	/* The firmware's complete write. */
	asls_write(&run, IGDPT_PCI_ASLS_OFFSET, 4, asls);
	status = finish(&run);
	CHECK(status == 0, "1b: exit status %d", status);
	memcpy(expect + asls, image, image_size);
	CHECK(now != MAP_FAILED && !memcmp(now, expect, RAM_SIZE),
	      "1b: guest RAM is not exactly before + image at ASLS");
	munmap(now, RAM_SIZE);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_PLACED) == 1,
	      "no placed event");
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_UNMAPPED) == 3,
	      "no refusal");
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_PARTIAL, "true") == 2,
	      "partial writes not logged");
	ev = log_last(events, IGDPT_EV_FINAL);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL),
	      "1b final guest_copy");
	check_final(events, "1b");
	json_object_put(events);
	free(expect);
	close(ram);
	unlink(run.log);
	printf("ok placement 1b\n");
}

/* One sequence of config writes (offset, length, value). */
struct seq {
	const char *name;
	unsigned count;
	struct { uint32_t off; int32_t len; uint32_t value; } w[4];
};

#define ASLS IGDPT_PCI_ASLS_OFFSET
#define PART_ASLS 0x00FEE000u

/* issue 13: ASLS written in pieces. Each sequence ends with ASLS ==
 * PART_ASLS and passes through 0xe000 or 0xfe0000 on the way (the issue's
 * device placed its 8 KiB copy at such addresses), yet none is one 32-bit
 * write: the device must write nothing anywhere. */
static const struct seq asls_pieces[] = {
	{"halves, low first", 2, {{ASLS, 2, 0xE000}, {ASLS + 2, 2, 0x00FE}}},
	{"halves, high first", 2, {{ASLS + 2, 2, 0x00FE}, {ASLS, 2, 0xE000}}},
	{"four bytes, low first", 4, {{ASLS, 1, 0}, {ASLS + 1, 1, 0xE0}, {ASLS + 2, 1, 0xFE},
				      {ASLS + 3, 1, 0}}},
	{"four bytes, high first", 4, {{ASLS + 3, 1, 0}, {ASLS + 2, 1, 0xFE}, {ASLS + 1, 1, 0xE0},
				       {ASLS, 1, 0}}},
	{"unaligned dword over the low half", 2, {{ASLS - 2, 4, 0xE0000000}, {ASLS + 2, 2, 0x00FE}}},
	{"unaligned words", 3, {{ASLS - 1, 2, 0x0000}, {ASLS + 1, 2, 0xFEE0}, {ASLS + 3, 1, 0}}},
};

/* Where the sequences pass: each starts with the image's signature, as if
 * the firmware had copied it there, so only the partial-write rule keeps
 * the device from writing. */
static const uint32_t part_stops[] = {0xE000, 0x00FE0000, PART_ASLS};

static void run_partial_asls(const char *strategy)
{
	struct device_run run;
	struct json_object *events;
	int ram = ram_create(RAM_SIZE);
	uint64_t before;
	unsigned writes = 0;
	int status;

	start(&run, strategy);
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "sysmem");
	for (size_t i = 0; i < sizeof(part_stops) / sizeof(part_stops[0]); i++)
		CHECK(pwrite(ram, image, 16, part_stops[i]) == 16, "pwrite");
	before = ram_hash(ram, RAM_SIZE);
	for (size_t i = 0; i < sizeof(asls_pieces) / sizeof(asls_pieces[0]); i++) {
		const struct seq *q = &asls_pieces[i];

		CHECK(proxy_reset(run.igd) == 0, "reset");
		for (unsigned k = 0; k < q->count; k++, writes++)
			CHECK(asls_write(&run, q->w[k].off, q->w[k].len, q->w[k].value) == 0,
			      "%s %s: write %u not answered", strategy, q->name, k);
		CHECK(cfg_read4(&run, ASLS) == PART_ASLS,
		      "%s %s: ASLS reads 0x%x", strategy, q->name,
		      cfg_read4(&run, ASLS));
		CHECK(ram_hash(ram, RAM_SIZE) == before, "%s %s: guest RAM changed", strategy,
		      q->name);
	}
	status = finish(&run);
	CHECK(status == 0, "partial %s: exit status %d", strategy, status);
	CHECK(ram_hash(ram, RAM_SIZE) == before, "partial %s: guest RAM changed", strategy);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_PARTIAL, "true") == (int)writes,
	      "partial %s: %d partial events for %u writes", strategy,
	      log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_PARTIAL, "true"), writes);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_PLACED) == 0,
	      "partial %s: the device placed its copy", strategy);
	check_final(events, "partial ASLS");
	json_object_put(events);
	close(ram);
	unlink(run.log);
	printf("ok partial ASLS writes, strategy %s: %zu sequences, guest RAM untouched\n", strategy,
	       sizeof(asls_pieces) / sizeof(asls_pieces[0]));
}

/* BDSM in pieces: 32-bit at 0x5C (gen 9) and 64-bit at 0xC0 (gen 12).
 * The register reads back every byte; a bdsm_write event without
 * "partial" comes only from a complete value: a dword at 0x5C, or both
 * dwords of 0xC0 (either order). */
static void run_partial_bdsm(const char *generation, uint32_t reg, const struct seq *seqs,
			     size_t count, int complete_want)
{
	const char *extra[] = {"--image", image_path, "--strategy", "1b", "--generation", generation,
			       NULL};
	struct device_run run;
	struct json_object *events;
	int ram = ram_create(RAM_SIZE);
	uint64_t before = ram_hash(ram, RAM_SIZE);
	int status, complete;

	CHECK(device_start(&run, device_path, tmpdir, false, extra) == 0, "start");
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "sysmem");
	for (size_t i = 0; i < count; i++) {
		CHECK(proxy_reset(run.igd) == 0, "reset");
		for (unsigned k = 0; k < seqs[i].count; k++)
			CHECK(asls_write(&run, seqs[i].w[k].off, seqs[i].w[k].len, seqs[i].w[k].value) ==
				      0,
			      "gen %s %s: write %u", generation, seqs[i].name, k);
		CHECK(cfg_read4(&run, reg) == 0x3F000000u, "gen %s %s: BDSM reads 0x%x", generation,
		      seqs[i].name, cfg_read4(&run, reg));
	}
	status = finish(&run);
	CHECK(status == 0, "BDSM gen %s: exit status %d", generation, status);
	CHECK(ram_hash(ram, RAM_SIZE) == before, "BDSM gen %s: guest RAM changed", generation);
	events = log_read(run.log);
	complete = log_count(events, IGDPT_EV_BDSM_WRITE, NULL, NULL) -
		   log_count(events, IGDPT_EV_BDSM_WRITE, IGDPT_EV_PARTIAL, "true");
	CHECK(complete == complete_want, "BDSM gen %s: %d complete values, want %d", generation,
	      complete, complete_want);
	json_object_put(events);
	close(ram);
	unlink(run.log);
	printf("ok partial BDSM writes, generation %s\n", generation);
}

#define B32 IGDPT_PCI_BDSM_OFFSET
#define B64 IGDPT_PCI_BDSM64_OFFSET

static const struct seq bdsm32_pieces[] = {
	{"dword", 1, {{B32, 4, 0x3F000000}}},
	{"halves", 2, {{B32, 2, 0x0000}, {B32 + 2, 2, 0x3F00}}},
	{"bytes", 4, {{B32 + 3, 1, 0x3F}, {B32 + 2, 1, 0}, {B32 + 1, 1, 0}, {B32, 1, 0}}},
	{"unaligned", 2, {{B32 - 2, 4, 0}, {B32 + 2, 2, 0x3F00}}},
};

static const struct seq bdsm64_pieces[] = {
	{"low then high", 2, {{B64, 4, 0x3F000000}, {B64 + 4, 4, 0}}},
	{"high then low", 2, {{B64 + 4, 4, 0}, {B64, 4, 0x3F000000}}},
	{"low alone", 1, {{B64, 4, 0x3F000000}}},
	{"halves of the low dword", 3, {{B64 + 4, 4, 0}, {B64, 2, 0}, {B64 + 2, 2, 0x3F00}}},
	{"bytes", 4, {{B64 + 3, 1, 0x3F}, {B64 + 4, 2, 0}, {B64 + 6, 2, 0}, {B64, 2, 0}}},
};

/* After SYNC_SYSMEM the peer truncates the memfd to a quarter, then ASLS is
 * written where the firmware had copied the image (now past the end): the
 * device answers, says the copy is unmapped (4b) or refuses to place it
 * (1b), does not grow the file back, and exits 0. */
static void run_shrink(const char *strategy)
{
	struct device_run run;
	struct json_object *events, *ev;
	int ram = ram_create(RAM_SIZE);
	uint64_t asls = RAM_SIZE - 0x20000, v = 0;
	struct stat st;
	int status;

	start(&run, strategy);
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "shrink %s: sysmem", strategy);
	/* SYNC_SYSMEM has no reply: a read after it proves it was taken. */
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 4, &v) == 0, "read");
	firmware_copy(ram, asls);
	CHECK(ftruncate(ram, RAM_SIZE / 4) == 0, "ftruncate");
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGWRITE, IGDPT_PCI_ASLS_OFFSET, (uint32_t)asls, 4,
			&v) == 0,
	      "shrink %s: ASLS write not answered", strategy);
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 4, &v) == 0 && v == 0x59168086,
	      "shrink %s: device gone after the ASLS write", strategy);
	status = finish(&run);
	CHECK(status == 0, "shrink %s: exit status %d, want 0", strategy, status);
	CHECK(fstat(ram, &st) == 0 && st.st_size == RAM_SIZE / 4,
	      "shrink %s: the device changed the size of the peer's memfd", strategy);
	events = log_read(run.log);
	ev = log_last(events, IGDPT_EV_ASLS_WRITE);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_UNMAPPED),
	      "shrink %s: ASLS write not reported unmapped", strategy);
	CHECK(strcmp(strategy, "1b") || (ev && log_field(ev, IGDPT_EV_REFUSED)),
	      "shrink 1b: placement not refused");
	ev = log_last(events, IGDPT_EV_FINAL);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_UNMAPPED),
	      "shrink %s: final", strategy);
	check_final(events, "shrink");
	json_object_put(events);
	close(ram);
	unlink(run.log);
	printf("ok memfd shrunk after SYNC_SYSMEM, strategy %s\n", strategy);
}

static void run_sigterm(void)
{
	struct device_run run;
	struct json_object *events;
	int ram = ram_create(RAM_SIZE);
	uint64_t v;
	int status;

	start(&run, "4b");
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "sysmem");
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 2, &v) == 0, "read");
	kill(run.pid, SIGTERM);
	status = device_wait(&run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "SIGTERM: device did not exit 0 (status 0x%x)", status);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_SIGTERM) == 2,
	      "SIGTERM closed events");
	CHECK(log_count(events, IGDPT_EV_FINAL, IGDPT_EV_GUEST_COPY, IGDPT_EV_COPY_UNMAPPED) == 1,
	      "SIGTERM final");
	check_final(events, "SIGTERM");
	json_object_put(events);
	device_close_igd(&run);
	device_close_lpc(&run);
	close(ram);
	unlink(run.log);
	printf("ok SIGTERM\n");
}

/* With one connection left the device waits in recvmsg, not poll() (see
 * serve_alone() in device/proxy/serve.c): SIGTERM must still end it at once, idle
 * or not, with the same events. */
static void run_sigterm_alone(void)
{
	struct device_run run;
	struct json_object *events;
	int ram = ram_create(RAM_SIZE);
	uint64_t v;
	int status;

	start(&run, "4b");
	device_close_lpc(&run);
	CHECK(proxy_sysmem(run.igd, ram, RAM_SIZE) == 0, "alone: sysmem");
	CHECK(proxy_cfg(run.igd, IGDPT_PROXY_PCI_CFGREAD, 0, 0, 4, &v) == 0 && v == 0x59168086,
	      "alone: ids 0x%llx", (unsigned long long)v);
	kill(run.pid, SIGTERM);
	status = device_wait(&run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "SIGTERM alone: device did not exit 0 (status 0x%x)", status);
	events = log_read(run.log);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_SIGTERM) == 1,
	      "SIGTERM alone: closed event");
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_PEER) == 1,
	      "SIGTERM alone: LPC should end by peer close");
	check_final(events, "SIGTERM alone");
	json_object_put(events);
	device_close_igd(&run);
	close(ram);
	unlink(run.log);
	printf("ok SIGTERM with one connection\n");
}

/* Startup errors: exit status 1 and a message, no crash. */
static void run_bad_startup(const char *what, const char *const *argv_tail, bool with_socket)
{
	struct device_run run;
	int status;

	if (with_socket) {
		CHECK(device_start(&run, device_path, tmpdir, false, argv_tail) == 0, "start");
	} else {
		CHECK(device_start_bare(&run, device_path, argv_tail) == 0, "start");
	}
	status = device_wait(&run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	      "%s: want exit 1, got status 0x%x", what, status);
	device_close_igd(&run);
	unlink(run.log);
	printf("ok startup error: %s\n", what);
}

static int load_image(void)
{
	const char *ref = reference_image();
	static char generated[300];

	if (ref) {
		image_path = ref;
	} else {
		/* No corpus: any 8 KiB blob exercises the same paths. */
		uint8_t blob[8192];
		FILE *f;

		for (size_t i = 0; i < sizeof(blob); i++)
			blob[i] = (uint8_t)(rnd() >> 56);
		snprintf(generated, sizeof(generated), "%s/image.bin", tmpdir);
		f = fopen(generated, "we");
		if (!f || fwrite(blob, 1, sizeof(blob), f) != sizeof(blob))
			return -1;
		fclose(f);
		image_path = generated;
	}
	return read_whole(image_path, &image, &image_size);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		bad_sender fn;
	} fatal[] = {
		{"unknown command", bad_unknown_cmd},
		{"negative command", bad_negative_cmd},
		{"RET sent to the device", bad_ret_cmd},
		{"size larger than the payload maximum", bad_size_over_max},
		{"size larger than what arrived", bad_size_over_arrived},
		{"truncated header", bad_truncated_header},
		{"SYNC_SYSMEM without fds", bad_sysmem_no_fds},
		{"SYNC_SYSMEM with 9 fds", bad_sysmem_nine_fds},
		{"SYNC_SYSMEM past the end of the memfd", bad_sysmem_past_file},
		{"SYNC_SYSMEM with a pipe", bad_sysmem_pipe},
		{"config read with an fd", bad_cfg_with_fd},
		{"SET_IRQFD with one fd", bad_irqfd_one_fd},
		{"config payload of 8 bytes", bad_cfg_payload_short},
		{"config offset 0x1000", bad_cfg_past_4k},
		{"config offset 0xfffffffc", bad_cfg_huge_offset},
		{"config access straddling 4 KiB", bad_cfg_straddle},
		{"config length 3", bad_cfg_len3},
		{"config length 0", bad_cfg_len0},
		{"config length 8", bad_cfg_len8},
		{"config length -4", bad_cfg_len_negative},
		{"BAR access of size 3", bad_bar_size},
	};
	static const char *const no_fd[] = {"--igd-fd", "0", NULL};
	static const char *const bad_bdsm[] = {"--stolen-size", "3M", NULL};
	static const char *const bad_id[] = {"--device-id", "0x1234", NULL};
	static const char *const bad_class[] = {"--class", "3d", NULL};
	static const char *const bad_image[] = {"--image", "/nonexistent/opregion.bin", NULL};

	(void)base_args;
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-igdpt-device\n", argv[0]);
		return 2;
	}
	device_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(tmpdir) || load_image() < 0) {
		perror("test setup");
		return 1;
	}
	printf("image: %s (%zu bytes)\n", image_path, image_size);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		run_fatal(fatal[i].name, fatal[i].fn);
	run_hostile_4b();
	run_placement_1b();
	run_partial_asls("1b");
	run_partial_asls("4b");
	run_partial_bdsm("9", B32, bdsm32_pieces, sizeof(bdsm32_pieces) / sizeof(bdsm32_pieces[0]), 1);
	run_partial_bdsm("12", B64, bdsm64_pieces, sizeof(bdsm64_pieces) / sizeof(bdsm64_pieces[0]), 2);
	run_shrink("4b");
	run_shrink("1b");
	run_sigterm();
	run_sigterm_alone();
	run_bad_startup("--igd-fd not a socket", no_fd, false);
	run_bad_startup("--stolen-size 3M", bad_bdsm, true);
	run_bad_startup("unknown --device-id without --generation", bad_id, true);
	run_bad_startup("--class 3d", bad_class, true);
	run_bad_startup("missing --image", bad_image, true);

	if (image_path != reference_image())
		unlink(image_path);
	rmdir(tmpdir);
	free(image);
	if (harness_failures) {
		fprintf(stderr, "%d check(s) failed\n", harness_failures);
		return 1;
	}
	printf("all robustness checks passed\n");
	return 0;
}
