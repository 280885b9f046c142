#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Benchmark of the Linux guest: the median wall time of
# `igdpt vm --guest linux --kernel K` (QEMU + SeaBIOS + igdpt-device + a
# Debian kernel whose i915 takes the OpRegion) against the same boot without
# the virtual IGD (the QEMU command line igdpt vm ran, minus the IGD and its
# OpRegion: i915 then loads but finds no device), for each kernel, booted
# round-robin so that load from other processes falls on all alike; besides
# the ratio of the medians, the median of each rep's with/without ratio. Also a
# breakdown of both, from the uptime stamps the guest's /init prints and the
# kernel log's timestamps, which shows where the IGD's extra time goes.
# Writes OUT/linux_boot.{txt,json}; asserts nothing about the numbers.
#
# usage: linux_boot.py BUILD_DIR [--out DIR] [--reps N] [--kernel NAME ...]
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

KERNELS = ("bookworm", "trixie")
TIMEOUT = 600
TARGET_SECONDS = 10.0
TARGET_RATIO = 1.2
STAMP = re.compile(r"IGDPT-GUEST (.+) at ([0-9.]+)")
KMSG_TIME = re.compile(r"IGDPT-KMSG \[\s*([0-9.]+)\] (.*)")


def die(msg):
    print(f"linux_boot: {msg}", file=sys.stderr)
    sys.exit(1)


def guest_times(serial):
    """Seconds since the kernel started, from /init's stamps and i915's log."""
    t = {}
    for line in serial.splitlines():
        m = STAMP.search(line)
        if m:
            t[m.group(1)] = float(m.group(2))
        m = KMSG_TIME.search(line)
        if m:
            at, text = float(m.group(1)), m.group(2)
            if "i915 0000:00:02.0:" in text and "i915_start" not in t:
                t["i915_start"] = at
            if "[drm] Initialized i915" in text:
                t["i915_done"] = at
    return t


