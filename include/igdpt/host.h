/* SPDX-License-Identifier: MIT */
/* The host side: find the Intel IGD, read its OpRegion, judge readiness.
 *
 * Every host path (/sys, /proc, /dev) is resolved under a caller-given root
 * ("" or NULL = the real host), so the whole module runs against a copied or
 * synthesized tree; inside a root, no symlink or ".." leads out of it
 * (openat2 RESOLVE_IN_ROOT semantics), so nothing outside is read or echoed
 * in a message. Every file is opened without blocking and refused unless it
 * is of the kind expected there (a FIFO never hangs a command). Messages
 * name the logical host path, never the root, so that a fix printed for a
 * copied tree is the fix for the real machine.
 * VFIO ioctls go through struct igdpt_vfio_ops so tests can plug in a fake
 * device. Return contract: >= 0 success, -errno failure with diag->reason
 * set (diag may be NULL); give diag a message buffer (IGDPT_DIAG_MESSAGE)
 * for the full story: the path, the errno text, every source tried.
 * Nothing here prints.
 */
#ifndef IGDPT_HOST_H
#define IGDPT_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/igd.h"
#include "igdpt/core/opregion.h"

IGDPT_BEGIN_DECLS

/* ---- device ids: the IGD table, igdpt/core/igd.h ---- */

/* Legacy (VGA, i440fx, 00:02.0) assignment: QEMU 10.1 allows gen 6-9 only. */
#define IGDPT_IGD_LEGACY_GEN_MIN 6
#define IGDPT_IGD_LEGACY_GEN_MAX 9

/* ---- PCI addresses ---- */

struct igdpt_pci_addr {
	unsigned domain, bus, dev, fn;
};
/* Accepts "0000:00:02.0" and "00:02.0". 0 or -EINVAL. */
int igdpt_pci_addr_parse(const char *text, struct igdpt_pci_addr *addr);
/* "0000:00:02.0" into buf (at least 13 bytes). */
void igdpt_pci_addr_format(const struct igdpt_pci_addr *addr, char *buf, size_t size);

/* ---- VFIO, behind a seam ---- */

/* The system calls the VFIO reader makes. igdpt_vfio_system_ops uses the
 * real ones (opening inside the root, device nodes only); tests substitute a
 * fake VFIO device. A substituted open() gets the full path (root
 * prepended) and returns an fd or -errno; ioctl() returns >= 0
 * or -errno; pread() returns bytes read or -errno. Growable: set struct_size
 * to sizeof(struct igdpt_vfio_ops); all four calls are required. */
struct igdpt_vfio_ops {
	size_t struct_size;
	int (*open)(void *opaque, const char *path, int flags);
	int (*ioctl)(void *opaque, int fd, unsigned long request, void *arg);
	ssize_t (*pread)(void *opaque, int fd, void *buf, size_t len, uint64_t offset);
	void (*close)(void *opaque, int fd);
	void *opaque;
};
extern const struct igdpt_vfio_ops igdpt_vfio_system_ops;

/* Where the host module looks. Growable: start from IGDPT_HOST_CTX_INIT
 * (a struct_size of 0 is refused with -EINVAL); a NULL ctx means the real
 * host with the real system calls. */
struct igdpt_host_ctx {
	size_t struct_size;                 /* sizeof(struct igdpt_host_ctx) */
	const char *root;                   /* NULL or "" = "/" */
	const struct igdpt_vfio_ops *vfio;  /* NULL = igdpt_vfio_system_ops */
};
#define IGDPT_HOST_CTX_INIT { sizeof(struct igdpt_host_ctx), 0, 0 }

/* ---- discovery (lib/host/host_sysfs.c) ---- */

#define IGDPT_HOST_BDF_SIZE 16
#define IGDPT_HOST_DRIVER_SIZE 64
#define IGDPT_HOST_GROUP_MAX 32

struct igdpt_host_group_member {
	char bdf[IGDPT_HOST_BDF_SIZE];
	char driver[IGDPT_HOST_DRIVER_SIZE]; /* "" when unbound */
	uint32_t class_code;                 /* 24-bit, 0 when unreadable */
};

