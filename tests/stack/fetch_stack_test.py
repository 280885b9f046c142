#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# scripts/fetch-stack: fetches the trixie stack (cached), checks its manifest
# against what the root really holds, boots SeaBIOS from the root the way
# docs/stacks.md describes (chroot, every file under DIR/run/igdpt-*), and
# checks the script's failure modes. Exit 77 (skipped) when the stack cannot
# be fetched here (no root, Debian's archive unreachable), with the reason.
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from stacks import read_manifest  # noqa: E402 (tests/lib: the one reader of stack.env)

SOURCE = os.environ.get("IGDPT_SOURCE_ROOT", "")
BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
FETCH = os.path.join(SOURCE, "scripts", "fetch-stack")
PROBE = os.path.join(BUILD, "guest", "multiboot", "igdpt-probe.elf")
SKIP = 77
MANIFEST_KEYS = ["IGDPT_STACK", "IGDPT_STACK_MIRROR", "IGDPT_STACK_QEMU", "IGDPT_STACK_QEMU_VERSION",
                 "IGDPT_STACK_QEMU_PACKAGE", "IGDPT_STACK_SEABIOS", "IGDPT_STACK_SEABIOS_VERSION",
                 "IGDPT_STACK_SEABIOS_PACKAGE", "IGDPT_STACK_OVMF_CODE", "IGDPT_STACK_OVMF_VARS",
                 "IGDPT_STACK_OVMF_VERSION", "IGDPT_STACK_OVMF_PACKAGE", "IGDPT_STACK_RUN_DIR"]


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def fetch(args, env=None, timeout=900):
    p = subprocess.run([FETCH] + args, capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})))
    print("$ fetch-stack " + " ".join(args) + f"  -> {p.returncode}")
    print(p.stdout + p.stderr, end="")
    return p


