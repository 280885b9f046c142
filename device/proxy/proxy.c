/* SPDX-License-Identifier: MIT */
/* QEMU multi-process proxy transport: connections and dispatch. Each
 * message becomes one call of the device model and one RET (proxy.h says
 * which failures end a connection). */
#include "proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "igdpt/abi/events.h"

void igdpt_proxy_init(struct igdpt_proxy *px, struct igdpt_device *dev,
		      struct igdpt_event_log *log)
{
	memset(px, 0, sizeof(*px));
	px->dev = dev;
	px->log = log;
}

void igdpt_proxy_fini(struct igdpt_proxy *px)
{
	for (unsigned i = 0; i < px->count; i++) {
		struct igdpt_proxy_conn *c = &px->conns[i];

		igdpt_proxy_reader_fini(&c->reader);
		if (c->state == IGDPT_PROXY_OPEN)
			close(c->sock);
		c->state = IGDPT_PROXY_PEER_CLOSED;
	}
}

int igdpt_proxy_add(struct igdpt_proxy *px, enum igdpt_function fn, int sock)
{
	struct igdpt_proxy_conn *c;
	int flags, ret;

	if (px->count >= IGDPT_FUNCTION_COUNT)
		return -ENOSPC;
	if (!igdpt_device_has_function(px->dev, fn))
		return -ENODEV;
	flags = fcntl(sock, F_GETFD);
	if (flags >= 0)
		fcntl(sock, F_SETFD, flags | FD_CLOEXEC);
	c = &px->conns[px->count];
	memset(c, 0, sizeof(*c));
	c->fn = fn;
	c->sock = sock;
	c->state = IGDPT_PROXY_OPEN;
	igdpt_proxy_reader_init(&c->reader);
	ret = igdpt_device_attach(px->dev, fn, IGDPT_EV_TRANSPORT_PROXY);
	if (ret < 0)
		return ret;
	return (int)px->count++;
}

static struct json_object *conn_event(struct igdpt_proxy *px, const char *name,
				      const struct igdpt_proxy_conn *c)
{
	struct json_object *ev = igdpt_event_new(px->log, name);

	igdpt_event_add_str(ev, IGDPT_EV_FUNCTION, igdpt_device_function_name(c->fn));
	return ev;
}

static int protocol_error(struct igdpt_proxy *px, const struct igdpt_proxy_conn *c,
			  const char *reason, int err)
{
	struct json_object *ev = conn_event(px, IGDPT_EV_PROTOCOL_ERROR, c);

	igdpt_event_add_str(ev, IGDPT_EV_REASON, reason ? reason : "malformed message");
	igdpt_event_add_str(ev, IGDPT_EV_ACTION, IGDPT_EV_ACTION_CLOSED);
	igdpt_event_emit(px->log, ev);
	return err;
}

static int reply(struct igdpt_proxy *px, const struct igdpt_proxy_conn *c, uint64_t value,
		 bool with_value)
{
	int ret = igdpt_proxy_send_ret(c->sock, value, with_value);

	if (ret == -EPIPE || ret == -ECONNRESET)
		return -EPIPE; /* the peer went away; the next read sees it */
	if (ret < 0)
		return protocol_error(px, c,
				      "cannot send the reply (peer does not read its replies)", ret);
	return 0;
}

/* One fd per region: igdpt_proxy_validate() allows 1..8. The model keeps
 * duplicates; the caller closes the message's fds. QEMU sends the same map
 * on every function's socket: it is one machine's RAM. */
