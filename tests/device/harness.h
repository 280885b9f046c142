/* SPDX-License-Identifier: MIT */
/* Shared helpers of the igdpt-device process tests: start the device on
 * socketpairs, talk QEMU's side of the proxy protocol (vfu_client.h speaks
 * vfio-user), read its event log. */
#ifndef IGDPT_TESTS_DEVICE_HARNESS_H
#define IGDPT_TESTS_DEVICE_HARNESS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "igdpt/abi/events.h"
#include "proxy/proto.h"

/* Records a failed check with its location; tests go on and report all. */
extern int harness_failures;
#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			harness_failures++;                                     \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

struct device_run {
	pid_t pid;
	int igd;  /* QEMU's end of the IGD socket, -1 once closed */
	int lpc;  /* QEMU's end of the LPC socket, -1 if none */
	char log[256];
};

/* Starts device_path with --igd-fd (and --lpc-fd if lpc), --log in dir, and
 * the extra arguments (NULL-terminated). 0 or -errno. */
int device_start(struct device_run *run, const char *device_path, const char *dir, bool lpc,
		 const char *const *extra);
/* The same with --vfio-user-fd: run->igd is the client's end, run->lpc -1. */
int device_start_vfio_user(struct device_run *run, const char *device_path, const char *dir,
			   const char *const *extra);
/* Starts device_path with only the arguments given (NULL-terminated, at
 * most 14), no socket and stderr to /dev/null: for command lines the device
 * must refuse. run->igd and run->lpc are -1, run->log empty. 0 or -errno. */
int device_start_bare(struct device_run *run, const char *device_path,
		      const char *const *argv_tail);
/* Waits up to timeout_ms for the device to exit; returns its wait status,
 * or -1 on timeout (the device is then killed). */
int device_wait(struct device_run *run, int timeout_ms);
void device_close_igd(struct device_run *run);
void device_close_lpc(struct device_run *run);

/* Sends one message on sock and, for requests with a reply, reads the RET.
 * Returns 0 and *value, or -errno (-EPIPE: the device closed the socket). */
int proxy_cfg(int sock, int32_t cmd, uint32_t addr, uint32_t val, int32_t len, uint64_t *value);
int proxy_bar(int sock, int32_t cmd, uint64_t addr, uint64_t val, uint32_t size, bool memory,
	      uint64_t *value);
int proxy_sysmem(int sock, int memfd, uint64_t size);
int proxy_reset(int sock);
/* Reads one RET; 0 and *value, or -errno. */
int proxy_read_ret(int sock, uint64_t *value);
/* True once the device has closed sock (EOF within timeout_ms). */
bool proxy_closed_by_peer(int sock, int timeout_ms);

/* The device log as an array of event objects (json_object_put it). */
struct json_object *log_read(const char *path);
/* Number of events named name whose field key (NULL: any) equals value. */
int log_count(struct json_object *events, const char *name, const char *key, const char *value);
/* The last event named name, or NULL (borrowed). */
struct json_object *log_last(struct json_object *events, const char *name);
const char *log_field(struct json_object *event, const char *key);

/* A memfd of size bytes filled with a pattern, and its checksum. */
int ram_create(uint64_t size);
uint64_t ram_hash(int memfd, uint64_t size);

/* An OpRegion image for the device: the first file of $IGDPT_CORPUS/opregion,
 * else NULL (the caller skips). Returns a path in static storage. */
const char *reference_image(void);
/* Reads a whole file into a malloc'd buffer. 0 or -errno. */
int read_whole(const char *path, uint8_t **data, size_t *len);

#endif
