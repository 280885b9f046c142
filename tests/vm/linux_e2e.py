#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# `igdpt vm --guest linux`: boots Debian's real kernels, bookworm's 6.1 and
# trixie's 6.12, with i915 against igdpt-device, and checks that i915 itself
# accepts or rejects each OpRegion as igdpt probe predicts (the "i915 agrees
# with igdpt probe" stage), that both kernels tell the same story (verdict
# and every VBT source tried, in order), that neither logs a WARNING or
# *ERROR* the OpRegion does not explain, and what the driver wrote back.
#
# The matrix (docs/linux-guest.md, "Cases"): with SeaBIOS every case on gen 9
# and gen 12, each with both kernels (CASE-genN), and Linux with stolen
# memory on gen 9 (stolen-memory-gen9); with OVMF (igdpt's EFI driver from
# the IGD's option ROM, the kernel through OVMF's loader) every case on gen
# 12 with 64 MiB of stolen memory, which SeaBIOS cannot do, one kernel per
# case, the two kernels alternating (ovmf-CASE), and two cases on gen 9 with
# the other kernel (ovmf-CASE-gen9); on the trixie stack (igdpt-device over
# vfio-user) every case with SeaBIOS and two with OVMF (trixie-CASE): every
# case, generation, kernel, firmware and stack is booted, not every
# combination, to keep the suite's time.
# `linux_e2e.py --list` names the tests; `linux_e2e.py TEST` runs one. Exit
# 77 (skipped) when Debian's kernel packages cannot be fetched, with the
# reason.
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from contract import EV, PROBE  # noqa: E402  (the process contract's names)
from schema_check import SchemaError, check as schema_check  # noqa: E402
import linux_guests  # noqa: E402
import stacks  # noqa: E402

BUILD = os.environ.get("IGDPT_BUILD_ROOT", "")
SOURCE = os.environ.get("IGDPT_SOURCE_ROOT", "")
CORPUS = os.environ.get("IGDPT_CORPUS", "")
IGDPT = os.path.join(BUILD, "tools", "igdpt")
# A real VBT larger than mailbox 4's 6 KiB (vbt_size 8571, BDB 237).
EXT_VBT = "cb-system76-tgl-u-galp5.vbt"
# The VBT of the video BIOS the IGD serves in the PCI ROM cases, per
# generation: a Kaby Lake board's (BDB 211) and the Tiger Lake one above.
ROM_VBT = {9: "fsp-Kabylake-Vbt.vbt", 12: EXT_VBT}
ROM_BDB = {9: 211, 12: 237}
DUMP = "rikka0w0-qemu-gvt-d-opregion.bin"
# OpRegion header / ASLE offsets (include/igdpt/abi/opregion.h).
OVER_MINOR = 0x16
ASLE_RVDA = 0x3BA
# Mailbox 4 (the VBT, 6 KiB) and vbt_size in the VBT header (u16 at 0x18).
MBOX4 = 0x400
MBOX4_SIZE = 0x1800
VBT_SIZE = 0x18
# An address as a real 2.0 host's RVDA holds: host physical memory.
HOST_RVDA = 0x7A77E000
SKIP = 77


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


KERNELS = linux_guests.KERNELS
GENERATIONS = (9, 12)
DEVICE_IDS = {9: "0x5916", 12: "0x9a49"}
BDSM_REGISTER = {9: "0x5c", 12: "0xc0"}


def prepare_guests():
    try:
        linux_guests.prepare(KERNELS)
    except linux_guests.Unavailable as e:
        print(f"SKIP: {e}")
        sys.exit(SKIP)
    except RuntimeError as e:
        raise Failure(str(e)) from None


def igdpt(args, check_exit=0):
    p = subprocess.run([IGDPT] + args, capture_output=True, text=True, timeout=900)
    print("$ igdpt " + " ".join(args))
    print(p.stdout, end="")
    print(p.stderr, end="", file=sys.stderr)
    if check_exit is not None:
        check(p.returncode == check_exit, f"exit status {p.returncode}, expected {check_exit}")
    return p


