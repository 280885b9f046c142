#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""igdpt qemu-args on synthesized host trees: every decision, and every
configuration it prints tried by the programs that will read it.

- Decisions (issue 12, item 4): legacy mode with x-igd-legacy-mode=on only
  when every condition is verified (VGA class, gen 6-9, GGC.IVD clear, a
  ROM, i440fx, host 00:02.0), auto when one cannot be read, UPT with the
  reason when one fails; q35 gives UPT; --romfile absolute, a valid ROM, or
  exit 2; OVMF gets igdpt-efi.rom; the IGD at 00:02.0 on bus 0 in UPT too;
  QEMU's messages quoted for the version asked for. Golden files for the
  text, libvirt and Proxmox forms.
- --image checked as igdpt vm checks it (issue 13, item 7): a directory, an
  empty file, /dev/zero, /dev/urandom, 100 MB, a bare VBT, a 2.0 OpRegion
  with a host-physical RVDA, a FIFO, trailing bytes: all refused.
- Every QEMU option set is given to the real QEMU (7.2 for 7.2's, 11.1 from
  the trixie stack for 11.1's, and the Proxmox lines as qemu-server turns
  them into a command line): QEMU must accept every option and fail only at
  opening the host device, which this machine does not have. Every libvirt
  fragment, merged into a domain, must pass virt-xml-validate.
Usage: qemu_args_tests.py IGDPT_BINARY [--qemu11]  (--qemu11: QEMU 11.1 from
the trixie stack, exit 77 when it cannot be had)
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from host_tree import (CORPUS, IGDPT, SRC, Tree, check, config, corpus, failures, golden, run,
                       standard_bridges, with_extended_vbt)

QEMU11 = "--qemu11" in sys.argv
HOST_QEMU = "qemu-system-x86_64"
FETCH = os.path.join(SRC, "scripts", "fetch-stack")
BUILD = os.environ["IGDPT_BUILD_ROOT"]
EFI_ROM = os.path.join(BUILD, "firmware", "efi", "igdpt-efi.rom")
KBL_ASLS = 0x8C7FD018
SKL_VBT = "vbt/cb-asrock-h110m.vbt"
# QEMU got past every option and failed at the host device (absent here).
DEVICE_OPEN_FAILED = re.compile(
    r"-device vfio-pci,host=[^:]*:[^:]*:[^ :]*[^\n]*: vfio [^\n]*(no iommu_group found|no such "
    r"host device|is not viable|failed to open /dev/vfio|error getting device from group)")
# The qemu namespace of libvirt's domain XML.
QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0"


class Files:
    """Where ROMs and images live: inside the trixie root when QEMU 11.1
    runs from it (QEMU opens them there), else a temporary directory."""

    def __init__(self, stack_root):
        base = os.path.join(stack_root, "run") if stack_root else None
        self.dir = tempfile.mkdtemp(prefix="igdpt-qa-", dir=base)
        self.stack_root = stack_root

    def path(self, name):
        return os.path.join(self.dir, name)

    def cleanup(self):
        shutil.rmtree(self.dir)


def igdpt(*args):
    return subprocess.run([IGDPT] + list(args), capture_output=True, timeout=60)


def make_vbios(path, device_id):
    p = igdpt("rom", "--vbt", os.path.join(CORPUS, SKL_VBT), "--device-id", "0x%04x" % device_id,
              "-o", path)
    assert p.returncode == 0, p.stderr.decode()


