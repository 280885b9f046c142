#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host-side tests: fake sysfs/debugfs/dev trees, the built igdpt, golden files.

Each scenario builds a machine under a temporary root (PCI sysfs, IOMMU
groups, i915 debugfs, a sparse /dev/mem with the OpRegion at ASLS) from real
corpus data, runs `igdpt inspect|dump|qemu-args --root`, and compares the
output with tests/host/golden/ (the root path is replaced by @ROOT@).
IGDPT_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
Usage: run_host_tests.py IGDPT_BINARY
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

from host_tree import (BASE, CORPUS, IGDPT, OVER_MAJOR, OVER_MINOR, RVDA, SCHEMA_SKIP, Tree,
                       check, config, corpus, failures, golden, run, standard_bridges,
                       vbt_size, with_extended_vbt)


def peer_ports(vbt_file):
    """DVO port codes intel_vbt_decode reports for a file's child devices."""
    p = subprocess.run(["intel_vbt_decode", "--file", vbt_file], capture_output=True,
                       text=True, timeout=60)
    return [int(m, 16) for m in re.findall(r"DVO Port: .*\(0x([0-9a-f]+)\)", p.stdout)]


PORT_CODES = {"HDMI-A": 0, "HDMI-B": 1, "HDMI-C": 2, "HDMI-D": 3, "LVDS": 4, "TV": 5, "CRT": 6,
              "DP-B": 7, "DP-C": 8, "DP-D": 9, "DP-A": 10, "DP-E": 11, "HDMI-E": 12, "DP-F": 13,
              "HDMI-F": 14, "DP-G": 15, "HDMI-G": 16, "DP-H": 17, "HDMI-H": 18, "DP-I": 19,
              "HDMI-I": 20, "MIPI-A": 21, "MIPI-B": 22, "MIPI-C": 23, "MIPI-D": 24}


def qemu_vfio_properties():
    p = subprocess.run(["qemu-system-x86_64", "-device", "vfio-pci,help"],
                       capture_output=True, text=True, timeout=60)
    return set(re.findall(r"^\s+([\w-]+)=", p.stdout, re.M))


# ---- scenarios ----

KBL_ASLS = 0x8C7FD018


