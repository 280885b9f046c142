# SPDX-License-Identifier: MIT
# The Linux guests `igdpt vm --guest linux --kernel NAME` boots, for the
# tests: Debian's kernel fetched (cached) and its initramfs (re)built around
# the igdpt just built, by scripts/mk-guest-linux, into
# BUILD/guest-linux/NAME/. Concurrent callers build once: the first holds a
# lock, the others then find the guests up to date.
import fcntl
import os
import subprocess

SOURCE = os.environ.get("IGDPT_SOURCE_ROOT",
                        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
GUEST_DIR = os.path.join(BUILD, "guest-linux")
# What the guest's /init sends its kernel log through (guest/linux/send_log.c).
SEND_LOG = os.path.join(BUILD, "guest", "linux", "igdpt-send-log")
KERNELS = ("bookworm", "trixie")
SKIP = 77


class Unavailable(Exception):
    """Debian's kernel package cannot be fetched here (the reason)."""


def guest_dir(kernel):
    return os.path.join(GUEST_DIR, kernel)


def prepare(kernels=KERNELS):
    """Builds the guests of kernels; Unavailable when Debian's archive cannot
    be reached, RuntimeError when the build fails."""
    igdpt = os.path.join(BUILD, "tools", "igdpt")
    os.makedirs(GUEST_DIR, exist_ok=True)
    with open(os.path.join(GUEST_DIR, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for kernel in kernels:
            p = subprocess.run([os.path.join(SOURCE, "scripts", "mk-guest-linux"),
                                "--kernel", kernel, "--igdpt", igdpt,
                                "--send-log", SEND_LOG,
                                "--out-dir", guest_dir(kernel)],
                               capture_output=True, text=True, timeout=900)
            print(p.stdout, end="")
            if p.returncode == SKIP:
                raise Unavailable(f"Debian's {kernel} kernel package cannot be fetched: "
                                  + p.stderr.strip())
            if p.returncode != 0:
                raise RuntimeError(f"mk-guest-linux --kernel {kernel} failed: " + p.stderr.strip())
