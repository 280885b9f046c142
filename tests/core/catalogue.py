#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The malformed-input catalogue for `igdpt validate`.

Generates broken OpRegions, VBTs and video BIOSes from base files at run time
(real corpus files, never committed; or the synthetic fuzz-seed bases), each
with the exact reason and byte offset igdpt must report, then runs `igdpt
validate` and `igdpt validate --json` on them. The expectations come from
what each case broke, computed here from the spec layout (for video BIOSes
the PCI Firmware Specification and i915's PCI ROM fallback, as
include/igdpt/core/pci_rom.h describes it), not from igdpt.

  catalogue.py check --igdpt BIN [--replay EXE]... [--keep DIR]
      bases from $IGDPT_CORPUS; exit 0 when every case gives what it must
  catalogue.py seeds --gen GEN_SEEDS --out DIR
      synthetic bases from gen-seeds plus their malformed variants, for
      tests/core/seeds (no vendor bytes)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

# Layout (include/igdpt/abi/*.h).
VBT_SIG = b"$VBT"
VBT_HEADER = 48
VBT_HEADER_SIZE_AT = 0x16
VBT_SIZE_AT = 0x18
VBT_BDB_OFFSET_AT = 0x1C
BDB_SIG = b"BIOS_DATA_BLOCK "
BDB_HEADER = 22
BDB_HEADER_SIZE_AT = 0x12
BDB_SIZE_AT = 0x14
BLOCK_HEADER = 3
MIPI_SEQ = 53
MIPI_V3_SUB = 5
OPREGION_SIG = b"IntelGraphicsMem"
BASE = 0x2000
SIZE_AT = 0x10
MINOR_AT = 0x16
MAJOR_AT = 0x17
MBOX_AT = 0x58
MBOX_ASLE = 1 << 2
MBOX_ASLE_EXT = 1 << 4
MBOX4 = 0x400
MBOX4_SIZE = 0x1800
# PCI option ROM (include/igdpt/abi/pci_rom.h); where this file puts the VBT.
ROM_BLOCK = 512
ROM_PCIR_PTR_AT = 0x18
ROM_HEADER = 0x1A
PCIR_AT = 0x1C
PCIR_SIZE = 0x1C
PCIR_IMAGE_LENGTH = 0x10
PCIR_CODE_TYPE = 0x14
PCIR_INDICATOR = 0x15
VBIOS_VBT_AT = 0x40
MBOX4_SIZE_NO_EXT = 0x1C00
MBOX_BOUNDARIES = [0x100, 0x200, 0x300, 0x400, 0x1C00]
RVDA_AT = 0x3BA
RVDS_AT = 0x3C2
RVDS_ALIGN = 512
HOST_PHYS = 0x7A3B4C00

# Reasons, spelled as a user reads them.
R_EMPTY = "empty file"
R_UNKNOWN = 'neither an OpRegion ("IntelGraphicsMem"), a VBT ("$VBT") nor a video BIOS (0x55AA)'
R_VBT_SHORT = "VBT shorter than its 48-byte header"
R_VBT_SIG = 'VBT signature is not "$VBT"'
R_VBT_SIZE_PAST = "vbt_size runs past the end of the data"
R_VBT_SIZE_SMALL = "vbt_size smaller than the 48-byte VBT header"
R_HEADER_SIZE = "VBT header_size out of range"
R_BDB_INSIDE = "bdb_offset points inside the VBT header"
R_BDB_NO_ROOM = "bdb_offset leaves no room for the BDB header"
R_BDB_SIG = 'BDB signature is not "BIOS_DATA_BLOCK "'
R_BDB_HEADER_SIZE = "BDB header_size out of range"
R_BDB_SIZE_SMALL = "bdb_size smaller than the BDB header"
R_BDB_SIZE_PAST = "bdb_size runs past vbt_size"
R_NO_BLOCKS = "BDB holds no data blocks"
R_BLOCK_HEADER = "truncated block header"
R_BLOCK_PAST = "block runs past the end of the BDB"
R_BLOCK_ZERO = "block has zero length"
R_BLOCK_ID0 = "block id 0 is not a data block"
R_MIPI_HEADER = "truncated MIPI sequence v3 header"
R_MIPI_PAST = "MIPI sequence v3 length runs past the BDB"
R_OP_SHORT = "OpRegion shorter than its 8 KiB base region"
R_OP_SIZE0 = "OpRegion SIZE is 0 KiB (vfio-pci refuses it)"
R_OP_MAJOR0 = "OpRegion major version is 0"
R_RV_PAIR = "RVDA and RVDS must be both set or both zero"
R_RV_OLD = "RVDA set on an OpRegion older than 2.0"
R_RV_PHYS = "version 2.0 RVDA is a host physical address (run igdpt prepare)"
R_RV_ASLE = "RVDA set but the ASLE mailbox (MBOX bit 2) that holds it is absent"
R_RV_INSIDE = "RVDA points inside the 8 KiB base region"
R_RV_PAST = "RVDA points past the end of the image"
R_RVDS_PAST = "RVDS runs past the end of the image"
R_MBOX4_SIG = 'mailbox 4 holds data but no "$VBT" signature'
R_ROM_NOT_PCI = 'not a PCI ROM: no 0x55AA image with a "PCIR" structure at 0 (Linux maps no ROM)'
R_ROM_NO_VBT = 'no VBT ("$VBT" at a 4-byte aligned offset) in the ROM'


