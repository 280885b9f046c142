/* SPDX-License-Identifier: MIT */
/* libigdpt, all of it: include this one header and link with
 * `pkg-config --cflags --libs igdpt`. docs/library.md describes the API,
 * who owns what, the error style and the ABI rules. */
#ifndef IGDPT_IGDPT_H
#define IGDPT_IGDPT_H

#include "igdpt/version.h"

#include "igdpt/abi/fw_cfg.h"
#include "igdpt/abi/guest.h"
#include "igdpt/abi/opregion.h"
#include "igdpt/abi/vbt.h"
#include "igdpt/abi/vbt_blocks.h"
#include "igdpt/build.h"
#include "igdpt/core/api.h"
#include "igdpt/core/bytes.h"
#include "igdpt/core/diag.h"
#include "igdpt/core/errno.h"
#include "igdpt/core/fw_cfg.h"
#include "igdpt/core/ggc.h"
#include "igdpt/core/igd.h"
#include "igdpt/core/opregion.h"
#include "igdpt/core/placement.h"
#include "igdpt/core/plan.h"
#include "igdpt/core/probe.h"
#include "igdpt/core/relocate.h"
#include "igdpt/core/size.h"
#include "igdpt/core/vbt.h"
#include "igdpt/decode.h"
#include "igdpt/file.h"
#include "igdpt/guest_image.h"
#include "igdpt/host.h"
#include "igdpt/machine.h"
#include "igdpt/vmm.h"

IGDPT_BEGIN_DECLS

/* The version of the library the program runs with ("0.2.0"), which may
 * differ from IGDPT_VERSION_STRING, the headers it was built with. */
const char *igdpt_version(void);
/* The same as one number that compares: IGDPT_VERSION_NUMBER's encoding. */
unsigned igdpt_version_number(void);

IGDPT_END_DECLS

#endif
