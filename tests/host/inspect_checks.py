#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""igdpt inspect's checks of what users trip on (issue 12, item 5), each on a
synthesized host tree, each with its golden output:

- a boot framebuffer on the IGD (efifb, simpledrm's BOOTFB in /proc/iomem
  inside BAR2; a framebuffer driver bound while /proc/iomem hides its
  addresses; one on another GPU, which is fine);
- a binding that will not survive a reboot (driver_override alone), one that
  will (vfio-pci.ids on the command line, in modprobe.d), and one that loses
  the race to i915;
- the ROM absent, unreadable, not a ROM;
- an SR-IOV virtual function (no OpRegion: the parent's VBT instead);
- physical address bits: a 39-bit CPU, a 39-bit IOMMU under a 46-bit CPU;
- the VFIO device cdev without the group interface, and igdpt dump taking
  the cdev path (VFIO_DEVICE_BIND_IOMMUFD) with the real system calls.
Usage: inspect_checks.py IGDPT_BINARY
"""
import json
import os
import sys

from host_tree import (CORPUS, Tree, check, config, corpus, failures, golden, run,
                       standard_bridges)

ASLS = 0x8C7FD018
BAR0 = (0xF0000000, 0xF0FFFFFF)
BAR2 = (0xE0000000, 0xEFFFFFFF)
# A real VT-d capability register: MGAW 38 + 1 = 39 bits.
VTD_CAP_39 = "d2008c40660462"
# MGAW 47 + 1 = 48 bits.
VTD_CAP_48 = "d2008c406f0462"


def resource(bars):
    lines = []
    for i in range(6):
        start, end = bars.get(i, (0, 0))
        lines.append("0x%016x 0x%016x 0x%016x" % (start, end, 0x140204 if end else 0))
    return "\n".join(lines) + "\n"


def tree(name, driver="vfio-pci", bdf="0000:00:02.0", cls=0x030000, rom=None, cmdline=None,
         override=None, iomem=None, cpu_bits=None, vtd=None, opregion=True):
    op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
    t = Tree(name)
    t.pci(bdf, 0x8086, 0x5916, cls, driver=driver, group=1,
          cfg=config(0x8086, 0x5916, cls, 0x0281, ASLS if opregion else 0))
    d = "sys/bus/pci/devices/%s/" % bdf
    t.write(d + "resource", resource({0: BAR0, 2: BAR2}))
    standard_bridges(t)
    t.kernel("6.12.0-igdpt-test")
    t.devmem([(ASLS, op)])
    t.write("proc/cmdline", (cmdline or "BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on") + "\n")
    if override:
        t.write(d + "driver_override", override + "\n")
    if rom is not None:
        if rom == "dir":
            t.mkdir(d + "rom")
        else:
            t.write(d + "rom", rom)
    if iomem is not None:
        t.write("proc/iomem", iomem)
    if cpu_bits:
        t.write("proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\naddress sizes\t: "
                "%d bits physical, 48 bits virtual\n" % cpu_bits)
    for i, cap in enumerate(vtd or []):
        t.write("sys/class/iommu/dmar%d/intel-iommu/cap" % i, cap + "\n")
    return t


def inspect(t, gname, *extra):
    rc, out, err = run(t, "inspect", "--root", t.root, *extra)
    golden(gname + ".txt", out)
    _, js, _ = run(t, "inspect", "--json", "--root", t.root, *extra)
    return rc, out, json.loads(js)["igds"][0]


def framebuffers():
    print("== boot framebuffers")
    iomem = ("%08x-%08x : PCI Bus 0000:00\n"
             "  %08x-%08x : 0000:00:02.0\n"
             "    %08x-%08x : efifb\n" % (0xC0000000, 0xFEBFFFFF, BAR2[0], BAR2[1], BAR2[0],
                                           BAR2[0] + 0x7E8FFF))
    t = tree("efifb", iomem=iomem)
    t.mkdir("sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0")
    try:
        rc, out, j = inspect(t, "fb-efifb")
        check(rc == 1 and "blocker: the boot framebuffer efifb holds 0xe0000000-0xe07e8fff inside "
              "BAR2" in out and "video=efifb:off" in out,
              "efifb inside BAR2: a blocker, fixed with video=efifb:off")
        check(j["framebuffers"] == [{"name": "efifb", "start": "0xe0000000", "end": "0xe07e8fff",
                                     "bar": 2}] and
              j["framebuffer_drivers"] == ["efi-framebuffer (efi-framebuffer.0)"],
              "inspect --json: the framebuffer and its driver")
    finally:
        t.cleanup()
    iomem = ("  %08x-%08x : 0000:00:02.0\n    %08x-%08x : BOOTFB\n      %08x-%08x : simpledrm\n"
             % (BAR2[0], BAR2[1], BAR2[0], BAR2[0] + 0x3FFFFF, BAR2[0], BAR2[0] + 0x3FFFFF))
    t = tree("simpledrm", iomem=iomem)
    t.mkdir("sys/bus/platform/drivers/simple-framebuffer/simple-framebuffer.0")
    try:
        rc, out, _ = inspect(t, "fb-simpledrm")
        check(rc == 1 and "boot framebuffer BOOTFB" in out and "boot framebuffer simpledrm" in out
              and "initcall_blacklist=sysfb_init" in out,
              "simpledrm (BOOTFB) inside BAR2: blockers fixed with initcall_blacklist=sysfb_init")
    finally:
        t.cleanup()
    # Not root: /proc/iomem shows zeros; a bound driver is a caution.
    t = tree("fb-hidden", iomem="00000000-00000000 : PCI Bus 0000:00\n  00000000-00000000 : "
             "efifb\n")
    t.mkdir("sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0")
    try:
        rc, out, j = inspect(t, "fb-hidden")
        check(j["iomem_hidden"] and "caution: a boot framebuffer driver is bound: "
              "efi-framebuffer (efi-framebuffer.0); /proc/iomem hides" in out and
              not j["framebuffers"], "a bound driver with /proc/iomem hidden: a caution")
    finally:
        t.cleanup()
    # The framebuffer on another GPU's BAR: nothing to fix on the IGD.
    t = tree("fb-elsewhere", iomem="  a0000000-a0ffffff : 0000:01:00.0\n    a0000000-a07fffff "
             ": efifb\n")
    t.mkdir("sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0")
    try:
        rc, out, j = inspect(t, "fb-elsewhere")
        check(not j["framebuffers"] and "framebuffer" not in " ".join(j["blockers"] + j["cautions"]),
              "efifb on another GPU: not the IGD's problem")
    finally:
        t.cleanup()


def binding():
    print("== binding at boot")
    t = tree("override", override="vfio-pci")
    try:
        rc, out, j = inspect(t, "bind-override")
        check(rc == 0 and "caution: bound to vfio-pci through driver_override, which lasts until "
              "the next boot" in out and "vfio-pci.ids=8086:5916" in out and
              j["driver_override"] == "vfio-pci" and j["boot_binding"] is None,
              "driver_override alone: a caution with the permanent fix")
    finally:
        t.cleanup()
    t = tree("cmdline", cmdline="root=/dev/sda1 intel_iommu=on vfio-pci.ids=10de:1c82,8086:5916")
    try:
        rc, out, j = inspect(t, "bind-cmdline")
        check(j["boot_binding"] == "/proc/cmdline vfio-pci.ids" and "lasts until" not in out,
              "vfio-pci.ids on the command line: permanent, no caution")
    finally:
        t.cleanup()
    t = tree("modprobe")
    t.write("etc/modprobe.d/vfio.conf", "# igd\noptions vfio-pci ids=8086:5916:17aa:2245 "
            "disable_vga=1\nsoftdep i915 pre: vfio-pci\n")
    try:
        rc, out, j = inspect(t, "bind-modprobe")
        check(j["boot_binding"] == "/etc/modprobe.d/vfio.conf" and "lasts until" not in out,
              "options vfio-pci ids= in modprobe.d (with subsystem ids): permanent")
    finally:
        t.cleanup()
    t = tree("lost-race", driver="i915")
    t.write("etc/modprobe.d/vfio.conf", "options vfio_pci ids=8086:5916\n")
    try:
        rc, out, _ = inspect(t, "bind-race")
        check("caution: /etc/modprobe.d/vfio.conf names 8086:5916 for vfio-pci, yet i915 took "
              "the device first" in out and "softdep i915 pre: vfio-pci" in out,
              "ids in modprobe.d but i915 bound: load vfio-pci first")
    finally:
        t.cleanup()


def roms():
    print("== the ROM")
    for name, rom, needle in (
            ("rom-absent", None, "caution: no ROM (sysfs has no rom for 0000:00:02.0)"),
            ("rom-unreadable", "dir", "caution: the ROM is unreadable (cannot read "
                                      "/sys/bus/pci/devices/0000:00:02.0/rom: Is a directory)"),
            ("rom-not-a-rom", b"\x00" * 4096, "caution: sysfs rom is no PCI option ROM")):
        t = tree(name, rom=rom)
        try:
            rc, out, _ = inspect(t, name)
            check(needle in out, "%s: %s" % (name, needle))
        finally:
            t.cleanup()


def sriov():
    print("== an SR-IOV virtual function")
    t = tree("vf", bdf="0000:00:02.1", opregion=False)
    t.pci("0000:00:02.0", 0x8086, 0x5916, 0x030000, driver="i915", group=0,
          cfg=config(0x8086, 0x5916, 0x030000, 0x0281, ASLS))
    t.link("sys/bus/pci/devices/0000:00:02.1/physfn", "../0000:00:02.0")
    t.debugfs(3, "0000:00:02.0", corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin"))
    try:
        rc, out, j = inspect(t, "sriov-vf", "--device", "00:02.1")
        check(j["sriov_physfn"] == "0000:00:02.0" and
              "caution: 0000:00:02.1 is an SR-IOV virtual function of 0000:00:02.0" in out and
              "cp /sys/kernel/debug/dri/3/i915_vbt vbt.bin; igdpt build --vbt vbt.bin --guest" in out
              and "blocker: ASLS" not in out,
              "a VF: no ASLS blocker, the parent's VBT through igdpt build --vbt instead")
    finally:
        t.cleanup()


def address_bits():
    print("== physical address bits")
    for name, cpu, vtd, needle in (
            ("bits-39", 39, [VTD_CAP_39], "this host has 39 physical address bits"),
            ("bits-iommu-narrow", 46, [VTD_CAP_48, VTD_CAP_39],
             "the IOMMU translates 39 bits (VT-d MGAW), fewer than the CPU's 46"),
            ("bits-fine", 46, [VTD_CAP_48], None)):
        t = tree(name, cpu_bits=cpu, vtd=vtd)
        try:
            rc, out, j = inspect(t, name)
            if needle:
                check(needle in out and "host-phys-bits-limit=39" in out and
                      "maxphysaddr mode='passthrough' limit='39'" in out and
                      "cpu: host,phys-bits=39" in out and "VFIO_MAP_DMA" in out,
                      "%s: caution with QEMU, libvirt and Proxmox fixes" % name)
            else:
                check("VFIO_MAP_DMA" not in out and j["address_bits"] == {"cpu": 46, "iommu": 48},
                      "46-bit CPU, 48-bit IOMMU: nothing to limit")
        finally:
            t.cleanup()


def vfio_cdev():
    print("== the VFIO device cdev")
    t = tree("cdev-only")
    t.write("sys/bus/pci/devices/0000:00:02.0/vfio-dev/vfio0/dev", "237:0\n")
    t.write("dev/vfio/devices/vfio0", b"")
    t.write("dev/iommu", b"")
    try:
        rc, out, j = inspect(t, "vfio-cdev-only")
        check(j["vfio"] == {"group": None, "cdev": "/dev/vfio/devices/vfio0", "cdev_node": True,
                            "iommufd": True} and
              "-object iommufd,id=iommufd0 -device vfio-pci,host=0000:00:02.0,iommufd=iommufd0"
              in out, "cdev without the group interface: QEMU's iommufd backend named")
        # dump takes the cdev path with the real system calls: the plain
        # files of the tree answer the bind with ENOTTY.
        rc, _, err = run(t, "dump", "--source", "vfio", "--root", t.root, "-o", t.path("x.bin"))
        check(rc == 2 and "/dev/vfio/devices/vfio0: VFIO_DEVICE_BIND_IOMMUFD: Inappropriate "
              "ioctl for device (not a VFIO device cdev)" in err,
              "dump --source vfio goes through the cdev: %s" % err.strip())
        t.write("dev/vfio/1", b"")
        t.write("dev/vfio/vfio", b"")
        rc, out, j = inspect(t, "vfio-group-and-cdev")
        check("VFIO:         group /dev/vfio/1, cdev /dev/vfio/devices/vfio0, /dev/iommu" in out and
              "iommufd,id" not in out, "group and cdev: both listed, nothing to do")
    finally:
        t.cleanup()


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "opregion")):
        print("IGDPT_CORPUS not set or without opregion/: skipping")
        return 77
    framebuffers()
    binding()
    roms()
    sriov()
    address_bits()
    vfio_cdev()
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall inspect checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
