/* SPDX-License-Identifier: MIT */
/* QEMU's version per binary, on disk (see vm_version_cache.h). */
#include "vm_version_cache.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "igdpt/file.h"
#include "tool_util.h"

#define CACHE_REL "igdpt/qemu-version"
#define CACHE_ENV "IGDPT_QEMU_VERSION_CACHE"
#define VERSION_KEY "version "
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* The cache's directory; -ENOENT when caching is off or there is no home. */
static int cache_dir(char *out, size_t size)
{
	const char *setting = getenv(CACHE_ENV);
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (setting && !strcmp(setting, "off"))
		return -ENOENT;
	if (xdg && xdg[0] == '/')
		n = snprintf(out, size, "%s/" CACHE_REL, xdg);
	else if (home && home[0] == '/')
		n = snprintf(out, size, "%s/.cache/" CACHE_REL, home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* The entry's file in dir: a hash of the binary's path. */
static int entry_path(const char *dir, const char *binary, char *out, size_t size)
{
	uint64_t h = FNV_OFFSET;
	int n;

	for (const unsigned char *c = (const unsigned char *)binary; *c; c++)
		h = (h ^ *c) * FNV_PRIME;
	n = snprintf(out, size, "%s/%016" PRIx64, dir, h);
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* What names this build of the binary: its path, then device, inode, size
 * and both times to the nanosecond, a line each. */
static int identity(const char *binary, char *out, size_t size)
{
	struct stat st;
	int n;

	if (stat(binary, &st) < 0)
		return -errno;
	n = snprintf(out, size, "%s\n%ju %ju %jd %jd.%09ld %jd.%09ld\n", binary,
		     (uintmax_t)st.st_dev, (uintmax_t)st.st_ino, (intmax_t)st.st_size,
		     (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (intmax_t)st.st_ctim.tv_sec,
		     st.st_ctim.tv_nsec);
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

int vm_version_cache_get(const char *binary, struct vm_version_cache_entry *e,
			 struct vm_qemu_version *v)
{
	uint8_t *data = NULL;
	size_t len = 0, id_len, version_at;
	int ret = -ENOENT;

	e->usable = cache_dir(e->dir, sizeof(e->dir)) == 0 &&
		    entry_path(e->dir, binary, e->file, sizeof(e->file)) == 0 &&
		    identity(binary, e->identity, sizeof(e->identity)) == 0;
	if (!e->usable || igdpt_file_read(e->file, &data, &len, NULL) < 0)
		return -ENOENT;
	id_len = strlen(e->identity);
	version_at = id_len + strlen(VERSION_KEY);
	if (len < VM_VERSION_CACHE_ENTRY_MAX && len > version_at &&
	    !memcmp(data, e->identity, id_len) &&
	    !memcmp(data + id_len, VERSION_KEY, strlen(VERSION_KEY))) {
		char line[VM_VERSION_CACHE_ENTRY_MAX + sizeof(VM_QEMU_VERSION_LINE)];

		/* The line as QEMU would print it, for the one parser. */
		snprintf(line, sizeof(line), VM_QEMU_VERSION_LINE "%.*s", (int)(len - version_at),
			 (const char *)data + version_at);
		if (vm_qemu_version_parse(line, v) == 0)
			ret = 0;
	}
	free(data);
	return ret;
}

void vm_version_cache_put(const struct vm_version_cache_entry *e,
			  const struct vm_qemu_version *v)
{
	char entry[VM_VERSION_CACHE_ENTRY_MAX];
	bool created = false;
	int n;

	if (!e->usable || tool_mkdir_p(e->dir, &created) < 0)
		return;
	n = snprintf(entry, sizeof(entry), "%s" VERSION_KEY "%s\n", e->identity, v->text);
	if (n < 0 || (size_t)n >= sizeof(entry))
		return;
	(void)igdpt_file_write(e->file, (const uint8_t *)entry, (size_t)n, NULL);
}