def le(data, at, n):
    return int.from_bytes(data[at:at + n], "little")


def put(data, at, n, value):
    data[at:at + n] = (value & ((1 << (8 * n)) - 1)).to_bytes(n, "little")


class Block:
    def __init__(self, off, bid, size, mipi3, u16):
        self.off = off
        self.id = bid
        self.size = size  # payload bytes as the walk counts them
        self.mipi3 = mipi3
        self.u16 = u16
        self.end = off + BLOCK_HEADER + size


class Vbt:
    """A VBT starting at `at` inside `data`: header fields and the block chain,
    walked the way i915 walks them (MIPI v3 sized by its own length, one byte
    of slack at the end)."""

    def __init__(self, data, at=0):
        self.at = at
        v = data[at:]
        if v[:4] != VBT_SIG or len(v) < VBT_HEADER:
            raise ValueError("no VBT header")
        self.vbt_size = le(v, VBT_SIZE_AT, 2)
        self.bdb = le(v, VBT_BDB_OFFSET_AT, 4)
        if v[self.bdb:self.bdb + 16] != BDB_SIG:
            raise ValueError("no BDB")
        self.bdb_version = le(v, self.bdb + 0x10, 2)
        self.bdb_header = le(v, self.bdb + BDB_HEADER_SIZE_AT, 2)
        self.bdb_size = le(v, self.bdb + BDB_SIZE_AT, 2)
        self.bdb_end = self.bdb + self.bdb_size
        # The last block may end one past bdb_size if that stays in vbt_size.
        self.allowed_end = self.bdb_end + 1 if self.bdb_end + 1 <= self.vbt_size else self.bdb_end
        self.blocks = []
        pos = self.bdb + self.bdb_header
        while pos < self.bdb_end and any(v[pos:self.bdb_end]):
            bid, u16 = v[pos], le(v, pos + 1, 2)
            size, mipi3 = u16, False
            if bid == MIPI_SEQ and v[pos + BLOCK_HEADER] >= 3:
                size, mipi3 = MIPI_V3_SUB + le(v, pos + BLOCK_HEADER + 1, 4), True
            blk = Block(pos, bid, size, mipi3, u16)
            if bid == 0 or size == 0 or blk.end > self.allowed_end:
                raise ValueError("malformed block at 0x%x" % pos)
            self.blocks.append(blk)
            pos = blk.end
        if not self.blocks:
            raise ValueError("no blocks")
        self.chain_end = pos

    def quirk(self):
        return self.chain_end == self.bdb_end + 1


def align(v, a):
    return (v + a - 1) // a * a


class Case:
    def __init__(self, name, data, reason=None, offset=None):
        self.name = name
        self.data = bytes(data)
        self.reason = reason  # None: valid
        self.offset = offset


def sample(blocks, edge=3):
    """All blocks of a short chain; the first and last few of a long one."""
    if len(blocks) <= 2 * edge + 2:
        return list(enumerate(blocks))
    mid = len(blocks) // 2
    picked = list(range(edge)) + [mid] + list(range(len(blocks) - edge, len(blocks)))
    return [(i, blocks[i]) for i in picked]


def plain_cut_expect(c, kind):
    """What a file cut to c bytes (fields untouched) must give."""
    if c == 0:
        return R_EMPTY, 0
    if kind == "vbt":
        if c < len(VBT_SIG):
            return R_UNKNOWN, 0
        if c < VBT_HEADER:
            return R_VBT_SHORT, c
        return R_VBT_SIZE_PAST, VBT_SIZE_AT
    if c < len(OPREGION_SIG):
        return R_UNKNOWN, 0
    return R_OP_SHORT, c