def kaby_lake_i915():
    print("== Kaby Lake at 00:02.0 bound to i915, debugfs from a real dump")
    op_file = os.path.join(CORPUS, "opregion/rikka0w0-qemu-gvt-d-opregion.bin")
    op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
    t = Tree("kbl")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x5916, 0x030000, driver="i915", group=1,
              cfg=config(0x8086, 0x5916, 0x030000, 0x0281, KBL_ASLS), subsys=(0x17AA, 0x2245))
        standard_bridges(t)
        t.kernel("6.1.0-13-amd64")
        t.debugfs(0, "0000:00:02.0", op)
        t.devmem([(KBL_ASLS, op)])

        rc, out, _ = run(t, "inspect", "--root", t.root)
        check(rc == 1, "inspect: bound to i915 is not ready (exit 1, got %d)" % rc)
        check("blocker: bound to i915: unbind and bind to vfio-pci" in out,
              "inspect names the i915 binding and the fix")
        golden("kbl-i915.txt", out)
        rc, out, _ = run(t, "inspect", "--json", "--root", t.root)
        golden("kbl-i915.json", out)
        j = json.loads(out)
        igd = j["igds"][0]
        check(j["ready"] is False and igd["opregion"]["source"] == "debugfs",
              "inspect --json: not ready, OpRegion from debugfs")
        check(igd["legacy_possible"] is True and igd["stolen_size"] == 64 << 20,
              "KBL: legacy mode possible, GGC 0x0281 = 64 MiB")
        ours = [PORT_CODES[p["port"]] for p in igd["opregion"]["ports"]]
        check(ours == peer_ports(op_file) and ours,
              "VBT ports agree with intel_vbt_decode (%s)" % ours)

        out_file = t.path("dump-debugfs.bin")
        rc, out, err = run(t, "dump", "--source", "debugfs", "--root", t.root, "-o", out_file)
        check(rc == 0 and open(out_file, "rb").read() == op,
              "dump --source debugfs writes the dump unchanged (%d %s)" % (rc, err.strip()))
        out_file = t.path("dump-devmem.bin")
        rc, out, err = run(t, "dump", "--source", "devmem", "--root", t.root, "-o", out_file)
        check(rc == 0 and open(out_file, "rb").read() == op,
              "dump --source devmem reads 8 KiB at ASLS (%d %s)" % (rc, err.strip()))
        rc, out, err = run(t, "dump", "--source", "vfio", "--root", t.root, "-o", out_file)
        check(rc == 1 and "bound to i915, not vfio-pci" in err,
              "dump --source vfio refuses an i915-bound device: " + err.strip())

        props = qemu_vfio_properties()
        for ver in ("7.2", "10.1"):
            rc, out, _ = run(t, "qemu-args", "--qemu-version", ver, "--root", t.root)
            check(rc == 0, "qemu-args %s exit 0" % ver)
            golden("kbl-qemu-%s.txt" % ver, out)
            if ver == "7.2":
                used = set(re.findall(r"[,](x-igd-[\w-]+)=", out))
                check(used and used <= props,
                      "QEMU 7.2 knows every property we emit: %s" % sorted(used))
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "7.2", "--quiet", "--root", t.root)
        check(rc == 0 and "#" not in out, "qemu-args --quiet prints no comments")
        text_args = [a for line in out.splitlines() for a in line.split(" ", 1)]
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "7.2", "--json", "--root", t.root)
        j = json.loads(out) if rc == 0 else {}
        check(j.get("args") == text_args and j.get("mode") == "upt" and j.get("comments"),
              "qemu-args --json: the argv the text prints, with its comments")
        rc, out, err = run(t, "qemu-args", "--qemu-version", "7.2", "--json", "--libvirt",
                           "--root", t.root)
        check(rc == 2 and "choose one" in err, "qemu-args --json --libvirt is a usage error")
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "7.2", "--libvirt", "--root", t.root)
        golden("kbl-libvirt-7.2.xml", out)
        try:
            ET.fromstring(out)
            check(True, "libvirt fragment is well-formed XML")
        except ET.ParseError as e:
            check(False, "libvirt fragment is well-formed XML: %s" % e)
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--mode", "upt", "--image",
                         op_file, "--root", t.root)
        out = out.replace(os.path.realpath(op_file), "@IMAGE@")
        golden("kbl-qemu-10.1-upt-image.txt", out)
        check("x-igd-opregion=off" in out and "-fw_cfg name=etc/igd-opregion,file=@IMAGE@" in out,
              "QEMU 10.1 with an image: x-igd-opregion=off plus -fw_cfg")
        rc, out, err = run(t, "qemu-args", "--qemu-version", "7.2", "--mode", "legacy",
                           "--image", op_file, "--root", t.root)
        check(rc == 2 and "UPT mode only" in err, "legacy mode with --image is refused")
    finally:
        t.cleanup()


TGL_ASLS = 0x45F2E018
TGL_RVDA_PHYS = 0x7A3B4000


