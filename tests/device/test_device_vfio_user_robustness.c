/* SPDX-License-Identifier: MIT */
/* Robustness of the igdpt-device process against a hostile or broken
 * vfio-user client (the device runs with --vfio-user-fd, this test plays
 * the client with vfu_client.c).
 *
 * - Every command malformed (and what no client sends at all): that
 *   connection ends with a protocol_error event, the device exits 2, guest
 *   RAM unchanged. Refused but well-formed requests get their errno and
 *   the connection goes on.
 * - 100,000 random valid requests (config, BAR, ROM, OpRegion, bridge and
 *   VGA accesses, posted writes, region and interrupt info, eventfds,
 *   resets) with DMA map storms in between: the device answers every one,
 *   its RSS and open fds stay where they were after a warm-up, guest RAM
 *   does not change (4b), the event log stays bounded.
 * - The memfd shrunk after DMA_MAP and the partial ASLS writes of issue 13
 *   (the transport under them is new, the rules are the model's).
 * - A client that reads no replies, the largest transfer, SIGTERM while
 *   serving and while waiting for a client on --vfio-user's socket file,
 *   and start-up errors.
 * usage: test-device-vfio-user-robustness PATH-TO-igdpt-device */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture_rom.h"
#include "harness.h"
#include "igdpt/abi/guest.h"
#include "igdpt/core/bytes.h"
#include "model/pci_regs.h"
#include "vfu_client.h"

#define RAM_SIZE (16ull << 20)
#define CLOSE_TIMEOUT_MS 5000
#define EXIT_TIMEOUT_MS 10000
#define RANDOM_OPS 100000u
#define WARMUP_OPS 20000u
#define EXIT_PROTOCOL 2
#define RW (IGDPT_VFU_DMA_MAP_FLAG_READ | IGDPT_VFU_DMA_MAP_FLAG_WRITE)
#define TRIGGER_FD (IGDPT_VFU_IRQ_SET_DATA_EVENTFD | IGDPT_VFU_IRQ_SET_ACTION_TRIGGER)
#define TRIGGER_NONE (IGDPT_VFU_IRQ_SET_DATA_NONE | IGDPT_VFU_IRQ_SET_ACTION_TRIGGER)
/* What a legitimate session may add to the RSS after the warm-up touched
 * every page the traffic can touch: allocator noise, not a leak. */
#define RSS_SLACK_KIB 1024
/* The event log of 100,000 requests: caps keep it far below this. */
#define LOG_MAX_BYTES (4u << 20)
#define BAR0_SIZE (16u << 20)
/* The option ROM the device serves: one legacy image of 32 KiB. */
#define ROM_SIZE 0x8000u

static const char *device_path;
static char rom_path[300];
static char tmpdir[] = "/tmp/igdpt-vfu-test.XXXXXX";
static const char *image_path;
static uint8_t *image;
static size_t image_size;
static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure reproduces. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

struct session {
	struct device_run run;
	struct vfu_client c;
	int ram;
};

/* Starts the device on a socketpair and plays QEMU's start (VERSION, RAM,
 * the BIOS map) unless bare. */
static void start(struct session *s, const char *strategy, bool bare)
{
	const char *extra[] = {"--image", image_path, "--strategy", strategy, "--rom", rom_path, NULL};

	s->ram = ram_create(RAM_SIZE);
	CHECK(device_start_vfio_user(&s->run, device_path, tmpdir, extra) == 0, "cannot start %s",
	      device_path);
	CHECK(vfu_client_init(&s->c, s->run.igd) == 0, "client");
	if (!bare)
		CHECK(vfu_qemu_start(&s->c, s->ram, RAM_SIZE) == 0, "QEMU's start refused");
}

/* Hangs up (if not yet) and waits for the device's exit status. */
static int finish(struct session *s)
{
	int status;

	device_close_igd(&s->run);
	vfu_client_fini(&s->c);
	status = device_wait(&s->run, EXIT_TIMEOUT_MS);
	CHECK(status != -1, "device did not exit after its client left");
	CHECK(status == -1 || WIFEXITED(status), "device died of signal %d",
	      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status);
}

static void check_final(struct json_object *events, const char *what)
{
	struct json_object *final = log_last(events, IGDPT_EV_FINAL);
	struct json_object *v;

	CHECK(final != NULL, "%s: no final event", what);
	CHECK(final && json_object_object_get_ex(final, IGDPT_EV_HOST_IMAGE_UNCHANGED, &v) &&
		      json_object_get_boolean(v),
	      "%s: host image reported changed", what);
}

/* ---- malformed messages: the connection ends ---- */

typedef void (*bad_sender)(struct vfu_client *c, int ram);

static void raw(struct vfu_client *c, uint16_t cmd, uint32_t size, uint32_t flags, const int *fds,
		unsigned nfds, size_t send_len)
{
	uint8_t buf[IGDPT_VFU_HDR_SIZE + 64] = {0};

	igdpt_vfu_put_header(buf, 77, cmd, size, flags, 0);
	vfu_send_raw(c, buf, send_len, fds, nfds);
}

