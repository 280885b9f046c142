/* SPDX-License-Identifier: MIT */
/* Benchmark of the virtual IGD: boot-to-verdict wall time of the guest
 * probe with the virtual IGD and an OpRegion, against the same boot without
 * them, on each stack in one run (docs/stacks.md): bookworm's QEMU 7.2 with
 * the device over x-pci-proxy-dev, trixie's QEMU 11.1 (chroot into the root
 * scripts/fetch-stack builds) with the device over vfio-user. Boots go
 * round-robin over all configurations, so load from elsewhere falls on all
 * alike. Numbers go to DIR/boot.{txt,json}. (The cost of one config access,
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
#include "vm_locate.h"
#include "vm_proc.h"
#include "vm_qemu.h"
#include "vm_setup.h"
#include "vm_stack.h"
#include "vm_transport.h"

#define BENCH_RAM_MIB 128u
#define BENCH_SEABIOS "/usr/share/seabios/bios-256k.bin"
#define BENCH_TIMEOUT 300.0
#define BENCH_IMAGE_CAP (64u << 10)

/* igdpt-device logs its start event once it serves (over vfio-user:
 * listens); QEMU, the client, may start then. */
#define BENCH_DEVICE_START_SECONDS 30.0

/* One stack: where its QEMU runs and this benchmark's files for it. */
struct bench_stack {
	const char *name;
	bool fetched;               /* QEMU under chroot, files inside root */
	struct vm_stack s;
	char chroot[PATH_MAX];
	struct vm_workdir w;        /* the run's files (in ROOT/run for a fetched stack) */
	char probe[PATH_MAX];       /* the probe, staged into w for a fetched stack */
};

