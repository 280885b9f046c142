/* SPDX-License-Identifier: MIT */
/* igdpt-device: a virtual Intel IGD (and optionally the LPC bridge) with a
 * JSON event log. Parses the options, builds the device model
 * (device/model/) and picks the transport that carries it: QEMU's
 * multi-process proxy (device/proxy/, --igd-fd) or vfio-user
 * (device/vfio_user/, --vfio-user or --vfio-user-fd). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/core/igd.h"
#include "igdpt/core/size.h"
#include "igdpt/core/pci_rom.h"
#include "igdpt/file.h"
#include "model/device.h"
#include "proxy/proxy.h"
#include "vfio_user/vfio_user.h"

#define EXIT_STARTUP 1
#define EXIT_PROTOCOL 2 /* some connection ended with a malformed message */
#define DEFAULT_GENERATION 9u

struct options {
	int igd_fd;
	int lpc_fd;
	const char *vfio_user_path;
	int vfio_user_fd;
	const char *rom;
	const char *image;
	const char *log;
	unsigned generation;   /* 0: from the device id, or the default */
	long device_id;        /* -1: from the generation */
	uint16_t class_code;
	long subsys_vendor;    /* -1: Intel */
	long subsys_device;    /* -1: the device id */
	long lpc_vendor;
	long lpc_device;       /* -1: the table's PCH for the device */
	long host_bridge;      /* the table's host bridge for the device */
	uint8_t revision;
	uint64_t stolen_size;
	enum igdpt_vmm_strategy strategy;
};

