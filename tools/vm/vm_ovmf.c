/* SPDX-License-Identifier: MIT */
/* igdpt vm --firmware ovmf: OVMF flash + the EFI driver's FAT volume on the
 * QEMU command line, and what the driver logged (see vm_ovmf.h). */
#include "vm_ovmf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/file.h"
#include "qemu_opt.h"

/* "igdpt-efi 0.1.0: ..." (banner) and "igdpt-efi: 00:02.0: ..." */
#define DRIVER_NAME "igdpt-efi"
#define PLACED_NVS " in ACPI NVS"
#define PLACED_AT "placed at "
#define STOLEN_LINE "stolen memory "
#define NEXT_STAGE_LINE "igdpt-efi: starting "
#define INVALID_LINE "etc/igd-opregion is invalid: "

int vm_ovmf_add_args(struct vm_argv *a, const struct vm_ovmf_config *c)
{
	char *code = NULL, *vars = NULL, *esp = NULL;
	int ret = -ENOMEM;

	if (!a || !c || !c->code || !c->vars || !c->esp_image)
		return -EINVAL;
	code = qemu_opt_escape(c->code);
	vars = qemu_opt_escape(c->vars);
	esp = qemu_opt_escape(c->esp_image);
	if (!code || !vars || !esp)
		goto free_strings;
	if (vm_argv_add(a, "-drive") ||
	    vm_argv_add(a, "if=pflash,format=raw,unit=0,readonly=on,file=%s", code) ||
	    vm_argv_add(a, "-drive") || vm_argv_add(a, "if=pflash,format=raw,unit=1,file=%s", vars) ||
	    vm_argv_add(a, "-drive") ||
	    vm_argv_add(a, "if=none,id=esp,format=raw,readonly=on,file=%s", esp) ||
	    vm_argv_add(a, "-device") ||
	    vm_argv_add(a, "virtio-blk-pci,drive=esp,addr=%02x.0", VM_OVMF_ESP_SLOT))
		goto free_strings;
	ret = 0;
free_strings:
	free(esp);
	free(vars);
	free(code);
	return ret;
}

static int pick(char *out, size_t size, const char *env, const char *fallback, char *err,
		size_t err_size, const char *what)
{
	const char *v = getenv(env);
	const char *path = v && *v ? v : fallback;

	if (!path || snprintf(out, size, "%s", path) >= (int)size) {
		snprintf(err, err_size, "%s: path too long", what);
		return -ENAMETOOLONG;
	}
	if (access(out, R_OK) < 0) {
		int e = errno;

		snprintf(err, err_size, "%s %s: %s%s", what, out, strerror(e),
			 v && *v ? " (from $" : " (install the Debian package ovmf, or set $");
		snprintf(err + strlen(err), err_size - strlen(err), "%s)", env);
		return -e;
	}
	return 0;
}

int vm_ovmf_prepare(const char *work_dir, const char *build_root, const char *install_dir,
		    char *code, char *vars, char *esp, size_t path_size, char *err,
		    size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	char template[4096], fallback[4096];
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	if (!work_dir || !code || !vars || !esp || !path_size)
		return -EINVAL;
	ret = pick(code, path_size, "IGDPT_OVMF_CODE", VM_OVMF_CODE_DEFAULT, err, err_size,
		   "OVMF code");
	if (ret < 0)
		return ret;
	ret = pick(template, sizeof(template), "IGDPT_OVMF_VARS", VM_OVMF_VARS_DEFAULT, err,
		   err_size, "OVMF vars template");
	if (ret < 0)
		return ret;
	if (build_root)
		snprintf(fallback, sizeof(fallback), "%s/%s", build_root, VM_OVMF_ESP_BUILD_PATH);
	else
		snprintf(fallback, sizeof(fallback), "%s/%s", install_dir ? install_dir : ".",
			 VM_OVMF_ESP_NAME);
	ret = pick(esp, path_size, "IGDPT_EFI_IMAGE", fallback, err, err_size,
		   "igdpt EFI volume");
	if (ret < 0)
		return ret;
	/* OVMF stores boot options in its vars flash: never the shared template. */
	if (snprintf(vars, path_size, "%s/OVMF_VARS.fd", work_dir) >= (int)path_size) {
		snprintf(err, err_size, "OVMF vars copy: path too long");
		return -ENAMETOOLONG;
	}
	ret = igdpt_file_read(template, &data, &len, &diag);
	if (ret < 0)
		return ret;
	ret = igdpt_file_write(vars, data, len, &diag);
	free(data);
	return ret;
}

static bool hex_after(const char *line, size_t len, const char *marker, uint64_t *value)
{
	size_t m = strlen(marker);

	char buf[32], *end;
	size_t n = 0;

	for (size_t i = 0; i + m <= len; i++) {
		if (memcmp(line + i, marker, m))
			continue;
		for (i += m; i < len && n + 1 < sizeof(buf) && line[i] != ' '; i++)
			buf[n++] = line[i];
		buf[n] = '\0';
		*value = strtoull(buf, &end, 16);
		return n > 2 && !*end;
	}
	return false;
}

static bool contains(const char *line, size_t len, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= len; i++)
		if (!memcmp(line + i, needle, m))
			return true;
	return false;
}

void vm_ovmf_log_parse(const char *text, size_t len, struct vm_ovmf_log *log)
{
	static const char *const refusals[] = { "stays 0", "not placed", "nothing to do",
						"no fw_cfg device" };
	size_t pos = 0;

	memset(log, 0, sizeof(*log));
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		pos += n + 1;
		if (n && line[n - 1] == '\r')
			n--;
		if (n <= strlen(DRIVER_NAME) || memcmp(line, DRIVER_NAME, strlen(DRIVER_NAME)) ||
		    (line[strlen(DRIVER_NAME)] != ' ' && line[strlen(DRIVER_NAME)] != ':'))
			continue;
		log->driver_ran = true;
		if (contains(line, n, PLACED_NVS) && hex_after(line, n, PLACED_AT, &log->asls))
			log->opregion_placed = true;
		else if (contains(line, n, STOLEN_LINE) && hex_after(line, n, PLACED_AT, &log->bdsm))
			log->stolen_placed = true;
		if (n >= strlen(NEXT_STAGE_LINE) && !memcmp(line, NEXT_STAGE_LINE, strlen(NEXT_STAGE_LINE)))
			log->next_stage_started = true;
		if (!log->invalid[0] && contains(line, n, INVALID_LINE))
			snprintf(log->invalid, sizeof(log->invalid), "%.*s", (int)n, line);
		for (size_t r = 0; !log->refusal[0] && r < sizeof(refusals) / sizeof(refusals[0]); r++)
			if (contains(line, n, refusals[r]))
				snprintf(log->refusal, sizeof(log->refusal), "%.*s", (int)n, line);
	}
}
