/* SPDX-License-Identifier: MIT */
/* Guest RAM and fd-leak checks shared by the device fuzz targets
 * (fuzz_guest_ram.h). */
#include "fuzz_guest_ram.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

int fuzz_ram_create(uint8_t *shadow, const uint8_t *signature, size_t signature_size)
{
	int fd = memfd_create("fuzz-guest-ram", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(ftruncate(fd, FUZZ_RAM_SIZE) == 0);
	for (unsigned i = 0; i < FUZZ_RAM_SIZE; i++)
		shadow[i] = (uint8_t)(i * 31 + (i >> 8));
	if (signature_size)
		memcpy(shadow + FUZZ_RAM_SIGNATURE_AT, signature, signature_size);
	FUZZ_CHECK(pwrite(fd, shadow, FUZZ_RAM_SIZE, 0) == FUZZ_RAM_SIZE);
	FUZZ_CHECK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) == 0);
	return fd;
}

void fuzz_ram_check(int fd, const uint8_t *shadow, bool placed, size_t image_size)
{
	static uint8_t now[FUZZ_RAM_SIZE];
	size_t changed = 0;

	FUZZ_CHECK(pread(fd, now, FUZZ_RAM_SIZE, 0) == FUZZ_RAM_SIZE);
	if (!memcmp(now, shadow, FUZZ_RAM_SIZE))
		return;
	/* Only 1b writes, one copy of the image at most. */
	FUZZ_CHECK(placed);
	for (unsigned i = 0; i < FUZZ_RAM_SIZE; i++)
		changed += now[i] != shadow[i];
	FUZZ_CHECK(changed <= image_size);
}

int fuzz_lowest_free_fd(void)
{
	int fd = dup(0);

	if (fd >= 0)
		close(fd);
	return fd;
}
