#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed inputs of the device's fuzz targets (fuzz_model.c,
fuzz_proxy.c): the firmware's boot sequences, the partial-write cases of
issue 13, and malformed proxy messages. The committed seeds-model/ and
seeds-proxy/ are this script's output (`ninja -C build device-fuzz-seeds`)
plus the inputs libFuzzer found crashes with (e.g. crossing-0x100.bin),
kept as they were found.

usage: gen_seeds.py DIR   (writes DIR/seeds-model, DIR/seeds-proxy)
"""
import os
import struct
import sys

# ---- fuzz_model.c: flags byte, then 8-byte steps {kind, a, b, c, value} ----
CFG_WRITE, CFG_READ, BAR_WRITE, BAR_READ, RESET, FW_COPY, MEMORY, FW_ASLS, FW_BDSM = (
    0, 2, 3, 4, 5, 6, 7, 8, 9)
LEN_INDEX = {1: 0, 2: 1, 4: 2, 3: 4, 0: 5}   # fuzz_model.c cfg_lens[]
SIZE_INDEX = {1: 0, 2: 1, 4: 2, 8: 3, 3: 4}  # fuzz_model.c bar_sizes[]
FLAG_1B, FLAG_GEN12, FLAG_STOLEN = 1, 2, 4
ASLS, GGC, SWSCI, BDSM, BDSM64 = 0xFC, 0x50, 0xE8, 0x5C, 0xC0
GGC_MIRROR, BDSM_MIRROR = 0x108040, 0x1080C0


def step(kind, a=0, b=0, c=0, value=0):
    return struct.pack("<BBBBI", kind, a, b, c, value & 0xFFFFFFFF)


def cfg_write(off, length, value):
    """A config write at a raw offset (a = 0x80 | high bits, b = low bits)."""
    return step(CFG_WRITE, 0x80 | (off >> 8), off & 0xFF, LEN_INDEX[length], value)


def cfg_read(off, length, lpc=False):
    return step(CFG_READ, 0x80 | (off >> 8), (off & 0xFF) | (1 if lpc else 0), LEN_INDEX[length])


def bar(kind, index, off, size):
    """A BAR access at a raw offset (b = 0x80: the value is the offset, and
    what a write writes)."""
    return step(kind, index, 0x80, SIZE_INDEX[size], off)


def halves(off, value, high_first=False):
    lo, hi = cfg_write(off, 2, value & 0xFFFF), cfg_write(off + 2, 2, value >> 16)
    return hi + lo if high_first else lo + hi


def bytes_of(off, value, high_first=False):
    order = range(3, -1, -1) if high_first else range(4)
    return b"".join(cfg_write(off + i, 1, (value >> (8 * i)) & 0xFF) for i in order)


def program_bars():
    return (cfg_write(0x10, 4, 0xFD000000) + cfg_write(0x14, 4, 0) +
            cfg_write(0x18, 4, 0xE0000000) + cfg_write(0x1C, 4, 0) +
            cfg_write(0x20, 4, 0xC000) + cfg_write(0x04, 2, 0x7))


MODEL_SEEDS = {
    # SeaBIOS, 4b: copy, ASLS, BDSM; then a guest pokes GGC, SWSCI, mirrors.
    "boot-4b-gen9": bytes([FLAG_STOLEN]) + program_bars() + step(FW_COPY, 1, 0, 0, 0xE000) +
    step(FW_ASLS, 0, 0, 0, 0xE000) + step(FW_BDSM, 0, 0, 0, 0x3F00000) +
    cfg_write(GGC, 2, 0xFFFF) + cfg_write(SWSCI, 2, 0x8001) +
    bar(BAR_READ, 0, GGC_MIRROR, 2) + bar(BAR_READ, 0, BDSM_MIRROR, 4) +
    bar(BAR_WRITE, 0, BDSM_MIRROR, 4) + step(RESET),
    # 1b, the halves (low first passes 0xe000), then the firmware's dword.
    "1b-asls-halves-low-first": bytes([FLAG_1B]) + step(FW_COPY, 0, 0, 0, 0xE000) +
    step(FW_COPY, 0, 0, 0, 0xC000) + halves(ASLS, 0x0000C000) + halves(ASLS, 0x0000E000) +
    step(FW_ASLS, 0, 0, 0, 0xC000) + cfg_write(ASLS, 4, 0xE000) + step(RESET) +
    step(FW_ASLS, 0, 0, 0, 0xE000),
    "1b-asls-halves-high-first": bytes([FLAG_1B]) + step(FW_COPY, 0, 0, 0, 0xE000) +
    halves(ASLS, 0x0000E000, high_first=True) + step(RESET) + halves(ASLS, 0x0000E000),
    "1b-asls-bytes": bytes([FLAG_1B]) + step(FW_COPY, 0, 0, 0, 0x8000) +
    bytes_of(ASLS, 0x8000) + step(RESET) + bytes_of(ASLS, 0x8000, high_first=True) +
    cfg_write(ASLS - 2, 4, 0x80000000) + cfg_write(ASLS + 2, 2, 0) +
    cfg_write(ASLS - 1, 2, 0) + cfg_write(ASLS + 1, 2, 0x0080) + cfg_write(ASLS + 3, 1, 0),
    "1b-unjustified": bytes([FLAG_1B]) + step(FW_ASLS, 0, 0, 0, 0x6000) +
    cfg_write(ASLS, 4, 0x6010) + cfg_write(ASLS, 4, 0xFFFFF000) + step(MEMORY, 0) +
    step(FW_COPY, 0, 0, 0, 0x6000) + step(FW_ASLS, 0, 0, 0, 0x6000) + step(MEMORY, 1) +
    step(FW_ASLS, 0, 0, 0, 0x6000),
    "bdsm64-pieces": bytes([FLAG_GEN12 | FLAG_STOLEN]) + step(FW_BDSM, 0, 0, 0, 0x3F00000) +
    step(FW_BDSM, 1, 0, 0, 1) + step(RESET) + step(FW_BDSM, 1, 0, 0, 0) +
    step(FW_BDSM, 0, 0, 0, 0x3F00000) + bytes_of(BDSM64, 0x3F00000) +
    halves(BDSM64 + 4, 1) + cfg_write(BDSM64 + 2, 4, 0xFFFFFFFF) +
    bar(BAR_READ, 0, BDSM_MIRROR, 8) + bar(BAR_READ, 0, BDSM_MIRROR + 4, 4),
    "bdsm32-pieces": bytes([FLAG_STOLEN]) + halves(BDSM, 0x3F00000) +
    bytes_of(BDSM, 0x3F00000, high_first=True) + cfg_write(BDSM - 2, 4, 0xFFFF0000) +
    cfg_write(BDSM64, 4, 0xFFFFFFFF),
    "4b-partial-asls": bytes([0]) + step(FW_COPY, 1, 0, 0, 0x2000) + halves(ASLS, 0x2000) +
    step(FW_ASLS, 0, 0, 0, 0x2000) + cfg_write(ASLS + 3, 1, 0x12),
    "bad-accesses": bytes([FLAG_1B]) + cfg_write(0xFFE, 4, 0) + cfg_write(ASLS, 3, 0) +
    cfg_write(ASLS, 0, 0) + cfg_read(0x1000, 4) + cfg_read(0, 4, lpc=True) +
    bar(BAR_READ, 1, 0, 4) + bar(BAR_READ, 6, 0, 4) + bar(BAR_READ, 0, 0xFFFFFC, 8) +
    bar(BAR_READ, 4, 4, 4) + bar(BAR_WRITE, 4, 0, 4) + bar(BAR_READ, 0, 0, 3),
}

# ---- fuzz_proxy.c: flags byte, then the byte stream ----
SYNC_SYSMEM, RET, CFGWRITE, CFGREAD, BARWRITE, BARREAD, SET_IRQFD, RESET_CMD = range(8)
PROXY_1B, PROXY_LPC = 4, 8


def msg(cmd, payload=b"", size=None):
    return struct.pack("<iiQ", cmd, 0, len(payload) if size is None else size) + payload


def pcfg(cmd, addr, val, length):
    return msg(cmd, struct.pack("<IIi", addr, val & 0xFFFFFFFF, length))


def pbar(cmd, addr, val, size, memory=True):
    return msg(cmd, struct.pack("<QQI?3x", addr, val, size, memory))


def sysmem(regions):
    gpas = [r[0] for r in regions] + [0] * (8 - len(regions))
    sizes = [r[1] for r in regions] + [0] * (8 - len(regions))
    offs = [r[2] for r in regions] + [0] * (8 - len(regions))
    return msg(SYNC_SYSMEM, struct.pack("<8Q8Q8q", *gpas, *sizes, *offs))


def proxy_bars():
    return (pcfg(CFGWRITE, 0x10, 0xFD000000, 4) + pcfg(CFGWRITE, 0x14, 0, 4) +
            pcfg(CFGWRITE, 0x20, 0xC000, 4) + pcfg(CFGWRITE, 0x04, 7, 2))


RAM = [(0, 0x10000, 0)]
PROXY_SEEDS = {
    "boot-4b": bytes([1]) + sysmem(RAM) + pcfg(CFGREAD, 0, 0, 4) + proxy_bars() +
    pcfg(CFGWRITE, ASLS, 0x4000, 4) + pcfg(CFGWRITE, BDSM, 0x3F00000, 4) +
    pbar(BARREAD, 0xFD000000 + GGC_MIRROR, 0, 2) + pbar(BARWRITE, 0xFD007000, 1, 4) +
    pbar(BARREAD, 0xC004, 0, 4, memory=False) + pbar(BARREAD, 0x1000, 0, 4) +
    msg(RESET_CMD),
    "place-1b": bytes([1 | PROXY_1B]) + sysmem(RAM) + pcfg(CFGWRITE, ASLS, 0x4000, 2) +
    pcfg(CFGWRITE, ASLS + 2, 0, 2) + pcfg(CFGWRITE, ASLS, 0x4000, 4) +
    pcfg(CFGWRITE, ASLS, 0x8000, 4) + msg(RESET_CMD) + pcfg(CFGWRITE, ASLS, 0x4000, 4),
    "sysmem-two-regions": bytes([2]) + sysmem([(0, 0x4000, 0x8000), (0x100000, 0x8000, 0)]) +
    pcfg(CFGWRITE, ASLS, 0x100000, 4) + sysmem([(0, 0x20000, 0)]),
    "irqfd": bytes([2]) + msg(SET_IRQFD) + pcfg(CFGREAD, 0, 0, 2),
    "lpc": bytes([PROXY_LPC]) + pcfg(CFGREAD, 0, 0, 4) + pcfg(CFGWRITE, 0, 0, 4) +
    pbar(BARREAD, 0xFD000000, 0, 4) + msg(RESET_CMD),
    "bad-unknown-command": bytes([0]) + msg(99),
    "bad-ret": bytes([0]) + msg(RET, b"\0" * 8),
    "bad-size": bytes([0]) + msg(CFGREAD, b"", size=1 << 30),
    "bad-truncated": bytes([0]) + pcfg(CFGREAD, 0, 0, 4)[:20],
    "bad-cfg-length": bytes([0]) + pcfg(CFGWRITE, ASLS, 0, 3),
    "bad-cfg-offset": bytes([0]) + pcfg(CFGREAD, 0xFFFFFFFC, 0, 4),
    "bad-bar-size": bytes([0]) + pbar(BARREAD, 0xFD000000, 0, 3),
    "bad-sysmem-no-fd": bytes([0]) + sysmem(RAM),
    "bad-sysmem-past-file": bytes([1]) + sysmem([(0, 0x20000, 0)]),
    "bad-sysmem-overlap": bytes([2]) + sysmem([(0, 0x8000, 0), (0x4000, 0x4000, 0)]),
    "bad-fd-on-cfg": bytes([1]) + pcfg(CFGREAD, 0, 0, 4),
    "bad-irqfd-one-fd": bytes([1]) + msg(SET_IRQFD),
}


def write(directory, seeds):
    os.makedirs(directory, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(directory, name + ".bin"), "wb") as f:
            f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    write(os.path.join(sys.argv[1], "seeds-model"), MODEL_SEEDS)
    write(os.path.join(sys.argv[1], "seeds-proxy"), PROXY_SEEDS)


if __name__ == "__main__":
    main()
