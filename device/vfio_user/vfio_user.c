/* SPDX-License-Identifier: MIT */
/* The vfio-user transport: dispatch of each command to the device model
 * and its reply (vfio_user.h says what a refused message gets).
 *
 * Replies follow what QEMU 11.1's client accepts (docs/stacks.md): never
 * longer than the request allows (VERSION: the request's size; region
 * info: argsz), the bare header with the errno for an error, and nothing
 * at all for a posted (NO_REPLY) request, which QEMU would take for the
 * reply to another one. */
#include "vfio_user.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/abi/events.h"
#include "igdpt/core/bytes.h"
#include "version.h"

int igdpt_vfu_init(struct igdpt_vfu *vfu, struct igdpt_device *dev, struct igdpt_event_log *log)
{
	int ret;

	memset(vfu, 0, sizeof(*vfu));
	vfu->dev = dev;
	vfu->log = log;
	vfu->sock = -1;
	vfu->state = IGDPT_VFU_WAITING;
	vfu->send_timeout_ms = IGDPT_VFU_SEND_TIMEOUT_MS;
	igdpt_vfu_dma_init(&vfu->dma);
	igdpt_vfu_irqs_init(&vfu->irqs);
	igdpt_vfu_regions_build(&vfu->regions, dev);
	ret = igdpt_vfu_reader_init(&vfu->reader);
	if (ret < 0)
		return ret;
	vfu->reply = malloc(IGDPT_VFU_MAX_MSG_SIZE);
	if (!vfu->reply) {
		igdpt_vfu_reader_fini(&vfu->reader);
		return -ENOMEM;
	}
	return igdpt_device_attach(dev, IGDPT_FUNCTION_IGD, IGDPT_EV_TRANSPORT_VFIO_USER);
}

void igdpt_vfu_fini(struct igdpt_vfu *vfu)
{
	if (vfu->state == IGDPT_VFU_OPEN)
		close(vfu->sock);
	vfu->sock = -1;
	igdpt_vfu_irqs_fini(&vfu->irqs);
	igdpt_vfu_reader_fini(&vfu->reader);
	free(vfu->reply);
	vfu->reply = NULL;
}

void igdpt_vfu_connect(struct igdpt_vfu *vfu, int sock)
{
	vfu->sock = sock;
	vfu->state = IGDPT_VFU_OPEN;
	vfu->versioned = false;
}

/* ---- events and replies ---- */

static void log_refusal(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg, const char *reason,
			const char *action)
{
	struct json_object *ev = igdpt_event_new(vfu->log, IGDPT_EV_PROTOCOL_ERROR);

	igdpt_event_add_str(ev, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_IGD);
	igdpt_event_add_str(ev, IGDPT_EV_COMMAND, igdpt_vfu_command_name(msg->command));
	igdpt_event_add_str(ev, IGDPT_EV_REASON, reason ? reason : "malformed message");
	igdpt_event_add_str(ev, IGDPT_EV_ACTION, action);
	igdpt_event_emit(vfu->log, ev);
}

static bool posted(const struct igdpt_vfu_msg *msg)
{
	return (msg->flags & IGDPT_VFU_FLAG_NO_REPLY) != 0;
}

/* Sends the reply in vfu->reply: header plus payload_len bytes already
 * there (or the header alone with err). */
static int send_reply(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg, size_t payload_len,
		      uint32_t err)
{
	size_t len = IGDPT_VFU_HDR_SIZE + (err ? 0 : payload_len);
	int ret;

	if (posted(msg))
		return 0;
	igdpt_vfu_put_header(vfu->reply, msg->id, msg->command, (uint32_t)len,
			     IGDPT_VFU_FLAG_TYPE_REPLY | (err ? IGDPT_VFU_FLAG_ERROR : 0), err);
	ret = igdpt_vfu_send(vfu->sock, vfu->reply, len, NULL, 0, vfu->send_timeout_ms, vfu->stop);
	if (ret == -EPIPE || ret == -EINTR)
		return ret;
	if (ret < 0) {
		log_refusal(vfu, msg, ret == -ETIMEDOUT
					      ? "cannot send the reply (the client reads no replies)"
					      : "cannot send the reply",
			    IGDPT_EV_ACTION_CLOSED);
		return -EPROTO;
	}
	return 0;
}

/* A well-formed request the device refuses: the errno, and the connection
 * goes on. */
