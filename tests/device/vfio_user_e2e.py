#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# igdpt-device end to end with real QEMU and firmware, for what the device
# itself delivers: the vfio-user transport on the trixie stack (QEMU 11.1,
# SeaBIOS 1.17, OVMF 2025.02; scripts/fetch-stack) and the option ROM on
# both stacks. Each case starts igdpt-device, boots QEMU with the command
# line docs/device.md gives, and checks what every party reports: the
# guest's `IGDPT-PROBE {json}` line, the EFI driver's log on the debug port,
# QEMU's isa-debug-exit status and the device's event log. Never timings.
#
#   vfio-user cases: igdpt-device --vfio-user SOCKET listening in the
#     stack's root (ROOT/run/igdpt-XXXXXX), QEMU chrooted there with
#     -device '{"driver":"vfio-user-pci",...}'; the ROM case serves
#     igdpt's EFI driver (built for the device's id) as ROM region 6.
#   the Linux case boots Debian 12's kernel with i915 (`ninja -C BUILD
#     guest-linux` builds it; skipped without) over vfio-user: i915 reads the
#     OpRegion through QEMU's BAR forwarding (posted writes) and igdpt's
#     register answers, and writes its mailbox fields into the guest's copy.
#   proxy cases (Debian 12's QEMU 7.2 and OVMF 2022.11): what carries the
#     ROM over x-pci-proxy-dev: romfile= with the device's ROM BAR sized the
#     same works; the device's ROM BAR alone, or romfile= without it, not.
#
# `vfio_user_e2e.py --list` names the cases; `vfio_user_e2e.py CASE` runs
# one. Exit 77 (skipped) with the reason when its stack cannot run here.
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402 (tests/lib, also without meson's PYTHONPATH)
import linux_guests  # noqa: E402

SOURCE = os.environ.get("IGDPT_SOURCE_ROOT", "")
BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
DEVICE = os.path.join(BUILD, "device", "igdpt-device")
PROBE_ELF = os.path.join(BUILD, "guest", "multiboot", "igdpt-probe.elf")
CHECK_IMG = os.path.join(BUILD, "firmware", "efi", "igdpt-efi-check.img")
ROM = os.path.join(BUILD, "firmware", "efi", "igdpt-efi.rom")
ROM_DRIVER = os.path.join(BUILD, "firmware", "efi", "igdpt-efi-driver.efi")
# The bookworm guest igdpt vm --guest linux boots (tests/lib/linux_guests.py).
VMLINUZ = os.path.join(linux_guests.guest_dir("bookworm"), "vmlinuz")
INITRD = os.path.join(linux_guests.guest_dir("bookworm"), "initrd.img")
LINUX_APPEND = "console=ttyS0 drm.debug=0x1e log_buf_len=4M loglevel=4 panic=-1"
I915_VBT = "Found valid VBT in ACPI OpRegion (Mailbox #4)"
FETCH = os.path.join(SOURCE, "scripts", "fetch-stack")
HOST_QEMU = "qemu-system-x86_64"
HOST_OVMF = ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd")
SKIP = 77
BOOT_TIMEOUT = 240
DEVICE_IDS = {9: 0x5916, 12: 0x9A49}
MIB = 1 << 20
# isa-debug-exit: QEMU exits with (value << 1) | 1.
EXIT_STATUS = {"pass": 1, "fail": 3, "no-opregion": 5}
ROM_STARTED = "started from the option ROM of PCI 00:02.0"

# name: (transport, firmware, machine, generation, strategy, class, stolen
#        bytes or None, ROM delivery, expected verdict)
#   ROM delivery: None; "region" (--rom, vfio-user region 6); "romfile"
#   (--rom and QEMU's romfile=); "bar-only" (--rom alone); "romfile-only".
CASES = {
    "vfio-user-seabios-pc": ("vfio-user", "seabios", "pc", 9, "4b", "vga", None, None, "pass"),
    "vfio-user-seabios-q35-1b-bdsm": ("vfio-user", "seabios", "q35", 9, "1b", "vga", 64 * MIB,
                                      None, "pass"),
    "vfio-user-ovmf-q35-rom-region": ("vfio-user", "ovmf", "q35", 9, "4b", "vga", None,
                                      "region", "pass"),
    "vfio-user-ovmf-pc-gen12-rom-region": ("vfio-user", "ovmf", "pc", 12, "4b", "display",
                                           32 * MIB, "region", "pass"),
    "vfio-user-seabios-linux-i915": ("vfio-user", "linux", "pc", 9, "4b", "vga", None, None,
                                     "pass"),
    "proxy-ovmf-q35-romfile": ("proxy", "ovmf", "q35", 9, "4b", "vga", None, "romfile", "pass"),
    "proxy-ovmf-q35-rom-bar-only": ("proxy", "ovmf", "q35", 9, "4b", "vga", None, "bar-only",
                                    "no-opregion"),
    "proxy-ovmf-q35-romfile-only": ("proxy", "ovmf", "q35", 9, "4b", "vga", None,
                                    "romfile-only", "no-opregion"),
}


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


def wait_built(paths):
    """Other parts of the tree may still be building: poll, then skip."""
    deadline = time.monotonic() + 120
    for path in paths:
        while not os.path.exists(path):
            if time.monotonic() > deadline:
                raise Skip(f"not built: {path}")
            time.sleep(2)


def trixie_root():
    """The trixie stack's root and manifest (fetched once, then cached)."""
    if os.geteuid() != 0:
        raise Skip("the trixie stack runs QEMU in a chroot, which needs root")
    p = subprocess.run([FETCH], capture_output=True, text=True, timeout=1200)
    if p.returncode != 0:
        raise Skip("the trixie stack cannot be fetched here: " + p.stderr.strip())
    root = p.stdout.strip().splitlines()[-1]
    env = {}
    with open(os.path.join(root, "stack.env")) as f:
        for line in f:
            key, sep, value = line.strip().partition("=")
            if sep and not key.startswith("#"):
                env[key] = value
    return root, env


def host_stack():
    if not shutil.which(HOST_QEMU):
        raise Skip("qemu-system-x86_64 not installed")
    out = subprocess.run([HOST_QEMU, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"version (\d+)\.(\d+)", out)
    if not m or (int(m.group(1)), int(m.group(2))) >= (10, 1):
        raise Skip(f"the proxy cases need QEMU < 10.1 (x-pci-proxy-dev), this is {out.split()[3:4]}")
    if not all(os.path.exists(p) for p in HOST_OVMF):
        raise Skip("OVMF (Debian package ovmf) not installed")


def read_events(path):
    events = []
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            events = [json.loads(line) for line in f if line.strip()]
    return events


def probe_line(serial):
    lines = [l for l in serial.splitlines() if l.startswith(PROBE["LINE_PREFIX"])]
    check(len(lines) == 1, f"{len(lines)} probe lines on COM1 (want exactly 1)")
    return json.loads(lines[0][len(PROBE["LINE_PREFIX"]):])


def qemu_common(machine, ram_mib=128):
    return ["-machine", machine, "-accel", "tcg", "-m", f"{ram_mib}M",
            "-object", f"memory-backend-memfd,id=ram,size={ram_mib}M,share=on",
            "-numa", "node,memdev=ram", "-nodefaults", "-nographic", "-vga", "none"]


def boot(case, work, inside, stack):
    """Runs one case with every file in work; inside maps a path in work to
    the path QEMU opens (the same on the host, /run/... in the chroot);
    stack: the QEMU command ("qemu") and OVMF's code (as QEMU opens it) and
    vars template (on the host) ("ovmf")."""
    transport, firmware, machine, gen, strategy, klass, stolen, rom, _ = CASES[case]
    image = os.path.join(work, "opregion.bin")
    igdpt("build", "--reference", "--guest", "-o", image)
    files = {"image": image, "fw": os.path.join(work, "fw.log"),
             "serial": os.path.join(work, "serial.log"), "log": os.path.join(work, "device.log")}
    dev_args = [DEVICE, "--generation", str(gen), "--class", klass, "--strategy", strategy,
                "--image", image, "--log", files["log"]]
    if stolen is not None:
        dev_args += ["--stolen-size", str(stolen)]
    rom_file = None
    if rom:
        # Over vfio-user the ROM must name the device (QEMU's vfio code
        # rewrites byte 6 of a ROM for another id: igdpt-device refuses it).
        rom_file = os.path.join(work, "igdpt-efi.rom")
        if transport == "vfio-user":
            igdpt("rom", "--device-id", hex(DEVICE_IDS[gen]), "-o", rom_file, ROM_DRIVER)
        else:
            shutil.copy(ROM, rom_file)
        if rom != "romfile-only":
            dev_args += ["--rom", rom_file]
    q = qemu_common(machine)
    if firmware == "linux":
        for path in (VMLINUZ, INITRD):
            shutil.copy(path, os.path.join(work, os.path.basename(path)))
        q += ["-kernel", inside(os.path.join(work, "vmlinuz")),
              "-initrd", inside(os.path.join(work, "initrd.img")), "-append", LINUX_APPEND]
    elif firmware == "seabios":
        shutil.copy(PROBE_ELF, os.path.join(work, "probe.elf"))
        q += ["-kernel", inside(os.path.join(work, "probe.elf"))]
    else:
        code, vars_template = stack["ovmf"]
        shutil.copy(vars_template, os.path.join(work, "vars.fd"))
        shutil.copy(CHECK_IMG, os.path.join(work, "esp.img"))
        q += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={code}",
              "-drive", f"if=pflash,format=raw,unit=1,file={inside(os.path.join(work, 'vars.fd'))}",
              "-drive", f"if=none,id=esp,format=raw,readonly=on,file={inside(os.path.join(work, 'esp.img'))}",
              "-device", "virtio-blk-pci,drive=esp,addr=05.0"]
    if stolen is not None:
        size_file = os.path.join(work, "bdsm-size.bin")
        with open(size_file, "wb") as f:
            f.write(stolen.to_bytes(8, "little"))
        q += ["-fw_cfg", f"name=etc/igd-bdsm-size,file={inside(size_file)}"]
    q += ["-fw_cfg", f"name=etc/igd-opregion,file={inside(image)}",
          "-chardev", f"file,id=fw,path={inside(files['fw'])}",
          "-device", "isa-debugcon,iobase=0x402,chardev=fw",
          "-serial", f"file:{inside(files['serial'])}",
          "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]

    pass_fds = []
    if transport == "vfio-user":
        sock = os.path.join(work, "igd.sock")
        dev_args += ["--vfio-user", sock]
        q += ["-device", json.dumps({"driver": "vfio-user-pci", "addr": "02.0",
                                     "socket": {"type": "unix", "path": inside(sock)}})]
        dev = subprocess.Popen(dev_args, stderr=subprocess.PIPE, text=True)
        # The device listens once its socket file is there.
        deadline = time.monotonic() + 30
        while not os.path.exists(sock) and dev.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        check(os.path.exists(sock), f"igdpt-device is not listening: {dev.poll()}")
    else:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        dev_args += ["--igd-fd", str(ours.fileno())]
        proxy = f"x-pci-proxy-dev,addr=02.0,fd={theirs.fileno()}"
        if rom in ("romfile", "romfile-only"):
            proxy += f",romfile={rom_file}"
        q += ["-device", proxy]
        dev = subprocess.Popen(dev_args, pass_fds=[ours.fileno()], stderr=subprocess.PIPE,
                               text=True)
        ours.close()
        pass_fds = [theirs.fileno()]
    cmd = stack["qemu"] + q
    print("$ " + " ".join(cmd))
    try:
        qp = subprocess.run(cmd, pass_fds=pass_fds, capture_output=True, text=True,
                            timeout=BOOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        dev.kill()
        raise Failure(f"QEMU did not finish within {BOOT_TIMEOUT} s")
    finally:
        for fd in pass_fds:
            os.close(fd)
        try:
            dev_err = dev.communicate(timeout=30)[1]
        except subprocess.TimeoutExpired:
            dev.kill()
            dev_err = dev.communicate()[1]
    out = {name: open(path, encoding="utf-8", errors="replace").read()
           if os.path.exists(path) else "" for name, path in files.items() if name in ("fw", "serial")}
    out.update(events=read_events(files["log"]), qemu_status=qp.returncode, qemu_stderr=qp.stderr,
               device_status=dev.returncode, device_stderr=dev_err, image=image,
               socket_left=transport == "vfio-user" and os.path.exists(os.path.join(work, "igd.sock")))
    return out


def judge(case, out):
    transport, firmware, machine, gen, strategy, klass, stolen, rom, want = CASES[case]
    driver = [l for l in out["fw"].splitlines() if l.startswith("igdpt-efi")]
    print("\n".join(driver))
    v = probe_line(out["serial"])
    print(PROBE["LINE_PREFIX"] + json.dumps(v))
    ev = out["events"]
    check(out["device_status"] == 0,
          f"igdpt-device exit {out['device_status']}: {out['device_stderr'].strip()}")
    check(not out["socket_left"], "the device left its socket file behind")
    starts = [e for e in ev if e["event"] == EV["START"]]
    check(len(starts) == 1 and starts[0][EV["TRANSPORT"]] == transport,
          f"start events {starts}")
    check(not [e for e in ev if e["event"] == EV["PROTOCOL_ERROR"]],
          f"QEMU's messages refused: {[e for e in ev if e['event'] == EV['PROTOCOL_ERROR']]}")
    check(v["verdict"] == want, f"verdict {v['verdict']} ({v.get('reason')}), want {want}")
    final = [e for e in ev if e["event"] == EV["FINAL"]]
    check(len(final) == 1 and final[0].get(EV["HOST_IMAGE_UNCHANGED"]), "final event")
    if firmware == "linux":
        # Linux powers off through panic=-1 and -no-reboot, not isa-debug-exit.
        check(I915_VBT in out["serial"], f"i915 never said {I915_VBT!r}")
        writes = final[0].get(EV["OPREGION_WRITES"], [])
        check(any(w[EV["FIELD"]] == "ACPI.DRDY" for w in writes),
              f"i915 wrote no ACPI.DRDY into the guest's copy: {writes}")
        return
    check(out["qemu_status"] == EXIT_STATUS[want],
          f"QEMU exit status {out['qemu_status']}, want {EXIT_STATUS[want]}: {out['qemu_stderr']}")
    check(int(v["device"], 16) == DEVICE_IDS[gen], f"the guest saw device {v['device']}")
    check(v["class"] == ("0x0300" if klass == "vga" else "0x0380"), f"class {v['class']}")
    asls_writes = [e for e in ev if e["event"] == EV["ASLS_WRITE"] and int(e[EV["VALUE"]], 16)]
    started = [l for l in driver if ROM_STARTED in l]
    if rom:
        check(len(started) == (1 if want == "pass" else 0),
              f"driver started from the IGD's ROM {len(started)} times")
    if want != "pass":
        check(int(v["asls"], 16) == 0 and not asls_writes, "ASLS written without the driver")
        return
    asls = int(v["asls"], 16)
    check(v["fw_cfg"]["identical"] is True, "the guest's copy differs from fw_cfg")
    check(v["i915"]["verdict"] == "ok", f"i915 verdict {v['i915']}")
    check(len(asls_writes) >= 1 and int(asls_writes[-1][EV["VALUE"]], 16) == asls,
          f"the device saw ASLS {asls_writes}, the guest {v['asls']}")
    copy = asls_writes[-1][EV["GUEST_COPY"]]
    check(copy == (EV["COPY_PLACED"] if strategy == "1b" else EV["COPY_IDENTICAL"]),
          f"device: guest copy {copy}")
    check(final[0][EV["GUEST_COPY"]] == EV["COPY_IDENTICAL"], "device at exit: copy not identical")
    if stolen:
        bdsm = [e for e in ev if e["event"] == EV["BDSM_WRITE"] and not e.get(EV["PARTIAL"])]
        check(bdsm and v["bdsm"]["aligned"] and v["bdsm"]["reserved"],
              f"stolen memory {v.get('bdsm')}, device {bdsm}")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print(f"usage: vfio_user_e2e.py --list | CASE ({', '.join(CASES)})", file=sys.stderr)
        return 2
    case = sys.argv[1]
    transport, firmware = CASES[case][:2]
    run_dir = None
    try:
        wait_built([IGDPT, DEVICE, PROBE_ELF, CHECK_IMG, ROM, ROM_DRIVER])
        if firmware == "linux":
            try:
                linux_guests.prepare(("bookworm",))
            except linux_guests.Unavailable as e:
                raise Skip(str(e)) from None
        if transport == "vfio-user":
            root, env = trixie_root()
            # Everything QEMU opens lives in ROOT/run/igdpt-XXXXXX.
            run_dir = tempfile.mkdtemp(prefix="igdpt-", dir=root + env["IGDPT_STACK_RUN_DIR"])
            work = run_dir
            inside = lambda path: path[len(root):]
            stack = {"qemu": ["chroot", root, env["IGDPT_STACK_QEMU"]],
                     "ovmf": (env["IGDPT_STACK_OVMF_CODE"], root + env["IGDPT_STACK_OVMF_VARS"])}
            if firmware in ("seabios", "linux"):
                stack["qemu"] += ["-bios", env["IGDPT_STACK_SEABIOS"]]
        else:
            host_stack()
            run_dir = work = tempfile.mkdtemp(prefix="igdpt-e2e-")
            inside = lambda path: path
            stack = {"qemu": [HOST_QEMU], "ovmf": HOST_OVMF}
        out = boot(case, work, inside, stack)
        judge(case, out)
    except Skip as e:
        print(f"SKIP: {e}")
        return SKIP
    except Failure as e:
        print(f"FAIL: {case}: {e}")
        if run_dir and os.environ.get("IGDPT_E2E_KEEP"):
            print(f"(kept {run_dir})")
            run_dir = None
        return 1
    finally:
        if run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)
    print(f"PASS: {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
