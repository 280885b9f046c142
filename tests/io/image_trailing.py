#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An OpRegion followed by bytes no guest reads (issue 13, item 8).

A valid 8 KiB OpRegion padded with zeros to 16 MiB, and a 2.1 OpRegion with
an extended VBT followed by garbage: validate and decode accept them with
the warning `opregion-trailing`; prepare writes only the OpRegion (base, or
up to RVDA + RVDS) and says how many bytes it dropped; `igdpt vm --image`
publishes only the OpRegion, so SeaBIOS reserves 8 KiB, not 16 MiB, and the
guest probe passes.
Usage: image_trailing.py IGDPT_BINARY
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

IGDPT = os.path.abspath(sys.argv[1])
CORPUS = os.environ.get("IGDPT_CORPUS", "")
MIB = 1 << 20
RVDA, RVDS = 0x3BA, 0x3C2

failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([IGDPT] + list(args), capture_output=True, text=True, timeout=300)


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "vbt")):
        print("IGDPT_CORPUS not set or without vbt/: skipping")
        return 77
    with tempfile.TemporaryDirectory(prefix="igdpt-trailing-") as tmp:
        ref = os.path.join(tmp, "ref.bin")
        check(run("build", "--reference", "-o", ref).returncode == 0, "reference built")
        op = open(ref, "rb").read()
        big = os.path.join(tmp, "padded-16M.bin")
        with open(big, "wb") as f:
            f.write(op + bytes(16 * MIB - len(op)))

        p = run("validate", big)
        check(p.returncode == 0 and "ok (warnings: opregion-trailing)" in p.stdout,
              "validate: ok with the opregion-trailing warning (%s)" % p.stdout.strip())
        p = run("validate", "--json", big)
        j = json.loads(p.stdout)
        check(p.returncode == 0 and "opregion-trailing" in j["files"][0]["warnings"],
              "validate --json: the warning by name")
        p = run("decode", big)
        check(p.returncode == 0 and "opregion-trailing" in p.stdout,
              "decode: decodes it and names the warning")

        out = os.path.join(tmp, "prepared.bin")
        p = run("prepare", "-i", big, "-o", out)
        check(p.returncode == 0 and os.path.getsize(out) == len(op) and
              "16769024 bytes after the OpRegion's end (0x2000) are not written" in p.stderr,
              "prepare: writes the 8 KiB OpRegion, says it dropped the rest (%s)"
              % p.stderr.strip())

        # A 2.1 OpRegion with an extended VBT, then 4 KiB of garbage.
        ext = os.path.join(tmp, "ext.bin")
        p = run("build", "--vbt", os.path.join(CORPUS, "vbt", "fsp-TigerLake-Client-Vbt.vbt"),
                "--opregion-version", "2.1", "-o", ext)
        data = open(ext, "rb").read()
        rvda, rvds = struct.unpack_from("<QI", data, RVDA)
        check(p.returncode == 0 and rvda == 0x2000 and len(data) == rvda + rvds,
              "an extended-VBT OpRegion ends at RVDA + RVDS (0x%x)" % (rvda + rvds))
        with open(ext, "ab") as f:
            f.write(b"\xee" * 4096)
        p = run("prepare", "-i", ext, "--keep-swsci", "-o", out)
        check(p.returncode == 0 and open(out, "rb").read() == data and
              "4096 bytes after the OpRegion's end (0x%x)" % (rvda + rvds) in p.stderr,
              "prepare: keeps base + extended VBT, drops the 4 KiB after RVDA + RVDS (%s)"
              % p.stderr.strip())

        p = run("vm", "--image", big, "--json")
        try:
            j = json.loads(p.stdout)
        except ValueError:
            j = {}
        if p.returncode == 2 and not j:
            print("vm could not run here: " + p.stderr.strip())
            check(False, "vm --image ran")
        else:
            check(p.returncode == 0 and j.get("verdict") == "pass" and
                  j.get("image", {}).get("size") == len(op),
                  "vm --image: publishes 8 KiB of the 16 MiB file, the guest passes (%s, %s)"
                  % (j.get("verdict"), j.get("image", {}).get("size")))
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall trailing-data tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
