/* SPDX-License-Identifier: MIT */
/* Fuzz target: the vfio-user transport's reader, VERSION JSON parser and
 * dispatch, fed the bytes a hostile client sends (with up to three fds of a
 * sealed guest RAM memfd riding on a chosen message), down to the device
 * model with an option ROM, an OpRegion and both bridges. After the client
 * has hung up it checks that the connection ended, no fd leaked (the
 * eventfds and guest RAM duplicates included), and guest RAM is unchanged
 * but for the one copy of the image the device may place (option 1b).
 *
 * Input: byte 0: bits 0-1 the number of fds, bit 2 option 1b (else 4b),
 * bit 3 a display-class IGD without ROM and OpRegion; bytes 1-2 (LE): where
 * in the stream the fds ride (the stream is sent in two parts, the fds with
 * the second); the rest is the byte stream (vfio_user/protocol.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_guest_ram.h"
#include "igdpt/abi/guest.h"
#include "model/device.h"
#include "vfio_user/vfio_user.h"

#define IMAGE_SIZE 8192u
#define ROM_SIZE 3000u
#define SIGNATURE_SIZE 16u
#define MAX_FDS 3u
#define HEAD_SIZE 3u
/* More than a socket buffer takes at once would block the sender. */
#define MAX_STREAM (64u * 1024u)
/* Each service call handles every message there or ends: two suffice
 * once the client has hung up; the bound only catches a transport that
 * stops making progress. */
#define MAX_SERVICE_CALLS 64u

static uint8_t image[IMAGE_SIZE];
static uint8_t rom[ROM_SIZE];
static uint8_t shadow[FUZZ_RAM_SIZE];

static void send_part(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds)
{
	int ret;

	if (!len)
		return;
	ret = igdpt_vfu_send(sock, buf, len, fds, nfds, -1, NULL);
	FUZZ_CHECK(ret == 0 || ret == -EPIPE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool plain;
	struct igdpt_device_config c = {
		.igd = {.device_id = 0x5916, .subsys_vendor = 0x8086, .subsys_device = 0x5916,
			.revision = 2},
		.generation = 9, .lpc = true, .lpc_vendor = 0x8086, .lpc_device = 0x9D58,
		.host_bridge = true, .host_bridge_device = 0x5904,
	};
	struct igdpt_event_log log;
	struct igdpt_device *dev = NULL;
	struct igdpt_vfu vfu;
	int sv[2], fds[MAX_FDS], ram, before_fd;
	unsigned nfds, calls = 0;
	size_t split;
	bool placed;

	if (size < HEAD_SIZE || size - HEAD_SIZE > MAX_STREAM)
		return 0;
	for (unsigned i = 0; i < IMAGE_SIZE; i++)
		image[i] = (uint8_t)(i * 13 + 5);
	memcpy(image, "IntelGraphicsMem", SIGNATURE_SIZE);
	for (unsigned i = 0; i < ROM_SIZE; i++)
		rom[i] = (uint8_t)(i * 3);
	plain = (data[0] & 8) != 0;
	c.igd.class_code = plain ? IGDPT_PCI_CLASS_DISPLAY_OTHER : IGDPT_PCI_CLASS_DISPLAY_VGA;
	c.image = plain ? NULL : image;
	c.image_size = plain ? 0 : IMAGE_SIZE;
	c.rom = plain ? NULL : rom;
	c.rom_size = plain ? 0 : ROM_SIZE;
	c.strategy = (data[0] & 4) ? IGDPT_VMM_1B : IGDPT_VMM_4B;
	before_fd = fuzz_lowest_free_fd();
	FUZZ_CHECK(igdpt_event_log_open(&log, NULL) == 0);
	FUZZ_CHECK(igdpt_device_create(&c, &log, &dev, NULL) == 0);
	FUZZ_CHECK(igdpt_vfu_init(&vfu, dev, &log) == 0);
	/* A client that reads no replies: a full socket ends the connection
	 * at once instead of after 5 s. */
	vfu.send_timeout_ms = 0;
	ram = fuzz_ram_create(shadow, image, SIGNATURE_SIZE);
	FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	igdpt_vfu_connect(&vfu, sv[1]);

	nfds = data[0] & 3;
	for (unsigned i = 0; i < nfds; i++)
		fds[i] = ram;
	split = (size_t)(data[1] | data[2] << 8);
	data += HEAD_SIZE;
	size -= HEAD_SIZE;
	if (split > size)
		split = size;
	send_part(sv[0], data, split, NULL, 0);
	send_part(sv[0], data + split, size - split, fds, split < size ? nfds : 0);
	shutdown(sv[0], SHUT_WR);
	while (vfu.state == IGDPT_VFU_OPEN && calls++ < MAX_SERVICE_CALLS)
		igdpt_vfu_service(&vfu);
	/* The client hung up: whatever it sent, the connection is over. */
	FUZZ_CHECK(vfu.state != IGDPT_VFU_OPEN);

	placed = igdpt_vmm_placement(igdpt_device_vmm(dev)) == IGDPT_VMM_PLACED_GUEST_RAM;
	/* Only 1b writes, one copy of the image at most (DMA_MAP may
	 * map guest pages to any file offset, so where it lands in the
	 * file is the client's choice). */
	fuzz_ram_check(ram, shadow, placed, IMAGE_SIZE);
	igdpt_vfu_fini(&vfu);
	igdpt_device_destroy(dev);
	igdpt_event_log_close(&log);
	close(sv[0]);
	close(ram);
	FUZZ_CHECK(fuzz_lowest_free_fd() == before_fd);
	return 0;
}
