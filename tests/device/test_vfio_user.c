/* SPDX-License-Identifier: MIT */
/* Unit tests of the vfio-user transport, a test per command: a client
 * (vfu_client.c) talks to the transport over a socketpair in this process,
 * which serves each request as it is sent. Replies are checked field by
 * field against the protocol (device/vfio_user/protocol.h), including the
 * region-info capability chains, and refusals against what vfio_user.h
 * promises: an error reply and a connection that goes on, or the end of
 * the connection with a protocol_error event. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "fixture_rom.h"
#include "igdpt/abi/events.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/pci_rom.h"
#include "igdpt/core/bytes.h"
#include "model/device.h"
#include "model/vga.h"
#include "vfio_user/vfio_user.h"
#include "vfu_client.h"

#define MIB (1u << 20)
#define RAM_SIZE (16u * MIB)
#define RW (IGDPT_VFU_DMA_MAP_FLAG_READ | IGDPT_VFU_DMA_MAP_FLAG_WRITE)
#define ROM_SIZE 5000u
#define ROM_BAR_SIZE 8192u
#define IMAGE_SIZE 8192u
#define ASLS_AT (RAM_SIZE - 0x4000u)

static struct {
	char path[64];
	struct igdpt_event_log log;
	struct igdpt_device *dev;
	struct igdpt_vfu vfu;
	struct vfu_client c;
	int sv[2];
	int ram;
	uint8_t image[IMAGE_SIZE];
	uint8_t rom[ROM_SIZE];
} t;

/* What setup() builds differently. */
static struct {
	bool display_class;
	bool no_image;
	bool no_rom;
	bool strategy_1b; /* else 4b */
} opt;

static void pump(void *arg)
{
	(void)arg;
	igdpt_vfu_service(&t.vfu);
}

/* A model as igdpt-device builds it for vfio-user (the LPC and host
 * bridges, a ROM, an OpRegion), its transport on one end of a socketpair
 * and the client on the other. */
static void setup(void)
{
	struct igdpt_device_config c = {
		.igd = {.device_id = 0x5916,
			.class_code = opt.display_class ? IGDPT_PCI_CLASS_DISPLAY_OTHER
							: IGDPT_PCI_CLASS_DISPLAY_VGA,
			.subsys_vendor = 0x8086, .subsys_device = 0x5916, .revision = 2},
		.generation = 9, .strategy = opt.strategy_1b ? IGDPT_VMM_1B : IGDPT_VMM_4B,
		.lpc = true, .lpc_vendor = 0x8086, .lpc_device = 0x9D58,
		.host_bridge = true, .host_bridge_device = 0x5904,
		.image = opt.no_image ? NULL : t.image, .image_size = opt.no_image ? 0 : IMAGE_SIZE,
		.rom = opt.no_rom ? NULL : t.rom, .rom_size = opt.no_rom ? 0 : ROM_SIZE,
	};
	struct igdpt_diag diag = {0};

	for (size_t i = 0; i < IMAGE_SIZE; i++)
		t.image[i] = (uint8_t)(i * 13 + 1);
	memcpy(t.image, "IntelGraphicsMem", 16);
	for (size_t i = 0; i < ROM_SIZE; i++)
		t.rom[i] = (uint8_t)(i * 7 + 3);
	t.rom[0] = 0x55;
	t.rom[1] = 0xAA;
	snprintf(t.path, sizeof(t.path), "/tmp/igdpt-vfu-unit-%d.jsonl", (int)getpid());
	assert_int_equal(igdpt_event_log_open(&t.log, t.path), 0);
	assert_int_equal(igdpt_device_create(&c, &t.log, &t.dev, &diag), 0);
	assert_int_equal(igdpt_vfu_init(&t.vfu, t.dev, &t.log), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, t.sv), 0);
	igdpt_vfu_connect(&t.vfu, t.sv[1]);
	assert_int_equal(vfu_client_init(&t.c, t.sv[0]), 0);
	t.c.pump = pump;
	t.ram = memfd_create("guest-ram", MFD_CLOEXEC);
	assert_true(t.ram >= 0);
	assert_int_equal(ftruncate(t.ram, RAM_SIZE), 0);
}

/* Tears everything down; returns the events (json_object_put them). */
static struct json_object *teardown(void)
{
	struct json_object *events = json_object_new_array();
	char line[8192];
	FILE *f;

	vfu_client_fini(&t.c);
	close(t.sv[0]);
	igdpt_vfu_fini(&t.vfu);
	igdpt_device_destroy(t.dev);
	igdpt_event_log_close(&t.log);
	close(t.ram);
	memset(&opt, 0, sizeof(opt));
	f = fopen(t.path, "re");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		json_object_array_add(events, json_tokener_parse(line));
	fclose(f);
	unlink(t.path);
	return events;
}

/* How many events named name have field key equal to value (key NULL:
 * any). */
static int count_events(struct json_object *events, const char *name, const char *key,
			const char *value)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *ev = json_object_array_get_idx(events, i), *v;

		if (strcmp(json_object_get_string(json_object_object_get(ev, IGDPT_EV_KEY_EVENT)),
			   name))
			continue;
		if (!key || (json_object_object_get_ex(ev, key, &v) &&
			     !strcmp(json_object_get_string(v), value)))
			n++;
	}
	return n;
}

static void started(void)
{
	assert_int_equal(vfu_qemu_start(&t.c, t.ram, RAM_SIZE), 0);
}