static void bad_second_version(struct vfu_client *c, int ram)
{
	(void)ram;
	vfu_version(c, VFU_QEMU_CAPS);
}

static void bad_version_json(struct vfu_client *c, int ram)
{
	(void)ram;
	/* A fresh device: VERSION is still to come (see run_fatal). */
	vfu_version(c, "{\"capabilities\": {\"max_msg_fds\": [8]}}");
}

static void bad_version_major(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_VERSION_DATA_OFFSET] = {1, 0, 0, 0};

	(void)ram;
	vfu_call(c, IGDPT_VFU_VERSION, p, sizeof(p), NULL, 0);
}

static void bad_before_version(struct vfu_client *c, int ram)
{
	(void)ram;
	vfu_region_read(c, IGDPT_VFU_REGION_CONFIG, 0, 4, NULL);
}

static void bad_dma_map_two_fds(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_DMA_MAP_SIZE] = {IGDPT_VFU_DMA_MAP_SIZE};
	int fds[2] = {ram, ram};

	vfu_call(c, IGDPT_VFU_DMA_MAP, p, sizeof(p), fds, 2);
}

static void bad_dma_map_short(struct vfu_client *c, int ram)
{
	uint8_t p[24] = {IGDPT_VFU_DMA_MAP_SIZE};

	vfu_call(c, IGDPT_VFU_DMA_MAP, p, sizeof(p), &ram, 1);
}

static void bad_dma_unmap_fd(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_DMA_UNMAP_SIZE] = {IGDPT_VFU_DMA_UNMAP_SIZE};

	vfu_call(c, IGDPT_VFU_DMA_UNMAP, p, sizeof(p), &ram, 1);
}

static void bad_device_info_short(struct vfu_client *c, int ram)
{
	uint8_t p[8] = {16};

	(void)ram;
	vfu_call(c, IGDPT_VFU_DEVICE_GET_INFO, p, sizeof(p), NULL, 0);
}

static void bad_region_info_fd(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_REGION_INFO_SIZE] = {IGDPT_VFU_REGION_INFO_SIZE};

	vfu_call(c, IGDPT_VFU_DEVICE_GET_REGION_INFO, p, sizeof(p), &ram, 1);
}

static void bad_irq_info_long(struct vfu_client *c, int ram)
{
	uint8_t p[20] = {16};

	(void)ram;
	vfu_call(c, IGDPT_VFU_DEVICE_GET_IRQ_INFO, p, sizeof(p), NULL, 0);
}

static void bad_set_irqs_two_fds(struct vfu_client *c, int ram)
{
	int fds[2] = {ram, ram};

	vfu_set_irqs(c, TRIGGER_FD, IGDPT_VFU_IRQ_INTX, 0, 1, fds, 2);
}

static void bad_set_irqs_fd_with_none(struct vfu_client *c, int ram)
{
	vfu_set_irqs(c, TRIGGER_NONE, IGDPT_VFU_IRQ_INTX, 0, 1, &ram, 1);
}

static void bad_set_irqs_short(struct vfu_client *c, int ram)
{
	uint8_t p[16] = {20};

	(void)ram;
	vfu_call(c, IGDPT_VFU_DEVICE_SET_IRQS, p, sizeof(p), NULL, 0);
}

static void bad_region_read_long(struct vfu_client *c, int ram)
{
	uint8_t p[20] = {0};

	(void)ram;
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, IGDPT_VFU_REGION_CONFIG);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, 4);
	vfu_call(c, IGDPT_VFU_REGION_READ, p, sizeof(p), NULL, 0);
}

static void bad_region_write_count(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_REGION_RW_SIZE + 2] = {0};

	(void)ram;
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, IGDPT_VFU_REGION_CONFIG);
	igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, 4);
	vfu_send(c, IGDPT_VFU_REGION_WRITE, IGDPT_VFU_FLAG_NO_REPLY, p, sizeof(p), NULL, 0);
}

static void bad_reset_payload(struct vfu_client *c, int ram)
{
	(void)ram;
	vfu_call(c, IGDPT_VFU_DEVICE_RESET, "1234", 4, NULL, 0);
}

static void bad_write_multi_fd(struct vfu_client *c, int ram)
{
	uint8_t p[IGDPT_VFU_WRITE_MULTI_HEAD_SIZE] = {0};

	vfu_call(c, IGDPT_VFU_REGION_WRITE_MULTI, p, sizeof(p), &ram, 1);
}

static void bad_unknown(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, 99, IGDPT_VFU_HDR_SIZE, 0, NULL, 0, IGDPT_VFU_HDR_SIZE);
}

static void bad_dma_read(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_DMA_READ, IGDPT_VFU_HDR_SIZE + 16, 0, NULL, 0, IGDPT_VFU_HDR_SIZE + 16);
}

static void bad_reply_flag(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_DEVICE_RESET, IGDPT_VFU_HDR_SIZE,
	    IGDPT_VFU_FLAG_TYPE_REPLY | IGDPT_VFU_FLAG_ERROR, NULL, 0, IGDPT_VFU_HDR_SIZE);
}

