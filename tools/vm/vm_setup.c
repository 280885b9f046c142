/* SPDX-License-Identifier: MIT */
/* A run's work directory, published files and --keep-logs destination (see
 * vm_setup.h). */
#include "vm_setup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "igdpt/abi/guest.h"
#include "igdpt/build.h"
#include "igdpt/core/bytes.h"
#include "igdpt/file.h"
#include "igdpt/guest_image.h"
#include "tool_util.h"

/* The reference OpRegion fits in this (8 KiB today). */
#define VM_REFERENCE_CAP (64u << 10)
/* Below this much free space a log line may have been lost to ENOSPC. */
#define VM_SPACE_NEARLY_FULL (64u << 10)
/* What the --keep-logs test write puts on the destination: one page. */
#define VM_KEEP_PROBE_SIZE 4096u
#define KIB(b) ((unsigned long long)((b) + 1023) >> 10)

/* The files a run may leave, in the order --keep-logs lists them. */
#define VM_KEPT_FILES 12
static void files_list(const struct vm_workdir *w, const char *list[VM_KEPT_FILES])
{
	list[0] = w->published;
	list[1] = w->stolen_size;
	list[2] = w->device_log;
	list[3] = w->device_out;
	list[4] = w->device_err;
	list[5] = w->fw_log;
	list[6] = w->serial;
	list[7] = w->qemu_out;
	list[8] = w->qemu_err;
	list[9] = w->cmdlines;
	list[10] = w->rom;
	list[11] = NULL;
}

int vm_workdir_create_in(struct vm_workdir *w, const char *parent, const char *where,
			 char *err, size_t err_size)
{
	int n;

	if (!parent || !*parent)
		return vm_workdir_create(w, err, err_size);
	memset(w, 0, sizeof(*w));
	snprintf(w->where, sizeof(w->where), "%s", where);
	n = snprintf(w->dir, sizeof(w->dir), "%s/igdpt-vm.XXXXXX", parent);
	if (n < 0 || (size_t)n >= sizeof(w->dir)) {
		w->dir[0] = 0;
		snprintf(err, err_size, "%s: %s", w->where, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(w->dir)) {
		int e = errno;

		snprintf(err, err_size, "cannot create a temporary directory in %s: %s", parent,
			 strerror(e));
		w->dir[0] = 0;
		return -e;
	}
#define VM_FILE(field, name) snprintf(w->field, sizeof(w->field), "%s/" name, w->dir)
	VM_FILE(published, "published-opregion.bin");
	VM_FILE(stolen_size, "igd-bdsm-size.bin");
	VM_FILE(device_log, "device.log");
	VM_FILE(device_out, "device.stdout");
	VM_FILE(device_err, "device.stderr");
	VM_FILE(fw_log, "firmware.log");
	VM_FILE(serial, "serial.log");
	VM_FILE(qemu_out, "qemu.stdout");
	VM_FILE(qemu_err, "qemu.stderr");
	VM_FILE(cmdlines, "command-lines.txt");
	VM_FILE(rom, "pci-rom.bin");
	VM_FILE(socket, "igd.sock");
#undef VM_FILE
	return 0;
}

int vm_workdir_create(struct vm_workdir *w, char *err, size_t err_size)
{
	const char *tmp = getenv("TMPDIR");
	char where[PATH_MAX + 16];

	if (!tmp || !*tmp)
		tmp = "/tmp";
	snprintf(where, sizeof(where), "TMPDIR %s", tmp);
	return vm_workdir_create_in(w, tmp, where, err, err_size);
}

/* Copies src to dst (created, 0644) in chunks; dst removed on failure. */
static int copy_file(const char *src, const char *dst)
{
	char buf[64 << 10];
	int in = open(src, O_RDONLY | O_CLOEXEC), out, ret = 0;

	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		close(in);
		return ret;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n < 0 ? -errno : 0;
			break;
		}
		while (done < n && !ret) {
			ssize_t m = write(out, buf + done, (size_t)(n - done));

			if (m < 0 && errno != EINTR)
				ret = -errno;
			else if (m > 0)
				done += m;
		}
		if (ret)
			break;
	}
	if (close(out) < 0 && !ret)
		ret = -errno;
	close(in);
	if (ret)
		unlink(dst);
	return ret;
}