static void usage(FILE *out)
{
	struct igdpt_igd_info id;

	fprintf(out,
		"usage: igdpt-device (--igd-fd FD [--lpc-fd FD] | --vfio-user SOCKET | --vfio-user-fd FD)\n"
		"                    [--image FILE] [--rom FILE] [--generation N] [--device-id ID]\n"
		"                    [--class vga|display] [--subsystem VVVV:DDDD] [--stolen-size SIZE]\n"
		"                    [--lpc-id VVVV:DDDD] [--strategy 4b|1b] [--revision N]\n"
		"                    [--log FILE] [--help]\n"
		"\n"
		"Serves a virtual Intel IGD to a VMM:\n"
		"  --igd-fd FD      QEMU's -device x-pci-proxy-dev,addr=02.0,fd=N (QEMU < 10.1),\n"
		"                   --lpc-fd FD an LPC bridge for addr=1f.0;\n"
		"  --vfio-user SOCKET  a vfio-user client (QEMU >= 10.1: -device\n"
		"                   '{\"driver\":\"vfio-user-pci\",\"socket\":{\"type\":\"unix\",\"path\":SOCKET}}'):\n"
		"                   listens on the new socket file SOCKET, serves one client,\n"
		"                   removes the file once the client is there;\n"
		"  --vfio-user-fd FD   the same on an already connected socket.\n"
		"  --rom FILE       a PCI option ROM (e.g. igdpt-efi.rom) behind the ROM BAR and\n"
		"                   vfio-user region 6.\n"
		"Exit status: 0 all peers closed, 1 startup error, 2 a connection ended\n"
		"with a malformed message.\n\nKnown device ids (the first of a generation is its default):\n");
	for (size_t i = 0; igdpt_igd_reference_at(i, &id) == 0; i++)
		fprintf(out, "  0x%04x gen %2u  %s %s (LPC 8086:%04x)\n", id.device_id,
			id.generation, id.platform, id.variant, id.lpc_device_id);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	/* Sizes may carry a binary suffix: 64M, 1G. */
	if (*end == 'K' || *end == 'M' || *end == 'G') {
		unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : 30;

		if (v > (UINT64_MAX >> shift))
			return -ERANGE;
		v <<= shift;
		end++;
	}
	if (*end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_id_pair(const char *s, long *vendor, long *device)
{
	unsigned v, d;
	int used = 0;

	if (sscanf(s, "%4x:%4x%n", &v, &d, &used) != 2 || s[used])
		return -EINVAL;
	*vendor = (long)v;
	*device = (long)d;
	return 0;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr: what is wrong with which option. */
static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "igdpt-device: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_IGD_FD = 256, OPT_LPC_FD, OPT_IMAGE, OPT_GEN, OPT_DEVID, OPT_CLASS,
	       OPT_SUBSYS, OPT_STOLEN, OPT_LPC_ID, OPT_STRATEGY, OPT_LOG, OPT_REV, OPT_VFU,
	       OPT_VFU_FD, OPT_ROM };
	static const struct option longopts[] = {
		{"igd-fd", required_argument, NULL, OPT_IGD_FD},
		{"lpc-fd", required_argument, NULL, OPT_LPC_FD},
		{"vfio-user", required_argument, NULL, OPT_VFU},
		{"vfio-user-fd", required_argument, NULL, OPT_VFU_FD},
		{"rom", required_argument, NULL, OPT_ROM},
		{"image", required_argument, NULL, OPT_IMAGE},
		{"generation", required_argument, NULL, OPT_GEN},
		{"device-id", required_argument, NULL, OPT_DEVID},
		{"class", required_argument, NULL, OPT_CLASS},
		{"subsystem", required_argument, NULL, OPT_SUBSYS},
		/* The name and units of every igdpt command (igdpt_size_parse). */
		{"stolen-size", required_argument, NULL, OPT_STOLEN},
		{"lpc-id", required_argument, NULL, OPT_LPC_ID},
		{"strategy", required_argument, NULL, OPT_STRATEGY},
		{"log", required_argument, NULL, OPT_LOG},
		{"revision", required_argument, NULL, OPT_REV},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->igd_fd = -1;
	o->lpc_fd = -1;
	o->vfio_user_fd = -1;
	o->device_id = -1;
	o->subsys_vendor = -1;
	o->subsys_device = -1;
	o->lpc_vendor = IGDPT_PCI_VENDOR_INTEL;
	o->lpc_device = -1;
	o->class_code = IGDPT_PCI_CLASS_DISPLAY_VGA;
	o->revision = IGDPT_IGD_DEFAULT_REVISION;
	o->strategy = IGDPT_VMM_4B;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_IGD_FD:
		case OPT_LPC_FD:
		case OPT_VFU_FD:
			if (parse_u64(optarg, INT32_MAX, &v) < 0)
				return fail("--%s: not a file descriptor number: '%s'",
					    c == OPT_IGD_FD ? "igd-fd" : c == OPT_LPC_FD ? "lpc-fd"
											: "vfio-user-fd",
					    optarg);
			*(c == OPT_IGD_FD ? &o->igd_fd : c == OPT_LPC_FD ? &o->lpc_fd
									 : &o->vfio_user_fd) = (int)v;
			break;
		case OPT_VFU:
			o->vfio_user_path = optarg;
			break;
		case OPT_ROM:
			o->rom = optarg;
			break;
		case OPT_IMAGE:
			o->image = optarg;
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		case OPT_GEN:
			if (parse_u64(optarg, 99, &v) < 0 || v < 6)
				return fail("--generation: '%s' is not a generation from 6 on", optarg);
			o->generation = (unsigned)v;
			break;
		case OPT_DEVID:
			if (parse_u64(optarg, UINT16_MAX, &v) < 0)
				return fail("--device-id: '%s' is not a 16-bit id", optarg);
			o->device_id = (long)v;
			break;
		case OPT_CLASS:
			if (!strcmp(optarg, "vga"))
				o->class_code = IGDPT_PCI_CLASS_DISPLAY_VGA;
			else if (!strcmp(optarg, "display"))
				o->class_code = IGDPT_PCI_CLASS_DISPLAY_OTHER;
			else
				return fail("--class: '%s' is neither vga nor display", optarg);
			break;
		case OPT_SUBSYS:
			if (parse_id_pair(optarg, &o->subsys_vendor, &o->subsys_device) < 0)
				return fail("--subsystem: '%s' is not VVVV:DDDD (hex)", optarg);
			break;
		case OPT_LPC_ID:
			if (parse_id_pair(optarg, &o->lpc_vendor, &o->lpc_device) < 0)
				return fail("--lpc-id: '%s' is not VVVV:DDDD (hex)", optarg);
			break;
		case OPT_STOLEN:
			if (igdpt_size_parse(optarg, &v) < 0)
				return fail("--stolen-size: '%s' is not a size (bytes, or K M G T)", optarg);
			o->stolen_size = v;
			break;
		case OPT_STRATEGY:
			/* The proxy cannot map memory into the guest nor add
			 * e820 entries: only the firmware-placed options. */
			if (igdpt_vmm_strategy_parse(optarg, &o->strategy) < 0 ||
			    !igdpt_vmm_strategy_firmware_places(o->strategy))
				return fail("--strategy: '%s' is neither 4b nor 1b", optarg);
			break;
		case OPT_REV:
			if (parse_u64(optarg, UINT8_MAX, &v) < 0)
				return fail("--revision: '%s' is not an 8-bit number", optarg);
			o->revision = (uint8_t)v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc)
		return fail("unexpected argument '%s'", argv[optind]);
	if ((o->igd_fd >= 0) + (o->vfio_user_path != NULL) + (o->vfio_user_fd >= 0) != 1)
		return fail("%s", "give exactly one of --igd-fd, --vfio-user and --vfio-user-fd");
	if (o->lpc_fd >= 0 && o->igd_fd < 0)
		return fail("%s", "--lpc-fd goes with --igd-fd (vfio-user serves the LPC bridge's "
				  "config as a region of the IGD)");
	return 0;
}

static bool vfio_user(const struct options *o)
{
	return o->vfio_user_path || o->vfio_user_fd >= 0;
}

/* Completes the identity from the id table: generation from the device id or
 * the device id from the generation, the LPC id from the platform. */
static int resolve_identity(struct options *o)
{
	struct igdpt_igd_info id = { 0 };
	bool known;

	if (o->device_id >= 0) {
		known = igdpt_igd_lookup((uint16_t)o->device_id, &id) == 0;
		if (!o->generation && !known)
			return fail("device id 0x%04lx is not in the id table: give --generation",
				    o->device_id);
		if (!o->generation)
			o->generation = id.generation;
	} else {
		if (!o->generation)
			o->generation = DEFAULT_GENERATION;
		if (igdpt_igd_reference(o->generation, &id) < 0)
			return fail("no default device id for generation %u: give --device-id",
				    o->generation);
		o->device_id = id.device_id;
	}
	/* vfio-user shows the LPC and host bridges as regions of the IGD. */
	if ((o->lpc_fd >= 0 || vfio_user(o)) && o->lpc_device < 0) {
		if (!id.lpc_device_id)
			return fail("no default LPC id for device 0x%04lx: give --lpc-id",
				    o->device_id);
		o->lpc_device = id.lpc_device_id;
	}
	/* An id the table knows no host bridge for takes its generation's. */
	if (!id.host_bridge_device_id)
		igdpt_igd_reference(o->generation, &id);
	o->host_bridge = id.host_bridge_device_id;
	if (o->subsys_vendor < 0) {
		o->subsys_vendor = IGDPT_PCI_VENDOR_INTEL;
		o->subsys_device = o->device_id;
	}
	return 0;
}

static int check_socket(int fd, const char *what)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return fail("%s %d is not an open file descriptor", what, fd);
	if (!S_ISSOCK(st.st_mode))
		return fail("%s %d is not a socket (pass one end of a socketpair)", what, fd);
	return 0;
}

