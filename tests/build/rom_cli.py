#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`igdpt rom` as a user runs it, and video BIOSes from the whole corpus.

EFI ROMs: built from the real igdpt-efi-driver.efi (and chains of it),
checked with `igdpt rom --check` (text and JSON); refusals, usage and I/O
errors with their exit status and reason, and no partial output file.
Video BIOSes: `igdpt rom --vbt` on every corpus VBT; each valid one must
validate and decode as the bare VBT does, each invalid one is refused with
the reason `igdpt validate` gives the bare file; cut and corrupted ones are
rejected. Every --json output is checked against its schema
(docs/schema/rom, validate and decode). Usage: rom_cli.py (IGDPT_BUILD_ROOT,
IGDPT_CORPUS from meson)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import schema_check
from checks import check, failures  # tests/lib

BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
CORPUS = os.environ.get("IGDPT_CORPUS", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
EFI_DIR = os.path.join(BUILD, "firmware", "efi")
DRIVER = os.path.join(EFI_DIR, "igdpt-efi-driver.efi")
APP = os.path.join(EFI_DIR, "igdpt-efi.efi")
BUILT_ROM = os.path.join(EFI_DIR, "igdpt-efi.rom")
SKIP = 77

SCHEMA_SKIP = schema_check.available()
schema_checked = {}


def run(*args, env=None):
    """Runs igdpt; every --json output is also checked against its schema."""
    p = subprocess.run([IGDPT, *args], capture_output=True, timeout=60,
                       env=dict(os.environ, **(env or {})))
    if "--json" in args and p.stdout and not SCHEMA_SKIP:
        errors = schema_check.errors(args[0], p.stdout.decode(errors="replace"))
        schema_checked[args[0]] = schema_checked.get(args[0], 0) + 1
        if errors:
            check(False, "%s --json conforms to docs/schema/%s.schema.json: %s"
                  % (" ".join(args), args[0], "; ".join(errors[:5])))
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def check_json(path):
    rc, out, _ = run("rom", "--check", "--json", path)
    return rc, json.loads(out)["files"][0]


def efi_roms(tmp):
    print("== EFI option ROMs from igdpt's driver")
    rom = os.path.join(tmp, "igdpt.rom")
    rc, _, err = run("rom", "-o", rom)
    check(rc == 0, "igdpt rom finds the built driver and writes the ROM (%s)" % err.strip())
    check(open(rom, "rb").read() == open(BUILT_ROM, "rb").read(),
          "the same bytes as the build's igdpt-efi.rom (deterministic)")
    rc, out, _ = run("rom", "--check", rom)
    check(rc == 0 and out.decode().startswith(rom + ": ok: PCI option ROM, 1 image,"),
          "rom --check: ok, 1 image")
    rc, obj = check_json(rom)
    im = obj["images"][0] if obj["images"] else {}
    check(rc == 0 and obj["valid"] and obj["padding"] == 0 and len(obj["images"]) == 1,
          "rom --check --json: valid, one image, no padding")
    check(im.get("code_type") == 3 and im.get("vendor") == "0x8086" and
          im.get("class") == "0x0300" and im.get("prog_if") == "0x00" and
          im.get("last") is True and im.get("pcir_revision") == 3,
          "EFI image, 8086, class 0x0300, PCIR 3, last")
    check((im.get("efi") or {}).get("subsystem") == 11 and im["efi"]["machine"] == 0x8664 and
          im["efi"]["compressed"] is False, "boot-services driver, x64, uncompressed")
    ids = [int(i, 16) for i in im.get("device_list", [])]
    check(len(ids) > 100 and int(im["device"], 16) == ids[0] and 0x5916 in ids and
          0x9A49 in ids and 0x46A6 in ids and len(set(ids)) == len(ids),
          "the device list names every IGD of the table (%d ids, no duplicate)" % len(ids))
    check(im.get("checksum_ok") is True, "the image sums to 0")

    chain = os.path.join(tmp, "chain.rom")
    rc, _, err = run("rom", "--device-id", "0x5916", "-o", chain, DRIVER, "--add", DRIVER,
                     "--add", DRIVER)
    rc2, obj = check_json(chain)
    check(rc == 0 and rc2 == 0 and len(obj["images"]) == 3, "a chain of three drivers (%s)"
          % err.strip())
    check([i["last"] for i in obj["images"]] == [False, False, True] and
          all(i["device"] == "0x5916" and i["device_list"] == [] for i in obj["images"]),
          "--device-id: each image names 0x5916 alone; only the last is last")
    check([i["offset"] for i in obj["images"]] ==
          [0, obj["images"][0]["length"], 2 * obj["images"][0]["length"]],
          "images back to back")

    p = subprocess.run([IGDPT, "rom", "-o", "-", DRIVER], capture_output=True, timeout=60)
    check(p.returncode == 0 and p.stdout == open(BUILT_ROM, "rb").read(),
          "-o - writes the ROM to standard output")

    # Refusals: exit 1, the file named, nothing written, an old file kept.
    out = os.path.join(tmp, "keep.rom")
    with open(out, "wb") as f:
        f.write(b"previous")
    rc, _, err = run("rom", "-o", out, APP)
    check(rc == 1 and APP in err and "an EFI application (subsystem 10)" in err,
          "an EFI application is refused with the reason: " + err.strip())
    rc, _, err = run("rom", "-o", out, DRIVER, "--add", APP)
    check(rc == 1 and "igdpt rom: %s: cannot go into" % APP in err,
          "--add names the refused file: " + err.strip())
    rc, _, err = run("rom", "-o", out, os.path.join(CORPUS, "vbt", sorted(
        os.listdir(os.path.join(CORPUS, "vbt")))[0]))
    check(rc == 1 and 'no "MZ" signature' in err, "a VBT is no EFI driver: " + err.strip())
    check(open(out, "rb").read() == b"previous", "a refused build leaves the old file alone")
    check(sorted(os.listdir(tmp)) == ["chain.rom", "igdpt.rom", "keep.rom"],
          "no temporary file left behind")


def usage_and_io(tmp):
    print("== usage and I/O errors")
    out = os.path.join(tmp, "x.rom")
    cases = [
        (["rom", "--check"], 2, "no file given"),
        (["rom", "--json", "-o", out], 2, "--json goes with --check"),
        (["rom", "--check", "-o", out, BUILT_ROM], 2, "--check takes only"),
        (["rom", "--vbt", BUILT_ROM, "-o", out], 2, "--vbt needs --device-id"),
        (["rom", "--vbt", BUILT_ROM, "--device-id", "0x5916", DRIVER], 2, "no EFI drivers"),
        (["rom", "--device-id", "0", "-o", out], 2, "non-zero 16-bit id"),
        (["rom", "--device-id", "0x10000", "-o", out], 2, "non-zero 16-bit id"),
        (["rom", "--device-id", "x", "-o", out], 2, "non-zero 16-bit id"),
        (["rom", "-o", out, DRIVER, DRIVER], 2, "one driver at a time"),
        (["rom", "-o", out] + ["--add", DRIVER] * 16, 2, "at most 16 EFI images"),
        (["rom", "-o", out, os.path.join(tmp, "missing.efi")], 2, "cannot open"),
        (["rom", "--check", tmp], 2, "not a file"),
        (["rom", "--bogus"], 2, "usage: igdpt rom"),
    ]
    for args, want_rc, needle in cases:
        rc, _, err = run(*args)
        check(rc == want_rc and needle in err, "%s: exit %d, '%s' (got %d: %s)"
              % (" ".join(a.replace(tmp, "TMP") for a in args[1:]), want_rc, needle, rc,
                 err.strip().splitlines()[0] if err.strip() else ""))
    rc, _, err = run("rom", "-o", out, env={"IGDPT_EFI_DRIVER": os.path.join(tmp, "none.efi")})
    check(rc == 2 and "from $IGDPT_EFI_DRIVER" in err, "IGDPT_EFI_DRIVER pointing nowhere: "
          + err.strip())
    check(not os.path.exists(out), "no output after usage and I/O errors")
    rc, out_text, _ = run("rom", "--help")
    check(rc == 0 and b"--check" in out_text, "--help")


def malformed(tmp):
    print("== --check on broken ROMs")
    data = open(BUILT_ROM, "rb").read()
    cases = [
        ("half", data[:len(data) // 2], "image length runs past the end of the ROM at 0x2c"),
        ("zeros", bytes(4096), "no 0x55AA ROM image signature at 0x0"),
        ("pcir", data[:0x1C] + b"XCIR" + data[0x20:],
         'no "PCIR" signature at the PCI data structure pointer at 0x1c'),
        ("not-last", data[:0x31] + b"\0" + data[0x32:],
         "the chain ends without a last-image indicator at 0x31"),
    ]
    paths = []
    for name, blob, reason in cases:
        path = os.path.join(tmp, name + ".rom")
        with open(path, "wb") as f:
            f.write(blob)
        paths.append(path)
        rc, out, _ = run("rom", "--check", path)
        check(rc == 1 and out.decode().splitlines()[0] == "%s: invalid: %s" % (path, reason),
              "%s: exit 1, '%s'" % (name, reason))
    rc, out, _ = run("rom", "--check", "--json", BUILT_ROM, *paths)
    objs = json.loads(out)["files"]
    check(rc == 1 and objs[0]["valid"] and not any(o["valid"] for o in objs[1:]) and
          all(o["reason"] and o["offset"] is not None for o in objs[1:]),
          "--json over good and bad ROMs: exit 1, reasons and offsets")


def plain_and_rom(vbt_path, rom_path):
    """validate --json and decode --json of the bare VBT and its video BIOS."""
    rc_v, out_v, _ = run("validate", "--json", vbt_path)
    rc_r, out_r, _ = run("validate", "--json", rom_path)
    v, r = json.loads(out_v)["files"][0], json.loads(out_r)["files"][0]
    rc_dv, dv, _ = run("decode", "--json", vbt_path)
    rc_dr, dr, _ = run("decode", "--json", rom_path)
    return (rc_v, v, json.loads(dv)["files"][0]), (rc_r, r, json.loads(dr)["files"][0])


def video_bioses(tmp):
    print("== video BIOSes around every corpus VBT")
    vbt_dir = os.path.join(CORPUS, "vbt")
    good = bad = 0
    for name in sorted(os.listdir(vbt_dir)):
        vbt_path = os.path.join(vbt_dir, name)
        rom_path = os.path.join(tmp, name + ".rom")
        rc, _, err = run("rom", "--vbt", vbt_path, "--device-id", "0x5916", "-o", rom_path)
        rc_v, out_v, _ = run("validate", vbt_path)
        if rc_v != 0:
            reason = out_v.decode().split(": invalid: ", 1)[1].split(" (warnings")[0].strip()
            if rc != 1 or reason not in err or os.path.exists(rom_path):
                check(False, "%s: invalid VBT, want the builder to refuse with '%s', got %d: %s"
                      % (name, reason, rc, err.strip()))
            bad += 1
            continue
        if rc != 0:
            check(False, "%s: valid VBT refused: %s" % (name, err.strip()))
            continue
        (rc_v, v, dv), (rc_r, r, dr) = plain_and_rom(vbt_path, rom_path)
        plain_warn = [w for w in v["warnings"] if w != "trailing-data"]
        same = (rc_r == 0 and r["valid"] and r["image_kind"] == "vbios" and r["vbt_offset"] == 0x40 and
                r["bdb_version"] == v["bdb_version"] and r["warnings"] == plain_warn and
                dr["vbt"] == dv["vbt"] and dr["valid"] == dv["valid"] and
                dr["warnings"] == plain_warn and dr["rom"]["vbt_offset"] == 0x40)
        if not same:
            check(False, "%s: the video BIOS validates or decodes differently from the VBT" % name)
        rc, out, _ = run("rom", "--check", rom_path)
        if rc != 0 or b"VBT at 0x40 (as i915 finds it)" not in out:
            check(False, "%s: rom --check does not accept the video BIOS: %s" % (name, out))
        good += 1
    check(good > 50 and bad > 0, "%d video BIOSes judged as their VBT, %d invalid VBTs refused"
          % (good, bad))

    # Cut inside the VBT, and with "$VBT" broken: rejected.
    data = open(os.path.join(tmp, sorted(f for f in os.listdir(tmp) if f.endswith(".rom"))[0]),
                "rb").read()
    cut = os.path.join(tmp, "cut.rom")
    with open(cut, "wb") as f:
        f.write(data[:0x40 + 100])
    rc, out, _ = run("validate", cut)
    check(rc == 1 and out.decode().strip() == "%s: invalid: vbt_size runs past the end of the data "
          "at 0x58" % cut, "a cut video BIOS is invalid where the VBT ends: " + out.decode().strip())
    broken = os.path.join(tmp, "broken.rom")
    with open(broken, "wb") as f:
        f.write(data[:0x43] + b"X" + data[0x44:])
    rc, out, _ = run("validate", broken)
    check(rc == 1 and 'no VBT ("$VBT" at a 4-byte aligned offset) in the ROM at 0x0' in
          out.decode(), "a video BIOS without \"$VBT\" is invalid")
    rc, out, err = run("decode", broken)
    check(rc == 1 and b"PCI ROM (video BIOS):" in out and "no VBT" in err,
          "decode shows the ROM and says why there is no VBT")


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "vbt")):
        print("IGDPT_CORPUS not set or without vbt/: skipping")
        return SKIP
    if not os.path.exists(DRIVER) or not os.path.exists(BUILT_ROM):
        print("igdpt-efi-driver.efi / igdpt-efi.rom not built (gnu-efi missing): skipping")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="igdpt-rom-")
    try:
        for step in (efi_roms, usage_and_io, malformed):
            sub = os.path.join(tmp, step.__name__)
            os.makedirs(sub)
            step(sub)
        sub = os.path.join(tmp, "vbios")
        os.makedirs(sub)
        video_bioses(sub)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if SCHEMA_SKIP:
        print("schemas not checked: " + SCHEMA_SKIP)
    else:
        check(all(schema_checked.get(k) for k in ("rom", "validate", "decode")),
              "outputs checked against their schemas: %s" % schema_checked)
    if failures:
        print("\n%d failure(s)" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
