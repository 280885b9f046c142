/* SPDX-License-Identifier: MIT */
/* Gathering what a run produced (see vm_evidence.h). */
#include "vm_evidence.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igdpt/file.h"
#include "vm_log_probe.h"

/* QEMU warns that fw_cfg names should start with "opt/"; etc/igd-* are the
 * names SeaBIOS looks for, so the warning is expected and only noise here. */
static bool is_noise(const uint8_t *line, size_t n)
{
	static const char fw_cfg_warning[] = "should be prefixed with \"opt/\"";

	return memmem(line, n, fw_cfg_warning, sizeof(fw_cfg_warning) - 1) != NULL;
}

#define TAIL_LINES 3
#define TAIL_BYTES 400

void vm_stderr_tail(const char *path, char *buf, size_t size)
{
	uint8_t *data = NULL;
	size_t len = 0, start, lines = 0, o = 0, kept = 0;

	buf[0] = 0;
	if (igdpt_file_read(path, &data, &len, NULL) < 0)
		return;
	/* Drop the expected warnings first, in place. */
	for (size_t pos = 0; pos < len;) {
		uint8_t *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (data + pos)) + 1 : len - pos;

		if (!is_noise(data + pos, n)) {
			memmove(data + kept, data + pos, n);
			kept += n;
		}
		pos += n;
	}
	len = kept;
	while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	for (start = len; start > 0; start--)
		if (data[start - 1] == '\n' && ++lines == TAIL_LINES)
			break;
	if (len - start > TAIL_BYTES)
		start = len - TAIL_BYTES;
	for (size_t i = start; i < len && o + 4 < size; i++) {
		if (data[i] == '\n') {
			buf[o++] = ' ';
			buf[o++] = '|';
			buf[o++] = ' ';
		} else if (isprint(data[i])) {
			buf[o++] = (char)data[i];
		}
	}
	buf[o] = 0;
	free(data);
}

/* A log as text; "" (len 0) when it cannot be read: a missing log is
 * evidence of its own (no line, so the stage fails). */
static char *read_log(const char *path, size_t *len)
{
	uint8_t *data = NULL;

	if (igdpt_file_read(path, &data, len, NULL) < 0) {
		*len = 0;
		return NULL;
	}
	return (char *)data;
}

void vm_evidence_init(struct vm_evidence *ev, const struct vm_options *o,
		      const struct vm_image *img)
{
	memset(ev, 0, sizeof(*ev));
	ev->firmware = o->firmware;
	ev->linux_guest = o->guest == VM_GUEST_LINUX;
	ev->expect_opregion = o->source != VM_SOURCE_NONE;
	ev->pci_class = o->pci_class;
	ev->strategy = o->strategy;
	ev->published_size = img->published_len;
	ev->stolen_size = o->stolen_size;
	ev->timeout = o->timeout;
	ev->stack = o->stack;
	ev->transport = o->transport;
	ev->efi_delivery = o->efi_delivery;
	ev->host_checked = o->source == VM_SOURCE_FILE;
	ev->host_hash = img->host_hash;
	ev->published_hash = img->published_hash;
	ev->qemu.name = "qemu";
	ev->device.name = "igdpt-device";
}

void vm_evidence_set_stack(struct vm_evidence *ev, const struct vm_programs *p)
{
	snprintf(ev->qemu_version, sizeof(ev->qemu_version), "%s", p->qemu_version);
	snprintf(ev->seabios_version, sizeof(ev->seabios_version), "%s", p->stack.seabios_version);
	snprintf(ev->ovmf_version, sizeof(ev->ovmf_version), "%s", p->stack.ovmf_version);
}

void vm_evidence_collect(struct vm_evidence *ev, const struct vm_options *o,
			 const struct vm_image *img, const struct vm_workdir *w,
			 const struct vm_proc *qemu, const struct vm_proc *device, bool timed_out)
{
	char *text, *device_log;
	size_t len, device_log_len;

	ev->ran = true;
	ev->timed_out = timed_out;
	ev->qemu = *qemu;
	ev->device = *device;
	device_log = read_log(w->device_log, &device_log_len);
	vm_device_log_parse(device_log ? device_log : "", device_log_len, &ev->dev);
	text = read_log(w->fw_log, &len);
	if (o->firmware == VM_FIRMWARE_OVMF)
		vm_ovmf_log_parse(text ? text : "", len, &ev->ovmf);
	else
		vm_seabios_log_parse(text ? text : "", len, &ev->seabios);
	free(text);
	text = read_log(w->serial, &len);
	if (vm_probe_line_parse(text ? text : "", len, &ev->probe, ev->probe_error,
				sizeof(ev->probe_error)) < 0)
		ev->probe = NULL;
	if (ev->linux_guest)
		vm_linux_collect(&ev->linux_evidence, text ? text : "", len,
				 device_log ? device_log : "", device_log_len);
	free(text);
	free(device_log);
	vm_stderr_tail(w->qemu_err, ev->qemu_stderr_tail, sizeof(ev->qemu_stderr_tail));
	vm_stderr_tail(w->device_err, ev->device_stderr_tail, sizeof(ev->device_stderr_tail));
	if (ev->host_checked)
		ev->host_unchanged = vm_file_unchanged(o->image, img->host, img->host_len);
	if (img->published)
		ev->published_unchanged = vm_file_unchanged(w->published, img->published,
							     img->published_len);
}

void vm_evidence_free(struct vm_evidence *ev)
{
	json_object_put(ev->probe);
	ev->probe = NULL;
	vm_linux_result_free(&ev->linux_evidence);
}
