/* SPDX-License-Identifier: MIT */
/* The Linux guest of `igdpt vm` (see vm_linux.h): the Debian kernels it
 * boots and where they are, i915's log from the serial console and the
 * driver's writes from the device's final event. */
#include "vm_linux.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "igdpt/abi/events.h"
#include "vm_log_probe.h"

/* scripts/fetch-guest-kernel fetches each by the same name. */
static const struct vm_linux_kernel kernels[] = {
	{ "bookworm", "Linux 6.1 (Debian 12 bookworm)" },
	{ "trixie", "Linux 6.12 (Debian 13 trixie)" },
};

const struct vm_linux_kernel *vm_linux_kernel_find(const char *name)
{
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (!strcmp(kernels[i].name, name))
			return &kernels[i];
	return NULL;
}

void vm_linux_kernel_names(char *out, size_t size)
{
	size_t o = 0;

	if (!size)
		return;
	out[0] = 0;
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		int n = snprintf(out + o, size - o, "%s%s", i ? "|" : "", kernels[i].name);

		if (n < 0 || (size_t)n >= size - o)
			return;
		o += (size_t)n;
	}
}

void vm_linux_paths(const char *kernel, const char *installed_dir, bool efi,
		    struct vm_linux_paths *p)
{
	snprintf(p->kernel_rel, sizeof(p->kernel_rel), "%s/%s/%s", VM_LINUX_GUEST_DIR, kernel,
		 efi ? VM_LINUX_EFI_KERNEL_FILE : VM_LINUX_KERNEL_FILE);
	snprintf(p->initrd_rel, sizeof(p->initrd_rel), "%s/%s/%s", VM_LINUX_GUEST_DIR, kernel,
		 VM_LINUX_INITRD_FILE);
	snprintf(p->kernel_installed, sizeof(p->kernel_installed), "%s/%s", installed_dir,
		 p->kernel_rel);
	snprintf(p->initrd_installed, sizeof(p->initrd_installed), "%s/%s", installed_dir,
		 p->initrd_rel);
}

/* The last IGDPT_EV_FINAL event of the device log. */
static struct json_object *final_event(const char *text, size_t len)
{
	static const char final_key[] = "\"" IGDPT_EV_FINAL "\"";
	struct json_object *found = NULL;

	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		struct json_tokener *tok;
		struct json_object *obj;
		const char *name;

		pos += n + (nl != NULL);
		if (n > (size_t)INT32_MAX || !memmem(line, n, final_key, sizeof(final_key) - 1))
			continue;
		tok = json_tokener_new();
		if (!tok)
			break;
		obj = json_tokener_parse_ex(tok, line, (int)n);
		json_tokener_free(tok);
		name = vm_json_string(obj, IGDPT_EV_KEY_EVENT);
		if (name && !strcmp(name, IGDPT_EV_FINAL)) {
			json_object_put(found);
			found = obj;
		} else {
			json_object_put(obj);
		}
	}
	return found;
}

void vm_linux_collect(struct vm_linux_result *lr, const char *serial, size_t serial_len,
		      const char *device_log, size_t device_log_len)
{
	struct json_object *final, *writes;

	memset(lr, 0, sizeof(*lr));
	vm_i915_log_parse(serial, serial_len, &lr->i915);
	final = final_event(device_log, device_log_len);
	if (!final)
		return;
	lr->final_seen = true;
	if (json_object_object_get_ex(final, IGDPT_EV_OPREGION_WRITES, &writes) &&
	    json_object_is_type(writes, json_type_array)) {
		size_t o = 0;

		lr->writes = json_object_get(writes);
		lr->nwrites = (unsigned)json_object_array_length(writes);
		for (unsigned i = 0; i < lr->nwrites; i++) {
			struct json_object *w = json_object_array_get_idx(writes, i);
			const char *name = vm_json_string(w, IGDPT_EV_FIELD);
			int k;

			if (!name)
				name = "?";
			if (!strcmp(name, IGDPT_EV_FIELD_UNNAMED))
				lr->unnamed++;
			k = snprintf(lr->write_names + o, sizeof(lr->write_names) - o, "%s%s",
				     i ? ", " : "", name);
			if (k > 0 && (size_t)k < sizeof(lr->write_names) - o)
				o += (size_t)k;
		}
	}
	json_object_put(final);
}

void vm_linux_result_free(struct vm_linux_result *lr)
{
	json_object_put(lr->writes);
	lr->writes = NULL;
}
