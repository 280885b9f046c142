#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `igdpt vm --guest linux`: boots Debian bookworm's real kernel (6.1) with
# i915 against igdpt-device, and checks that i915 itself accepts or rejects
# each OpRegion as igdpt probe predicts (the "i915 agrees with igdpt probe"
# stage), and what the driver wrote back. `linux_e2e.py --list` names the
# cases; `linux_e2e.py CASE` runs one. Exit 77 (skipped) when Debian's kernel
# package cannot be fetched, with the reason.
import fcntl
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402  (the process contract's names)
from schema_check import SchemaError, check as schema_check  # noqa: E402

BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
SOURCE = os.environ.get("IGDPT_SOURCE_ROOT", "")
CORPUS = os.environ.get("IGDPT_CORPUS", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
GUEST_DIR = os.path.join(BUILD, "guest-linux")
# A real VBT larger than mailbox 4's 6 KiB (vbt_size 8571, BDB 237).
EXT_VBT = "cb-system76-tgl-u-galp5.vbt"
DUMP = "rikka0w0-qemu-gvt-d-opregion.bin"
# OpRegion header / ASLE offsets (include/igdpt/abi/opregion.h).
OVER_MINOR = 0x16
ASLE_RVDA = 0x3BA
# An address as a real 2.0 host's RVDA holds: host physical memory.
HOST_RVDA = 0x7A77E000
SKIP = 77


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def prepare_guest():
    """Fetches the kernel (cached) and (re)builds the initramfs around the
    igdpt just built; one test at a time (a lock), the others reuse it."""
    os.makedirs(GUEST_DIR, exist_ok=True)
    with open(os.path.join(GUEST_DIR, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run([os.path.join(SOURCE, "scripts", "fetch-guest-kernel")],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            print("SKIP: Debian's kernel package cannot be fetched: " + p.stderr.strip())
            sys.exit(SKIP)
        kdir = p.stdout.strip().splitlines()[-1]
        p = subprocess.run([os.path.join(SOURCE, "scripts", "mk-guest-initramfs"),
                            "--kernel-dir", kdir, "--igdpt", IGDPT,
                            "--out", os.path.join(GUEST_DIR, "initrd.img"),
                            "--vmlinuz-out", os.path.join(GUEST_DIR, "vmlinuz")],
                           capture_output=True, text=True, timeout=300)
        print(p.stdout, end="")
        if p.returncode != 0:
            raise Failure("mk-guest-initramfs failed: " + p.stderr.strip())


def igdpt(args, check_exit=0):
    p = subprocess.run([IGDPT] + args, capture_output=True, text=True, timeout=900)
    print("$ igdpt " + " ".join(args))
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    if check_exit is not None:
        check(p.returncode == check_exit, f"exit status {p.returncode}, expected {check_exit}")
    return p


def vm(args, want_exit):
    p = igdpt(["vm", "--guest", "linux", "--json"] + args, check_exit=None)
    check(p.returncode == want_exit, f"igdpt vm exit status {p.returncode}, expected {want_exit}")
    try:
        out = schema_check("vm", p.stdout)
    except SchemaError as e:
        raise Failure(str(e)) from None
    names = [s["name"] for s in out["stages"]]
    check(names[-2:] == ["i915 agrees with igdpt probe", "guest driver writes"],
          f"Linux stages missing: {names}")
    agree = out["stages"][-2]
    # The point of the suite: igdpt probe and the real driver agree, always.
    check(agree["ok"], f"i915 and igdpt probe disagree: {agree['detail']}")
    gd = out.get("guest_driver")
    check(isinstance(gd, dict), "JSON lacks guest_driver")
    for key in ("verdict", "vbt_source", "mailboxes", "outputs", "errors", "warnings",
                EV["OPREGION_WRITES"]):
        check(key in gd, f"guest_driver lacks {key!r}")
    check(gd["errors"] == 0 and gd["warnings"] == 0,
          f"i915 logged WARNING/*ERROR* lines: {gd.get('problems')}")
    check(out["guest"] == "linux", f"guest {out['guest']}")
    check(out["probe"] is not None and out["probe"].get(PROBE["KEY_PROBE"]) == PROBE["KIND_LINUX"],
          "no verdict from igdpt probe inside Linux")
    return out


def accepted(out, source, version):
    for s in out["stages"]:
        check(s["ok"], f"stage {s['name']!r} failed: {s['detail']}")
    gd = out["guest_driver"]
    check(gd["verdict"] == "ok", f"i915 verdict {gd['verdict']}: {gd.get('vbt_reason')}")
    check(gd["vbt_source"] == source, f"i915 took the VBT from {gd['vbt_source']}, not {source}")
    check(gd["version"] == version, f"i915 read OpRegion version {gd['version']}")
    check(int(gd["opregion_addr"], 16) == int(out["probe"]["asls"], 16),
          "i915's OpRegion address differs from ASLS")
    check(gd["mailboxes"]["public_acpi"] and gd["mailboxes"]["asle"], "mailboxes 1/3 missing")
    check(not gd["mailboxes"]["swsci"], "i915 saw SWSCI although igdpt clears it")
    check(gd["outputs"] > 0 and gd["vbt_ports"], "i915 found no outputs from the VBT")
    check(out["probe"]["i915"]["verdict"] == "ok", "probe predicts a rejection")
    fields = [w[EV["FIELD"]] for w in gd[EV["OPREGION_WRITES"]]]
    check(EV["FIELD_UNNAMED"] not in fields, f"the driver wrote outside its fields: {fields}")
    print(f"OK: i915 took the VBT from {source} ({gd.get('vbt_signature')}, BDB "
          f"{gd.get('bdb_version')}), {gd['outputs']} outputs; driver wrote {fields}")


def rejected(out, verdict, reason):
    gd = out["guest_driver"]
    check(gd["verdict"] == verdict, f"i915 verdict {gd['verdict']}, expected {verdict}")
    check(gd["vbt_source"] == "none", "i915 found a VBT")
    check(gd.get("vbt_reason") == reason, f"i915's reason {gd.get('vbt_reason')!r}")
    check(out["probe"]["i915"]["verdict"] == verdict, "probe predicts otherwise")
    print(f"OK: i915 rejected it ({reason}) and igdpt probe predicted {verdict}")


def host_20_with_rvda(tmp):
    """A 2.0 host dump whose extended VBT lives at a host physical address
    (RVDA absolute), as such machines ship, plus that extended VBT."""
    built = os.path.join(tmp, "ext21.bin")
    igdpt(["build", "--vbt", os.path.join(CORPUS, "vbt", EXT_VBT), "--opregion-version", "2.1",
           "-o", built])
    data = open(built, "rb").read()
    host = bytearray(data[:0x2000])
    host[OVER_MINOR] = 0
    struct.pack_into("<Q", host, ASLE_RVDA, HOST_RVDA)
    hpath, vpath = os.path.join(tmp, "host-2.0.bin"), os.path.join(tmp, "ext.vbt")
    open(hpath, "wb").write(host)
    open(vpath, "wb").write(data[0x2000:])
    return hpath, vpath


def case_reference(tmp):
    accepted(vm(["--reference"], 0), "mailbox4", "2.0.0")


def case_real_dump(tmp):
    img = os.path.join(tmp, "guest.bin")
    igdpt(["prepare", "-i", os.path.join(CORPUS, "opregion", DUMP), "-o", img])
    accepted(vm(["--image", img], 0), "mailbox4", "2.0.0")


def case_extended_vbt_21(tmp):
    img = os.path.join(tmp, "ext21.bin")
    igdpt(["build", "--vbt", os.path.join(CORPUS, "vbt", EXT_VBT), "--opregion-version", "2.1",
           "--guest", "-o", img])
    # A Tiger Lake VBT, on the gen 12 device (8086:9a49) i915 binds as Tiger Lake.
    out = vm(["--image", img, "--generation", "12"], 0)
    accepted(out, "rvda", "2.1.0")
    check(out["probe"]["device"] == "0x9a49", f"guest sees device {out['probe']['device']}")
    check(out["guest_driver"]["bdb_version"] == 237, "not the corpus VBT's BDB version")


def case_v20_rvda_rejected(tmp):
    host, _ = host_20_with_rvda(tmp)
    # igdpt refuses it (exit 1 from the image stage without --no-host-check).
    igdpt(["vm", "--guest", "linux", "--image", host], check_exit=1)
    out = vm(["--image", host, "--no-host-check"], 1)
    rejected(out, "invalid-vbt", "Invalid VBT in ACPI OpRegion (RVDA)")


def case_v20_rvda_prepared(tmp):
    host, ext = host_20_with_rvda(tmp)
    img = os.path.join(tmp, "prepared.bin")
    igdpt(["prepare", "-i", host, "--extended-vbt", ext, "-o", img])
    accepted(vm(["--image", img], 0), "rvda", "2.1.0")


def case_no_opregion(tmp):
    out = vm(["--no-opregion"], 0)
    rejected(out, "no-opregion", "ACPI OpRegion not supported")
    check(int(out["guest_driver"].get("opregion_addr", "0x1"), 16) == 0,
          "i915 read a non-zero ASLS")


def case_bad_signature(tmp):
    img = os.path.join(tmp, "ref.bin")
    igdpt(["build", "--reference", "--guest", "-o", img])
    data = bytearray(open(img, "rb").read())
    data[0] ^= 0x20  # "intelGraphicsMem"
    open(img, "wb").write(data)
    out = vm(["--image", img, "--no-host-check"], 1)
    rejected(out, "signature-mismatch", "opregion signature mismatch")


CASES = {
    "reference": case_reference,
    "real-dump": case_real_dump,
    "extended-vbt-2.1": case_extended_vbt_21,
    "v2.0-rvda-rejected": case_v20_rvda_rejected,
    "v2.0-rvda-prepared": case_v20_rvda_prepared,
    "no-opregion": case_no_opregion,
    "bad-signature": case_bad_signature,
}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: linux_e2e.py --list | CASE", file=sys.stderr)
        return 2
    if not CORPUS or not os.path.isdir(CORPUS):
        print("SKIP: IGDPT_CORPUS is not set to the corpus directory")
        return SKIP
    prepare_guest()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            CASES[sys.argv[1]](tmp)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
