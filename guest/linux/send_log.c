/* SPDX-License-Identifier: MIT */
/* igdpt-send-log port PORT | file PATH: copies standard input to an x86 I/O
 * port (a byte at a time, rep outsb) or to a file or device, until end of
 * input. When standard output is a terminal it first waits until what was
 * written there has left it: in the Linux guest that is the serial console,
 * whose output and the destination's end in the same file on the host, so
 * the two must not interleave.
 *
 * The Linux guest's /init sends its kernel log this way to what igdpt vm
 * names on the kernel command line: a virtio serial port when the kernel has
 * the driver built in (bulk writes), else an isa-debugcon port. QEMU writes
 * both into the run's serial log. Through the 16550 UART the same log costs
 * an interrupt and a round of the kernel's tty and 8250 code per 16 bytes
 * (docs/linux-guest.md).
 *
 * Exit status: 0 all input written, 1 an I/O error (reason on stderr), 2
 * usage. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <termios.h>
#include <unistd.h>

#define PORT_MAX 0xFFFFul
#define CHUNK 65536

static int usage(void)
{
	fputs("usage: igdpt-send-log port PORT   (PORT: 0 to 0xffff, e.g. 0xe9)\n"
	      "       igdpt-send-log file PATH\n",
	      stderr);
	return 2;
}

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "igdpt-send-log: %s%s: %s\n", what, arg, strerror(errno));
	return 1;
}

/* The whole of buf to fd. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	unsigned long port = 0;
	int fd = -1;
	ssize_t n;

	if (argc != 3)
		return usage();
	if (!strcmp(argv[1], "port")) {
		char *end;

		errno = 0;
		port = strtoul(argv[2], &end, 0);
		if (errno || end == argv[2] || *end || port > PORT_MAX)
			return usage();
		if (ioperm(port, 1, 1) < 0)
			return fail("cannot use I/O port ", argv[2]);
	} else if (!strcmp(argv[1], "file")) {
		fd = open(argv[2], O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return fail("cannot open ", argv[2]);
	} else {
		return usage();
	}
	if (isatty(STDOUT_FILENO) && tcdrain(STDOUT_FILENO) < 0)
		return fail("waiting for the console to drain", "");
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail("reading standard input", "");
		}
		if (fd < 0)
			outsb((unsigned short)port, buf, (unsigned long)n);
		else if (write_all(fd, buf, (size_t)n) < 0)
			return fail("writing ", argv[2]);
	}
	if (fd >= 0 && close(fd) < 0)
		return fail("writing ", argv[2]);
	return 0;
}