static void bad_flags(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_DEVICE_RESET, IGDPT_VFU_HDR_SIZE, 0x100, NULL, 0, IGDPT_VFU_HDR_SIZE);
}

static void bad_size_small(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_DEVICE_GET_INFO, 4, 0, NULL, 0, IGDPT_VFU_HDR_SIZE);
}

static void bad_size_huge(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_REGION_WRITE, 1u << 30, 0, NULL, 0, IGDPT_VFU_HDR_SIZE);
}

static void bad_size_over_arrived(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_REGION_WRITE, IGDPT_VFU_HDR_SIZE + 64, 0, NULL, 0, IGDPT_VFU_HDR_SIZE + 8);
	shutdown(c->sock, SHUT_WR);
}

static void bad_truncated_header(struct vfu_client *c, int ram)
{
	(void)ram;
	raw(c, IGDPT_VFU_DEVICE_RESET, IGDPT_VFU_HDR_SIZE, 0, NULL, 0, 9);
	shutdown(c->sock, SHUT_WR);
}

static void bad_nine_fds(struct vfu_client *c, int ram)
{
	int fds[IGDPT_VFU_MAX_MSG_FDS + 1];

	for (unsigned i = 0; i <= IGDPT_VFU_MAX_MSG_FDS; i++)
		fds[i] = ram;
	raw(c, IGDPT_VFU_DEVICE_RESET, IGDPT_VFU_HDR_SIZE, 0, fds, IGDPT_VFU_MAX_MSG_FDS + 1,
	    IGDPT_VFU_HDR_SIZE);
}

static void run_fatal(const char *name, bad_sender send_bad, bool bare)
{
	struct session s;
	struct json_object *events;
	uint64_t before;
	int status;

	start(&s, "4b", bare);
	before = ram_hash(s.ram, RAM_SIZE);
	if (!bare)
		CHECK(vfu_cfg_read(&s.c, 0, 4) == 0x59168086, "%s: ids before", name);
	send_bad(&s.c, s.ram);
	CHECK(vfu_closed_by_peer(&s.c, CLOSE_TIMEOUT_MS), "%s: connection not closed", name);
	status = finish(&s);
	CHECK(status == EXIT_PROTOCOL, "%s: exit status %d, want %d", name, status, EXIT_PROTOCOL);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED) == 1,
	      "%s: want one protocol_error that closed the connection", name);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_IGD) == 1,
	      "%s: no closed event", name);
	check_final(events, name);
	CHECK(ram_hash(s.ram, RAM_SIZE) == before, "%s: guest RAM changed", name);
	json_object_put(events);
	close(s.ram);
	unlink(s.run.log);
	printf("ok fatal: %s\n", name);
}

/* ---- refused requests: an errno, and the connection goes on ---- */

static void run_refusals(void)
{
	struct session s;
	struct json_object *events;
	uint8_t buf[64] = {0};
	int efd = eventfd(0, EFD_CLOEXEC), status, n = 0;

	start(&s, "4b", false);
#define REFUSED(call, err)                                                                 \
	do {                                                                               \
		int r_ = (call);                                                           \
		n++;                                                                       \
		CHECK(r_ == (err), "%s: %d, want %d", #call, r_, err);                     \
	} while (0)
	REFUSED(vfu_dma_map(&s.c, 0x1000, 0x1000, 0, RW, s.ram), EEXIST);
	REFUSED(vfu_dma_map(&s.c, 0x20000000, 0x1000, RAM_SIZE, RW, s.ram), EINVAL);
	REFUSED(vfu_dma_unmap(&s.c, 0x1000, 0x1000, 0), ENOENT);
	REFUSED(vfu_region_info(&s.c, 12, 64), EINVAL);
	REFUSED(vfu_irq_info(&s.c, 7), EINVAL);
	REFUSED(vfu_set_irqs(&s.c, TRIGGER_FD, IGDPT_VFU_IRQ_MSIX, 0, 1, &efd, 1), EINVAL);
	REFUSED(vfu_region_read(&s.c, IGDPT_VFU_REGION_CONFIG, 4096, 4, buf), EINVAL);
	REFUSED(vfu_region_read(&s.c, 3, 0, 4, buf), EINVAL);
	REFUSED(vfu_region_write(&s.c, IGDPT_VFU_REGION_ROM, 0, 4, buf, false), EINVAL);
	REFUSED(vfu_region_write(&s.c, 9, 0, 4, buf, false), EINVAL);
	REFUSED(vfu_call(&s.c, IGDPT_VFU_DEVICE_FEATURE, buf, 16, NULL, 0), ENOTSUP);
	REFUSED(vfu_call(&s.c, IGDPT_VFU_MIG_DATA_READ, buf, 16, NULL, 0), ENOTSUP);
	REFUSED(vfu_call(&s.c, IGDPT_VFU_REGION_WRITE_MULTI, buf, 32, NULL, 0), ENOTSUP);
	REFUSED(vfu_call(&s.c, IGDPT_VFU_DEVICE_GET_REGION_IO_FDS, buf, 16, NULL, 0), ENOTSUP);
#undef REFUSED
	CHECK(vfu_cfg_read(&s.c, 0, 4) == 0x59168086, "refusals: device no longer answers");
	status = finish(&s);
	CHECK(status == 0, "refusals: exit status %d, want 0", status);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION,
			IGDPT_EV_ACTION_ERROR_REPLY) == n,
	      "refusals: want %d error-reply events", n);
	json_object_put(events);
	close(efd);
	close(s.ram);
	unlink(s.run.log);
	printf("ok %d refused requests answered with their errno\n", n);
}

