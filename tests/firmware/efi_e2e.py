#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# igdpt's EFI driver on real OVMF: each case boots QEMU + Debian's OVMF with
# the real igdpt-device behind x-pci-proxy-dev, the driver as BOOTX64.EFI on
# a FAT volume and igdpt-efi-check.efi as its next stage, and checks what
# every party reports: the driver's log on the debug port, the check's
# `IGDPT-PROBE {json}` line on COM1, QEMU's isa-debug-exit status and the
# device's event log (ASLS/BDSM writes, final guest copy). Never timings.
# The ROM cases deliver the driver instead as an option ROM (igdpt-efi.rom,
# made by `igdpt rom`) on a stock QEMU device's romfile=, which OVMF's PCI
# bus driver starts during enumeration; the volume then holds only the
# check.
# `efi_e2e.py --list` names the cases; `efi_e2e.py CASE` runs one.
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402  (the process contract's names)
from schema_check import SchemaError, check as schema_check  # noqa: E402

BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
CORPUS = os.environ.get("IGDPT_CORPUS", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
DEVICE = os.path.join(BUILD, "device", "igdpt-device")
FAT_IMG = os.path.join(BUILD, "firmware", "efi", "igdpt-efi-test.img")
CHECK_IMG = os.path.join(BUILD, "firmware", "efi", "igdpt-efi-check.img")
ROM = os.path.join(BUILD, "firmware", "efi", "igdpt-efi.rom")
ROM_DRIVER = os.path.join(BUILD, "firmware", "efi", "igdpt-efi-driver.efi")
OVMF_PAIRS = [("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
              ("/usr/share/OVMF/OVMF_CODE.fd", "/usr/share/OVMF/OVMF_VARS.fd")]
QEMU = "qemu-system-x86_64"
DUMP = "chikmyvoltage-msi-kvm-igpu-opregion.bin"
EXT_VBT = "cb-system76-tgl-u-galp5.vbt"  # vbt_size 8571: past mailbox 4's 6 KiB
DEVICE_IDS = {9: 0x5916, 12: 0x9A49}
BDSM_REGISTER = {9: "0x5c", 12: "0xc0"}
MIB = 1 << 20
BOOT_TIMEOUT = 240
SKIP = 77
# isa-debug-exit: QEMU exits with (value << 1) | 1.
EXIT_STATUS = {PROBE["VERDICT_PASS"]: 1, PROBE["VERDICT_FAIL"]: 3, PROBE["VERDICT_NO_OPREGION"]: 5}

# machine, generation, image kind, stolen size (None: no etc/igd-bdsm-size),
# device class, expected verdict, and the driver log line that must appear.
CASES = {
    "q35-gen9-reference": ("q35", 9, "reference", None, "vga", "pass", "ASLS written"),
    "q35-gen9-reference-bdsm": ("q35", 9, "reference", 8 * MIB, "vga", "pass", "BDSM 0x5c"),
    "q35-gen12-reference-bdsm": ("q35", 12, "reference", 32 * MIB, "vga", "pass", "BDSM 0xc0"),
    "pc-gen9-reference-bdsm": ("pc", 9, "reference", 8 * MIB, "vga", "pass", "BDSM 0x5c"),
    "pc-gen12-extended-vbt": ("pc", 12, "extended", None, "vga", "pass", "VBT at RVDA"),
    "q35-gen9-corpus-dump": ("q35", 9, "dump", 8 * MIB, "vga", "pass", "ASLS written"),
    "q35-gen12-extended-vbt-bdsm": ("q35", 12, "extended", 8 * MIB, "vga", "pass", "BDSM 0xc0"),
    "q35-gen9-class-display": ("q35", 9, "reference", None, "display", "pass", "class 0x380"),
    "q35-gen9-bdsm-zero": ("q35", 9, "reference", 0, "vga", "pass",
                           "etc/igd-bdsm-size is 0"),
    "q35-gen9-invalid-image": ("q35", 9, "invalid", None, "vga", "no-opregion",
                               "fw_cfg etc/igd-opregion failed validation"),
    "q35-gen9-no-fw-cfg": ("q35", 9, "none", None, "vga", "no-opregion",
                           "no fw_cfg file etc/igd-opregion"),
    "q35-gen9-rom-after-igd": ("q35", 9, "reference", 8 * MIB, "vga", "pass", "BDSM 0x5c"),
    "q35-gen12-rom-before-igd": ("q35", 12, "extended", 32 * MIB, "display", "pass", "BDSM 0xc0"),
    "pc-gen9-rom-chain": ("pc", 9, "reference", None, "vga", "pass", "placed before, left alone"),
    "q35-gen9-rom-invalid-image": ("q35", 9, "invalid", None, "vga", "no-opregion",
                                   "fw_cfg etc/igd-opregion failed validation"),
}

# The ROM cases: the stock device carrying the ROM (edk2 starts a ROM's EFI
# images whatever the PCI ids; pci-testdev is 1b36:0005, the ROM names
# 8086), its address (01.0 is enumerated before the IGD at 02.0, 06.0
# after it: OVMF defers ROM images until enumeration is over, so both
# find the IGD), and how many copies of the driver the ROM chains
# (`igdpt rom --add`).
ROM_CASES = {
    "q35-gen9-rom-after-igd": ("pci-testdev", "06.0", 1),
    "q35-gen12-rom-before-igd": ("pci-testdev", "01.0", 1),
    "pc-gen9-rom-chain": ("pci-testdev", "06.0", 2),
    "q35-gen9-rom-invalid-image": ("pci-testdev", "06.0", 1),
}
ROM_ORIGIN = "igdpt-efi-driver {version}: started from the option ROM of PCI 00:{addr}"


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def igdpt(*args):
    p = subprocess.run([IGDPT, *args], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise Failure(f"igdpt {' '.join(args)}: {p.stderr.strip()}")


def corpus(*parts):
    path = os.path.join(CORPUS, *parts)
    if not CORPUS or not os.path.exists(path):
        raise Skip(f"corpus file {'/'.join(parts)} not found (IGDPT_CORPUS)")
    return path


def make_image(kind, work):
    """The bytes published as etc/igd-opregion, made by igdpt's own tools."""
    out = os.path.join(work, "opregion.bin")
    if kind == "none":
        return None
    if kind in ("reference", "invalid"):
        igdpt("build", "--reference", "--guest", "-o", out)
    elif kind == "dump":
        igdpt("prepare", "-i", corpus("opregion", DUMP), "-o", out)
    elif kind == "extended":
        igdpt("build", "--vbt", corpus("vbt", EXT_VBT), "--opregion-version", "2.1",
              "--guest", "-o", out)
    if kind == "invalid":
        # One byte of the signature: the validator rejects it at 0x0.
        with open(out, "r+b") as f:
            f.write(b"X")
    return out


def wait_for(path, what, seconds=120):
    """Other parts of the tree may still be building: poll, then skip."""
    deadline = time.monotonic() + seconds
    while not os.access(path, os.X_OK if what != "image" else os.R_OK):
        if time.monotonic() > deadline:
            raise Skip(f"{what} not built: {path}")
        time.sleep(2)


def ovmf():
    for code, vars_ in OVMF_PAIRS:
        if os.path.exists(code) and os.path.exists(vars_):
            return code, vars_
    raise Skip("OVMF (Debian package ovmf) not installed")


def read_events(path):
    events = []
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    events.append(json.loads(line))
    return events


def probe_line(serial):
    prefix = PROBE["LINE_PREFIX"]
    lines = [l for l in serial.splitlines() if l.startswith(prefix)]
    check(len(lines) == 1, f"{len(lines)} {prefix.strip()} lines on COM1 (want exactly 1)")
    try:
        return schema_check("probe-line", lines[0][len(prefix):])
    except SchemaError as e:
        raise Failure(str(e)) from None


def make_rom(case, work):
    """The ROM case's option ROM: the built igdpt-efi.rom, or a chain."""
    copies = ROM_CASES[case][2]
    if copies == 1:
        return ROM
    rom = os.path.join(work, "chain.rom")
    igdpt("rom", "-o", rom, ROM_DRIVER, *(["--add", ROM_DRIVER] * (copies - 1)))
    return rom


def boot(case, work):
    machine, gen, kind, bdsm, klass, _, _ = CASES[case]
    volume = CHECK_IMG if case in ROM_CASES else FAT_IMG
    needed = [(IGDPT, "igdpt"), (DEVICE, "igdpt-device"), (volume, "image")]
    if case in ROM_CASES:
        needed += [(ROM, "image"), (ROM_DRIVER, "image")]
    for path, what in needed:
        wait_for(path, what)
    if not shutil.which(QEMU):
        raise Skip("qemu-system-x86_64 not installed")
    code, vars_template = ovmf()
    vars_copy = os.path.join(work, "OVMF_VARS.fd")
    shutil.copyfile(vars_template, vars_copy)
    image = make_image(kind, work)
    paths = {n: os.path.join(work, n) for n in ("serial.log", "debug.log", "device.log")}

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    dev_args = [DEVICE, "--igd-fd", str(ours.fileno()), "--generation", str(gen),
                "--class", klass, "--log", paths["device.log"]]
    if image:
        dev_args += ["--image", image]
    if bdsm is not None:
        dev_args += ["--stolen-size", str(bdsm)]
    qemu_args = [QEMU, "-machine", machine, "-accel", "tcg", "-m", "128M",
                 "-object", "memory-backend-memfd,id=ram,size=128M,share=on",
                 "-numa", "node,memdev=ram", "-nodefaults", "-nographic", "-vga", "none",
                 "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
                 "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
                 "-drive", f"if=none,id=esp,format=raw,readonly=on,file={volume}",
                 "-device", "virtio-blk-pci,drive=esp,addr=05.0",
                 "-device", f"x-pci-proxy-dev,addr=02.0,fd={theirs.fileno()}",
                 "-chardev", f"file,id=fw,path={paths['debug.log']}",
                 "-device", "isa-debugcon,iobase=0x402,chardev=fw",
                 "-serial", f"file:{paths['serial.log']}",
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]
    if image:
        qemu_args += ["-fw_cfg", f"name=etc/igd-opregion,file={image}"]
    if case in ROM_CASES:
        rom_device, rom_addr, _ = ROM_CASES[case]
        qemu_args += ["-device", f"{rom_device},addr={rom_addr},romfile={make_rom(case, work)}"]
    if bdsm is not None:
        size_file = os.path.join(work, "bdsm-size.bin")
        with open(size_file, "wb") as f:
            f.write(bdsm.to_bytes(8, "little"))
        qemu_args += ["-fw_cfg", f"name=etc/igd-bdsm-size,file={size_file}"]

    dev = subprocess.Popen(dev_args, pass_fds=[ours.fileno()], stderr=subprocess.PIPE,
                           text=True)
    ours.close()
    try:
        q = subprocess.run(qemu_args, pass_fds=[theirs.fileno()], capture_output=True,
                           text=True, timeout=BOOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Failure(f"QEMU did not finish within {BOOT_TIMEOUT} s")
    finally:
        theirs.close()
        try:
            dev_err = dev.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            dev.kill()
            dev_err = dev.communicate()[1]
    out = {n: open(p, encoding="utf-8", errors="replace").read() if os.path.exists(p) else ""
           for n, p in paths.items() if n != "device.log"}
    out["events"] = read_events(paths["device.log"])
    out["qemu_status"] = q.returncode
    out["qemu_stderr"] = q.stderr
    out["device_status"] = dev.returncode
    out["device_stderr"] = dev_err
    out["image"] = image
    return out


def driver_lines(debug):
    return [l for l in debug.splitlines() if l.startswith("igdpt-efi")]


def version():
    p = subprocess.run([IGDPT, "--version"], capture_output=True, text=True, timeout=60)
    return p.stdout.split()[-1]


def judge_rom(case, lines):
    """The ROM's images ran, from the ROM, and the application never did."""
    _, addr, copies = ROM_CASES[case]
    origin = ROM_ORIGIN.format(version=version(), addr=addr)
    started = [l for l in lines if l.startswith(origin)]
    check(len(started) == copies, f"{len(started)} lines {origin!r}, want {copies} "
          "(one per chained image)")
    check(not any(l.startswith(f"igdpt-efi {version()}:") for l in lines),
          "the boot-volume application ran although the volume holds only the check")
    check(not any("watching for one" in l for l in lines),
          "the driver ran before the IGD had PciIo: OVMF did not defer the ROM image")


def judge(case, out):
    machine, gen, kind, bdsm, klass, want, want_line = CASES[case]
    lines = driver_lines(out["debug.log"])
    print("\n".join(lines))
    check(any(want_line in l for l in lines), f"driver never logged {want_line!r}")
    if case in ROM_CASES:
        judge_rom(case, lines)
    v = probe_line(out["serial.log"])
    print(PROBE["LINE_PREFIX"] + json.dumps(v))
    check(v[PROBE["KEY_PROBE"]] == PROBE["KIND_UEFI"], f"probe is {v['probe']}")
    check(v[PROBE["KEY_VERDICT"]] == want, f"verdict {v['verdict']} ({v.get('reason')}), want {want}")
    check(out["qemu_status"] == EXIT_STATUS[want],
          f"QEMU exit status {out['qemu_status']}, want {EXIT_STATUS[want]}")
    check(int(v["device"], 16) == DEVICE_IDS[gen], f"check saw device {v['device']}")
    check(v["class"] == ("0x0300" if klass == "vga" else "0x0380"), f"class {v['class']}")
    ev = out["events"]
    asls_writes = [e for e in ev if e[EV["KEY_EVENT"]] == EV["ASLS_WRITE"] and
                   int(e[EV["VALUE"]], 16)]
    final = [e for e in ev if e[EV["KEY_EVENT"]] == EV["FINAL"]]
    check(out["device_status"] == 0, f"igdpt-device exit {out['device_status']}: "
          f"{out['device_stderr'].strip()}")
    check(len(final) == 1, "device wrote no final event")
    check(final[0].get(EV["HOST_IMAGE_UNCHANGED"], True), "device says the image file changed")

    if want == PROBE["VERDICT_PASS"]:
        asls = int(v["asls"], 16)
        check(asls and asls % 0x1000 == 0 and asls < 1 << 32, f"ASLS {v['asls']}")
        check(v["memmap"]["type"] == "acpi-nvs", f"OpRegion memory type {v['memmap']['type']}")
        check(v["fw_cfg"]["identical"] is True, "guest copy differs from fw_cfg")
        check(v["fw_cfg"]["opregion_size"] == os.path.getsize(out["image"]), "fw_cfg size")
        check(v["i915"]["verdict"] == "ok", f"i915 verdict {v['i915']}")
        check(len(asls_writes) == 1, f"{len(asls_writes)} non-zero ASLS writes (want 1: "
              "the driver never works twice)")
        check(int(asls_writes[0][EV["VALUE"]], 16) == asls, "device saw another ASLS")
        check(asls_writes[0][EV["GUEST_COPY"]] == EV["COPY_IDENTICAL"],
              "device: guest copy not identical")
        check(final[0][EV["GUEST_COPY"]] == EV["COPY_IDENTICAL"],
              "device at exit: guest copy not identical")
        if kind == "extended":
            check(v["opregion"]["vbt_source"] == "rvda", "extended VBT not found at RVDA")
            check(v["opregion"]["version"].startswith("2.1"), "extended image not 2.1")
        bdsm_writes = [e for e in ev if e[EV["KEY_EVENT"]] == EV["BDSM_WRITE"]]
        if bdsm:
            b = v["bdsm"]
            check(b["register"] == BDSM_REGISTER[gen], f"BDSM register {b['register']}")
            check(b["requested"] == bdsm, f"BDSM requested {b['requested']}")
            check(b["aligned"] and b["reserved"], f"stolen memory {b}")
            check(int(b["value"], 16) % MIB == 0 and int(b["value"], 16) != 0, "BDSM value")
            check(bdsm_writes and bdsm_writes[0][EV["REGISTER"]] == BDSM_REGISTER[gen],
                  f"device saw BDSM writes {bdsm_writes}")
        else:
            check(not bdsm_writes, f"BDSM written without a request: {bdsm_writes}")
    else:
        check(int(v["asls"], 16) == 0, f"ASLS {v['asls']} although the driver refused")
        check(not asls_writes, f"ASLS written although the driver refused: {asls_writes}")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print(f"usage: efi_e2e.py --list | CASE ({', '.join(CASES)})", file=sys.stderr)
        return 2
    case = sys.argv[1]
    keep = os.environ.get("IGDPT_EFI_KEEP")
    work = tempfile.mkdtemp(prefix="igdpt-efi-")
    try:
        out = boot(case, work)
        try:
            judge(case, out)
        except Failure:
            print("--- debug port (tail) ---\n" + "\n".join(out["debug.log"].splitlines()[-40:]))
            print("--- COM1 (tail) ---\n" + "\n".join(out["serial.log"].splitlines()[-20:]))
            print("--- QEMU stderr ---\n" + out["qemu_stderr"])
            print("--- device events ---\n" + "\n".join(json.dumps(e) for e in out["events"]))
            raise
    except Skip as e:
        print(f"SKIP: {e}")
        return SKIP
    except Failure as e:
        print(f"FAIL: {case}: {e}")
        return 1
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"ok: {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