def igd_tree(name, device=0x5916, cls=0x030000, ggc=0x0281, rom=None, full_config=True,
             bdf="0000:00:02.0"):
    """An IGD bound to vfio-pci with a valid OpRegion; rom: sysfs rom bytes."""
    t = Tree(name)
    cfg = config(0x8086, device, cls, ggc, KBL_ASLS)
    t.pci(bdf, 0x8086, device, cls, driver="vfio-pci", group=1,
          cfg=cfg if full_config else cfg[:64], subsys=(0x17AA, 0x2245))
    standard_bridges(t)
    t.kernel("6.1.0-13-amd64")
    t.devmem([(KBL_ASLS, corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin"))])
    if rom is not None:
        t.write("sys/bus/pci/devices/%s/rom" % bdf, rom)
    return t


def quiet_args(out):
    """The argv of a --quiet text form."""
    return [a for line in out.splitlines() for a in line.split(" ", 1)]


# ---- the programs that read the output ----

def qemu_accepts(args, version, stack, what):
    """QEMU of that version takes every option and fails at the host device:
    7.2 on this machine in the normal run, 11.1 from the stack with --qemu11."""
    if version.startswith("7.") and not QEMU11:
        argv = [HOST_QEMU]
    elif not version.startswith("7.") and stack:
        argv = ["chroot", stack, "qemu-system-x86_64"]
        args = [a.replace(stack + "/", "/") for a in args]
    else:
        return
    argv += ["-display", "none", "-monitor", "none", "-serial", "none", "-parallel", "none",
             "-S", "-accel", "tcg"] + args
    p = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    err = p.stderr.strip()
    check(p.returncode != 0 and DEVICE_OPEN_FAILED.search(err) is not None,
          "QEMU %s parses %s and fails only at the host device (%s)"
          % ("7.2" if version.startswith("7.") else "11.1", what, err.splitlines()[-1][:150]
             if err else "exit %d" % p.returncode))


def libvirt_valid(xml, what):
    if not shutil.which("virt-xml-validate"):
        check(False, "virt-xml-validate (libvirt-clients) is installed: scripts/install-deps")
        return
    ET.register_namespace("qemu", QEMU_NS)
    dom = ET.fromstring(xml)
    name = ET.Element("name")
    name.text = "igdpt-test"
    memory = ET.Element("memory", unit="MiB")
    memory.text = "1024"
    dom.insert(0, memory)
    dom.insert(0, name)
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(ET.tostring(dom, encoding="unicode"))
        path = f.name
    p = subprocess.run(["virt-xml-validate", path, "domain"], capture_output=True, text=True,
                       timeout=60)
    os.unlink(path)
    check(p.returncode == 0, "virt-xml-validate accepts %s merged into a domain (%s)"
          % (what, (p.stderr or p.stdout).strip().splitlines()[-1][:150]))


def proxmox_command(out):
    """The QEMU arguments qemu-server (PVE/QemuServer/PCI.pm) builds from the
    lines: -nodefaults, its bridges and VGA, hostpci0, then args:."""
    conf = {}
    for line in out.splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition(": ")
            conf[key] = value
    q35 = conf.get("machine") == "q35"
    argv = ["-nodefaults", "-machine", "q35" if q35 else "pc"]
    if conf.get("bios") == "ovmf":
        argv += ["-bios", "/usr/share/ovmf/OVMF.fd"]
    if q35:  # pve-q35.cfg: the DMI bridge and pci.0 behind it
        argv += ["-device", "i82801b11-bridge,id=pcidmi,bus=pcie.0,addr=0x1e",
                 "-device", "pci-bridge,id=pci.0,chassis_nr=1,bus=pcidmi,addr=0x1"]
    if conf.get("vga") != "none":
        argv += ["-device", "VGA,id=vga,bus=%s,addr=%s" % (("pcie.0", "0x1") if q35 else ("pci.0", "0x2"))]
    opts = conf["hostpci0"].split(",")
    dev = "vfio-pci,host=%s,id=hostpci0" % opts[0]
    dev += ",bus=pci.0,addr=0x2" if "legacy-igd=1" in opts else ",bus=pci.0,addr=0x10"
    for o in opts[1:]:
        if o.startswith("romfile="):
            dev += ",romfile=/usr/share/kvm/" + o[len("romfile="):]
    argv += ["-device", dev]
    argv += shlex.split(conf.get("args", ""))
    return argv, conf


# ---- decisions ----

def scenario(name, tree, files, stack, args, rc=0, mode=None, prop=None, goldens=(),
             needles=(), err_needles=()):
    """Runs qemu-args for 7.2 and 11.1 (and the goldens' versions), checks the
    decision, and has QEMU, virt-xml-validate and the Proxmox command line
    judge the output."""
    for version in ("11.1",) if QEMU11 else ("7.2", "11.1"):
        r, out, err = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root, *args)
        check(r == rc, "%s (QEMU %s): exit %d (%d: %s)" % (name, version, rc, r, err.strip()[:200]))
        if rc:
            for n in err_needles:
                check(n in err, "%s: says '%s'" % (name, n))
            return
        r, js, _ = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root,
                       "--json", *args)
        j = json.loads(js)
        if mode:
            check(j["mode"] == mode, "%s (QEMU %s): %s mode (%s)" % (name, version, mode,
                                                                       j["legacy"]["reason"]))
        if prop is not None and version != "7.2":
            check(j["legacy"]["property"] == prop, "%s (QEMU %s): x-igd-legacy-mode=%s (%s)"
                  % (name, version, prop, j["legacy"]["property"]))
        for n in needles:
            check(n in out, "%s (QEMU %s): says '%s'" % (name, version, n))
        _, quiet, _ = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root,
                          "--quiet", *args)
        argv = quiet_args(quiet)
        check(argv == j["args"], "%s: --json args are the text's" % name)
        qemu_accepts([a.replace("@ROOT@", tree.root) for a in argv], version,
                     stack, "%s's options" % name)
        _, xml, _ = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root,
                        "--libvirt", *args)
        if not QEMU11:
            libvirt_valid(xml, "%s's libvirt fragment (QEMU %s)" % (name, version))
        r, pve, err = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root,
                          "--proxmox", *args)
        if r == 0:
            pargv, conf = proxmox_command(pve)
            qemu_accepts(pargv, version, stack, "%s's Proxmox lines" % name)
            if mode == "legacy":
                check("legacy-igd=1" in conf["hostpci0"] and conf.get("vga") == "none",
                      "%s: Proxmox legacy-igd=1 with vga: none" % name)
        else:
            check(False, "%s --proxmox: %s" % (name, err.strip()))
    for version, form, gname in () if QEMU11 else goldens:
        extra = {"text": [], "libvirt": ["--libvirt"], "proxmox": ["--proxmox"]}[form]
        _, out, _ = run(tree, "qemu-args", "--qemu-version", version, "--root", tree.root,
                        *(args + extra))
        out = out.replace(files.dir, "@FILES@").replace(BUILD, "@BUILD@")
        golden(gname, out)


