/* SPDX-License-Identifier: MIT */
/* JSON-lines event log, written with json-c. */
#include "event_log.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "igdpt/abi/events.h"

/* What a "suppressed" event names as the kind it stops logging. */
static const char *const cap_names[IGDPT_EVENT_CAP_KINDS] = {
	[IGDPT_EVENT_CAP_ASLS_WRITE] = IGDPT_EV_ASLS_WRITE,
	[IGDPT_EVENT_CAP_BDSM_WRITE] = IGDPT_EV_BDSM_WRITE,
	[IGDPT_EVENT_CAP_GGC_WRITE] = IGDPT_EV_GGC_WRITE,
	[IGDPT_EVENT_CAP_SWSCI_WRITE] = IGDPT_EV_SWSCI_WRITE,
	[IGDPT_EVENT_CAP_SYSMEM] = IGDPT_EV_SYSMEM,
	[IGDPT_EVENT_CAP_PROTOCOL_ERROR] = IGDPT_EV_PROTOCOL_ERROR,
};

int igdpt_event_log_open(struct igdpt_event_log *log, const char *path)
{
	memset(log, 0, sizeof(*log));
	clock_gettime(CLOCK_MONOTONIC, &log->start);
	if (!path)
		return 0;
	log->out = fopen(path, "we");
	if (!log->out)
		return -errno;
	return 0;
}

void igdpt_event_log_close(struct igdpt_event_log *log)
{
	if (log->out)
		fclose(log->out);
	log->out = NULL;
}

bool igdpt_event_log_capped(struct igdpt_event_log *log, enum igdpt_event_cap kind)
{
	unsigned n = ++log->counts[kind];

	if (n == IGDPT_EVENT_CAP + 1) {
		struct json_object *ev = igdpt_event_new(log, IGDPT_EV_SUPPRESSED);

		igdpt_event_add_str(ev, IGDPT_EV_OF, cap_names[kind]);
		igdpt_event_add_int(ev, IGDPT_EV_AFTER, IGDPT_EVENT_CAP);
		igdpt_event_emit(log, ev);
	}
	/* Saturate: a guest cannot wrap the counter back under the cap. */
	if (n > IGDPT_EVENT_CAP + 1)
		log->counts[kind] = IGDPT_EVENT_CAP + 1;
	return n <= IGDPT_EVENT_CAP;
}

struct json_object *igdpt_event_new(const struct igdpt_event_log *log, const char *name)
{
	struct json_object *obj = json_object_new_object();
	struct timespec now;
	char text[32];
	double t;

	clock_gettime(CLOCK_MONOTONIC, &now);
	t = (double)(now.tv_sec - log->start.tv_sec) +
	    (double)(now.tv_nsec - log->start.tv_nsec) / 1e9;
	json_object_object_add(obj, IGDPT_EV_KEY_EVENT, json_object_new_string(name));
	/* Microseconds are plenty; the default %.17g prints noise digits. */
	snprintf(text, sizeof(text), "%.6f", t);
	json_object_object_add(obj, IGDPT_EV_KEY_TIME, json_object_new_double_s(t, text));
	return obj;
}

void igdpt_event_emit(struct igdpt_event_log *log, struct json_object *obj)
{
	if (log->out) {
		fprintf(log->out, "%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
		fflush(log->out);
	}
	json_object_put(obj);
}

void igdpt_event_add_hex(struct json_object *obj, const char *key, uint64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, value);
	json_object_object_add(obj, key, json_object_new_string(buf));
}

void igdpt_event_add_id(struct json_object *obj, const char *key, uint16_t value)
{
	char buf[8];

	snprintf(buf, sizeof(buf), IGDPT_EV_ID_FORMAT, value);
	json_object_object_add(obj, key, json_object_new_string(buf));
}

void igdpt_event_add_str(struct json_object *obj, const char *key, const char *value)
{
	json_object_object_add(obj, key, json_object_new_string(value));
}

void igdpt_event_add_int(struct json_object *obj, const char *key, int64_t value)
{
	json_object_object_add(obj, key, json_object_new_int64(value));
}

void igdpt_event_add_bool(struct json_object *obj, const char *key, bool value)
{
	json_object_object_add(obj, key, json_object_new_boolean(value));
}