/* ---- 100,000 random valid requests ---- */

/* The device's resident set (KiB) and its open descriptors. */
static void process_usage(pid_t pid, long *rss_kib, int *fds)
{
	char path[64], line[256];
	FILE *f;
	DIR *d;
	struct dirent *e;

	*rss_kib = -1;
	*fds = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmRSS:", 6))
			*rss_kib = strtol(line + 6, NULL, 10);
	if (f)
		fclose(f);
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d)))
		*fds += e->d_name[0] != '.';
	if (d)
		closedir(d);
}

/* The offsets random BAR and VGA traffic uses: the registers a driver
 * touches and a fixed set of pages, so the warm-up has touched every page
 * the rest of the run can (BAR0's register file is lazily backed). */
#define HOT_OFFSETS 256u
static uint64_t bar0_offsets[HOT_OFFSETS];

static void pick_offsets(void)
{
	static const uint64_t regs[] = {0x2000, 0x2030, 0x9120, 0xA188, 0x130040, 0x138124,
					0x108040, 0x1080C0, 0x45400, 0xC4000};

	for (unsigned i = 0; i < HOT_OFFSETS; i++)
		bar0_offsets[i] = i < sizeof(regs) / sizeof(regs[0])
					  ? regs[i]
					  : (rnd() % (BAR0_SIZE / 8)) * 8;
}

/* One random valid request; false when the device did not answer it. */
static bool random_op(struct session *s, int efd, uint64_t *maps)
{
	static const uint32_t cfg_lens[] = {1, 2, 4};
	static const uint32_t bar_sizes[] = {1, 2, 4, 8};
	uint8_t buf[256];
	uint64_t r = rnd() % 1000, v = rnd();
	uint32_t len;
	int ret = 0;

	memset(buf, (int)(v >> 56), sizeof(buf));

	if (r < 300) {
		/* Config writes, ASLS, BDSM, GGC and the ROM BAR included. */
		static const uint32_t hot[] = {0x04, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x30, 0x3C,
					       0x50, 0x5C, 0xE8, 0xFC, 0xFE, 0x100, 0xFFC};
		uint32_t off = rnd() % 2 ? hot[rnd() % 15] : (uint32_t)(rnd() % 4092);

		len = cfg_lens[rnd() % 3];
		ret = vfu_cfg_write(&s->c, off - off % len, len, (uint32_t)v);
	} else if (r < 450) {
		len = cfg_lens[rnd() % 3];
		ret = vfu_region_read(&s->c, IGDPT_VFU_REGION_CONFIG, (rnd() % 4096) & ~(len - 1),
				      len, buf);
	} else if (r < 700) {
		/* BARs: reads, replied writes and posted ones, as i915 does. */
		uint32_t region = rnd() % 4 ? 0 : (rnd() % 2 ? 2 : 4);
		uint64_t off = region == 0 ? bar0_offsets[rnd() % HOT_OFFSETS]
			       : region == 2 ? (rnd() % 16) * 0x1000000
					     : rnd() % 8 * 8;

		len = bar_sizes[rnd() % 4];
		off -= off % len;
		if (rnd() % 2)
			ret = vfu_region_read(&s->c, region, off, len, buf);
		else
			ret = vfu_region_write(&s->c, region, off, len, &v, rnd() % 2);
	} else if (r < 800) {
		static const uint32_t ro_regions[] = {IGDPT_VFU_REGION_ROM, 9, 10, 11};
		uint32_t region = ro_regions[rnd() % 4];
		uint64_t size = region == IGDPT_VFU_REGION_ROM ? ROM_SIZE : region == 9 ? image_size : 256;

		len = 1 + (uint32_t)(rnd() % 64);
		ret = vfu_region_read(&s->c, region, rnd() % (size - len + 1), len, buf);
	} else if (r < 850) {
		uint64_t off = rnd() % 2 ? 0xA0000 + rnd() % 0x1FF00 : 0x3C0 + rnd() % 0x1C;

		len = 1 + (uint32_t)(rnd() % (off < 0x400 ? 4 : 64));
		ret = rnd() % 2 ? vfu_region_read(&s->c, IGDPT_VFU_REGION_VGA, off, len, buf)
				: vfu_region_write(&s->c, IGDPT_VFU_REGION_VGA, off, len, buf, false);
	} else if (r < 900) {
		ret = rnd() % 2 ? vfu_region_info(&s->c, rnd() % 12, rnd() % 2 ? 32 : 64)
				: vfu_irq_info(&s->c, rnd() % 5);
	} else if (r < 950) {
		uint32_t index = rnd() % 2 ? IGDPT_VFU_IRQ_INTX : IGDPT_VFU_IRQ_ERR;

		ret = rnd() % 3 ? vfu_set_irqs(&s->c, TRIGGER_FD, index, 0, 1, &efd, 1)
				: vfu_set_irqs(&s->c, TRIGGER_NONE, index, 0, 0, NULL, 0);
	} else if (r < 990) {
		/* A DMA map storm: pieces of guest RAM above 8 MiB come and go,
		 * with and without their fd, as SeaBIOS's shadowing makes QEMU
		 * do; one more call undoes them all. */
		unsigned piece = (unsigned)(rnd() % 32);
		uint64_t gpa = 0x10000000 + piece * 0x10000, bit = 1ull << piece;

		if (*maps & bit)
			ret = vfu_dma_unmap(&s->c, gpa, 0x10000, 0);
		else
			ret = vfu_dma_map(&s->c, gpa, 0x10000, (RAM_SIZE / 2) + piece * 0x10000,
					  rnd() % 2 ? RW : IGDPT_VFU_DMA_MAP_FLAG_READ,
					  rnd() % 3 ? s->ram : -1);
		*maps ^= bit;
		if (rnd() % 64 == 0) {
			for (unsigned i = 0; i < 32 && !ret; i++)
				if (*maps & (1ull << i))
					ret = vfu_dma_unmap(&s->c, 0x10000000 + i * 0x10000, 0x10000, 0);
			*maps = 0;
		}
	} else {
		ret = vfu_reset(&s->c);
	}
	return ret == 0;
}

