#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `igdpt vm` when something other than the OpRegion goes wrong, with real
# QEMU and igdpt-device: a signal mid-boot (the run stops QEMU, then the
# device, removes its temporary directory, leaves no process behind and
# exits 128+N with one line; a signal it started with ignored, as under
# nohup, leaves the run going), a TMPDIR or --keep-logs destination that is
# full, read-only or not a directory (exit 2 before anything boots, ENOSPC
# named), a configuration igdpt-device refuses (exit 2 before QEMU starts),
# and the progress line on a terminal. A QEMU started with -S (CPUs stopped)
# stands for a boot that is in progress for as long as the test needs.
# `vm_resilience_e2e.py --list` names the cases; `... CASE` runs one.
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import stacks  # noqa: E402

BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
QEMU = "qemu-system-x86_64"
SKIP = 77
WAIT = 120  # seconds for anything a loaded machine may be slow at
IGNORED_GRACE = 2  # seconds a run reacts to a caught signal within (it polls every 0.25 s)


class Failure(Exception):
    pass


class Skip(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def paused_qemu(tmp):
    """A QEMU that starts, connects the IGD and never runs the guest."""
    qemu = shutil.which(QEMU)
    if not qemu:
        raise Skip(f"{QEMU} not installed")
    path = os.path.join(tmp, "qemu-paused")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec {qemu} "$@" -S\n')
    os.chmod(path, 0o755)
    return path


def private_tmpdir(tmp):
    path = os.path.join(tmp, "tmpdir")
    os.mkdir(path)
    return path


def processes_mentioning(text):
    """PIDs whose command line contains text (the run's private TMPDIR)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if text.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def run_dir(tmpdir):
    runs = [d for d in os.listdir(tmpdir) if d.startswith("igdpt-vm.")]
    return os.path.join(tmpdir, runs[0]) if len(runs) == 1 else None


def wait_for(cond, what, seconds=WAIT):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise Failure(f"timed out waiting for {what}")


def dispositions(default, ignored=()):
    """A preexec_fn giving igdpt vm these dispositions at start, whatever the
    test runner inherited: nohup ignores SIGHUP, and a background job of a
    non-interactive shell starts with SIGINT and SIGQUIT ignored, which
    igdpt vm keeps (tools/vm/vm_signals.c)."""
    def apply():
        for sig in default:
            signal.signal(sig, signal.SIG_DFL)
        for sig in ignored:
            signal.signal(sig, signal.SIG_IGN)
    return apply


def signal_case(sig, ignored=None):
    """sig mid-boot ends the run. With ignored, igdpt vm starts with that
    signal ignored (as under nohup): it first gets that one, which must
    leave the run going, then sig."""
    def case(tmp):
        tmpdir = private_tmpdir(tmp)
        logs = os.path.join(tmp, "logs")
        args = [IGDPT, "vm", "--qemu", paused_qemu(tmp), "--timeout", "600"]
        if sig == signal.SIGTERM:
            args += ["--keep-logs", logs]
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, TMPDIR=tmpdir),
                             preexec_fn=dispositions([sig], [ignored] if ignored else []))
        try:
            # Stage lines arrive through the pipe while the run goes on.
            seen = []
            while not any(l.startswith("[ ok ] published") for l in seen):
                line = p.stdout.readline()
                if not line:
                    raise Failure(f"igdpt vm ended before publishing: {seen} {p.stderr.read()}")
                seen.append(line)
            # QEMU is up when its serial log exists.
            wait_for(lambda: run_dir(tmpdir) and
                     os.path.exists(os.path.join(run_dir(tmpdir), "serial.log")), "QEMU")
            check(len(processes_mentioning(tmpdir)) >= 2, "QEMU and the device are not running")
            if ignored:
                p.send_signal(ignored)
                time.sleep(IGNORED_GRACE)
                check(p.poll() is None, f"igdpt vm ended on {signal.Signals(ignored).name}, "
                      "which it started with ignored")
                check(len(processes_mentioning(tmpdir)) >= 2, "QEMU or the device ended on "
                      f"{signal.Signals(ignored).name}, which igdpt vm started with ignored")
            p.send_signal(sig)
            try:
                out, err = p.communicate(timeout=WAIT)
            except subprocess.TimeoutExpired:
                raise Failure(f"igdpt vm still running {WAIT} s after the signal; "
                              f"{where_is(p.pid)}")
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        name = signal.Signals(sig).name
        print("".join(seen) + out + err)
        check(p.returncode == 128 + sig, f"exit status {p.returncode}, expected {128 + sig}")
        lines = err.splitlines()
        check(len(lines) == 1 and lines[0].startswith(
            f"igdpt vm: interrupted by {name} while QEMU was running"), f"stderr: {err!r}")
        check("stopped QEMU and igdpt-device" in lines[0], f"stderr: {err!r}")
        check("\x1b" not in "".join(seen) + out, "progress line written into a pipe")
        check(os.listdir(tmpdir) == [], f"left in TMPDIR: {os.listdir(tmpdir)}")
        check(processes_mentioning(tmpdir) == [], "processes left behind: "
              f"{processes_mentioning(tmpdir)}")
        if sig == signal.SIGTERM:
            check(f"logs kept in {logs}" in lines[0], f"stderr: {err!r}")
            for f in ("device.log", "command-lines.txt", "published-opregion.bin"):
                check(os.path.exists(os.path.join(logs, f)), f"--keep-logs lacks {f}")
    return case


def where_is(pid):
    """What a process that does not end is doing, and its children: the
    kernel's view (state, wait channel, stack), for a case that times out."""
    def read(path):
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError as e:
            return f"({e.strerror})"
    status = [l for l in read(f"/proc/{pid}/status").splitlines()
              if l.split(":")[0] in ("State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt")]
    text = (f"pid {pid} {' '.join(status)}, wchan {read(f'/proc/{pid}/wchan')}, "
            f"stack {read(f'/proc/{pid}/stack')!r}")
    for child in children(pid):
        text += f"; child {child}: {read(f'/proc/{child}/cmdline')!r} " + \
                f"wchan {read(f'/proc/{child}/wchan')}"
    return text


def children(pid):
    """PIDs whose parent is pid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                # pid (comm) state ppid ...: comm may hold spaces.
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (OSError, IndexError, ValueError):
            pass
    return found


def trixie_signal_case(sig):
    """The same on the trixie stack: QEMU under chroot, the run's directory
    in the stack's root (ROOT/run/igdpt-vm.XXXXXX), removed on the signal."""
    def case(tmp):
        try:
            root, manifest = stacks.fetch("trixie")
        except stacks.Unavailable as e:
            raise Skip(str(e)) from None
        run = root + manifest["IGDPT_STACK_RUN_DIR"]
        # A QEMU that stays paused must be inside the root, as QEMU is.
        wrapper_dir = tempfile.mkdtemp(prefix="igdpt-test.", dir=run)
        try:
            wrapper = os.path.join(wrapper_dir, "qemu-paused")
            with open(wrapper, "w") as f:
                f.write(f'#!/bin/sh\nexec {manifest["IGDPT_STACK_QEMU"]} "$@" -S\n')
            os.chmod(wrapper, 0o755)
            trixie_signal(sig, root, wrapper[len(root):])
        finally:
            shutil.rmtree(wrapper_dir, ignore_errors=True)
    return case


def trixie_signal(sig, root, qemu):
    p = subprocess.Popen([IGDPT, "vm", "--stack", "trixie", "--qemu", qemu, "--timeout", "600"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, IGDPT_STACK_DIR=root),
                         preexec_fn=dispositions([sig]))
    run_dir = None
    try:
        seen = []
        while not any(l.startswith("[ ok ] published") for l in seen):
            line = p.stdout.readline()
            if not line:
                raise Failure(f"igdpt vm ended before publishing: {seen} {p.stderr.read()}")
            seen.append(line)

        def device_run_dir():
            for child in children(p.pid):
                with open(f"/proc/{child}/cmdline", "rb") as f:
                    m = re.search(rb"--log\0([^\0]+)/device\.log", f.read())
                if m:
                    return m.group(1).decode()
            return None
        wait_for(lambda: device_run_dir() is not None, "igdpt-device")
        run_dir = device_run_dir()
        check(run_dir.startswith(root + "/"), f"the run's directory {run_dir} is not in {root}")
        # QEMU is up when its serial log exists; the device then has its client.
        wait_for(lambda: os.path.exists(os.path.join(run_dir, "serial.log")) and
                 not os.path.exists(os.path.join(run_dir, "igd.sock")), "QEMU")
        check(len(processes_mentioning(run_dir[len(root):])) >= 2,
              "QEMU and the device are not running")
        p.send_signal(sig)
        out, err = p.communicate(timeout=WAIT)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    name = signal.Signals(sig).name
    print("".join(seen) + out + err)
    check(p.returncode == 128 + sig, f"exit status {p.returncode}, expected {128 + sig}")
    check(err.startswith(f"igdpt vm: interrupted by {name} while QEMU was running") and
          len(err.splitlines()) == 1, f"stderr: {err!r}")
    check(not os.path.exists(run_dir), f"{run_dir} left behind")
    check(processes_mentioning(run_dir[len(root):]) == [], "processes left behind: "
          f"{processes_mentioning(run_dir[len(root):])}")


def namespace_shell(tmp, script, *args):
    """Runs script (sh) as root in a private mount namespace, so it can
    mount small or read-only file systems that vanish with it."""
    if os.geteuid() != 0:
        raise Skip("needs root for a private mount namespace (mount -t tmpfs)")
    if not shutil.which("unshare"):
        raise Skip("unshare (util-linux) not installed")
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs none /mnt"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise Skip(f"cannot mount in a private mount namespace: {probe.stderr.strip()}")
    p = subprocess.run(["unshare", "-m", "sh", "-c", script, "sh"] + list(args),
                       capture_output=True, text=True, timeout=WAIT)
    print(p.stdout + p.stderr)
    return p


def expect_refused(p, what, *needles):
    check(p.returncode == 2, f"{what}: exit status {p.returncode}, expected 2")
    lines = p.stderr.splitlines()
    check(len(lines) == 1 and lines[0].startswith("igdpt vm: "), f"{what}: stderr {p.stderr!r}")
    for n in needles:
        check(n in lines[0], f"{what}: {n!r} not in {lines[0]!r}")
    check(p.stdout == "", f"{what}: stage lines before the refusal: {p.stdout!r}")


def enospc_tmpdir_case(tmp):
    """TMPDIR on a 64 KiB tmpfs: refused before boot, ENOSPC named."""
    small = os.path.join(tmp, "small")
    os.mkdir(small)
    script = ('mount -t tmpfs -o size=64k igdpt-small "$1" || exit 99\n'
              'TMPDIR="$1" "$2" vm; echo "rc=$?" >&2; ls -A "$1" >&2')
    p = namespace_shell(tmp, script, small, IGDPT)
    check(p.returncode != 99, "mount failed")
    err = p.stderr.splitlines()
    check(err[-2:] == ["rc=2"] or err[-1] == "rc=2", f"exit status: {err}")
    check(len(err) == 2 and "No space left on device" in err[0] and "KiB free" in err[0],
          f"stderr: {err}")
    check("device logged no start event" not in p.stderr, "ENOSPC not named")
    check(p.stdout == "", f"stage lines: {p.stdout!r}")


def enospc_during_run_case(tmp):
    """The file system fills while QEMU runs: the stages cannot be judged
    from logs that may be cut short, so ENOSPC is the verdict (exit 2)."""
    small, out = os.path.join(tmp, "small"), os.path.join(tmp, "out")
    os.mkdir(small)
    os.mkdir(out)
    script = ('mount -t tmpfs -o size=1m igdpt-small "$1" || exit 99\n'
              'TMPDIR="$1" "$2" vm --qemu "$3" --timeout 5 >"$4/stdout" 2>"$4/stderr" &\n'
              'pid=$!; i=0\n'
              'while [ -z "$(ls "$1"/igdpt-vm.*/serial.log 2>/dev/null)" ] && [ $i -lt 1200 ]; do\n'
              '  sleep 0.1; i=$((i+1)); done\n'
              'dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null\n'
              'wait $pid; echo $? >"$4/rc"; rm -f "$1/fill"; ls -A "$1" >"$4/left"')
    p = namespace_shell(tmp, script, small, IGDPT, paused_qemu(tmp), out)
    check(p.returncode != 99, "mount failed")

    def read(name):
        with open(os.path.join(out, name)) as f:
            return f.read()
    print(read("stdout") + read("stderr"))
    check(read("rc").strip() == "2", f"exit status {read('rc').strip()}, expected 2")
    err = read("stderr").splitlines()
    check(len(err) == 1 and "No space left on device" in err[0] and "cannot be judged" in err[0],
          f"stderr: {err}")
    check("device logged no start event" not in read("stdout"), "ENOSPC not named")
    check(read("left") == "", f"left in TMPDIR: {read('left')!r}")


def keep_logs_case(tmp):
    """--keep-logs refused before anything boots: a path under a regular
    file, a read-only file system, a full one."""
    tmpdir = private_tmpdir(tmp)
    regular = os.path.join(tmp, "regular")
    open(regular, "w").close()
    env = dict(os.environ, TMPDIR=tmpdir)
    p = subprocess.run([IGDPT, "vm", "--keep-logs", os.path.join(regular, "logs")],
                       capture_output=True, text=True, env=env, timeout=WAIT)
    expect_refused(p, "under a regular file", "--keep-logs", "Not a directory")
    p = subprocess.run([IGDPT, "vm", "--keep-logs", regular], capture_output=True, text=True,
                       env=env, timeout=WAIT)
    expect_refused(p, "a regular file", "Not a directory")
    check(os.listdir(tmpdir) == [], f"left in TMPDIR: {os.listdir(tmpdir)}")

    mnt = os.path.join(tmp, "mnt")
    os.mkdir(mnt)
    script = ('mount -t tmpfs -o size=64k,ro igdpt-ro "$1" || exit 99\n'
              'TMPDIR="$3" "$2" vm --keep-logs "$1/logs"')
    expect_refused(namespace_shell(tmp, script, mnt, IGDPT, tmpdir), "read-only",
                   "Read-only file system")
    script = ('mount -t tmpfs -o size=64k igdpt-full "$1" || exit 99\n'
              'dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null\n'
              'TMPDIR="$3" "$2" vm --keep-logs "$1/logs"')
    expect_refused(namespace_shell(tmp, script, mnt, IGDPT, tmpdir), "full",
                   "No space left on device")
    check(os.listdir(tmpdir) == [], f"left in TMPDIR: {os.listdir(tmpdir)}")


def refused_before_boot_case(tmp):
    """What only igdpt-device can judge is still refused before QEMU starts."""
    tmpdir = private_tmpdir(tmp)
    env = dict(os.environ, TMPDIR=tmpdir)
    qemu_log = os.path.join(tmp, "qemu-started")
    qemu = os.path.join(tmp, "qemu-witness")
    # `--version` (igdpt vm asks it to choose the transport) is no boot.
    with open(qemu, "w") as f:
        f.write(f'#!/bin/sh\n[ "$1" = --version ] || touch {qemu_log}\n'
                f'exec {shutil.which(QEMU)} "$@"\n')
    os.chmod(qemu, 0o755)
    for args, needles in (
            (["--generation", "99"], ("igdpt-device did not start",
                                      "generation 99")),
            (["--device-id", "0x9a49", "--generation", "9"], ("generation 12",)),
            (["--device-id", "0x1234"], ("give --generation",)),
            (["--image", os.path.join(tmp, "missing.bin")], ("missing.bin",)),
            (["--image", tmp], (tmp,)),
            (["--stolen-size", "16M", "--generation", "8"], ("cannot announce it in GGC",))):
        p = subprocess.run([IGDPT, "vm", "--qemu", qemu] + args, capture_output=True, text=True,
                           env=env, timeout=WAIT)
        print(f"$ igdpt vm {' '.join(args)}\n{p.stderr}", end="")
        expect_refused(p, " ".join(args), *needles)
        check(not os.path.exists(qemu_log), f"{args}: QEMU was started")
    check(os.listdir(tmpdir) == [], f"left in TMPDIR: {os.listdir(tmpdir)}")


def progress_case(tmp):
    """On a terminal, a progress line while QEMU runs, erased before the
    next stage line."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(IGDPT, [IGDPT, "vm", "--qemu", paused_qemu(tmp), "--timeout", "2"])
    out = b""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    print(text)
    check(os.WEXITSTATUS(status) == 1, f"exit status {os.WEXITSTATUS(status)} (a timeout is 1)")
    check("\r\x1b[K       QEMU running, " in text, "no progress line")
    verdict = next(l for l in text.splitlines() if "guest verdict" in l)
    check(verdict.startswith("\r\x1b[K[FAIL] guest verdict") or
          verdict.startswith("[FAIL] guest verdict"), f"verdict line {verdict!r}")
    check("timeout" in verdict, f"verdict line {verdict!r}")


CASES = {
    "signal-sigint": signal_case(signal.SIGINT),
    "signal-sigterm": signal_case(signal.SIGTERM),
    "signal-sighup": signal_case(signal.SIGHUP),
    "signal-sigquit": signal_case(signal.SIGQUIT),
    "signal-ignored-at-start": signal_case(signal.SIGTERM, ignored=signal.SIGHUP),
    "trixie-signal-sigterm": trixie_signal_case(signal.SIGTERM),
    "trixie-signal-sigint": trixie_signal_case(signal.SIGINT),
    "enospc-tmpdir": enospc_tmpdir_case,
    "enospc-during-run": enospc_during_run_case,
    "keep-logs-refused": keep_logs_case,
    "refused-before-boot": refused_before_boot_case,
    "progress-on-terminal": progress_case,
}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(CASES))
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        print("usage: vm_resilience_e2e.py --list | CASE", file=sys.stderr)
        return 2
    if not os.access(IGDPT, os.X_OK):
        print(f"IGDPT_BUILD_ROOT not usable: {IGDPT}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="igdpt-e2e.") as tmp:
        try:
            CASES[sys.argv[1]](tmp)
        except Skip as e:
            print(f"SKIP {sys.argv[1]}: {e}")
            return SKIP
        except Failure as e:
            print(f"FAIL {sys.argv[1]}: {e}", file=sys.stderr)
            return 1
    print(f"ok {sys.argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
