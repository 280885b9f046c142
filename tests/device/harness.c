/* SPDX-License-Identifier: MIT */
/* Process, socket and log helpers for the igdpt-device tests. */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "igdpt/file.h"

int harness_failures;

#define REPLY_TIMEOUT_MS 5000

/* Starts the device with its end of socketpair a as option a_opt (and of b
 * as b_opt when b_opt is set); the test's ends go to *a_ours and *b_ours. */
static int spawn(struct device_run *run, const char *device_path, const char *dir,
		 const char *a_opt, int *a_ours, const char *b_opt, int *b_ours,
		 const char *const *extra)
{
	int a[2], b[2] = {-1, -1};
	char a_fd[16], b_fd[16];
	const char *argv[64];
	unsigned n = 0;

	memset(run, 0, sizeof(*run));
	run->igd = run->lpc = -1;
	snprintf(run->log, sizeof(run->log), "%s/device-%d-%ld.jsonl", dir, (int)getpid(),
		 (long)time(NULL) ^ (long)rand());
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, a) < 0)
		return -errno;
	if (b_opt && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b) < 0)
		return -errno;
	snprintf(a_fd, sizeof(a_fd), "%d", a[1]);
	snprintf(b_fd, sizeof(b_fd), "%d", b[1]);
	argv[n++] = device_path;
	argv[n++] = a_opt;
	argv[n++] = a_fd;
	if (b_opt) {
		argv[n++] = b_opt;
		argv[n++] = b_fd;
	}
	argv[n++] = "--log";
	argv[n++] = run->log;
	for (unsigned i = 0; extra && extra[i] && n < 62; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	run->pid = fork();
	if (run->pid < 0)
		return -errno;
	if (run->pid == 0) {
		/* The device's ends must survive exec. */
		fcntl(a[1], F_SETFD, 0);
		if (b_opt)
			fcntl(b[1], F_SETFD, 0);
		execv(device_path, (char *const *)argv);
		_exit(127);
	}
	close(a[1]);
	if (b_opt)
		close(b[1]);
	*a_ours = a[0];
	if (b_ours)
		*b_ours = b[0];
	return 0;
}

int device_start(struct device_run *run, const char *device_path, const char *dir, bool lpc,
		 const char *const *extra)
{
	return spawn(run, device_path, dir, "--igd-fd", &run->igd, lpc ? "--lpc-fd" : NULL,
		     &run->lpc, extra);
}

int device_start_vfio_user(struct device_run *run, const char *device_path, const char *dir,
			   const char *const *extra)
{
	return spawn(run, device_path, dir, "--vfio-user-fd", &run->igd, NULL, NULL, extra);
}

int device_start_bare(struct device_run *run, const char *device_path,
		      const char *const *argv_tail)
{
	const char *argv[16] = { device_path };
	unsigned n = 1;

	for (unsigned i = 0; argv_tail[i] && n < 15; i++)
		argv[n++] = argv_tail[i];
	argv[n] = NULL;
	memset(run, 0, sizeof(*run));
	run->igd = run->lpc = -1;
	run->pid = fork();
	if (run->pid < 0)
		return -errno;
	if (run->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 2);
		execv(device_path, (char *const *)argv);
		_exit(127);
	}
	return 0;
}

int device_wait(struct device_run *run, int timeout_ms)
{
	int status;

	for (int waited = 0; waited <= timeout_ms; waited += 10) {
		pid_t r = waitpid(run->pid, &status, WNOHANG);

		if (r == run->pid)
			return status;
		usleep(10000);
	}
	kill(run->pid, SIGKILL);
	waitpid(run->pid, &status, 0);
	return -1;
}

void device_close_igd(struct device_run *run)
{
	if (run->igd >= 0)
		close(run->igd);
	run->igd = -1;
}

void device_close_lpc(struct device_run *run)
{
	if (run->lpc >= 0)
		close(run->lpc);
	run->lpc = -1;
}

