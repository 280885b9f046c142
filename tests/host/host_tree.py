# SPDX-License-Identifier: MIT
"""Synthesized host trees for the host tests: PCI sysfs, IOMMU groups, i915
debugfs, a sparse /dev/mem, and the harness that runs igdpt on them (checks,
golden files, schema validation of every --json output).

IGDPT_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import schema_check

IGDPT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "igdpt"
SRC = os.environ["IGDPT_SOURCE_ROOT"]
CORPUS = os.environ.get("IGDPT_CORPUS", "")
GOLDEN = os.path.join(SRC, "tests", "host", "golden")
UPDATE = bool(os.environ.get("IGDPT_UPDATE_GOLDEN"))

# OpRegion offsets (include/igdpt/abi/opregion.h)
OVER_MINOR, OVER_MAJOR = 0x16, 0x17
MBOX4, MBOX4_SIZE = 0x400, 0x1800
RVDA, RVDS = 0x3BA, 0x3C2
BASE = 0x2000

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    else:
        print("ok:  ", what)


def corpus(rel):
    with open(os.path.join(CORPUS, rel), "rb") as f:
        return f.read()


def vbt_size(vbt):
    return struct.unpack_from("<H", vbt, 0x18)[0]


def config(vendor, device, cls, ggc, asls):
    c = bytearray(256)
    struct.pack_into("<HH", c, 0, vendor, device)
    c[0x09], c[0x0A], c[0x0B] = cls & 0xFF, (cls >> 8) & 0xFF, cls >> 16
    struct.pack_into("<H", c, 0x50, ggc)
    struct.pack_into("<I", c, 0xFC, asls)
    return bytes(c)


class Tree:
    """A machine under a temporary root, laid out like Linux sysfs."""

    def __init__(self, name, sysfs_links=False):
        """sysfs_links: device directories under sys/devices/pci0000:00 with
        relative symlinks from sys/bus/pci/devices, as Linux lays them out."""
        self.root = tempfile.mkdtemp(prefix="igdpt-host-%s-" % name)
        self.sysfs_links = sysfs_links
        self.mkdir("sys/bus/pci/devices")

    def path(self, rel):
        return os.path.join(self.root, rel)

    def mkdir(self, rel):
        os.makedirs(self.path(rel), exist_ok=True)

    def write(self, rel, data):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        with open(self.path(rel), "wb" if isinstance(data, bytes) else "w") as f:
            f.write(data)

    def link(self, rel, target):
        os.makedirs(os.path.dirname(self.path(rel)), exist_ok=True)
        os.symlink(target, self.path(rel))

    def pci(self, bdf, vendor, device, cls, driver=None, group=None, cfg=None,
            subsys=(0x8086, 0x2212)):
        d = "sys/bus/pci/devices/" + bdf
        if self.sysfs_links and not os.path.lexists(self.path(d)):
            self.mkdir("sys/devices/pci0000:00/" + bdf)
            self.link(d, "../../../devices/pci0000:00/" + bdf)
        self.write(d + "/vendor", "0x%04x\n" % vendor)
        self.write(d + "/device", "0x%04x\n" % device)
        self.write(d + "/class", "0x%06x\n" % cls)
        self.write(d + "/subsystem_vendor", "0x%04x\n" % subsys[0])
        self.write(d + "/subsystem_device", "0x%04x\n" % subsys[1])
        self.write(d + "/config", cfg if cfg else config(vendor, device, cls, 0, 0)[:64])
        if driver:
            self.mkdir("sys/bus/pci/drivers/" + driver)
            self.link(d + "/driver", "../../drivers/" + driver)
        if group is not None:
            self.link("sys/kernel/iommu_groups/%d/devices/%s" % (group, bdf),
                      "../../../../bus/pci/devices/" + bdf)
            self.link(d + "/iommu_group", "../../../../kernel/iommu_groups/%d" % group)

    def kernel(self, release):
        self.write("proc/sys/kernel/osrelease", release + "\n")

    def debugfs(self, minor, bdf, opregion, vbt=None):
        d = "sys/kernel/debug/dri/%d/" % minor
        self.write(d + "name", "i915 dev=%s unique=%s\n" % (bdf, bdf))
        self.write(d + "i915_opregion", opregion)
        if vbt is not None:
            self.write(d + "i915_vbt", vbt)

    def devmem(self, pieces):
        """A sparse file with each (physical address, bytes) in place."""
        self.mkdir("dev")
        with open(self.path("dev/mem"), "wb") as f:
            for addr, data in pieces:
                f.seek(addr)
                f.write(data)

    def vfio_nodes(self, group):
        """Plain files where /dev/vfio nodes would be: ioctls fail on them."""
        self.write("dev/vfio/vfio", b"")
        self.write("dev/vfio/%d" % group, b"")

    def cleanup(self):
        shutil.rmtree(self.root)


SCHEMA_SKIP = schema_check.available()


def run(tree, *args):
    """Runs igdpt; every --json output is also checked against its schema."""
    p = subprocess.run([IGDPT] + list(args), capture_output=True, text=True, timeout=60)
    out = p.stdout.replace(tree.root, "@ROOT@") if tree else p.stdout
    err = p.stderr.replace(tree.root, "@ROOT@") if tree else p.stderr
    if "--json" in args and p.stdout and not SCHEMA_SKIP:
        errors = schema_check.errors(args[0], p.stdout)
        for e in errors[:10]:
            print("      " + e)
        check(not errors, "%s --json conforms to docs/schema/%s.schema.json" % (args[0], args[0]))
    return p.returncode, out, err


def golden(name, text):
    path = os.path.join(GOLDEN, name)
    if UPDATE:
        with open(path, "w") as f:
            f.write(text)
    try:
        with open(path) as f:
            want = f.read()
    except FileNotFoundError:
        want = None
    check(want == text, "output matches golden %s" % name)
    if want is not None and want != text:
        import difflib
        sys.stdout.writelines(difflib.unified_diff(
            want.splitlines(True), text.splitlines(True), "golden/" + name, "actual"))


def standard_bridges(tree, host=0x5904, lpc=0x9D58):
    tree.pci("0000:00:00.0", 0x8086, host, 0x060000)
    tree.pci("0000:00:1f.0", 0x8086, lpc, 0x060100)


def with_extended_vbt(base, vbt, version, rvda):
    op = bytearray(base)
    op[MBOX4:MBOX4 + MBOX4_SIZE] = bytes(MBOX4_SIZE)
    op[OVER_MAJOR], op[OVER_MINOR] = version
    struct.pack_into("<QI", op, RVDA, rvda, len(vbt))
    return bytes(op)


