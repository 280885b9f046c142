/* SPDX-License-Identifier: MIT */
/* Benchmark of the virtual IGD: boot-to-verdict wall time of the guest
 * probe with the virtual IGD and an OpRegion, against the same boot without
 * them. Numbers go to DIR/boot.{txt,json}. (The cost of one config access,
 * per transport, is bench/device_access.py's.) */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igdpt/build.h"
#include "igdpt/file.h"
#include "igdpt/guest_image.h"
#include "vm_argv.h"
#include "vm_proc.h"
#include "vm_qemu.h"

#define BENCH_RAM_MIB 128u
#define BENCH_SEABIOS "/usr/share/seabios/bios-256k.bin"
#define BENCH_TIMEOUT 300.0
#define BENCH_IMAGE_CAP (64u << 10)

struct bench_paths {
	const char *qemu, *device, *probe, *out_dir;
	unsigned reps;
	char tmp[PATH_MAX - 64];
};

/* One boot: the server (igdpt-device or QEMU remote, or none) and QEMU. */
struct bench_sample {
	double qemu_wall;
	double server_cpu, server_sys; /* user+system, and system alone */
	int qemu_exit;
	bool ok;
};

enum bench_server {
	SERVER_NONE,
	SERVER_IGDPT,
};

static int run_once(const struct bench_paths *p, enum bench_server server, const char *kernel,
		    const char *append, const char *opregion, struct bench_sample *s)
{
	char fw_log[PATH_MAX], serial[PATH_MAX], err[PATH_MAX + 128], srv_err[PATH_MAX],
		q_err[PATH_MAX];
	struct vm_qemu_config qc = {
		.qemu = p->qemu,
		.machine = "pc",
		.bios = BENCH_SEABIOS,
		.kernel = kernel,
		.append = append,
		.mem_mib = BENCH_RAM_MIB,
		.igd_fd = -1,
		.lpc_fd = -1,
		.opregion = opregion,
		.fw_log = fw_log,
		.serial_log = serial,
	};
	struct vm_argv qa = { 0 }, sa = { 0 };
	struct vm_proc q = { 0 }, srv = { 0 };
	int sv[2] = { -1, -1 }, ret;

	memset(s, 0, sizeof(*s));
	snprintf(fw_log, sizeof(fw_log), "%s/fw.log", p->tmp);
	snprintf(serial, sizeof(serial), "%s/serial.log", p->tmp);
	snprintf(srv_err, sizeof(srv_err), "%s/server.stderr", p->tmp);
	snprintf(q_err, sizeof(q_err), "%s/qemu.stderr", p->tmp);
	if (server != SERVER_NONE) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return -errno;
		qc.igd_fd = sv[0];
	}
	if (server == SERVER_IGDPT) {
		ret = vm_argv_add(&sa, "%s", p->device) || vm_argv_add(&sa, "--igd-fd") ||
		      vm_argv_add(&sa, "%d", sv[1]) || vm_argv_add(&sa, "--generation") ||
		      vm_argv_add(&sa, "9");
		if (!ret && opregion)
			ret = vm_argv_add(&sa, "--image") || vm_argv_add(&sa, "%s", opregion);
	} else {
		ret = 0;
	}
	if (ret || vm_qemu_argv(&qc, &qa) < 0) {
		ret = -ENOMEM;
		goto close_fds;
	}
	if (server != SERVER_NONE) {
		ret = vm_proc_spawn(&srv, "server", sa.argv, &sv[1], 1, NULL, srv_err, err,
				    sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "bench: %s\n", err);
			goto close_fds;
		}
		close(sv[1]);
		sv[1] = -1;
	}
	ret = vm_proc_spawn(&q, "qemu", qa.argv, &sv[0], server != SERVER_NONE, NULL, q_err, err,
			    sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "bench: %s\n", err);
		goto kill_server;
	}
	if (sv[0] >= 0) {
		close(sv[0]);
		sv[0] = -1;
	}
	if (vm_proc_wait(&q, q.t_start + BENCH_TIMEOUT) < 0)
		vm_proc_kill(&q);
	if (server != SERVER_NONE && vm_proc_wait(&srv, vm_now() + 10) < 0)
		vm_proc_kill(&srv);
	s->qemu_wall = q.t_end - q.t_start;
	s->server_cpu = server != SERVER_NONE ? vm_proc_cpu_seconds(&srv) : 0;
	s->server_sys = server != SERVER_NONE ? (double)srv.ru.ru_stime.tv_sec +
							(double)srv.ru.ru_stime.tv_usec / 1e6
					      : 0;
	s->qemu_exit = q.exited ? q.exit_code : -1;
	s->ok = q.exited && !q.killed_by_us &&
		(server == SERVER_NONE || (srv.exited && !srv.killed_by_us));
	ret = 0;
