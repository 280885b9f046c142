/* SPDX-License-Identifier: MIT */
/* Message framing on a connected UNIX stream socket with SCM_RIGHTS fds:
 * the buffered reading and the sending both transports share (proxy/proto.c,
 * vfio_user/wire.c). A transport says only how big its header is and where
 * a message ends; its checks and its message struct stay its own. */
#ifndef IGDPT_DEVICE_STREAM_H
#define IGDPT_DEVICE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The most fds a message of either transport carries (8 each). */
#define IGDPT_STREAM_MAX_FDS 8u
/* Room for twice that in a control message, so an excess is seen, not
 * dropped: one receive or send takes at most this many. */
#define IGDPT_STREAM_FD_ROOM (2u * IGDPT_STREAM_MAX_FDS)

/* What a transport tells the reader about its messages. */
struct igdpt_stream_framing {
	size_t buf_size; /* bytes the transport's buffer holds */
	size_t hdr_size; /* bytes of a message header */
	unsigned max_fds; /* fds one message may carry, <= IGDPT_STREAM_MAX_FDS */
	/* The whole message's size, header included, from a header that
	 * passed the transport's checks. */
	size_t (*message_size)(const uint8_t *hdr);
};

/* The state of a buffered reader over a buffer the transport owns. Fds:
 * Linux ends a stream recvmsg right after the segment that carried
 * SCM_RIGHTS, so fds belong to the message holding the last byte of the
 * recvmsg that brought them (fds_at); while a message holds fds, reads stop
 * at its end, so two messages never share a set. */
struct igdpt_stream_reader {
	size_t start; /* first byte of the message being parsed */
	size_t have;  /* bytes in the buffer */
	int fds[IGDPT_STREAM_MAX_FDS];
	unsigned nfds;
	size_t fds_at; /* buffer offset of the last byte that came with the fds */
	bool too_many_fds;
};

/* Closes fds still held (a message that never completed) and empties the
 * reader. */
void igdpt_stream_reader_reset(struct igdpt_stream_reader *rd);

/* Hands the held fds to the message that ends before buffer offset end when
 * they came with it (*nfds 0 otherwise). -EPROTO when more came than
 * max_fds (the fds kept are handed over all the same), 0 otherwise. */
int igdpt_stream_claim_fds(struct igdpt_stream_reader *rd, size_t end, int *fds,
			   unsigned *nfds);

/* One recvmsg into buf. 1 when bytes arrived, 0 when none are there (or a
 * signal interrupted the wait), -EPIPE when the peer closed between
 * messages, -EPROTO when it closed inside one, other -errno for I/O errors
 * (*reason set for -EPROTO and -errno). wait false never blocks. */
int igdpt_stream_fill(struct igdpt_stream_reader *rd, uint8_t *buf,
		      const struct igdpt_stream_framing *framing, int sock, bool wait,
		      const char **reason);

/* One sendmsg of len bytes with nfds fds attached (nfds may be 0; at most
 * IGDPT_STREAM_FD_ROOM). The bytes sent, or -errno (-EINVAL for too many
 * fds); never raises SIGPIPE. */
ssize_t igdpt_stream_send_once(int sock, const uint8_t *buf, size_t len, const int *fds,
			       unsigned nfds, int flags);

#endif
