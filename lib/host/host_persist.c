/* SPDX-License-Identifier: MIT */
/* Will the binding to vfio-pci survive a reboot?
 *
 * "echo vfio-pci > driver_override" (what the bind fix prints) lasts until
 * the next boot; then i915 takes the IGD again. vfio-pci takes it at boot
 * when told its id: vfio-pci.ids=8086:DEV on the kernel command line, or
 * "options vfio-pci ids=8086:DEV" in modprobe.d (Linux vfio_pci.c, module
 * parameter ids: vendor:device[:subvendor:subdevice[:class:class_mask]]),
 * loaded before i915 ("softdep i915 pre: vfio-pci"). libvirt
 * (managed='yes') and Proxmox bind the device at VM start themselves.
 */
#include "host_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where modprobe reads its configuration (modprobe.d(5)), in its order. */
static const char *const modprobe_dirs[] = { "/etc/modprobe.d", "/run/modprobe.d",
					     "/usr/local/lib/modprobe.d", "/lib/modprobe.d",
					     "/usr/lib/modprobe.d" };
/* A modprobe.d file or the command line is small; more is not one. */
#define CONFIG_MAX (256u << 10)

/* Whether a comma-separated ids= list names vendor:device. */
static bool ids_name(const char *list, size_t len, uint16_t vendor, uint16_t device)
{
	char want[16];
	size_t wlen;

	snprintf(want, sizeof(want), "%04x:%04x", vendor, device);
	wlen = strlen(want);
	for (size_t i = 0; i < len;) {
		size_t end = i;

		while (end < len && list[end] != ',' && !isspace((unsigned char)list[end]))
			end++;
		if (end - i >= wlen && !strncasecmp(list + i, want, wlen) &&
		    (end - i == wlen || list[i + wlen] == ':'))
			return true;
		if (end < len && list[end] != ',')
			break;
		i = end + 1;
	}
	return false;
}

/* "vfio-pci.ids=..." (or vfio_pci.ids) among the words of the command line. */
static bool cmdline_names(const char *text, uint16_t vendor, uint16_t device)
{
	for (const char *p = text; *p;) {
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, " \t\n");
		if ((!strncmp(p, "vfio-pci.ids=", 13) || !strncmp(p, "vfio_pci.ids=", 13)) &&
		    ids_name(p + 13, n - 13, vendor, device))
			return true;
		p += n;
	}
	return false;
}

/* "options vfio-pci ... ids=..." lines of a modprobe.d file. */
static bool modprobe_names(const char *text, uint16_t vendor, uint16_t device)
{
	const char *line = text;

	while (*line) {
		size_t len = strcspn(line, "\n");
		char buf[1024];
		char *save = NULL, *word;

		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) - 1 ? len : sizeof(buf) - 1),
			 line);
		word = strtok_r(buf, " \t", &save);
		if (word && !strcmp(word, "options") && (word = strtok_r(NULL, " \t", &save)) &&
		    (!strcmp(word, "vfio-pci") || !strcmp(word, "vfio_pci"))) {
			while ((word = strtok_r(NULL, " \t", &save)))
				if (!strncmp(word, "ids=", 4) &&
				    ids_name(word + 4, strlen(word + 4), vendor, device))
					return true;
		}
		line += len + (line[len] ? 1 : 0);
	}
	return false;
}

static bool file_names(const struct igdpt_host_ctx *ctx, const char *path, bool cmdline,
		       uint16_t vendor, uint16_t device)
{
	uint8_t *data;
	char *text;
	size_t len;
	bool hit;

	if (host_read_file(ctx, path, CONFIG_MAX, &data, &len) < 0)
		return false;
	text = realloc(data, len + 1);
	if (!text) {
		free(data);
		return false;
	}
	text[len] = '\0';
	hit = cmdline ? cmdline_names(text, vendor, device) : modprobe_names(text, vendor, device);
	free(text);
	return hit;
}

void host_persist_facts(const struct igdpt_host_ctx *ctx, struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	char path[HOST_PATH_SIZE];

	if (host_read_text(ctx, r->driver_override, sizeof(r->driver_override),
			   "/sys/bus/pci/devices/%s/driver_override", d->bdf) < 0 ||
	    !strcmp(r->driver_override, "(null)"))
		r->driver_override[0] = '\0';
	if (file_names(ctx, "/proc/cmdline", true, d->vendor, d->device)) {
		snprintf(r->persistent_binding, sizeof(r->persistent_binding),
			 "/proc/cmdline vfio-pci.ids");
		return;
	}
	for (size_t i = 0; i < sizeof(modprobe_dirs) / sizeof(modprobe_dirs[0]); i++) {
		char **names;
		int n = host_list_dir(ctx, modprobe_dirs[i], &names);
		bool found = false;

		for (int k = 0; k < n && !found; k++) {
			size_t len = strlen(names[k]);

			if (len < 5 || strcmp(names[k] + len - 5, ".conf") ||
			    host_path(path, sizeof(path), "%s/%s", modprobe_dirs[i], names[k]) < 0)
				continue;
			if (file_names(ctx, path, false, d->vendor, d->device)) {
				snprintf(r->persistent_binding, sizeof(r->persistent_binding), "%.*s",
					 (int)sizeof(r->persistent_binding) - 1, path);
				found = true;
			}
		}
		if (n > 0)
			host_names_free(names, n);
		if (found)
			return;
	}
}

void host_persist_judge(struct igdpt_host_report *r)
{
	const struct igdpt_host_device *d = &r->dev;
	char ids[16];

	snprintf(ids, sizeof(ids), "%04x:%04x", d->vendor, d->device);
	if (!strcmp(d->driver, "vfio-pci") && !r->persistent_binding[0])
		CAUTION(r,
			"bound to vfio-pci %s, which lasts until the next boot, when %s takes it "
			"again: make it permanent with vfio-pci.ids=%s on the kernel command line, "
			"or \"options vfio-pci ids=%s\" and \"softdep i915 pre: vfio-pci\" in "
			"/etc/modprobe.d/vfio.conf, then update-initramfs -u (libvirt managed='yes' "
			"and Proxmox bind it at VM start without either)",
			r->driver_override[0] ? "through driver_override" : "by hand",
			"i915", ids, ids);
	else if (d->driver[0] && strcmp(d->driver, "vfio-pci") && r->persistent_binding[0])
		CAUTION(r,
			"%s names %s for vfio-pci, yet %s took the device first: load vfio-pci "
			"before it (\"softdep %s pre: vfio-pci\" in /etc/modprobe.d/vfio.conf, then "
			"update-initramfs -u)",
			r->persistent_binding, ids, d->driver, d->driver);
}
