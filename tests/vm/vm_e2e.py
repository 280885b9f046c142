#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# End-to-end tests of `igdpt vm`: each case boots real QEMU + SeaBIOS (or,
# the ovmf-* cases, OVMF + igdpt's EFI driver and UEFI check) with the real
# igdpt-device and guest probe, and checks the stage results and the probe's
# JSON verdict (never timings). `vm_e2e.py --list` names the cases
# (tests/vm/meson.build registers one test per case); `vm_e2e.py CASE` runs one.
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402  (the process contract's names)
from schema_check import SchemaError, check as schema_check  # noqa: E402

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
FW_CLASS_LIMIT = ("SeaBIOS places the OpRegion only for class 0x0300 (VGA); "
                  "this device is 0x0380")
FW_BDSM_LIMIT = "SeaBIOS writes the stolen-memory base only to the 32-bit BDSM at 0x5c"
OVMF = ["--firmware", "ovmf"]
BDSM_REGISTER = {9: "0x5c", 12: "0xc0"}


class Failure(Exception):
    pass


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


def vm_json(args, want_exit):
    p = run(["vm", "--json"] + args)
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


def expect_bdsm_limitation(out):
    """Gen 11+: SeaBIOS writes 0x5C, the device's BDSM is 0xC0; the probe fails."""
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_FAIL"], "probe did not fail")
    check("BDSM" in out["probe"]["reason"], f"reason {out['probe']['reason']}")
    v = stage(out, "guest verdict")
    check(not v["ok"] and FW_BDSM_LIMIT in v["detail"], f"verdict stage: {v['detail']}")
    check(FW_BDSM_LIMIT in out.get("note", ""), "no firmware-limitation note")
    for name in ("placed by firmware", "ASLS programmed", "guest copy identical",
                 "host image untouched"):
        check(stage(out, name)["ok"], f"stage {name!r} failed: {stage(out, name)['detail']}")


def matrix_case(image, machine, gen, bdsm):
    def case(tmp):
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
            expect_bdsm_limitation(vm_json(args, 1))
        else:
            expect_pass(vm_json(args, 0), machine, gen, 64 << 20 if bdsm else 0, size)
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
    def case(tmp):
        path = corrupt(tmp, "corrupted.bin", offset)
        # Without --no-host-check the host refuses it before booting:
        # "FILE: REASON at 0xOFFSET".
        out = vm_json(["--image", path, "--machine", machine], 1)
        s = stage(out, "image validated")
        check(not s["ok"] and s["detail"].startswith(path + ": "), f"stage 1: {s['detail']}")
        host_reason = s["detail"][len(path) + 2:]
        check(host_reason.endswith(f" at 0x{offset:x}"), f"host reason {host_reason!r}")
        check(out["probe"] is None, "a guest ran although the host refused the image")
        # With it, the guest probe rejects it for the same reason at the same offset.
        out = vm_json(["--image", path, "--machine", machine, "--no-host-check"], 1)
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
    def case(tmp):
        out = vm_json(["--no-opregion", "--machine", machine], 0)
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


def display_class_case(tmp):
    out = vm_json(["--class", "display"], 1)
    check(out["probe"]["class"] == "0x0380", "guest does not see class 0x0380")
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"],
          f"probe verdict {out['probe']['verdict']}")
    placed = stage(out, "placed by firmware")
    check(not placed["ok"] and placed["detail"] == FW_CLASS_LIMIT, f"placed: {placed['detail']}")
    check(FW_CLASS_LIMIT in stage(out, "guest verdict")["detail"], "verdict stage")
    check(FW_CLASS_LIMIT in out.get("note", ""), "no firmware-limitation note")
    check(stage(out, "host image untouched")["ok"], "host stage")


def text_and_logs_case(tmp):
    logs = os.path.join(tmp, "logs")
    p = run(["vm", "--reference", "--keep-logs", logs])
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
    check("x-pci-proxy-dev,addr=02.0" in cmd and "--igd-fd" in cmd, "command lines")


def setup_errors_case(tmp):
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


def strategy_1b_case(tmp):
    # 1b: the device itself copies the image to the ASLS the firmware wrote.
    out = vm_json(["--strategy", "1b"], 0)
    expect_pass(out, "pc", 9, 0, 8192)
    dev = out["device_log"]
    check(dev[EV["ASLS_WRITE"]][EV["GUEST_COPY"]] == EV["COPY_PLACED"], "device did not place")
    check(dev[EV["START"]][EV["STRATEGY"]] == "1b", "device strategy")


