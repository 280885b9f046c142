#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Soak: many consecutive `igdpt vm` runs on each stack, counting what must
stay zero, and igdpt-device's peak memory.

Per stack (bookworm: QEMU 7.2 with the device over the proxy; trixie:
QEMU 11.1 from scripts/fetch-stack's root, over vfio-user), N runs of
`igdpt vm --reference` and M of `igdpt vm --firmware ovmf` (the driver
from the IGD's option ROM), one after the other, each with --json:

  failures            a run that did not exit 0 with verdict pass
  leftover files      anything in the private TMPDIR after a run, and run
                      directories (igdpt-vm.*) a run left in the stack's
                      ROOT/run that no live process uses
  leftover processes  processes of a run still alive after it ended: this
                      script is a child subreaper (prctl), so whatever a run
                      leaves behind becomes its child and is seen here
  device peak RSS     igdpt-device's ru_maxrss (wait4 on that child, in
                      --json's device.max_rss_kib): the largest of all
                      runs, and the first and last run's, to show growth

Failures and leftovers must be 0: the script exits 1 otherwise (it asserts
no timings). Writes OUT/soak.{txt,json}.

usage: soak.py --build BUILD --out DIR [--runs N] [--ovmf-runs M]
               [--stacks bookworm,trixie]
N and M default to $IGDPT_SOAK_RUNS / $IGDPT_SOAK_OVMF_RUNS, else 1000 / 100.
"""
import argparse
import ctypes
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
import stacks  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36
RUN_TIMEOUT = 600
KEEP_FAILURES = 5  # reasons kept per kind


def subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def children():
    """Our live children (after a run: what it left, reparented to us)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            found.append((int(entry), cmd))
    return found


def reap(pids):
    for pid, _ in pids:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    for pid, _ in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def used_paths():
    """Every live process's command line, for 'is this run directory used'."""
    text = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    text.append(f.read().decode(errors="replace"))
            except OSError:
                pass
    return "\n".join(text)


class Soak:
    def __init__(self, stack, igdpt):
        self.stack, self.igdpt = stack, igdpt
        self.tmpdir = tempfile.mkdtemp(prefix="igdpt-soak.")
        self.env = dict(os.environ, TMPDIR=self.tmpdir)
        self.args = []
        self.root = self.run_dir = None
        if stack != "bookworm":
            self.root, manifest = stacks.fetch(stack)
            self.run_dir = self.root + manifest["IGDPT_STACK_RUN_DIR"]
            self.args = ["--stack", stack]
            self.env["IGDPT_STACK_DIR"] = self.root
        self.results = {}

    def root_leftovers(self, before):
        if not self.run_dir:
            return []
        now = {d for d in os.listdir(self.run_dir) if d.startswith("igdpt-vm.")}
        used = used_paths()
        return [d for d in sorted(now - before) if d not in used]

    def one(self, extra, r):
        before = ({d for d in os.listdir(self.run_dir) if d.startswith("igdpt-vm.")}
                  if self.run_dir else set())
        t0 = time.monotonic()
        p = subprocess.run([self.igdpt, "vm", "--json"] + self.args + extra, capture_output=True,
                           text=True, env=self.env, timeout=RUN_TIMEOUT)
        r["wall"].append(time.monotonic() - t0)
        try:
            out = json.loads(p.stdout)
        except ValueError:
            out = {}
        if p.returncode != 0 or out.get("verdict") != "pass":
            r["failures"] += 1
            if len(r["failure_reasons"]) < KEEP_FAILURES:
                bad = [s for s in out.get("stages", []) if not s["ok"]]
                r["failure_reasons"].append(
                    f"exit {p.returncode}: " + (f"{bad[0]['name']}: {bad[0]['detail']}" if bad
                                                else p.stderr.strip()[:300]))
        rss = out.get("device", {}).get("max_rss_kib")
        if rss is not None:
            r["device_rss_kib"].append(rss)
        left = os.listdir(self.tmpdir)
        left += [os.path.join(self.run_dir, d) for d in self.root_leftovers(before)]
        if left:
            r["leftover_files"] += len(left)
            r["leftover_examples"] = (r["leftover_examples"] + left)[:KEEP_FAILURES]
            for name in os.listdir(self.tmpdir):
                shutil.rmtree(os.path.join(self.tmpdir, name), ignore_errors=True)
        procs = children()
        if procs:
            r["leftover_processes"] += len(procs)
            r["leftover_process_examples"] = (r["leftover_process_examples"] +
                                              [c for _, c in procs])[:KEEP_FAILURES]
            reap(procs)

    def run(self, label, extra, count, progress):
        r = {"runs": count, "args": extra, "failures": 0, "failure_reasons": [],
             "leftover_files": 0, "leftover_examples": [], "leftover_processes": 0,
             "leftover_process_examples": [], "device_rss_kib": [], "wall": []}
        t0 = time.monotonic()
        for i in range(count):
            self.one(extra, r)
            if progress and (i + 1) % progress == 0:
                print(f"  {self.stack} {label}: {i + 1}/{count}, {r['failures']} failed, "
                      f"{time.monotonic() - t0:.0f} s", flush=True)
        rss = r.pop("device_rss_kib")
        wall = r.pop("wall")
        r.update(seconds=round(time.monotonic() - t0, 1),
                 mean_run_seconds=round(statistics.mean(wall), 3) if wall else None,
                 device_peak_rss_kib=max(rss) if rss else None,
                 device_rss_first_kib=rss[0] if rss else None,
                 device_rss_last_kib=rss[-1] if rss else None,
                 device_rss_median_kib=statistics.median(rss) if rss else None)
        self.results[label] = r

    def close(self):
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("IGDPT_SOAK_RUNS", 1000)))
    ap.add_argument("--ovmf-runs", type=int,
                    default=int(os.environ.get("IGDPT_SOAK_OVMF_RUNS", 100)))
    ap.add_argument("--stacks", default="bookworm,trixie")
    a = ap.parse_args()
    igdpt = os.path.join(a.build, "tools", "igdpt")
    subreaper()
    doc = {"runs": a.runs, "ovmf_runs": a.ovmf_runs, "stacks": {}}
    lines = [f"# soak: {a.runs} x igdpt vm --reference and {a.ovmf_runs} x igdpt vm --firmware "
             f"ovmf per stack, one after the other"]
    bad = 0
    for stack in a.stacks.split(","):
        try:
            s = Soak(stack, igdpt)
        except stacks.Unavailable as e:
            doc["stacks"][stack] = {"skipped": str(e)}
            lines.append(f"{stack}: skipped: {e}")
            continue
        try:
            print(f"{stack}: {a.runs} + {a.ovmf_runs} runs", flush=True)
            s.run("reference", ["--reference"], a.runs, max(1, a.runs // 10))
            s.run("ovmf", ["--firmware", "ovmf"], a.ovmf_runs, max(1, a.ovmf_runs // 5))
        finally:
            s.close()
        doc["stacks"][stack] = s.results
        for label, r in s.results.items():
            lines.append(
                f"{stack} {label}: {r['runs']} runs in {r['seconds']} s "
                f"({r['mean_run_seconds']} s each): failures {r['failures']}, leftover files "
                f"{r['leftover_files']}, leftover processes {r['leftover_processes']}; "
                f"igdpt-device peak RSS {r['device_peak_rss_kib']} KiB (first run "
                f"{r['device_rss_first_kib']}, last {r['device_rss_last_kib']})")
            for why in r["failure_reasons"]:
                lines.append(f"  failed: {why}")
            for what in r["leftover_examples"] + r["leftover_process_examples"]:
                lines.append(f"  left: {what}")
            bad += r["failures"] + r["leftover_files"] + r["leftover_processes"]
    lines.append("failures and leftovers must be 0: " + ("ok" if not bad else f"{bad} FOUND"))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "soak.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.out, "soak.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