struct igdpt_host_device {
	char bdf[IGDPT_HOST_BDF_SIZE];
	struct igdpt_pci_addr addr;
	uint16_t vendor, device, subsystem_vendor, subsystem_device;
	uint32_t class_code;                 /* 24-bit: 0x030000 */
	int gen;                             /* igdpt_igd_generation() */
	const char *platform;                /* NULL when unknown */
	char driver[IGDPT_HOST_DRIVER_SIZE]; /* "" when unbound */
	int iommu_group;                     /* -1 without IOMMU */
	struct igdpt_host_group_member group[IGDPT_HOST_GROUP_MAX];
	size_t group_count;                  /* members, the IGD included */
	bool config_read;                    /* config space readable past 0xFF */
	uint32_t asls;
	uint16_t ggc;
	uint64_t stolen_size;
};

/* sysfs "class" is 24-bit (0x030000); the IGD rules use class+subclass. */
#define IGDPT_PCI_CLASS_CODE_SHIFT 8u
/* ... and the base class alone (0x03: display). */
#define IGDPT_PCI_BASE_CLASS_SHIFT 16u

/* The class of an IGD: display VGA (primary) or display other (not primary). */
bool igdpt_host_is_igd_class(uint32_t class_code);

/* Lists Intel display devices (vendor 0x8086, class 0x0300 or 0x0380) under
 * ROOT/sys/bus/pci/devices, sorted by address. *count may exceed cap (the
 * extra ones are not filled). -ENOENT when there is no PCI sysfs. */
int igdpt_host_find_igds(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
			 size_t cap, size_t *count, struct igdpt_diag *diag);
/* Lists every display device (class 0x03xx, any vendor) the same way: what
 * a host without an IGD has instead. */
int igdpt_host_find_displays(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
			     size_t cap, size_t *count, struct igdpt_diag *diag);
/* Reads one device (any BDF form). -ENOENT when it does not exist. */
int igdpt_host_probe(const struct igdpt_host_ctx *ctx, const char *bdf,
		     struct igdpt_host_device *dev, struct igdpt_diag *diag);

/* The device a command works on: bdf when given (it must be an Intel display
 * device: -EINVAL otherwise), else the only IGD (-ENODEV when there is none,
 * -E2BIG when there are several: the message lists them). */
int igdpt_host_select(const struct igdpt_host_ctx *ctx, const char *bdf,
		      struct igdpt_host_device *dev, struct igdpt_diag *diag);

/* ---- OpRegion acquisition (lib/host/host_opregion.c, lib/host/host_vfio.c) ---- */

enum igdpt_host_source {
	IGDPT_HOST_SOURCE_AUTO = 0, /* vfio, then debugfs, then devmem */
	IGDPT_HOST_SOURCE_VFIO,
	IGDPT_HOST_SOURCE_DEBUGFS,
	IGDPT_HOST_SOURCE_DEVMEM,
};
const char *igdpt_host_source_name(enum igdpt_host_source source);
int igdpt_host_source_parse(const char *name, enum igdpt_host_source *source);

/* Largest extended VBT igdpt follows: VBT sizes are u16, so 64 KiB. */
#define IGDPT_HOST_RVDS_MAX 0x10000u
/* What debugfs i915_opregion and /dev/mem at ASLS give: the base region. */
#define IGDPT_HOST_DEVMEM_BASE_SIZE 0x2000u

/* A guest-safe OpRegion image: contiguous, the extended VBT (if any) at
 * 0x2000 with a relative RVDA, validated with igdpt_opregion_parse(). This
 * is what Linux vfio-pci presents, whichever source it came from. */
struct igdpt_host_image {
	enum igdpt_host_source source; /* the source that delivered it */
	uint8_t *data;                 /* malloc'ed; igdpt_host_image_free() */
	size_t len;
	bool relocated;                /* igdpt ran igdpt_relocate() on it */
	char note[256];                /* how it was assembled, "" if plainly read */
};
void igdpt_host_image_free(struct igdpt_host_image *image);

/* Reads and validates dev's OpRegion from source. With AUTO, tries vfio when
 * the device is bound to vfio-pci, debugfs when bound to i915, then devmem,
 * and the message collects every attempt's reason. Errors: -EACCES (run as root),
 * -ENODEV (no OpRegion: ASLS 0, region absent), -EINVAL (invalid image or
 * wrong driver for the source), -EIO and other -errno. */