/* Puts the device in the same state before each measurement: no storm
 * map, no eventfd (what the device holds depends on them). */
static void settle(struct session *s, uint64_t *maps)
{
	for (unsigned i = 0; i < 32; i++)
		if (*maps & (1ull << i))
			CHECK(vfu_dma_unmap(&s->c, 0x10000000 + i * 0x10000, 0x10000, 0) == 0, "unmap");
	*maps = 0;
	CHECK(vfu_set_irqs(&s->c, TRIGGER_NONE, IGDPT_VFU_IRQ_INTX, 0, 0, NULL, 0) == 0, "INTx off");
	CHECK(vfu_set_irqs(&s->c, TRIGGER_NONE, IGDPT_VFU_IRQ_ERR, 0, 0, NULL, 0) == 0, "ERR off");
	/* A round trip: everything posted before is done. */
	CHECK(vfu_cfg_read(&s->c, 0, 4) == 0x59168086, "ids");
}

static void run_hostile(void)
{
	struct session s;
	struct json_object *events, *ev;
	uint64_t before, maps = 0;
	uint64_t asls = RAM_SIZE - 0x20000;
	long rss_warm, rss_end;
	int fds_warm, fds_end, status, efd = eventfd(0, EFD_CLOEXEC);
	unsigned failures = 0;
	struct stat st;

	start(&s, "4b", false);
	pick_offsets();
	CHECK(pwrite(s.ram, image, image_size, (off_t)asls) == (ssize_t)image_size, "pwrite");
	before = ram_hash(s.ram, RAM_SIZE);
	CHECK(vfu_cfg_write(&s.c, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls) == 0, "ASLS");
	for (unsigned i = 0; i < RANDOM_OPS && failures < 5; i++) {
		if (!random_op(&s, efd, &maps)) {
			failures++;
			CHECK(0, "random request %u not answered", i);
		}
		if (i + 1 == WARMUP_OPS) {
			settle(&s, &maps);
			process_usage(s.run.pid, &rss_warm, &fds_warm);
		}
	}
	settle(&s, &maps);
	CHECK(vfu_cfg_read(&s.c, IGDPT_PCI_GGC_OFFSET, 2) == 0x00C1, "GGC changed");
	process_usage(s.run.pid, &rss_end, &fds_end);
	CHECK(fds_end == fds_warm, "open fds %d after the warm-up, %d at the end", fds_warm, fds_end);
	CHECK(rss_warm > 0 && rss_end - rss_warm <= RSS_SLACK_KIB,
	      "RSS %ld KiB after the warm-up, %ld KiB at the end", rss_warm, rss_end);
	CHECK(vfu_cfg_write(&s.c, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls) == 0, "ASLS");
	status = finish(&s);
	CHECK(status == 0, "hostile: exit status %d, want 0", status);
	CHECK(ram_hash(s.ram, RAM_SIZE) == before, "random requests changed guest RAM (4b)");
	CHECK(stat(s.run.log, &st) == 0 && st.st_size < LOG_MAX_BYTES,
	      "event log of %lld bytes", (long long)st.st_size);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED) == 0,
	      "a valid request closed the connection");
	CHECK(log_count(events, IGDPT_EV_SUPPRESSED, NULL, NULL) >= 1, "event caps not applied");
	ev = log_last(events, IGDPT_EV_FINAL);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_IDENTICAL),
	      "final guest copy");
	check_final(events, "hostile");
	json_object_put(events);
	close(efd);
	close(s.ram);
	unlink(s.run.log);
	printf("ok %u random requests: RSS %ld -> %ld KiB, fds %d -> %d, guest RAM untouched\n",
	       RANDOM_OPS, rss_warm, rss_end, fds_warm, fds_end);
}

