/* SPDX-License-Identifier: MIT */
/* Unit tests of the proxy protocol reader: well-formed messages decode,
 * malformed ones (unknown command, oversize, truncation, wrong fd counts,
 * wrong payload sizes) are rejected with a reason, fds never leak. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "proxy/proto.h"

struct pair {
	int qemu;   /* QEMU's end: the test writes here */
	int device; /* the reader's end */
	struct igdpt_proxy_reader rd;
};

static int setup(void **state)
{
	static struct pair p;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	p.qemu = sv[0];
	p.device = sv[1];
	igdpt_proxy_reader_init(&p.rd);
	*state = &p;
	return 0;
}

static int teardown(void **state)
{
	struct pair *p = *state;

	igdpt_proxy_reader_fini(&p->rd);
	if (p->qemu >= 0)
		close(p->qemu);
	close(p->device);
	return 0;
}

/* Counts open descriptors, to prove none leak. */
static int open_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

static int recv_one(struct pair *p, struct igdpt_proxy_msg *msg, const char **reason)
{
	*reason = NULL;
	return igdpt_proxy_recv(&p->rd, p->device, msg, reason);
}

static void send_raw(struct pair *p, const uint8_t *buf, size_t len, const int *fds,
		     unsigned nfds)
{
	assert_int_equal(igdpt_proxy_send(p->qemu, buf, len, fds, nfds), 0);
}

static void test_cfg_roundtrip(void **state)
{
	struct pair *p = *state;
	struct igdpt_proxy_cfg in = {.addr = 0xFC, .val = 0x7FFE0000, .len = 4}, out;
	struct igdpt_proxy_msg msg;
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	const char *reason;
	size_t len = igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGWRITE, &in);

	assert_int_equal(len, 28);
	/* Nothing yet, then the message in two halves. */
	assert_int_equal(recv_one(p, &msg, &reason), 0);
	send_raw(p, buf, 10, NULL, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 0);
	send_raw(p, buf + 10, len - 10, NULL, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_PCI_CFGWRITE);
	assert_int_equal(msg.size, IGDPT_PROXY_CFG_SIZE);
	igdpt_proxy_decode_cfg(&msg, &out);
	assert_int_equal(out.addr, 0xFC);
	assert_int_equal(out.val, 0x7FFE0000);
	assert_int_equal(out.len, 4);
}

static void test_bar_and_reset(void **state)
{
	struct pair *p = *state;
	struct igdpt_proxy_bar in = {.addr = 0xFD108040, .val = 0x1122334455667788ull,
				     .size = 8, .memory = true}, out;
	struct igdpt_proxy_msg msg;
	uint8_t buf[2 * (IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX)];
	const char *reason;
	size_t len = igdpt_proxy_encode_bar(buf, IGDPT_PROXY_BAR_WRITE, &in);

	/* Two messages in one write come out one at a time. */
	len += igdpt_proxy_encode(buf + len, IGDPT_PROXY_DEVICE_RESET, NULL, 0);
	send_raw(p, buf, len, NULL, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_BAR_WRITE);
	igdpt_proxy_decode_bar(&msg, &out);
	assert_true(out.addr == in.addr && out.val == in.val);
	assert_int_equal(out.size, 8);
	assert_true(out.memory);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_DEVICE_RESET);
	assert_int_equal(msg.size, 0);
	/* A clean close between messages. */
	close(p->qemu);
	p->qemu = -1;
	assert_int_equal(recv_one(p, &msg, &reason), -EPIPE);
}

static void test_sysmem_with_fds(void **state)
{
	struct pair *p = *state;
	struct igdpt_proxy_sysmem sm, out;
	struct igdpt_proxy_msg msg;
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	const char *reason;
	int fds[2];
	int before = open_fds();

	memset(&sm, 0, sizeof(sm));
	fds[0] = memfd_create("a", MFD_CLOEXEC);
	fds[1] = memfd_create("b", MFD_CLOEXEC);
	sm.gpa[0] = 0;
	sm.size[0] = 0xC0000;
	sm.gpa[1] = 0x100000;
	sm.size[1] = 0x3F00000;
	sm.offset[1] = 0x100000;
	send_raw(p, buf, igdpt_proxy_encode_sysmem(buf, &sm), fds, 2);
	close(fds[0]);
	close(fds[1]);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_SYNC_SYSMEM);
	assert_int_equal(msg.nfds, 2);
	igdpt_proxy_decode_sysmem(&msg, &out);
	assert_true(out.gpa[1] == 0x100000 && out.size[1] == 0x3F00000 && out.offset[1] == 0x100000);
	igdpt_proxy_msg_close_fds(&msg);
	assert_int_equal(open_fds(), before);
}

/* One malformed message: the reader says -EPROTO with a reason mentioning
 * want, and holds no fds afterwards. */