def tiger_lake_vfio_devmem():
    print("== Tiger Lake bound to vfio-pci, OpRegion 2.0 with an absolute RVDA in /dev/mem")
    vbt = corpus("vbt/fsp-TigerLake-Client-Vbt.vbt")
    base = with_extended_vbt(corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin"), vbt,
                             (2, 0), TGL_RVDA_PHYS)
    t = Tree("tgl")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x9A49, 0x030000, driver="vfio-pci", group=7,
              cfg=config(0x8086, 0x9A49, 0x030000, 0x0500, TGL_ASLS))
        standard_bridges(t, 0x9A14, 0xA082)
        t.kernel("6.1.0-13-amd64")
        t.vfio_nodes(7)
        t.devmem([(TGL_ASLS, base), (TGL_RVDA_PHYS, vbt)])

        out_file = t.path("tgl.bin")
        rc, out, err = run(t, "dump", "--source", "devmem", "--root", t.root, "-o", out_file)
        check(rc == 0, "dump --source devmem of a 2.0 extended VBT (%s)" % err.strip())
        img = open(out_file, "rb").read() if rc == 0 else b""
        size = vbt_size(vbt)
        check(len(img) == BASE + (size + 511) // 512 * 512 and img[OVER_MAJOR] == 2 and
              img[OVER_MINOR] == 1 and struct.unpack_from("<Q", img, RVDA)[0] == BASE and
              img[BASE:BASE + size] == vbt[:size],
              "the image is 2.1 with the VBT at 0x2000 (RVDA 0x2000)")
        check(struct.pack("<Q", TGL_RVDA_PHYS) not in img,
              "the host physical RVDA is nowhere in the image")
        rc, out, _ = run(None, "validate", out_file)
        check(rc == 0, "igdpt validate accepts the dumped image: " + out.strip())
        rc, out, err = run(t, "dump", "--source", "vfio", "--root", t.root, "-o", out_file)
        check(rc == 2 and "not a VFIO container" in err,
              "dump --source vfio on a non-VFIO /dev/vfio says so: " + err.strip())
        rc, out, _ = run(t, "inspect", "--root", t.root)
        check(rc == 0, "inspect: vfio-pci, own group, valid OpRegion: READY (exit %d)" % rc)
        golden("tgl-devmem.txt", out)
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root)
        golden("tgl-qemu-10.1.txt", out)
        rc, out, err = run(t, "qemu-args", "--qemu-version", "10.1", "--mode", "legacy",
                           "--root", t.root)
        check(rc == 1 and "gen 6-9" in err, "legacy mode refused for gen 12: " + err.strip())
    finally:
        t.cleanup()


ADL_ASLS = 0x5A8E3018
ADL_RVDA = 0x3000