int vm_workdir_stage(const struct vm_workdir *w, const char *src, const char *name, char *out,
		     size_t out_size, char *err, size_t err_size)
{
	int ret;

	if (snprintf(out, out_size, "%s/%s", w->dir, name) >= (int)out_size) {
		snprintf(err, err_size, "%s/%s: %s", w->dir, name, strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	/* A hard link costs nothing (a Linux kernel is tens of MiB); across
	 * file systems, or where links are not allowed, a copy. */
	if (link(src, out) == 0)
		return 0;
	ret = copy_file(src, out);
	if (ret < 0)
		snprintf(err, err_size, "cannot put %s into %s: %s", src, w->dir, strerror(-ret));
	return ret;
}

static int free_bytes(const char *dir, uint64_t *avail)
{
	struct statvfs sv;

	*avail = 0;
	if (statvfs(dir, &sv) < 0)
		return -errno;
	*avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	return 0;
}

int vm_workdir_check_space(const struct vm_workdir *w, uint64_t need, char *err,
			   size_t err_size)
{
	bool tmpdir = !strncmp(w->where, "TMPDIR ", 7);
	uint64_t avail;
	int ret = free_bytes(w->dir, &avail);

	if (ret < 0) {
		snprintf(err, err_size, "%s: %s", w->dir, strerror(-ret));
		return ret;
	}
	if (avail >= need)
		return 0;
	/* Name the place the user chose, not the run's directory. */
	snprintf(err, err_size, "%s: %s: %llu KiB free, a run needs about %llu KiB for the "
				"published image and the logs (%s)",
		 w->where, strerror(ENOSPC), KIB(avail), KIB(need),
		 tmpdir ? "set TMPDIR to a roomier place" : "free some space there");
	return -ENOSPC;
}

int vm_workdir_copy_ovmf_vars(struct vm_workdir *w, const char *template_path, char *err,
			      size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	uint8_t *data = NULL;
	size_t len = 0;
	int ret;

	snprintf(w->ovmf_vars, sizeof(w->ovmf_vars), "%s/OVMF_VARS.fd", w->dir);
	ret = igdpt_file_read(template_path, &data, &len, &diag);
	if (ret < 0)
		return ret;
	ret = igdpt_file_write(w->ovmf_vars, data, len, &diag);
	free(data);
	return ret;
}

bool vm_workdir_full(const struct vm_workdir *w)
{
	uint64_t avail;

	return w->dir[0] && free_bytes(w->dir, &avail) == 0 && avail < VM_SPACE_NEARLY_FULL;
}

void vm_workdir_remove(struct vm_workdir *w)
{
	DIR *d;

	if (!w->dir[0])
		return;
	/* The directory is the run's own (mkdtemp, 0700): everything in it
	 * goes, including what a killed child may have left (a socket). */
	d = opendir(w->dir);
	if (d) {
		struct dirent *e;

		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(w->dir);
	w->dir[0] = 0;
}

/* Writes a page into dir and syncs it: a full, read-only or unwritable
 * destination fails here, before boot, not after the run. */
static int test_write(const char *dir)
{
	static const uint8_t page[VM_KEEP_PROBE_SIZE];
	char path[PATH_MAX];
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), "%s/.igdpt-vm-check.XXXXXX", dir) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page) || fsync(fd) < 0)
		ret = errno ? -errno : -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	unlink(path);
	return ret;
}

int vm_keep_logs_check(const char *dir, uint64_t need, bool *created, char *err,
		       size_t err_size)
{
	struct stat st = { 0 };
	uint64_t avail;
	int ret;

	*created = false;
	ret = tool_mkdir_p(dir, created);
	if (ret < 0) {
		snprintf(err, err_size, "--keep-logs %s: cannot create: %s", dir, strerror(-ret));
		return ret;
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -errno : -ENOTDIR;
		snprintf(err, err_size, "--keep-logs %s: %s", dir, strerror(-ret));
		return ret;
	}
	ret = test_write(dir);
	if (ret < 0) {
		snprintf(err, err_size, "--keep-logs %s: cannot write: %s", dir, strerror(-ret));
		goto abandon;
	}
	ret = free_bytes(dir, &avail);
	if (ret == 0 && avail < need) {
		snprintf(err, err_size, "--keep-logs %s: %s: %llu KiB free, the logs need about "
					"%llu KiB", dir, strerror(ENOSPC), KIB(avail), KIB(need));
		ret = -ENOSPC;
		goto abandon;
	}
	return 0;
abandon:
	vm_keep_logs_abandon(dir, *created);
	*created = false;
	return ret;
}