static void expect_malformed(struct pair *p, const uint8_t *buf, size_t len, const int *fds,
			     unsigned nfds, bool close_after, const char *want)
{
	struct igdpt_proxy_msg msg;
	const char *reason;
	int before = open_fds();
	int ret;

	send_raw(p, buf, len, fds, nfds);
	for (unsigned i = 0; i < nfds; i++)
		close(fds[i]);
	if (close_after) {
		close(p->qemu);
		p->qemu = -1;
	}
	ret = recv_one(p, &msg, &reason);
	assert_int_equal(ret, -EPROTO);
	assert_non_null(reason);
	if (!strstr(reason, want))
		fail_msg("reason \"%s\" does not mention \"%s\"", reason, want);
	igdpt_proxy_reader_fini(&p->rd);
	assert_int_equal(open_fds(), before - (int)nfds - (close_after ? 1 : 0));
}

static void test_unknown_command(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];

	igdpt_proxy_encode(buf, 8, NULL, 0);
	expect_malformed(*state, buf, sizeof(buf), NULL, 0, false, "unknown command");
}

static void test_negative_command(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];

	igdpt_proxy_encode(buf, -1, NULL, 0);
	expect_malformed(*state, buf, sizeof(buf), NULL, 0, false, "unknown command");
}

static void test_ret_to_device(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + 8] = {0};

	igdpt_proxy_encode(buf, IGDPT_PROXY_RET, buf + IGDPT_PROXY_HDR_SIZE, 8);
	expect_malformed(*state, buf, sizeof(buf), NULL, 0, false, "RET");
}

static void test_size_over_max(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];

	/* The header alone is enough to reject it: no waiting for 4 GiB. */
	igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGREAD, NULL, 0);
	buf[IGDPT_PROXY_HDR_SIZE_OFFSET + 4] = 1;
	expect_malformed(*state, buf, sizeof(buf), NULL, 0, false, "larger than the largest");
	igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGREAD, NULL, 0);
	buf[IGDPT_PROXY_HDR_SIZE_OFFSET] = IGDPT_PROXY_PAYLOAD_MAX + 1;
	expect_malformed(*state, buf, sizeof(buf), NULL, 0, false, "larger than the largest");
}

static void test_size_over_arrived(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_CFG_SIZE];
	struct igdpt_proxy_cfg c = {.addr = 0, .len = 4};

	igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGREAD, &c);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + 4, NULL, 0, true, "inside a payload");
}

static void test_truncated_header(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE] = {0};

	expect_malformed(*state, buf, 7, NULL, 0, true, "truncated header");
}

static void test_wrong_payload_sizes(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX] = {0};
	uint8_t zero[IGDPT_PROXY_PAYLOAD_MAX] = {0};
	int fd;

	igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGREAD, zero, 8);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + 8, NULL, 0, false, "not 12 bytes");
	igdpt_proxy_encode(buf, IGDPT_PROXY_BAR_READ, zero, 12);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + 12, NULL, 0, false, "not 24 bytes");
	igdpt_proxy_encode(buf, IGDPT_PROXY_DEVICE_RESET, zero, 8);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + 8, NULL, 0, false, "payload");
	fd = memfd_create("m", MFD_CLOEXEC);
	igdpt_proxy_encode(buf, IGDPT_PROXY_SYNC_SYSMEM, zero, 64);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + 64, &fd, 1, false, "not 192 bytes");
}

static void test_wrong_fd_counts(void **state)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX] = {0};
	uint8_t zero[IGDPT_PROXY_PAYLOAD_MAX] = {0};
	int fds[IGDPT_PROXY_MAX_FDS + 2];

	/* SYNC_SYSMEM with none. */
	igdpt_proxy_encode(buf, IGDPT_PROXY_SYNC_SYSMEM, zero, IGDPT_PROXY_SYSMEM_SIZE);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_SYSMEM_SIZE, NULL, 0,
			 false, "without file descriptors");
	/* SYNC_SYSMEM with more than 8. */
	for (unsigned i = 0; i < IGDPT_PROXY_MAX_FDS + 2; i++)
		fds[i] = memfd_create("m", MFD_CLOEXEC);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_SYSMEM_SIZE, fds,
			 IGDPT_PROXY_MAX_FDS + 2, false, "more than 8");
	/* SET_IRQFD with one. */
	fds[0] = memfd_create("m", MFD_CLOEXEC);
	igdpt_proxy_encode(buf, IGDPT_PROXY_SET_IRQFD, NULL, 0);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE, fds, 1, false, "exactly two");
	/* A config read with an fd. */
	fds[0] = memfd_create("m", MFD_CLOEXEC);
	igdpt_proxy_encode(buf, IGDPT_PROXY_PCI_CFGREAD, zero, IGDPT_PROXY_CFG_SIZE);
	expect_malformed(*state, buf, IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_CFG_SIZE, fds, 1, false,
			 "takes none");
}