def alder_lake_display_class():
    print("== Alder Lake-P, class 0x0380, OpRegion 2.1 with a relative RVDA")
    vbt = corpus("vbt/sbl-Alderlake-VbtAdlP.vbt")
    base = with_extended_vbt(corpus("opregion/chikmyvoltage-msi-kvm-igpu-opregion.bin"), vbt,
                             (2, 1), ADL_RVDA)
    t = Tree("adl")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x46A6, 0x038000, driver="vfio-pci", group=1,
              cfg=config(0x8086, 0x46A6, 0x038000, 0xF0C1, ADL_ASLS))
        t.pci("0000:00:14.0", 0x8086, 0x51ED, 0x0C0330, driver="xhci_hcd", group=1)
        t.pci("0000:00:14.2", 0x8086, 0x51EF, 0x050000, group=1)
        standard_bridges(t, 0x4621, 0x5182)
        t.kernel("6.1.0-13-amd64")
        t.devmem([(ADL_ASLS, base), (ADL_ASLS + ADL_RVDA, vbt)])

        rc, out, _ = run(t, "inspect", "--root", t.root)
        check(rc == 1, "inspect: group shared with xhci_hcd is not ready")
        check("IOMMU group 1 also holds 0000:00:14.0 (bound to xhci_hcd)" in out and
              "0000:00:14.2" not in out.split("verdict:")[1],
              "the blocker names the xhci function, not the unbound one")
        check("added in 6.15" in out, "warns that Linux 6.1 gives a 0x0380 IGD no region")
        golden("adl-0380.txt", out)
        rc, out, _ = run(t, "inspect", "--json", "--root", t.root)
        golden("adl-0380.json", out)
        out_file = t.path("adl.bin")
        rc, out, err = run(t, "dump", "--root", t.root, "-o", out_file)
        img = open(out_file, "rb").read() if rc == 0 else b""
        size = vbt_size(vbt)
        check(rc == 0 and struct.unpack_from("<Q", img, RVDA)[0] == BASE and
              img[BASE:BASE + size] == vbt[:size],
              "dump (auto -> devmem) moves a 2.1 RVDA 0x3000 VBT to 0x2000 (%s)" % err.strip())
        rc, out, err = run(t, "dump", "--root", t.root, "--json", "-o", out_file)
        j = json.loads(out) if rc == 0 else {}
        check(j.get("source") == "devmem" and j.get("relocated") is True and
              j.get("image", {}).get("vbt_offset") == BASE,
              "dump --json: from devmem, relocated, the VBT at 0x2000 (%s)" % err.strip())
        # -o -: the image on standard output, the summary on standard error.
        p = subprocess.run([IGDPT, "dump", "--root", t.root, "-o", "-"], capture_output=True,
                           timeout=60)
        check(p.returncode == 0 and p.stdout == img and b"bytes, OpRegion" in p.stderr,
              "dump -o - writes the image to standard output, the summary aside")
        rc, out, err = run(t, "qemu-args", "--qemu-version", "7.2", "--mode", "legacy",
                           "--root", t.root)
        check(rc == 1 and "legacy mode is not possible" in err, "legacy refused for ADL: " + err.strip())
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "7.2", "--image", out_file,
                         "--root", t.root)
        golden("adl-qemu-7.2-image.txt", out.replace(os.path.realpath(out_file), "@IMAGE@"))
        # QEMU splits option values at commas: a path with one is written doubled
        # (libvirt's <rom file=> is no QEMU option: written as it is).
        comma_file = t.path("adl,image.bin")
        shutil.copy(out_file, comma_file)
        comma_rom = t.path("vbios,igd.rom")
        rc, _, err = run(None, "rom", "--vbt", os.path.join(CORPUS, "vbt/sbl-Alderlake-VbtAdlP.vbt"),
                         "--device-id", "0x46a6", "-o", comma_rom)
        check(rc == 0, "a video BIOS for 8086:46a6 with a comma in its name (%s)" % err.strip())
        for form in ([], ["--libvirt"]):
            rc, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--image", comma_file,
                             "--romfile", comma_rom, "--root", t.root, *form)
            want = os.path.realpath(comma_file).replace(t.root, "@ROOT@").replace(",", ",,")
            rom_want = os.path.realpath(comma_rom).replace(t.root, "@ROOT@")
            check(rc == 0 and "file=" + want in out and
                  ("<rom file='%s'/>" % rom_want in out if form
                   else ",romfile=" + rom_want.replace(",", ",,") in out),
                  "qemu-args %s doubles the commas of --image and --romfile" % " ".join(form))
        rc, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--machine", "pc",
                         "--root", t.root)
        check(rc == 0 and "x-igd-lpc=on" in out and "x-igd-legacy-mode=off" in out and
              "only from 6.15" in out, "UPT on i440fx with QEMU 10.1: x-igd-lpc=on")
    finally:
        t.cleanup()


def debugfs_extended_vbt():
    print("== i915 debugfs with an extended VBT: base from i915_opregion, VBT from i915_vbt")
    vbt = corpus("vbt/fsp-TigerLake-Client-Vbt.vbt")
    size = vbt_size(vbt)
    base = with_extended_vbt(corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin"), vbt,
                             (2, 1), BASE)
    t = Tree("tgl-i915")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x9A49, 0x030000, driver="i915", group=0,
              cfg=config(0x8086, 0x9A49, 0x030000, 0x0500, TGL_ASLS))
        standard_bridges(t, 0x9A14, 0xA082)
        # i915 trims i915_vbt to vbt_size; the card is minor 1 (dri/0 is another GPU).
        t.write("sys/kernel/debug/dri/0/name", "nouveau dev=0000:01:00.0 unique=0000:01:00.0\n")
        t.debugfs(1, "0000:00:02.0", base, vbt[:size])
        out_file = t.path("tgl-debugfs.bin")
        rc, out, err = run(t, "dump", "--root", t.root, "-o", out_file)
        img = open(out_file, "rb").read() if rc == 0 else b""
        check(rc == 0 and "i915_vbt" in out and img[BASE:BASE + size] == vbt[:size] and
              struct.unpack_from("<Q", img, RVDA)[0] == BASE,
              "dump (auto -> debugfs dri/1) joins i915_opregion and i915_vbt (%s)" % err.strip())
        os.remove(t.path("sys/kernel/debug/dri/1/i915_vbt"))
        rc, out, err = run(t, "dump", "--source", "debugfs", "--root", t.root, "-o", out_file)
        check(rc == 1 and "use --source vfio or devmem" in err,
              "without i915_vbt the extended VBT is reported missing: " + err.strip())
    finally:
        t.cleanup()