/* The connection ended (as the device closes it) with a protocol_error
 * whose reason mentions what. */
static void expect_closed(const char *what)
{
	struct json_object *events;

	assert_true(vfu_closed_by_peer(&t.c, 100));
	assert_int_equal(t.vfu.state, IGDPT_VFU_FAILED);
	events = teardown();
	if (count_events(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION,
			 IGDPT_EV_ACTION_CLOSED) != 1) {
		fprintf(stderr, "%s\n", json_object_to_json_string(events));
		fail_msg("no protocol_error closing the connection for %s", what);
	}
	assert_int_equal(count_events(events, IGDPT_EV_CLOSED, NULL, NULL), 1);
	json_object_put(events);
}

static uint32_t le32_at(uint32_t off)
{
	return igdpt_le32(t.c.payload + off);
}

/* ---- VERSION ---- */

static void test_version(void **state)
{
	static const char *const bad_json[] = {
		"[]", "{", "{} x", "{\"capabilities\": 7}",
		"{\"capabilities\": {\"max_msg_fds\": \"8\"}}",
		"{\"capabilities\": {\"pgsizes\": -4096}}",
		"{\"capabilities\": {\"pgsizes\": 4096.5}}",
		"{\"capabilities\": {\"pgsizes\": 99999999999999999999999}}",
		"{\"capabilities\": {\"write_multiple\": 1}}",
		"{\"a\": [[[[[[[[[[1]]]]]]]]]]}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}",
		"{\"a\": 01}", "{\"a\": tru}", "{\"a\" 1}", "{\"a\": 1,}",
		"{\"capabilities\": {\"pgsizes\": 0}}",
	};
	const char *reply;

	(void)state;
	/* QEMU's capabilities: the device answers each it shares, no more. */
	setup();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), 0);
	assert_int_equal(igdpt_le16(t.c.payload + IGDPT_VFU_VERSION_MAJOR_OFFSET), 0);
	assert_int_equal(igdpt_le16(t.c.payload + IGDPT_VFU_VERSION_MINOR_OFFSET), 0);
	reply = (const char *)t.c.payload + IGDPT_VFU_VERSION_DATA_OFFSET;
	assert_int_equal(t.c.payload[t.c.payload_size - 1], 0);
	assert_string_equal(reply, "{\"capabilities\":{\"max_msg_fds\":8,\"max_data_xfer_size\":"
				   "1048576,\"pgsizes\":4096,\"max_dma_maps\":64}}");
	/* Never longer than the request: QEMU's reply buffer is its size. */
	assert_true(t.c.size <= IGDPT_VFU_HDR_SIZE + IGDPT_VFU_VERSION_DATA_OFFSET +
				       sizeof(VFU_QEMU_CAPS));
	json_object_put(teardown());

	/* A subset: only what the client named. */
	setup();
	assert_int_equal(vfu_version(&t.c, "{\"x\":{\"y\":[1,2.5e3,null,true]},\"capabilities\":"
					   "{\"pgsizes\":2101248,\"twin_socket\":{}}}"),
			 0);
	assert_string_equal((const char *)t.c.payload + IGDPT_VFU_VERSION_DATA_OFFSET,
			    "{\"capabilities\":{\"pgsizes\":2101248}}");
	json_object_put(teardown());

	/* No JSON, and JSON that would not fit the request: none back. */
	setup();
	assert_int_equal(vfu_version(&t.c, NULL), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_VERSION_DATA_OFFSET);
	assert_int_equal(vfu_device_info(&t.c), 0);
	json_object_put(teardown());
	setup();
	assert_int_equal(vfu_version(&t.c, "{\"capabilities\":{\"max_msg_fds\":1}}"), 0);
	assert_string_equal((const char *)t.c.payload + IGDPT_VFU_VERSION_DATA_OFFSET,
			    "{\"capabilities\":{\"max_msg_fds\":8}}");
	json_object_put(teardown());
	setup();
	assert_int_equal(vfu_version(&t.c, "{\"capabilities\":{\"max_dma_maps\":1,"
					   "\"max_msg_fds\":1,\"pgsizes\":1}}"),
			 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_VERSION_DATA_OFFSET);
	json_object_put(teardown());

	/* Malformed capabilities end the connection. */
	for (size_t i = 0; i < sizeof(bad_json) / sizeof(bad_json[0]); i++) {
		setup();
		assert_int_equal(vfu_version(&t.c, bad_json[i]), EPROTO);
		expect_closed(bad_json[i]);
	}
	/* JSON without its NUL. */
	setup();
	{
		uint8_t p[IGDPT_VFU_VERSION_DATA_OFFSET + 2] = {0, 0, 0, 0, '{', '}'};

		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_VERSION, p, sizeof(p), NULL, 0), EPROTO);
	}
	expect_closed("no NUL");
	/* Another major version. */
	setup();
	{
		uint8_t p[IGDPT_VFU_VERSION_DATA_OFFSET] = {1, 0, 0, 0};

		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_VERSION, p, sizeof(p), NULL, 0), EPROTO);
	}
	expect_closed("major 1");
	/* Twice, and anything before it. */
	setup();
	started();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), EPROTO);
	expect_closed("second VERSION");
	setup();
	assert_int_equal(vfu_device_info(&t.c), EPROTO);
	expect_closed("before VERSION");
}

/* ---- DMA_MAP / DMA_UNMAP ---- */