static int read_full(int sock, uint8_t *buf, size_t len)
{
	size_t have = 0;

	while (have < len) {
		struct pollfd pfd = {.fd = sock, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, REPLY_TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		n = recv(sock, buf + have, len - have, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ECONNRESET ? -EPIPE : -errno;
		if (n == 0)
			return -EPIPE;
		have += (size_t)n;
	}
	return 0;
}

int proxy_read_ret(int sock, uint64_t *value)
{
	uint8_t hdr[IGDPT_PROXY_HDR_SIZE];
	uint8_t payload[IGDPT_PROXY_RET_SIZE];
	int32_t cmd;
	uint64_t size;
	int ret = read_full(sock, hdr, sizeof(hdr));

	if (ret < 0)
		return ret;
	memcpy(&cmd, hdr + IGDPT_PROXY_HDR_CMD_OFFSET, sizeof(cmd));
	memcpy(&size, hdr + IGDPT_PROXY_HDR_SIZE_OFFSET, sizeof(size));
	if (cmd != IGDPT_PROXY_RET || (size != 0 && size != IGDPT_PROXY_RET_SIZE))
		return -EBADMSG;
	*value = 0;
	if (size) {
		ret = read_full(sock, payload, sizeof(payload));
		if (ret < 0)
			return ret;
		memcpy(value, payload, sizeof(*value));
	}
	return 0;
}

static int send_msg(int sock, const uint8_t *buf, size_t len, const int *fds, unsigned nfds)
{
	int ret = igdpt_proxy_send(sock, buf, len, fds, nfds);

	return ret == -ECONNRESET ? -EPIPE : ret;
}

int proxy_cfg(int sock, int32_t cmd, uint32_t addr, uint32_t val, int32_t len, uint64_t *value)
{
	struct igdpt_proxy_cfg c = {.addr = addr, .val = val, .len = len};
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	int ret = send_msg(sock, buf, igdpt_proxy_encode_cfg(buf, cmd, &c), NULL, 0);
	uint64_t v;

	if (ret < 0)
		return ret;
	ret = proxy_read_ret(sock, &v);
	if (ret == 0 && value)
		*value = v;
	return ret;
}

int proxy_bar(int sock, int32_t cmd, uint64_t addr, uint64_t val, uint32_t size, bool memory,
	      uint64_t *value)
{
	struct igdpt_proxy_bar b = {.addr = addr, .val = val, .size = size, .memory = memory};
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];
	int ret = send_msg(sock, buf, igdpt_proxy_encode_bar(buf, cmd, &b), NULL, 0);
	uint64_t v;

	if (ret < 0)
		return ret;
	ret = proxy_read_ret(sock, &v);
	if (ret == 0 && value)
		*value = v;
	return ret;
}

int proxy_sysmem(int sock, int memfd, uint64_t size)
{
	struct igdpt_proxy_sysmem sm;
	uint8_t buf[IGDPT_PROXY_HDR_SIZE + IGDPT_PROXY_PAYLOAD_MAX];

	memset(&sm, 0, sizeof(sm));
	sm.size[0] = size;
	return send_msg(sock, buf, igdpt_proxy_encode_sysmem(buf, &sm), &memfd, 1);
}

int proxy_reset(int sock)
{
	uint8_t buf[IGDPT_PROXY_HDR_SIZE];
	uint64_t v;
	int ret = send_msg(sock, buf, igdpt_proxy_encode(buf, IGDPT_PROXY_DEVICE_RESET, NULL, 0),
			   NULL, 0);

	return ret < 0 ? ret : proxy_read_ret(sock, &v);
}

bool proxy_closed_by_peer(int sock, int timeout_ms)
{
	uint8_t b[64];

	for (;;) {
		struct pollfd pfd = {.fd = sock, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) <= 0)
			return false;
		n = recv(sock, b, sizeof(b), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0)
			return false;
		/* Replies to what was sent before the bad message: skip them. */
	}
}

struct json_object *log_read(const char *path)
{
	struct json_object *events = json_object_new_array();
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return events;
	/* A final event naming every changed OpRegion byte can be long. */
	while (getline(&line, &cap, f) > 0) {
		struct json_object *ev = json_tokener_parse(line);

		CHECK(ev && json_object_is_type(ev, json_type_object), "log line is not JSON: %.200s",
		      line);
		if (ev)
			json_object_array_add(events, ev);
	}
	free(line);
	fclose(f);
	return events;
}

const char *log_field(struct json_object *event, const char *key)
{
	struct json_object *v;

	if (!event || !json_object_object_get_ex(event, key, &v))
		return NULL;
	return json_object_get_string(v);
}

int log_count(struct json_object *events, const char *name, const char *key, const char *value)
{
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *ev = json_object_array_get_idx(events, i);
		const char *ename = log_field(ev, IGDPT_EV_KEY_EVENT);
		const char *v;

		if (!ename || strcmp(ename, name))
			continue;
		if (key) {
			v = log_field(ev, key);
			if (!v || strcmp(v, value))
				continue;
		}
		n++;
	}
	return n;
}

struct json_object *log_last(struct json_object *events, const char *name)
{
	struct json_object *found = NULL;

	for (size_t i = 0; i < json_object_array_length(events); i++) {
		struct json_object *ev = json_object_array_get_idx(events, i);
		const char *ename = log_field(ev, IGDPT_EV_KEY_EVENT);

		if (ename && !strcmp(ename, name))
			found = ev;
	}
	return found;
}

int ram_create(uint64_t size)
{
	int fd = memfd_create("guest-ram", MFD_CLOEXEC);
	uint8_t *p;

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		return -1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	for (uint64_t i = 0; i < size; i += 8)
		memcpy(p + i, &i, sizeof(i));
	munmap(p, size);
	return fd;
}

uint64_t ram_hash(int memfd, uint64_t size)
{
	const uint8_t *p = mmap(NULL, size, PROT_READ, MAP_SHARED, memfd, 0);
	uint64_t h = 14695981039346656037ull; /* FNV-1a */

	if (p == MAP_FAILED)
		return 0;
	for (uint64_t i = 0; i < size; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	munmap((void *)p, size);
	return h;
}

const char *reference_image(void)
{
	static char path[4096];
	const char *override = getenv("IGDPT_REFERENCE_IMAGE");
	const char *corpus = getenv("IGDPT_CORPUS");
	char dir[4000];
	struct dirent **names;
	int n;

	if (override && *override)
		return override;
	if (!corpus)
		return NULL;
	snprintf(dir, sizeof(dir), "%s/opregion", corpus);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return NULL;
	path[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);

		if (!path[0] && l > 4 && !strcmp(names[i]->d_name + l - 4, ".bin"))
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return path[0] ? path : NULL;
}

int read_whole(const char *path, uint8_t **data, size_t *len)
{
	char err[256];

	return igdpt_file_read(path, data, len, &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err));
}