int vm_keep_logs_copy(const struct vm_workdir *w, const char *dir, char *err, size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	const char *list[VM_KEPT_FILES];
	bool created = false;
	int ret = tool_mkdir_p(dir, &created);

	if (ret < 0) {
		snprintf(err, err_size, "--keep-logs %s: cannot create: %s", dir, strerror(-ret));
		return ret;
	}
	files_list(w, list);
	for (const char *const *p = list; *p; p++) {
		const char *base = strrchr(*p, '/') + 1;
		char dst[PATH_MAX * 2];
		uint8_t *data;
		size_t len;

		if (access(*p, F_OK))
			continue;
		ret = igdpt_file_read(*p, &data, &len, &diag);
		if (ret < 0)
			return ret;
		snprintf(dst, sizeof(dst), "%s/%s", dir, base);
		ret = igdpt_file_write(dst, data, len, &diag);
		free(data);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void vm_keep_logs_abandon(const char *dir, bool created)
{
	if (created && dir)
		rmdir(dir);
}

/* FNV-1a 64 parameters (Fowler, Noll, Vo; IETF draft-eastlake-fnv). */
#define FNV64_OFFSET_BASIS 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

uint64_t vm_fnv1a64(const uint8_t *data, size_t len)
{
	uint64_t h = FNV64_OFFSET_BASIS;

	for (size_t i = 0; i < len; i++) {
		h ^= data[i];
		h *= FNV64_PRIME;
	}
	return h;
}

int vm_image_load(const struct vm_options *o, struct vm_image *img, char *err,
		  size_t err_size)
{
	struct igdpt_diag diag = { 0 };
	int ret;

	memset(img, 0, sizeof(*img));
	if (o->rom && (ret = vm_rom_load(o->rom, &img->rom, err, err_size)) < 0)
		return ret;
	if (o->source == VM_SOURCE_NONE)
		return 0;
	if (o->source == VM_SOURCE_FILE) {
		diag = (struct igdpt_diag)IGDPT_DIAG_BUFFER(err, err_size);
		ret = igdpt_file_read(o->image, &img->host, &img->host_len, &diag);
		if (ret < 0)
			return ret;
		snprintf(img->source, sizeof(img->source), "%s", o->image);
	} else {
		img->host = malloc(VM_REFERENCE_CAP);
		if (!img->host) {
			snprintf(err, err_size, "out of memory");
			return -ENOMEM;
		}
		ret = igdpt_build_reference(IGDPT_BUILD_VERSION_DEFAULT, img->host, VM_REFERENCE_CAP,
					    &img->host_len, &diag);
		if (ret < 0) {
			snprintf(err, err_size, "cannot build the reference OpRegion: %s",
				 diag.reason ? diag.reason : strerror(-ret));
			return ret;
		}
		snprintf(img->source, sizeof(img->source), "reference");
	}
	img->host_hash = vm_fnv1a64(img->host, img->host_len);
	img->parse_ret = igdpt_opregion_parse(img->host, img->host_len, &img->op, &img->parse_diag);
	return 0;
}

static int write_stolen_size(const struct vm_options *o, const struct vm_workdir *w, char *err,
			     size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	uint8_t le[IGDPT_FW_CFG_BDSM_SIZE_FILE_SIZE];

	if (!o->stolen_size)
		return 0;
	igdpt_put_le64(le, o->stolen_size);
	return igdpt_file_write(w->stolen_size, le, sizeof(le), &diag);
}

int vm_image_publish(const struct vm_options *o, struct vm_image *img,
		     const struct vm_workdir *w, char *err, size_t err_size)
{
	struct igdpt_diag diag = IGDPT_DIAG_BUFFER(err, err_size);
	int ret = write_stolen_size(o, w, err, err_size);

	if (ret < 0 || o->source == VM_SOURCE_NONE)
		return ret;
	img->published = malloc(img->host_len ? img->host_len : 1);
	if (!img->published) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	img->policy_ret = igdpt_guest_image_policy(img->host, img->host_len, NULL, img->published,
						   img->host_len, &img->published_len,
						   &img->policy_diag);
	if (img->policy_ret == -EINVAL && o->no_host_check) {
		/* The point of --no-host-check: let the guest see the bad image. */
		memcpy(img->published, img->host, img->host_len);
		img->published_len = img->host_len;
		img->published_as_given = true;
	} else if (img->policy_ret < 0) {
		return -EINVAL;
	}
	img->published_hash = vm_fnv1a64(img->published, img->published_len);
	return igdpt_file_write(w->published, img->published, img->published_len, &diag);
}

bool vm_file_unchanged(const char *path, const uint8_t *before, size_t len)
{
	uint8_t *now;
	size_t now_len;
	bool same;

	if (igdpt_file_read(path, &now, &now_len, NULL) < 0)
		return false;
	same = now_len == len && !memcmp(now, before, len);
	free(now);
	return same;
}

void vm_image_free(struct vm_image *img)
{
	vm_rom_free(&img->rom);
	free(img->published);
	free(img->host);
	img->published = img->host = NULL;
}
