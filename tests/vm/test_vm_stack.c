/* SPDX-License-Identifier: MIT */
/* Unit tests for igdpt vm's stacks and transports (tools/vm/vm_stack.c,
 * vm_transport.c): QEMU's --version line, the transport each QEMU version
 * gets or refuses (with why), a fetched stack found through
 * IGDPT_STACK_DIR in a synthesized root (missing, incomplete, a manifest
 * naming a missing file, complete), paths as QEMU sees them inside the
 * root, and package versions from a dpkg database. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "vm_stack.h"
#include "vm_transport.h"

static void test_version_parse(void **state)
{
	struct vm_qemu_version v;

	(void)state;
	assert_int_equal(vm_qemu_version_parse("QEMU emulator version 7.2.22 (Debian "
					       "1:7.2+dfsg-7+deb12u18+b3)\nCopyright (c)\n",
					       &v),
			 0);
	assert_int_equal(v.major, 7);
	assert_int_equal(v.minor, 2);
	assert_int_equal(v.micro, 22);
	assert_string_equal(v.text, "7.2.22");
	assert_int_equal(vm_qemu_version_parse("QEMU emulator version 10.1\n", &v), 0);
	assert_string_equal(v.text, "10.1.0");
	assert_int_equal(vm_qemu_version_parse("qemu 9\n", &v), -EINVAL);
	assert_int_equal(vm_qemu_version_parse("QEMU emulator version x.y", &v), -EINVAL);
	assert_int_equal(vm_qemu_version_parse("", &v), -EINVAL);
}

static struct vm_qemu_version version(const char *line)
{
	struct vm_qemu_version v;

	assert_int_equal(vm_qemu_version_parse(line, &v), 0);
	return v;
}

static void test_transport_choice(void **state)
{
	struct vm_qemu_version v72 = version("QEMU emulator version 7.2.22"),
			       v100 = version("QEMU emulator version 10.0.13"),
			       v101 = version("QEMU emulator version 10.1.0"),
			       v111 = version("QEMU emulator version 11.1.3");
	enum vm_transport t;
	char err[512];

	(void)state;
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_AUTO, &v72, &t, err, sizeof(err)), 0);
	assert_int_equal(t, VM_TRANSPORT_PROXY);
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_AUTO, &v101, &t, err, sizeof(err)), 0);
	assert_int_equal(t, VM_TRANSPORT_VFIO_USER);
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_AUTO, &v111, &t, err, sizeof(err)), 0);
	assert_int_equal(t, VM_TRANSPORT_VFIO_USER);
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_PROXY, &v72, &t, err, sizeof(err)), 0);
	assert_int_equal(t, VM_TRANSPORT_PROXY);

	/* Asked for what the version cannot do: refused, saying why. */
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_PROXY, &v111, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "--transport proxy: QEMU 11.1.3's x-pci-proxy-dev dies with "
				    "SIGSEGV"));
	assert_non_null(strstr(err, "use --transport vfio-user"));
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_VFIO_USER, &v72, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "QEMU 7.2.22 has no vfio-user client"));
	assert_non_null(strstr(err, "use --transport proxy"));
	/* 10.0: the proxy already segfaults, vfio-user is not there yet. */
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_AUTO, &v100, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "QEMU 10.0.13 can attach igdpt-device over neither"));
	assert_int_equal(vm_transport_choose(VM_TRANSPORT_VFIO_USER, &v100, &t, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "use QEMU 10.1 or later"));
	assert_string_equal(vm_transport_name(VM_TRANSPORT_VFIO_USER), "vfio-user");
}

