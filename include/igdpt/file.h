/* SPDX-License-Identifier: MIT */
/* Whole-file I/O for the hosted tools, with errors a user can act on. */
#ifndef IGDPT_FILE_H
#define IGDPT_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "igdpt/core/api.h"
#include "igdpt/core/diag.h"

IGDPT_BEGIN_DECLS

/* Largest input igdpt reads: OpRegions and VBTs are a few KiB, so anything
 * past this is not one, and reading it whole would only waste memory. */
#define IGDPT_FILE_MAX_SIZE (16u << 20)

/* Reads a regular file whole. The open never blocks and anything but a
 * regular file is refused: a FIFO would hang the read, a device give
 * endless bytes. On success *data (free() it) and *len are set and 0 is
 * returned. On failure returns -errno (-EISDIR for a directory, -EINVAL for
 * a FIFO, socket or device node, -EFBIG past IGDPT_FILE_MAX_SIZE) and sets
 * diag->reason (diag may be NULL): "PATH: cannot open: No such file or
 * directory" in diag's message buffer, or the static "cannot open" without
 * one. */
int igdpt_file_read(const char *path, uint8_t **data, size_t *len, struct igdpt_diag *diag);

/* Writes data to path. A regular file (new or existing) is replaced
 * atomically: a complete copy is renamed over it, so a failure or a kill
 * never leaves a truncated file, and no temporary is left behind on any
 * failure (lib/io/file_write.c says how, and the one SIGKILL window that
 * remains). An existing file keeps its mode; a symlink keeps pointing at
 * the replaced file. A character device or FIFO (/dev/null, a terminal,
 * /dev/stdout) is written through, never replaced; a directory (-EISDIR),
 * block device or socket (-EINVAL) is refused. The catchable signals are
 * blocked for the final link and rename only. Same error contract. */
int igdpt_file_write(const char *path, const uint8_t *data, size_t len,
		     struct igdpt_diag *diag);

IGDPT_END_DECLS

#endif