def decisions(files, stack):
    print("== decisions")
    vbios = files.path("vbios-5916.rom")
    make_vbios(vbios, 0x5916)
    rom = open(vbios, "rb").read()
    other = files.path("vbios-591b.rom")
    make_vbios(other, 0x591B)

    t = igd_tree("legacy", rom=rom)
    try:
        scenario("every condition verified", t, files, stack, [], mode="legacy", prop="on",
                 needles=("legacy-mode check rom: verified: sysfs rom: an x86 video BIOS",
                          "-vga none", "-nic none"),
                 goldens=[("10.1", "text", "qa-legacy-10.1.txt"),
                          ("10.0", "text", "qa-legacy-10.0.txt"),
                          ("7.2", "text", "qa-legacy-7.2.txt"),
                          ("10.1", "libvirt", "qa-legacy-10.1.xml"),
                          ("10.1", "proxmox", "qa-legacy-10.1.pve")])
        scenario("--machine q35 on a legacy-capable host", t, files, stack,
                 ["--machine", "q35"], mode="upt", prop="off",
                 needles=("UPT: legacy mode is not possible: machine q35", "-machine q35"))
        scenario("--mode upt --machine pc", t, files, stack, ["--mode", "upt", "--machine", "pc"],
                 mode="upt", prop="off",
                 goldens=[("10.1", "text", "qa-upt-pc-10.1.txt"),
                          ("7.2", "text", "qa-upt-pc-7.2.txt"),
                          ("10.1", "libvirt", "qa-upt-pc-10.1.xml"),
                          ("10.1", "proxmox", "qa-upt-pc-10.1.pve")])
        scenario("--mode legacy --machine q35", t, files, stack,
                 ["--mode", "legacy", "--machine", "q35"], rc=2,
                 err_needles=("legacy mode needs i440fx",))
    finally:
        t.cleanup()

    t = igd_tree("unreadable", rom=rom, full_config=False)
    try:
        scenario("GGC unreadable (not root)", t, files, stack, [], mode="legacy", prop="auto",
                 needles=("legacy-mode check ggc-ivd: unknown: GGC unreadable: run as root",
                          "-nic none"),
                 goldens=[("10.1", "text", "qa-auto-10.1.txt")])
    finally:
        t.cleanup()

    t = igd_tree("ivd", rom=rom, ggc=0x0283)
    try:
        scenario("GGC.IVD set", t, files, stack, [], mode="upt", prop="off",
                 needles=("legacy-mode check ggc-ivd: refuted: GGC 0x0283 has IVD set",),
                 goldens=[("10.1", "text", "qa-ivd-10.1.txt")])
        scenario("--mode legacy with GGC.IVD set", t, files, stack, ["--mode", "legacy"], rc=1,
                 err_needles=("legacy mode is not possible: GGC 0x0283 has IVD set",))
    finally:
        t.cleanup()

    t = igd_tree("norom")
    try:
        scenario("no ROM", t, files, stack, [], mode="upt", prop="off",
                 needles=("no ROM: 0000:00:02.0 has no sysfs rom",))
        scenario("no ROM, --romfile a video BIOS for it", t, files, stack, ["--romfile", vbios],
                 mode="legacy", prop="on",
                 needles=("romfile: an x86 video BIOS for 8086:5916",
                          ",romfile=" + os.path.realpath(vbios)))
        scenario("--romfile naming another device", t, files, stack, ["--romfile", other],
                 mode="upt", prop="off",
                 needles=("its x86 image names 8086:591b, not 8086:5916",))
        # A relative --romfile is written absolute.
        cwd = os.getcwd()
        os.chdir(files.dir)
        try:
            r, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root,
                            "--romfile", "vbios-5916.rom", "--quiet")
        finally:
            os.chdir(cwd)
        check(r == 0 and ",romfile=" + os.path.realpath(vbios) in out,
              "a relative --romfile is written as an absolute path")
        garbage = files.path("garbage.rom")
        with open(garbage, "wb") as f:
            f.write(b"\x55\xaa" + bytes(1022))
        os.mkfifo(files.path("fifo.rom"))
        for bad, needle in ((files.path("missing.rom"), "No such file or directory"),
                            (garbage, "not a valid PCI option ROM"),
                            (files.dir, "not a file"),
                            (files.path("fifo.rom"), "not a file: a FIFO")):
            r, out, err = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root,
                              "--romfile", bad)
            check(r == 2 and needle in err and not out,
                  "--romfile %s: exit 2, '%s' (%s)" % (os.path.basename(bad), needle, err.strip()))
        r, _, err = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root,
                        "--firmware", "ovmf", "--romfile", vbios)
        check(r == 2 and "no EFI x64 driver image" in err,
              "--firmware ovmf with a video BIOS only: exit 2 (%s)" % err.strip())
        if os.path.exists(EFI_ROM):
            scenario("--firmware ovmf", t, files, stack, ["--firmware", "ovmf"],
                     mode="legacy", prop="on",
                     needles=("romfile: igdpt's EFI driver (igdpt-efi.rom)", "-bios "),
                     goldens=[("10.1", "text", "qa-ovmf-10.1.txt"),
                              ("10.1", "libvirt", "qa-ovmf-10.1.xml"),
                              ("10.1", "proxmox", "qa-ovmf-10.1.pve")])
        else:
            check(False, "igdpt-efi.rom is built (%s)" % EFI_ROM)
    finally:
        t.cleanup()

    t = igd_tree("tgl", device=0x9A49, ggc=0x0500)
    try:
        scenario("gen 12", t, files, stack, [], mode="upt", prop="off",
                 needles=("legacy-mode check generation: refuted: gen 12",),
                 goldens=[("10.1", "libvirt", "qa-upt-q35-10.1.xml"),
                          ("10.1", "proxmox", "qa-upt-q35-10.1.pve")])
        scenario("--mode legacy on gen 12", t, files, stack, ["--mode", "legacy"], rc=1,
                 err_needles=("legacy mode is not possible: gen 12: legacy mode takes gen 6-9 "
                              "only; no ROM",))
    finally:
        t.cleanup()

    t = igd_tree("adl", device=0x46A6, cls=0x038000, ggc=0xF0C1)
    try:
        image = files.path("adl, prepared.bin")
        r, _, err = run(None, "build", "--reference", "--guest", "-o", image)
        scenario("class 0x0380 with --image", t, files, stack, ["--image", image], mode="upt",
                 prop="off", needles=("-fw_cfg name=etc/igd-opregion,file=", ",, prepared.bin"),
                 goldens=[("10.1", "proxmox", "qa-image-10.1.pve")])
    finally:
        t.cleanup()


