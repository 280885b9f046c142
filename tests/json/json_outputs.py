#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every file command's --json output against its schema in docs/schema/.

Runs igdpt validate, decode, build and prepare with --json on real inputs
(every corpus file; images igdpt builds from corpus VBTs; an unreadable
file) and checks each document with tests/lib/schema_check.py. The host
commands (inspect, dump, qemu-args) are checked the same way on the
synthesized host trees of tests/host/run_host_tests.py. Also checks that
each schema is a valid 2020-12 schema and that every command with --json
has one. Exit 77 (skip) without python3-jsonschema or the corpus.
Usage: json_outputs.py IGDPT_BINARY
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

import schema_check
from checks import check, failures  # tests/lib

IGDPT = os.path.abspath(sys.argv[1])
CORPUS = os.environ.get("IGDPT_CORPUS", "")
# The outputs this test and tests/host check; the tools' own (vm,
# strategies, probe) add theirs to docs/schema/ and check them where they run.
FILE_COMMANDS = ("validate", "decode", "build", "prepare")
HOST_COMMANDS = ("inspect", "dump", "qemu-args")


def run(*args):
    return subprocess.run([IGDPT] + list(args), capture_output=True, text=True, timeout=300)


def conforms(kind, proc, what, want_rc=0):
    errors = schema_check.errors(kind, proc.stdout)
    for e in errors[:10]:
        print("      " + e)
    check(proc.returncode == want_rc and not errors,
          "%s: %s (exit %d, %d schema errors)" % (kind, what, proc.returncode, len(errors)))
    return json.loads(proc.stdout) if not errors else None


def main():
    why = schema_check.available()
    if why:
        print("SKIP: " + why)
        return 77
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "vbt")):
        print("SKIP: needs $IGDPT_CORPUS")
        return 77
    for kind in FILE_COMMANDS + HOST_COMMANDS:
        check(kind in schema_check.kinds(), "docs/schema/%s.schema.json exists" % kind)
    vbts = sorted(glob.glob(os.path.join(CORPUS, "vbt", "*")))
    opregions = sorted(glob.glob(os.path.join(CORPUS, "opregion", "*")))
    files = vbts + opregions

    with tempfile.TemporaryDirectory(prefix="igdpt-json-") as tmp:
        # validate: the corpus holds corrupt VBTs (exit 1); a missing file is exit 2.
        conforms("validate", run("validate", "--json", *files), "every corpus file", 1)
        doc = conforms("validate", run("validate", "--json", os.path.join(tmp, "missing.bin"),
                                       vbts[0]), "an unreadable file among valid ones", 2)
        check(doc is not None and doc["files"][0]["valid"] is False and
              "missing.bin" in doc["files"][0]["reason"], "validate: the unreadable file says why")

        # decode: all at once, all panels, one block.
        doc = conforms("decode", run("decode", "--json", *files), "every corpus file", 1)
        check(doc is not None and len(doc["files"]) == len(files), "decode: an entry per file")
        conforms("decode", run("decode", "--json", "--all-panels", *opregions),
                 "--all-panels on the OpRegions")
        conforms("decode", run("decode", "--json", "--block", "2", vbts[-1]), "--block 2")

        # build: the reference in each version, with and without the policy;
        # a real VBT in mailbox 4 and as an extended VBT.
        for version in ("2.0", "2.1", "3.0"):
            for guest in ([], ["--guest"]):
                out = os.path.join(tmp, "ref-%s%s.bin" % (version, "-guest" if guest else ""))
                conforms("build", run("build", "--reference", "--opregion-version", version,
                                      "--json", "-o", out, *guest),
                         "--reference %s %s" % (version, " ".join(guest)))
        sizes = sorted((os.path.getsize(v), v) for v in vbts)
        small, large = sizes[0][1], sizes[-1][1]
        wrapped = os.path.join(tmp, "large.bin")
        conforms("build", run("build", "--vbt", small, "--json", "-o", os.path.join(tmp, "s.bin")),
                 "--vbt " + os.path.basename(small))
        doc = conforms("build", run("build", "--vbt", large, "--opregion-version", "2.1", "--json",
                                    "-o", wrapped), "--vbt " + os.path.basename(large))
        check(doc is not None and doc["image"]["vbt_source"] in ("rvda", "mailbox4"),
              "build: the wrapped VBT is found")

        # prepare: the built image and the corpus dumps.
        conforms("prepare", run("prepare", "-i", wrapped, "--json", "-o",
                                os.path.join(tmp, "guest.bin")), "a built 2.1 image")
        for op in opregions:
            conforms("prepare", run("prepare", "-i", op, "--json", "-o",
                                    os.path.join(tmp, "guest-op.bin")),
                     os.path.basename(op))
        # --json and -o - both want standard output.
        p = run("build", "--reference", "--json", "-o", "-")
        check(p.returncode == 2 and "standard output" in p.stderr and not p.stdout,
              "build --json -o - is a usage error")

    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