/* A real QEMU's answer: the host's, when installed. */
static void test_version_query(void **state)
{
	char *const missing[] = { "/nonexistent/qemu-system-x86_64", NULL };
	char *const silent[] = { "/bin/true", NULL };
	struct vm_qemu_version v;
	char err[512];

	(void)state;
	assert_int_equal(vm_qemu_version_query(missing, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cannot run `/nonexistent/qemu-system-x86_64 --version`"));
	assert_int_equal(vm_qemu_version_query(silent, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "printed no \"QEMU emulator version X.Y\" line"));
	if (access("/usr/bin/qemu-system-x86_64", X_OK) == 0) {
		char *const qemu[] = { "/usr/bin/qemu-system-x86_64", NULL };

		assert_int_equal(vm_qemu_version_query(qemu, &v, err, sizeof(err)), 0);
		assert_true(v.major >= 7);
	}
}

struct root {
	char dir[64];
};

static void put(const char *dir, const char *rel, const char *text, mode_t mode)
{
	char path[PATH_MAX], cmd[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static const char manifest[] =
	"# comment\n"
	"IGDPT_STACK=trixie\n"
	"IGDPT_STACK_QEMU=/usr/bin/qemu-system-x86_64\n"
	"IGDPT_STACK_QEMU_VERSION=11.1.3\n"
	"IGDPT_STACK_SEABIOS=/usr/share/seabios/bios-256k.bin\n"
	"IGDPT_STACK_SEABIOS_VERSION=1.17.0\n"
	"IGDPT_STACK_OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd\n"
	"IGDPT_STACK_OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.fd\n"
	"IGDPT_STACK_OVMF_VERSION=2025.02\n"
	"IGDPT_STACK_RUN_DIR=/run\n";

static void test_fetched_stack(void **state)
{
	char dir[] = "/tmp/igdpt-stack-test.XXXXXX", path[PATH_MAX], err[PATH_MAX + 512];
	struct vm_stack s;
	int ret;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("IGDPT_STACK_DIR", dir, 1);

	/* Nothing fetched: where, and the command that fetches it. */
	assert_int_equal(vm_stack_open("trixie", &s, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "--stack trixie: not fetched"));
	assert_non_null(strstr(err, dir));
	assert_non_null(strstr(err, "($IGDPT_STACK_DIR)"));
	assert_non_null(strstr(err, "scripts/fetch-stack"));

	/* A manifest naming a file the root lacks. */
	put(dir, VM_STACK_COMPLETE, "", 0644);
	put(dir, VM_STACK_MANIFEST, manifest, 0644);
	assert_int_equal(vm_stack_open("trixie", &s, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "usr/bin/qemu-system-x86_64"));
	assert_non_null(strstr(err, "IGDPT_STACK_QEMU"));

	put(dir, "usr/bin/qemu-system-x86_64", "#!/bin/sh\n", 0755);
	put(dir, "usr/share/seabios/bios-256k.bin", "bios", 0644);
	put(dir, "usr/share/OVMF/OVMF_CODE_4M.fd", "code", 0644);
	put(dir, "usr/share/OVMF/OVMF_VARS_4M.fd", "vars", 0644);
	snprintf(path, sizeof(path), "%s/run", dir);
	mkdir(path, 0755);
	ret = vm_stack_open("trixie", &s, err, sizeof(err));
	if (geteuid() != 0) {
		assert_int_equal(ret, -EPERM);
		assert_non_null(strstr(err, "needs root"));
	} else {
		assert_int_equal(ret, 0);
	}
	assert_string_equal(s.root, dir);
	snprintf(path, sizeof(path), "%s/usr/share/seabios/bios-256k.bin", dir);
	assert_string_equal(s.seabios, path);
	snprintf(path, sizeof(path), "%s/run", dir);
	assert_string_equal(s.run_parent, path);
	assert_string_equal(s.qemu_version, "11.1.3");
	assert_string_equal(s.seabios_version, "1.17.0");
	assert_string_equal(s.ovmf_version, "2025.02");
	assert_true(s.desc->fetched);

	/* QEMU's view: below the root; outside it, nothing. */
	snprintf(path, sizeof(path), "%s/run/igdpt-vm.x/fw.log", dir);
	assert_string_equal(vm_stack_qemu_view(&s, path), "/run/igdpt-vm.x/fw.log");
	assert_null(vm_stack_qemu_view(&s, "/work/build/guest/probe.elf"));
	snprintf(path, sizeof(path), "%sX/run", dir);
	assert_null(vm_stack_qemu_view(&s, path));

	unsetenv("IGDPT_STACK_DIR");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_host_stack_and_names(void **state)
{
	char buf[128], err[256];
	struct vm_stack s;

	(void)state;
	assert_int_equal(vm_stack_open(NULL, &s, err, sizeof(err)), 0);
	assert_string_equal(s.desc->name, "bookworm");
	assert_false(s.desc->fetched);
	assert_string_equal(s.root, "");
	assert_string_equal(vm_stack_qemu_view(&s, "/any/path"), "/any/path");
	assert_int_equal(vm_stack_open("sid", &s, err, sizeof(err)), -ENOENT);
	assert_null(vm_stack_find("sid"));
	vm_stack_names(buf, sizeof(buf));
	assert_string_equal(buf, "bookworm|trixie");
	vm_stack_seen_versions("seabios", NULL, buf, sizeof(buf));
	assert_string_equal(buf, "1.16.2 and 1.17.0");
	vm_stack_seen_versions("seabios", "1.17.0", buf, sizeof(buf));
	assert_string_equal(buf, "1.16.2");
	vm_stack_seen_versions("ovmf", "2022.11", buf, sizeof(buf));
	assert_string_equal(buf, "2025.02");
}

static void test_dpkg_version(void **state)
{
	char dir[] = "/tmp/igdpt-dpkg-test.XXXXXX", buf[32], cmd[PATH_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "var/lib/dpkg/status",
	    "Package: seabios\nStatus: deinstall ok config-files\nVersion: 1.14.0-2\n\n"
	    "Package: qemu-system-x86\nStatus: install ok installed\n"
	    "Version: 1:7.2+dfsg-7+deb12u18+b3\n\n"
	    "Package: ovmf\nStatus: install ok installed\nVersion: 2022.11-6+deb12u2\n",
	    0644);
	assert_int_equal(vm_dpkg_upstream_version(dir, "ovmf", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2022.11");
	assert_int_equal(vm_dpkg_upstream_version(dir, "qemu-system-x86", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "7.2");
	/* Removed, or never there. */
	assert_int_equal(vm_dpkg_upstream_version(dir, "seabios", buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "");
	assert_int_equal(vm_dpkg_upstream_version(dir, "mtools", buf, sizeof(buf)), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_parse),
		cmocka_unit_test(test_transport_choice),
		cmocka_unit_test(test_version_query),
		cmocka_unit_test(test_fetched_stack),
		cmocka_unit_test(test_host_stack_and_names),
		cmocka_unit_test(test_dpkg_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
