/* SPDX-License-Identifier: MIT */
/* The device's event log: one JSON object per line, each with the event's
 * name and the time since start. include/igdpt/abi/events.h spells every
 * name and field; docs/contract.md says which event carries what. The model
 * and the transports write to the same log. */
#ifndef IGDPT_DEVICE_EVENT_LOG_H
#define IGDPT_DEVICE_EVENT_LOG_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Events a guest or a peer can cause at will: each kind
 * is logged IGDPT_EVENT_CAP times, then one "suppressed" event marks the
 * point and the rest are dropped, so a guest writing ASLS in a loop cannot
 * fill the host's disk. */
enum igdpt_event_cap {
	IGDPT_EVENT_CAP_ASLS_WRITE,
	IGDPT_EVENT_CAP_BDSM_WRITE,
	IGDPT_EVENT_CAP_GGC_WRITE,
	IGDPT_EVENT_CAP_SWSCI_WRITE,
	IGDPT_EVENT_CAP_SYSMEM, /* guest RAM layout changes a peer makes */
	/* protocol_error events that keep the connection open: a BAR access
	 * outside every BAR (proxy), a request answered with an error
	 * (vfio-user) */
	IGDPT_EVENT_CAP_PROTOCOL_ERROR,
	IGDPT_EVENT_CAP_KINDS,
};
#define IGDPT_EVENT_CAP 256u

struct igdpt_event_log {
	FILE *out; /* NULL: events are dropped */
	struct timespec start;
	unsigned counts[IGDPT_EVENT_CAP_KINDS];
};

/* Opens path for writing (truncating); path NULL logs nothing. 0 or -errno. */
int igdpt_event_log_open(struct igdpt_event_log *log, const char *path);
void igdpt_event_log_close(struct igdpt_event_log *log);

/* Counts one event of a capped kind; false once its cap is reached (the
 * first event over the cap logs the "suppressed" event). */
bool igdpt_event_log_capped(struct igdpt_event_log *log, enum igdpt_event_cap kind);

/* A new event object holding the name and the time; add fields, then emit. */
struct json_object *igdpt_event_new(const struct igdpt_event_log *log, const char *name);
/* Writes one line, flushes it (igdpt vm reads the log while the device
 * runs, and after a kill) and releases obj. */
void igdpt_event_emit(struct igdpt_event_log *log, struct json_object *obj);

/* Field helpers, in the spellings of include/igdpt/abi/events.h: addresses
 * and register values as "0x%x" strings, PCI ids and classes as
 * IGDPT_EV_ID_FORMAT. */
void igdpt_event_add_hex(struct json_object *obj, const char *key, uint64_t value);
void igdpt_event_add_id(struct json_object *obj, const char *key, uint16_t value);
void igdpt_event_add_str(struct json_object *obj, const char *key, const char *value);
void igdpt_event_add_int(struct json_object *obj, const char *key, int64_t value);
void igdpt_event_add_bool(struct json_object *obj, const char *key, bool value);

#endif
