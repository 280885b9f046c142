/* SPDX-License-Identifier: MIT */
/* A boot framebuffer still on the IGD: the host draws into memory the guest
 * is about to own.
 *
 * The firmware's framebuffer (GOP or VESA) lies in the IGD's aperture
 * (BAR2). Linux hands it to efifb or vesafb, or, through sysfb_init(), to
 * a "simple-framebuffer" platform device that simplefb or simpledrm drives;
 * /proc/iomem shows the claim nested in the BAR ("efifb", "vesafb",
 * "BOOTFB", "simpledrm"). While it lasts, vfio-pci cannot reserve the BAR
 * for QEMU ("BAR 2: can't reserve") and the host keeps writing to the
 * device. The fix is on the kernel command line: video=efifb:off,
 * video=vesafb:off, and initcall_blacklist=sysfb_init for the sysfb
 * drivers (Linux drivers/firmware/sysfb.c).
 */
#include "host_priv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The names a boot framebuffer's claim has in /proc/iomem. */
static const char *const fb_names[] = { "efifb", "vesafb", "simplefb", "simpledrm", "BOOTFB" };
/* The platform drivers that drive one (drivers/video/fbdev/efifb.c,
 * vesafb.c, simplefb.c; drivers/gpu/drm/tiny/simpledrm.c takes the same
 * "simple-framebuffer" devices as simplefb). */
static const char *const fb_drivers[] = { "efi-framebuffer", "vesa-framebuffer",
					  "simple-framebuffer" };
/* /proc/iomem is small; more than this is not it. */
#define IOMEM_MAX (1u << 20)
#define PCI_STD_BARS 6

struct range {
	uint64_t start, end;
};

/* The device's BARs from sysfs "resource": "start end flags" per line. */
static int read_bars(const struct igdpt_host_ctx *ctx, const char *bdf,
		     struct range bars[PCI_STD_BARS])
{
	char path[HOST_PATH_SIZE], *text, *line, *save = NULL;
	uint8_t *data;
	size_t len;
	int n = 0;

	memset(bars, 0, sizeof(struct range) * PCI_STD_BARS);
	if (host_path(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf) < 0 ||
	    host_read_file(ctx, path, IOMEM_MAX, &data, &len) < 0)
		return -ENOENT;
	text = realloc(data, len + 1);
	if (!text) {
		free(data);
		return -ENOMEM;
	}
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line && n < PCI_STD_BARS;
	     line = strtok_r(NULL, "\n", &save), n++)
		if (sscanf(line, "%" SCNx64 " %" SCNx64, &bars[n].start, &bars[n].end) != 2)
			bars[n].start = bars[n].end = 0;
	free(text);
	return 0;
}

static bool is_fb_name(const char *name)
{
	for (size_t i = 0; i < sizeof(fb_names) / sizeof(fb_names[0]); i++)
		if (!strcmp(name, fb_names[i]))
			return true;
	return false;
}

static void scan_iomem(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r,
		       const struct range bars[PCI_STD_BARS])
{
	char *text, *line, *save = NULL, name[64];
	uint8_t *data;
	size_t len;
	bool any_address = false;

	if (host_read_file(ctx, "/proc/iomem", IOMEM_MAX, &data, &len) < 0)
		return;
	text = realloc(data, len + 1);
	if (!text) {
		free(data);
		return;
	}
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		uint64_t start, end;

		if (sscanf(line, " %" SCNx64 "-%" SCNx64 " : %63[^\n]", &start, &end, name) != 3)
			continue;
		any_address |= start || end;
		if (!is_fb_name(name))
			continue;
		for (int b = 0; b < PCI_STD_BARS; b++) {
			if (!bars[b].end || start < bars[b].start || end > bars[b].end)
				continue;
			if (r->framebuffer_count < IGDPT_HOST_FB_MAX) {
				struct igdpt_host_framebuffer *fb = &r->framebuffers[r->framebuffer_count++];

				snprintf(fb->name, sizeof(fb->name), "%s", name);
				fb->start = start;
				fb->end = end;
				fb->bar = b;
			}
			break;
		}
	}
	/* Without CAP_SYS_ADMIN every address reads 0. */
	r->iomem_hidden = !any_address;
	free(text);
}

static void bound_drivers(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	char path[HOST_PATH_SIZE];
	char **names;

	for (size_t d = 0; d < sizeof(fb_drivers) / sizeof(fb_drivers[0]); d++) {
		int n;

		if (host_path(path, sizeof(path), "/sys/bus/platform/drivers/%s", fb_drivers[d]) < 0)
			continue;
		n = host_list_dir(ctx, path, &names);
		for (int i = 0; i < n; i++) {
			/* Bound devices are links named after them ("efi-framebuffer.0"). */
			if (strncmp(names[i], fb_drivers[d], strlen(fb_drivers[d])) ||
			    names[i][strlen(fb_drivers[d])] != '.' ||
			    r->fb_driver_count >= IGDPT_HOST_FB_MAX)
				continue;
			snprintf(r->fb_drivers[r->fb_driver_count++], sizeof(r->fb_drivers[0]),
				 "%s (%s)", fb_drivers[d], names[i]);
		}
		if (n > 0)
			host_names_free(names, n);
	}
}

void host_framebuffer_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	struct range bars[PCI_STD_BARS];

	if (read_bars(ctx, r->dev.bdf, bars) == 0)
		scan_iomem(ctx, r, bars);
	bound_drivers(ctx, r);
}

/* The kernel parameter that keeps a framebuffer driver off. */
static const char *fix_for(const char *name)
{
	if (!strcmp(name, "efifb") || !strncmp(name, "efi-framebuffer", 15))
		return "video=efifb:off";
	if (!strcmp(name, "vesafb") || !strncmp(name, "vesa-framebuffer", 16))
		return "video=vesafb:off";
	return "initcall_blacklist=sysfb_init";
}

#define CMDLINE_HOWTO "on the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, " \
		      "update-grub, reboot)"

void host_framebuffer_judge(struct igdpt_host_report *r)
{
	for (size_t i = 0; i < r->framebuffer_count; i++) {
		const struct igdpt_host_framebuffer *fb = &r->framebuffers[i];

		BLOCKER(r,
			"the boot framebuffer %s holds 0x%" PRIx64 "-0x%" PRIx64 " inside BAR%d of "
			"%s: the host still draws on the IGD, and vfio-pci cannot reserve the BAR "
			"for QEMU (\"BAR %d: can't reserve\"); keep it off with %s %s",
			fb->name, fb->start, fb->end, fb->bar, r->dev.bdf, fb->bar, fix_for(fb->name),
			CMDLINE_HOWTO);
	}
	if (r->framebuffer_count || !r->fb_driver_count || !r->iomem_hidden)
		return;
	for (size_t i = 0; i < r->fb_driver_count; i++)
		CAUTION(r,
			"a boot framebuffer driver is bound: %s; /proc/iomem hides where it draws "
			"(run as root): if it is on the IGD, keep it off with %s %s",
			r->fb_drivers[i], fix_for(r->fb_drivers[i]), CMDLINE_HOWTO);
}
