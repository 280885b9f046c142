/* SPDX-License-Identifier: MIT */
/* Fuzz target: the proxy transport's message parser and dispatch, fed the
 * bytes a hostile peer sends on a function's socket (with up to three fds
 * of a sealed guest RAM memfd riding on the first byte), down to the device
 * model. After the peer has hung up it checks that the connection ended,
 * no fd leaked, and guest RAM is unchanged but for the one copy of the
 * image the device may place (option 1b) where the OpRegion signature is.
 *
 * Input: byte 0: bits 0-1 the number of fds to attach, bit 2 option 1b
 * (else 4b), bit 3 serve the LPC function (else the IGD); the rest is the
 * byte stream (proxy/proto.h: 16-byte headers, payloads). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "fuzz_guest_ram.h"
#include "igdpt/abi/guest.h"
#include "model/device.h"
#include "proxy/proxy.h"

#define IMAGE_SIZE 8192u
#define SIGNATURE_SIZE 16u
#define MAX_FDS 3u
/* More than a socket buffer takes at once would block the sender. */
#define MAX_STREAM (64u * 1024u)
/* Each service call handles at least one message or ends: a bound that
 * cannot be reached by a well-behaved transport. */
#define MAX_SERVICE_CALLS (MAX_STREAM / IGDPT_PROXY_HDR_SIZE + 16u)

static uint8_t image[IMAGE_SIZE];
static uint8_t shadow[FUZZ_RAM_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct igdpt_device_config c = {
		.igd = {.device_id = 0x5916, .class_code = IGDPT_PCI_CLASS_DISPLAY_VGA,
			.subsys_vendor = 0x8086, .subsys_device = 0x5916, .revision = 2},
		.generation = 9, .lpc = true, .lpc_vendor = 0x8086, .lpc_device = 0xA2C5,
		.image = image, .image_size = IMAGE_SIZE, .qemu_proxy_bar_probe = true,
	};
	struct igdpt_event_log log;
	struct igdpt_device *dev = NULL;
	struct igdpt_proxy px;
	int sv[2], fds[MAX_FDS], ram, before_fd;
	unsigned nfds, calls = 0;
	bool placed;

	if (size < 1 || size - 1 > MAX_STREAM)
		return 0;
	for (unsigned i = 0; i < IMAGE_SIZE; i++)
		image[i] = (uint8_t)(i * 13 + 5);
	memcpy(image, "IntelGraphicsMem", SIGNATURE_SIZE);
	before_fd = fuzz_lowest_free_fd();
	c.strategy = (data[0] & 4) ? IGDPT_VMM_1B : IGDPT_VMM_4B;
	FUZZ_CHECK(igdpt_event_log_open(&log, NULL) == 0);
	FUZZ_CHECK(igdpt_device_create(&c, &log, &dev, NULL) == 0);
	ram = fuzz_ram_create(shadow, image, SIGNATURE_SIZE);
	FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	igdpt_proxy_init(&px, dev, &log);
	FUZZ_CHECK(igdpt_proxy_add(&px, (data[0] & 8) ? IGDPT_FUNCTION_LPC : IGDPT_FUNCTION_IGD,
				   sv[1]) == 0);

	nfds = data[0] & 3;
	for (unsigned i = 0; i < nfds; i++)
		fds[i] = ram;
	if (size > 1)
		FUZZ_CHECK(igdpt_proxy_send(sv[0], data + 1, size - 1, fds, nfds) == 0);
	shutdown(sv[0], SHUT_WR);
	while (igdpt_proxy_open_count(&px) && calls++ < MAX_SERVICE_CALLS)
		igdpt_proxy_service(&px, 0);
	/* The peer hung up: whatever it sent, the connection is over. */
	FUZZ_CHECK(igdpt_proxy_open_count(&px) == 0);

	placed = igdpt_vmm_placement(igdpt_device_vmm(dev)) == IGDPT_VMM_PLACED_GUEST_RAM;
	/* Only 1b writes, one copy of the image at most (SYNC_SYSMEM
	 * may map guest pages to any file offsets, so where it lands in
	 * the file is the peer's choice; tests/device/fuzz_model.c
	 * checks the range in guest terms). */
	fuzz_ram_check(ram, shadow, placed, IMAGE_SIZE);
	igdpt_proxy_fini(&px);
	igdpt_device_destroy(dev);
	igdpt_event_log_close(&log);
	close(sv[0]);
	close(ram);
	FUZZ_CHECK(fuzz_lowest_free_fd() == before_fd);
	return 0;
}
