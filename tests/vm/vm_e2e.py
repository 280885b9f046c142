#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# End-to-end tests of `igdpt vm`: each case boots real QEMU + SeaBIOS (or,
# the ovmf-* cases, OVMF + igdpt's EFI driver and UEFI check) with the real
# igdpt-device and guest probe, and checks the stage results and the probe's
# JSON verdict (never timings), on both stacks (docs/stacks.md):
#
#   bookworm (no prefix): Debian 12's QEMU 7.2, SeaBIOS 1.16, OVMF 2022.11;
#     the device over x-pci-proxy-dev.
#   trixie-*: QEMU 11.1, SeaBIOS 1.17, OVMF 2025.02 from scripts/fetch-stack's
#     root, under chroot; the device over vfio-user. Skipped (77) with the
#     reason only when that stack cannot be had here.
#
# The matrix covers each dimension on each stack without the full cross
# product (cases() says which). OVMF gets igdpt's driver from the IGD's
# option ROM by default; one case per stack boots it from the FAT volume.
# `vm_e2e.py --list` names the cases (tests/vm/meson.build registers one
# test per case); `vm_e2e.py CASE` runs one.
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402  (the process contract's names)
from schema_check import SchemaError, check as schema_check  # noqa: E402
import stacks  # noqa: E402

SOURCE = os.environ.get("IGDPT_SOURCE_ROOT") or os.path.join(os.path.dirname(__file__), "..", "..")
BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
CORPUS = os.environ.get("IGDPT_CORPUS", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
DUMPS = ["chikmyvoltage-msi-kvm-igpu-opregion.bin", "masnax-osx-kvm-opregion.bin",
         "rikka0w0-qemu-gvt-d-opregion.bin"]
# A real VBT larger than mailbox 4's 6 KiB (vbt_size 8571, BDB 237).
EXT_VBT = "cb-system76-tgl-u-galp5.vbt"
DEVICE_IDS = {9: "0x5916", 12: "0x9a49"}
STAGES = ["image validated", "published", "placed by firmware", "ASLS programmed",
          "guest verdict", "guest copy identical", "host image untouched"]
OVMF = ["--firmware", "ovmf"]
BDSM_REGISTER = {9: "0x5c", 12: "0xc0"}
STOLEN_SIZES_MIB = (32, 64, 128, 256, 512)


def own_ram_mib():
    """The RAM igdpt vm gives SeaBIOS or OVMF and the probe beside stolen
    memory, as tools/vm/vm_memory.h defines it."""
    text = open(os.path.join(SOURCE, "tools", "vm", "vm_memory.h"), encoding="utf-8").read()
    return {fw: int(re.search(rf"#define VM_MEMORY_OWN_{macro}_MIB (\d+)u", text).group(1))
            for fw, macro in (("seabios", "PROBE"), ("ovmf", "OVMF"))}


OWN_RAM_MIB = own_ram_mib()
SKIP = 77


class Failure(Exception):
    pass


class Skip(Exception):
    pass


class Stack:
    """What a case needs of a stack: the options and environment that
    select it, the transport igdpt vm must choose, the firmware versions the
    stage texts name."""

    def __init__(self, name):
        self.name = name
        self.transport = stacks.TRANSPORT[name]
        self.args, self.env, self.root = [], {}, None
        if name == "bookworm":
            self.seabios = dpkg_upstream("seabios")
            self.ovmf = dpkg_upstream("ovmf")
            return
        try:
            self.root, manifest = stacks.fetch(name)
        except stacks.Unavailable as e:
            raise Skip(str(e)) from None
        self.args = ["--stack", name]
        self.env = {"IGDPT_STACK_DIR": self.root}
        self.run = self.root + manifest["IGDPT_STACK_RUN_DIR"]
        self.seabios = manifest["IGDPT_STACK_SEABIOS_VERSION"]
        self.ovmf = manifest["IGDPT_STACK_OVMF_VERSION"]

    def class_limit(self):
        return (f"SeaBIOS {self.seabios} places the OpRegion only for class 0x0300 (VGA), like ",
                "; this device is 0x0380")

    def bdsm_limit(self):
        return (f"SeaBIOS {self.seabios} writes the stolen-memory base only to the 32-bit BDSM at "
                "0x5c, like ")


def dpkg_upstream(package):
    """The host package's version without epoch and Debian revision."""
    v = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True,
                       text=True).stdout
    return re.sub(r"[-+~].*", "", v.split(":", 1)[-1])


def has_limit(text, limit):
    """limit: (prefix, suffix) around the other versions the text names."""
    start = text.find(limit[0])
    return start >= 0 and (len(limit) < 2 or limit[1] in text[start:])


def check(cond, what):
    if not cond:
        raise Failure(what)


def run(args, env=None):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    p = subprocess.run([IGDPT] + args, capture_output=True, text=True, env=full_env,
                       timeout=300)
    print("$ igdpt " + " ".join(args))
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    return p


def vm_run(st, args, env=None):
    """igdpt vm ARGS on stack st."""
    return run(["vm"] + st.args + args, dict(st.env, **(env or {})))


def vm_json(st, args, want_exit):
    p = vm_run(st, ["--json"] + args)
    check(p.returncode == want_exit, f"exit status {p.returncode}, expected {want_exit}")
    try:
        out = schema_check("vm", p.stdout)
    except SchemaError as e:
        raise Failure(str(e)) from None
    for key in ("verdict", "asls", "firmware", "machine", "stages", "probe", "device_log"):
        check(key in out, f"JSON lacks {key!r}")
    firmware = "ovmf" if "ovmf" in args else "seabios"
    check(out["firmware"] == firmware, f"firmware is {out['firmware']}, not {firmware}")
    check([s["name"] for s in out["stages"]] == STAGES, "stage names or order differ")
    for s in out["stages"]:
        check(set(s) >= {"name", "ok", "detail"}, f"stage {s} lacks name/ok/detail")
        check(isinstance(s["ok"], bool) and isinstance(s["detail"], str), "stage types")
    check(out["verdict"] == ("pass" if want_exit == 0 else "fail"), "verdict vs exit status")
    check(isinstance(out["device_log"].get("events"), dict), "device_log.events missing")
    check(out["kind"] == "vm" and "igdpt_version" in out, "no document header")
    check(out["stack"] == st.name, f"stack {out['stack']}, not {st.name}")
    check(out.get("transport") == st.transport, f"transport {out.get('transport')}")
    check(re.fullmatch(r"(7|11)\.\d+\.\d+", out.get("qemu_version", "")) is not None,
          f"qemu_version {out.get('qemu_version')}")
    if firmware == "ovmf":
        want = "disk" if "disk" in args else "rom"
        check(out["efi_delivery"] == want, f"efi_delivery {out['efi_delivery']}, not {want}")
        check(out["ovmf"].get("version") == st.ovmf, f"ovmf version {out['ovmf']}")
    if "qemu" not in out:  # refused before boot
        return out
    if firmware != "ovmf" and out["probe"]:  # SeaBIOS printed its banner
        check(out["seabios"]["version"].startswith(st.seabios), f"seabios {out['seabios']}")
    for proc in ("qemu", "device"):
        check(out[proc]["max_rss_kib"] > 0, f"{proc} max_rss_kib {out[proc]}")
    return out


def stage(out, name):
    return next(s for s in out["stages"] if s["name"] == name)


def expect_pass(out, machine, gen, bdsm, size, klass="0x0300"):
    """Every stage holds, and what each party said agrees (bdsm: bytes or 0)."""
    for s in out["stages"]:
        check(s["ok"], f"stage {s['name']!r} failed: {s['detail']}")
    g = out["probe"]
    check(g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_PASS"],
          f"probe verdict {g['verdict']}: {g.get('reason')}")
    check(g["device"] == DEVICE_IDS[gen], f"guest sees device {g['device']}")
    check(g["vendor"] == "0x8086" and g["class"] == klass, "guest sees wrong vendor/class")
    check(int(g["asls"], 16) == int(out["asls"], 16) != 0, "ASLS differs or is 0")
    check(int(g["asls"], 16) % 0x1000 == 0, "ASLS not 4 KiB aligned")
    check(g["memmap"]["type"] in ("reserved", "acpi-nvs"), f"memmap {g['memmap']}")
    check(g["i915"]["verdict"] == "ok", f"i915 verdict {g['i915']}")
    check(g["fw_cfg"]["identical"] is True and g["fw_cfg"]["opregion_size"] == size,
          f"fw_cfg {g['fw_cfg']}")
    dev = out["device_log"]
    start, final = dev[EV["START"]], dev[EV["FINAL"]]
    check(start[EV["DEVICE_ID"]] == DEVICE_IDS[gen], "device started with another id")
    check(start[EV["IMAGE_SIZE"]] == size, "device loaded another size")
    check(int(dev[EV["ASLS_WRITE"]][EV["VALUE"]], 16) == int(g["asls"], 16),
          "device saw another ASLS")
    check(final[EV["GUEST_COPY"]] == EV["COPY_IDENTICAL"], f"final {final}")
    check(final[EV["HOST_IMAGE_UNCHANGED"]] is True, "host image changed")
    check(dev.get(EV["PROTOCOL_ERROR"]) is None, f"protocol error: {dev.get(EV['PROTOCOL_ERROR'])}")
    check(out["machine"] == machine, "machine")
    if bdsm:
        b = g.get("bdsm", {})
        check(b.get("requested") == bdsm, f"bdsm {b}")
        check(int(b.get("value", "0"), 16) != 0 and b.get("aligned") is True, f"bdsm {b}")


def expect_bdsm_limitation(st, out):
    """Gen 11+: SeaBIOS writes 0x5C, the device's BDSM is 0xC0; the probe fails."""
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_FAIL"], "probe did not fail")
    check("BDSM" in out["probe"]["reason"], f"reason {out['probe']['reason']}")
    v = stage(out, "guest verdict")
    check(not v["ok"] and has_limit(v["detail"], (st.bdsm_limit(),)),
          f"verdict stage: {v['detail']}")
    check(has_limit(out.get("note", ""), (st.bdsm_limit(), "BDSM is at 0xc0 (gen 11+)")),
          f"no firmware-limitation note: {out.get('note')}")
    for name in ("placed by firmware", "ASLS programmed", "guest copy identical",
                 "host image untouched"):
        check(stage(out, name)["ok"], f"stage {name!r} failed: {stage(out, name)['detail']}")


def matrix_case(image, machine, gen, bdsm):
    def case(tmp, st):
        args = ["--machine", machine, "--generation", str(gen)]
        if bdsm:
            args += ["--stolen-size", "64M"]
        if image == "reference":
            args.append("--reference")
            size = 8192
        else:
            path = make_ext(tmp) if image == "ext-vbt" else os.path.join(CORPUS, "opregion", image)
            args += ["--image", path]
            size = os.path.getsize(path)
        if bdsm and gen >= 11:
            expect_bdsm_limitation(st, vm_json(st, args, 1))
        else:
            out = vm_json(st, args, 0)
            expect_pass(out, machine, gen, 64 << 20 if bdsm else 0, size)
            placed = stage(out, "placed by firmware")["detail"]
            check(placed.endswith(f", by SeaBIOS {st.seabios}"), f"placed: {placed}")
    return case


def make_ext(tmp):
    path = os.path.join(tmp, "ext-vbt-2.1.bin")
    p = run(["build", "--vbt", os.path.join(CORPUS, "vbt", EXT_VBT), "--opregion-version", "2.1",
             "-o", path])
    check(p.returncode == 0, "igdpt build --vbt failed")
    check(os.path.getsize(path) > 8192, "extended-VBT image is not larger than 8 KiB")
    return path


def corrupt(tmp, name, offset):
    ref = os.path.join(tmp, "reference.bin")
    check(run(["build", "--reference", "-o", ref]).returncode == 0, "igdpt build failed")
    data = bytearray(open(ref, "rb").read())
    data[offset] ^= 0xFF
    path = os.path.join(tmp, name)
    open(path, "wb").write(data)
    check(run(["validate", path]).returncode == 1, "the corrupted image still validates")
    return path


def corrupted_case(offset, machine):
    def case(tmp, st):
        path = corrupt(tmp, "corrupted.bin", offset)
        # Without --no-host-check the host refuses it before booting:
        # "FILE: REASON at 0xOFFSET".
        out = vm_json(st, ["--image", path, "--machine", machine], 1)
        s = stage(out, "image validated")
        check(not s["ok"] and s["detail"].startswith(path + ": "), f"stage 1: {s['detail']}")
        host_reason = s["detail"][len(path) + 2:]
        check(host_reason.endswith(f" at 0x{offset:x}"), f"host reason {host_reason!r}")
        check(out["probe"] is None, "a guest ran although the host refused the image")
        # With it, the guest probe rejects it for the same reason at the same offset.
        out = vm_json(st, ["--image", path, "--machine", machine, "--no-host-check"], 1)
        g = out["probe"]
        check(g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_FAIL"], f"probe verdict {g['verdict']}")
        check(g["reason"] == host_reason, f"probe says {g['reason']!r}, host {host_reason!r}")
        v = stage(out, "guest verdict")
        check(not v["ok"] and host_reason in v["detail"], f"verdict stage: {v['detail']}")
        for name in ("placed by firmware", "ASLS programmed", "guest copy identical",
                     "host image untouched"):
            check(stage(out, name)["ok"], f"{name}: {stage(out, name)['detail']}")
    return case


def no_opregion_case(machine):
    def case(tmp, st):
        out = vm_json(st, ["--no-opregion", "--machine", machine], 0)
        g = out["probe"]
        check(g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"],
              f"probe verdict {g['verdict']}")
        check(int(g.get("asls", "0x0"), 16) == 0, "guest ASLS is not 0")
        check(out["asls"] == "0x00000000", f"asls {out['asls']}")
        check(out["expected"] == "no-opregion", "expected")
        check("expected no OpRegion" in out.get("note", ""), "no note")
        check(EV["ASLS_WRITE"] not in out["device_log"], "device saw an ASLS write")
        check(out["device_log"][EV["FINAL"]][EV["GUEST_COPY"]] == EV["COPY_NO_IMAGE"],
              "final guest_copy")
    return case


def display_class_case(tmp, st):
    out = vm_json(st, ["--class", "display"], 1)
    check(out["probe"]["class"] == "0x0380", "guest does not see class 0x0380")
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"],
          f"probe verdict {out['probe']['verdict']}")
    placed = stage(out, "placed by firmware")
    # "SeaBIOS 1.17.0 places ... (VGA), like 1.16.2; this device is 0x0380"
    check(not placed["ok"] and placed["detail"].startswith(st.class_limit()[0]) and
          placed["detail"].endswith(st.class_limit()[1]), f"placed: {placed['detail']}")
    check(has_limit(stage(out, "guest verdict")["detail"], st.class_limit()), "verdict stage")
    check(has_limit(out.get("note", ""), st.class_limit()), "no firmware-limitation note")
    check(stage(out, "host image untouched")["ok"], "host stage")


def text_and_logs_case(tmp, st):
    logs = os.path.join(tmp, "logs")
    p = vm_run(st, ["--reference", "--keep-logs", logs])
    check(p.returncode == 0, f"exit status {p.returncode}")
    lines = p.stdout.splitlines()
    for name in STAGES:
        check(any(l.startswith("[ ok ] " + name) for l in lines), f"no '[ ok ] {name}' line")
    placed = next(l for l in lines if "placed by firmware" in l)
    check("(reserved, e820)" in placed and " 0x" in placed, f"placed line: {placed}")
    check(lines[-1] == "verdict: pass", f"last line {lines[-1]!r}")
    for f in ("device.log", "firmware.log", "serial.log", "qemu.stderr", "command-lines.txt",
              "published-opregion.bin"):
        check(os.path.exists(os.path.join(logs, f)), f"--keep-logs lacks {f}")
    fw = open(os.path.join(logs, "firmware.log"), errors="replace").read()
    check("Intel IGD OpRegion enabled at 0x" in fw, "SeaBIOS did not log the placement")
    serial = open(os.path.join(logs, "serial.log"), errors="replace").read()
    check(PROBE["LINE_PREFIX"] + "{" in serial, "no probe line on serial")
    published = open(os.path.join(logs, "published-opregion.bin"), "rb").read()
    check(published[:16] == b"IntelGraphicsMem", "published image signature")
    check(published[0x58] & 0x2 == 0, "SWSCI (MBOX bit 1) not cleared in the published image")
    cmd = open(os.path.join(logs, "command-lines.txt")).read()
    if st.transport == "proxy":
        check("x-pci-proxy-dev,addr=02.0" in cmd and "--igd-fd" in cmd, "command lines")
        return
    # chroot ROOT QEMU, the device's socket in the run's directory inside
    # the root, and that directory gone after the run.
    run_dir = re.search(r"--vfio-user (\S+)/igd\.sock", cmd)
    check(run_dir is not None and run_dir.group(1).startswith(st.run + "/igdpt-vm."),
          f"the device's socket is not in {st.run}: {cmd}")
    inside = run_dir.group(1)[len(st.root):]
    check(f"chroot {st.root} " in cmd, f"QEMU not under chroot {st.root}: {cmd}")
    check(f'"driver":"vfio-user-pci","addr":"02.0","socket":{{"type":"unix","path":"{inside}'
          '/igd.sock"}' in cmd, f"no vfio-user-pci device: {cmd}")
    check(f"-kernel {inside}/guest-kernel" in cmd, f"the probe is not in the root: {cmd}")
    check(not os.path.exists(run_dir.group(1)), f"{run_dir.group(1)} left behind")


def setup_errors_case(tmp, st):
    p = run(["vm", "--qemu", os.path.join(tmp, "no-such-qemu")])
    check(p.returncode == 2 and "no-such-qemu" in p.stderr, "missing --qemu")
    missing = os.path.join(tmp, "no-such-device")
    p = subprocess.run([IGDPT, "vm"], capture_output=True, text=True,
                       env=dict(os.environ, IGDPT_DEVICE=missing))
    check(p.returncode == 2 and missing in p.stderr and "IGDPT_DEVICE" in p.stderr,
          f"missing device: {p.stderr}")
    p = subprocess.run([IGDPT, "vm"], capture_output=True, text=True,
                       env=dict(os.environ, PATH=tmp))
    check(p.returncode == 2 and "install the Debian package qemu-system-x86" in p.stderr,
          f"no QEMU in PATH: {p.stderr}")
    missing = os.path.join(tmp, "no-such-probe.elf")
    p = subprocess.run([IGDPT, "vm"], capture_output=True, text=True,
                       env=dict(os.environ, IGDPT_PROBE_IMAGE=missing))
    check(p.returncode == 2 and missing in p.stderr, f"missing probe: {p.stderr}")
    p = run(["vm", "--stolen-size", "3X"])
    check(p.returncode == 2 and "--stolen-size 3X" in p.stderr, "bad size accepted")
    p = run(["vm", "--generation", "8", "--stolen-size", "16M"])
    check(p.returncode == 2 and "generation 8 cannot announce it in GGC" in p.stderr,
          f"stolen size without a GMS encoding accepted: {p.stderr}")
    p = run(["vm", "--bdsm-size", "64M"])
    check(p.returncode == 2 and "--stolen-size" in p.stderr, "the old option name")
    p = run(["vm", "--reference", "--no-opregion"])
    check(p.returncode == 2, "conflicting options accepted")
    # A --rom the device refuses, and one that is not a file: named as given.
    not_rom = os.path.join(tmp, "not-a-rom.bin")
    with open(not_rom, "wb") as f:
        f.write(b"MZ" + bytes(510))
    p = run(["vm", "--rom", not_rom])
    check(p.returncode == 2 and f"--rom {not_rom}: not a valid PCI option ROM" in p.stderr and
          "pci-rom.bin" not in p.stderr, f"--rom that is no ROM: {p.stderr}")
    fifo = os.path.join(tmp, "rom.fifo")
    os.mkfifo(fifo)
    p = run(["vm", "--rom", fifo])
    check(p.returncode == 2 and fifo in p.stderr and "a FIFO" in p.stderr,
          f"--rom FIFO: {p.stderr}")


def strategy_1b_case(machine, bdsm):
    def case(tmp, st):
        strategy_1b(st, machine, bdsm)
    return case


def strategy_1b(st, machine, bdsm):
    # 1b: the device itself copies the image to the ASLS the firmware wrote.
    out = vm_json(st, ["--strategy", "1b", "--machine", machine] +
                  (["--stolen-size", "64M"] if bdsm else []), 0)
    expect_pass(out, machine, 9, 64 << 20 if bdsm else 0, 8192)
    dev = out["device_log"]
    check(dev[EV["ASLS_WRITE"]][EV["GUEST_COPY"]] == EV["COPY_PLACED"], "device did not place")
    check(dev[EV["START"]][EV["STRATEGY"]] == "1b", "device strategy")


def timeout_case(tmp, st):
    # 10 ms is far below any boot: QEMU and the device must be killed and the
    # run reported as a timeout, not hang or pass.
    out = vm_json(st, ["--timeout", "0.01"], 1)
    v = stage(out, "guest verdict")
    check(not v["ok"] and "timeout" in v["detail"], f"verdict stage: {v['detail']}")
    check(out["timed_out"] is True, "timed_out")


# ---- --firmware ovmf: igdpt-efi places the OpRegion, the UEFI check judges ----

def expect_ovmf_pass(st, out, machine, gen, bdsm, size, klass="0x0300"):
    """expect_pass, plus what only OVMF + igdpt-efi says: where the driver
    came from (the IGD's option ROM, or the FAT volume) and on which OVMF."""
    expect_pass(out, machine, gen, bdsm, size, klass)
    g = out["probe"]
    check(g[PROBE["KEY_PROBE"]] == PROBE["KIND_UEFI"],
          f"probe {g['probe']}: the UEFI check did not judge")
    check(g["memmap"]["type"] == "acpi-nvs", f"memmap {g['memmap']}")
    drv = out["ovmf"]["driver"]
    rom = out["efi_delivery"] == "rom"
    check(drv["ran"] and drv["opregion_placed"], f"driver {drv}")
    # From the ROM the driver starts no next stage: the check is the volume's
    # BOOTX64.EFI. From the volume, the driver starts the check itself.
    check(drv["from_rom"] == rom and drv["next_stage_started"] == (not rom), f"driver {drv}")
    check(not rom or drv["rom_of"] == "00:02.0", f"driver {drv}")
    check(int(drv["asls"], 16) == int(g["asls"], 16), f"driver placed at {drv['asls']}")
    check("refusal" not in drv, f"driver refusal: {drv.get('refusal')}")
    placed = stage(out, "placed by firmware")["detail"]
    origin = "option ROM of 00:02.0" if rom else "BOOTX64.EFI on the boot volume"
    check(placed.startswith(f"0x{int(g['asls'], 16):08x} (acpi-nvs, UEFI memory map) by "
                            f"igdpt-efi ({origin}, OVMF {st.ovmf}), "), f"placed: {placed}")
    check(out["device_log"][EV["ASLS_WRITE"]]["count"] == 1, "ASLS written more than once")
    if bdsm:
        b = g["bdsm"]
        check(b["register"] == BDSM_REGISTER[gen] and b["reserved"] is True, f"bdsm {b}")
        check(drv["stolen_placed"] and int(drv["bdsm"], 16) == int(b["value"], 16),
              f"driver stolen memory {drv}")
        w = out["device_log"].get(EV["BDSM_WRITE"], {})
        check(w.get(EV["REGISTER"]) == BDSM_REGISTER[gen] and
              int(w.get(EV["VALUE"], "0"), 16) == int(b["value"], 16), f"device BDSM write {w}")
        check(f"stolen memory at 0x{int(b['value'], 16):08x}" in placed, f"placed: {placed}")
    else:
        check(not drv["stolen_placed"] and EV["BDSM_WRITE"] not in out["device_log"],
              "stolen memory placed without a request")


def ovmf_case(image, machine, gen, bdsm, delivery="rom"):
    def case(tmp, st):
        args = OVMF + ["--machine", machine, "--generation", str(gen)]
        if delivery != "rom":
            args += ["--efi-delivery", delivery]
        if bdsm:
            args += ["--stolen-size", f"{bdsm >> 20}M"]
        if image == "reference":
            path = None
        elif image == "ext-vbt":
            path = make_ext(tmp)
        else:
            # A real dump made guest-ready by igdpt prepare, as a user would.
            path = os.path.join(tmp, "prepared.bin")
            p = run(["prepare", "-i", os.path.join(CORPUS, "opregion", image), "-o", path])
            check(p.returncode == 0, "igdpt prepare failed")
        args += ["--image", path] if path else ["--reference"]
        out = vm_json(st, args, 0)
        expect_ovmf_pass(st, out, machine, gen, bdsm, os.path.getsize(path) if path else 8192)
        if image == "ext-vbt":
            check(out["probe"]["opregion"]["vbt_source"] == "rvda", "extended VBT not at RVDA")
    return case


def stolen_size_case(firmware, machine, gen, mib):
    """Stolen memory of a size real hosts pre-allocate: the guest's RAM grows
    with it by default (vm_memory.h: the firmware's and guest's own plus the
    stolen memory), the firmware reserves it below 4 GiB and the guest sees
    BDSM point there."""
    def case(tmp, st):
        args = ["--machine", machine, "--generation", str(gen), "--reference",
                "--stolen-size", f"{mib}M"]
        out = vm_json(st, (OVMF if firmware == "ovmf" else []) + args, 0)
        check(out["memory_mib"] == OWN_RAM_MIB[firmware] + mib,
              f"guest RAM {out['memory_mib']} MiB for {mib} MiB of stolen memory")
        if firmware == "ovmf":
            expect_ovmf_pass(st, out, machine, gen, mib << 20, 8192)
        else:
            expect_pass(out, machine, gen, mib << 20, 8192)
    return case


def ovmf_display_class_case(tmp, st):
    # SeaBIOS skips class 0x0380; igdpt-efi handles it, so the run passes.
    out = vm_json(st, OVMF + ["--machine", "q35", "--class", "display"], 0)
    check(out["probe"]["class"] == "0x0380", "guest does not see class 0x0380")
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_PASS"],
          f"probe verdict {out['probe']['verdict']}")
    check(out["device_log"][EV["START"]][EV["CLASS"]] == "0x0380", "device class")
    check("SeaBIOS" not in json.dumps(out["stages"]) and "note" not in out,
          "a SeaBIOS limitation is reported for OVMF")
    expect_ovmf_pass(st, out, "q35", 9, 0, 8192, klass="0x0380")