def vbt_truncations(name, data, vbt, every_block):
    """Cuts of a bare VBT at each structure boundary: plain (vbt_size still
    claims the whole), and consistent (vbt_size and bdb_size rewritten to
    the cut, so the walk meets the cut block)."""
    cases = []
    b = vbt.bdb
    blocks = list(enumerate(vbt.blocks)) if every_block else sample(vbt.blocks)
    plain = {0, 1, 4, 47, VBT_HEADER, b + BDB_HEADER, vbt.vbt_size - 1}
    for _, blk in blocks:
        plain.update({blk.off, blk.off + BLOCK_HEADER})
    for c in sorted(x for x in plain if x < vbt.vbt_size):
        reason, off = plain_cut_expect(c, "vbt")
        cases.append(Case("%s-cut-%d" % (name, c), data[:c], reason, off))

    def consistent(c):
        d = bytearray(data[:c])
        put(d, VBT_SIZE_AT, 2, c)
        if c >= b + BDB_SIZE_AT + 2:
            put(d, b + BDB_SIZE_AT, 2, c - b)
        return d

    for c in (VBT_HEADER, b + BDB_HEADER - 1):
        cases.append(Case("%s-fit-%d" % (name, c), consistent(c), R_BDB_NO_ROOM, VBT_BDB_OFFSET_AT))
    c = b + vbt.bdb_header
    cases.append(Case("%s-fit-%d" % (name, c), consistent(c), R_NO_BLOCKS, c))
    for i, blk in blocks:
        cuts = {blk.off + 1: (R_BLOCK_HEADER, blk.off), blk.off + 2: (R_BLOCK_HEADER, blk.off)}
        if blk.mipi3:
            cuts[blk.off + BLOCK_HEADER] = ((R_BLOCK_ZERO if blk.u16 == 0 else R_BLOCK_PAST), blk.off)
            for k in range(1, MIPI_V3_SUB):
                cuts[blk.off + BLOCK_HEADER + k] = (R_MIPI_HEADER, blk.off)
            if blk.size > MIPI_V3_SUB:
                cuts[blk.end - 1] = (R_MIPI_PAST, blk.off)
        else:
            cuts[blk.off + BLOCK_HEADER] = (R_BLOCK_PAST, blk.off)
            cuts[blk.end - 1] = (R_BLOCK_PAST, blk.off)
        # Cut right after the block: a shorter VBT, but a valid one.
        cuts[blk.end] = (None, None)
        for c, (reason, off) in sorted(cuts.items()):
            if c > vbt.vbt_size or (reason is None and c < blk.end):
                continue
            cases.append(Case("%s-fit-block%d-%d" % (name, i, c), consistent(c), reason, off))
    return cases


