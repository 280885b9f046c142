/* SPDX-License-Identifier: MIT */
/* A run's setup: its private work directory (every file a run writes, under
 * $TMPDIR), the OpRegion it publishes (loaded or built, the guest-image
 * policy applied, written with the stolen-size file), room for the logs,
 * and the --keep-logs destination, checked before boot and filled after. */
#ifndef IGDPT_TOOLS_VM_SETUP_H
#define IGDPT_TOOLS_VM_SETUP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/diag.h"
#include "igdpt/core/opregion.h"
#include "vm_options.h"
#include "vm_rom.h"

/* Room the logs of one run need, besides the published image: a SeaBIOS or
 * OVMF run writes a few KiB; a Linux guest's serial log with drm.debug
 * holds the whole kernel log (log_buf_len=4M). */
#define VM_LOG_BUDGET (256u << 10)
#define VM_LOG_BUDGET_LINUX (16u << 20)

/* Every file of one run, in a private temporary directory. */
struct vm_workdir {
	char dir[PATH_MAX - 64]; /* leaves room for the file names below */
	/* Where dir was made, for messages: "TMPDIR /tmp", or "the trixie
	 * stack's run directory /root/.cache/igdpt/stack/trixie/run". */
	char where[PATH_MAX + 64];
	char published[PATH_MAX], stolen_size[PATH_MAX];
	char device_log[PATH_MAX], device_out[PATH_MAX], device_err[PATH_MAX];
	char fw_log[PATH_MAX], serial[PATH_MAX], qemu_out[PATH_MAX], qemu_err[PATH_MAX];
	char cmdlines[PATH_MAX];
	/* The option ROM the IGD serves: the run's copy of --rom, then
	 * igdpt's driver with --efi-delivery rom (vm_efi_rom.h). */
	char rom[PATH_MAX];
	char ovmf_vars[PATH_MAX]; /* OVMF's private vars flash; not kept (540 KiB) */
	char socket[PATH_MAX];    /* the socket igdpt-device listens on (vfio-user) */
};

/* Creates $TMPDIR/igdpt-vm.XXXXXX (TMPDIR unset: /tmp). 0, or -errno with
 * err naming the directory and why. */
int vm_workdir_create(struct vm_workdir *w, char *err, size_t err_size);
/* The same in parent (mode 0700), e.g. a fetched stack's ROOT/run, with
 * where naming it for messages. parent NULL or "": vm_workdir_create(). */
int vm_workdir_create_in(struct vm_workdir *w, const char *parent, const char *where,
			 char *err, size_t err_size);
/* Puts the file src into the work directory as name (a hard link, else a
 * copy), for a QEMU that sees nothing outside its root; out is the new
 * path. 0, or -errno with err saying what and why. The file goes with the
 * directory. */
int vm_workdir_stage(const struct vm_workdir *w, const char *src, const char *name, char *out,
		     size_t out_size, char *err, size_t err_size);
/* -ENOSPC (err: how much is free, how much is needed, where) when the work
 * directory's file system has less than need bytes free. */
int vm_workdir_check_space(const struct vm_workdir *w, uint64_t need, char *err,
			   size_t err_size);
/* Copies OVMF's vars template into the work directory (OVMF writes its boot
 * options there: never into the shared template). */
int vm_workdir_copy_ovmf_vars(struct vm_workdir *w, const char *template_path, char *err,
			      size_t err_size);
/* True when the file system of the work directory is (nearly) full now:
 * then a child's missing log line may be a write that failed. */
bool vm_workdir_full(const struct vm_workdir *w);
/* Removes every file in the run's directory (staged copies, the socket,
 * whatever a child left) and the directory; safe to call twice and on a
 * workdir never created. */
void vm_workdir_remove(struct vm_workdir *w);

/* --keep-logs DIR before boot: creates it (and its parents), then proves it
 * takes files: a test file written, synced and removed, and need bytes
 * free. *created says whether DIR is new (vm_keep_logs_abandon removes it
 * again when the run ends without logs). 0 or -errno with err saying what
 * and why ("--keep-logs D: cannot create: Read-only file system"). */
int vm_keep_logs_check(const char *dir, uint64_t need, bool *created, char *err,
		       size_t err_size);
/* Copies every file of the run that exists (not the OVMF vars) into dir. */
int vm_keep_logs_copy(const struct vm_workdir *w, const char *dir, char *err, size_t err_size);
/* Removes dir if vm_keep_logs_check created it and it is still empty. */
void vm_keep_logs_abandon(const char *dir, bool created);

/* The OpRegion of a run: as loaded or built, what the validator said, and
 * what is published. */
struct vm_image {
	uint8_t *host; /* as loaded or built */
	size_t host_len;
	uint64_t host_hash;
	char source[PATH_MAX + 32]; /* the file, or "reference" */
	/* igdpt_opregion_parse() of host */
	int parse_ret;
	struct igdpt_opregion op;
	struct igdpt_diag parse_diag;
	/* igdpt_guest_image_policy() of host, and the file written */
	uint8_t *published;
	size_t published_len;
	uint64_t published_hash;
	int policy_ret; /* > 0: SWSCI cleared; -EINVAL refused */
	struct igdpt_diag policy_diag;
	bool published_as_given; /* --no-host-check on an image the policy refused */
	struct vm_rom rom; /* --rom, also with --no-opregion */
};

/* Loads --image or builds the reference image, and validates it, and reads
 * --rom. 0 (the verdict is in parse_ret, parse_diag), or -errno when a file
 * cannot be read (err: which and why). No image for --no-opregion. */
int vm_image_load(const struct vm_options *o, struct vm_image *img, char *err,
		  size_t err_size);
/* Applies the guest-image policy and writes the published image and the
 * stolen-size file (etc/igd-bdsm-size: a u64 little-endian); the ROM is
 * vm_rom_write()'s. 0; -EINVAL when the policy refuses the image
 * (policy_ret, policy_diag say why: a verdict, not an I/O error); other
 * -errno with err when a file cannot be written. */
int vm_image_publish(const struct vm_options *o, struct vm_image *img,
		     const struct vm_workdir *w, char *err, size_t err_size);
/* Re-reads path and compares it with before: did the run leave it alone? */
bool vm_file_unchanged(const char *path, const uint8_t *before, size_t len);
void vm_image_free(struct vm_image *img);

/* FNV-1a 64: a short fingerprint printed next to a byte-for-byte compare. */
uint64_t vm_fnv1a64(const uint8_t *data, size_t len);

#endif