/* ---- issue 13 over vfio-user: a shrunk memfd, partial ASLS writes ---- */

static void run_shrink(const char *strategy)
{
	struct session s;
	struct json_object *events, *ev;
	uint64_t asls = RAM_SIZE - 0x20000;
	struct stat st;
	int status;

	start(&s, strategy, false);
	CHECK(pwrite(s.ram, image, image_size, (off_t)asls) == (ssize_t)image_size, "pwrite");
	CHECK(ftruncate(s.ram, RAM_SIZE / 4) == 0, "ftruncate");
	CHECK(vfu_cfg_write(&s.c, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls) == 0,
	      "shrink %s: ASLS write not answered", strategy);
	CHECK(vfu_cfg_read(&s.c, 0, 4) == 0x59168086, "shrink %s: device gone", strategy);
	status = finish(&s);
	CHECK(status == 0, "shrink %s: exit status %d", strategy, status);
	CHECK(fstat(s.ram, &st) == 0 && st.st_size == (off_t)(RAM_SIZE / 4),
	      "shrink %s: the device changed the size of the client's memfd", strategy);
	events = log_read(s.run.log);
	ev = log_last(events, IGDPT_EV_ASLS_WRITE);
	CHECK(ev && !strcmp(log_field(ev, IGDPT_EV_GUEST_COPY), IGDPT_EV_COPY_UNMAPPED),
	      "shrink %s: ASLS write not reported unmapped", strategy);
	CHECK(strcmp(strategy, "1b") || (ev && log_field(ev, IGDPT_EV_REFUSED)),
	      "shrink 1b: placement not refused");
	check_final(events, "shrink");
	json_object_put(events);
	close(s.ram);
	unlink(s.run.log);
	printf("ok memfd shrunk after DMA_MAP, strategy %s\n", strategy);
}

static void run_partial_asls(const char *strategy)
{
	static const struct {
		uint32_t off, len, value;
	} pieces[] = {
		{IGDPT_PCI_ASLS_OFFSET, 2, 0x0000}, {IGDPT_PCI_ASLS_OFFSET + 2, 2, 0x00F0},
		{IGDPT_PCI_ASLS_OFFSET + 3, 1, 0x00}, {IGDPT_PCI_ASLS_OFFSET + 2, 1, 0xF0},
		{IGDPT_PCI_ASLS_OFFSET + 1, 1, 0x00}, {IGDPT_PCI_ASLS_OFFSET, 1, 0x00},
	};
	struct session s;
	struct json_object *events;
	uint64_t asls = 0xF00000, before;
	bool one_b = !strcmp(strategy, "1b");
	int status;

	start(&s, strategy, false);
	CHECK(pwrite(s.ram, image, 16, (off_t)asls) == 16, "signature");
	before = ram_hash(s.ram, RAM_SIZE);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		CHECK(vfu_cfg_write(&s.c, pieces[i].off, pieces[i].len, pieces[i].value) == 0,
		      "partial %s: piece %zu", strategy, i);
	/* Also a write over ASLS in one 8-byte access from 0xF8: the dword at
	 * 0xFC arrives whole, which is the firmware's kind of write. */
	CHECK(vfu_cfg_read(&s.c, IGDPT_PCI_ASLS_OFFSET, 4) == asls, "partial %s: ASLS reads back",
	      strategy);
	CHECK(ram_hash(s.ram, RAM_SIZE) == before, "partial %s: guest RAM changed", strategy);
	CHECK(vfu_cfg_write(&s.c, IGDPT_PCI_ASLS_OFFSET, 4, (uint32_t)asls) == 0, "complete");
	CHECK(one_b == (ram_hash(s.ram, RAM_SIZE) != before),
	      "partial %s: the complete write %s", strategy, one_b ? "placed nothing" : "wrote");
	status = finish(&s);
	CHECK(status == 0, "partial %s: exit status %d", strategy, status);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_PARTIAL, "true") ==
		      (int)(sizeof(pieces) / sizeof(pieces[0])),
	      "partial %s: partial events", strategy);
	CHECK(!one_b || log_count(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY,
				  IGDPT_EV_COPY_PLACED) == 1,
	      "partial 1b: no placement on the complete write");
	json_object_put(events);
	close(s.ram);
	unlink(s.run.log);
	printf("ok partial ASLS writes over vfio-user, strategy %s\n", strategy);
}

/* ---- transfers, a client that reads nothing, signals ---- */

