#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Device CPU per PCI config access, in one run, for each way igdpt-device
is reached and for a peer of each protocol:

  igdpt-device (vfio-user)  QEMU 11.1's vfio-user-pci (the trixie stack,
                            scripts/fetch-stack), igdpt-device --vfio-user
  vfu-minimal (vfio-user)   the same QEMU, bench/vfu_minimal.c: the least a
                            vfio-user server does (a constant config space)
  igdpt-device (proxy)      Debian 12's QEMU 7.2, x-pci-proxy-dev
  qemu-remote (proxy)       the same QEMU, its own remote process
                            (-machine x-remote, lsi53c895a)

Through QEMU: the guest (bench/guest/pci_loop.c) reads 00:02.0's ids N
times through 0xCF8/0xCFC; QEMU forwards each read as one message. CPU per
access is the server process's user+system time (wait4), wall per access
QEMU's lifetime, both as (median with N reads - median with 0 reads) / N
over R boots run round-robin, so start-up cancels out and load from
elsewhere falls on every server alike.

Direct: this script is the client, sending M config reads (vfio-user
REGION_READ, proxy PCI_CONFIG_READ) one after the other; CPU per message is
the server's, (median with M - median with 0) / M, R rounds. Without QEMU's
own work in between, it shows the transports' cost alone.

Writes OUT/device-access.txt and OUT/device-access.json; the target is
igdpt-device over vfio-user within 1.1x of vfu-minimal. Nothing here
asserts on timings. A server whose stack cannot run here is reported as
skipped, with the reason.

usage: device_access.py --build BUILD --out DIR [--count N] [--direct M] [--reps R]
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

BOOT_TIMEOUT = 300
RAM_MIB = 128
HOST_QEMU = "qemu-system-x86_64"
HOST_SEABIOS = "/usr/share/seabios/bios-256k.bin"
# isa-debug-exit status of the guest when 00:02.0 answered: (0 << 1) | 1.
ANSWERED = 1
TARGET = 1.1
SERVERS = ["igdpt-device (vfio-user)", "vfu-minimal (vfio-user)", "igdpt-device (proxy)",
           "qemu-remote (proxy)"]


class Unavailable(Exception):
    pass


def trixie(source):
    if os.geteuid() != 0:
        raise Unavailable("QEMU 11.1 runs in a chroot, which needs root")
    p = subprocess.run([os.path.join(source, "scripts", "fetch-stack")], capture_output=True,
                       text=True, timeout=1200)
    if p.returncode != 0:
        raise Unavailable("the trixie stack cannot be fetched: " + p.stderr.strip().splitlines()[0])
    root = p.stdout.strip().splitlines()[-1]
    env = dict(line.strip().split("=", 1) for line in open(os.path.join(root, "stack.env"))
               if "=" in line and not line.startswith("#"))
    return root, env


def host_qemu():
    if not shutil.which(HOST_QEMU):
        raise Unavailable("qemu-system-x86_64 not installed")
    out = subprocess.run([HOST_QEMU, "--version"], capture_output=True, text=True).stdout
    m = re.search(r"version (\d+)\.(\d+)", out)
    if not m or (int(m.group(1)), int(m.group(2))) >= (10, 1):
        raise Unavailable("the proxy needs QEMU < 10.1")