static int handle_sysmem(struct igdpt_proxy *px, const struct igdpt_proxy_conn *c,
			 const struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_sysmem sm;
	struct igdpt_guest_region regions[IGDPT_PROXY_MAX_FDS];
	const char *reason = NULL;

	igdpt_proxy_decode_sysmem(msg, &sm);
	for (unsigned i = 0; i < msg->nfds; i++) {
		regions[i].gpa = sm.gpa[i];
		regions[i].size = sm.size[i];
		regions[i].fd = msg->fds[i];
		/* A negative offset becomes one no file reaches: refused. */
		regions[i].offset = (uint64_t)sm.offset[i];
		regions[i].read_only = false; /* QEMU's proxy shares RAM read-write */
	}
	if (igdpt_device_memory_set(px->dev, regions, msg->nfds, &reason) < 0)
		return protocol_error(px, c, reason, -EPROTO);
	return 0;
}

static int handle_cfg(struct igdpt_proxy *px, const struct igdpt_proxy_conn *c,
		      const struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_cfg cfg;
	const char *reason = NULL;
	uint32_t value = 0;
	int ret;

	igdpt_proxy_decode_cfg(msg, &cfg);
	/* A negative length becomes one the model refuses. */
	if (msg->cmd == IGDPT_PROXY_PCI_CFGREAD)
		ret = igdpt_device_cfg_read(px->dev, c->fn, cfg.addr, (uint32_t)cfg.len, &value,
					    &reason);
	else
		ret = igdpt_device_cfg_write(px->dev, c->fn, cfg.addr, (uint32_t)cfg.len, cfg.val,
					     &reason);
	if (ret < 0)
		return protocol_error(px, c, reason, -EPROTO);
	return reply(px, c, value, true);
}

static int handle_bar(struct igdpt_proxy *px, const struct igdpt_proxy_conn *c,
		      const struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_bar b;
	bool is_read = msg->cmd == IGDPT_PROXY_BAR_READ;
	const char *reason = NULL;
	uint64_t offset, value = 0;
	unsigned bar;
	int ret;

	igdpt_proxy_decode_bar(msg, &b);
	ret = igdpt_device_bar_find(px->dev, c->fn, b.memory, b.addr, b.size, &bar, &offset,
				    &reason);
	if (ret == -ENOENT) {
		if (igdpt_event_log_capped(px->log, IGDPT_EVENT_CAP_PROTOCOL_ERROR)) {
			struct json_object *ev = conn_event(px, IGDPT_EV_PROTOCOL_ERROR, c);

			igdpt_event_add_str(ev, IGDPT_EV_REASON, reason);
			igdpt_event_add_str(ev, IGDPT_EV_ACTION, is_read ? IGDPT_EV_ACTION_ALL_ONES
								     : IGDPT_EV_ACTION_DROPPED);
			igdpt_event_add_hex(ev, IGDPT_EV_ADDR, b.addr);
			igdpt_event_add_int(ev, IGDPT_EV_SIZE, b.size);
			igdpt_event_add_bool(ev, IGDPT_EV_MEMORY, b.memory);
			igdpt_event_emit(px->log, ev);
		}
		return reply(px, c, is_read ? UINT64_MAX : 0, true);
	}
	if (ret == 0)
		ret = is_read ? igdpt_device_bar_read(px->dev, c->fn, bar, offset, b.size, &value,
						      &reason)
			      : igdpt_device_bar_write(px->dev, c->fn, bar, offset, b.size, b.val,
						       &reason);
	if (ret < 0)
		return protocol_error(px, c, reason, -EPROTO);
	return reply(px, c, value, true);
}

int igdpt_proxy_handle(struct igdpt_proxy *px, unsigned index, struct igdpt_proxy_msg *msg)
{
	struct igdpt_proxy_conn *c = &px->conns[index];

	switch (msg->cmd) {
	case IGDPT_PROXY_SYNC_SYSMEM:
		return handle_sysmem(px, c, msg);
	case IGDPT_PROXY_SET_IRQFD:
		/* The device raises no interrupts (they never reach a TCG guest
		 * through the proxy anyway); the eventfds are not needed. */
		return 0;
	case IGDPT_PROXY_PCI_CFGREAD:
	case IGDPT_PROXY_PCI_CFGWRITE:
		return handle_cfg(px, c, msg);
	case IGDPT_PROXY_BAR_READ:
	case IGDPT_PROXY_BAR_WRITE:
		return handle_bar(px, c, msg);
	case IGDPT_PROXY_DEVICE_RESET:
		igdpt_device_reset(px->dev, c->fn);
		return reply(px, c, 0, false);
	default:
		return protocol_error(px, c, "unknown command", -EPROTO);
	}
}