static int refuse(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg, int err,
		  const char *reason)
{
	if (igdpt_event_log_capped(vfu->log, IGDPT_EVENT_CAP_PROTOCOL_ERROR))
		log_refusal(vfu, msg, reason,
			    posted(msg) ? IGDPT_EV_ACTION_DROPPED : IGDPT_EV_ACTION_ERROR_REPLY);
	return send_reply(vfu, msg, 0, (uint32_t)err);
}

/* A message no client sends: an error reply if one can go, then the end. */
static int reject(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg, const char *reason)
{
	log_refusal(vfu, msg, reason, IGDPT_EV_ACTION_CLOSED);
	if (vfu->state == IGDPT_VFU_OPEN)
		send_reply(vfu, msg, 0, EPROTO);
	return -EPROTO;
}

static uint8_t *reply_payload(struct igdpt_vfu *vfu)
{
	return vfu->reply + IGDPT_VFU_HDR_SIZE;
}

/* The exact payload size and fd count a command takes (QEMU sends no
 * other); fds is the most it may carry. */
static int check_frame(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg, uint32_t size,
		       unsigned fds)
{
	if (msg->payload_size != size)
		return reject(vfu, msg, "payload size is not the command's");
	if (msg->nfds > fds)
		return reject(vfu, msg, fds ? "more file descriptors than the command takes"
					    : "file descriptors attached to a message that takes none");
	return 0;
}

/* ---- the commands ---- */

static int handle_version(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	struct igdpt_vfu_caps caps;
	const char *reason = NULL;
	uint8_t *out = reply_payload(vfu);
	size_t json_room, len;
	int json_len;

	if (vfu->versioned)
		return reject(vfu, msg, "a second VERSION");
	if (msg->payload_size < IGDPT_VFU_VERSION_DATA_OFFSET || msg->nfds)
		return reject(vfu, msg, "VERSION shorter than its version numbers, or with fds");
	if (igdpt_le16(msg->payload + IGDPT_VFU_VERSION_MAJOR_OFFSET) != IGDPT_VFU_VERSION_MAJOR)
		return reject(vfu, msg, "the client's major version is not 0");
	memset(&caps, 0, sizeof(caps));
	if (msg->payload_size > IGDPT_VFU_VERSION_DATA_OFFSET) {
		const char *json = (const char *)msg->payload + IGDPT_VFU_VERSION_DATA_OFFSET;
		size_t n = msg->payload_size - IGDPT_VFU_VERSION_DATA_OFFSET;

		/* The version data ends with its NUL, and nothing follows. */
		if (json[n - 1] != '\0')
			return reject(vfu, msg, "VERSION data does not end with a NUL");
		if (n > 1 && igdpt_vfu_caps_parse(json, n - 1, &caps, &reason) < 0)
			return reject(vfu, msg, reason);
		if (caps.has_pgsizes && !caps.pgsizes)
			return reject(vfu, msg, "the client's pgsizes is 0");
	}
	igdpt_put_le16(out + IGDPT_VFU_VERSION_MAJOR_OFFSET, IGDPT_VFU_VERSION_MAJOR);
	igdpt_put_le16(out + IGDPT_VFU_VERSION_MINOR_OFFSET, IGDPT_VFU_VERSION_MINOR);
	len = IGDPT_VFU_VERSION_DATA_OFFSET;
	/* QEMU reads the reply into a buffer of its request's size: a reply
	 * that would not fit goes without JSON, whose defaults the device
	 * handles (one fd per message, 1 MiB transfers, 4 KiB pages). */
	json_room = msg->size - IGDPT_VFU_HDR_SIZE - IGDPT_VFU_VERSION_DATA_OFFSET;
	json_len = igdpt_vfu_caps_reply(&caps, IGDPT_VFU_MAX_DMA_MAPS,
					(char *)out + IGDPT_VFU_VERSION_DATA_OFFSET, json_room);
	if (json_len > 0)
		len += (size_t)json_len + 1;
	vfu->versioned = true;
	return send_reply(vfu, msg, len, 0);
}