def vm(args, want_exit):
    p = igdpt(["vm", "--guest", "linux", "--json"] + args, check_exit=None)
    check(p.returncode == want_exit, f"igdpt vm exit status {p.returncode}, expected {want_exit}")
    try:
        out = schema_check("vm", p.stdout)
    except SchemaError as e:
        raise Failure(str(e)) from None
    names = [s["name"] for s in out["stages"]]
    check(names[-2:] == ["i915 agrees with igdpt probe", "guest driver writes"],
          f"Linux stages missing: {names}")
    agree = out["stages"][-2]
    # The point of the suite: igdpt probe and the real driver agree, always.
    check(agree["ok"], f"i915 and igdpt probe disagree: {agree['detail']}")
    gd = out.get("guest_driver")
    check(isinstance(gd, dict), "JSON lacks guest_driver")
    for key in ("verdict", "vbt_source", "vbt_sources", "mailboxes", "outputs", "errors",
                "warnings", "unexplained", "explained", EV["OPREGION_WRITES"]):
        check(key in gd, f"guest_driver lacks {key!r}")
    check(gd["unexplained"] == 0,
          f"i915 logged WARNING/*ERROR* lines the OpRegion does not explain: {gd.get('problems')}")
    for e in gd["explained"]:
        print(f"explained: {e['line']} ({e['because']})")
    check(out["guest"] == "linux", f"guest {out['guest']}")
    check(out["probe"] is not None and out["probe"].get(PROBE["KEY_PROBE"]) == PROBE["KIND_LINUX"],
          "no verdict from igdpt probe inside Linux")
    return out


def accepted(out, source, version):
    for s in out["stages"]:
        check(s["ok"], f"stage {s['name']!r} failed: {s['detail']}")
    gd = out["guest_driver"]
    check(gd["verdict"] == "ok", f"i915 verdict {gd['verdict']}: {gd.get('vbt_reason')}")
    check(gd["vbt_source"] == source, f"i915 took the VBT from {gd['vbt_source']}, not {source}")
    check(gd["vbt_sources"][-1] == {"source": source, "result": "valid"},
          f"i915's last VBT source is not {source}: {gd['vbt_sources']}")
    check(gd["version"] == version, f"i915 read OpRegion version {gd['version']}")
    check(int(gd["opregion_addr"], 16) == int(out["probe"]["asls"], 16),
          "i915's OpRegion address differs from ASLS")
    check(gd["mailboxes"]["public_acpi"] and gd["mailboxes"]["asle"], "mailboxes 1/3 missing")
    check(not gd["mailboxes"]["swsci"], "i915 saw SWSCI although igdpt clears it")
    check(gd["outputs"] > 0 and gd["vbt_ports"], "i915 found no outputs from the VBT")
    check(out["probe"]["i915"]["verdict"] == "ok", "probe predicts a rejection")
    fields = [w[EV["FIELD"]] for w in gd[EV["OPREGION_WRITES"]]]
    check(EV["FIELD_UNNAMED"] not in fields, f"the driver wrote outside its fields: {fields}")
    print(f"OK: i915 took the VBT from {source} ({gd.get('vbt_signature')}, BDB "
          f"{gd.get('bdb_version')}), {gd['outputs']} outputs; driver wrote {fields}")


# What i915 tries after the OpRegion: the PCI ROM (none here: igdpt-device
# serves none, or the VGA-class IGD's legacy shadow is empty under OVMF), then
# a default VBT of its own.
AFTER_OPREGION = [("pci-rom", "none"), ("default", "generated")]
# The guest verdict's reason when the OpRegion has no VBT and the ROM none.
NO_VBT_REASON = ("holds none (mailbox 4 empty, no RVDA) and Linux maps no PCI ROM for the IGD; "
                 "i915 would run on a default VBT")


