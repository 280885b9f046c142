#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hostile host trees: inspect, dump and qemu-args on a --root tree that
tries to hang them or to lead them out of the tree (issue 13, items 5, 9, 10).

- Every file of a complete tree (sysfs attributes, config space, the ROM,
  i915 debugfs, /dev/mem, /proc files) replaced by a FIFO in turn: every
  command ends at once (a timeout is a hang), with exit 0, 1 or 2.
- Symlinks that point out of the tree, absolute or through "..", at a file
  holding a marker: never followed out, the marker never in any output, no
  image written; relative links inside the tree (as real sysfs has) work.
- A malformed --device is a usage error (exit 2) in all three commands.
Usage: host_hostile.py IGDPT_BINARY
"""
import os
import subprocess
import sys
import tempfile

from host_tree import (CORPUS, IGDPT, Tree, check, config, corpus, failures, standard_bridges)

KBL_ASLS = 0x8C7FD018
MARKER = "IGDPT-OUTSIDE-THE-ROOT-7f3a"
# A command that has not finished by then is hanging (they take milliseconds).
HANG_SECONDS = 20


def run_bounded(args):
    """(returncode or 'hang', stdout, stderr) of igdpt with a deadline."""
    try:
        p = subprocess.run([IGDPT] + args, capture_output=True, text=True,
                           timeout=HANG_SECONDS, errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", "", ""
    return p.returncode, p.stdout, p.stderr


def full_tree(name, sysfs_links=False):
    """Kaby Lake bound to i915 with every source igdpt reads: sysfs, the
    ROM, debugfs, /dev/mem, /proc."""
    op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
    t = Tree(name, sysfs_links=sysfs_links)
    t.pci("0000:00:02.0", 0x8086, 0x5916, 0x030000, driver="i915", group=1,
          cfg=config(0x8086, 0x5916, 0x030000, 0x0281, KBL_ASLS))
    standard_bridges(t)
    t.kernel("6.1.0-13-amd64")
    t.debugfs(0, "0000:00:02.0", op)
    t.devmem([(KBL_ASLS, op)])
    t.write("sys/bus/pci/devices/0000:00:02.0/rom", b"\x55\xaa" + bytes(510))
    t.write("proc/iomem", "00000000-00000fff : Reserved\n")
    t.write("proc/cpuinfo", "processor\t: 0\naddress sizes\t: 39 bits physical, 48 bits virtual\n")
    t.write("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on\n")
    return t, op


COMMANDS = (
    ("inspect", ["inspect"]),
    ("inspect --json", ["inspect", "--json"]),
    ("dump", ["dump", "-o", "@OUT@"]),
    ("dump --source devmem", ["dump", "--source", "devmem", "-o", "@OUT@"]),
    ("qemu-args", ["qemu-args", "--qemu-version", "10.1"]),
)


def fifo_everywhere():
    print("== every file of the tree a FIFO in turn: no command hangs")
    t, _ = full_tree("fifo")
    out_dir = tempfile.mkdtemp(prefix="igdpt-fifo-out-")
    aside = os.path.join(out_dir, "aside")
    try:
        files = []
        for top, _, names in os.walk(t.root):
            for n in names:
                p = os.path.join(top, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    files.append(os.path.relpath(p, t.root))
        files.sort()
        cases = hangs = 0
        for rel in files:
            path = t.path(rel)
            os.rename(path, aside)  # /dev/mem is sparse: moved, not copied
            os.mkfifo(path)
            for label, args in COMMANDS:
                out = os.path.join(out_dir, "out.bin")
                argv = [a.replace("@OUT@", out) for a in args] + ["--root", t.root]
                rc, _, err = run_bounded(argv)
                cases += 1
                if rc == "hang" or rc not in (0, 1, 2) or "Traceback" in err:
                    hangs += 1
                    check(False, "%s with %s a FIFO: exit %s %s" % (label, rel, rc, err.strip()))
            os.unlink(path)
            os.rename(aside, path)
        check(cases > 31 and hangs == 0,
              "%d cases (%d files x %d commands): none hangs, each exits 0, 1 or 2"
              % (cases, len(files), len(COMMANDS)))
        # The FIFO is named, with its kind, where it matters.
        os.unlink(t.path("sys/kernel/debug/dri/0/i915_opregion"))
        os.mkfifo(t.path("sys/kernel/debug/dri/0/i915_opregion"))
        rc, _, err = run_bounded(["dump", "--source", "debugfs", "--root", t.root,
                                  "-o", os.path.join(out_dir, "x.bin")])
        check(rc == 1 and "i915_opregion is not a regular file" in err,
              "dump from a FIFO i915_opregion: exit 1, says so (%s)" % err.strip())
        os.unlink(t.path("dev/mem"))
        os.mkfifo(t.path("dev/mem"))
        rc, _, err = run_bounded(["dump", "--source", "devmem", "--root", t.root,
                                  "-o", os.path.join(out_dir, "x.bin")])
        check(rc == 1 and "/dev/mem is a FIFO, not the memory device" in err,
              "dump from a FIFO /dev/mem: exit 1, says so (%s)" % err.strip())
    finally:
        t.cleanup()
        subprocess.run(["rm", "-rf", out_dir])


def escapes():
    print("== symlinks out of the tree are never followed out")
    outside = tempfile.mkdtemp(prefix="igdpt-outside-")
    try:
        secret = os.path.join(outside, "secret")
        with open(secret, "w") as f:
            f.write(MARKER + "\n")
        op_outside = os.path.join(outside, "opregion.bin")
        op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
        with open(op_outside, "wb") as f:
            f.write(op)
        # Outside, a whole machine whose IGD a --root run must not find.
        other = Tree("other")
        other.pci("0000:00:02.0", 0x8086, 0x3E92, 0x030000, driver="vfio-pci", group=3)

        cases = []

        def escape_case(what, rel, target, args, bad_rc=(0,)):
            t, _ = full_tree("escape")
            try:
                path = t.path(rel)
                if os.path.lexists(path):
                    if os.path.isdir(path) and not os.path.islink(path):
                        subprocess.run(["rm", "-rf", path])
                    else:
                        os.unlink(path)
                os.symlink(target, path)
                out = t.path("out.bin")
                argv = [a.replace("@OUT@", out) for a in args] + ["--root", t.root]
                rc, so, se = run_bounded(argv)
                leaked = MARKER in so or MARKER in se or "IntelGraphicsMem" in se
                wrote_outside = os.path.exists(out) and open(out, "rb").read() == op
                ok = rc not in bad_rc and rc != "hang" and not leaked and not wrote_outside
                cases.append(ok)
                check(ok, "%s: exit %s, nothing from outside (%s)"
                      % (what, rc, (se.strip().splitlines() or [""])[-1][:160]))
            finally:
                t.cleanup()

        dots = "../" * 12
        escape_case("debugfs i915_opregion -> absolute path outside",
                    "sys/kernel/debug/dri/0/i915_opregion", op_outside,
                    ["dump", "--source", "debugfs", "-o", "@OUT@"])
        escape_case("debugfs i915_opregion -> ../ out of the tree",
                    "sys/kernel/debug/dri/0/i915_opregion", dots + op_outside.lstrip("/"),
                    ["dump", "--source", "debugfs", "-o", "@OUT@"])
        escape_case("/dev/mem -> a file outside with the OpRegion at ASLS", "dev/mem",
                    op_outside, ["dump", "--source", "devmem", "-o", "@OUT@"])
        escape_case("vendor -> a secret outside (inspect)",
                    "sys/bus/pci/devices/0000:00:02.0/vendor", secret, ["inspect"],
                    bad_rc=(0,))
        escape_case("vendor -> ../ secret (inspect --device)",
                    "sys/bus/pci/devices/0000:00:02.0/vendor", dots + secret.lstrip("/"),
                    ["inspect", "--device", "00:02.0"], bad_rc=(0,))
        escape_case("osrelease -> a secret outside", "proc/sys/kernel/osrelease", secret,
                    ["inspect", "--json"], bad_rc=())
        escape_case("dri/0/name -> a secret outside", "sys/kernel/debug/dri/0/name", secret,
                    ["dump", "--source", "debugfs", "-o", "@OUT@"])
        escape_case("sys/bus/pci/devices -> another machine outside", "sys/bus/pci/devices",
                    other.path("sys/bus/pci/devices"), ["qemu-args", "--qemu-version", "10.1"],
                    bad_rc=(0,))
        escape_case("config -> a secret outside (qemu-args)",
                    "sys/bus/pci/devices/0000:00:02.0/config", secret,
                    ["qemu-args", "--qemu-version", "7.2"], bad_rc=())
        other.cleanup()
        check(len(cases) == 9 and all(cases), "%d escape attempts, none left the tree" % len(cases))
    finally:
        subprocess.run(["rm", "-rf", outside])

    print("== relative links inside the tree, as sysfs has them, are followed")
    t, op = full_tree("links", sysfs_links=True)
    try:
        rc, out, err = run_bounded(["inspect", "--root", t.root])
        check(rc == 1 and "device:       0000:00:02.0 8086:5916" in out,
              "inspect through sys/bus/pci/devices/BDF -> ../../../devices/... (%s)" % err.strip())
        rc, _, err = run_bounded(["dump", "--source", "devmem", "--root", t.root,
                                  "-o", t.path("ok.bin")])
        check(rc == 0 and open(t.path("ok.bin"), "rb").read() == op,
              "dump through the linked tree (%s)" % err.strip())
    finally:
        t.cleanup()


def malformed_device():
    print("== a malformed --device is a usage error")
    for cmd in (["inspect"], ["dump", "-o", "/nonexistent/x"], ["qemu-args", "--qemu-version", "7.2"]):
        for bad in ("zz", "00:02", "0000:00:02.0x", "00:20.0", "-1", ""):
            rc, _, err = run_bounded(cmd + ["--device", bad])
            check(rc == 2 and "not a PCI address" in err,
                  "%s --device '%s': exit 2 (%s)" % (cmd[0], bad, err.strip().splitlines()[0]
                                                     if err.strip() else ""))


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "opregion")):
        print("IGDPT_CORPUS not set or without opregion/: skipping")
        return 77
    fifo_everywhere()
    escapes()
    malformed_device()
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall hostile host tree tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
