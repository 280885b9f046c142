/* SPDX-License-Identifier: MIT */
/* The device's event log: one JSON object per line, each with "event" and
 * "t" (seconds since start), in the format the contract fixes. */
#ifndef IGDPT_DEVICE_EVENT_LOG_H
#define IGDPT_DEVICE_EVENT_LOG_H

#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct igdpt_event_log {
	FILE *out; /* NULL: events are dropped */
	struct timespec start;
};

/* Opens path for writing (truncating); path NULL logs nothing. 0 or -errno. */
int igdpt_event_log_open(struct igdpt_event_log *log, const char *path);
void igdpt_event_log_close(struct igdpt_event_log *log);

/* A new event object holding "event" and "t"; add fields, then emit. */
struct json_object *igdpt_event_new(const struct igdpt_event_log *log, const char *name);
/* Writes one line, flushes it (the vm reads the log while we run, and after a
 * kill) and releases obj. */
void igdpt_event_emit(struct igdpt_event_log *log, struct json_object *obj);

/* Helpers for the fields: "0x..." strings, as the contract spells numbers
 * that are addresses or register values. */
void igdpt_event_add_hex(struct json_object *obj, const char *key, uint64_t value);
/* "0x%04x": PCI ids and class codes, spelled as the contract shows them. */
void igdpt_event_add_id(struct json_object *obj, const char *key, uint16_t value);
void igdpt_event_add_str(struct json_object *obj, const char *key, const char *value);
void igdpt_event_add_int(struct json_object *obj, const char *key, int64_t value);
void igdpt_event_add_bool(struct json_object *obj, const char *key, int value);

#endif