static void test_dma(void **state)
{
	struct json_object *events;
	int pipefd[2];

	(void)state;
	setup();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), 0);
	/* QEMU's pc layout: RAM pieces with the memfd, ROM windows without. */
	assert_int_equal(vfu_dma_map(&t.c, 0, 0xC0000, 0, RW, t.ram), 0);
	assert_int_equal(vfu_dma_map(&t.c, 0xC0000, 0x20000, 0, IGDPT_VFU_DMA_MAP_FLAG_READ, -1), 0);
	assert_int_equal(vfu_dma_map(&t.c, 0x100000, RAM_SIZE - 0x100000, 0x100000, RW, t.ram), 0);
	assert_int_equal(t.c.payload_size, 0);
	/* Refused, and the connection goes on. */
	assert_int_equal(vfu_dma_map(&t.c, 0xC0000, 0x1000, 0, RW, t.ram), EEXIST);
	assert_int_equal(vfu_dma_map(&t.c, 0xBF000, 0x2000, 0, RW, -1), EEXIST);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000800, 0x1000, 0, RW, t.ram), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x800, 0, RW, t.ram), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x1000, 0x800, RW, t.ram), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0, 0, RW, t.ram), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0xFFFFFFFFFFFFF000ull, 0x2000, 0, RW, -1), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x1000, 0, 0, t.ram), EINVAL);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x1000, 0, 4, t.ram), EINVAL);
	/* Past the end of its file; a file that is no memory. */
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x2000, RAM_SIZE - 0x1000, RW, t.ram), EINVAL);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	assert_int_equal(vfu_dma_map(&t.c, 0x10000000, 0x1000, 0, RW, pipefd[0]), EINVAL);
	close(pipefd[0]);
	close(pipefd[1]);
	/* Unmaps name exactly one map. */
	assert_int_equal(vfu_dma_unmap(&t.c, 0xC0000, 0x10000, 0), ENOENT);
	assert_int_equal(vfu_dma_unmap(&t.c, 0xC0000, 0x20000, 0), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_DMA_UNMAP_SIZE);
	assert_int_equal(igdpt_le64(t.c.payload + IGDPT_VFU_DMA_UNMAP_ADDRESS_OFFSET), 0xC0000);
	assert_int_equal(vfu_dma_unmap(&t.c, 0xC0000, 0x20000, 0), ENOENT);
	assert_int_equal(vfu_dma_unmap(&t.c, 0, 0xC0000, IGDPT_VFU_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP),
			 ENOTSUP);
	assert_int_equal(vfu_dma_unmap(&t.c, 0, 0xC0000, 8), EINVAL);
	assert_int_equal(vfu_dma_unmap(&t.c, 0, 0xC0000, IGDPT_VFU_DMA_UNMAP_FLAG_ALL), EINVAL);
	assert_int_equal(t.vfu.dma.count, 2);
	assert_int_equal(vfu_dma_unmap(&t.c, 0, 0, IGDPT_VFU_DMA_UNMAP_FLAG_ALL), 0);
	assert_int_equal(t.vfu.dma.count, 0);
	/* A storm up to the limit, one more is refused; all unmapped again. */
	for (unsigned i = 0; i < IGDPT_VFU_MAX_DMA_MAPS; i++)
		assert_int_equal(vfu_dma_map(&t.c, (uint64_t)i * 0x10000, 0x1000, (uint64_t)i * 0x1000,
					     RW, i % 2 ? -1 : t.ram),
				 0);
	assert_int_equal(vfu_dma_map(&t.c, 0x40000000, 0x1000, 0, RW, t.ram), ENOSPC);
	for (unsigned i = 0; i < IGDPT_VFU_MAX_DMA_MAPS; i++)
		assert_int_equal(vfu_dma_unmap(&t.c, (uint64_t)i * 0x10000, 0x1000, 0), 0);
	assert_int_equal(vfu_device_info(&t.c), 0);
	events = teardown();
	assert_true(count_events(events, IGDPT_EV_SYSMEM, NULL, NULL) >= 3);
	assert_int_equal(count_events(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION,
				      IGDPT_EV_ACTION_ERROR_REPLY),
			 17);
	assert_int_equal(count_events(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_COMMAND,
				      "DMA_MAP"),
			 12);
	json_object_put(events);

	/* Two fds with one map: the stream is wrong, the connection ends. */
	setup();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), 0);
	{
		uint8_t p[IGDPT_VFU_DMA_MAP_SIZE] = {0};
		int fds[2] = {t.ram, t.ram};

		igdpt_put_le32(p, IGDPT_VFU_DMA_MAP_SIZE);
		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_DMA_MAP, p, sizeof(p), fds, 2), EPROTO);
	}
	expect_closed("two fds");
	setup();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), 0);
	{
		uint8_t p[IGDPT_VFU_DMA_MAP_SIZE + 8] = {0};

		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_DMA_MAP, p, sizeof(p), NULL, 0), EPROTO);
	}
	expect_closed("long DMA_MAP");
}

/* ---- DEVICE_GET_INFO ---- */