def qemu_args(guest, count):
    return ["-machine", "pc", "-accel", "tcg", "-m", f"{RAM_MIB}M",
            "-object", f"memory-backend-memfd,id=ram,size={RAM_MIB}M,share=on",
            "-numa", "node,memdev=ram", "-nodefaults", "-nographic", "-vga", "none",
            "-kernel", guest, "-append", str(count),
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"]


def wait_server(pid):
    """The server's exit status and CPU seconds (user + system)."""
    _, status, ru = os.wait4(pid, 0)
    return status, ru.ru_utime + ru.ru_stime


def run_vfio_user(server, count, ctx):
    root, env = ctx["trixie"]
    run = tempfile.mkdtemp(prefix="igdpt-bench-", dir=root + env["IGDPT_STACK_RUN_DIR"])
    try:
        shutil.copy(ctx["guest"], os.path.join(run, "guest.elf"))
        sock = os.path.join(run, "igd.sock")
        if server.startswith("igdpt-device"):
            argv = [ctx["device"], "--vfio-user", sock, "--generation", "9"]
        else:
            argv = [ctx["minimal"], sock]
        srv = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not os.path.exists(sock) and time.monotonic() < deadline:
            time.sleep(0.01)
        inside = run[len(root):]
        cmd = ["chroot", root, env["IGDPT_STACK_QEMU"], "-bios", env["IGDPT_STACK_SEABIOS"],
               *qemu_args(inside + "/guest.elf", count),
               "-device", json.dumps({"driver": "vfio-user-pci", "addr": "02.0",
                                      "socket": {"type": "unix", "path": inside + "/igd.sock"}})]
        t0 = time.monotonic()
        q = subprocess.run(cmd, capture_output=True, text=True, timeout=BOOT_TIMEOUT)
        wall = time.monotonic() - t0
        status, cpu = wait_server(srv.pid)
        srv.returncode = status
    finally:
        shutil.rmtree(run, ignore_errors=True)
    return q.returncode, q.stderr, status, wall, cpu


def run_proxy(server, count, ctx):
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    if server.startswith("igdpt-device"):
        argv = [ctx["device"], "--igd-fd", str(ours.fileno()), "--generation", "9"]
    else:
        # QEMU's docs/system/multi-process.rst: the remote process serves an
        # emulated PCI device over the same protocol.
        argv = [HOST_QEMU, "-machine", "x-remote", "-nodefaults", "-nographic",
                "-device", "lsi53c895a,id=lsi1",
                "-object", f"x-remote-object,id=robj1,devid=lsi1,fd={ours.fileno()}"]
    srv = subprocess.Popen(argv, pass_fds=[ours.fileno()], stderr=subprocess.DEVNULL)
    ours.close()
    cmd = [HOST_QEMU, "-bios", HOST_SEABIOS, *qemu_args(ctx["guest"], count),
           "-device", f"x-pci-proxy-dev,addr=02.0,fd={theirs.fileno()}"]
    t0 = time.monotonic()
    q = subprocess.run(cmd, pass_fds=[theirs.fileno()], capture_output=True, text=True,
                       timeout=BOOT_TIMEOUT)
    wall = time.monotonic() - t0
    theirs.close()
    status, cpu = wait_server(srv.pid)
    srv.returncode = status
    return q.returncode, q.stderr, status, wall, cpu


# The wire formats the direct client speaks: vfio-user's are
# device/vfio_user/protocol.h's, the proxy's device/proxy/proto.h's.
VFU_VERSION, VFU_REGION_READ, VFU_CONFIG_REGION = 1, 9, 7
PROXY_PCI_CONFIG_READ = 3


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise RuntimeError("the server closed the connection")
        data += chunk
    return data


def direct_vfio_user(sock, messages):
    def call(cmd, payload):
        sock.sendall(struct.pack("<HHIII", 1, cmd, 16 + len(payload), 0, 0) + payload)
        size = struct.unpack_from("<I", recv_exact(sock, 16), 4)[0]
        return recv_exact(sock, size - 16)

    call(VFU_VERSION, struct.pack("<HH", 0, 0))
    read = struct.pack("<HHIII", 2, VFU_REGION_READ, 32, 0, 0) + struct.pack(
        "<QII", 0, VFU_CONFIG_REGION, 4)
    for _ in range(messages):
        sock.sendall(read)
        recv_exact(sock, 36)


def direct_proxy(sock, messages):
    read = struct.pack("<iiQ", PROXY_PCI_CONFIG_READ, 0, 12) + struct.pack("<IIi", 0, 0, 4)
    for _ in range(messages):
        sock.sendall(read)
        recv_exact(sock, 24)


def run_direct(server, messages, ctx):
    """The server's CPU seconds for messages config reads from this client."""
    with tempfile.TemporaryDirectory(prefix="igdpt-bench-") as tmp:
        if "vfio-user" in server:
            path = os.path.join(tmp, "s.sock")
            argv = ([ctx["device"], "--vfio-user", path, "--generation", "9"]
                    if server.startswith("igdpt-device") else [ctx["minimal"], path])
            srv = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while not os.path.exists(path) and time.monotonic() < deadline:
                time.sleep(0.01)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            direct_vfio_user(sock, messages)
        else:
            sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            srv = subprocess.Popen([ctx["device"], "--igd-fd", str(theirs.fileno()),
                                    "--generation", "9"], pass_fds=[theirs.fileno()],
                                   stderr=subprocess.DEVNULL)
            theirs.close()
            direct_proxy(sock, messages)
        sock.close()
        status, cpu = wait_server(srv.pid)
        srv.returncode = status
    return cpu


def measure_direct(ctx, servers, messages, reps):
    cpu = {(s, n): [] for s in servers for n in (0, messages)}
    for _ in range(reps):
        for s in servers:
            for n in (0, messages):
                cpu[(s, n)].append(run_direct(s, n, ctx))
    return {s: (statistics.median(cpu[(s, messages)]) - statistics.median(cpu[(s, 0)]))
            / messages * 1e6 for s in servers}


def measure(ctx, servers, count, reps):
    """Round-robin: every server with 0 and with count reads, reps times."""
    samples = {(s, n): {"cpu": [], "wall": []} for s in servers for n in (0, count)}
    for rep in range(reps):
        for s in servers:
            for n in (0, count):
                run = run_vfio_user if "vfio-user" in s else run_proxy
                qstatus, qerr, sstatus, wall, cpu = run(s, n, ctx)
                if qstatus != ANSWERED:
                    raise RuntimeError(f"{s}, {n} reads: QEMU exit {qstatus} (want {ANSWERED}): "
                                       f"{qerr.strip()[-300:]}")
                samples[(s, n)]["cpu"].append(cpu)
                samples[(s, n)]["wall"].append(wall)
        print(f"boot round {rep + 1}/{reps} done", flush=True)
    result = {}
    for s in servers:
        c0, cn = (statistics.median(samples[(s, n)]["cpu"]) for n in (0, count))
        w0, wn = (statistics.median(samples[(s, n)]["wall"]) for n in (0, count))
        result[s] = {"cpu_us_per_access": (cn - c0) / count * 1e6,
                     "wall_us_per_access": (wn - w0) / count * 1e6,
                     "cpu_seconds_0": c0, "cpu_seconds_n": cn,
                     "wall_seconds_0": w0, "wall_seconds_n": wn}
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--direct", type=int, default=100000)
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    ctx = {"device": os.path.join(a.build, "device", "igdpt-device"),
           "minimal": os.path.join(a.build, "bench", "vfu-minimal"),
           "guest": os.path.join(a.build, "bench", "bench-pci-loop.elf")}
    for path in ctx.values():
        if not os.access(path, os.R_OK):
            print(f"device_access: {path} not built", file=sys.stderr)
            return 1
    skipped = {}
    try:
        ctx["trixie"] = trixie(a.source)
    except Unavailable as e:
        skipped.update({s: str(e) for s in SERVERS if "vfio-user" in s})
    try:
        host_qemu()
    except Unavailable as e:
        skipped.update({s: str(e) for s in SERVERS if "proxy" in s})
    servers = [s for s in SERVERS if s not in skipped]
    result = measure(ctx, servers, a.count, a.reps) if servers else {}
    # The direct client needs no QEMU: qemu-remote alone cannot run without one.
    direct = measure_direct(ctx, SERVERS[:3], a.direct, a.reps)

    os.makedirs(a.out, exist_ok=True)
    lines = [f"# through QEMU: device CPU per PCI config read of 00:02.0, {a.count} per boot, "
             f"median of {a.reps} boots, pc + SeaBIOS, TCG",
             f"{'server':<26} {'cpu_us/access':>14} {'wall_us/access':>15} {'cpu_s(0)':>9} "
             f"{'cpu_s(N)':>9}"]
    for s in SERVERS:
        if s in skipped:
            lines.append(f"{s:<26} skipped: {skipped[s]}")
            continue
        r = result[s]
        lines.append(f"{s:<26} {r['cpu_us_per_access']:14.3f} {r['wall_us_per_access']:15.3f} "
                     f"{r['cpu_seconds_0']:9.4f} {r['cpu_seconds_n']:9.4f}")
    doc = {"accesses": a.count, "boots": a.reps, "servers": result, "skipped": skipped,
           "ratio_target": TARGET, "direct_messages": a.direct,
           "direct_cpu_us_per_message": direct}
    if SERVERS[0] in result and SERVERS[1] in result:
        ratio = result[SERVERS[0]]["cpu_us_per_access"] / result[SERVERS[1]]["cpu_us_per_access"]
        doc["cpu_ratio_vfio_user_to_minimal"] = ratio
        lines.append(f"cpu ratio igdpt-device / vfu-minimal (vfio-user): {ratio:.3f} "
                     f"(target <= {TARGET})")
    if SERVERS[2] in result and SERVERS[3] in result:
        ratio = result[SERVERS[2]]["cpu_us_per_access"] / result[SERVERS[3]]["cpu_us_per_access"]
        doc["cpu_ratio_proxy_to_qemu_remote"] = ratio
        lines.append(f"cpu ratio igdpt-device / qemu-remote (proxy): {ratio:.3f}")
    lines += ["", f"# direct: server CPU per config read message from this script, {a.direct} "
                  f"per run, median of {a.reps} runs (no QEMU)",
              f"{'server':<26} {'cpu_us/message':>14}"]
    lines += [f"{s:<26} {direct[s]:14.3f}" for s in direct]
    ratio = direct[SERVERS[0]] / direct[SERVERS[1]]
    doc["direct_cpu_ratio_vfio_user_to_minimal"] = ratio
    lines.append(f"cpu ratio igdpt-device / vfu-minimal (vfio-user, direct): {ratio:.3f} "
                 f"(target <= {TARGET})")
    with open(os.path.join(a.out, "device-access.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(a.out, "device-access.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
