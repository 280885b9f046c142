/* SPDX-License-Identifier: MIT */
/* The stacks igdpt vm runs on (see vm_stack.h). */
#include "vm_stack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool_util.h"
#include "vm_locate.h"
#include "vm_ovmf.h"

/* Versions as docs/stacks.md observed them, per stack. */
static const struct vm_stack_desc stacks[] = {
	{ "bookworm", false, "7.2.22", "1.16.2", "2022.11" },
	{ "trixie", true, "11.1.3", "1.17.0", "2025.02" },
};
#define NSTACKS (sizeof(stacks) / sizeof(stacks[0]))

#define DPKG_STATUS "/var/lib/dpkg/status"
/* A manifest is a few hundred bytes; a line longer than this is not one. */
#define MANIFEST_LINE_MAX 1024

const struct vm_stack_desc *vm_stack_find(const char *name)
{
	for (size_t i = 0; i < NSTACKS; i++)
		if (!strcmp(stacks[i].name, name))
			return &stacks[i];
	return NULL;
}

void vm_stack_names(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < NSTACKS && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "|" : "", stacks[i].name);
}

void vm_stack_seen_versions(const char *firmware, const char *except, char *buf, size_t size)
{
	const char *list[NSTACKS];
	size_t n = 0, len = 0;

	for (size_t i = 0; i < NSTACKS; i++) {
		const char *v = !strcmp(firmware, "ovmf") ? stacks[i].ovmf_seen : stacks[i].seabios_seen;
		bool dup = except && !strcmp(v, except);

		for (size_t j = 0; j < n && !dup; j++)
			dup = !strcmp(list[j], v);
		if (!dup)
			list[n++] = v;
	}
	buf[0] = 0;
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i == 0 ? "" : i + 1 == n ? " and " : ", ", list[i]);
}

/* "1:7.2+dfsg-7+deb12u18+b3" -> "7.2": no epoch, nothing from the first
 * '-', '+' or '~' on (as scripts/fetch-stack's upstream()). */
static void upstream(const char *debian, char *buf, size_t size)
{
	const char *colon = strchr(debian, ':');
	const char *v = colon ? colon + 1 : debian;

	snprintf(buf, size, "%.*s", (int)strcspn(v, "-+~"), v);
}

int vm_dpkg_upstream_version(const char *root, const char *package, char *buf, size_t size)
{
	char path[PATH_MAX], line[MANIFEST_LINE_MAX], version[128] = "";
	bool in_package = false, installed = false;
	FILE *f;

	buf[0] = 0;
	if (snprintf(path, sizeof(path), "%s%s", root, DPKG_STATUS) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	/* Stanzas of "Field: value" lines, separated by blank lines. */
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0]) {
			if (in_package && installed && version[0])
				break;
			in_package = installed = false;
			version[0] = 0;
		} else if (!strncmp(line, "Package: ", 9)) {
			in_package = !strcmp(line + 9, package);
		} else if (in_package && !strncmp(line, "Status: ", 8)) {
			installed = strstr(line, " installed") != NULL;
		} else if (in_package && !strncmp(line, "Version: ", 9)) {
			snprintf(version, sizeof(version), "%.*s", (int)sizeof(version) - 1, line + 9);
		}
	}
	fclose(f);
	if (!in_package || !installed || !version[0])
		return -ENOENT;
	upstream(version, buf, size);
	return 0;
}

/* KEY=VALUE from ROOT/stack.env into out; false when absent. */
static bool manifest_get(const char *manifest, const char *key, char *out, size_t size)
{
	char line[MANIFEST_LINE_MAX];
	size_t klen = strlen(key);
	bool found = false;
	FILE *f = fopen(manifest, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, key, klen) && line[klen] == '=' && line[klen + 1])
			found = snprintf(out, size, "%s", line + klen + 1) < (int)size;
	}
	fclose(f);
	return found;
}

/* Where a fetched stack's root is: the first of $IGDPT_STACK_DIR,
 * $IGDPT_STACK_CACHE/NAME, $HOME/.cache/igdpt/stack/NAME. */