def rejected(out, verdict, sources, first_reason=None):
    """sources: the (source, result) pairs i915 tried, in order; first_reason:
    the reason logged for the first, in full."""
    gd = out["guest_driver"]
    check(gd["verdict"] == verdict, f"i915 verdict {gd['verdict']}, expected {verdict}")
    check(gd["vbt_source"] == "none", "i915 found a VBT")
    tried = [(t["source"], t["result"]) for t in gd["vbt_sources"]]
    check(tried == sources, f"i915 tried {tried}, expected {sources}")
    if first_reason is not None:
        check(gd["vbt_sources"][0].get("reason") == first_reason,
              f"i915's reason {gd['vbt_sources'][0].get('reason')!r}, expected {first_reason!r}")
    check(out["probe"]["i915"]["verdict"] == verdict, "probe predicts otherwise")
    print(f"OK: i915 rejected it ({gd['vbt_reason']}) and igdpt probe predicted {verdict}")


def host_20_with_rvda(tmp):
    """A 2.0 host dump whose extended VBT lives at a host physical address
    (RVDA absolute), as such machines ship, plus that extended VBT."""
    built = os.path.join(tmp, "ext21.bin")
    igdpt(["build", "--vbt", os.path.join(CORPUS, "vbt", EXT_VBT), "--opregion-version", "2.1",
           "-o", built])
    data = open(built, "rb").read()
    host = bytearray(data[:0x2000])
    host[OVER_MINOR] = 0
    struct.pack_into("<Q", host, ASLE_RVDA, HOST_RVDA)
    hpath, vpath = os.path.join(tmp, "host-2.0.bin"), os.path.join(tmp, "ext.vbt")
    open(hpath, "wb").write(host)
    open(vpath, "wb").write(data[0x2000:])
    return hpath, vpath


def no_vbt_image(tmp):
    """igdpt's reference with mailbox 4 emptied: a valid OpRegion without a VBT
    (igdpt validate's no-vbt warning)."""
    img = os.path.join(tmp, "no-vbt.bin")
    igdpt(["build", "--reference", "--guest", "-o", img])
    data = bytearray(open(img, "rb").read())
    data[MBOX4:MBOX4 + MBOX4_SIZE] = bytes(MBOX4_SIZE)
    open(img, "wb").write(data)
    return img


def vbios(tmp, gen):
    """A video BIOS around a corpus VBT for the generation's device id."""
    rom = os.path.join(tmp, f"vbios-gen{gen}.rom")
    igdpt(["rom", "--vbt", os.path.join(CORPUS, "vbt", ROM_VBT[gen]), "--device-id",
           DEVICE_IDS[gen], "-o", rom])
    return rom


def refused_by_driver(out, reason):
    """OVMF: igdpt-efi validates the image as the host does and places
    nothing, so i915 finds no OpRegion; the run fails at the placement."""
    placed = next(s for s in out["stages"] if s["name"] == "placed by firmware")
    check(not placed["ok"] and "igdpt-efi refused" in placed["detail"] and
          reason in placed["detail"], f"placement: {placed['detail']}")
    rejected(out, "no-opregion", AFTER_OPREGION)
    print(f"OK: igdpt-efi refused the image ({reason}), i915 saw no OpRegion")


# Each case: (tmp dir, generation, firmware) -> (igdpt vm arguments, expected
# exit, check of one kernel's run).
def case_reference(tmp, gen, fw):
    return ["--reference"], 0, lambda out: accepted(out, "mailbox4", "2.0.0")


def case_real_dump(tmp, gen, fw):
    img = os.path.join(tmp, "guest.bin")
    igdpt(["prepare", "-i", os.path.join(CORPUS, "opregion", DUMP), "-o", img])
    return ["--image", img], 0, lambda out: accepted(out, "mailbox4", "2.0.0")