def vbt_fields(name, data, at, window_end, sig_reason):
    """Broken VBT header, BDB header and block fields, for a VBT at `at`
    whose window ends at window_end (bare file, mailbox 4 or RVDA)."""
    vbt = Vbt(data, at)
    b = at + vbt.bdb
    cases = []

    def mutate(label, reason, off, fn):
        d = bytearray(data)
        fn(d)
        cases.append(Case("%s-%s" % (name, label), d, reason, off))

    mutate("sig", sig_reason[0], sig_reason[1], lambda d: d.__setitem__(at + 3, ord("X")))
    if window_end - at < 0xFFFF:
        mutate("vbt-size-past-window", R_VBT_SIZE_PAST, at + VBT_SIZE_AT,
               lambda d: put(d, at + VBT_SIZE_AT, 2, window_end - at + 1))
        mutate("vbt-size-ffff", R_VBT_SIZE_PAST, at + VBT_SIZE_AT,
               lambda d: put(d, at + VBT_SIZE_AT, 2, 0xFFFF))
    mutate("vbt-size-47", R_VBT_SIZE_SMALL, at + VBT_SIZE_AT, lambda d: put(d, at + VBT_SIZE_AT, 2, 47))
    mutate("vbt-size-0", R_VBT_SIZE_SMALL, at + VBT_SIZE_AT, lambda d: put(d, at + VBT_SIZE_AT, 2, 0))
    mutate("header-size-0", R_HEADER_SIZE, at + VBT_HEADER_SIZE_AT,
           lambda d: put(d, at + VBT_HEADER_SIZE_AT, 2, 0))
    mutate("header-size-past", R_HEADER_SIZE, at + VBT_HEADER_SIZE_AT,
           lambda d: put(d, at + VBT_HEADER_SIZE_AT, 2, vbt.vbt_size + 1))
    mutate("bdb-offset-huge", R_BDB_NO_ROOM, at + VBT_BDB_OFFSET_AT,
           lambda d: put(d, at + VBT_BDB_OFFSET_AT, 4, 0xFFFFFFFF))
    mutate("bdb-offset-no-room", R_BDB_NO_ROOM, at + VBT_BDB_OFFSET_AT,
           lambda d: put(d, at + VBT_BDB_OFFSET_AT, 4, vbt.vbt_size - BDB_HEADER + 1))
    mutate("bdb-offset-overlaps-header", R_BDB_INSIDE, at + VBT_BDB_OFFSET_AT,
           lambda d: put(d, at + VBT_BDB_OFFSET_AT, 4, 16))
    mutate("bdb-sig", R_BDB_SIG, b, lambda d: d.__setitem__(b, ord("b")))
    mutate("bdb-header-size-0", R_BDB_HEADER_SIZE, b + BDB_HEADER_SIZE_AT,
           lambda d: put(d, b + BDB_HEADER_SIZE_AT, 2, 0))
    mutate("bdb-header-size-ffff", R_BDB_HEADER_SIZE, b + BDB_HEADER_SIZE_AT,
           lambda d: put(d, b + BDB_HEADER_SIZE_AT, 2, 0xFFFF))
    mutate("bdb-size-small", R_BDB_SIZE_SMALL, b + BDB_SIZE_AT, lambda d: put(d, b + BDB_SIZE_AT, 2, 10))
    mutate("bdb-size-past-vbt", R_BDB_SIZE_PAST, b + BDB_SIZE_AT,
           lambda d: put(d, b + BDB_SIZE_AT, 2, vbt.vbt_size - vbt.bdb + 1))
    mutate("bdb-size-ffff", R_BDB_SIZE_PAST, b + BDB_SIZE_AT, lambda d: put(d, b + BDB_SIZE_AT, 2, 0xFFFF))
    mutate("bdb-size-header-only", R_NO_BLOCKS, b + vbt.bdb_header,
           lambda d: put(d, b + BDB_SIZE_AT, 2, vbt.bdb_header))

    plain = [(i, blk) for i, blk in enumerate(vbt.blocks) if not blk.mipi3]
    for i, blk in [plain[0], plain[len(plain) // 2]]:
        o = at + blk.off
        mutate("block%d-size-ffff" % i, R_BLOCK_PAST, o, lambda d, o=o: put(d, o + 1, 2, 0xFFFF))
        mutate("block%d-size-0" % i, R_BLOCK_ZERO, o, lambda d, o=o: put(d, o + 1, 2, 0))
        mutate("block%d-id-0" % i, R_BLOCK_ID0, o, lambda d, o=o: d.__setitem__(o, 0))
    # Overlap: a block claims 4 bytes, so the next header lands in its payload.
    for i, blk in plain:
        if blk.size >= 8:
            o = at + blk.off

            def overlap(d, o=o):
                put(d, o + 1, 2, 4)
                d[o + 7:o + 10] = b"\xff\xff\xff"

            mutate("block%d-overlap" % i, R_BLOCK_PAST, o + 7, overlap)
            break
    last = vbt.blocks[-1]
    if last.end >= vbt.bdb_end and last.end + 1 > vbt.allowed_end:
        o = at + last.off
        if last.mipi3:
            mutate("mipi3-length-plus-1", R_MIPI_PAST, o,
                   lambda d: put(d, o + BLOCK_HEADER + 1, 4, last.size - MIPI_V3_SUB + 1))
        else:
            mutate("last-block-one-too-long", R_BLOCK_PAST, o, lambda d: put(d, o + 1, 2, last.u16 + 1))
    for i, blk in enumerate(vbt.blocks):
        if blk.mipi3:
            o = at + blk.off
            mutate("mipi3-length-ffffffff", R_MIPI_PAST, o,
                   lambda d, o=o: put(d, o + BLOCK_HEADER + 1, 4, 0xFFFFFFFF))
    return cases


def vbt_cases(name, data, every_block):
    vbt = Vbt(data)
    cases = [Case(name, data)]
    cases += vbt_truncations(name, data, vbt, every_block)
    cases += vbt_fields(name, data, 0, len(data), (R_UNKNOWN, 0))
    return cases


def opregion_cases(name, data, lean=False):
    """Broken headers, mailboxes and RVDA/RVDS of a valid OpRegion; unless
    lean, also every VBT field case on the VBT it carries."""
    d0 = bytes(data)
    major, minor = d0[MAJOR_AT], d0[MINOR_AT]
    rvda, rvds = le(d0, RVDA_AT, 8), le(d0, RVDS_AT, 4)
    mbox = le(d0, MBOX_AT, 4)
    cases = [Case(name, d0)]

    def mutate(label, reason, off, fn):
        d = bytearray(d0)
        fn(d)
        cases.append(Case("%s-%s" % (name, label), d, reason, off))

    for c in sorted({0, 1, 15, 16} | set(MBOX_BOUNDARIES) | {BASE - 1}):
        reason, off = plain_cut_expect(c, "opregion")
        cases.append(Case("%s-cut-%d" % (name, c), d0[:c], reason, off))
    mutate("sig", R_UNKNOWN, 0, lambda d: d.__setitem__(13, ord("m")))
    mutate("size-0", R_OP_SIZE0, SIZE_AT, lambda d: put(d, SIZE_AT, 4, 0))
    mutate("major-0", R_OP_MAJOR0, MAJOR_AT, lambda d: d.__setitem__(MAJOR_AT, 0))

    if rvda == 0:
        mutate("only-rvda", R_RV_PAIR, RVDS_AT, lambda d: put(d, RVDA_AT, 8, BASE))
        mutate("only-rvds", R_RV_PAIR, RVDA_AT, lambda d: put(d, RVDS_AT, 4, 0x1000))

        def v20(d):
            d[MAJOR_AT], d[MINOR_AT] = 2, 0
            put(d, RVDA_AT, 8, HOST_PHYS)
            put(d, RVDS_AT, 4, 0x2000)

        mutate("v2.0-with-rvda", R_RV_PHYS, RVDA_AT, v20)

        def v10(d):
            v20(d)
            d[MAJOR_AT] = 1

        mutate("v1.0-with-rvda", R_RV_OLD, RVDA_AT, v10)
        window = MBOX4_SIZE if mbox & MBOX_ASLE_EXT else MBOX4_SIZE_NO_EXT
        if d0[MBOX4:MBOX4 + 4] == VBT_SIG and not lean:
            cases += vbt_fields(name + "-mbox4", d0, MBOX4, MBOX4 + window, (R_MBOX4_SIG, MBOX4))
        mutate("mbox4-garbage", R_MBOX4_SIG, MBOX4, lambda d: d.__setitem__(slice(MBOX4, MBOX4 + 4), b"XXXX"))
        return cases

    # An extended VBT at a 2.1+ RVDA.
    end = len(d0)
    vbt = Vbt(d0, rvda)
    for c in sorted({BASE, BASE + 1, rvda + VBT_HEADER, rvda + vbt.bdb + BDB_HEADER, end - 1}):
        reason, off = (R_RV_PAST, RVDA_AT) if c <= rvda else (R_RVDS_PAST, RVDS_AT)
        cases.append(Case("%s-cut-%d" % (name, c), d0[:c], reason, off))
    mutate("rvda-inside-base", R_RV_INSIDE, RVDA_AT, lambda d: put(d, RVDA_AT, 8, MBOX4))
    mutate("rvda-last-base-byte", R_RV_INSIDE, RVDA_AT, lambda d: put(d, RVDA_AT, 8, BASE - 1))
    mutate("rvda-at-end", R_RV_PAST, RVDA_AT, lambda d: put(d, RVDA_AT, 8, end))
    mutate("rvda-physical", R_RV_PAST, RVDA_AT, lambda d: put(d, RVDA_AT, 8, HOST_PHYS))
    mutate("rvda-ffffffffffffffff", R_RV_PAST, RVDA_AT, lambda d: put(d, RVDA_AT, 8, (1 << 64) - 1))
    mutate("rvds-ffffffff", R_RVDS_PAST, RVDS_AT, lambda d: put(d, RVDS_AT, 4, 0xFFFFFFFF))
    mutate("rvds-one-past", R_RVDS_PAST, RVDS_AT, lambda d: put(d, RVDS_AT, 4, end - rvda + 1))
    mutate("rvds-short-of-vbt", R_VBT_SIZE_PAST, rvda + VBT_SIZE_AT,
           lambda d: put(d, RVDS_AT, 4, vbt.vbt_size - 1))
    mutate("rvds-below-header", R_VBT_SHORT, rvda + VBT_HEADER - 1,
           lambda d: put(d, RVDS_AT, 4, VBT_HEADER - 1))
    mutate("rvds-0", R_RV_PAIR, RVDS_AT, lambda d: put(d, RVDS_AT, 4, 0))
    mutate("rvda-0", R_RV_PAIR, RVDA_AT, lambda d: put(d, RVDA_AT, 8, 0))
    mutate("v2.0", R_RV_PHYS, RVDA_AT, lambda d: d.__setitem__(MINOR_AT, 0) or d.__setitem__(MAJOR_AT, 2))
    mutate("v1.1", R_RV_OLD, RVDA_AT, lambda d: d.__setitem__(MINOR_AT, 1) or d.__setitem__(MAJOR_AT, 1))
    mutate("no-asle", R_RV_ASLE, MBOX_AT, lambda d: put(d, MBOX_AT, 4, mbox & ~MBOX_ASLE))
    if (major, minor) != (3, 0):
        cases.append(Case(name + "-v3.0", bytes(d0[:MINOR_AT]) + bytes([0, 3]) + d0[MAJOR_AT + 1:]))
    if not lean:
        cases += vbt_fields(name + "-ext", d0, rvda, rvda + rvds, (R_VBT_SIG, rvda))
    return cases


def misc_cases():
    return [
        Case("empty", b"", R_EMPTY, 0),
        Case("one-byte", b"$", R_UNKNOWN, 0),
        Case("one-zero-byte", b"\0", R_UNKNOWN, 0),
        Case("vbt-signature-only", VBT_SIG, R_VBT_SHORT, 4),
        Case("opregion-signature-only", OPREGION_SIG, R_OP_SHORT, 16),
        Case("zeros-8k", bytes(BASE), R_UNKNOWN, 0),
    ]


def make_vbios(vbt_data):
    """A legacy video BIOS image for 8086:5916 with the VBT at 0x40, the
    layout PCI Firmware 3.0 gives: 0x55AA, size in 512-byte blocks, an entry
    that returns, the PCIR pointer, PCIR revision 3 (class 0x030000, code
    type 0, last image), bytes summing to 0."""
    size = Vbt(vbt_data).vbt_size
    length = align(VBIOS_VBT_AT + size + 1, ROM_BLOCK)
    d = bytearray(length)
    d[0:2] = b"\x55\xaa"
    d[2] = length // ROM_BLOCK
    d[3] = 0xCB
    put(d, ROM_PCIR_PTR_AT, 2, PCIR_AT)
    p = PCIR_AT
    d[p:p + 4] = b"PCIR"
    put(d, p + 4, 2, 0x8086)
    put(d, p + 6, 2, 0x5916)
    put(d, p + 0xA, 2, PCIR_SIZE)
    d[p + 0xC] = 3
    d[p + 0xD:p + 0x10] = b"\x00\x00\x03"
    put(d, p + PCIR_IMAGE_LENGTH, 2, length // ROM_BLOCK)
    d[p + PCIR_CODE_TYPE] = 0
    d[p + PCIR_INDICATOR] = 0x80
    d[VBIOS_VBT_AT:VBIOS_VBT_AT + size] = vbt_data[:size]
    d[-1] = -sum(d) & 0xFF
    return bytes(d)


def vbios_cases(name, data):
    """A video BIOS: the VBT field cases where i915 finds the VBT, the ROM
    structure Linux walks before it, and cuts at each boundary."""
    at = next(i for i in range(0, len(data) - 4, 4) if data[i:i + 4] == VBT_SIG)
    size = Vbt(data, at).vbt_size
    cases = [Case(name, data)]
    cases += vbt_fields(name, data, at, len(data), (R_ROM_NO_VBT, 0))

    def mutate(label, reason, off, fn):
        d = bytearray(data)
        fn(d)
        cases.append(Case("%s-%s" % (name, label), d, reason, off))

    mutate("rom-sig", R_UNKNOWN, 0, lambda d: d.__setitem__(0, 0x54))
    mutate("rom-pcir-sig", R_ROM_NOT_PCI, 0, lambda d: d.__setitem__(PCIR_AT + 3, ord("X")))
    mutate("rom-pcir-pointer-huge", R_ROM_NOT_PCI, 0, lambda d: put(d, ROM_PCIR_PTR_AT, 2, 0xFFFC))
    mutate("rom-length-0", R_ROM_NOT_PCI, 0, lambda d: put(d, PCIR_AT + PCIR_IMAGE_LENGTH, 2, 0))
    # Linux maps one block: a VBT running past it is cut there.
    short = at + size > ROM_BLOCK
    mutate("rom-length-one-block", R_VBT_SIZE_PAST if short else None,
           at + VBT_SIZE_AT if short else None,
           lambda d: put(d, PCIR_AT + PCIR_IMAGE_LENGTH, 2, 1))
    # i915 does not check the ROM's checksum (a warning only).
    mutate("rom-checksum", None, None, lambda d: d.__setitem__(len(d) - 1, d[-1] ^ 1))
    cuts = {
        1: (R_UNKNOWN, 0),
        2: (R_ROM_NOT_PCI, 0),
        ROM_HEADER: (R_ROM_NOT_PCI, 0),
        PCIR_AT + 0x17: (R_ROM_NOT_PCI, 0),
        PCIR_AT + 0x18: (R_ROM_NO_VBT, 0),
        at: (R_ROM_NO_VBT, 0),
        at + 4: (R_ROM_NO_VBT, 0),  # i915 scans while i + 4 < size
        at + 5: (R_VBT_SHORT, at + 5),
        at + VBT_HEADER - 1: (R_VBT_SHORT, at + VBT_HEADER - 1),
        at + VBT_HEADER: (R_VBT_SIZE_PAST, at + VBT_SIZE_AT),
        at + size - 1: (R_VBT_SIZE_PAST, at + VBT_SIZE_AT),
        at + size: (None, None),  # the VBT whole: what i915 needs
    }
    for c, (reason, off) in sorted(cuts.items()):
        cases.append(Case("%s-cut-%d" % (name, c), data[:c], reason, off))
    return cases


def make_rvda_opregion(dump, vbt_data):
    """A 2.1 OpRegion as coreboot builds it for a VBT over 6 KiB: the VBT at
    0x2000, RVDA 0x2000, RVDS rounded up to 512, mailbox 4 empty."""
    vbt = Vbt(vbt_data)
    rvds = align(vbt.vbt_size, RVDS_ALIGN)
    d = bytearray(dump[:BASE])
    d[MAJOR_AT], d[MINOR_AT] = 2, 1
    put(d, RVDA_AT, 8, BASE)
    put(d, RVDS_AT, 4, rvds)
    d[MBOX4:MBOX4 + MBOX4_SIZE] = bytes(MBOX4_SIZE)
    d += vbt_data[:vbt.vbt_size] + bytes(rvds - vbt.vbt_size)
    return bytes(d)


def corpus_bases(corpus):
    """Picks bases by what they are, not by name: an exact-bdb_size VBT, a
    BDB >= 200 VBT over 6 KiB (the short bdb_size quirk), one with a MIPI v3
    block, a real OpRegion dump, and a 2.1 OpRegion made from those two."""
    vbts = {}
    for fn in sorted(os.listdir(os.path.join(corpus, "vbt"))):
        data = open(os.path.join(corpus, "vbt", fn), "rb").read()
        try:
            vbts[fn] = (data, Vbt(data))
        except ValueError:
            continue
    picks = {}
    for fn, (data, v) in vbts.items():
        if "exact" not in picks and v.bdb_version < 200 and not v.quirk():
            picks["exact"] = fn
        if "quirk" not in picks and v.bdb_version >= 200 and v.quirk() and v.vbt_size > MBOX4_SIZE:
            picks["quirk"] = fn
        if "mipi3" not in picks and any(b.mipi3 for b in v.blocks):
            picks["mipi3"] = fn
    missing = {"exact", "quirk", "mipi3"} - picks.keys()
    if missing:
        raise SystemExit("catalogue: corpus has no VBT of kind %s" % ", ".join(sorted(missing)))
    dumps = sorted(os.listdir(os.path.join(corpus, "opregion")))
    if not dumps:
        raise SystemExit("catalogue: corpus has no OpRegion dump")
    dump = open(os.path.join(corpus, "opregion", dumps[0]), "rb").read()
    bases = []
    for kind in ("exact", "quirk", "mipi3"):
        fn = picks[kind]
        bases.append(("vbt-" + kind, vbts[fn][0], fn))
    bases.append(("opregion", dump, dumps[0]))
    bases.append(("opregion-rvda", make_rvda_opregion(dump, vbts[picks["quirk"]][0]),
                  "%s + %s" % (dumps[0], picks["quirk"])))
    for kind in ("exact", "mipi3"):
        fn = picks[kind]
        bases.append(("vbios-" + kind, make_vbios(vbts[fn][0]), "video BIOS around " + fn))
    return bases


def cases_for(name, data, every_block=False, lean=False):
    if data[:len(OPREGION_SIG)] == OPREGION_SIG:
        return opregion_cases(name, data, lean)
    if data[:2] == b"\x55\xaa":
        return vbios_cases(name, data)
    return vbt_cases(name, data, every_block)


def write_cases(cases, out):
    paths = []
    for i, case in enumerate(cases):
        path = os.path.join(out, "%03d-%s.bin" % (i, case.name))
        with open(path, "wb") as f:
            f.write(case.data)
        paths.append(path)
    return paths


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)


def check_case(igdpt, path, case, json_obj, errors):
    """One file: exit status, the text line, and its --json object."""
    p = run([igdpt, "validate", path])
    where = "%s (%s)" % (case.name, os.path.basename(path))
    if p.stderr:
        errors.append("%s: unexpected stderr: %s" % (where, p.stderr.strip()[:400]))
    if case.reason is None:
        if p.returncode != 0 or not p.stdout.startswith(path + ": ok"):
            errors.append("%s: want ok, got exit %d: %s" % (where, p.returncode, p.stdout.strip()))
    else:
        want = "%s: invalid: %s at 0x%x" % (path, case.reason, case.offset)
        line = p.stdout.rstrip("\n")
        if p.returncode != 1 or not (line == want or line.startswith(want + " (warnings: ")):
            errors.append("%s: want exit 1 '%s', got exit %d '%s'" % (where, want, p.returncode, line))
    if json_obj is None:
        errors.append("%s: missing from --json output" % where)
        return
    want_json = {"valid": case.reason is None, "reason": case.reason, "offset": case.offset}
    got_json = {k: json_obj.get(k) for k in want_json}
    if got_json != want_json:
        errors.append("%s: --json want %s, got %s" % (where, want_json, got_json))


def io_cases(tmp):
    """Paths that cannot be read: exit 2, the reason naming the path."""
    plain = os.path.join(tmp, "plain-file")
    with open(plain, "wb") as f:
        f.write(b"$VBT")
    cases = [
        ("directory", tmp, "not a file"),
        ("missing", os.path.join(tmp, "no-such-file"), "cannot open: No such file or directory"),
        ("through-a-file", os.path.join(plain, "x"), "cannot open: Not a directory"),
        # Opens, then read() fails: unreadable even for root.
        ("unreadable", "/proc/self/mem", "cannot read: Input/output error"),
    ]
    if os.geteuid() != 0:
        locked = os.path.join(tmp, "locked")
        with open(locked, "wb") as f:
            f.write(b"$VBT")
        os.chmod(locked, 0)
        cases.append(("no-permission", locked, "cannot open: Permission denied"))
    return cases


def check_io(igdpt, tmp, errors):
    n = 0
    for name, path, reason in io_cases(tmp):
        n += 1
        want = "igdpt validate: %s: %s" % (path, reason)
        p = run([igdpt, "validate", path])
        if p.returncode != 2 or p.stdout or want not in p.stderr:
            errors.append("io %s: want exit 2 and '%s' on stderr, got exit %d, stdout '%s', stderr '%s'"
                          % (name, want, p.returncode, p.stdout.strip(), p.stderr.strip()))
        p = run([igdpt, "validate", "--json", path])
        try:
            obj = json.loads(p.stdout)["files"][0]
        except (ValueError, IndexError) as e:
            errors.append("io %s: --json output unreadable (%s): %s" % (name, e, p.stdout[:200]))
            continue
        if (p.returncode != 2 or obj.get("valid") is not False or obj.get("offset") is not None
                or reason not in (obj.get("reason") or "") or path not in obj.get("reason")):
            errors.append("io %s: --json want exit 2, valid false, reason with '%s', got exit %d %s"
                          % (name, reason, p.returncode, obj))
    return n


def cmd_check(args):
    corpus = os.environ.get("IGDPT_CORPUS")
    if not corpus or not os.path.isdir(corpus):
        raise SystemExit("catalogue: IGDPT_CORPUS is not a directory: %r" % corpus)
    bases = corpus_bases(corpus)
    tmp = args.keep or tempfile.mkdtemp(prefix="igdpt-catalogue-")
    os.makedirs(tmp, exist_ok=True)
    try:
        cases = misc_cases()
        for name, data, source in bases:
            print("base %s: %s" % (name, source))
            cases += cases_for(name, data, every_block=(name == "vbt-exact"))
        case_dir = os.path.join(tmp, "cases")
        os.makedirs(case_dir, exist_ok=True)
        paths = write_cases(cases, case_dir)

        errors = []
        p = run([args.igdpt, "validate", "--json"] + paths)
        try:
            objs = {o["file"]: o for o in json.loads(p.stdout)["files"]}
        except (ValueError, KeyError, TypeError) as e:
            objs = {}
            errors.append("--json output unreadable: %s" % e)
        if p.returncode != 1:
            errors.append("--json over all cases: want exit 1, got %d" % p.returncode)
        for path, case in zip(paths, cases):
            check_case(args.igdpt, path, case, objs.get(path), errors)
        n = len(cases) + check_io(args.igdpt, tmp, errors)

        # The same files through the fuzz targets' invariants.
        for exe in args.replay:
            p = run([exe, case_dir])
            if p.returncode != 0:
                errors.append("replay %s: exit %d: %s" % (exe, p.returncode, p.stderr.strip()[-800:]))
            n += 1

        for e in errors:
            print("FAIL " + e)
        failed = len({e.split(":", 1)[0] for e in errors})
        invalid = sum(1 for c in cases if c.reason is not None)
        print("catalogue: %d malformed, %d valid, %d I/O cases, %d replays"
              % (invalid, len(cases) - invalid, n - len(cases) - len(args.replay), len(args.replay)))
        print("%d passed, %d failed" % (n - failed, failed))
        return 1 if errors else 0
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


# Synthetic bases whose malformed variants become fuzz seeds.
SEED_BASES = ["vbt-small.bin", "vbt-mipi3.bin", "opregion-mbox4.bin", "opregion-rvda21.bin",
              "rom-vbios.bin"]


def cmd_seeds(args):
    os.makedirs(args.out, exist_ok=True)
    for fn in os.listdir(args.out):
        if fn.endswith(".bin"):
            os.unlink(os.path.join(args.out, fn))
    with tempfile.TemporaryDirectory(prefix="igdpt-seeds-") as tmp:
        p = run([args.gen, tmp])
        if p.returncode != 0:
            raise SystemExit("catalogue: %s failed: %s" % (args.gen, p.stderr))
        for fn in sorted(os.listdir(tmp)):
            shutil.copy(os.path.join(tmp, fn), os.path.join(args.out, fn))
        cases = misc_cases()
        for fn in SEED_BASES:
            data = open(os.path.join(tmp, fn), "rb").read()
            # Bases are already there; the VBT field cases once, on bare VBTs.
            cases += cases_for(fn[:-4], data, every_block=True, lean=True)[1:]
    seen, unique = set(), []
    for c in cases:
        if c.data not in seen:
            seen.add(c.data)
            unique.append(c)
    write_cases(unique, args.out)
    print("catalogue: wrote %d seeds to %s" % (len(os.listdir(args.out)), args.out))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="run the catalogue against igdpt validate")
    c.add_argument("--igdpt", required=True, help="the igdpt binary")
    c.add_argument("--replay", action="append", default=[], help="a fuzz replay binary to run on the cases")
    c.add_argument("--keep", help="write the cases here and keep them")
    s = sub.add_parser("seeds", help="write synthetic fuzz seeds")
    s.add_argument("--gen", required=True, help="the gen-seeds binary")
    s.add_argument("--out", required=True)
    args = ap.parse_args()
    return cmd_check(args) if args.cmd == "check" else cmd_seeds(args)


if __name__ == "__main__":
    sys.exit(main())