def images(files):
    print("== --image checked as igdpt vm checks it")
    t = igd_tree("images")
    try:
        ref = igdpt("build", "--reference", "--guest", "-o", "-").stdout
        op = corpus("opregion/rikka0w0-qemu-gvt-d-opregion.bin")
        vbt = os.path.join(CORPUS, SKL_VBT)
        empty = files.path("empty.bin")
        open(empty, "wb").close()
        big = files.path("100M.bin")
        with open(big, "wb") as f:
            f.truncate(100 << 20)
        rvda20 = files.path("v2.0-rvda.bin")
        with open(rvda20, "wb") as f:
            f.write(with_extended_vbt(op, b"x" * 4096, (2, 0), 0x7A3B4000))
        padded = files.path("padded.bin")
        with open(padded, "wb") as f:
            f.write(ref + bytes((16 << 20) - len(ref)))
        fifo = files.path("image.fifo")
        os.mkfifo(fifo)
        cases = [
            (files.dir, 2, "not a file: Is a directory"),
            (empty, 1, "empty file, not an OpRegion"),
            ("/dev/zero", 2, "not a file: a character device"),
            ("/dev/urandom", 2, "not a file: a character device"),
            (big, 2, "too large for an OpRegion or VBT"),
            (vbt, 1, "a bare VBT, not an OpRegion"),
            (rvda20, 1, "version 2.0 RVDA is a host physical address"),
            (fifo, 2, "not a file: a FIFO"),
            (padded, 1, "16769024 bytes after the OpRegion's end (0x2000)"),
            (files.path("nothing.bin"), 2, "No such file or directory"),
        ]
        for path, want, needle in cases:
            for form in ([], ["--libvirt"], ["--proxmox"], ["--json"]):
                try:
                    r, out, err = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root,
                                      "--image", path, *form)
                except subprocess.TimeoutExpired:
                    r, out, err = "hang", "", ""
                check(r == want and needle in err and not out,
                      "--image %s %s: exit %d, '%s', nothing printed (%s)"
                      % (os.path.basename(path), " ".join(form), want, needle, err.strip()[:160]))
        good = files.path("good,image.bin")
        with open(good, "wb") as f:
            f.write(ref)
        r, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root, "--image",
                        good, "--libvirt")
        check(r == 0 and "file=" + os.path.realpath(good).replace(",", ",,") in out,
              "a valid --image: the libvirt -fw_cfg argument doubles its comma")
        amp = files.path("a&b'<c>.bin")
        with open(amp, "wb") as f:
            f.write(ref)
        r, out, _ = run(t, "qemu-args", "--qemu-version", "10.1", "--root", t.root, "--image",
                        amp, "--libvirt")
        check(r == 0 and "a&amp;b&apos;&lt;c&gt;.bin" in out,
              "--image with &, ', <, > is XML-escaped in the libvirt fragment")
        libvirt_valid(out, "the fragment with an XML-escaped --image")
    finally:
        t.cleanup()


def stack_root():
    """The trixie stack's root, or None (then 11.1's half is not run)."""
    if not QEMU11:
        return None
    if os.geteuid() != 0:
        print("the trixie stack runs QEMU in a chroot, which needs root: skipping")
        sys.exit(77)
    p = subprocess.run([FETCH], capture_output=True, text=True, timeout=1200)
    if p.returncode != 0:
        print("the trixie stack cannot be fetched here: " + p.stderr.strip())
        sys.exit(77)
    return p.stdout.strip().splitlines()[-1]


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "opregion")):
        print("IGDPT_CORPUS not set or without opregion/: skipping")
        return 77
    if not shutil.which(HOST_QEMU):
        print("qemu-system-x86_64 not installed: skipping")
        return 77
    stack = stack_root()
    files = Files(stack)
    try:
        decisions(files, stack)
        if not QEMU11:
            images(files)
    finally:
        files.cleanup()
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall qemu-args tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