def case_extended_vbt_21(tmp, gen, fw):
    img = os.path.join(tmp, "ext21.bin")
    igdpt(["build", "--vbt", os.path.join(CORPUS, "vbt", EXT_VBT), "--opregion-version", "2.1",
           "--guest", "-o", img])

    def expect(out):
        accepted(out, "rvda", "2.1.0")
        check(out["probe"]["device"] == DEVICE_IDS[gen],
              f"guest sees device {out['probe']['device']}")
        check(out["guest_driver"]["bdb_version"] == 237, "not the corpus VBT's BDB version")
    return ["--image", img], 0, expect


def case_v20_rvda_rejected(tmp, gen, fw):
    host, _ = host_20_with_rvda(tmp)
    # igdpt refuses it (exit 1 from the image stage without --no-host-check).
    igdpt(["vm", "--guest", "linux", "--image", host], check_exit=1)
    if fw == "ovmf":
        return (["--image", host, "--no-host-check"], 1,
                lambda out: refused_by_driver(out, "host physical address"))
    return (["--image", host, "--no-host-check"], 1,
            lambda out: rejected(out, "invalid-vbt",
                                 [("rvda", "invalid"), ("mailbox4", "invalid")] + AFTER_OPREGION,
                                 "VBT invalid signature"))


def case_v20_rvda_prepared(tmp, gen, fw):
    host, ext = host_20_with_rvda(tmp)
    img = os.path.join(tmp, "prepared.bin")
    igdpt(["prepare", "-i", host, "--extended-vbt", ext, "-o", img])
    return ["--image", img], 0, lambda out: accepted(out, "rvda", "2.1.0")


def case_vbt_size_overflow(tmp, gen, fw):
    """Mailbox 4's VBT header claims more than the mailbox holds."""
    img = os.path.join(tmp, "ref.bin")
    igdpt(["build", "--reference", "--guest", "-o", img])
    data = bytearray(open(img, "rb").read())
    struct.pack_into("<H", data, MBOX4 + VBT_SIZE, MBOX4_SIZE + 0x800)
    open(img, "wb").write(data)
    if fw == "ovmf":
        return (["--image", img, "--no-host-check"], 1,
                lambda out: refused_by_driver(out, "vbt_size"))
    return (["--image", img, "--no-host-check"], 1,
            lambda out: rejected(out, "invalid-vbt", [("mailbox4", "invalid")] + AFTER_OPREGION,
                                 "VBT incomplete (vbt_size overflows)"))


def case_no_opregion(tmp, gen, fw):
    def expect(out):
        rejected(out, "no-opregion", AFTER_OPREGION)
        check(int(out["guest_driver"].get("opregion_addr", "0x1"), 16) == 0,
              "i915 read a non-zero ASLS")
    return ["--no-opregion"], 0, expect


def case_bad_signature(tmp, gen, fw):
    img = os.path.join(tmp, "ref.bin")
    igdpt(["build", "--reference", "--guest", "-o", img])
    data = bytearray(open(img, "rb").read())
    data[0] ^= 0x20  # "intelGraphicsMem"
    open(img, "wb").write(data)
    if fw == "ovmf":
        return (["--image", img, "--no-host-check"], 1,
                lambda out: refused_by_driver(out, "signature"))
    return (["--image", img, "--no-host-check"], 1,
            lambda out: rejected(out, "signature-mismatch", AFTER_OPREGION))


def case_no_vbt(tmp, gen, fw):
    """An OpRegion without a VBT: i915 runs on a default VBT, the run fails."""
    def expect(out):
        rejected(out, "invalid-vbt", [("mailbox4", "invalid")] + AFTER_OPREGION,
                 "VBT invalid signature")
        verdict = next(s for s in out["stages"] if s["name"] == "guest verdict")
        check(not verdict["ok"] and NO_VBT_REASON in verdict["detail"],
              f"guest verdict: {verdict['detail']}")
        check("no-vbt" in out["stages"][0]["detail"], "image validated names no no-vbt")
    return ["--image", no_vbt_image(tmp)], 1, expect