int igdpt_host_read_opregion(const struct igdpt_host_ctx *ctx,
			     const struct igdpt_host_device *dev,
			     enum igdpt_host_source source, struct igdpt_host_image *image,
			     struct igdpt_diag *diag);

/* The single sources, for callers that want exactly one. */
int igdpt_host_read_vfio(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			 struct igdpt_host_image *image, struct igdpt_diag *diag);
int igdpt_host_read_debugfs(const struct igdpt_host_ctx *ctx,
			    const struct igdpt_host_device *dev,
			    struct igdpt_host_image *image, struct igdpt_diag *diag);
int igdpt_host_read_devmem(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			   struct igdpt_host_image *image, struct igdpt_diag *diag);

/* ---- the readiness report (lib/host/host_inspect.c, lib/host/host_report.c) ---- */

#define IGDPT_HOST_ISSUE_MAX 16
#define IGDPT_HOST_ISSUE_SIZE 1024
#define IGDPT_HOST_PORT_MAX 16

/* The device's PCI ROM (lib/host/host_rom.c): what sysfs "rom" holds for
 * the IGD (on a legacy-BIOS host: the video BIOS shadowed at 0xC0000), and
 * the VBT in it as i915's PCI ROM fallback finds it
 * (igdpt_pci_rom_find_vbt()). */
struct igdpt_host_rom {
	bool present;          /* the device has a "rom" attribute */
	int ret;               /* 0 read and judged, else -errno of the read */
	char error[IGDPT_HOST_ISSUE_SIZE];     /* why it was not read, "" when it was */
	size_t size;           /* bytes read */
	/* The image chain (igdpt_pci_rom_parse()) and what firmware can run. */
	int chain_ret;         /* 0, or -EINVAL: not a valid option ROM */
	char chain_error[IGDPT_HOST_ISSUE_SIZE]; /* its reason and offset */
	unsigned image_count;
	bool x86_image;        /* a legacy x86 image: a video BIOS */
	uint16_t x86_vendor, x86_device; /* what the first x86 image's PCI data names */
	bool x86_names_device; /* an x86 image names 8086:this device (SeaBIOS runs
				* a ROM file's image only then) */
	bool efi_x64_driver;   /* an EFI x64 driver image (what OVMF starts) */
	int vbt_ret;           /* igdpt_pci_rom_find_vbt(): 0 or -EINVAL */
	char vbt_error[IGDPT_HOST_ISSUE_SIZE]; /* its reason and offset when it failed */
	size_t vbt_offset;
	uint16_t bdb_version, vbt_size;
	char signature[21];    /* without the padding spaces */
	uint32_t warnings;     /* enum igdpt_warning */
};

/* Reads ROOT/sys/bus/pci/devices/BDF/rom. The kernel refuses to read it
 * until "1" is written to it (pci-sysfs.c): on -EINVAL igdpt writes "1",
 * reads, and writes "0" back. Absent: present false, ret -ENOENT. Never
 * fails otherwise: the outcome is in rom. */
void igdpt_host_read_rom(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			 struct igdpt_host_rom *rom);
/* Judges ROM bytes (a sysfs read, or a file meant as QEMU's romfile=) for
 * the IGD with device id `device`: fills size and everything from
 * chain_ret on; the caller sets present, ret and error. */
void igdpt_host_rom_judge(const uint8_t *data, size_t len, uint16_t device,
			  struct igdpt_host_rom *rom);

struct igdpt_host_bridge {
	bool present;
	uint16_t vendor, device;
	uint32_t class_code;
};

/* A display output the VBT's child device table lists. */
struct igdpt_host_port {
	uint16_t handle;
	uint16_t device_type;
	uint8_t dvo_port;
	const char *name;  /* igdpt_vbt_dvo_port_name(), "?" when unknown */
	const char *kind;  /* "eDP", "DP", "HDMI/DVI", "LVDS", "MIPI", "VGA", "other" */
};

/* A boot framebuffer (efifb, vesafb, simplefb, simpledrm) over the IGD's
 * memory, as /proc/iomem lists it (lib/host/host_framebuffer.c). */
#define IGDPT_HOST_FB_MAX 4
struct igdpt_host_framebuffer {
	char name[64];          /* "efifb", "vesafb", "BOOTFB", "simpledrm", ... */
	uint64_t start, end;    /* inclusive, as /proc/iomem */
	int bar;                /* the IGD BAR it lies in */
};