SKL_ASLS = 0x7A5F1018


def skylake_video_bios():
    print("== Skylake on a legacy-BIOS host: sysfs rom holds the video BIOS and its VBT")
    vbt_file = os.path.join(CORPUS, "vbt/cb-asrock-h110m.vbt")
    t = Tree("skl-rom")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x1912, 0x030000, driver="vfio-pci", group=1,
              cfg=config(0x8086, 0x1912, 0x030000, 0x00C1, SKL_ASLS))
        standard_bridges(t, 0x191F, 0xA145)
        t.kernel("6.1.0-13-amd64")
        t.devmem([(SKL_ASLS, corpus("opregion/masnax-osx-kvm-opregion.bin"))])
        rom = t.path("sys/bus/pci/devices/0000:00:02.0/rom")
        rc, _, err = run(None, "rom", "--vbt", vbt_file, "--device-id", "0x1912", "-o", rom)
        check(rc == 0, "igdpt rom --vbt builds the video BIOS (%s)" % err.strip())

        rc, out, _ = run(t, "inspect", "--root", t.root)
        check("ROM:          4608 bytes (sysfs rom)" in out and
              "VBT:        $VBT SKYLAKE, BDB 206, 4284 bytes, at 0x40" in out,
              "inspect reads sysfs rom and finds the VBT where i915 would")
        golden("skl-rom.txt", out)
        rc, out, _ = run(t, "inspect", "--json", "--root", t.root)
        golden("skl-rom.json", out)

        data = bytearray(open(rom, "rb").read())
        data[0x43] = ord("X")  # "$VBX": i915 finds no VBT
        with open(rom, "wb") as f:
            f.write(data)
        rc, out, _ = run(t, "inspect", "--root", t.root)
        check('VBT:        none: no VBT ("$VBT" at a 4-byte aligned offset) in the ROM at 0x0'
              in out, "inspect says the ROM holds no VBT")
        data[0:2] = b"\0\0"
        with open(rom, "wb") as f:
            f.write(data)
        rc, out, _ = run(t, "inspect", "--root", t.root)
        check("VBT:        none: not a PCI ROM" in out,
              "inspect says sysfs rom is no PCI ROM at all")
    finally:
        t.cleanup()


def no_iommu():
    print("== Sandy Bridge without IOMMU, no debugfs, no /dev/mem")
    t = Tree("noiommu")
    try:
        t.pci("0000:00:02.0", 0x8086, 0x0102, 0x030000, driver="i915",
              cfg=config(0x8086, 0x0102, 0x030000, 0x0228, 0xDAF2E018))
        standard_bridges(t, 0x0100, 0x1C5C)
        t.kernel("6.1.0-13-amd64")
        rc, out, _ = run(t, "inspect", "--root", t.root)
        check(rc == 1 and "blocker: no IOMMU: boot with intel_iommu=on" in out,
              "inspect: no IOMMU is a blocker with the fix")
        golden("snb-no-iommu.txt", out)
        rc, out, _ = run(t, "inspect", "--json", "--root", t.root)
        golden("snb-no-iommu.json", out)
        rc, out, err = run(t, "dump", "--source", "devmem", "--root", t.root, "-o",
                           t.path("x.bin"))
        check(rc == 2 and "/dev/mem" in err, "dump without /dev/mem: I/O error " + err.strip())
        rc, out, err = run(t, "dump", "--source", "debugfs", "--root", t.root, "-o",
                           t.path("x.bin"))
        check(rc == 2 and "mount debugfs" in err, "dump without debugfs says mount it: " + err.strip())
    finally:
        t.cleanup()


