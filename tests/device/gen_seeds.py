#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed inputs of the device's fuzz targets (fuzz_model.c,
fuzz_proxy.c, fuzz_vfio_user.c, fuzz_gt.c): the firmware's boot sequences,
the partial-write cases of issue 13, QEMU 11.1's vfio-user session,
malformed proxy and vfio-user messages, and i915's GT submissions. The
committed seeds-model/, seeds-proxy/, seeds-vfio-user/ and seeds-gt/ are
this script's output (`ninja -C build
device-fuzz-seeds`) plus the inputs libFuzzer found crashes with (e.g.
crossing-0x100.bin), kept as they were found.

usage: gen_seeds.py DIR   (writes DIR/seeds-model, DIR/seeds-proxy,
                           DIR/seeds-vfio-user, DIR/seeds-gt)
"""
import os
import re
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


# ---- fuzz_vfio_user.c: flags byte, u16 split, then the byte stream ----
def protocol_constants():
    """IGDPT_VFU_* numbers of device/vfio_user/protocol.h (the one place the
    wire layout is written), as a dict without the prefix."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "device",
                        "vfio_user", "protocol.h")
    names = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = (re.match(r"#define IGDPT_VFU_(\w+) \(?(0x[0-9A-Fa-f]+|\d+)u?\)?\s*(/\*.*)?$",
                          line.strip()) or
                 re.match(r"IGDPT_VFU_(\w+) = (\d+),", line.strip()))
            if m:
                names[m.group(1)] = int(m.group(2), 0)
    return names


V = protocol_constants()
VFU_1B, VFU_PLAIN = 4, 8
QEMU_CAPS = (b'{"capabilities": {"pgsizes": 4096, "max_msg_fds": 16, "max_dma_maps": 65535, '
             b'"max_data_xfer_size": 1048576, "migration": {"max_bitmap_size": 268435456, '
             b'"pgsize": 4096}, "write_multiple": true}}\0')
RW_MAP = V["DMA_MAP_FLAG_READ"] | V["DMA_MAP_FLAG_WRITE"]
TRIGGER_FD = V["IRQ_SET_DATA_EVENTFD"] | V["IRQ_SET_ACTION_TRIGGER"]
TRIGGER_NONE = V["IRQ_SET_DATA_NONE"] | V["IRQ_SET_ACTION_TRIGGER"]


def vmsg(cmd, payload=b"", flags=0, size=None, msg_id=1):
    return struct.pack("<HHIII", msg_id, cmd, 16 + len(payload) if size is None else size,
                       flags, 0) + payload


def vversion(json=QEMU_CAPS, major=0):
    return vmsg(V["VERSION"], struct.pack("<HH", major, 0) + json)


def vmap(address, size, offset=0, flags=RW_MAP):
    return vmsg(V["DMA_MAP"], struct.pack("<IIQQQ", 32, flags, offset, address, size))


def vunmap(address, size, flags=0):
    return vmsg(V["DMA_UNMAP"], struct.pack("<IIQQ", 24, flags, address, size))


def vinfo(cmd, index, argsz=None):
    if cmd == V["DEVICE_GET_REGION_INFO"]:
        return vmsg(cmd, struct.pack("<IIIIQQ", argsz or 32, 0, index, 0, 0, 0))
    return vmsg(cmd, struct.pack("<IIII", argsz or 16, 0, index, 0))


def vread(region, offset, count):
    return vmsg(V["REGION_READ"], struct.pack("<QII", offset, region, count))


def vwrite(region, offset, data, posted=False):
    return vmsg(V["REGION_WRITE"], struct.pack("<QII", offset, region, len(data)) + data,
                flags=V["FLAG_NO_REPLY"] if posted else 0)


def vcfg_write(offset, value, length=4):
    return vwrite(V["REGION_CONFIG"], offset, value.to_bytes(length, "little"))


def virqs(flags, index, start, count, data=b""):
    return vmsg(V["DEVICE_SET_IRQS"], struct.pack("<IIIII", 20 + len(data), flags, index, start,
                                                  count) + data)


def vseed(flags, first, second=b""):
    """The fds ride with the second part."""
    return bytes([flags]) + struct.pack("<H", len(first)) + first + second


QEMU_REALIZE = (vinfo(V["DEVICE_GET_INFO"], 0) +
                b"".join(vinfo(V["DEVICE_GET_REGION_INFO"], i) for i in (0, 1, 2, 3, 4, 5, 7)) +
                vinfo(V["DEVICE_GET_IRQ_INFO"], V["IRQ_ERR"]) + vread(7, 0, 4096) +
                vread(7, 0x30, 4) + vcfg_write(0x30, 0xFFFFF800) + vread(7, 0x30, 4) +
                vcfg_write(0x30, 0) + vread(7, 0x10, 4) + vread(7, 0x3D, 1))
VFU_SEEDS = {
    # QEMU 11.1 + SeaBIOS: RAM with the memfd, the BIOS without; realize,
    # reset, the firmware's config writes, ASLS where the signature is.
    "qemu-seabios-4b": vseed(1, vversion(), vmap(0, 0x10000) +
                             vmap(0xFFFC0000, 0x40000, flags=V["DMA_MAP_FLAG_READ"]) +
                             QEMU_REALIZE + virqs(TRIGGER_FD, 0, 0, 1) + virqs(TRIGGER_NONE, 0, 0, 0) +
                             vcfg_write(4, 0, 2) + vmsg(V["DEVICE_RESET"]) + vcfg_write(0x10, 0xFFFFFFFF) +
                             vcfg_write(0x10, 0xFD000000) + vcfg_write(4, 0x103, 2) +
                             vcfg_write(ASLS, 0x4000) + vcfg_write(BDSM, 0x3F00000) +
                             vwrite(0, 0x2000, b"\1\0\0\0", posted=True) + vread(0, GGC_MIRROR, 4) +
                             vread(6, 0, 3000) + vunmap(0, 0x10000)),
    "qemu-1b-place": vseed(1 | VFU_1B, vversion(), vmap(0, 0x10000) + vcfg_write(ASLS, 0x4000, 2) +
                           vcfg_write(ASLS + 2, 0, 2) + vcfg_write(ASLS, 0x4000) +
                           vcfg_write(ASLS, 0x8000) + vmsg(V["DEVICE_RESET"]) +
                           vcfg_write(ASLS, 0x4000)),
    "regions-and-caps": vseed(0, vversion(b"\0") + b"".join(
        vinfo(V["DEVICE_GET_REGION_INFO"], i, argsz) for i in range(13) for argsz in (32, 64)) +
        vread(9, 0, 8192) + vread(10, 0, 256) + vread(11, 0, 256) + vread(8, 0xB8000, 16) +
        vwrite(8, 0x3C0, b"\x11") + vread(8, 0x3BC, 4) + vwrite(9, 0, b"x")),
    "plain-device": vseed(VFU_PLAIN, vversion(b'{"capabilities":{"max_msg_fds":1}}\0'),
                          vinfo(V["DEVICE_GET_REGION_INFO"], 6) + vread(6, 0, 4) + vread(8, 0xA0000, 1) +
                          vinfo(V["DEVICE_GET_INFO"], 0)),
    "irqs": vseed(2, vversion(), virqs(TRIGGER_FD, 0, 0, 2) + virqs(TRIGGER_FD, 3, 0, 1) +
                  virqs(V["IRQ_SET_DATA_BOOL"] | V["IRQ_SET_ACTION_UNMASK"], 0, 0, 1, b"\1")),
    "dma-storm": vseed(1, vversion(), b"".join(vmap(i * 0x1000, 0x1000, i * 0x1000) for i in range(16)) +
                       vmap(0x800, 0x1000) + vunmap(0, 0, V["DMA_UNMAP_FLAG_ALL"]) +
                       vmap(0, 0x10000)),
    "unsupported": vseed(0, vversion(), vmsg(V["REGION_WRITE_MULTI"], b"\0" * 8) +
                         vmsg(V["DEVICE_FEATURE"], b"\0" * 8) + vinfo(V["DEVICE_GET_INFO"], 0)),
    "bad-before-version": vseed(0, vinfo(V["DEVICE_GET_INFO"], 0)),
    "bad-json": vseed(0, vversion(b'{"capabilities": {"pgsizes": "4096"}}\0')),
    "bad-json-deep": vseed(0, vversion(b'{"a":' + b"[" * 12 + b"]" * 12 + b"}\0")),
    "bad-major": vseed(0, vversion(major=1)),
    "bad-reply-flag": vseed(0, vversion(), vmsg(V["DEVICE_RESET"], flags=V["FLAG_TYPE_REPLY"])),
    "bad-size": vseed(0, vversion(), vmsg(V["REGION_READ"], size=0xFFFFFFFF)),
    "bad-truncated": vseed(0, vversion(), vread(7, 0, 4)[:20]),
    "bad-unknown": vseed(0, vversion(), vmsg(99)),
    "bad-fd-on-read": vseed(1, vversion(), vread(7, 0, 4)),
    "bad-write-count": vseed(0, vversion(), vmsg(V["REGION_WRITE"], struct.pack("<QII", 0, 7, 8) + b"1234")),
}


# ---- fuzz_gt.c: flags, 16 GGTT entries, step count, 7-byte steps, RAM ----
GT_PTE_PRESENT = 0x80


def gt_seed(gen12, steps, ram, ggtt=None):
    """GGTT page n maps guest page n unless ggtt says otherwise."""
    entries = ggtt if ggtt is not None else [GT_PTE_PRESENT | n for n in range(16)]
    out = bytes([1 if gen12 else 0]) + bytes(entries) + bytes([len(steps)])
    for offset, value in steps:
        out += struct.pack("<I", offset // 4)[:3] + struct.pack("<I", value)
    return out + ram


def gt_ram(base, ring):
    """Page 0: the status page (CSB pointer as i915 resets it), page 1: the
    context's own status page, page 2: its register state, page 3: the ring.
    ring: dwords, from head 0."""
    pages = [bytearray(4096) for _ in range(4)]
    write_index, entries = (0x2F, 12) if base >= 0x100000 else (0x1F, 6)
    struct.pack_into("<I", pages[0], 4 * write_index, entries - 1)
    state = [0, 0x1100101B, base + 0x244, 0x00090009, base + 0x34, 0, base + 0x30,
             4 * len(ring), base + 0x38, 3 * 4096, base + 0x3C, 0x1]
    struct.pack_into("<12I", pages[2], 0, *state)
    struct.pack_into(f"<{len(ring)}I", pages[3], 0, *ring)
    return b"".join(pages)


# i915's breadcrumbs: MI_STORE_DWORD_IMM, PIPE_CONTROL qword, MI_FLUSH_DW
# with a store to the context's status page, padding.
GT_RING = [0x10400002, 0x40, 0, 6, 0x7A000004, 0x01104080, 0x40, 0, 7, 0,
           0x01000000, 0x04000001, 0x13244082, 0xD4, 0, 0, 0x0E40C002, 0, 0xC8, 0, 0, 0]
GT_SEEDS = {
    "gen9-rcs-request": gt_seed(False, [(0x2080, 0), (0x2230, 0), (0x2230, 0), (0x2230, 0x20),
                                        (0x2230, 0x1119)], gt_ram(0x2000, GT_RING)),
    "gen9-two-ports": gt_seed(False, [(0x22080, 0), (0x22230, 0x20), (0x22230, 0x1119),
                                      (0x22230, 0x20), (0x22230, 0x1119)],
                              gt_ram(0x22000, GT_RING)),
    "gen12-vcs-request": gt_seed(True, [(0x1C0080, 0), (0x1C0510, 0x1119), (0x1C0514, 0x60),
                                        (0x1C0550, 1)], gt_ram(0x1C0000, GT_RING)),
    "unmapped-context": gt_seed(False, [(0x2080, 0), (0x2230, 0), (0x2230, 0), (0x2230, 0x20),
                                        (0x2230, 0x1119)], gt_ram(0x2000, GT_RING),
                                [GT_PTE_PRESENT, GT_PTE_PRESENT | 1] + [0] * 14),
    "far-ring": gt_seed(False, [(0x2080, 0), (0x2230, 0), (0x2230, 0), (0x2230, 0x20),
                                (0x2230, 0x1119)], gt_ram(0x2000, GT_RING),
                        [GT_PTE_PRESENT | n for n in range(3)] + [GT_PTE_PRESENT | 0x40] +
                        [0] * 12),
    # MI_STORE_DWORD_INDEX to an offset with bits 1:0 set (libFuzzer's
    # first find in fuzz_gt: the store was not dword-aligned).
    "unaligned-index": gt_seed(False, [(0x2080, 0), (0x2230, 0), (0x2230, 0), (0x2230, 0x20),
                                       (0x2230, 0x1119)],
                               gt_ram(0x2000, [0x10800001, 0x101, 5, 0])),
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
    write(os.path.join(sys.argv[1], "seeds-vfio-user"), VFU_SEEDS)
    write(os.path.join(sys.argv[1], "seeds-gt"), GT_SEEDS)


if __name__ == "__main__":
    main()