static void run_transfers(void)
{
	struct session s;
	struct json_object *events;
	uint8_t *big = malloc(IGDPT_VFU_MAX_DATA_XFER);
	int status;

	start(&s, "4b", false);
	/* The largest transfer, both ways (BAR2: the aperture keeps nothing). */
	memset(big, 0xA5, IGDPT_VFU_MAX_DATA_XFER);
	CHECK(vfu_region_write(&s.c, 2, 0, IGDPT_VFU_MAX_DATA_XFER, big, false) == 0, "1 MiB write");
	CHECK(vfu_region_read(&s.c, 2, 0, IGDPT_VFU_MAX_DATA_XFER, big) == 0, "1 MiB read");
	CHECK(vfu_region_read(&s.c, 2, 0, IGDPT_VFU_MAX_DATA_XFER + 1, NULL) == EINVAL,
	      "a read past max_data_xfer_size");
	/* QEMU's whole-ROM read at the first ROM access. */
	CHECK(vfu_region_read(&s.c, IGDPT_VFU_REGION_ROM, 0, ROM_SIZE, big) == 0, "ROM region");
	CHECK(big[0] == 0x55 && big[1] == 0xAA, "ROM region does not start with 0x55AA");
	/* A client that asks and never reads: the device gives up within
	 * its reply timeout and closes, it does not wedge. */
	for (int i = 0; i < 64; i++) {
		uint8_t p[IGDPT_VFU_REGION_RW_SIZE];

		igdpt_put_le64(p + IGDPT_VFU_REGION_RW_OFFSET_OFFSET, 0);
		igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, 2);
		igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, IGDPT_VFU_MAX_DATA_XFER);
		if (vfu_send(&s.c, IGDPT_VFU_REGION_READ, 0, p, sizeof(p), NULL, 0) < 0)
			break;
	}
	status = device_wait(&s.run, IGDPT_VFU_SEND_TIMEOUT_MS + EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_PROTOCOL,
	      "a client that reads nothing: status 0x%x, want exit %d", status, EXIT_PROTOCOL);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED) == 1,
	      "no protocol_error for the client that reads nothing");
	json_object_put(events);
	device_close_igd(&s.run);
	vfu_client_fini(&s.c);
	free(big);
	close(s.ram);
	unlink(s.run.log);
	printf("ok 1 MiB transfers, a client that reads no replies\n");
}

static void run_sigterm(void)
{
	struct session s;
	struct json_object *events;
	int status;

	start(&s, "4b", false);
	CHECK(vfu_cfg_read(&s.c, 0, 2) == 0x8086, "read");
	kill(s.run.pid, SIGTERM);
	status = device_wait(&s.run, EXIT_TIMEOUT_MS);
	CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "SIGTERM: device did not exit 0 (status 0x%x)", status);
	events = log_read(s.run.log);
	CHECK(log_count(events, IGDPT_EV_CLOSED, IGDPT_EV_REASON, IGDPT_EV_CLOSED_SIGTERM) == 1,
	      "SIGTERM closed event");
	check_final(events, "SIGTERM");
	json_object_put(events);
	device_close_igd(&s.run);
	vfu_client_fini(&s.c);
	close(s.ram);
	unlink(s.run.log);
	printf("ok SIGTERM while serving\n");
}

/* --vfio-user PATH: the file appears, goes once the client is there; with
 * no client, SIGTERM ends the wait and removes it. */
static void run_socket_file(bool connect_client)
{
	char sock_path[300], log_path[300];
	const char *argv[] = {device_path, "--vfio-user", sock_path, "--log", log_path, "--image",
			      image_path, NULL};
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	struct json_object *events;
	struct stat st;
	pid_t pid;
	int status = -1, waited;

	snprintf(sock_path, sizeof(sock_path), "%s/igd.sock", tmpdir);
	snprintf(log_path, sizeof(log_path), "%s/socket-file.jsonl", tmpdir);
	pid = fork();
	if (pid == 0) {
		execv(device_path, (char *const *)argv);
		_exit(127);
	}
	for (waited = 0; waited < EXIT_TIMEOUT_MS && stat(sock_path, &st) < 0; waited += 10)
		usleep(10000);
	CHECK(stat(sock_path, &st) == 0 && S_ISSOCK(st.st_mode), "no socket file at %s", sock_path);
	if (connect_client) {
		struct vfu_client c;
		int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
		CHECK(connect(sock, (struct sockaddr *)&addr, sizeof(addr)) == 0, "connect");
		CHECK(vfu_client_init(&c, sock) == 0, "client");
		CHECK(vfu_version(&c, VFU_QEMU_CAPS) == 0, "VERSION over the socket file");
		CHECK(stat(sock_path, &st) < 0, "socket file still there with a client");
		vfu_client_fini(&c);
		close(sock);
	} else {
		kill(pid, SIGTERM);
	}
	for (waited = 0; waited < EXIT_TIMEOUT_MS; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "socket file: status 0x%x", status);
	CHECK(stat(sock_path, &st) < 0, "socket file left behind");
	events = log_read(log_path);
	CHECK(log_count(events, IGDPT_EV_START, IGDPT_EV_TRANSPORT, IGDPT_EV_TRANSPORT_VFIO_USER) == 1,
	      "no start event");
	check_final(events, "socket file");
	json_object_put(events);
	unlink(log_path);
	printf("ok --vfio-user socket file, %s\n", connect_client ? "a client" : "SIGTERM before one");
}