static void test_device_info(void **state)
{
	(void)state;
	setup();
	started();
	assert_int_equal(vfu_device_info(&t.c), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_DEVICE_INFO_SIZE);
	assert_int_equal(le32_at(IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET), 16);
	assert_int_equal(le32_at(IGDPT_VFU_DEVICE_INFO_FLAGS_OFFSET),
			 IGDPT_VFU_DEVICE_FLAGS_RESET | IGDPT_VFU_DEVICE_FLAGS_PCI);
	/* 9 PCI regions, the OpRegion and both bridges, as a host IGD; QEMU
	 * 11.1 wants at least 8 regions and 3 interrupt types. */
	assert_int_equal(le32_at(IGDPT_VFU_DEVICE_INFO_NUM_REGIONS_OFFSET), 12);
	assert_int_equal(le32_at(IGDPT_VFU_DEVICE_INFO_NUM_IRQS_OFFSET), 5);
	{
		uint8_t p[IGDPT_VFU_DEVICE_INFO_SIZE] = {8};

		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_DEVICE_GET_INFO, p, sizeof(p), NULL, 0),
				 EINVAL);
	}
	json_object_put(teardown());
	/* Without an OpRegion: no OpRegion region. */
	opt.no_image = true;
	setup();
	started();
	assert_int_equal(vfu_device_info(&t.c), 0);
	assert_int_equal(le32_at(IGDPT_VFU_DEVICE_INFO_NUM_REGIONS_OFFSET), 11);
	assert_int_equal(vfu_region_info(&t.c, 9, 64), 0);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_SIZE + IGDPT_VFU_CAP_TYPE_SUBTYPE_OFFSET),
			 IGDPT_VFU_REGION_SUBTYPE_IGD_HOST_CFG);
	json_object_put(teardown());
}

/* ---- DEVICE_GET_REGION_INFO ---- */

static void check_region(uint32_t index, uint64_t size, uint32_t flags)
{
	assert_int_equal(vfu_region_info(&t.c, index, IGDPT_VFU_REGION_INFO_SIZE), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_REGION_INFO_SIZE);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET), IGDPT_VFU_REGION_INFO_SIZE);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_FLAGS_OFFSET), flags);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_INDEX_OFFSET), index);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_CAP_OFFSET_OFFSET), 0);
	assert_int_equal(igdpt_le64(t.c.payload + IGDPT_VFU_REGION_INFO_SIZE_OFFSET), size);
}

/* A device-specific region: asked with room for the chain, the type
 * capability follows; asked with 32 bytes, the reply says how much room it
 * needs, keeps FLAG_CAPS and points cap_offset where the chain goes. */
static void check_typed_region(uint32_t index, uint64_t size, uint32_t subtype)
{
	const uint32_t full = IGDPT_VFU_REGION_INFO_SIZE + IGDPT_VFU_CAP_TYPE_SIZE;
	const uint32_t flags = IGDPT_VFU_REGION_INFO_FLAG_READ | IGDPT_VFU_REGION_INFO_FLAG_CAPS;
	const uint8_t *cap;

	assert_int_equal(vfu_region_info(&t.c, index, IGDPT_VFU_REGION_INFO_SIZE), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_REGION_INFO_SIZE);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET), full);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_FLAGS_OFFSET), flags);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_CAP_OFFSET_OFFSET), IGDPT_VFU_REGION_INFO_SIZE);
	assert_int_equal(vfu_region_info(&t.c, index, 4096), 0);
	assert_int_equal(t.c.payload_size, full);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET), full);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_FLAGS_OFFSET), flags);
	assert_int_equal(le32_at(IGDPT_VFU_REGION_INFO_INDEX_OFFSET), index);
	assert_int_equal(igdpt_le64(t.c.payload + IGDPT_VFU_REGION_INFO_SIZE_OFFSET), size);
	cap = t.c.payload + le32_at(IGDPT_VFU_REGION_INFO_CAP_OFFSET_OFFSET);
	assert_int_equal(igdpt_le16(cap + IGDPT_VFU_CAP_ID_OFFSET), IGDPT_VFU_CAP_TYPE_ID);
	assert_int_equal(igdpt_le16(cap + IGDPT_VFU_CAP_VERSION_OFFSET), 1);
	assert_int_equal(igdpt_le32(cap + IGDPT_VFU_CAP_NEXT_OFFSET), 0);
	assert_int_equal(igdpt_le32(cap + IGDPT_VFU_CAP_TYPE_TYPE_OFFSET), 0x80008086u);
	assert_int_equal(igdpt_le32(cap + IGDPT_VFU_CAP_TYPE_SUBTYPE_OFFSET), subtype);
}

static void test_region_info(void **state)
{
	const uint32_t rw = IGDPT_VFU_REGION_INFO_FLAG_READ | IGDPT_VFU_REGION_INFO_FLAG_WRITE;

	(void)state;
	setup();
	started();
	check_region(0, 16 * MIB, rw);
	check_region(1, 0, 0);
	check_region(2, 256 * MIB, rw);
	check_region(3, 0, 0);
	check_region(4, 64, rw);
	check_region(5, 0, 0);
	check_region(6, ROM_BAR_SIZE, IGDPT_VFU_REGION_INFO_FLAG_READ);
	check_region(7, 4096, rw);
	check_region(8, IGDPT_VGA_REGION_SIZE, rw);
	check_typed_region(9, IMAGE_SIZE, IGDPT_VFU_REGION_SUBTYPE_IGD_OPREGION);
	check_typed_region(10, 256, IGDPT_VFU_REGION_SUBTYPE_IGD_HOST_CFG);
	check_typed_region(11, 256, IGDPT_VFU_REGION_SUBTYPE_IGD_LPC_CFG);
	assert_int_equal(vfu_region_info(&t.c, 12, 64), EINVAL);
	assert_int_equal(vfu_region_info(&t.c, 0xFFFFFFFF, 64), EINVAL);
	assert_int_equal(vfu_region_info(&t.c, 0, 16), EINVAL);
	json_object_put(teardown());
	/* Display class and no ROM: VGA and ROM of size 0. */
	opt.display_class = true;
	opt.no_rom = true;
	setup();
	started();
	check_region(6, 0, 0);
	check_region(8, 0, 0);
	json_object_put(teardown());
}