def case_no_vbt_rom(tmp, gen, fw):
    """The same OpRegion, and a video BIOS from a corpus VBT as the IGD's PCI
    ROM: i915 logs "Found valid VBT in PCI ROM", igdpt probe predicts it, the
    run passes. With OVMF the IGD is class 0x0380: Linux gives a VGA-class IGD
    the legacy shadow at 0xC0000 instead of its ROM BAR, and OVMF leaves that
    empty (ovmf-no-vbt-rom-vga)."""
    def expect(out):
        for s in out["stages"]:
            check(s["ok"], f"stage {s['name']!r} failed: {s['detail']}")
        gd = out["guest_driver"]
        check(gd["vbt_source"] == "pci-rom", f"i915 took the VBT from {gd['vbt_source']}")
        check(gd["vbt_sources"] == [
            {"source": "mailbox4", "result": "invalid", "reason": "VBT invalid signature"},
            {"source": "pci-rom", "result": "valid"}], f"i915 tried {gd['vbt_sources']}")
        check(gd["bdb_version"] == ROM_BDB[gen], f"BDB {gd['bdb_version']}, not the ROM's")
        i915 = out["probe"]["i915"]
        check(i915["vbt_source"] == "pci-rom" and i915["pci_rom"]["vbt"] == "valid",
              f"probe predicts {i915}")
        check(out["rom"]["vbt"] is True, f"rom {out['rom']}")
        print(f"OK: i915 found the VBT in the PCI ROM ({i915['pci_rom']['from']}), "
              f"BDB {gd['bdb_version']}")
    args = ["--image", no_vbt_image(tmp), "--rom", vbios(tmp, gen)]
    return args + (["--class", "display"] if fw == "ovmf" else []), 0, expect


def case_no_vbt_rom_vga(tmp, gen, fw):
    """OVMF, class 0x0300: the ROM is served, but Linux maps the empty legacy
    shadow as the boot VGA device's ROM; no VBT for i915, the run fails, and
    the probe, reading sysfs rom as i915 reads the ROM, predicted it."""
    def expect(out):
        case_no_vbt(tmp, gen, fw)[2](out)
        # The device served a ROM with a VBT, yet sysfs rom (Linux's
        # pci_map_rom(), the empty shadow for the boot VGA device) is empty.
        check(out["rom"]["vbt"] is True, f"rom {out['rom']}")
        rom = out["probe"]["i915"]["pci_rom"]
        check(rom == {"vbt": "none", "from": "sysfs rom", "size": 0},
              f"probe read the ROM as {rom}")
    return ["--image", no_vbt_image(tmp), "--rom", vbios(tmp, gen)], 1, expect


def case_stolen_memory(tmp, gen, fw):
    """Linux with 128 MiB of stolen memory in its RAM (--memory's default
    grows with it): i915 takes the stolen range the firmware reserved."""
    def expect(out):
        accepted(out, "mailbox4", "2.0.0")
        b = out["probe"]["bdsm"]
        check(b["requested"] == 128 << 20 and b["aligned"] and b["reserved"], f"bdsm {b}")
        check(out["memory_mib"] == 128 + 256, f"guest RAM {out['memory_mib']} MiB")
    return ["--reference", "--stolen-size", "128M"], 0, expect


CASES = {
    "reference": case_reference,
    "real-dump": case_real_dump,
    "extended-vbt-2.1": case_extended_vbt_21,
    "v2.0-rvda-rejected": case_v20_rvda_rejected,
    "v2.0-rvda-prepared": case_v20_rvda_prepared,
    "vbt-size-overflow": case_vbt_size_overflow,
    "no-opregion": case_no_opregion,
    "bad-signature": case_bad_signature,
    "no-vbt": case_no_vbt,
    "no-vbt-rom": case_no_vbt_rom,
}
# test -> (case, generation, firmware, kernels, extra igdpt vm arguments)
OVMF_GEN12 = ["--machine", "q35", "--stolen-size", "64M"]
TESTS = {f"{name}-gen{gen}": (fn, gen, "seabios", KERNELS, [])
         for name, fn in CASES.items() for gen in GENERATIONS}
