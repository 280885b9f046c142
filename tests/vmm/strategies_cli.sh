#!/bin/sh
# SPDX-License-Identifier: MIT
# `igdpt strategies` as a user runs it: the JSON table's shape and values,
# the text table, --no-map, and clear errors for bad input.
set -eu
igdpt="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$igdpt" strategies --json >"$tmp/table.json"
python3 - "$tmp/table.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["kind"] == "strategies" and "igdpt_version" in doc and "schema_version" in doc, doc
assert doc["generation"] == 9 and doc["stolen_size"] == 0 and doc["image"]["source"] == "reference"
rows = doc["options"]
assert [r["strategy"] for r in rows] == ["1a", "1b", "2", "3", "4a", "4b"], rows
keys = {"works_with_unmodified_firmware", "needs_firmware_support", "guest_address_chosen_by",
        "guest_sees_valid_opregion", "guest_driver_writes_succeed", "guest_writes_reach_host",
        "host_bytes_exposed", "survives_hostile_asls", "hotplug_possible",
        "looks_like_real_hardware"}
by = {r["strategy"]: r for r in rows}
for r in rows:
    missing = keys - set(r)
    assert not missing, (r["strategy"], missing)
    assert r["error"] is None and r["guest_sees_valid_opregion"], r
assert by["1a"]["guest_writes_reach_host"] and by["1b"]["guest_writes_reach_host"]
assert not by["2"]["guest_driver_writes_succeed"]
for s in ("3", "4a", "4b"):
    assert not by[s]["guest_writes_reach_host"] and by[s]["host_bytes_exposed"] == 0, s
assert by["4b"]["needs_firmware_support"] and not by["4b"]["works_with_unmodified_firmware"]
assert by["4a"]["works_with_unmodified_firmware"]
assert by["1a"]["guest_address_chosen_by"] == "vmm" and by["4b"]["guest_address_chosen_by"] == "firmware"
for r in rows:
    assert len(r["asls"]) == 10 and r["asls"].startswith("0x"), r["asls"]  # "0x%08x"
PY

"$igdpt" strategies >"$tmp/table.txt"
grep -q '^option ' "$tmp/table.txt"
grep -q '^4b ' "$tmp/table.txt"

"$igdpt" strategies --no-map --json >"$tmp/nomap.json"
python3 - "$tmp/nomap.json" <<'PY'
import json, sys
by = {r["strategy"]: r for r in json.load(open(sys.argv[1]))["options"]}
for s in ("1a", "2", "3"):
    assert "cannot" in by[s]["error"], by[s]
assert by["1b"]["error"] is None and by["1b"]["placement"] == "guest-ram"
PY

# Bad input: a clear message and the documented exit status.
set +e
"$igdpt" strategies --generation x 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- '--generation' "$tmp/err" || { echo "bad --generation: rc $rc"; exit 1; }
head -c 100 /dev/zero >"$tmp/zero.bin"
"$igdpt" strategies --image "$tmp/zero.bin" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && grep -q 'not a valid OpRegion' "$tmp/err" || { echo "bad image: rc $rc"; cat "$tmp/err"; exit 1; }
"$igdpt" strategies --image "$tmp/missing.bin" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || { echo "missing image: rc $rc"; exit 1; }
# Stolen memory: one option name and unit across commands (binary units),
# and a size GGC can announce on the generation.
"$igdpt" strategies --json --stolen-size 32M --ram-size 64MiB >"$tmp/stolen.json" ||
	{ echo "--stolen-size 32M refused"; exit 1; }
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["stolen_size"] == 32 << 20 and d["ram_size"] == 64 << 20, d' "$tmp/stolen.json"
"$igdpt" strategies --stolen-size 16M --generation 8 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'generation 8 cannot announce it in GGC' "$tmp/err" ||
	{ echo "--stolen-size 16M gen 8: rc $rc"; cat "$tmp/err"; exit 1; }
"$igdpt" strategies --stolen-size 32X 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- '--stolen-size 32X: expected a size' "$tmp/err" ||
	{ echo "--stolen-size 32X: rc $rc"; cat "$tmp/err"; exit 1; }
# Every document in igdpt's JSON dialect, as docs/schema/ describes it.
python3 "$IGDPT_SOURCE_ROOT/tests/lib/schema_check.py" strategies "$tmp/table.json" "$tmp/nomap.json" \
	"$tmp/stolen.json" || { echo "strategies --json does not match its schema"; exit 1; }
# The help cites documents that exist in the repository.
"$igdpt" strategies --help >"$tmp/help"
! grep -q 'DESIGN' "$tmp/help" || { echo "--help cites DESIGN.md"; exit 1; }
for doc in $(grep -o 'docs/[a-z/._-]*[a-z]' "$tmp/help"); do
	[ -e "$IGDPT_SOURCE_ROOT/$doc" ] || { echo "--help cites $doc, which does not exist"; exit 1; }
done
# igdpt vm names why QEMU's proxy cannot run the mapping options and 4a.
for s in 1a 2 3; do
	"$igdpt" vm --strategy $s 2>"$tmp/err"; rc=$?
	[ "$rc" -eq 2 ] && grep -q 'cannot map' "$tmp/err" || { echo "vm --strategy $s: rc $rc"; cat "$tmp/err"; exit 1; }
done
"$igdpt" vm --strategy 4a 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q 'e820' "$tmp/err" || { echo "vm --strategy 4a: rc $rc"; exit 1; }
echo ok