/* ---- DEVICE_GET_IRQ_INFO ---- */

static void test_irq_info(void **state)
{
	static const uint32_t flags[5] = {0x7, 0x9, 0x9, 0x9, 0x9};
	static const uint32_t counts[5] = {1, 0, 0, 1, 1};

	(void)state;
	setup();
	started();
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(vfu_irq_info(&t.c, i), 0);
		assert_int_equal(le32_at(IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET), 16);
		assert_int_equal(le32_at(IGDPT_VFU_IRQ_INFO_FLAGS_OFFSET), flags[i]);
		assert_int_equal(le32_at(IGDPT_VFU_IRQ_INFO_INDEX_OFFSET), i);
		assert_int_equal(le32_at(IGDPT_VFU_IRQ_INFO_COUNT_OFFSET), counts[i]);
	}
	assert_int_equal(vfu_irq_info(&t.c, 5), EINVAL);
	json_object_put(teardown());
}

/* ---- DEVICE_SET_IRQS ---- */

static void test_set_irqs(void **state)
{
	const uint32_t trigger_fd = IGDPT_VFU_IRQ_SET_DATA_EVENTFD | IGDPT_VFU_IRQ_SET_ACTION_TRIGGER;
	const uint32_t disable = IGDPT_VFU_IRQ_SET_DATA_NONE | IGDPT_VFU_IRQ_SET_ACTION_TRIGGER;
	int a = eventfd(0, EFD_CLOEXEC), b = eventfd(0, EFD_CLOEXEC);
	int fds[2] = {a, b};

	(void)state;
	assert_true(a >= 0 && b >= 0);
	setup();
	started();
	/* QEMU's sequence: INTx and ERR eventfds, INTx off, INTx again. */
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_INTX, 0, 1, &a, 1), 0);
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_ERR, 0, 1, &b, 1), 0);
	assert_int_equal(igdpt_vfu_irqs_kept(&t.vfu.irqs), 2);
	assert_int_equal(vfu_set_irqs(&t.c, disable, IGDPT_VFU_IRQ_INTX, 0, 0, NULL, 0), 0);
	assert_int_equal(igdpt_vfu_irqs_kept(&t.vfu.irqs), 1);
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_INTX, 0, 1, &a, 1), 0);
	/* Replaced: one kept per index and action. */
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_INTX, 0, 1, &b, 1), 0);
	assert_int_equal(igdpt_vfu_irqs_kept(&t.vfu.irqs), 2);
	/* De-assigned without fds; masks; a trigger from the client. */
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_ERR, 0, 1, NULL, 0), 0);
	assert_int_equal(igdpt_vfu_irqs_kept(&t.vfu.irqs), 1);
	assert_int_equal(vfu_set_irqs(&t.c, IGDPT_VFU_IRQ_SET_DATA_NONE |
						    IGDPT_VFU_IRQ_SET_ACTION_UNMASK,
				      IGDPT_VFU_IRQ_INTX, 0, 1, NULL, 0),
			 0);
	assert_int_equal(vfu_set_irqs(&t.c, disable, IGDPT_VFU_IRQ_INTX, 0, 1, NULL, 0), 0);
	/* Refused: no MSI, no index 5, ranges, flag combinations. */
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_MSI, 0, 1, &a, 1), EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, 5, 0, 1, &a, 1), EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, disable, IGDPT_VFU_IRQ_INTX, 1, 1, NULL, 0), EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, disable, IGDPT_VFU_IRQ_INTX, 1, 0, NULL, 0), EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, IGDPT_VFU_IRQ_SET_ACTION_TRIGGER, 0, 0, 1, NULL, 0),
			 EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd | IGDPT_VFU_IRQ_SET_DATA_NONE, 0, 0, 1, NULL,
				      0),
			 EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, disable | IGDPT_VFU_IRQ_SET_ACTION_MASK, 0, 0, 0, NULL,
				      0),
			 EINVAL);
	assert_int_equal(vfu_set_irqs(&t.c, disable | 0x100, 0, 0, 0, NULL, 0), EINVAL);
	assert_int_equal(igdpt_vfu_irqs_kept(&t.vfu.irqs), 1);
	json_object_put(teardown());
	/* The wrong number of eventfds: the connection ends. */
	setup();
	started();
	assert_int_equal(vfu_set_irqs(&t.c, trigger_fd, IGDPT_VFU_IRQ_INTX, 0, 1, fds, 2), EPROTO);
	expect_closed("two eventfds for one interrupt");
	setup();
	started();
	assert_int_equal(vfu_set_irqs(&t.c, disable, IGDPT_VFU_IRQ_INTX, 0, 1, &a, 1), EPROTO);
	expect_closed("an eventfd with DATA_NONE");
	close(a);
	close(b);
}

/* ---- REGION_READ / REGION_WRITE ---- */