def discrete_only():
    print("== only a discrete non-Intel GPU")
    t = Tree("dgpu")
    try:
        t.pci("0000:00:00.0", 0x1022, 0x1480, 0x060000)
        t.pci("0000:01:00.0", 0x10DE, 0x1C82, 0x030000, driver="nouveau", group=12)
        t.kernel("6.1.0-13-amd64")
        rc, out, _ = run(t, "inspect", "--root", t.root)
        check(rc == 1 and "no Intel IGD" in out, "inspect: no IGD, exit 1")
        golden("discrete-only.txt", out)
        rc, out, _ = run(t, "inspect", "--json", "--root", t.root)
        golden("discrete-only.json", out)
        rc, out, err = run(t, "dump", "--root", t.root, "-o", t.path("x.bin"))
        check(rc == 1 and "no Intel IGD" in err, "dump: no IGD, exit 1")
        rc, out, err = run(t, "dump", "--device", "01:00.0", "--root", t.root, "-o",
                           t.path("x.bin"))
        check(rc == 1 and "not an Intel IGD" in err, "dump --device of an NVIDIA GPU: " + err.strip())
        rc, out, err = run(t, "qemu-args", "--qemu-version", "7.2", "--root", t.root)
        check(rc == 1, "qemu-args: no IGD, exit 1")
    finally:
        t.cleanup()


def devmem_faults():
    print("== /dev/mem faults: ASLS 0, wrong signature, RVDS too large")
    op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
    cases = [
        ("ASLS 0", 0, [], 1, "is 0x00000000: the host firmware published no OpRegion"),
        ("not an OpRegion at ASLS", KBL_ASLS, [(KBL_ASLS, b"\x55" * 8192)], 1,
         "signature mismatch"),
        ("RVDS too large", KBL_ASLS,
         [(KBL_ASLS, with_extended_vbt(op, b"x" * 0x20000, (2, 1), BASE))], 1,
         "larger than any VBT"),
    ]
    for name, asls, pieces, want_rc, needle in cases:
        t = Tree("fault")
        try:
            t.pci("0000:00:02.0", 0x8086, 0x5912, 0x030000, driver="i915", group=1,
                  cfg=config(0x8086, 0x5912, 0x030000, 0x0100, asls))
            t.devmem(pieces + [(0x100000, b"\0")])
            rc, out, err = run(t, "dump", "--source", "devmem", "--root", t.root, "-o",
                               t.path("x.bin"))
            check(rc == want_rc and needle in err and not os.path.exists(t.path("x.bin")),
                  "%s: exit %d, '%s' (%s)" % (name, rc, needle, err.strip()))
        finally:
            t.cleanup()


def usage_errors():
    print("== usage")
    for args, needle in ((["dump"], "no output file"),
                         (["inspect", "--source", "rom"], "unknown source"),
                         (["qemu-args", "--qemu-version", "seven"], "not a QEMU version"),
                         (["qemu-args", "--mode", "vga"], "unknown mode")):
        rc, out, err = run(None, *args)
        check(rc == 2 and needle in err, "%s: exit 2, '%s'" % (" ".join(args), needle))


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "opregion")):
        print("IGDPT_CORPUS not set or without opregion/: skipping")
        return 77
    if SCHEMA_SKIP:
        print("note: --json outputs not checked against docs/schema: " + SCHEMA_SKIP)
    for scenario in (kaby_lake_i915, tiger_lake_vfio_devmem, alder_lake_display_class,
                     skylake_video_bios,
                     debugfs_extended_vbt, no_iommu, discrete_only, devmem_faults, usage_errors):
        scenario()
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall host tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