struct igdpt_host_report {
	struct igdpt_host_device dev;
	bool iommu;                     /* the kernel has IOMMU groups */
	char kernel[64];                /* /proc/sys/kernel/osrelease, "" unknown */
	struct igdpt_host_bridge host_bridge; /* 00:00.0 */
	struct igdpt_host_bridge lpc_bridge;  /* 00:1f.0 */
	bool legacy_possible;
	char legacy_reason[256];        /* why not, "" when possible */

	int opregion_ret;               /* igdpt_host_read_opregion() result */
	char opregion_error[IGDPT_HOST_ISSUE_SIZE];
	struct igdpt_host_image image;  /* when opregion_ret >= 0 */
	struct igdpt_opregion op;       /* parsed view of image */
	struct igdpt_host_port ports[IGDPT_HOST_PORT_MAX];
	size_t port_count;
	struct igdpt_host_rom rom;      /* igdpt_host_read_rom() */

	/* What users trip on. Boot framebuffers inside the IGD's BARs, the
	 * framebuffer platform drivers bound (efi-framebuffer,
	 * vesa-framebuffer, simple-framebuffer), and whether /proc/iomem
	 * hid its addresses (not root). */
	struct igdpt_host_framebuffer framebuffers[IGDPT_HOST_FB_MAX];
	size_t framebuffer_count;
	char fb_drivers[IGDPT_HOST_FB_MAX][64]; /* "efi-framebuffer (efi-framebuffer.0)" */
	size_t fb_driver_count;
	bool iomem_hidden;
	/* Binding at boot (lib/host/host_persist.c): sysfs driver_override,
	 * and where vfio-pci is told to take this id ("/proc/cmdline
	 * vfio-pci.ids", "/etc/modprobe.d/vfio.conf"), "" nowhere. */
	char driver_override[IGDPT_HOST_DRIVER_SIZE];
	char persistent_binding[256];
	/* lib/host/host_system.c: an SR-IOV virtual function (sysfs physfn)
	 * and its parent; the physical address bits of the CPU
	 * (/proc/cpuinfo) and of the IOMMU (VT-d MGAW), 0 when unknown; the
	 * VFIO interfaces: the group node, the device cdev, /dev/iommu. */
	bool is_vf;
	char physfn[IGDPT_HOST_BDF_SIZE];
	int cpu_phys_bits, iommu_addr_bits;
	bool vfio_group_node, vfio_cdev_node, iommufd;
	char vfio_cdev[16];             /* "vfio0" (sysfs vfio-dev), "" none */

	/* What stops assignment, and what does not stop it but deserves a look
	 * (the OpRegion's tolerated firmware quirks are op.warnings). */
	char blockers[IGDPT_HOST_ISSUE_MAX][IGDPT_HOST_ISSUE_SIZE];
	size_t blocker_count;
	char cautions[IGDPT_HOST_ISSUE_MAX][IGDPT_HOST_ISSUE_SIZE];
	size_t caution_count;
};

/* Whether QEMU's legacy mode (IGD as the guest's VGA at 00:02.0, i440fx)
 * can take this IGD: gen IGDPT_IGD_LEGACY_GEN_MIN-MAX, at host 00:02.0, VGA
 * class (QEMU hw/vfio/igd.c). 0, or -EINVAL with the reason in diag. */
int igdpt_host_legacy_check(const struct igdpt_host_device *dev, struct igdpt_diag *diag);

/* Fills the report for one probed device: system facts, OpRegion (read with
 * source, normally AUTO), and the verdict. Never fails on what it finds;
 * returns -errno only for a bad argument or no memory. */
int igdpt_host_inspect(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
		       enum igdpt_host_source source, struct igdpt_host_report *report);
void igdpt_host_report_free(struct igdpt_host_report *report);
static inline bool igdpt_host_report_ready(const struct igdpt_host_report *report)
{
	return report->blocker_count == 0;
}

/* The report as text (one "key: value" per line, then the verdict) into a
 * malloc'ed string; NULL on no memory. (igdpt inspect --json renders the
 * same struct in igdpt's JSON dialect.) */
char *igdpt_host_report_text(const struct igdpt_host_report *report);

IGDPT_END_DECLS

#endif