static void test_region_access(void **state)
{
	uint8_t buf[IMAGE_SIZE], zero[16] = {0};
	uint32_t v;

	(void)state;
	setup();
	started();
	/* Config space: identity, QEMU's whole-region read at realize. */
	assert_int_equal(vfu_cfg_read(&t.c, 0, 4), 0x59168086);
	assert_int_equal(vfu_region_read(&t.c, IGDPT_VFU_REGION_CONFIG, 0, 4096, buf), 0);
	assert_int_equal(igdpt_le32(buf), 0x59168086);
	assert_int_equal(igdpt_le16(buf + 0x0A), IGDPT_PCI_CLASS_DISPLAY_VGA);
	/* BAR sizing through the server, as SeaBIOS's writes reach it. */
	assert_int_equal(vfu_cfg_write(&t.c, 0x10, 4, 0xFFFFFFFF), 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x10, 4), 0xFF000004);
	assert_int_equal(vfu_cfg_write(&t.c, 0x20, 4, 0xFFFFFFFF), 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x20, 4), 0xFFFFFFC1);
	/* The ROM BAR sizes as QEMU's vfio does at realize, and the ROM
	 * region holds the file, then zeros. */
	assert_int_equal(vfu_cfg_read(&t.c, 0x30, 4), 0);
	assert_int_equal(vfu_cfg_write(&t.c, 0x30, 4, 0xFFFFF800), 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x30, 4), 0xFFFFE000);
	assert_int_equal(vfu_cfg_write(&t.c, 0x30, 4, 0), 0);
	assert_int_equal(vfu_region_read(&t.c, IGDPT_VFU_REGION_ROM, 0, ROM_BAR_SIZE, buf), 0);
	assert_memory_equal(buf, t.rom, ROM_SIZE);
	assert_memory_equal(buf + ROM_BAR_SIZE - 16, zero, 16);
	/* A config dword, a word, a byte; a write over two dwords. */
	assert_int_equal(vfu_cfg_read(&t.c, 0x3D, 1), 1);
	assert_int_equal(vfu_cfg_read(&t.c, 0x2E, 2), 0x5916);
	assert_int_equal(vfu_cfg_write(&t.c, 0x04, 2, 0x0007), 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x04, 2), 0x0007);
	igdpt_put_le32(buf, 0x11111111);
	igdpt_put_le32(buf + 4, 0x0007E000);
	assert_int_equal(vfu_region_write(&t.c, IGDPT_VFU_REGION_CONFIG, 0xF8, 8, buf, false), 0);
	assert_int_equal(t.c.payload_size, IGDPT_VFU_REGION_RW_SIZE);
	assert_int_equal(vfu_cfg_read(&t.c, 0xFC, 4), 0x0007E000);
	/* BAR0: the GGC mirror reads the context; a posted write gets no
	 * reply, the next request's reply comes next. */
	assert_int_equal(vfu_region_read(&t.c, 0, 0x108040, 4, &v), 0);
	assert_int_equal(v & 0xFFFF, vfu_cfg_read(&t.c, 0x50, 2));
	v = 0x12345678;
	assert_int_equal(vfu_region_write(&t.c, 0, 0x2000, 4, &v, true), 0);
	assert_int_equal(vfu_region_read(&t.c, 0, 0x2000, 4, &v), 0);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(vfu_region_read(&t.c, 0, 0x2000, 8, buf), 0);
	/* BAR4: the I/O window into BAR0. */
	v = 0x2000;
	assert_int_equal(vfu_region_write(&t.c, 4, 0, 4, &v, false), 0);
	assert_int_equal(vfu_region_read(&t.c, 4, 4, 4, &v), 0);
	assert_int_equal(v, 0x12345678);
	/* The device-specific regions. */
	assert_int_equal(vfu_region_read(&t.c, 9, 0, IMAGE_SIZE, buf), 0);
	assert_memory_equal(buf, t.image, 4096);
	assert_int_equal(vfu_region_read(&t.c, 10, 0, 256, buf), 0);
	assert_int_equal(igdpt_le32(buf), 0x59048086);
	assert_int_equal(igdpt_le16(buf + 0x0A), IGDPT_PCI_CLASS_BRIDGE_HOST);
	assert_int_equal(vfu_region_read(&t.c, 11, 0, 4, &v), 0);
	assert_int_equal(v, 0x9D588086);
	assert_int_equal(vfu_region_read(&t.c, 11, 0x0A, 2, &v), 0);
	assert_int_equal(v & 0xFFFF, IGDPT_PCI_CLASS_BRIDGE_ISA);
	/* VGA: memory and ports keep what is written. */
	v = 0xCAFE0741;
	assert_int_equal(vfu_region_write(&t.c, 8, 0xB8000, 4, &v, false), 0);
	v = 0;
	assert_int_equal(vfu_region_read(&t.c, 8, 0xB8000, 4, &v), 0);
	assert_int_equal(v, 0xCAFE0741);
	assert_int_equal(vfu_region_read(&t.c, 8, 0x3C0, 32, buf), 0);
	/* Refused, the connection goes on. */
	assert_int_equal(vfu_region_read(&t.c, 8, 0x3BC, 4, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 7, 4094, 4, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 7, 0xFFFFFFFFFFFFFFFFull, 4, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 9, IMAGE_SIZE, 1, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 1, 0, 4, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 12, 0, 4, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 0, 0, 0, buf), EINVAL);
	assert_int_equal(vfu_region_read(&t.c, 2, 0, IGDPT_VFU_MAX_DATA_XFER + 1, buf), EINVAL);
	assert_int_equal(vfu_region_write(&t.c, 6, 0, 4, buf, false), EINVAL);
	assert_int_equal(vfu_region_write(&t.c, 9, 0, 4, buf, false), EINVAL);
	assert_int_equal(vfu_region_write(&t.c, 10, 0, 4, buf, false), EINVAL);
	assert_int_equal(vfu_region_write(&t.c, 11, 0, 4, buf, false), EINVAL);
	assert_int_equal(vfu_region_write(&t.c, 0, IGDPT_IGD_BAR0_SIZE - 2, 4, buf, true), 0);
	assert_int_equal(vfu_region_read(&t.c, 9, 0, 16, buf), 0);
	assert_memory_equal(buf, "IntelGraphicsMem", 16);
	{
		struct json_object *events = teardown();

		assert_int_equal(count_events(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION,
					      IGDPT_EV_ACTION_DROPPED),
				 1);
		assert_int_equal(count_events(events, IGDPT_EV_PROTOCOL_ERROR, IGDPT_EV_ACTION,
					      IGDPT_EV_ACTION_ERROR_REPLY),
				 12);
		json_object_put(events);
	}
	/* A REGION_WRITE whose count is not its data: the connection ends. */
	setup();
	started();
	{
		uint8_t p[IGDPT_VFU_REGION_RW_SIZE + 4] = {0};

		igdpt_put_le32(p + IGDPT_VFU_REGION_RW_REGION_OFFSET, 7);
		igdpt_put_le32(p + IGDPT_VFU_REGION_RW_COUNT_OFFSET, 8);
		assert_int_equal(vfu_call(&t.c, IGDPT_VFU_REGION_WRITE, p, sizeof(p), NULL, 0),
				 EPROTO);
	}
	expect_closed("REGION_WRITE count");
}

