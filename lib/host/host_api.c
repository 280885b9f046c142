/* SPDX-License-Identifier: MIT */
/* The host module's public entry points that can fail: the API's error
 * report (struct igdpt_diag) around the (err, err_size) messages the host
 * code builds (host_priv.h). */
#include "igdpt/host.h"

#include <errno.h>

#include "../io/diag_message.h"
#include "../struct_size.h"
#include "host_priv.h"

/* A NULL ctx is the real host; a ctx must carry the members the module reads. */
bool host_ctx_valid(const struct igdpt_host_ctx *ctx)
{
	return !ctx || STRUCT_HAS(ctx, struct igdpt_host_ctx, vfio);
}

/* The body of every entry point: refuse an uninitialized ctx, run the
 * host_* call with diag's message buffer as its (msg, size), and set diag
 * from what it wrote (or fallback). */
#define HOST_ENTRY(ctx, diag, fallback, call)                                           \
	do {                                                                            \
		size_t size;                                                            \
		char *msg = diag_message_buf(diag, &size);                              \
                                                                                        \
		if (!host_ctx_valid(ctx))                                               \
			return diag_failf(diag, -EINVAL, HOST_CTX_REFUSED, "%s", HOST_CTX_REFUSED); \
		return diag_message_done(diag, call, fallback);                         \
	} while (0)

int igdpt_host_find_igds(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
			 size_t cap, size_t *count, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot list the PCI devices",
		   host_find_igds(ctx, devs, cap, count, msg, size));
}

int igdpt_host_find_displays(const struct igdpt_host_ctx *ctx, struct igdpt_host_device *devs,
			     size_t cap, size_t *count, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot list the PCI devices",
		   host_find_displays(ctx, devs, cap, count, msg, size));
}

int igdpt_host_probe(const struct igdpt_host_ctx *ctx, const char *bdf,
		     struct igdpt_host_device *dev, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot read the PCI device", host_probe(ctx, bdf, dev, msg, size));
}

int igdpt_host_select(const struct igdpt_host_ctx *ctx, const char *bdf,
		      struct igdpt_host_device *dev, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "no single Intel IGD to work on",
		   host_select(ctx, bdf, dev, msg, size));
}

int igdpt_host_read_opregion(const struct igdpt_host_ctx *ctx,
			     const struct igdpt_host_device *dev, enum igdpt_host_source source,
			     struct igdpt_host_image *image, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot read the OpRegion",
		   host_read_opregion(ctx, dev, source, image, msg, size));
}

int igdpt_host_read_vfio(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			 struct igdpt_host_image *image, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot read the OpRegion through VFIO",
		   host_read_vfio(ctx, dev, image, msg, size));
}

int igdpt_host_read_debugfs(const struct igdpt_host_ctx *ctx,
			    const struct igdpt_host_device *dev, struct igdpt_host_image *image,
			    struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot read the OpRegion from i915 debugfs",
		   host_read_debugfs(ctx, dev, image, msg, size));
}

int igdpt_host_read_devmem(const struct igdpt_host_ctx *ctx, const struct igdpt_host_device *dev,
			   struct igdpt_host_image *image, struct igdpt_diag *diag)
{
	HOST_ENTRY(ctx, diag, "cannot read the OpRegion from /dev/mem",
		   host_read_devmem(ctx, dev, image, msg, size));
}