kill_server:
	vm_proc_kill(&q);
	vm_proc_kill(&srv);
close_fds:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	vm_argv_free(&qa);
	vm_argv_free(&sa);
	return ret;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One boot configuration and the medians measured for it. */
struct bench_config {
	enum bench_server server;
	const char *kernel, *append, *opregion;
	int want_exit; /* -1: any debug-exit status */
	double wall, cpu, sys;
};

#define BENCH_MAX_REPS 64u
#define BENCH_MAX_CONFIGS 4u

/* Boots every configuration reps times, round-robin, so that load from other
 * processes on the machine falls on all of them alike; keeps the medians. */
static int measure(const struct bench_paths *p, struct bench_config *cfg, unsigned n)
{
	static double walls[BENCH_MAX_CONFIGS][BENCH_MAX_REPS], cpus[BENCH_MAX_CONFIGS][BENCH_MAX_REPS],
		syss[BENCH_MAX_CONFIGS][BENCH_MAX_REPS];
	unsigned reps = p->reps > BENCH_MAX_REPS ? BENCH_MAX_REPS : p->reps;

	if (n > BENCH_MAX_CONFIGS)
		return -EINVAL;
	for (unsigned r = 0; r < reps; r++) {
		for (unsigned c = 0; c < n; c++) {
			struct bench_sample s;
			int ret = run_once(p, cfg[c].server, cfg[c].kernel, cfg[c].append,
					   cfg[c].opregion, &s);

			if (ret < 0)
				return ret;
			if (!s.ok || (cfg[c].want_exit >= 0 && s.qemu_exit != cfg[c].want_exit)) {
				fprintf(stderr, "bench: boot failed (QEMU exit %d; want %d); see %s\n",
					s.qemu_exit, cfg[c].want_exit, p->tmp);
				return -EIO;
			}
			walls[c][r] = s.qemu_wall;
			cpus[c][r] = s.server_cpu;
			syss[c][r] = s.server_sys;
		}
	}
	for (unsigned c = 0; c < n; c++) {
		cfg[c].wall = median(walls[c], reps);
		cfg[c].cpu = median(cpus[c], reps);
		cfg[c].sys = median(syss[c], reps);
	}
	return 0;
}

static FILE *open_result(const struct bench_paths *p, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", p->out_dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
	return f;
}