/* ---- the guest-copy check over DMA maps ---- */

static void test_guest_copy(void **state)
{
	struct json_object *events;

	(void)state;
	setup();
	started();
	/* The firmware's copy at ASLS: identical. */
	assert_int_equal(pwrite(t.ram, t.image, IMAGE_SIZE, ASLS_AT), IMAGE_SIZE);
	assert_int_equal(vfu_cfg_write(&t.c, IGDPT_PCI_ASLS_OFFSET, 4, ASLS_AT), 0);
	assert_string_equal(igdpt_device_guest_copy(t.dev, NULL), IGDPT_EV_COPY_IDENTICAL);
	/* Unmapped: the check cannot read it. */
	assert_int_equal(vfu_dma_unmap(&t.c, 0, RAM_SIZE, 0), 0);
	assert_string_equal(igdpt_device_guest_copy(t.dev, NULL), IGDPT_EV_COPY_UNMAPPED);
	events = teardown();
	assert_int_equal(count_events(events, IGDPT_EV_ASLS_WRITE, IGDPT_EV_GUEST_COPY,
				      IGDPT_EV_COPY_IDENTICAL),
			 1);
	json_object_put(events);

	/* 1b places its copy only in a writable map. */
	opt.strategy_1b = true;
	setup();
	assert_int_equal(vfu_version(&t.c, VFU_QEMU_CAPS), 0);
	assert_int_equal(vfu_dma_map(&t.c, 0, RAM_SIZE, 0, IGDPT_VFU_DMA_MAP_FLAG_READ, t.ram), 0);
	assert_int_equal(pwrite(t.ram, t.image, 16, ASLS_AT), 16);
	assert_int_equal(vfu_cfg_write(&t.c, IGDPT_PCI_ASLS_OFFSET, 4, ASLS_AT), 0);
	assert_int_not_equal(igdpt_vmm_placement(igdpt_device_vmm(t.dev)),
			     IGDPT_VMM_PLACED_GUEST_RAM);
	assert_int_equal(vfu_reset(&t.c), 0);
	assert_int_equal(vfu_dma_unmap(&t.c, 0, RAM_SIZE, 0), 0);
	assert_int_equal(vfu_dma_map(&t.c, 0, RAM_SIZE, 0, RW, t.ram), 0);
	assert_int_equal(vfu_cfg_write(&t.c, IGDPT_PCI_ASLS_OFFSET, 4, ASLS_AT), 0);
	assert_int_equal(igdpt_vmm_placement(igdpt_device_vmm(t.dev)), IGDPT_VMM_PLACED_GUEST_RAM);
	json_object_put(teardown());
}

/* ---- DEVICE_RESET ---- */

static void test_reset(void **state)
{
	(void)state;
	setup();
	started();
	assert_int_equal(vfu_cfg_write(&t.c, 0x04, 2, 0x0007), 0);
	assert_int_equal(vfu_cfg_write(&t.c, 0x30, 4, 0xFEB00001), 0);
	assert_int_equal(vfu_cfg_write(&t.c, IGDPT_PCI_ASLS_OFFSET, 4, 0x7FFE000), 0);
	assert_int_equal(vfu_reset(&t.c), 0);
	assert_int_equal(t.c.payload_size, 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x04, 2), 0);
	assert_int_equal(vfu_cfg_read(&t.c, 0x30, 4), 0);
	assert_int_equal(vfu_cfg_read(&t.c, IGDPT_PCI_ASLS_OFFSET, 4), 0);
	/* A reset with a payload is not one a client sends. */
	assert_int_equal(vfu_call(&t.c, IGDPT_VFU_DEVICE_RESET, "x", 1, NULL, 0), EPROTO);
	expect_closed("reset with payload");
}

/* ---- what the device does not implement, and what no client sends ---- */