/* Set by on_signal() while one connection is served with blocking reads
 * (device/proxy/serve.c, device/vfio_user/serve.c). */
static volatile sig_atomic_t stop_signal;
/* The vfio-user connection while it is served: shut down for reading by
 * on_signal() so that a read about to wait returns at once. */
static volatile sig_atomic_t wake_fd = -1;

static void on_signal(int signo)
{
	stop_signal = signo;
	if (wake_fd >= 0)
		shutdown(wake_fd, SHUT_RD);
}

/* SIGTERM and SIGINT arrive through a descriptor so that poll() sees them
 * in order; their handler runs only while a transport unblocks them for a
 * blocking read (no SA_RESTART: a waiting recvmsg returns EINTR). Returns
 * the signalfd, or -1. */
static int setup_signals(sigset_t *mask)
{
	struct sigaction sa;
	int sigfd;

	sigemptyset(mask);
	sigaddset(mask, SIGTERM);
	sigaddset(mask, SIGINT);
	sigprocmask(SIG_BLOCK, mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigfd = signalfd(-1, mask, SFD_CLOEXEC);
	if (sigfd < 0)
		perror("igdpt-device: signalfd");
	return sigfd;
}

/* Serves the model over QEMU's proxy until every peer is gone or a signal
 * asks to stop. Returns the exit status. */
static int run_proxy(struct igdpt_device *dev, struct igdpt_event_log *log,
		     const struct options *o)
{
	struct igdpt_proxy px;
	sigset_t mask;
	int sigfd, status;

	sigfd = setup_signals(&mask);
	if (sigfd < 0)
		return EXIT_STARTUP;
	igdpt_proxy_init(&px, dev, log);
	igdpt_proxy_add(&px, IGDPT_FUNCTION_IGD, o->igd_fd);
	if (o->lpc_fd >= 0)
		igdpt_proxy_add(&px, IGDPT_FUNCTION_LPC, o->lpc_fd);
	igdpt_proxy_serve(&px, sigfd, &mask, &stop_signal);
	igdpt_device_final(dev, o->image);
	status = igdpt_proxy_had_error(&px) ? EXIT_PROTOCOL : 0;
	igdpt_proxy_fini(&px);
	close(sigfd);
	return status;
}

/* Serves the model to one vfio-user client: on --vfio-user-fd's socket, or
 * the first to connect to --vfio-user's socket file (listening from the
 * "start" event on; the file is removed once the client is there, or at
 * exit). Returns the exit status. */
static int run_vfio_user(struct igdpt_device *dev, struct igdpt_event_log *log,
			 const struct options *o)
{
	struct igdpt_vfu vfu;
	sigset_t mask;
	char err[512];
	int sigfd, lfd = -1, sock = o->vfio_user_fd, signo = 0, status = EXIT_STARTUP;

	sigfd = setup_signals(&mask);
	if (sigfd < 0)
		return EXIT_STARTUP;
	if (o->vfio_user_path && igdpt_vfu_listen(o->vfio_user_path, &lfd, err, sizeof(err)) < 0) {
		fprintf(stderr, "igdpt-device: --vfio-user %s\n", err);
		goto close_sigfd;
	}
	if (igdpt_vfu_init(&vfu, dev, log) < 0) {
		fprintf(stderr, "igdpt-device: out of memory\n");
		goto close_listener;
	}
	if (lfd >= 0) {
		sock = igdpt_vfu_accept(lfd, sigfd, &signo);
		unlink(o->vfio_user_path);
		close(lfd);
		lfd = -1;
	}
	if (sock >= 0) {
		igdpt_vfu_connect(&vfu, sock);
		wake_fd = sock;
		igdpt_vfu_serve(&vfu, &mask, &stop_signal);
		wake_fd = -1;
	} else if (sock != -EINTR) {
		fprintf(stderr, "igdpt-device: --vfio-user %s: accept: %s\n", o->vfio_user_path,
			strerror(-sock));
	}
	igdpt_device_final(dev, o->image);
	if (vfu.state == IGDPT_VFU_FAILED)
		status = EXIT_PROTOCOL;
	else if (sock < 0 && sock != -EINTR)
		status = EXIT_STARTUP; /* no client could be accepted */
	else
		status = 0;
	igdpt_vfu_fini(&vfu);
close_listener:
	if (lfd >= 0) {
		unlink(o->vfio_user_path);
		close(lfd);
	}
close_sigfd:
	close(sigfd);
	return status;
}

/* The --rom file, checked as firmware walks it (lib/core/pci_rom.c),
 * within what the device serves and, over vfio-user, as QEMU's vfio code
 * will treat it. 0, or -EINVAL after one line on stderr. */
static int load_rom(const char *path, const struct options *o, uint8_t **rom, size_t *size)
{
	const char *reason = NULL;
	struct igdpt_pci_rom parsed;
	struct igdpt_diag diag = IGDPT_DIAG_INIT;
	char err[512];

	if (igdpt_file_read(path, rom, size, &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0)
		return fail("--rom: %s", err);
	if (*size > IGDPT_DEVICE_ROM_MAX_SIZE) {
		free(*rom);
		return fail("--rom %s: %zu bytes, larger than the 1 MiB the device serves", path,
			    *size);
	}
	if (igdpt_pci_rom_parse(*rom, *size, &parsed, NULL, NULL, &diag) < 0) {
		free(*rom);
		return fail("--rom %s: not a valid PCI option ROM: %s at offset 0x%zx", path,
			    diag.reason, diag.offset);
	}
	if (vfio_user(o) &&
	    igdpt_vfu_rom_check(*rom, *size, IGDPT_PCI_VENDOR_INTEL, (uint16_t)o->device_id,
				&reason) < 0) {
		free(*rom);
		return fail("--rom %s: %s (build it for this device: igdpt rom --device-id 0x%04lx)",
			    path, reason, o->device_id);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct igdpt_event_log log;
	struct igdpt_device_config config;
	struct igdpt_device *dev = NULL;
	struct igdpt_diag diag = {0};
	uint8_t *image = NULL, *rom = NULL;
	size_t image_size = 0, rom_size = 0;
	char err[512];
	int ret, status = EXIT_STARTUP;

	ret = parse_options(argc, argv, &o);
	if (ret)
		return ret > 0 ? 0 : EXIT_STARTUP;
	if (resolve_identity(&o) < 0 || (o.igd_fd >= 0 && check_socket(o.igd_fd, "--igd-fd") < 0) ||
	    (o.lpc_fd >= 0 && check_socket(o.lpc_fd, "--lpc-fd") < 0) ||
	    (o.vfio_user_fd >= 0 && check_socket(o.vfio_user_fd, "--vfio-user-fd") < 0))
		return EXIT_STARTUP;
	if (o.rom && load_rom(o.rom, &o, &rom, &rom_size) < 0)
		return EXIT_STARTUP;
	if (o.image && igdpt_file_read(o.image, &image, &image_size,
				       &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err)) < 0) {
		fprintf(stderr, "igdpt-device: --image: %s\n", err);
		goto free_image;
	}
	memset(&config, 0, sizeof(config));
	config.generation = o.generation;
	config.stolen_size = o.stolen_size;
	config.igd.device_id = (uint16_t)o.device_id;
	config.igd.class_code = o.class_code;
	config.igd.subsys_vendor = (uint16_t)o.subsys_vendor;
	config.igd.subsys_device = (uint16_t)o.subsys_device;
	config.igd.revision = o.revision;
	config.strategy = o.strategy;
	config.lpc = o.lpc_fd >= 0 || vfio_user(&o);
	config.lpc_vendor = (uint16_t)o.lpc_vendor;
	config.lpc_device = (uint16_t)(o.lpc_device < 0 ? 0 : o.lpc_device);
	config.host_bridge = vfio_user(&o);
	config.host_bridge_device = (uint16_t)o.host_bridge;
	config.image = image;
	config.image_size = image_size;
	config.rom = rom;
	config.rom_size = rom_size;
	config.qemu_proxy_bar_probe = !vfio_user(&o);

	ret = igdpt_event_log_open(&log, o.log);
	if (ret < 0) {
		fprintf(stderr, "igdpt-device: --log %s: cannot open: %s\n", o.log, strerror(-ret));
		goto free_image;
	}
	ret = igdpt_device_create(&config, &log, &dev, &diag);
	if (ret < 0) {
		/* E.g. a --stolen-size GGC cannot encode on this generation. */
		fprintf(stderr,
			"igdpt-device: cannot set up the IGD (generation %u, --stolen-size %" PRIu64 "): %s\n",
			o.generation, o.stolen_size, diag.reason ? diag.reason : strerror(-ret));
		goto close_log;
	}
	status = vfio_user(&o) ? run_vfio_user(dev, &log, &o) : run_proxy(dev, &log, &o);
	igdpt_device_destroy(dev);
close_log:
	igdpt_event_log_close(&log);
free_image:
	free(image);
	free(rom);
	return status;
}
