/* SPDX-License-Identifier: MIT */
/* Opening inputs safely (private to libigdpt): never blocking, only the
 * kinds of file the caller expects, and, under a root, never outside it.
 *
 * Every file igdpt reads comes through here: a FIFO where a file should be
 * would otherwise block open() or read() forever, a device node would give
 * endless or side-effecting reads, and a symlink in a copied host tree
 * (--root) could lead a read out of the tree. Paths are resolved inside the
 * root with openat2(RESOLVE_IN_ROOT) where the kernel has it (Linux 5.6),
 * else by a walk of our own that opens one component at a time with
 * O_NOFOLLOW and follows each symlink itself, treating "/" and ".." at the
 * root as the root, as RESOLVE_IN_ROOT does.
 */
#ifndef IGDPT_LIB_IO_IO_OPEN_H
#define IGDPT_LIB_IO_IO_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* The kinds of file an open may end at. */
#define IO_REGULAR 0x1u   /* regular files */
#define IO_CHARDEV 0x2u   /* character devices (/dev/mem, /dev/vfio/...) */
#define IO_DIRECTORY 0x4u /* directories (listing them) */

/* How many symlinks one resolution follows before giving up (ELOOP), as
 * Linux does (MAXSYMLINKS). */
#define IO_SYMLINK_MAX 40

/* Opens path for flags (O_RDONLY, O_WRONLY, O_RDWR; O_CLOEXEC, O_NOCTTY and,
 * while opening, O_NONBLOCK are added), under root when root is non-NULL
 * and not "" (path is then a host path such as "/sys/bus/pci/..."; every
 * symlink and ".." stays inside root), and checks with fstat that the file
 * is of a kind in `allow`. O_NONBLOCK is cleared again for a character
 * device (reads of /dev/mem must not fail with EAGAIN). Returns the fd, or
 * -errno: -EISDIR for a directory that is not allowed, -EINVAL for any
 * other kind not allowed (io_kind_name(st) says which). st (may be NULL)
 * receives the fstat result, also when the kind is refused. */
int io_open(const char *root, const char *path, int flags, unsigned allow, struct stat *st);

/* The same resolution with the walk of our own, whatever the kernel has:
 * for tests of the fallback. root must be non-empty. */
int io_open_walk(const char *root, const char *path, int flags, unsigned allow,
		 struct stat *st);

/* readlink() of path itself (not of its target) inside root: the parent is
 * resolved in root, the link read there. Returns the length written
 * (NUL-terminated, cut to size - 1: -ENAMETOOLONG) or -errno. */
int io_readlink(const char *root, const char *path, char *buf, size_t size);

/* The entries of a directory inside root (without "." and ".."), sorted by
 * name, in a malloc'd array of malloc'd strings (io_names_free()). Returns
 * the count or -errno. */
int io_list_dir(const char *root, const char *path, char ***names);
void io_names_free(char **names, int count);

/* Whether path names something inside root (lstat of the resolved path
 * itself: a dangling link exists). */
bool io_exists(const char *root, const char *path);

/* "a FIFO", "a socket", "a character device", "a block device", "a
 * directory", "a symbolic link", "a regular file". */
const char *io_kind_name(const struct stat *st);

/* Reads an open file to its end (never trusting st_size: sysfs and debugfs
 * report 0 or a page), at most max bytes: -EFBIG past that. *data is
 * malloc'd (free() it; non-NULL also for 0 bytes). 0 or -errno. */
int io_read_all(int fd, size_t max, uint8_t **data, size_t *len);

/* Writes all of buf to fd, retrying short writes and EINTR. 0 or -errno. */
int io_write_all(int fd, const void *buf, size_t len);

#endif