struct bench_paths {
	const char *qemu, *device, *probe, *out_dir;
	unsigned reps;
	struct bench_stack stacks[2];
	unsigned nstacks;
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

/* A host path as the stack's QEMU opens it. */
static const char *view(const struct bench_stack *st, const char *path)
{
	const char *v = path ? vm_stack_qemu_view(&st->s, path) : NULL;

	return v ? v : path;
}

/* Waits for igdpt-device's start event in its log. */
static int wait_started(const char *log, struct vm_proc *srv)
{
	double deadline = vm_now() + BENCH_DEVICE_START_SECONDS;

	while (vm_now() < deadline) {
		uint8_t *text = NULL;
		size_t len = 0;
		bool started = false;

		if (igdpt_file_read(log, &text, &len, NULL) == 0) {
			static const char start[] = "\"event\":\"start\"";

			started = memmem(text, len, start, sizeof(start) - 1) != NULL;
			free(text);
		}
		if (started)
			return 0;
		if (vm_proc_wait(srv, vm_now() + 0.005) == 0)
			return -EIO;
	}
	return -ETIMEDOUT;
}

static int run_once(const struct bench_paths *p, const struct bench_stack *st,
		    enum bench_server server, const char *kernel, const char *append,
		    const char *opregion, struct bench_sample *s)
{
	char err[PATH_MAX + 128];
	bool vfio_user = st->fetched;
	struct vm_qemu_config qc = {
		.chroot = st->fetched ? st->chroot : NULL,
		.root = st->fetched ? st->s.root : NULL,
		.qemu = st->fetched ? view(st, st->s.qemu) : p->qemu,
		.machine = "pc",
		.bios = view(st, st->fetched ? st->s.seabios : BENCH_SEABIOS),
		.kernel = view(st, kernel),
		.append = append,
		.mem_mib = BENCH_RAM_MIB,
		.igd_fd = -1,
		.lpc_fd = -1,
		.opregion = view(st, opregion),
		.fw_log = view(st, st->w.fw_log),
		.serial_log = view(st, st->w.serial),
	};
	struct vm_argv qa = { 0 }, sa = { 0 };
	struct vm_proc q = { 0 }, srv = { 0 };
	int sv[2] = { -1, -1 }, ret;

	memset(s, 0, sizeof(*s));
	unlink(st->w.device_log);
	if (server != SERVER_NONE && !vfio_user) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return -errno;
		qc.igd_fd = sv[0];
	}
	if (server != SERVER_NONE && vfio_user)
		qc.vfio_user_socket = view(st, st->w.socket);
	if (server == SERVER_IGDPT) {
		ret = vm_argv_add(&sa, "%s", p->device) ||
		      (vfio_user ? vm_argv_add(&sa, "--vfio-user") ||
					   vm_argv_add(&sa, "%s", st->w.socket)
				 : vm_argv_add(&sa, "--igd-fd") || vm_argv_add(&sa, "%d", sv[1])) ||
		      vm_argv_add(&sa, "--generation") || vm_argv_add(&sa, "9") ||
		      vm_argv_add(&sa, "--log") || vm_argv_add(&sa, "%s", st->w.device_log);
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
		ret = vm_proc_spawn(&srv, "server", sa.argv, &sv[1], !vfio_user, NULL,
				    st->w.device_err, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "bench: %s\n", err);
			goto close_fds;
		}
		if (sv[1] >= 0) {
			close(sv[1]);
			sv[1] = -1;
		}
		/* Over vfio-user QEMU connects at once: the device must listen. */
		if (vfio_user && (ret = wait_started(st->w.device_log, &srv)) < 0) {
			fprintf(stderr, "bench: igdpt-device did not start (see %s)\n",
				st->w.device_err);
			goto kill_server;
		}
	}
	ret = vm_proc_spawn(&q, "qemu", qa.argv, &sv[0], sv[0] >= 0, NULL, st->w.qemu_err, err,
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
	const struct bench_stack *stack;
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
			int ret = run_once(p, cfg[c].stack, cfg[c].server, cfg[c].kernel,
					   cfg[c].append, cfg[c].opregion, &s);

			if (ret < 0)
				return ret;
			if (!s.ok || (cfg[c].want_exit >= 0 && s.qemu_exit != cfg[c].want_exit)) {
				fprintf(stderr, "bench: %s boot failed (QEMU exit %d; want %d); see %s\n",
					cfg[c].stack->name, s.qemu_exit, cfg[c].want_exit,
					cfg[c].stack->w.dir);
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

/* The guest-ready reference OpRegion, written into each stack's directory. */
static int write_images(struct bench_paths *p)
{
	uint8_t *host = malloc(BENCH_IMAGE_CAP), *guest = malloc(BENCH_IMAGE_CAP);
	size_t host_len = 0, guest_len = 0;
	struct igdpt_diag diag = { 0 };
	char err[PATH_MAX + 128];
	int ret = -ENOMEM;

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
	for (unsigned i = 0; i < p->nstacks && ret >= 0; i++) {
		ret = igdpt_file_write(p->stacks[i].w.published, guest, guest_len,
				       &(struct igdpt_diag)IGDPT_DIAG_MESSAGE(err));
		if (ret < 0)
			fprintf(stderr, "bench: %s\n", err);
	}
free_images:
	free(guest);
	free(host);
	return ret;
}

static int bench_boot(struct bench_paths *p)
{
	struct bench_config cfg[BENCH_MAX_CONFIGS];
	struct json_object *obj, *arr;
	unsigned n = 0;
	FILE *txt, *json;
	int ret;

	ret = write_images(p);
	if (ret < 0)
		return ret;
	/* With: the probe passes (status 1). Without: no IGD, the probe fails. */
	for (unsigned i = 0; i < p->nstacks; i++) {
		const struct bench_stack *st = &p->stacks[i];

		cfg[n++] = (struct bench_config){ st, SERVER_IGDPT, st->probe, NULL, st->w.published,
						  VM_DEBUG_EXIT_PASS, 0, 0, 0 };
		cfg[n++] = (struct bench_config){ st, SERVER_NONE, st->probe, NULL, NULL, -1, 0, 0, 0 };
	}
	ret = measure(p, cfg, n);
	if (ret < 0)
		return ret;
	txt = open_result(p, "boot.txt");
	json = open_result(p, "boot.json");
	if (!txt || !json) {
		if (txt)
			fclose(txt);
		if (json)
			fclose(json);
		return -EIO;
	}
	fprintf(txt, "# boot to the probe's verdict (QEMU lifetime), SeaBIOS, pc, TCG, "
		     "median of %u boots per configuration, round-robin\n", p->reps);
	obj = json_object_new_object();
	arr = json_object_new_array();
	json_object_object_add(obj, "boots", json_object_new_int((int)p->reps));
	for (unsigned c = 0; c < n; c += 2) {
		const struct bench_stack *st = cfg[c].stack;
		struct json_object *one = json_object_new_object();
		double ratio = cfg[c].wall / cfg[c + 1].wall;

		fprintf(txt, "%s (QEMU %s, SeaBIOS %s, igdpt-device over %s):\n", st->name,
			st->s.qemu_version[0] ? st->s.qemu_version : "?",
			st->s.seabios_version[0] ? st->s.seabios_version : "?",
			st->fetched ? "vfio-user" : "proxy");
		fprintf(txt, "  with virtual IGD + OpRegion:  %.3f s (igdpt-device cpu %.4f s)\n",
			cfg[c].wall, cfg[c].cpu);
		fprintf(txt, "  without:                      %.3f s\n", cfg[c + 1].wall);
		fprintf(txt, "  ratio: %.3f (target <= 1.1)\n", ratio);
		json_object_object_add(one, "stack", json_object_new_string(st->name));
		json_object_object_add(one, "transport",
				       json_object_new_string(st->fetched ? "vfio-user" : "proxy"));
		json_object_object_add(one, "qemu_version", json_object_new_string(st->s.qemu_version));
		json_object_object_add(one, "with_igd_seconds", json_object_new_double(cfg[c].wall));
		json_object_object_add(one, "device_cpu_seconds", json_object_new_double(cfg[c].cpu));
		json_object_object_add(one, "without_igd_seconds",
				       json_object_new_double(cfg[c + 1].wall));
		json_object_object_add(one, "ratio", json_object_new_double(ratio));
		json_object_array_add(arr, one);
	}
	for (unsigned i = p->nstacks; i < sizeof(p->stacks) / sizeof(p->stacks[0]); i++)
		if (p->stacks[i].name)
			fprintf(txt, "%s: skipped\n", p->stacks[i].name);
	json_object_object_add(obj, "stacks", arr);
	json_object_object_add(obj, "ratio_target", json_object_new_double(1.1));
	fprintf(json, "%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY));
	json_object_put(obj);
	fclose(txt);
	fclose(json);
	return 0;
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

/* Opens a stack and its directory: TMPDIR for the host's, ROOT/run for a
 * fetched one (with the probe put there, where its QEMU can open it). 1:
 * the stack cannot run here (said on stderr, skipped). */
static int open_stack(struct bench_paths *p, const char *name, struct bench_stack *st)
{
	char err[PATH_MAX + 512];
	struct vm_qemu_version v;
	int ret;

	memset(st, 0, sizeof(*st));
	st->name = name;
	if (vm_stack_open(name, &st->s, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: %s: skipped: %s\n", name, err);
		return 1;
	}
	st->fetched = st->s.desc->fetched;
	snprintf(st->chroot, sizeof(st->chroot), "%s", VM_CHROOT_FALLBACK);
	ret = st->fetched ? vm_workdir_create_in(&st->w, st->s.run_parent, name, err, sizeof(err))
			  : vm_workdir_create(&st->w, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "bench: %s\n", err);
		return -EIO;
	}
	if (st->fetched) {
		ret = vm_workdir_stage(&st->w, p->probe, "probe.elf", st->probe, sizeof(st->probe),
				       err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "bench: %s\n", err);
			return ret;
		}
	} else {
		char *const argv[] = { (char *)p->qemu, NULL };

		snprintf(st->probe, sizeof(st->probe), "%s", p->probe);
		if (vm_qemu_version_query(argv, &v, err, sizeof(err)) == 0)
			snprintf(st->s.qemu_version, sizeof(st->s.qemu_version), "%s", v.text);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "qemu", required_argument, NULL, 'q' },
		{ "device", required_argument, NULL, 'd' },
		{ "probe", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "reps", required_argument, NULL, 'r' },
		{ "stacks", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_paths p = { .qemu = "/usr/bin/qemu-system-x86_64", .reps = 5 };
	char names[64] = "bookworm,trixie", *name, *save = NULL;
	bool failed = false;
	int opt, ret = 0;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'q': p.qemu = optarg; break;
		case 'd': p.device = optarg; break;
		case 'p': p.probe = optarg; break;
		case 'o': p.out_dir = optarg; break;
		case 'r': p.reps = (unsigned)strtoul(optarg, NULL, 0); break;
		case 's': snprintf(names, sizeof(names), "%s", optarg); break;
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
	for (name = strtok_r(names, ",", &save); name && p.nstacks < 2 && ret >= 0;
	     name = strtok_r(NULL, ",", &save)) {
		ret = open_stack(&p, name, &p.stacks[p.nstacks]);
		if (ret == 0)
			p.nstacks++;
		else if (ret < 0)
			vm_workdir_remove(&p.stacks[p.nstacks].w);
	}
	if (ret >= 0 && p.nstacks)
		ret = bench_boot(&p);
	failed = ret < 0 || !p.nstacks;
	if (!failed)
		cat_file(p.out_dir, "boot.txt");
	/* The files of a failed run are kept to look at. */
	for (unsigned i = 0; i < p.nstacks; i++) {
		if (failed)
			fprintf(stderr, "bench: %s's files kept in %s\n", p.stacks[i].name,
				p.stacks[i].w.dir);
		else
			vm_workdir_remove(&p.stacks[i].w);
	}
	return failed ? 1 : 0;
usage:
	fprintf(stderr, "usage: bench-vm boot --device PATH --probe ELF --out DIR [--qemu PATH] "
			"[--reps R] [--stacks bookworm,trixie]\n");
	return 2;
}
