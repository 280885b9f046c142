#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every command that reads or writes a file, given the files a hostile user
gives it (issue 13, items 5 and 6).

- Inputs: a FIFO (with no writer: open and read would block forever), a
  character device (/dev/zero, /dev/urandom), a socket, a directory, for
  validate, decode, build --vbt, prepare -i/--extended-vbt, rom
  --check/--add/--vbt, strategies --image, vm --image: each refused at once
  (exit 2) with the kind named.
- Outputs: a character device (a node of our own, and /dev/null) and a FIFO
  are written through and stay what they are; "-o /dev/stdout" reaches the
  pipe; a FIFO nobody reads is refused at once; a socket and a directory are
  refused; an existing file keeps its mode (0600 stays 0600).
- Kills while `build` writes: with SIGTERM (catchable) nothing is ever left
  beside the target; with SIGKILL the target is always the old or the new
  image, whole, and any copy left beside it is a whole new image (the
  window is two system calls: lib/io/file_write.c).
Usage: file_cli.py IGDPT_BINARY
"""
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time

IGDPT = os.path.abspath(sys.argv[1])
CORPUS = os.environ.get("IGDPT_CORPUS", "")
HANG_SECONDS = 20
KILLS = 300

failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def run(args, **kw):
    try:
        return subprocess.run([IGDPT] + args, capture_output=True, timeout=HANG_SECONDS, **kw)
    except subprocess.TimeoutExpired:
        return None


def first_line(b):
    lines = b.decode(errors="replace").strip().splitlines()
    return lines[0] if lines else ""


def hostile_inputs(tmp, vbt, opregion):
    print("== inputs that are not regular files")
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    sock_path = os.path.join(tmp, "sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(sock_path)
    kinds = [(fifo, "a FIFO"), ("/dev/zero", "a character device"),
             ("/dev/urandom", "a character device"), (sock_path, "a socket"),
             (tmp, "Is a directory")]
    out = os.path.join(tmp, "out.bin")
    for bad, kind in kinds:
        commands = [
            ["validate", bad], ["decode", bad], ["decode", "--json", bad],
            ["build", "--vbt", bad, "-o", out],
            ["prepare", "-i", bad, "-o", out],
            ["prepare", "-i", opregion, "--extended-vbt", bad, "-o", out],
            ["rom", "--check", bad], ["rom", "--add", bad, "-o", out],
            ["rom", "--vbt", bad, "--device-id", "0x5916", "-o", out],
            ["strategies", "--image", bad],
            ["vm", "--image", bad],
        ]
        for args in commands:
            p = run(args)
            ok = p is not None and p.returncode == 2 and kind.encode() in p.stderr and \
                not os.path.exists(out)
            check(ok, "%s (%s): %s" % (" ".join(args).replace(tmp, "T"), kind,
                                      "HANG" if p is None else
                                      "exit %d, %s" % (p.returncode, first_line(p.stderr))))
    sock.close()


def hostile_outputs(tmp, vbt, opregion):
    print("== outputs that are not regular files")
    writers = [
        ["build", "--reference", "-o"],
        ["prepare", "-i", opregion, "-o"],
        ["rom", "--vbt", vbt, "--device-id", "0x5916", "-o"],
    ]
    node = os.path.join(tmp, "null")
    if os.geteuid() == 0:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for w in writers:
        name = w[0]
        if os.geteuid() == 0:
            p = run(w + [node])
            st = os.lstat(node)
            check(p.returncode == 0 and stat.S_ISCHR(st.st_mode) and
                  st.st_rdev == os.makedev(1, 3),
                  "%s -o CHARDEV (1,3): written through, still the device node" % name)
        p = run(w + ["/dev/null"])
        check(p.returncode == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode),
              "%s -o /dev/null: exit 0, /dev/null still a character device" % name)
        # /dev/stdout is a pipe here: the bytes come out of it.
        p = run(w + ["/dev/stdout"])
        want = run(w + ["-"]).stdout
        check(p.returncode == 0 and p.stdout.startswith(want) and len(want) > 0,
              "%s -o /dev/stdout: the %d bytes arrive on the pipe" % (name, len(want)))
        # A FIFO with nobody reading: refused at once, not a hang.
        fifo = os.path.join(tmp, "out.fifo")
        os.mkfifo(fifo)
        p = run(w + [fifo])
        check(p is not None and p.returncode == 2 and b"no process reads from it" in p.stderr,
              "%s -o FIFO without a reader: exit 2 at once (%s)"
              % (name, "HANG" if p is None else first_line(p.stderr)))
        # With a reader, the bytes arrive and the FIFO stays one.
        got = []

        def reader():
            with open(fifo, "rb") as f:
                got.append(f.read())
        t = threading.Thread(target=reader)
        t.start()
        time.sleep(0.05)
        for _ in range(100):  # the reader's open() may lag: retry ENXIO
            p = run(w + [fifo])
            if p.returncode == 0 or b"no process reads" not in p.stderr:
                break
            time.sleep(0.02)
        t.join(HANG_SECONDS)
        check(p.returncode == 0 and got and got[0] == want and
              stat.S_ISFIFO(os.lstat(fifo).st_mode),
              "%s -o FIFO with a reader: the bytes arrive, still a FIFO" % name)
        os.unlink(fifo)
        # A socket and a directory are no outputs.
        sock_path = os.path.join(tmp, "out.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(sock_path)
        p = run(w + [sock_path])
        check(p.returncode == 2 and b"a socket" in p.stderr and
              stat.S_ISSOCK(os.lstat(sock_path).st_mode),
              "%s -o SOCKET: refused (%s)" % (name, first_line(p.stderr)))
        s.close()
        os.unlink(sock_path)
        p = run(w + [tmp])
        check(p.returncode == 2 and b"is a directory" in p.stderr,
              "%s -o DIRECTORY: refused (%s)" % (name, first_line(p.stderr)))
        # An existing file keeps its mode.
        out = os.path.join(tmp, "mode.bin")
        with open(out, "wb") as f:
            f.write(b"old")
        os.chmod(out, 0o600)
        p = run(w + [out])
        check(p.returncode == 0 and stat.S_IMODE(os.stat(out).st_mode) == 0o600 and
              open(out, "rb").read() == want,
              "%s -o an existing 0600 file: replaced, still 0600" % name)
        os.unlink(out)
        leftovers = [n for n in os.listdir(tmp) if ".bin." in n or ".fifo." in n]
        check(not leftovers, "%s: no temporary left in the directory %s" % (name, leftovers))
    if os.path.exists(node):
        os.unlink(node)


def kills(tmp):
    print("== kills while build writes")
    d = os.path.join(tmp, "kills")
    os.mkdir(d)
    target = os.path.join(d, "target.bin")
    new = run(["build", "--reference", "--opregion-version", "3.0", "-o", "-"]).stdout
    old = run(["build", "--reference", "--opregion-version", "2.1", "-o", "-"]).stdout
    assert old != new
    # How long a run takes here: kills are spread over that span.
    start = time.monotonic()
    for _ in range(20):
        run(["build", "--reference", "--opregion-version", "3.0", "-o", target])
    span = (time.monotonic() - start) / 20
    rng = random.Random(1313)
    for sig, name in ((signal.SIGTERM, "SIGTERM"), (signal.SIGKILL, "SIGKILL")):
        torn = leftovers = partial = 0
        for _ in range(KILLS):
            with open(target, "wb") as f:
                f.write(old)
            p = subprocess.Popen([IGDPT, "build", "--reference", "--opregion-version", "3.0",
                                  "-o", target], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, span * 1.2))
            try:
                p.send_signal(sig)
            except ProcessLookupError:
                pass
            p.wait()
            now = open(target, "rb").read()
            torn += now not in (old, new)
            for n in os.listdir(d):
                if n != "target.bin":
                    leftovers += 1
                    partial += open(os.path.join(d, n), "rb").read() != new
                    os.unlink(os.path.join(d, n))
        check(torn == 0, "%s x %d (runs of %.1f ms): the target is always the old or the "
              "new image, whole" % (name, KILLS, span * 1000))
        if sig == signal.SIGTERM:
            check(leftovers == 0, "SIGTERM x %d: no temporary ever left (%d)" % (KILLS, leftovers))
        else:
            check(partial == 0, "SIGKILL x %d: %d copies left beside the target, each a whole "
                  "new image (the link-and-rename window)" % (KILLS, leftovers))


def main():
    if not CORPUS or not os.path.isdir(os.path.join(CORPUS, "vbt")):
        print("IGDPT_CORPUS not set or without vbt/: skipping")
        return 77
    vbt = os.path.join(CORPUS, "vbt", "cb-asrock-h110m.vbt")
    opregion = os.path.join(CORPUS, "opregion", "rikka0w0-qemu-gvt-d-opregion.bin")
    with tempfile.TemporaryDirectory(prefix="igdpt-file-cli-") as tmp:
        hostile_inputs(tmp, vbt, opregion)
        hostile_outputs(tmp, vbt, opregion)
        kills(tmp)
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall file tests passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