def with_igd(build, kernel, keep):
    """One `igdpt vm --guest linux` run: wall seconds, stage times, the QEMU
    command line it ran."""
    cmd = [os.path.join(build, "tools", "igdpt"), "vm", "--guest", "linux", "--kernel", kernel,
           "--keep-logs", keep]
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    wall = time.monotonic() - start
    if p.returncode != 0:
        die(f"{' '.join(cmd)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    serial = open(os.path.join(keep, "serial.log"), errors="replace").read()
    lines = open(os.path.join(keep, "command-lines.txt")).read().splitlines()
    qemu = shlex.split(lines[lines.index("# qemu") + 1])
    return wall, guest_times(serial), qemu


def without_igd(qemu, tmp):
    """The same QEMU boot minus the IGD (x-pci-proxy-dev) and its OpRegion;
    the logs go to tmp."""
    args, skip = [], False
    for i, a in enumerate(qemu):
        if skip:
            skip = False
            continue
        nxt = qemu[i + 1] if i + 1 < len(qemu) else ""
        if (a == "-device" and nxt.startswith("x-pci-proxy-dev")) or \
           (a == "-fw_cfg" and nxt.startswith("name=etc/igd-opregion")):
            skip = True
            continue
        if a.startswith("file,id=fw,path="):
            a = "file,id=fw,path=" + os.path.join(tmp, "firmware.log")
        elif a.startswith("file,id=serial,path="):
            a = "file,id=serial,path=" + os.path.join(tmp, "serial.log") + ",mux=on"
        args.append(a)
    start = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    wall = time.monotonic() - start
    serial = open(os.path.join(tmp, "serial.log"), errors="replace").read()
    # isa-debug-exit: QEMU exits (status << 1) | 1; the guest got to the end.
    if p.returncode % 2 != 1 or "IGDPT-GUEST done" not in serial:
        die(f"the boot without the IGD did not finish (QEMU exit {p.returncode}): "
            f"{p.stderr.strip()}")
    return wall, guest_times(serial)


def breakdown(wall, t):
    """Where one run spent its time, in seconds."""
    init, loaded = t.get("init", 0), t.get("modules loaded", 0)
    i915 = t.get("i915_done", 0) - t.get("i915_start", 0)
    done = t.get("done", 0)
    return {
        "before and after the kernel (QEMU, SeaBIOS, loading; igdpt)": wall - done,
        "kernel start to /init": init,
        "module loading": loaded - init - i915,
        "i915 probe": i915,
        "igdpt probe": t.get("probe done", 0) - loaded,
        "kernel log dump": done - t.get("probe done", 0),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--out", default=None)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--kernel", action="append", choices=KERNELS)
    a = ap.parse_args()
    out_dir = a.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    kernels = a.kernel or list(KERNELS)
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    for k in kernels:
        p = subprocess.run([os.path.join(source, "scripts", "mk-guest-linux"), "--kernel", k,
                            "--igdpt", os.path.join(a.build, "tools", "igdpt"),
                            "--send-log", os.path.join(a.build, "guest", "linux",
                                                         "igdpt-send-log"),
                            "--out-dir", os.path.join(a.build, "guest-linux", k)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            die(f"cannot prepare the {k} guest: {p.stderr.strip()}")

    walls = {k: {"with": [], "without": []} for k in kernels}
    stages = {k: {"with": [], "without": []} for k in kernels}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.reps):
            for k in kernels:
                keep = os.path.join(tmp, f"{k}-{r}")
                w, t, qemu = with_igd(a.build, k, keep)
                walls[k]["with"].append(w)
                stages[k]["with"].append(breakdown(w, t))
                w, t = without_igd(qemu, keep)
                walls[k]["without"].append(w)
                stages[k]["without"].append(breakdown(w, t))
                print(f"rep {r + 1}/{a.reps} {k}: with IGD {walls[k]['with'][-1]:.2f} s, "
                      f"without {w:.2f} s", flush=True)

    result = {"reps": a.reps, "target_seconds": TARGET_SECONDS, "target_ratio": TARGET_RATIO,
              "kernels": {}}
    txt = [f"# igdpt vm --guest linux vs the same QEMU boot without the virtual IGD, "
           f"SeaBIOS, pc, TCG, {os.cpu_count()} CPUs, median of {a.reps}",
           f"{'kernel':10} {'with IGD s':>11} {'without s':>10} {'ratio':>6} {'pairs':>6}   "
           f"(targets: <= {TARGET_SECONDS:.0f} s, ratio <= {TARGET_RATIO})"]
    for k in kernels:
        w = statistics.median(walls[k]["with"])
        wo = statistics.median(walls[k]["without"])
        parts = {run: {name: statistics.median(s[name] for s in stages[k][run])
                       for name in stages[k][run][0]} for run in ("with", "without")}
        # Each rep's boots ran back to back: the median of their ratios is
        # less moved by the machine's load changing between reps.
        pairs = statistics.median(a / b for a, b in zip(walls[k]["with"], walls[k]["without"]))
        result["kernels"][k] = {
            "with_igd_seconds": w, "without_igd_seconds": wo, "ratio": w / wo,
            "median_pair_ratio": pairs,
            "with_igd_all": walls[k]["with"], "without_igd_all": walls[k]["without"],
            "breakdown_with_igd_seconds": parts["with"],
            "breakdown_without_igd_seconds": parts["without"],
        }
        txt.append(f"{k:10} {w:11.2f} {wo:10.2f} {w / wo:6.2f} {pairs:6.2f}")
    for k in kernels:
        r = result["kernels"][k]
        txt.append(f"\n{k}: where the time goes (medians, s)"
                   f"{'with IGD':>12} {'without':>8}")
        for name, v in r["breakdown_with_igd_seconds"].items():
            txt.append(f"  {name:62} {v:6.2f} {r['breakdown_without_igd_seconds'][name]:8.2f}")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "linux_boot.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    with open(os.path.join(out_dir, "linux_boot.txt"), "w") as f:
        f.write("\n".join(txt) + "\n")
    print("\n".join(txt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