TESTS["stolen-memory-gen9"] = (case_stolen_memory, 9, "seabios", KERNELS, [])
for i, (name, fn) in enumerate(CASES.items()):
    TESTS[f"ovmf-{name}"] = (fn, 12, "ovmf", (KERNELS[i % 2],), OVMF_GEN12)
TESTS["ovmf-no-vbt-rom-vga"] = (case_no_vbt_rom_vga, 12, "ovmf", (KERNELS[0],), OVMF_GEN12)
TESTS["ovmf-reference-gen9"] = (case_reference, 9, "ovmf", (KERNELS[1],), [])
TESTS["ovmf-no-vbt-rom-gen9"] = (case_no_vbt_rom, 9, "ovmf", (KERNELS[0],), [])
# The trixie stack (QEMU 11.1, SeaBIOS 1.17, OVMF 2025.02; igdpt-device over
# vfio-user): every case with SeaBIOS, generations and kernels alternating so
# that each kernel meets each generation, and OVMF with gen 12's stolen memory.
TRIXIE = ["--stack", "trixie"]
for i, (name, fn) in enumerate(CASES.items()):
    TESTS[f"trixie-{name}"] = (fn, GENERATIONS[i % 2], "seabios", (KERNELS[(i // 2) % 2],), TRIXIE)
TESTS["trixie-ovmf-reference"] = (case_reference, 12, "ovmf", (KERNELS[1],), TRIXIE + OVMF_GEN12)
TESTS["trixie-ovmf-no-vbt-rom"] = (case_no_vbt_rom, 12, "ovmf", (KERNELS[0],), TRIXIE + OVMF_GEN12)


def story(out):
    """What one kernel said, for the comparison between kernels."""
    gd = out["guest_driver"]
    return (gd["verdict"], gd["vbt_source"],
            [(t["source"], t["result"], t.get("reason")) for t in gd["vbt_sources"]])


def run(test, tmp):
    fn, gen, fw, kernels, extra = TESTS[test]
    args, want_exit, expect = fn(tmp, gen, fw)
    args = args + extra + ["--firmware", fw, "--generation", str(gen)]
    stack = extra[extra.index("--stack") + 1] if "--stack" in extra else "bookworm"
    if stack != "bookworm":
        try:
            stacks.fetch(stack)
        except stacks.Unavailable as e:
            print(f"SKIP: {e}")
            sys.exit(SKIP)
    stories = {}
    for kernel in kernels:
        print(f"--- {kernel}, gen {gen}, {fw}")
        out = vm(args + ["--kernel", kernel], want_exit)
        check(out.get("guest_kernel") == kernel, f"igdpt vm booted {out.get('guest_kernel')}")
        check(out["firmware"] == fw, f"igdpt vm booted {out['firmware']}")
        check(out["stack"] == stack and out["transport"] == stacks.TRANSPORT[stack],
              f"igdpt vm ran on {out['stack']} over {out['transport']}")
        if fw == "ovmf" and out["expected"] == "opregion" and want_exit == 0:
            check(out["probe"]["memmap"]["type"] == "acpi-nvs",
                  f"the OpRegion is in {out['probe']['memmap']}, not ACPI NVS")
        if "--stolen-size" in extra and want_exit == 0 and out["expected"] == "opregion":
            b = out["probe"]["bdsm"]
            check(b["register"] == BDSM_REGISTER[gen] and b["aligned"] and b["reserved"],
                  f"stolen memory {b}")
        expect(out)
        stories[kernel] = story(out)
    first = stories[kernels[0]]
    for kernel in kernels[1:]:
        check(stories[kernel] == first,
              f"{kernel} tells another story than {kernels[0]}: {stories[kernel]} vs {first}")
    print(f"OK: {', '.join(kernels)} agree{'s' if len(kernels) == 1 else ''} with "
          f"{'each other and ' if len(kernels) > 1 else ''}igdpt probe: "
          f"{first[0]}, VBT from {first[1]}")


def run_tool(args, env=None):
    p = subprocess.run(args, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, **(env or {})))
    print(f"$ {' '.join(args)} -> {p.returncode}: {p.stderr.strip()}")
    return p


def setup_errors(tmp):
    """Bad input to the guest's setup: a clear error, the right exit status,
    no output file. No boot, no download."""
    scripts = os.path.join(SOURCE, "scripts")
    p = run_tool([IGDPT, "vm", "--guest", "linux", "--kernel", "sid"])
    check(p.returncode == 2 and "expected bookworm|trixie" in p.stderr, "--kernel sid accepted")
    p = run_tool([IGDPT, "vm", "--kernel", "trixie"])
    check(p.returncode == 2 and "--guest linux" in p.stderr, "--kernel without --guest linux")
    missing = os.path.join(tmp, "no-such-vmlinux")
    p = run_tool([IGDPT, "vm", "--guest", "linux", "--kernel", "trixie"],
                 {"IGDPT_GUEST_KERNEL": missing})
    check(p.returncode == 2 and missing in p.stderr, "a missing guest kernel")
    p = run_tool([os.path.join(scripts, "fetch-guest-kernel"), "--kernel", "sid"])
    check(p.returncode == 2 and "expected bookworm or trixie" in p.stderr, "fetch: --kernel sid")

    out = os.path.join(tmp, "vmlinux")
    garbage = os.path.join(tmp, "garbage")
    open(garbage, "wb").write(b"\x7fELF" + bytes(4096))
    p = run_tool([os.path.join(scripts, "extract-guest-vmlinux"), garbage, out])
    check(p.returncode == 1 and "not a bzImage" in p.stderr and not os.path.exists(out),
          "extract: garbage")
    # A boot header whose payload runs past the end of the file.
    image = bytearray(4096)
    image[0x1F1] = 4
    image[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", image, 0x206, 0x20F)
    struct.pack_into("<II", image, 0x248, 0x100, 0x100000)
    open(garbage, "wb").write(image)
    p = run_tool([os.path.join(scripts, "extract-guest-vmlinux"), garbage, out])
    check(p.returncode == 1 and "runs past the file" in p.stderr and not os.path.exists(out),
          "extract: truncated")
    initrd = os.path.join(tmp, "initrd.img")
    p = run_tool([os.path.join(scripts, "mk-guest-initramfs"), "--kernel-dir", tmp,
                  "--igdpt", IGDPT, "--send-log", linux_guests.SEND_LOG, "--out", initrd])
    check(p.returncode == 1 and "no lib/modules or usr/lib/modules" in p.stderr and
          not os.path.exists(initrd), "initramfs: no modules")
    print("OK: each refused with a reason, nothing written")


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(list(TESTS) + ["setup-errors"]))
        return 0
    if len(sys.argv) == 2 and sys.argv[1] == "setup-errors":
        with tempfile.TemporaryDirectory() as tmp:
            try:
                setup_errors(tmp)
            except Failure as e:
                print(f"FAIL: {e}")
                return 1
        return 0
    if len(sys.argv) != 2 or sys.argv[1] not in TESTS:
        print("usage: linux_e2e.py --list | TEST", file=sys.stderr)
        return 2
    if not CORPUS or not os.path.isdir(CORPUS):
        print("SKIP: IGDPT_CORPUS is not set to the corpus directory")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        try:
            prepare_guests()
            run(sys.argv[1], tmp)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