static int handle_dma_map(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	const uint8_t *p = msg->payload;
	const char *reason = NULL;
	int ret = check_frame(vfu, msg, IGDPT_VFU_DMA_MAP_SIZE, 1);

	if (ret < 0)
		return ret;
	if (igdpt_le32(p + IGDPT_VFU_DMA_MAP_ARGSZ_OFFSET) != IGDPT_VFU_DMA_MAP_SIZE)
		return refuse(vfu, msg, EINVAL, "DMA_MAP argsz is not 32");
	ret = igdpt_vfu_dma_map(&vfu->dma, vfu->dev, igdpt_le64(p + IGDPT_VFU_DMA_MAP_ADDRESS_OFFSET),
				igdpt_le64(p + IGDPT_VFU_DMA_MAP_LENGTH_OFFSET),
				igdpt_le32(p + IGDPT_VFU_DMA_MAP_FLAGS_OFFSET),
				msg->nfds ? msg->fds[0] : -1,
				igdpt_le64(p + IGDPT_VFU_DMA_MAP_FILE_OFFSET), &reason);
	if (ret < 0)
		return refuse(vfu, msg, -ret, reason);
	return send_reply(vfu, msg, 0, 0);
}

static int handle_dma_unmap(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	const uint8_t *p = msg->payload;
	uint32_t flags;
	uint64_t address, size;
	const char *reason = NULL;
	int ret = check_frame(vfu, msg, IGDPT_VFU_DMA_UNMAP_SIZE, 0);

	if (ret < 0)
		return ret;
	flags = igdpt_le32(p + IGDPT_VFU_DMA_UNMAP_FLAGS_OFFSET);
	address = igdpt_le64(p + IGDPT_VFU_DMA_UNMAP_ADDRESS_OFFSET);
	size = igdpt_le64(p + IGDPT_VFU_DMA_UNMAP_LENGTH_OFFSET);
	if (igdpt_le32(p + IGDPT_VFU_DMA_UNMAP_ARGSZ_OFFSET) < IGDPT_VFU_DMA_UNMAP_SIZE)
		return refuse(vfu, msg, EINVAL, "DMA_UNMAP argsz leaves no room for the reply");
	if (flags & IGDPT_VFU_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP)
		return refuse(vfu, msg, ENOTSUP, "DMA_UNMAP dirty bitmaps are not supported");
	if (flags & ~IGDPT_VFU_DMA_UNMAP_FLAG_ALL)
		return refuse(vfu, msg, EINVAL, "unknown DMA_UNMAP flags");
	if ((flags & IGDPT_VFU_DMA_UNMAP_FLAG_ALL) && (address || size))
		return refuse(vfu, msg, EINVAL, "DMA_UNMAP of all maps names an address or size");
	ret = igdpt_vfu_dma_unmap(&vfu->dma, vfu->dev, address, size,
				  (flags & IGDPT_VFU_DMA_UNMAP_FLAG_ALL) != 0, &reason);
	if (ret < 0)
		return refuse(vfu, msg, -ret, reason);
	/* The reply echoes the request's payload. */
	memcpy(reply_payload(vfu), p, IGDPT_VFU_DMA_UNMAP_SIZE);
	return send_reply(vfu, msg, IGDPT_VFU_DMA_UNMAP_SIZE, 0);
}

static int handle_device_info(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	uint8_t *out = reply_payload(vfu);
	int ret = check_frame(vfu, msg, IGDPT_VFU_DEVICE_INFO_SIZE, 0);

	if (ret < 0)
		return ret;
	if (igdpt_le32(msg->payload + IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET) < IGDPT_VFU_DEVICE_INFO_SIZE)
		return refuse(vfu, msg, EINVAL, "DEVICE_GET_INFO argsz is smaller than the reply");
	igdpt_put_le32(out + IGDPT_VFU_DEVICE_INFO_ARGSZ_OFFSET, IGDPT_VFU_DEVICE_INFO_SIZE);
	igdpt_put_le32(out + IGDPT_VFU_DEVICE_INFO_FLAGS_OFFSET,
		       IGDPT_VFU_DEVICE_FLAGS_RESET | IGDPT_VFU_DEVICE_FLAGS_PCI);
	igdpt_put_le32(out + IGDPT_VFU_DEVICE_INFO_NUM_REGIONS_OFFSET, vfu->regions.count);
	igdpt_put_le32(out + IGDPT_VFU_DEVICE_INFO_NUM_IRQS_OFFSET, IGDPT_VFU_IRQ_COUNT);
	return send_reply(vfu, msg, IGDPT_VFU_DEVICE_INFO_SIZE, 0);
}