def ovmf_no_opregion_case(tmp, st):
    out = vm_json(st, OVMF + ["--machine", "q35", "--no-opregion"], 0)
    g = out["probe"]
    check(g[PROBE["KEY_PROBE"]] == PROBE["KIND_UEFI"] and
          g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"], f"probe {g}")
    check(int(g.get("asls", "0x0"), 16) == 0 and out["asls"] == "0x00000000", "ASLS is not 0")
    check("expected no OpRegion" in out.get("note", ""), "no note")
    check(EV["ASLS_WRITE"] not in out["device_log"], "device saw an ASLS write")
    drv = out["ovmf"]["driver"]
    check(drv["ran"] and drv["from_rom"] and not drv["opregion_placed"], f"driver {drv}")
    placed = stage(out, "placed by firmware")["detail"]
    check("igdpt-efi: no fw_cfg file etc/igd-opregion" in placed, f"placed: {placed}")


def ovmf_invalid_case(tmp, st):
    # The host would refuse it; with --no-host-check the driver must, with
    # the same reason at the same offset, and leave ASLS 0.
    path = corrupt(tmp, "corrupted.bin", 0x0)
    out = vm_json(st, OVMF + ["--machine", "q35", "--image", path, "--no-host-check"], 1)
    host = stage(out, "image validated")["detail"]
    host_reason = host[host.index(path + ": ") + len(path) + 2:]
    check(host_reason.endswith(" at 0x0"), f"host reason {host_reason!r}")
    refusal = ("igdpt-efi refused: fw_cfg etc/igd-opregion is invalid: " + host_reason +
               "; ASLS stays 0")
    placed = stage(out, "placed by firmware")
    check(not placed["ok"] and placed["detail"] == refusal, f"placed: {placed['detail']}")
    check(not stage(out, "ASLS programmed")["ok"], "ASLS stage holds")
    verdict = stage(out, "guest verdict")
    check(not verdict["ok"] and host_reason in verdict["detail"], f"verdict: {verdict['detail']}")
    check(host_reason in out.get("note", ""), "no note with the driver's reason")
    g = out["probe"]
    check(g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"] and int(g["asls"], 16) == 0,
          f"probe {g}")
    check(EV["ASLS_WRITE"] not in out["device_log"] or
          int(out["device_log"][EV["ASLS_WRITE"]][EV["VALUE"]], 16) == 0,
          "device saw ASLS written")
    drv = out["ovmf"]["driver"]
    check(not drv["opregion_placed"] and host_reason in drv.get("invalid", ""), f"driver {drv}")
    check(stage(out, "host image untouched")["ok"], "host stage")


def ovmf_setup_errors_case(tmp, st):
    p = run(["vm", "--help"])
    check(p.returncode == 0 and "--firmware seabios|ovmf" in p.stdout, "--help lacks ovmf")
    check("--efi-delivery rom|disk" in p.stdout, "--help lacks --efi-delivery")
    p = run(["vm", "--firmware", "uefi"])
    check(p.returncode == 2 and "expected seabios or ovmf" in p.stderr, "bad --firmware")
    p = run(["vm", "--efi-delivery", "rom"])
    check(p.returncode == 2 and "give --firmware ovmf too" in p.stderr, "--efi-delivery alone")
    for env, delivery in (("IGDPT_EFI_IMAGE", "disk"), ("IGDPT_EFI_CHECK_IMAGE", "rom"),
                          ("IGDPT_EFI_DRIVER", "rom")):
        missing = os.path.join(tmp, "no-such-" + env)
        p = run(["vm", "--firmware", "ovmf", "--efi-delivery", delivery], env={env: missing})
        check(p.returncode == 2 and missing in p.stderr and env in p.stderr,
              f"missing {env}: {p.stderr}")
    missing = os.path.join(tmp, "no-such-OVMF_CODE.fd")
    p = run(["vm", "--firmware", "ovmf"], env={"IGDPT_OVMF_CODE": missing})
    check(p.returncode == 2 and missing in p.stderr, f"missing OVMF code: {p.stderr}")
    # A driver that cannot go into a ROM (not an EFI driver): refused before
    # boot with the builder's reason.
    p = run(["vm", "--firmware", "ovmf"], env={"IGDPT_EFI_DRIVER": IGDPT})
    check(p.returncode == 2 and "cannot go into an option ROM" in p.stderr,
          f"a non-EFI driver: {p.stderr}")
    # An igdpt outside its build tree, nothing installed: name the path and
    # say to build.
    os.makedirs(os.path.join(tmp, "tree", "tools"))
    copy = os.path.join(tmp, "tree", "tools", "igdpt")
    with open(IGDPT, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    os.chmod(copy, 0o755)
    for delivery, name in (("rom", "igdpt-efi-check.img"), ("disk", "igdpt-efi-test.img")):
        p = subprocess.run([copy, "vm", "--firmware", "ovmf", "--efi-delivery", delivery],
                           capture_output=True, text=True,
                           env=dict(os.environ, IGDPT_DEVICE=os.path.join(BUILD, "device",
                                                                           "igdpt-device")))
        want = os.path.join(tmp, "tree", "firmware", "efi", name)
        check(p.returncode == 2 and want in p.stderr and "build igdpt first" in p.stderr,
              f"EFI volume not built: {p.stderr}")


def trixie_setup_errors_case(tmp, st):
    """What only the trixie stack can get wrong, refused before boot (exit 2)."""
    p = vm_run(st, ["--transport", "proxy"])
    check(p.returncode == 2 and p.stdout == "" and
          "--transport proxy: QEMU 11." in p.stderr and "dies with SIGSEGV" in p.stderr and
          "use --transport vfio-user" in p.stderr, f"proxy on QEMU 11: {p.stderr}")
    p = run(["vm", "--transport", "vfio-user"])
    check(p.returncode == 2 and "has no vfio-user client" in p.stderr and
          "use --transport proxy" in p.stderr, f"vfio-user on QEMU 7.2: {p.stderr}")
    empty = os.path.join(tmp, "no-stack")
    os.mkdir(empty)
    p = run(["vm", "--stack", st.name], env={"IGDPT_STACK_DIR": empty})
    check(p.returncode == 2 and "not fetched" in p.stderr and empty in p.stderr and
          "scripts/fetch-stack" in p.stderr, f"a missing stack: {p.stderr}")
    p = vm_run(st, ["--qemu", "qemu-system-x86_64"])
    check(p.returncode == 2 and "an absolute path inside the stack's root" in p.stderr,
          f"a relative --qemu: {p.stderr}")
    p = vm_run(st, ["--qemu", "/usr/bin/no-such-qemu"])
    check(p.returncode == 2 and "not found or not executable in the trixie stack's root" in
          p.stderr, f"a missing --qemu: {p.stderr}")
    before = stacks.run_dirs(st.root, {"IGDPT_STACK_RUN_DIR": st.run[len(st.root):]})
    p = vm_run(st, ["--stack", "sid"])
    check(p.returncode == 2 and "expected bookworm|trixie" in p.stderr, f"--stack sid: {p.stderr}")
    # Nothing of these refusals is left in the root's run directory (other
    # cases may run meanwhile: only new directories of this case count).
    check(stacks.run_dirs(st.root, {"IGDPT_STACK_RUN_DIR": st.run[len(st.root):]}) <= before,
          "a refused run left a directory in the stack's root")


def trixie_efi_disk_vs_rom_case(tmp, st):
    """--efi-delivery disk on QEMU 11.1, and the ROM igdpt vm built: named for
    the device id (QEMU's vfio code would patch byte 6 of another id's ROM)
    and checked by igdpt rom --check."""
    ovmf_case("reference", "q35", 9, 0, "disk")(tmp, st)
    logs = os.path.join(tmp, "logs")
    p = vm_run(st, OVMF + ["--generation", "12", "--keep-logs", logs])
    check(p.returncode == 0, f"exit status {p.returncode}")
    rom = os.path.join(logs, "pci-rom.bin")
    check(os.path.exists(rom), "--keep-logs lacks the ROM")
    p = run(["rom", "--check", "--json", rom])
    check(p.returncode == 0, f"igdpt rom --check: {p.stderr}")
    pcir = json.loads(p.stdout)["files"][0]
    check("0x9a49" in json.dumps(pcir), f"the ROM does not name 0x9a49: {pcir}")
    cmd = open(os.path.join(logs, "command-lines.txt")).read()
    check("--rom " in cmd and "romfile=" not in cmd, f"over vfio-user the ROM is the device's: "
          f"{cmd}")


def bookworm_romfile_case(tmp, st):
    """Over QEMU 7.2's proxy the ROM goes to QEMU's romfile= and to the
    device's --rom alike (docs/device.md)."""
    logs = os.path.join(tmp, "logs")
    p = vm_run(st, OVMF + ["--keep-logs", logs])
    check(p.returncode == 0, f"exit status {p.returncode}")
    cmd = open(os.path.join(logs, "command-lines.txt")).read()
    rom = re.search(r"--rom (\S+)", cmd)
    proxy = re.search(r"x-pci-proxy-dev,addr=02\.0,fd=\d+,romfile=(\S+)", cmd)
    check(rom is not None and proxy is not None and rom.group(1) == proxy.group(1),
          f"romfile= and --rom differ: {cmd}")
    check("igdpt-efi-check.img" in cmd, f"the check's volume is not on the disk: {cmd}")


def qemu_version_cache_case(tmp, st):
    """QEMU's version is asked once per binary: igdpt vm remembers it until
    the binary changes, and asks every time with the cache off."""
    asked = os.path.join(tmp, "asked")
    wrapper = os.path.join(tmp, "qemu-system-x86_64")
    real = shutil.which("qemu-system-x86_64")

    def write_wrapper(note):
        with open(wrapper, "w") as f:
            f.write(f"#!/bin/sh\n# {note}\n"
                    f"[ \"$1\" = --version ] && echo >>'{asked}'\nexec {real} \"$@\"\n")
        os.chmod(wrapper, 0o755)

    def runs(n, env=None):
        for _ in range(n):
            p = vm_run(st, ["--qemu", wrapper, "--reference"],
                       dict({"XDG_CACHE_HOME": os.path.join(tmp, "cache")}, **(env or {})))
            check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
        return len(open(asked).read()) if os.path.exists(asked) else 0

    write_wrapper("first")
    check(runs(2) == 1, "two runs of one QEMU asked its version more than once")
    write_wrapper("upgraded")
    check(runs(1) == 2, "a changed QEMU binary was not asked again")
    check(runs(2, {"IGDPT_QEMU_VERSION_CACHE": "off"}) == 4,
          "IGDPT_QEMU_VERSION_CACHE=off still used the cache")


def cases():
    """name -> (stack, case). The matrix: every dimension on each stack, not
    their cross product.

    bookworm (QEMU 7.2, proxy): SeaBIOS on pc/q35 x gen 9/12 x stolen memory
    with the reference image (8); the three real dumps and the extended-VBT
    image on three (machine, gen, stolen) rows each (12); no OpRegion (pc,
    q35), two corrupted images, class display, 1b, text output and
    --keep-logs, a timeout, setup errors; OVMF (ROM delivery) with the
    reference on gen 9 and gen 12 + 32 MiB, the extended VBT on pc gen 12, a
    prepared dump, class display, no OpRegion, an invalid image, setup
    errors, and one disk-delivery case (8 + 1 + the romfile= check).

    trixie (QEMU 11.1, vfio-user): SeaBIOS on pc/q35 x gen 9/12 x stolen
    memory (8); each real dump and the extended VBT on one row (4); no
    OpRegion, a corrupted image, class display, 1b with stolen memory on
    q35, text output and --keep-logs, refusals; OVMF as on bookworm (ROM
    delivery) plus disk delivery and the ROM built for gen 12."""
    c = {}
    for name in ("bookworm", "trixie"):
        pre = "" if name == "bookworm" else name + "-"
        for machine in ("pc", "q35"):
            for gen in (9, 12):
                for bdsm in (False, True):
                    c[f"{pre}reference-{machine}-gen{gen}-{'bdsm64M' if bdsm else 'nobdsm'}"] = \
                        (name, matrix_case("reference", machine, gen, bdsm))
        # OVMF boots take seconds under TCG: a handful of cases, each a new path.
        c[f"{pre}ovmf-reference-q35-gen9"] = (name, ovmf_case("reference", "q35", 9, 0))
        c[f"{pre}ovmf-reference-q35-gen12-bdsm32M"] = \
            (name, ovmf_case("reference", "q35", 12, 32 << 20))
        c[f"{pre}ovmf-ext-vbt-pc-gen12"] = (name, ovmf_case("ext-vbt", "pc", 12, 0))
        c[f"{pre}ovmf-prepared-dump-q35-gen9"] = (name, ovmf_case(DUMPS[0], "q35", 9, 0))
        c[f"{pre}ovmf-class-display-q35"] = (name, ovmf_display_class_case)
        c[f"{pre}ovmf-no-opregion-q35"] = (name, ovmf_no_opregion_case)
        c[f"{pre}ovmf-invalid-image-q35"] = (name, ovmf_invalid_case)
        c[f"{pre}class-display"] = (name, display_class_case)
        c[f"{pre}text-and-keep-logs"] = (name, text_and_logs_case)
    # Real dumps and the extended-VBT image on bookworm: every machine,
    # generation and BDSM value, without the combination SeaBIOS cannot do
    # (gen 11+ BDSM); on trixie one row each, together the same three.
    rows = (("pc", 9, False), ("q35", 12, False), ("q35", 9, True))
    for i, (image, tag) in enumerate([(d, d.split("-")[0]) for d in DUMPS] +
                                     [("ext-vbt", "ext-vbt")]):
        for machine, gen, bdsm in rows:
            c[f"{tag}-{machine}-gen{gen}-{'bdsm64M' if bdsm else 'nobdsm'}"] = \
                ("bookworm", matrix_case(image, machine, gen, bdsm))
        machine, gen, bdsm = rows[i % len(rows)]
        c[f"trixie-{tag}-{machine}-gen{gen}-{'bdsm64M' if bdsm else 'nobdsm'}"] = \
            ("trixie", matrix_case(image, machine, gen, bdsm))
    c["no-opregion-pc"] = ("bookworm", no_opregion_case("pc"))
    c["no-opregion-q35"] = ("bookworm", no_opregion_case("q35"))
    c["trixie-no-opregion-q35"] = ("trixie", no_opregion_case("q35"))
    c["corrupted-signature"] = ("bookworm", corrupted_case(0x0, "pc"))
    c["corrupted-vbt-signature"] = ("bookworm", corrupted_case(0x400, "q35"))
    c["trixie-corrupted-vbt-signature"] = ("trixie", corrupted_case(0x400, "pc"))
    c["setup-errors"] = ("bookworm", setup_errors_case)
    c["strategy-1b"] = ("bookworm", strategy_1b_case("pc", False))
    c["trixie-strategy-1b-q35-bdsm64M"] = ("trixie", strategy_1b_case("q35", True))
    c["timeout"] = ("bookworm", timeout_case)
    c["ovmf-disk-reference-q35-gen9"] = ("bookworm", ovmf_case("reference", "q35", 9, 0, "disk"))
    c["ovmf-romfile-on-the-proxy"] = ("bookworm", bookworm_romfile_case)
    c["ovmf-setup-errors"] = ("bookworm", ovmf_setup_errors_case)
    c["trixie-ovmf-disk-and-rom"] = ("trixie", trixie_efi_disk_vs_rom_case)
    # Every stolen size of the issue on SeaBIOS (gen 9: SeaBIOS cannot write
    # gen 12's BDSM) and OVMF (gen 9 and gen 12).
    for mib in STOLEN_SIZES_MIB:
        c[f"stolen-{mib}M-seabios-pc-gen9"] = ("bookworm", stolen_size_case("seabios", "pc", 9, mib))
        for gen in (9, 12):
            c[f"stolen-{mib}M-ovmf-q35-gen{gen}"] = \
                ("bookworm", stolen_size_case("ovmf", "q35", gen, mib))
    c["trixie-setup-errors"] = ("trixie", trixie_setup_errors_case)
    c["qemu-version-cache"] = ("bookworm", qemu_version_cache_case)
    return c


def main():
    all_cases = cases()
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(all_cases))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in all_cases:
        print("usage: vm_e2e.py --list | CASE", file=sys.stderr)
        return 2
    if not os.access(IGDPT, os.X_OK) or not os.path.isdir(CORPUS):
        print(f"IGDPT_BUILD_ROOT/IGDPT_CORPUS not usable: {IGDPT}, {CORPUS}", file=sys.stderr)
        return 2
    name, case = all_cases[sys.argv[1]]
    with tempfile.TemporaryDirectory(prefix="igdpt-e2e.") as tmp:
        try:
            case(tmp, Stack(name))
        except Skip as e:
            print(f"SKIP {sys.argv[1]}: {e}")
            return SKIP
        except Failure as e:
            print(f"FAIL {sys.argv[1]}: {e}", file=sys.stderr)
            return 1
    print(f"ok {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
