# SPDX-License-Identifier: MIT
# The stacks `igdpt vm --stack` runs on, for tests and benchmarks: the
# host's (bookworm, nothing to fetch) and the trixie root scripts/fetch-stack
# builds (docs/stacks.md). fetch() returns the root and its manifest, or
# raises Unavailable with the reason (exit 77 in the tests). Concurrent
# callers fetch once: the first holds a lock while scripts/fetch-stack
# builds the root, the others then find it cached.
import fcntl
import os
import subprocess

SOURCE = os.environ.get("IGDPT_SOURCE_ROOT",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FETCH = os.path.join(SOURCE, "scripts", "fetch-stack")
FETCH_SECONDS = 1200
# What each stack's transport is (igdpt vm chooses it from QEMU's version).
TRANSPORT = {"bookworm": "proxy", "trixie": "vfio-user"}


class Unavailable(Exception):
    pass


def cache_dir():
    return os.environ.get("IGDPT_STACK_CACHE",
                          os.path.join(os.environ.get("HOME", "/tmp"), ".cache", "igdpt", "stack"))


def read_manifest(root):
    env = {}
    with open(os.path.join(root, "stack.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, _, value = line.partition("=")
                env[key] = value
    return env


def fetch(name="trixie"):
    """(root, manifest) of a fetched stack; Unavailable when it cannot be
    had here (not root: QEMU runs under chroot; the archive unreachable)."""
    if os.geteuid() != 0:
        raise Unavailable(f"the {name} stack runs QEMU under chroot, which needs root")
    os.makedirs(cache_dir(), exist_ok=True)
    with open(os.path.join(cache_dir(), f".{name}.test-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        p = subprocess.run([FETCH, "--stack", name], capture_output=True, text=True,
                           timeout=FETCH_SECONDS)
    if p.returncode != 0:
        raise Unavailable(f"the {name} stack cannot be fetched here: " + p.stderr.strip())
    root = p.stdout.strip().splitlines()[-1]
    return root, read_manifest(root)


def run_dirs(root, manifest):
    """The run directories igdpt vm has made in a fetched root."""
    run = root + manifest["IGDPT_STACK_RUN_DIR"]
    return {d for d in os.listdir(run) if d.startswith("igdpt-vm.")}