static int handle_region_info(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	uint32_t argsz, index;
	int ret = check_frame(vfu, msg, IGDPT_VFU_REGION_INFO_SIZE, 0);

	if (ret < 0)
		return ret;
	argsz = igdpt_le32(msg->payload + IGDPT_VFU_REGION_INFO_ARGSZ_OFFSET);
	index = igdpt_le32(msg->payload + IGDPT_VFU_REGION_INFO_INDEX_OFFSET);
	if (argsz < IGDPT_VFU_REGION_INFO_SIZE)
		return refuse(vfu, msg, EINVAL, "DEVICE_GET_REGION_INFO argsz is smaller than 32");
	if (index >= vfu->regions.count)
		return refuse(vfu, msg, EINVAL, "region index past the device's regions");
	return send_reply(vfu, msg, igdpt_vfu_region_info(&vfu->regions, index, argsz,
							  reply_payload(vfu)),
			  0);
}

static int handle_irq_info(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	uint8_t *out = reply_payload(vfu);
	uint32_t index, flags, count;
	int ret = check_frame(vfu, msg, IGDPT_VFU_IRQ_INFO_SIZE, 0);

	if (ret < 0)
		return ret;
	index = igdpt_le32(msg->payload + IGDPT_VFU_IRQ_INFO_INDEX_OFFSET);
	if (igdpt_le32(msg->payload + IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET) < IGDPT_VFU_IRQ_INFO_SIZE)
		return refuse(vfu, msg, EINVAL, "DEVICE_GET_IRQ_INFO argsz is smaller than the reply");
	if (index >= IGDPT_VFU_IRQ_COUNT)
		return refuse(vfu, msg, EINVAL, "interrupt index past the device's");
	igdpt_vfu_irq_info(index, &flags, &count);
	igdpt_put_le32(out + IGDPT_VFU_IRQ_INFO_ARGSZ_OFFSET, IGDPT_VFU_IRQ_INFO_SIZE);
	igdpt_put_le32(out + IGDPT_VFU_IRQ_INFO_FLAGS_OFFSET, flags);
	igdpt_put_le32(out + IGDPT_VFU_IRQ_INFO_INDEX_OFFSET, index);
	igdpt_put_le32(out + IGDPT_VFU_IRQ_INFO_COUNT_OFFSET, count);
	return send_reply(vfu, msg, IGDPT_VFU_IRQ_INFO_SIZE, 0);
}

static int handle_set_irqs(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	const uint8_t *p = msg->payload;
	uint32_t argsz, flags, index, start, count, data = 0;
	const char *reason = NULL;
	unsigned fds = 0;
	int ret;

	if (msg->payload_size < IGDPT_VFU_IRQ_SET_SIZE)
		return reject(vfu, msg, "payload size is not the command's");
	argsz = igdpt_le32(p + IGDPT_VFU_IRQ_SET_ARGSZ_OFFSET);
	flags = igdpt_le32(p + IGDPT_VFU_IRQ_SET_FLAGS_OFFSET);
	index = igdpt_le32(p + IGDPT_VFU_IRQ_SET_INDEX_OFFSET);
	start = igdpt_le32(p + IGDPT_VFU_IRQ_SET_START_OFFSET);
	count = igdpt_le32(p + IGDPT_VFU_IRQ_SET_COUNT_OFFSET);
	/* DATA_BOOL brings a byte per interrupt; DATA_EVENTFD an fd per
	 * interrupt, or none to de-assign them. */
	if (flags & IGDPT_VFU_IRQ_SET_DATA_BOOL)
		data = count;
	if ((flags & IGDPT_VFU_IRQ_SET_DATA_EVENTFD) && msg->nfds) {
		if (msg->nfds != count)
			return reject(vfu, msg, "SET_IRQS eventfds are not one per interrupt");
		fds = msg->nfds;
	}
	if (data > msg->payload_size)
		return reject(vfu, msg, "payload size is not the command's");
	ret = check_frame(vfu, msg, IGDPT_VFU_IRQ_SET_SIZE + data, fds);
	if (ret < 0)
		return ret;
	if (argsz != msg->payload_size)
		return refuse(vfu, msg, EINVAL, "SET_IRQS argsz is not its payload's size");
	ret = igdpt_vfu_irq_set_check(flags, index, start, count, &reason);
	if (ret == 0)
		ret = igdpt_vfu_irq_set(&vfu->irqs, flags, index, count, msg->fds, fds, &reason);
	if (ret < 0)
		return refuse(vfu, msg, -ret, reason);
	return send_reply(vfu, msg, 0, 0);
}