void igdpt_proxy_close(struct igdpt_proxy *px, unsigned index, const char *reason,
		       enum igdpt_proxy_conn_state state)
{
	struct igdpt_proxy_conn *c = &px->conns[index];
	struct json_object *ev;

	if (c->state != IGDPT_PROXY_OPEN)
		return;
	igdpt_proxy_reader_fini(&c->reader);
	close(c->sock);
	c->sock = -1;
	c->state = state;
	ev = conn_event(px, IGDPT_EV_CLOSED, c);
	igdpt_event_add_str(ev, IGDPT_EV_REASON, reason);
	igdpt_event_emit(px->log, ev);
}

/* Reads (waiting if asked) and handles one message of connection index.
 * 1: a message was handled, 0: none was there (or a signal interrupted the
 * wait), -1: the connection is closed now (event logged, socket closed). */
static int service_one(struct igdpt_proxy *px, unsigned index, bool wait)
{
	struct igdpt_proxy_conn *c = &px->conns[index];
	struct igdpt_proxy_msg msg;
	const char *reason = NULL;
	int ret;

	if (c->state != IGDPT_PROXY_OPEN)
		return -1;
	ret = igdpt_proxy_read(&c->reader, c->sock, &msg, &reason, wait);
	if (ret == 0)
		return 0;
	if (ret == -EPIPE) {
		igdpt_proxy_close(px, index, IGDPT_EV_CLOSED_PEER, IGDPT_PROXY_PEER_CLOSED);
		return -1;
	}
	if (ret < 0) {
		protocol_error(px, c, reason, ret);
		igdpt_proxy_close(px, index, reason, IGDPT_PROXY_FAILED);
		return -1;
	}
	ret = igdpt_proxy_handle(px, index, &msg);
	igdpt_proxy_msg_close_fds(&msg);
	if (ret == -EPIPE) {
		igdpt_proxy_close(px, index, IGDPT_EV_CLOSED_PEER, IGDPT_PROXY_PEER_CLOSED);
		return -1;
	}
	if (ret < 0) {
		igdpt_proxy_close(px, index, IGDPT_EV_CLOSED_PROTOCOL, IGDPT_PROXY_FAILED);
		return -1;
	}
	return 1;
}

int igdpt_proxy_service(struct igdpt_proxy *px, unsigned index)
{
	for (;;) {
		int ret = service_one(px, index, false);

		if (ret < 0)
			return 0;
		/* QEMU sends the next request only after our reply: unless the
		 * buffer already holds a message, asking the socket again now would
		 * only return EAGAIN. Back to the caller's poll. */
		if (ret == 0 || !igdpt_proxy_buffered(&px->conns[index].reader))
			return 1;
	}
}

int igdpt_proxy_serve_blocking(struct igdpt_proxy *px, unsigned index,
			       const volatile sig_atomic_t *stop)
{
	while (!*stop) {
		if (service_one(px, index, true) < 0)
			return 0;
	}
	return 1;
}

unsigned igdpt_proxy_open_count(const struct igdpt_proxy *px)
{
	unsigned n = 0;

	for (unsigned i = 0; i < px->count; i++)
		n += px->conns[i].state == IGDPT_PROXY_OPEN;
	return n;
}

bool igdpt_proxy_had_error(const struct igdpt_proxy *px)
{
	for (unsigned i = 0; i < px->count; i++)
		if (px->conns[i].state == IGDPT_PROXY_FAILED)
			return true;
	return false;
}
