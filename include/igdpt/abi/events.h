/* SPDX-License-Identifier: MIT */
/* The contract between igdpt-device and its readers (igdpt vm, the tests):
 * the device's event log, one JSON object per line. docs/contract.md
 * describes each event; this header is the one place its names are spelled.
 * tests/lib/contract.py reads the same names from here for the Python tests.
 *
 * Every object has IGDPT_EV_KEY_EVENT (one of the IGDPT_EV_* names) and
 * IGDPT_EV_KEY_TIME (seconds since the device started). Numbers that are
 * addresses or register values are strings "0x%x"; PCI ids and class codes
 * "0x%04x" (IGDPT_EV_ID_FORMAT). */
#ifndef IGDPT_ABI_EVENTS_H
#define IGDPT_ABI_EVENTS_H

/* Keys every event has. */
#define IGDPT_EV_KEY_EVENT "event"
#define IGDPT_EV_KEY_TIME "t"

/* Event names. */
#define IGDPT_EV_START "start"                   /* a function is served */
#define IGDPT_EV_SYSMEM "sysmem"                 /* the guest RAM layout changed */
#define IGDPT_EV_ASLS_WRITE "asls_write"         /* ASLS took a new value */
#define IGDPT_EV_BDSM_WRITE "bdsm_write"         /* BDSM took a new value */
#define IGDPT_EV_GGC_WRITE "ggc_write"           /* a write hit read-only GGC */
#define IGDPT_EV_SWSCI_WRITE "swsci_write"       /* SWSCI was written */
#define IGDPT_EV_PROTOCOL_ERROR "protocol_error" /* a message the device refused */
#define IGDPT_EV_SUPPRESSED "suppressed"         /* a capped kind stops being logged */
#define IGDPT_EV_CLOSED "closed"                 /* a connection ended */
#define IGDPT_EV_FINAL "final"                   /* the device's last word at exit */

/* Fields (which event carries which: docs/contract.md). */
#define IGDPT_EV_FUNCTION "function"     /* IGDPT_EV_FUNCTION_* */
#define IGDPT_EV_FUNCTION_IGD "igd"
#define IGDPT_EV_FUNCTION_LPC "lpc"
#define IGDPT_EV_FUNCTION_HOST_BRIDGE "host" /* never served on its own */
#define IGDPT_EV_TRANSPORT "transport"   /* start: IGDPT_EV_TRANSPORT_* */
#define IGDPT_EV_TRANSPORT_PROXY "proxy" /* QEMU's x-pci-proxy-dev */
#define IGDPT_EV_TRANSPORT_VFIO_USER "vfio-user" /* a vfio-user client */
#define IGDPT_EV_VENDOR_ID "vendor_id"
#define IGDPT_EV_DEVICE_ID "device_id"
#define IGDPT_EV_GENERATION "generation"
#define IGDPT_EV_CLASS "class"
#define IGDPT_EV_STRATEGY "strategy"
#define IGDPT_EV_IMAGE_SIZE "image_size"
#define IGDPT_EV_GGC "ggc"
#define IGDPT_EV_BDSM_REGISTER "bdsm_register"
#define IGDPT_EV_REGIONS "regions"       /* sysmem: [{gpa, size}] */
#define IGDPT_EV_GPA "gpa"
#define IGDPT_EV_SIZE "size"
#define IGDPT_EV_VALUE "value"
#define IGDPT_EV_REGISTER "register"
#define IGDPT_EV_ACCEPTED "accepted"
#define IGDPT_EV_REFUSED "refused"       /* why the device did not act on a write */
#define IGDPT_EV_IGNORED "ignored"
#define IGDPT_EV_PARTIAL "partial"       /* not a complete register value: not acted on */
#define IGDPT_EV_GUEST_COPY "guest_copy" /* one of IGDPT_EV_COPY_* */
#define IGDPT_EV_DIFFERS_AT "differs_at"
#define IGDPT_EV_REASON "reason"
#define IGDPT_EV_ACTION "action"         /* protocol_error: IGDPT_EV_ACTION_* */
#define IGDPT_EV_COMMAND "command"       /* protocol_error (vfio-user): the command's name */
#define IGDPT_EV_ADDR "addr"
#define IGDPT_EV_MEMORY "memory"
#define IGDPT_EV_OF "of"
#define IGDPT_EV_AFTER "after"
#define IGDPT_EV_ASLS "asls"
#define IGDPT_EV_OPREGION_WRITES "opregion_writes" /* final: [{field, offset, ...}] */
#define IGDPT_EV_OPREGION_WRITES_UNNAMED "opregion_writes_unnamed"
#define IGDPT_EV_FIELD "field"
#define IGDPT_EV_FIELD_UNNAMED "unnamed"
#define IGDPT_EV_OFFSET "offset"
#define IGDPT_EV_PUBLISHED "published"
#define IGDPT_EV_GUEST "guest"
#define IGDPT_EV_HOST_IMAGE_UNCHANGED "host_image_unchanged"
#define IGDPT_EV_HOST_IMAGE_ERROR "host_image_error"

/* What the device did about a refused message (IGDPT_EV_ACTION). */
#define IGDPT_EV_ACTION_CLOSED "closed"              /* the connection ended */
#define IGDPT_EV_ACTION_ALL_ONES "answered all ones" /* a read outside every BAR */
#define IGDPT_EV_ACTION_DROPPED "dropped"            /* a write outside every BAR */
#define IGDPT_EV_ACTION_ERROR_REPLY "error reply"    /* vfio-user: answered with an errno */

/* Why a connection ended (IGDPT_EV_REASON of IGDPT_EV_CLOSED), besides the
 * reason a malformed message gave. */
#define IGDPT_EV_CLOSED_PEER "peer closed"
#define IGDPT_EV_CLOSED_PROTOCOL "protocol error"
#define IGDPT_EV_CLOSED_SIGTERM "SIGTERM"
#define IGDPT_EV_CLOSED_SIGINT "SIGINT"
#define IGDPT_EV_CLOSED_SIGNAL "signal"

/* What the guest has at ASLS (IGDPT_EV_GUEST_COPY). */
#define IGDPT_EV_COPY_IDENTICAL "identical"
#define IGDPT_EV_COPY_DIFFERS "differs"
#define IGDPT_EV_COPY_UNMAPPED "unmapped"
#define IGDPT_EV_COPY_NO_IMAGE "no-image"
#define IGDPT_EV_COPY_PLACED "placed" /* strategy 1b: the device placed it */

#define IGDPT_EV_ID_FORMAT "0x%04x"

#endif
