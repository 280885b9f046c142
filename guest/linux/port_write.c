/* SPDX-License-Identifier: MIT */
/* igdpt-port-write PORT: copies standard input to an x86 I/O port, a byte
 * at a time (rep outsb), until end of input. When standard output is a
 * terminal it first waits until what was written there has left it: in the
 * Linux guest that is the serial console, whose output and PORT's end in the
 * same file, so the two must not interleave.
 *
 * The Linux guest's /init sends its kernel log this way to the QEMU
 * isa-debugcon that igdpt vm puts at PORT (the kernel command line names
 * it): QEMU hands each byte straight to the run's serial log. Through the
 * 16550 UART the same log costs an interrupt and a round of the kernel's
 * tty and 8250 code per 16 bytes, about three times as long under TCG
 * (docs/linux-guest.md).
 *
 * Exit status: 0 all input written, 1 an I/O error (reason on stderr), 2
 * usage. */
#include <errno.h>
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
	fputs("usage: igdpt-port-write PORT   (PORT: 0 to 0xffff, e.g. 0xe9)\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static unsigned char buf[CHUNK];
	unsigned long port;
	char *end;
	ssize_t n;

	if (argc != 2)
		return usage();
	errno = 0;
	port = strtoul(argv[1], &end, 0);
	if (errno || end == argv[1] || *end || port > PORT_MAX)
		return usage();
	if (ioperm(port, 1, 1) < 0) {
		fprintf(stderr, "igdpt-port-write: cannot use I/O port %#lx: %s\n", port,
			strerror(errno));
		return 1;
	}
	if (isatty(STDOUT_FILENO) && tcdrain(STDOUT_FILENO) < 0) {
		fprintf(stderr, "igdpt-port-write: waiting for the console to drain: %s\n",
			strerror(errno));
		return 1;
	}
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "igdpt-port-write: reading standard input: %s\n",
				strerror(errno));
			return 1;
		}
		outsb((unsigned short)port, buf, (unsigned long)n);
	}
	return 0;
}