def timeout_case(tmp):
    # 10 ms is far below any boot: QEMU and the device must be killed and the
    # run reported as a timeout, not hang or pass.
    out = vm_json(["--timeout", "0.01"], 1)
    v = stage(out, "guest verdict")
    check(not v["ok"] and "timeout" in v["detail"], f"verdict stage: {v['detail']}")
    check(out["timed_out"] is True, "timed_out")


# ---- --firmware ovmf: igdpt-efi places the OpRegion, the UEFI check judges ----

def expect_ovmf_pass(out, machine, gen, bdsm, size, klass="0x0300"):
    """expect_pass, plus what only OVMF + igdpt-efi says."""
    expect_pass(out, machine, gen, bdsm, size, klass)
    g = out["probe"]
    check(g[PROBE["KEY_PROBE"]] == PROBE["KIND_UEFI"],
          f"probe {g['probe']}: the UEFI check did not judge")
    check(g["memmap"]["type"] == "acpi-nvs", f"memmap {g['memmap']}")
    drv = out["ovmf"]["driver"]
    check(drv["ran"] and drv["opregion_placed"] and drv["next_stage_started"], f"driver {drv}")
    check(int(drv["asls"], 16) == int(g["asls"], 16), f"driver placed at {drv['asls']}")
    check("refusal" not in drv, f"driver refusal: {drv.get('refusal')}")
    placed = stage(out, "placed by firmware")["detail"]
    check(placed.startswith(f"0x{int(g['asls'], 16):08x} (acpi-nvs, UEFI memory map) by "
                            "igdpt-efi"), f"placed: {placed}")
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


def ovmf_case(image, machine, gen, bdsm):
    def case(tmp):
        args = OVMF + ["--machine", machine, "--generation", str(gen)]
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
        out = vm_json(args, 0)
        expect_ovmf_pass(out, machine, gen, bdsm, os.path.getsize(path) if path else 8192)
        if image == "ext-vbt":
            check(out["probe"]["opregion"]["vbt_source"] == "rvda", "extended VBT not at RVDA")
    return case


def ovmf_display_class_case(tmp):
    # SeaBIOS skips class 0x0380; igdpt-efi handles it, so the run passes.
    out = vm_json(OVMF + ["--machine", "q35", "--class", "display"], 0)
    check(out["probe"]["class"] == "0x0380", "guest does not see class 0x0380")
    check(out["probe"][PROBE["KEY_VERDICT"]] == PROBE["VERDICT_PASS"],
          f"probe verdict {out['probe']['verdict']}")
    check(out["device_log"][EV["START"]][EV["CLASS"]] == "0x0380", "device class")
    check("SeaBIOS" not in json.dumps(out["stages"]) and "note" not in out,
          "a SeaBIOS limitation is reported for OVMF")
    expect_ovmf_pass(out, "q35", 9, 0, 8192, klass="0x0380")


def ovmf_no_opregion_case(tmp):
    out = vm_json(OVMF + ["--machine", "q35", "--no-opregion"], 0)
    g = out["probe"]
    check(g[PROBE["KEY_PROBE"]] == PROBE["KIND_UEFI"] and
          g[PROBE["KEY_VERDICT"]] == PROBE["VERDICT_NO_OPREGION"], f"probe {g}")
    check(int(g.get("asls", "0x0"), 16) == 0 and out["asls"] == "0x00000000", "ASLS is not 0")
    check("expected no OpRegion" in out.get("note", ""), "no note")
    check(EV["ASLS_WRITE"] not in out["device_log"], "device saw an ASLS write")
    drv = out["ovmf"]["driver"]
    check(drv["ran"] and not drv["opregion_placed"], f"driver {drv}")
    placed = stage(out, "placed by firmware")["detail"]
    check("igdpt-efi: no fw_cfg file etc/igd-opregion" in placed, f"placed: {placed}")


def ovmf_invalid_case(tmp):
    # The host would refuse it; with --no-host-check the driver must, with
    # the same reason at the same offset, and leave ASLS 0.
    path = corrupt(tmp, "corrupted.bin", 0x0)
    out = vm_json(OVMF + ["--machine", "q35", "--image", path, "--no-host-check"], 1)
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


