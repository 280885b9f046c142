/* SPDX-License-Identifier: MIT */
/* igdpt vm internals: log parsers, QEMU command line, process supervision
 * and the stage report. Built into a small static library (igdpt-vm) so the
 * unit tests exercise the same code the command runs. */
#ifndef IGDPT_TOOLS_VM_H
#define IGDPT_TOOLS_VM_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

/* ---- vm_logs.c: what the device, the firmware and the probe said ------- */

#define VM_TEXT_SMALL 32
#define VM_TEXT_REASON 256
#define VM_EVENT_KINDS 24

/* One event name and how often the device logged it. */
struct vm_event_count {
	char name[VM_TEXT_SMALL];
	unsigned count;
};

/* The device's JSON-lines log (contract: "event" and "t" in every object). */
struct vm_device_log {
	unsigned lines;     /* non-empty lines */
	unsigned bad_lines; /* not a JSON object with a string "event" */
	struct vm_event_count kinds[VM_EVENT_KINDS];
	unsigned nkinds;

	bool started; /* "start" with function "igd" */
	char device_id[VM_TEXT_SMALL];
	int generation;
	char pci_class[VM_TEXT_SMALL];
	char strategy[VM_TEXT_SMALL];
	long long image_size; /* -1 when the event had none (no image) */
	char bdsm_register_at_start[VM_TEXT_SMALL]; /* "0x5c" or "0xc0": where BDSM lives */

	bool sysmem;
	unsigned sysmem_regions;

	unsigned asls_writes;
	uint64_t asls_value; /* the last write */
	char asls_guest_copy[VM_TEXT_SMALL];
	bool asls_has_differs_at;
	uint64_t asls_differs_at;

	unsigned bdsm_writes;
	char bdsm_register[VM_TEXT_SMALL];
	uint64_t bdsm_value;
	unsigned ggc_writes, swsci_writes;

	unsigned protocol_errors;
	char protocol_error[VM_TEXT_REASON]; /* the first one */

	bool closed;
	char closed_reason[VM_TEXT_REASON];

	bool final;
	uint64_t final_asls;
	char final_guest_copy[VM_TEXT_SMALL];
	bool final_has_unchanged;
	bool final_host_image_unchanged;
};

/* Parses the whole log text (need not be NUL-terminated). Unknown events are
 * counted, malformed lines counted in bad_lines; never fails. */
void vm_device_log_parse(const char *text, size_t len, struct vm_device_log *log);
/* JSON summary: event counts and the fields vm judged on. */
struct json_object *vm_device_log_json(const struct vm_device_log *log);

/* SeaBIOS's debug-port log. */
struct vm_firmware_log {
	char version[64]; /* "1.16.2-debian-1.16.2-1" or "" */
	bool opregion;    /* "Intel IGD OpRegion enabled at ..." seen */
	uint64_t opregion_addr;
	unsigned opregion_kib;
	char opregion_dev[VM_TEXT_SMALL];
	bool bdsm; /* "Intel IGD BDSM enabled at ..." seen */
	uint64_t bdsm_addr;
	unsigned long long bdsm_mib;
	bool noalloc; /* "Unable to allocate resource" */
};
void vm_firmware_log_parse(const char *text, size_t len, struct vm_firmware_log *fw);

#define VM_PROBE_PREFIX "IGDPT-PROBE "

/* Finds the probe's verdict line on the serial log and parses its JSON.
 * Returns 0 with *obj set (json_object_put it), -ENOENT when there is no such
 * line, -EINVAL when its JSON does not parse or is not an object; err says
 * which (err_size may be 0). The last verdict line wins. */
int vm_probe_line_parse(const char *text, size_t len, struct json_object **obj, char *err,
			size_t err_size);

/* Accessors for the probe object: string member at a dotted path
 * ("memmap.type"), NULL when absent or not a string. */
const char *vm_json_string(struct json_object *obj, const char *path);
/* Parses a "0x..." string member at a dotted path; false when absent/bad. */
bool vm_json_hex(struct json_object *obj, const char *path, uint64_t *value);

/* Parses "0x1f", "31": full-string unsigned, false otherwise. */
bool vm_parse_u64(const char *s, uint64_t *value);
/* Parses a size with an optional K, M or G suffix (binary units): "64M". */
bool vm_parse_size(const char *s, uint64_t *value);

/* ---- vm_qemu.c: the contract's QEMU command line ----------------------- */

struct vm_ovmf_config; /* vm_ovmf.h */
struct vm_ovmf_log;