/* The region a REGION_READ/WRITE names, checked against the request. */
static const struct igdpt_vfu_region *access_region(struct igdpt_vfu *vfu, uint32_t index,
						    uint64_t offset, uint32_t count, uint32_t need,
						    const char **reason)
{
	const struct igdpt_vfu_region *r;

	if (index >= vfu->regions.count) {
		*reason = "region index past the device's regions";
		return NULL;
	}
	r = &vfu->regions.region[index];
	if (!count) {
		*reason = "region access of 0 bytes";
		return NULL;
	}
	if (count > IGDPT_VFU_MAX_DATA_XFER) {
		*reason = "region access larger than max_data_xfer_size";
		return NULL;
	}
	if ((r->flags & need) != need) {
		*reason = need & IGDPT_VFU_REGION_INFO_FLAG_WRITE ? "write to a read-only region"
								  : "read of a region without data";
		return NULL;
	}
	if (offset >= r->size || count > r->size - offset) {
		*reason = "region access past the end of the region";
		return NULL;
	}
	return r;
}

static int handle_region_read(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	const struct igdpt_vfu_region *r;
	uint8_t *out = reply_payload(vfu);
	uint64_t offset;
	uint32_t index, count;
	const char *reason = NULL;
	int ret = check_frame(vfu, msg, IGDPT_VFU_REGION_RW_SIZE, 0);

	if (ret < 0)
		return ret;
	offset = igdpt_le64(msg->payload + IGDPT_VFU_REGION_RW_OFFSET_OFFSET);
	index = igdpt_le32(msg->payload + IGDPT_VFU_REGION_RW_REGION_OFFSET);
	count = igdpt_le32(msg->payload + IGDPT_VFU_REGION_RW_COUNT_OFFSET);
	r = access_region(vfu, index, offset, count, IGDPT_VFU_REGION_INFO_FLAG_READ, &reason);
	if (!r)
		return refuse(vfu, msg, EINVAL, reason);
	if (igdpt_vfu_region_read(vfu->dev, r, offset, count, out + IGDPT_VFU_REGION_RW_SIZE,
				  &reason) < 0)
		return refuse(vfu, msg, EINVAL, reason);
	memcpy(out, msg->payload, IGDPT_VFU_REGION_RW_SIZE);
	return send_reply(vfu, msg, IGDPT_VFU_REGION_RW_SIZE + count, 0);
}

static int handle_region_write(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	const struct igdpt_vfu_region *r;
	uint64_t offset;
	uint32_t index, count;
	const char *reason = NULL;
	int ret;

	if (msg->payload_size < IGDPT_VFU_REGION_RW_SIZE)
		return reject(vfu, msg, "payload size is not the command's");
	offset = igdpt_le64(msg->payload + IGDPT_VFU_REGION_RW_OFFSET_OFFSET);
	index = igdpt_le32(msg->payload + IGDPT_VFU_REGION_RW_REGION_OFFSET);
	count = igdpt_le32(msg->payload + IGDPT_VFU_REGION_RW_COUNT_OFFSET);
	if (count != msg->payload_size - IGDPT_VFU_REGION_RW_SIZE)
		return reject(vfu, msg, "REGION_WRITE count is not the size of its data");
	ret = check_frame(vfu, msg, msg->payload_size, 0);
	if (ret < 0)
		return ret;
	r = access_region(vfu, index, offset, count, IGDPT_VFU_REGION_INFO_FLAG_WRITE, &reason);
	if (!r)
		return refuse(vfu, msg, EINVAL, reason);
	if (igdpt_vfu_region_write(vfu->dev, r, offset, count,
				   msg->payload + IGDPT_VFU_REGION_RW_SIZE, &reason) < 0)
		return refuse(vfu, msg, EINVAL, reason);
	memcpy(reply_payload(vfu), msg->payload, IGDPT_VFU_REGION_RW_SIZE);
	return send_reply(vfu, msg, IGDPT_VFU_REGION_RW_SIZE, 0);
}

static int handle_reset(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	int ret = check_frame(vfu, msg, 0, 0);

	if (ret < 0)
		return ret;
	igdpt_device_reset(vfu->dev, IGDPT_FUNCTION_IGD);
	return send_reply(vfu, msg, 0, 0);
}