/* Start-up errors: exit status 1, nothing left behind. */
static void run_bad_startup(const char *what, const char *const *argv_tail, bool with_socket)
{
	struct device_run run;
	int status;

	if (with_socket) {
		CHECK(device_start_vfio_user(&run, device_path, tmpdir, argv_tail) == 0, "start");
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

/* A valid option ROM for --rom, made with the tests' ROM fixture. */
static int make_rom(void)
{
	static uint8_t rom[ROM_SIZE];
	struct fx_rom_image im;
	FILE *f;

	fx_rom_image_defaults(&im);
	im.length = ROM_SIZE;
	if (!fx_rom_image_build(&im, rom, sizeof(rom)))
		return -1;
	snprintf(rom_path, sizeof(rom_path), "%s/option.rom", tmpdir);
	f = fopen(rom_path, "we");
	if (!f || fwrite(rom, 1, sizeof(rom), f) != sizeof(rom)) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f);
}

static int load_image(void)
{
	static char generated[300];
	const char *ref = reference_image();

	if (ref) {
		image_path = ref;
	} else {
		uint8_t blob[8192];
		FILE *f;

		for (size_t i = 0; i < sizeof(blob); i++)
			blob[i] = (uint8_t)(rnd() >> 56);
		memcpy(blob, "IntelGraphicsMem", 16);
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
		bool bare; /* before QEMU's start */
	} fatal[] = {
		{"a second VERSION", bad_second_version, false},
		{"VERSION with max_msg_fds not a number", bad_version_json, true},
		{"VERSION major 1", bad_version_major, true},
		{"a region read before VERSION", bad_before_version, true},
		{"DMA_MAP with two fds", bad_dma_map_two_fds, false},
		{"DMA_MAP of 24 bytes", bad_dma_map_short, false},
		{"DMA_UNMAP with an fd", bad_dma_unmap_fd, false},
		{"DEVICE_GET_INFO of 8 bytes", bad_device_info_short, false},
		{"DEVICE_GET_REGION_INFO with an fd", bad_region_info_fd, false},
		{"DEVICE_GET_IRQ_INFO of 20 bytes", bad_irq_info_long, false},
		{"DEVICE_SET_IRQS with two eventfds for one", bad_set_irqs_two_fds, false},
		{"DEVICE_SET_IRQS DATA_NONE with an fd", bad_set_irqs_fd_with_none, false},
		{"DEVICE_SET_IRQS of 16 bytes", bad_set_irqs_short, false},
		{"REGION_READ of 20 bytes", bad_region_read_long, false},
		{"posted REGION_WRITE whose count is not its data", bad_region_write_count, false},
		{"DEVICE_RESET with a payload", bad_reset_payload, false},
		{"REGION_WRITE_MULTI with an fd", bad_write_multi_fd, false},
		{"unknown command 99", bad_unknown, false},
		{"DMA_READ from the client", bad_dma_read, false},
		{"an error reply sent to the device", bad_reply_flag, false},
		{"unknown header flags", bad_flags, false},
		{"size smaller than the header", bad_size_small, false},
		{"size of 1 GiB", bad_size_huge, false},
		{"size larger than what arrived", bad_size_over_arrived, false},
		{"truncated header", bad_truncated_header, false},
		{"nine fds", bad_nine_fds, false},
	};
	static const char *const no_fd[] = {"--vfio-user-fd", "0", NULL};
	static const char *const both[] = {"--vfio-user", "/tmp/x.sock", "--igd-fd", "0", NULL};
	static const char *const lpc_fd[] = {"--lpc-fd", "0", NULL};
	static const char *const bad_rom[] = {"--rom", "/dev/null", NULL};
	static const char *const missing_rom[] = {"--rom", "/nonexistent.rom", NULL};

	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-igdpt-device\n", argv[0]);
		return 2;
	}
	device_path = argv[1];
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(tmpdir) || load_image() < 0 || make_rom() < 0) {
		perror("test setup");
		return 1;
	}
	printf("image: %s (%zu bytes), ROM: %s\n", image_path, image_size, rom_path);
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		run_fatal(fatal[i].name, fatal[i].fn, fatal[i].bare);
	run_refusals();
	run_hostile();
	run_shrink("4b");
	run_shrink("1b");
	run_partial_asls("4b");
	run_partial_asls("1b");
	run_transfers();
	run_sigterm();
	run_socket_file(true);
	run_socket_file(false);
	run_bad_startup("--vfio-user-fd not a socket", no_fd, false);
	run_bad_startup("--vfio-user with --igd-fd", both, false);
	run_bad_startup("--lpc-fd with vfio-user", lpc_fd, true);
	run_bad_startup("--rom not a PCI option ROM", bad_rom, true);
	run_bad_startup("--rom missing", missing_rom, true);

	if (image_path != reference_image())
		unlink(image_path);
	unlink(rom_path);
	rmdir(tmpdir);
	free(image);
	if (harness_failures) {
		fprintf(stderr, "%d check(s) failed\n", harness_failures);
		return 1;
	}
	printf("all vfio-user robustness checks passed\n");
	return 0;
}