/* A growable NULL-terminated argument vector. */
struct vm_argv {
	char **argv;
	size_t count, cap;
};
int vm_argv_add(struct vm_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_argv_free(struct vm_argv *a);
/* Writes the vector as one shell-quoted line plus a newline. */
void vm_argv_print(FILE *out, const struct vm_argv *a);

struct vm_qemu_config {
	const char *qemu;     /* executable */
	const char *machine;  /* "pc" or "q35" */
	const char *bios;     /* SeaBIOS image (unused with ovmf) */
	const char *kernel;   /* multiboot ELF (unused with ovmf) */
	const char *append;   /* kernel command line or NULL */
	/* Non-NULL: boot OVMF + igdpt's EFI volume instead of -bios/-kernel/
	 * -append (vm_ovmf_add_args); everything else stays. */
	const struct vm_ovmf_config *ovmf;
	unsigned mem_mib;     /* guest RAM, shared memfd so the device can map it */
	int igd_fd;           /* QEMU's end of the IGD socketpair, or -1 for none */
	int lpc_fd;           /* QEMU's end of the LPC socketpair, or -1 */
	const char *opregion; /* file published as etc/igd-opregion, or NULL */
	const char *bdsm_size_file; /* 8-byte LE file for etc/igd-bdsm-size, or NULL */
	const char *fw_log;
	const char *serial_log;
};
/* Builds the command line. Returns 0 or -ENOMEM / -EINVAL (a required
 * field missing: bios and kernel are required without ovmf). */
int vm_qemu_argv(const struct vm_qemu_config *c, struct vm_argv *out);

/* isa-debug-exit: the guest writes v, QEMU exits with (v << 1) | 1. */
#define VM_DEBUG_EXIT_PASS 1
#define VM_DEBUG_EXIT_FAIL 3
#define VM_DEBUG_EXIT_NO_OPREGION 5

/* ---- vm_run.c: child processes with fds, deadlines and CPU time -------- */

struct vm_proc {
	const char *name; /* for messages: "qemu", "igdpt-device" */
	pid_t pid;
	int pidfd;
	bool running;
	bool exited;   /* WIFEXITED */
	int exit_code; /* when exited */
	int signal;    /* when killed by a signal */
	bool killed_by_us;
	struct rusage ru;
	double t_start, t_end; /* monotonic seconds */
};

/* Seconds on CLOCK_MONOTONIC. */
double vm_now(void);

/* Starts argv[0] (a path) with stdin /dev/null, stdout and stderr to the given
 * files (NULL: inherit), and only the listed fds inherited besides 0-2. The
 * child dies with us (PDEATHSIG). Returns 0, or -errno with err saying what
 * (a missing or non-executable program is reported from the exec). */
int vm_proc_spawn(struct vm_proc *p, const char *name, char *const argv[], const int *keep_fds,
		  size_t nkeep, const char *stdout_path, const char *stderr_path, char *err,
		  size_t err_size);
/* Waits for p to end until the monotonic deadline. 0 when it ended (status
 * and rusage filled), -ETIMEDOUT otherwise. */
int vm_proc_wait(struct vm_proc *p, double deadline);
/* SIGKILLs p if running and reaps it. */
void vm_proc_kill(struct vm_proc *p);
/* "exit status 3", "killed by signal 9 (Killed)" */
void vm_proc_status_text(const struct vm_proc *p, char *buf, size_t size);
/* User+system CPU seconds of the ended child. */
double vm_proc_cpu_seconds(const struct vm_proc *p);

/* ---- vm_report.c: the seven stages and the verdict --------------------- */

enum vm_stage_id {
	VM_STAGE_VALIDATED = 0,
	VM_STAGE_PUBLISHED,
	VM_STAGE_PLACED,
	VM_STAGE_ASLS,
	VM_STAGE_VERDICT,
	VM_STAGE_COPY,
	VM_STAGE_HOST,
	VM_STAGE_COUNT,
};

enum vm_stage_state {
	VM_STATE_NOT_RUN = 0, /* an earlier failure stopped the run */
	VM_STATE_OK,
	VM_STATE_FAIL,
	VM_STATE_SKIPPED, /* deliberately not checked (--no-host-check) */
};

struct vm_stage {
	enum vm_stage_state state;
	char detail[512];
};

struct vm_report {
	struct vm_stage stages[VM_STAGE_COUNT];
	char note[512]; /* one extra line for the outcome, e.g. "expected no OpRegion" */
};

const char *vm_stage_name(enum vm_stage_id id);
void vm_report_set(struct vm_report *r, enum vm_stage_id id, enum vm_stage_state state,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* True when no stage failed or was left unrun. */
bool vm_report_passed(const struct vm_report *r);
/* One line per stage: "[ ok ] placed by firmware    0x07fbe000 (reserved, e820)". */
void vm_report_print(FILE *out, const struct vm_report *r);
struct json_object *vm_report_stages_json(const struct vm_report *r);

/* Who places the OpRegion in the guest. */
enum vm_firmware {
	VM_FIRMWARE_SEABIOS = 0, /* SeaBIOS itself (fw: its debug-port log) */
	VM_FIRMWARE_OVMF,        /* igdpt-efi on OVMF (ovmf: the driver's lines) */
};

/* Everything the boot produced, for judging stages 3 to 7. */
struct vm_outcome {
	enum vm_firmware firmware;
	bool expect_opregion;   /* false with --no-opregion */
	unsigned pci_class;     /* the class the device presents */
	const char *strategy;   /* "4b" or "1b" */
	uint64_t published_size;
	uint64_t bdsm_size;     /* requested, 0 none */

	bool timed_out;
	double timeout;
	const struct vm_proc *qemu;
	const char *qemu_stderr_tail;
	const struct vm_proc *device;
	const char *device_stderr_tail;

	const struct vm_firmware_log *fw;   /* SeaBIOS */
	const struct vm_ovmf_log *ovmf;     /* OVMF; required with VM_FIRMWARE_OVMF */
	const struct vm_device_log *dev;
	struct json_object *probe; /* NULL when no verdict line */
	const char *probe_error;   /* why there is none */

	bool host_checked;      /* a host image file existed to hash */
	bool host_unchanged;
	uint64_t host_hash;
	bool published_unchanged;
	uint64_t published_hash;
};

/* Fills stages PLACED .. HOST (and the note) from the outcome. */
void vm_report_judge(struct vm_report *r, const struct vm_outcome *o);

/* FNV-1a 64: a short fingerprint printed next to a byte-for-byte compare. */
uint64_t vm_fnv1a64(const uint8_t *data, size_t len);

#endif