/* One sendmsg per message, as QEMU sends them, several queued before the
 * reader looks (QEMU does not wait for a reply to SYNC_SYSMEM): the reader
 * takes several messages with one recvmsg, and each fd set goes to the
 * message it was sent with, also when a message without fds comes first. */
static void test_pipelined_fds(void **state)
{
	struct pair *p = *state;
	struct igdpt_proxy_sysmem sm;
	struct igdpt_proxy_cfg c = {.addr = 0, .len = 4};
	struct igdpt_proxy_msg msg;
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	const char *reason;
	int fds[3];
	int before = open_fds();

	memset(&sm, 0, sizeof(sm));
	sm.size[0] = 0x1000;
	for (unsigned i = 0; i < 3; i++)
		fds[i] = memfd_create("p", MFD_CLOEXEC);
	send_raw(p, buf, igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGWRITE, &c), NULL, 0);
	send_raw(p, buf, igdpt_proxy_encode_sysmem(buf, &sm), fds, 2);
	send_raw(p, buf, igdpt_proxy_encode_sysmem(buf, &sm), fds + 2, 1);
	send_raw(p, buf, igdpt_proxy_encode_cfg(buf, IGDPT_PROXY_PCI_CFGREAD, &c), NULL, 0);
	for (unsigned i = 0; i < 3; i++)
		close(fds[i]);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_PCI_CFGWRITE);
	assert_int_equal(msg.nfds, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_SYNC_SYSMEM);
	assert_int_equal(msg.nfds, 2);
	igdpt_proxy_msg_close_fds(&msg);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_SYNC_SYSMEM);
	assert_int_equal(msg.nfds, 1);
	igdpt_proxy_msg_close_fds(&msg);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_PCI_CFGREAD);
	assert_int_equal(msg.nfds, 0);
	assert_false(igdpt_proxy_buffered(&p->rd));
	assert_int_equal(recv_one(p, &msg, &reason), 0);
	assert_int_equal(open_fds(), before);
}

/* Fds sent with a later piece of a message (here its payload) still belong
 * to it, and the message after it gets none. */
static void test_fds_with_payload_piece(void **state)
{
	struct pair *p = *state;
	struct igdpt_proxy_sysmem sm;
	struct igdpt_proxy_msg msg;
	uint8_t buf[2 * (IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX)];
	const char *reason;
	size_t len;
	int fd = memfd_create("q", MFD_CLOEXEC);
	int before = open_fds();

	memset(&sm, 0, sizeof(sm));
	sm.size[0] = 0x1000;
	len = igdpt_proxy_encode_sysmem(buf, &sm);
	len += igdpt_proxy_encode(buf + len, IGDPT_PROXY_DEVICE_RESET, NULL, 0);
	send_raw(p, buf, 10, NULL, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 0);
	assert_false(igdpt_proxy_buffered(&p->rd));
	send_raw(p, buf + 10, 100, &fd, 1);
	close(fd);
	assert_int_equal(recv_one(p, &msg, &reason), 0);
	send_raw(p, buf + 110, len - 110, NULL, 0);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_SYNC_SYSMEM);
	assert_int_equal(msg.nfds, 1);
	igdpt_proxy_msg_close_fds(&msg);
	assert_int_equal(recv_one(p, &msg, &reason), 1);
	assert_int_equal(msg.cmd, IGDPT_PROXY_DEVICE_RESET);
	assert_int_equal(msg.nfds, 0);
	assert_int_equal(open_fds(), before - 1);
}

static void test_validate_table(void **state)
{
	struct igdpt_proxy_msg msg;
	const char *reason;

	(void)state;
	memset(&msg, 0, sizeof(msg));
	msg.cmd = IGDPT_PROXY_SET_IRQFD;
	msg.nfds = 2;
	assert_int_equal(igdpt_proxy_validate(&msg, &reason), 0);
	msg.cmd = IGDPT_PROXY_DEVICE_RESET;
	msg.nfds = 0;
	assert_int_equal(igdpt_proxy_validate(&msg, &reason), 0);
	msg.cmd = IGDPT_PROXY_BAR_WRITE;
	msg.size = IGDPT_PROXY_BAR_SIZE;
	assert_int_equal(igdpt_proxy_validate(&msg, &reason), 0);
	msg.cmd = IGDPT_PROXY_CMD_COUNT;
	assert_int_equal(igdpt_proxy_validate(&msg, &reason), -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cfg_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysmem_with_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ret_to_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_over_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_over_arrived, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_header, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_payload_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_fd_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fds_with_payload_piece, setup, teardown),
		cmocka_unit_test(test_validate_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