def ovmf_setup_errors_case(tmp):
    p = run(["vm", "--help"])
    check(p.returncode == 0 and "--firmware seabios|ovmf" in p.stdout, "--help lacks ovmf")
    p = run(["vm", "--firmware", "uefi"])
    check(p.returncode == 2 and "expected seabios or ovmf" in p.stderr, "bad --firmware")
    missing = os.path.join(tmp, "no-such-esp.img")
    p = run(["vm", "--firmware", "ovmf"], env={"IGDPT_EFI_IMAGE": missing})
    check(p.returncode == 2 and missing in p.stderr and "IGDPT_EFI_IMAGE" in p.stderr,
          f"missing EFI volume: {p.stderr}")
    missing = os.path.join(tmp, "no-such-OVMF_CODE.fd")
    p = run(["vm", "--firmware", "ovmf"], env={"IGDPT_OVMF_CODE": missing})
    check(p.returncode == 2 and missing in p.stderr, f"missing OVMF code: {p.stderr}")
    # An igdpt outside its build tree, nothing installed: name the path and
    # say to build.
    os.makedirs(os.path.join(tmp, "tree", "tools"))
    copy = os.path.join(tmp, "tree", "tools", "igdpt")
    with open(IGDPT, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    os.chmod(copy, 0o755)
    p = subprocess.run([copy, "vm", "--firmware", "ovmf"], capture_output=True, text=True,
                       env=dict(os.environ, IGDPT_DEVICE=os.path.join(BUILD, "device",
                                                                       "igdpt-device")))
    want = os.path.join(tmp, "tree", "firmware", "efi", "igdpt-efi-test.img")
    check(p.returncode == 2 and want in p.stderr and "build igdpt first" in p.stderr,
          f"EFI volume not built: {p.stderr}")


def cases():
    c = {}
    for machine in ("pc", "q35"):
        for gen in (9, 12):
            for bdsm in (False, True):
                c[f"reference-{machine}-gen{gen}-{'bdsm64M' if bdsm else 'nobdsm'}"] = \
                    matrix_case("reference", machine, gen, bdsm)
    # Real dumps and the extended-VBT image: every machine, generation and
    # BDSM value, without the combination SeaBIOS cannot do (gen 11+ BDSM).
    for image, tag in [(d, d.split("-")[0]) for d in DUMPS] + [("ext-vbt", "ext-vbt")]:
        for machine, gen, bdsm in (("pc", 9, False), ("q35", 12, False), ("q35", 9, True)):
            c[f"{tag}-{machine}-gen{gen}-{'bdsm64M' if bdsm else 'nobdsm'}"] = \
                matrix_case(image, machine, gen, bdsm)
    c["no-opregion-pc"] = no_opregion_case("pc")
    c["no-opregion-q35"] = no_opregion_case("q35")
    c["corrupted-signature"] = corrupted_case(0x0, "pc")
    c["corrupted-vbt-signature"] = corrupted_case(0x400, "q35")
    c["class-display"] = display_class_case
    c["text-and-keep-logs"] = text_and_logs_case
    c["setup-errors"] = setup_errors_case
    c["strategy-1b"] = strategy_1b_case
    c["timeout"] = timeout_case
    # OVMF boots take ~10-15 s under TCG: a handful of cases, each a new path.
    c["ovmf-reference-q35-gen9"] = ovmf_case("reference", "q35", 9, 0)
    c["ovmf-reference-q35-gen12-bdsm32M"] = ovmf_case("reference", "q35", 12, 32 << 20)
    c["ovmf-ext-vbt-pc-gen12"] = ovmf_case("ext-vbt", "pc", 12, 0)
    c["ovmf-prepared-dump-q35-gen9"] = ovmf_case(DUMPS[0], "q35", 9, 0)
    c["ovmf-class-display-q35"] = ovmf_display_class_case
    c["ovmf-no-opregion-q35"] = ovmf_no_opregion_case
    c["ovmf-invalid-image-q35"] = ovmf_invalid_case
    c["ovmf-setup-errors"] = ovmf_setup_errors_case
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
    with tempfile.TemporaryDirectory(prefix="igdpt-e2e.") as tmp:
        try:
            all_cases[sys.argv[1]](tmp)
        except Failure as e:
            print(f"FAIL {sys.argv[1]}: {e}", file=sys.stderr)
            return 1
    print(f"ok {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