static void test_unsupported_and_malformed(void **state)
{
	static const uint16_t unsupported[] = {
		IGDPT_VFU_DEVICE_GET_REGION_IO_FDS, IGDPT_VFU_DIRTY_PAGES,
		IGDPT_VFU_REGION_WRITE_MULTI,       IGDPT_VFU_DEVICE_FEATURE,
		IGDPT_VFU_MIG_DATA_READ,            IGDPT_VFU_MIG_DATA_WRITE,
	};
	uint8_t p[32] = {0}, raw[IGDPT_VFU_HDR_SIZE];

	(void)state;
	setup();
	started();
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		assert_int_equal(vfu_call(&t.c, unsupported[i], p, sizeof(p), NULL, 0), ENOTSUP);
	assert_int_equal(vfu_device_info(&t.c), 0);
	json_object_put(teardown());

	/* Commands a client never sends. */
	setup();
	started();
	assert_int_equal(vfu_call(&t.c, 99, NULL, 0, NULL, 0), EPROTO);
	expect_closed("unknown command");
	setup();
	started();
	assert_int_equal(vfu_call(&t.c, IGDPT_VFU_DMA_READ, p, 16, NULL, 0), EPROTO);
	expect_closed("DMA_READ from the client");
	/* Headers no client sends: a reply, an error, unknown flags, sizes. */
	setup();
	started();
	igdpt_vfu_put_header(raw, 7, IGDPT_VFU_DEVICE_RESET, 16, IGDPT_VFU_FLAG_TYPE_REPLY, 0);
	assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), NULL, 0), 0);
	expect_closed("a reply");
	setup();
	started();
	igdpt_vfu_put_header(raw, 7, IGDPT_VFU_DEVICE_RESET, 16, 0x40, 0);
	assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), NULL, 0), 0);
	expect_closed("unknown flags");
	setup();
	started();
	igdpt_vfu_put_header(raw, 7, IGDPT_VFU_DEVICE_RESET, 8, 0, 0);
	assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), NULL, 0), 0);
	expect_closed("size below the header");
	setup();
	started();
	igdpt_vfu_put_header(raw, 7, IGDPT_VFU_REGION_WRITE, IGDPT_VFU_MAX_MSG_SIZE + 1, 0, 0);
	assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), NULL, 0), 0);
	expect_closed("a write over the largest message");
	setup();
	started();
	igdpt_vfu_put_header(raw, 7, IGDPT_VFU_DEVICE_GET_INFO, 0xFFFFFFFF, 0, 0);
	assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), NULL, 0), 0);
	expect_closed("a 4 GiB message");
	/* A header cut short, then the peer leaves. */
	setup();
	started();
	assert_int_equal(vfu_send_raw(&t.c, raw, 10, NULL, 0), 0);
	shutdown(t.sv[0], SHUT_WR);
	pump(NULL);
	expect_closed("a truncated header");
	/* More fds than max_msg_fds. */
	setup();
	started();
	{
		int fds[IGDPT_VFU_MAX_MSG_FDS + 1];

		for (unsigned i = 0; i <= IGDPT_VFU_MAX_MSG_FDS; i++)
			fds[i] = t.ram;
		igdpt_vfu_put_header(raw, 7, IGDPT_VFU_DEVICE_RESET, 16, 0, 0);
		assert_int_equal(vfu_send_raw(&t.c, raw, sizeof(raw), fds, IGDPT_VFU_MAX_MSG_FDS + 1),
				 0);
	}
	expect_closed("nine fds");
}

/* ---- what QEMU's vfio code does to a ROM it reads from region 6 ---- */

static void test_rom_check(void **state)
{
	static uint8_t pe[4096], rom[8192];
	struct fx_rom_image im;
	struct fx_pe p;
	const char *reason = NULL;
	size_t pe_len, len;

	(void)state;
	fx_pe_defaults(&p);
	pe_len = fx_pe_build(&p, pe, sizeof(pe));
	assert_true(pe_len > 0);
	fx_rom_image_defaults(&im);
	im.code_type = IGDPT_ROM_CODE_EFI;
	im.payload = pe;
	im.payload_len = pe_len;
	im.length = 4096;
	/* An EFI image for another Intel device: QEMU would break it. */
	im.device = 0x0102;
	len = fx_rom_image_build(&im, rom, sizeof(rom));
	assert_true(len > 0);
	assert_int_equal(igdpt_vfu_rom_check(rom, len, 0x8086, 0x5916, &reason), -EINVAL);
	assert_non_null(reason);
	/* For this device, for another vendor, or a legacy image: untouched
	 * or harmless. */
	assert_int_equal(igdpt_vfu_rom_check(rom, len, 0x8086, 0x0102, &reason), 0);
	assert_int_equal(igdpt_vfu_rom_check(rom, len, 0x1234, 0x5916, &reason), 0);
	im.code_type = 0;
	im.payload = NULL;
	im.payload_len = 0;
	len = fx_rom_image_build(&im, rom, sizeof(rom));
	assert_true(len > 0);
	assert_int_equal(igdpt_vfu_rom_check(rom, len, 0x8086, 0x5916, &reason), 0);
	assert_int_equal(igdpt_vfu_rom_check(rom, 16, 0x8086, 0x5916, &reason), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_dma),
		cmocka_unit_test(test_device_info),
		cmocka_unit_test(test_region_info),
		cmocka_unit_test(test_irq_info),
		cmocka_unit_test(test_set_irqs),
		cmocka_unit_test(test_region_access),
		cmocka_unit_test(test_guest_copy),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_unsupported_and_malformed),
		cmocka_unit_test(test_rom_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