static int stack_dir(const struct vm_stack_desc *d, char *out, size_t size, const char **from)
{
	const char *dir = getenv("IGDPT_STACK_DIR");
	const char *cache = getenv("IGDPT_STACK_CACHE");
	const char *home = getenv("HOME");
	int n;

	if (dir && *dir) {
		*from = " ($IGDPT_STACK_DIR)";
		n = snprintf(out, size, "%s", dir);
	} else if (cache && *cache) {
		*from = " ($IGDPT_STACK_CACHE)";
		n = snprintf(out, size, "%s/%s", cache, d->name);
	} else {
		*from = "";
		n = snprintf(out, size, "%s/" VM_STACK_CACHE_REL "/%s", home && *home ? home : "/tmp",
			     d->name);
	}
	/* No trailing '/': the root is a prefix of every path inside it. */
	while (n > 1 && out[n - 1] == '/')
		out[--n] = 0;
	return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

/* A manifest path (inside the root) as a host path, checked to be a file. */
static int manifest_file(const struct vm_stack *s, const char *manifest, const char *key,
			 char *out, size_t size, char *err, size_t err_size)
{
	char inside[PATH_MAX];

	if (!manifest_get(manifest, key, inside, sizeof(inside)) || inside[0] != '/') {
		snprintf(err, err_size, "--stack %s: %s names no %s: fetch the stack again with %s",
			 s->desc->name, manifest, key, VM_STACK_FETCH_HINT);
		return -ENOENT;
	}
	if (snprintf(out, size, "%s%s", s->root, inside) >= (int)size)
		return -ENAMETOOLONG;
	if (!tool_is_file(out, R_OK)) {
		snprintf(err, err_size, "--stack %s: %s (%s in %s) is missing: fetch the stack again "
					"with %s",
			 s->desc->name, out, key, manifest, VM_STACK_FETCH_HINT);
		return -ENOENT;
	}
	return 0;
}

static int open_fetched(struct vm_stack *s, char *err, size_t err_size)
{
	char manifest[PATH_MAX + 16], marker[PATH_MAX + 16], run[PATH_MAX];
	const char *from;
	struct stat st;
	int ret;

	if (stack_dir(s->desc, s->root, sizeof(s->root), &from) < 0) {
		snprintf(err, err_size, "--stack %s: the stack's directory name is too long",
			 s->desc->name);
		return -ENAMETOOLONG;
	}
	snprintf(manifest, sizeof(manifest), "%s/" VM_STACK_MANIFEST, s->root);
	snprintf(marker, sizeof(marker), "%s/" VM_STACK_COMPLETE, s->root);
	if (access(marker, F_OK) || !tool_is_file(manifest, R_OK)) {
		snprintf(err, err_size, "--stack %s: not fetched: %s%s holds no complete stack "
					"(no %s): run %s, or set IGDPT_STACK_DIR to a fetched root",
			 s->desc->name, s->root, from,
			 access(marker, F_OK) ? VM_STACK_COMPLETE : VM_STACK_MANIFEST,
			 VM_STACK_FETCH_HINT);
		return -ENOENT;
	}
	if ((ret = manifest_file(s, manifest, "IGDPT_STACK_QEMU", s->qemu, sizeof(s->qemu), err,
				 err_size)) < 0 ||
	    (ret = manifest_file(s, manifest, "IGDPT_STACK_SEABIOS", s->seabios, sizeof(s->seabios),
				 err, err_size)) < 0 ||
	    (ret = manifest_file(s, manifest, "IGDPT_STACK_OVMF_CODE", s->ovmf_code,
				 sizeof(s->ovmf_code), err, err_size)) < 0 ||
	    (ret = manifest_file(s, manifest, "IGDPT_STACK_OVMF_VARS", s->ovmf_vars,
				 sizeof(s->ovmf_vars), err, err_size)) < 0)
		return ret;
	if (!manifest_get(manifest, "IGDPT_STACK_RUN_DIR", run, sizeof(run)) || run[0] != '/' ||
	    snprintf(s->run_parent, sizeof(s->run_parent), "%s%s", s->root, run) >=
		    (int)sizeof(s->run_parent) ||
	    stat(s->run_parent, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "--stack %s: %s names no existing IGDPT_STACK_RUN_DIR: fetch "
					"the stack again with %s",
			 s->desc->name, manifest, VM_STACK_FETCH_HINT);
		return -ENOENT;
	}
	manifest_get(manifest, "IGDPT_STACK_QEMU_VERSION", s->qemu_version, sizeof(s->qemu_version));
	manifest_get(manifest, "IGDPT_STACK_SEABIOS_VERSION", s->seabios_version,
		     sizeof(s->seabios_version));
	manifest_get(manifest, "IGDPT_STACK_OVMF_VERSION", s->ovmf_version, sizeof(s->ovmf_version));
	/* QEMU runs under chroot(2), which needs CAP_SYS_CHROOT. */
	if (geteuid() != 0) {
		snprintf(err, err_size, "--stack %s: QEMU runs from %s under chroot, which needs root",
			 s->desc->name, s->root);
		return -EPERM;
	}
	return 0;
}

int vm_stack_open(const char *name, struct vm_stack *s, char *err, size_t err_size)
{
	memset(s, 0, sizeof(*s));
	s->desc = vm_stack_find(name ? name : VM_STACK_DEFAULT);
	if (!s->desc) {
		snprintf(err, err_size, "--stack %s: unknown stack", name);
		return -ENOENT;
	}
	if (s->desc->fetched)
		return open_fetched(s, err, err_size);
	/* The host's packages; vm_locate checks the files (and their
	 * overrides) with the package to install for each. */
	snprintf(s->seabios, sizeof(s->seabios), "%s", VM_SEABIOS_IMAGE);
	snprintf(s->ovmf_code, sizeof(s->ovmf_code), "%s", VM_OVMF_CODE_DEFAULT);
	snprintf(s->ovmf_vars, sizeof(s->ovmf_vars), "%s", VM_OVMF_VARS_DEFAULT);
	vm_dpkg_upstream_version("", "seabios", s->seabios_version, sizeof(s->seabios_version));
	vm_dpkg_upstream_version("", "ovmf", s->ovmf_version, sizeof(s->ovmf_version));
	return 0;
}

const char *vm_stack_qemu_view(const struct vm_stack *s, const char *path)
{
	size_t n = strlen(s->root);

	if (!n)
		return path;
	if (strncmp(path, s->root, n) || path[n] != '/')
		return NULL;
	return path + n;
}