int igdpt_vfu_handle(struct igdpt_vfu *vfu, const struct igdpt_vfu_msg *msg)
{
	if (!vfu->versioned && msg->command != IGDPT_VFU_VERSION)
		return reject(vfu, msg, "a command before VERSION");
	switch (msg->command) {
	case IGDPT_VFU_VERSION:
		return handle_version(vfu, msg);
	case IGDPT_VFU_DMA_MAP:
		return handle_dma_map(vfu, msg);
	case IGDPT_VFU_DMA_UNMAP:
		return handle_dma_unmap(vfu, msg);
	case IGDPT_VFU_DEVICE_GET_INFO:
		return handle_device_info(vfu, msg);
	case IGDPT_VFU_DEVICE_GET_REGION_INFO:
		return handle_region_info(vfu, msg);
	case IGDPT_VFU_DEVICE_GET_IRQ_INFO:
		return handle_irq_info(vfu, msg);
	case IGDPT_VFU_DEVICE_SET_IRQS:
		return handle_set_irqs(vfu, msg);
	case IGDPT_VFU_REGION_READ:
		return handle_region_read(vfu, msg);
	case IGDPT_VFU_REGION_WRITE:
		return handle_region_write(vfu, msg);
	case IGDPT_VFU_DEVICE_RESET:
		return handle_reset(vfu, msg);
	default:
		/* In the protocol, not in the device: REGION_WRITE_MULTI (the
		 * device does not offer write_multiple), region I/O fds, dirty
		 * pages, device features and migration. */
		if (msg->nfds)
			return reject(vfu, msg, "file descriptors attached to a message that takes none");
		return refuse(vfu, msg, ENOTSUP, "command not supported by the device");
	}
}

/* ---- the connection ---- */

void igdpt_vfu_close(struct igdpt_vfu *vfu, const char *reason, enum igdpt_vfu_state state)
{
	struct json_object *ev;

	if (vfu->state != IGDPT_VFU_OPEN)
		return;
	close(vfu->sock);
	vfu->sock = -1;
	vfu->state = state;
	/* The client's eventfds go with it; its guest RAM stays with the
	 * model, whose final event still compares the guest's copy. */
	igdpt_vfu_irqs_fini(&vfu->irqs);
	ev = igdpt_event_new(vfu->log, IGDPT_EV_CLOSED);
	igdpt_event_add_str(ev, IGDPT_EV_FUNCTION, IGDPT_EV_FUNCTION_IGD);
	igdpt_event_add_str(ev, IGDPT_EV_REASON, reason);
	igdpt_event_emit(vfu->log, ev);
}

/* Reads (waiting if asked) and handles one message. 1: handled, 0: none
 * there (or a signal interrupted the wait), -1: the connection is closed
 * now. */
static int service_one(struct igdpt_vfu *vfu, bool wait)
{
	struct igdpt_vfu_msg msg;
	const char *reason = NULL;
	int ret;

	if (vfu->state != IGDPT_VFU_OPEN)
		return -1;
	ret = igdpt_vfu_read(&vfu->reader, vfu->sock, &msg, &reason, wait);
	if (ret == 0)
		return 0;
	/* A signal shut the socket down for reading (serve.c): the caller
	 * ends the connection with the signal's name. */
	if (ret < 0 && vfu->stop && *vfu->stop) {
		igdpt_vfu_msg_close_fds(&msg);
		return 0;
	}
	if (ret == -EPIPE) {
		igdpt_vfu_close(vfu, IGDPT_EV_CLOSED_PEER, IGDPT_VFU_PEER_CLOSED);
		return -1;
	}
	if (ret < 0) {
		/* A header that was complete can still be answered. */
		if (msg.size)
			reject(vfu, &msg, reason);
		else
			log_refusal(vfu, &msg, reason, IGDPT_EV_ACTION_CLOSED);
		igdpt_vfu_close(vfu, reason, IGDPT_VFU_FAILED);
		return -1;
	}
	ret = igdpt_vfu_handle(vfu, &msg);
	igdpt_vfu_msg_close_fds(&msg);
	if (ret == -EPIPE) {
		igdpt_vfu_close(vfu, IGDPT_EV_CLOSED_PEER, IGDPT_VFU_PEER_CLOSED);
		return -1;
	}
	if (ret == -EINTR)
		return 0; /* a signal stopped a reply: the caller ends it */
	if (ret < 0) {
		igdpt_vfu_close(vfu, IGDPT_EV_CLOSED_PROTOCOL, IGDPT_VFU_FAILED);
		return -1;
	}
	return 1;
}

int igdpt_vfu_service(struct igdpt_vfu *vfu)
{
	for (;;) {
		int ret = service_one(vfu, false);

		if (ret < 0)
			return 0;
		if (ret == 0)
			return 1;
	}
}

int igdpt_vfu_serve_blocking(struct igdpt_vfu *vfu, const volatile sig_atomic_t *stop)
{
	vfu->stop = stop;
	while (!*stop) {
		if (service_one(vfu, true) < 0)
			return 0;
	}
	return 1;
}