def check_manifest(root, env):
    for key in MANIFEST_KEYS:
        check(env.get(key), f"stack.env lacks {key}")
    check(env["IGDPT_STACK"] == "trixie", f"IGDPT_STACK is {env['IGDPT_STACK']}")
    for key in ("IGDPT_STACK_QEMU", "IGDPT_STACK_SEABIOS", "IGDPT_STACK_OVMF_CODE",
                "IGDPT_STACK_OVMF_VARS"):
        check(os.path.isfile(root + env[key]), f"{key}={env[key]} is not a file in {root}")
    check(os.path.isdir(root + env["IGDPT_STACK_RUN_DIR"]), "the run directory is missing")
    # The versions are what the root really runs and holds.
    p = subprocess.run(["chroot", root, env["IGDPT_STACK_QEMU"], "--version"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"QEMU does not run in the root: {p.stderr.strip()}")
    check(f"version {env['IGDPT_STACK_QEMU_VERSION']} " in p.stdout,
          f"QEMU says {p.stdout.splitlines()[0]!r}, the manifest {env['IGDPT_STACK_QEMU_VERSION']}")
    check(re.fullmatch(r"1[1-9]\.[0-9]+\.[0-9]+", env["IGDPT_STACK_QEMU_VERSION"]) is not None,
          f"trixie's stack should be QEMU 11.x, is {env['IGDPT_STACK_QEMU_VERSION']}")
    for pkg, key in (("qemu-system-x86", "IGDPT_STACK_QEMU_PACKAGE"),
                     ("seabios", "IGDPT_STACK_SEABIOS_PACKAGE"), ("ovmf", "IGDPT_STACK_OVMF_PACKAGE")):
        p = subprocess.run(["dpkg-query", "--admindir=" + os.path.join(root, "var/lib/dpkg"), "-W",
                            "-f", "${Version}", pkg], capture_output=True, text=True, timeout=60)
        check(p.stdout == env[key], f"{pkg} is {p.stdout!r} in the root, {env[key]!r} in stack.env")
    check(env["IGDPT_STACK_SEABIOS_PACKAGE"].startswith(env["IGDPT_STACK_SEABIOS_VERSION"]),
          "SeaBIOS version and package disagree")
    p = subprocess.run(["chroot", root, env["IGDPT_STACK_QEMU"], "-device", "help"],
                       capture_output=True, text=True, timeout=60)
    check('name "vfio-user-pci"' in p.stdout, "this QEMU has no vfio-user-pci")


def boot_seabios(root, env):
    """The documented recipe: files under DIR/run/igdpt-*, paths given as the
    chrooted QEMU sees them; SeaBIOS boots igdpt's probe, which reports."""
    check(os.path.isfile(PROBE), f"no probe image at {PROBE}")
    run = tempfile.mkdtemp(prefix="igdpt-", dir=root + env["IGDPT_STACK_RUN_DIR"])
    rel = run[len(root):]
    try:
        shutil.copy(PROBE, os.path.join(run, "probe.elf"))
        p = subprocess.run(["chroot", root, env["IGDPT_STACK_QEMU"], "-machine", "pc", "-accel", "tcg",
                            "-m", "64M", "-nodefaults", "-nographic", "-vga", "none",
                            "-bios", env["IGDPT_STACK_SEABIOS"], "-kernel", rel + "/probe.elf",
                            "-chardev", f"file,id=fw,path={rel}/fw.log",
                            "-device", "isa-debugcon,iobase=0x402,chardev=fw",
                            "-serial", f"file:{rel}/serial.log",
                            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"],
                           capture_output=True, text=True, timeout=120)
        with open(os.path.join(run, "fw.log"), errors="replace") as f:
            fw = f.read()
        with open(os.path.join(run, "serial.log"), errors="replace") as f:
            serial = f.read()
        print(fw.splitlines()[0] if fw else "(no firmware log)")
        print(serial.strip().splitlines()[-1] if serial.strip() else "(no serial output)")
        check(f"SeaBIOS (version {env['IGDPT_STACK_SEABIOS_VERSION']}" in fw,
              f"the firmware log does not name SeaBIOS {env['IGDPT_STACK_SEABIOS_VERSION']}")
        # No IGD on this machine: the probe must say so, through isa-debug-exit
        # ((1 << 1) | 1 = 3: the probe's fail).
        check('"verdict":"fail"' in serial and "no Intel display device" in serial,
              "the probe did not report the missing IGD")
        check(p.returncode == 3, f"QEMU exit status {p.returncode}: {p.stderr.strip()}")
    finally:
        shutil.rmtree(run)


def failure_modes(root):
    with tempfile.TemporaryDirectory() as empty:
        check(fetch(["--print", empty]).returncode == 1, "--print on an empty cache must exit 1")
        check(fetch(["--stack", "nosuch", empty]).returncode == 2, "an unknown stack must exit 2")
        check(fetch(["--stack", "bookworm", empty]).returncode == 2, "bookworm has nothing to fetch")
        check(fetch(["--nosuch"]).returncode == 2, "an unknown option must exit 2")
        check(fetch([empty, empty]).returncode == 2, "two cache directories must exit 2")
        p = fetch([empty], env={"IGDPT_STACK_MIRROR": "http://archive.invalid/debian"}, timeout=300)
        check(p.returncode == 1 and "archive.invalid" in p.stderr,
              "an unreachable mirror must exit 1 and name it")
        check(os.listdir(empty) == [], f"a failed fetch left {os.listdir(empty)} behind")


def main():
    p = fetch([])
    if p.returncode == 1:
        print("SKIP: the trixie stack cannot be fetched here: " + p.stderr.strip())
        return SKIP
    check(p.returncode == 0, f"fetch-stack exit status {p.returncode}")
    root = p.stdout.strip().splitlines()[-1]
    check(os.path.isfile(os.path.join(root, ".complete")), f"{root} has no .complete marker")
    marker = os.stat(os.path.join(root, ".complete"))
    env = read_manifest(root)
    check_manifest(root, env)
    boot_seabios(root, env)
    # Idempotent: the same root again, untouched; --print finds it.
    again = fetch([])
    check(again.returncode == 0 and again.stdout.strip() == root, "a second fetch gave another root")
    after = os.stat(os.path.join(root, ".complete"))
    check((after.st_ino, after.st_mtime_ns) == (marker.st_ino, marker.st_mtime_ns),
          "a second fetch rebuilt the root")
    printed = fetch(["--print"])
    check(printed.returncode == 0 and printed.stdout.strip() == root, "--print does not find the root")
    failure_modes(root)
    print("PASS")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as e:
        print("FAIL: " + str(e))
        sys.exit(1)