static int bench_boot(const struct bench_paths *p)
{
	char image_path[PATH_MAX];
	uint8_t *host = NULL, *guest = NULL;
	size_t host_len = 0, guest_len = 0;
	struct igdpt_diag diag = { 0 };
	double with_wall, with_cpu, without_wall;
	struct json_object *obj;
	FILE *txt, *json;
	char err[PATH_MAX + 128];
	int ret = -ENOMEM;

	host = malloc(BENCH_IMAGE_CAP);
	guest = malloc(BENCH_IMAGE_CAP);
	if (!host || !guest)
		goto free_images;
	ret = igdpt_build_reference(IGDPT_BUILD_VERSION_DEFAULT, host, BENCH_IMAGE_CAP, &host_len,
				    &diag);
	if (ret >= 0)
		ret = igdpt_guest_image_policy(host, host_len, NULL, guest, BENCH_IMAGE_CAP,
					       &guest_len, &diag);
	if (ret < 0) {
		fprintf(stderr, "bench: reference image: %s\n", diag.reason ? diag.reason : "error");
		goto free_images;
	}
	snprintf(image_path, sizeof(image_path), "%s/published.bin", p->tmp);
	ret = igdpt_file_write(image_path, guest, guest_len,
			       &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err));
	if (ret < 0) {
		fprintf(stderr, "bench: %s\n", err);
		goto free_images;
	}
	/* With: the probe passes (status 1). Without: no IGD, the probe fails. */
	struct bench_config cfg[2] = {
		{ SERVER_IGDPT, p->probe, NULL, image_path, VM_DEBUG_EXIT_PASS, 0, 0, 0 },
		{ SERVER_NONE, p->probe, NULL, NULL, -1, 0, 0, 0 },
	};
	ret = measure(p, cfg, 2);
	with_wall = cfg[0].wall;
	with_cpu = cfg[0].cpu;
	without_wall = cfg[1].wall;
	unlink(image_path);
	if (ret < 0)
		goto free_images;
	txt = open_result(p, "boot.txt");
	json = open_result(p, "boot.json");
	if (!txt || !json) {
		if (txt)
			fclose(txt);
		if (json)
			fclose(json);
		ret = -EIO;
		goto free_images;
	}
	fprintf(txt, "# boot to the probe's verdict (QEMU lifetime), SeaBIOS, pc, TCG, "
		     "median of %u boots\n", p->reps);
	fprintf(txt, "with virtual IGD + OpRegion:  %.3f s (igdpt-device cpu %.4f s)\n", with_wall,
		with_cpu);
	fprintf(txt, "without:                      %.3f s\n", without_wall);
	fprintf(txt, "ratio: %.3f (target <= 1.1)\n", with_wall / without_wall);
	obj = json_object_new_object();
	json_object_object_add(obj, "boots", json_object_new_int((int)p->reps));
	json_object_object_add(obj, "with_igd_seconds", json_object_new_double(with_wall));
	json_object_object_add(obj, "device_cpu_seconds", json_object_new_double(with_cpu));
	json_object_object_add(obj, "without_igd_seconds", json_object_new_double(without_wall));
	json_object_object_add(obj, "ratio", json_object_new_double(with_wall / without_wall));
	json_object_object_add(obj, "ratio_target", json_object_new_double(1.1));
	fprintf(json, "%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY));
	json_object_put(obj);
	fclose(txt);
	fclose(json);
	ret = 0;
free_images:
	free(guest);
	free(host);
	return ret;
}

static void cat_file(const char *dir, const char *name)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "qemu", required_argument, NULL, 'q' },
		{ "device", required_argument, NULL, 'd' },
		{ "probe", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "reps", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_paths p = { .qemu = "/usr/bin/qemu-system-x86_64", .reps = 5 };
	const char *tmp = getenv("TMPDIR");
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'q': p.qemu = optarg; break;
		case 'd': p.device = optarg; break;
		case 'p': p.probe = optarg; break;
		case 'o': p.out_dir = optarg; break;
		case 'r': p.reps = (unsigned)strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc || strcmp(argv[optind], "boot") || !p.device || !p.probe ||
	    !p.out_dir || !p.reps)
		goto usage;
	if (access(p.device, X_OK)) {
		fprintf(stderr, "bench: igdpt-device not found at %s: build igdpt first\n", p.device);
		return 1;
	}
	if (mkdir(p.out_dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "bench: %s: %s\n", p.out_dir, strerror(errno));
		return 1;
	}
	snprintf(p.tmp, sizeof(p.tmp), "%s/igdpt-bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(p.tmp)) {
		fprintf(stderr, "bench: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	ret = bench_boot(&p);
	if (ret == 0) {
		cat_file(p.out_dir, "boot.txt");
		/* Logs are kept only when something failed. */
		static const char *const names[] = { "fw.log", "serial.log", "server.stderr",
						     "qemu.stderr" };
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char path[PATH_MAX];

			snprintf(path, sizeof(path), "%s/%s", p.tmp, names[i]);
			unlink(path);
		}
		rmdir(p.tmp);
	}
	return ret < 0 ? 1 : 0;
usage:
	fprintf(stderr, "usage: bench-vm boot --device PATH --probe ELF --out DIR [--qemu PATH] "
			"[--reps R]\n");
	return 2;
}
