#!/bin/bash
# SPDX-License-Identifier: MIT
# igdpt build / prepare end to end, judged by igdpt validate and the real
# intel-gpu-tools decoders, on the reference image and on real corpus files.
# usage: build_cli.sh IGDPT   (env IGDPT_CORPUS: the shared corpus)
set -u

IGDPT=${1:?usage: build_cli.sh PATH/TO/igdpt}
CORPUS=${IGDPT_CORPUS:?IGDPT_CORPUS not set}
MBOX4_SIZE=6144
EXT_VBT_OFFSET=$((0x2000))
RVDA_OFFSET=$((0x3BA))
RVDS_OFFSET=$((0x3C2))
MINOR_OFFSET=$((0x16))
MBOX_OFFSET=$((0x58))
HOST_PHYS=CAFE0000

for tool in intel_vbt_decode intel_opregion_decode cmp od dd; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

le16() { od -An -tu2 -j "$2" -N2 --endian=little "$1" | tr -d ' '; }
byte() { od -An -tx1 -j "$2" -N1 "$1" | tr -d ' '; }
# put_le FILE OFFSET BYTES HEXVALUE: writes HEXVALUE little-endian.
put_le() {
	local file=$1 off=$2 n=$3 hex value esc=""
	value=$(printf '%0*x' $((n * 2)) "0x$4")
	for ((i = n - 1; i >= 0; i--)); do
		hex=${value:$((i * 2)):2}
		esc+="\\x$hex"
	done
	printf "$esc" | dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}
# contains_le32 FILE HEX: does FILE hold the little-endian u32 anywhere?
contains_le32() {
	local v=${2,,}
	od -An -v -tx1 "$1" | tr -s ' ' '\n' | grep -v '^$' |
		awk -v a="${v:6:2}" -v b="${v:4:2}" -v c="${v:2:2}" -v d="${v:0:2}" \
			'{ w[NR % 4] = $1 } NR >= 4 && w[(NR - 3) % 4] == a && w[(NR - 2) % 4] == b &&
			 w[(NR - 1) % 4] == c && w[NR % 4] == d { found = 1 } END { exit !found }'
}
# vbt_identical IMAGE OFFSET VBTFILE: the VBT's vbt_size bytes sit at OFFSET.
vbt_identical() {
	local size
	size=$(le16 "$3" 24)
	cmp -s -n "$size" -i "$2:0" "$1" "$3"
}

# --- help and usage ---------------------------------------------------------
"$IGDPT" build --help >/dev/null
check "build --help exits 0" test $? -eq 0
"$IGDPT" prepare --help | grep -q "extended-vbt"
check "prepare --help documents --extended-vbt" test $? -eq 0
"$IGDPT" build --reference --vbt x -o "$work/x" 2>/dev/null
check "build --reference --vbt is a usage error (2)" test $? -eq 2
"$IGDPT" build --reference --opregion-version 2.5 -o "$work/x" 2>/dev/null
check "unknown --opregion-version is a usage error (2)" test $? -eq 2
"$IGDPT" prepare -o "$work/x" 2>/dev/null
check "prepare without -i is a usage error (2)" test $? -eq 2
check "usage errors write nothing" test ! -e "$work/x"

# --- the reference, against igdpt validate and the real decoders -------------
for v in 2.0 2.1 3.0; do
	ref=$work/ref-$v.bin
	check "build --reference $v" "$IGDPT" build --reference --opregion-version "$v" -o "$ref"
	out=$("$IGDPT" validate "$ref")
	check "reference $v validates with no warnings" test "$out" = "$ref: ok"
	"$IGDPT" validate --json "$ref" | grep -q "\"version\":\"${v}.0\""
	check "reference $v has version $v" test $? -eq 0

	intel_opregion_decode -f "$ref" >"$work/od.out" 2>"$work/od.err"
	check "intel_opregion_decode $v exits 0" test $? -eq 0
	check "intel_opregion_decode $v: nothing on stderr" test ! -s "$work/od.err"
	for mb in "Header" "Mailbox 1" "Mailbox 3" "Mailbox 4" "Mailbox 5"; do
		check "intel_opregion_decode $v decodes $mb" grep -q "^OpRegion $mb" "$work/od.out"
	done
	check "intel_opregion_decode $v sees the VBT in mailbox 4" \
		grep -q 'product string:.*\$VBT KABYLAKE' "$work/od.out"
done
check "2.0 reference announces mailbox 2 as SWSCI" \
	grep -q '^OpRegion Mailbox 2: Software SCI' <(intel_opregion_decode -f "$work/ref-2.0.bin")

# An OpRegion with mailbox 4 emptied: valid, but the no-vbt warning says
# where i915 looks instead.
cp "$work/ref-2.0.bin" "$work/novbt.bin"
dd if=/dev/zero of="$work/novbt.bin" bs=1 seek=$((0x400)) count=$MBOX4_SIZE conv=notrunc status=none
out=$("$IGDPT" validate "$work/novbt.bin")
check "an OpRegion without a VBT validates (exit 0)" test $? -eq 0
check "... with the no-vbt warning" grep -qF "$work/novbt.bin: ok (warnings: no-vbt)" <<<"$out"
check "... saying where i915 looks next" grep -qF "no-vbt: no VBT in the OpRegion (mailbox 4 empty, no RVDA): i915 looks next in the IGD's PCI ROM, then runs on a default VBT" <<<"$out"
check "... and names it in JSON" grep -qF '"warnings":["no-vbt"]' <<<"$("$IGDPT" validate --json "$work/novbt.bin" | tr -d ' \n')"

ref=$work/ref-2.0.bin
intel_vbt_decode --file "$ref" >"$work/vd.out" 2>"$work/vd.err"
check "intel_vbt_decode exits 0 on the reference" test $? -eq 0
check "intel_vbt_decode: nothing on stderr (no min size complaints)" test ! -s "$work/vd.err"
present=$(sed -n '/^BDB blocks present:/{n;p}' "$work/vd.out" | tr -s ' \t' ' ' | sed 's/^ //;s/ $//')
check "intel_vbt_decode lists exactly igdpt's blocks ($present)" \
	test "$present" = "1 2 12 27 40 41 42 43 44 254"
for id in 1 2 12 27 40 41 42 43 44 254; do
	check "intel_vbt_decode decodes block $id" grep -q "^BDB block $id (" "$work/vd.out"
done
check "BDB version 221" grep -qP '^\tBDB version:\t+221$' "$work/vd.out"
check "child device size 39, 4 children" \
	bash -c "grep -q 'Child device size: 39' '$work/vd.out' && grep -q 'Child device count: 4' '$work/vd.out'"
for port in "DP-A (0x0a)" "DP-B (0x07)" "HDMI-C (0x02)" "DP-D (0x09)"; do
	check "child device on $port" grep -qF "DVO Port: $port" "$work/vd.out"
done
for aux in "AUX-A (0x40)" "AUX-B (0x10)" "AUX-D (0x30)"; do
	check "aux channel $aux" grep -qF "Aux channel: $aux" "$work/vd.out"
done
check "eDP child" grep -qF "Device type: 0x78c6" "$work/vd.out"
check "1920x1080 panel timing decoded as good" grep -q "timings: 1920 .* 1080 .*(good)" "$work/vd.out"
check "no malformed LFP pointers" bash -c "! grep -qi malformed '$work/vd.out' '$work/vd.err'"

"$IGDPT" build --reference --guest -o "$work/guest-ref.bin"
check "build --guest clears SWSCI (MBOX 0x1d)" test "$(byte "$work/guest-ref.bin" $MBOX_OFFSET)" = 1d

# --- wrapping every corpus VBT ----------------------------------------------
wrapped=0
skipped=0
small=""
big=""
for vbt in "$CORPUS"/vbt/*.vbt; do
	name=$(basename "$vbt")
	if ! "$IGDPT" validate "$vbt" >/dev/null 2>&1; then
		skipped=$((skipped + 1))
		continue
	fi
	size=$(le16 "$vbt" 24)
	img=$work/wrap-$name.bin
	if ! "$IGDPT" build --vbt "$vbt" --opregion-version 2.1 -o "$img" 2>"$work/w.err"; then
		fail "wrap $name in 2.1: $(cat "$work/w.err")"
		continue
	fi
	if ! "$IGDPT" validate "$img" >/dev/null; then
		fail "wrapped $name does not validate: $("$IGDPT" validate "$img")"
		continue
	fi
	if ((size <= MBOX4_SIZE)); then at=$((0x400)); [ -z "$small" ] && small=$vbt
	else at=$EXT_VBT_OFFSET; [ -z "$big" ] && big=$vbt; fi
	if ! vbt_identical "$img" "$at" "$vbt"; then
		fail "wrapped $name: VBT bytes at 0x$(printf %x $at) differ"
		continue
	fi
	wrapped=$((wrapped + 1))
	rm -f "$img"
done
check "wrapped $wrapped corpus VBTs in 2.1 ($skipped rejected by validate, skipped)" \
	test "$wrapped" -gt 60
check "corpus has a small and a >6 KiB VBT" test -n "$small" -a -n "$big"

"$IGDPT" build --vbt "$small" -o "$work/small-2.0.bin" 2>/dev/null
check "small VBT wraps in 2.0" test $? -eq 0
check "small VBT in 2.0 sits in mailbox 4" vbt_identical "$work/small-2.0.bin" $((0x400)) "$small"
"$IGDPT" build --vbt "$big" --opregion-version 2.0 -o "$work/big-2.0.bin" 2>"$work/big.err"
check "a >6 KiB VBT in 2.0 is refused (exit 1)" test $? -eq 1
check "refusal names 2.1" grep -q "use 2.1 or later" "$work/big.err"
check "refusal writes nothing" test ! -e "$work/big-2.0.bin"
"$IGDPT" build --vbt "$CORPUS/opregion/rikka0w0-qemu-gvt-d-opregion.bin" -o "$work/x" 2>"$work/x.err"
check "an OpRegion given as --vbt is refused (exit 1)" test $? -eq 1
check "... with the VBT parser's reason" grep -q 'signature is not "\$VBT" at 0x0' "$work/x.err"

# --- prepare: host 2.0 with an absolute RVDA -> guest 2.1 --------------------
dump=$CORPUS/opregion/chikmyvoltage-msi-kvm-igpu-opregion.bin
host=$work/host.bin
cp "$dump" "$host"
# Like coreboot with an extended VBT: mailbox 4 empty, RVDA a physical address.
dd if=/dev/zero of="$host" bs=1 seek=$((0x400)) count=$MBOX4_SIZE conv=notrunc status=none
put_le "$host" $RVDA_OFFSET 8 $HOST_PHYS
put_le "$host" $RVDS_OFFSET 4 "$(printf %x "$(stat -c %s "$big")")"
check "the host image carries 0x$HOST_PHYS" contains_le32 "$host" $HOST_PHYS

"$IGDPT" prepare -i "$host" --extended-vbt "$big" -o "$work/guest.bin" >"$work/p.out"
check "prepare host + extended VBT exits 0" test $? -eq 0
json=$("$IGDPT" validate --json "$work/guest.bin")
check "guest image validates" grep -q '"valid":true' <<<"$json"
check "guest image is version 2.1" grep -q '"version":"2.1.0"' <<<"$json"
check "guest VBT comes from RVDA" grep -q '"vbt_source":"rvda"' <<<"$json"
check "guest RVDA is 0x2000" test "$(od -An -tx8 -j $RVDA_OFFSET -N8 --endian=little "$work/guest.bin" | tr -d ' ')" = 0000000000002000
check "guest VBT bytes identical to the extended VBT" vbt_identical "$work/guest.bin" $EXT_VBT_OFFSET "$big"
contains_le32 "$work/guest.bin" $HOST_PHYS
check "no 0x$HOST_PHYS anywhere in the guest image" test $? -ne 0
check "guest MBOX has SWSCI cleared (0x1d)" test "$(byte "$work/guest.bin" $MBOX_OFFSET)" = 1d
check "prepare reports what it made" grep -q "OpRegion 2.1, .*extended VBT at RVDA.*SWSCI cleared" "$work/p.out"
"$IGDPT" prepare -i "$dump" --keep-swsci -o "$work/keep.bin" >/dev/null
check "--keep-swsci keeps MBOX 0x1f" test "$(byte "$work/keep.bin" $MBOX_OFFSET)" = 1f
check "plain 2.0 dump: guest image identical but for MBOX" \
	cmp -s -n $MBOX_OFFSET "$dump" "$work/keep.bin"

"$IGDPT" build --vbt "$big" --opregion-version 2.1 -o "$work/host21.bin" 2>/dev/null
"$IGDPT" prepare -i "$work/host21.bin" -o "$work/guest21.bin" >/dev/null
check "prepare of a 2.1 image with its extended VBT inside exits 0" test $? -eq 0
check "... and keeps the image but for MBOX" \
	bash -c "cmp -s -n $MBOX_OFFSET '$work/host21.bin' '$work/guest21.bin' &&
		 cmp -s -i $((MBOX_OFFSET + 1)):$((MBOX_OFFSET + 1)) '$work/host21.bin' '$work/guest21.bin'"

# --- prepare refusals: exit 1, a reason and offset, no output file -----------
refuse() { # refuse NAME EXPECTED_REASON prepare-args...
	local name=$1 reason=$2
	shift 2
	rm -f "$work/refused.bin"
	"$IGDPT" prepare "$@" -o "$work/refused.bin" >/dev/null 2>"$work/r.err"
	local rc=$?
	check "prepare refuses $name (exit 1)" test $rc -eq 1
	check "... says why ($reason)" grep -qF "$reason" "$work/r.err"
	check "... and where (at 0x...)" grep -qE " at 0x[0-9a-f]+($|[):])" "$work/r.err"
	check "... and writes nothing" test ! -e "$work/refused.bin"
}
refuse "a 2.0 RVDA without --extended-vbt" "host physical address" -i "$host"
cp "$dump" "$work/badsig.bin"
printf 'X' | dd of="$work/badsig.bin" bs=1 seek=0 conv=notrunc status=none
refuse "a bad signature" 'signature is not "IntelGraphicsMem"' -i "$work/badsig.bin"
cp "$dump" "$work/inside.bin"
printf '\x01' | dd of="$work/inside.bin" bs=1 seek=$MINOR_OFFSET conv=notrunc status=none
put_le "$work/inside.bin" $RVDA_OFFSET 8 100
put_le "$work/inside.bin" $RVDS_OFFSET 4 200
refuse "a 2.1 RVDA inside the base region" "inside the 8 KiB base region" -i "$work/inside.bin"
cp "$dump" "$work/half.bin"
put_le "$work/half.bin" $RVDA_OFFSET 8 $HOST_PHYS
refuse "RVDA without RVDS" "both set or both zero" -i "$work/half.bin"
refuse "an extended VBT that is not a VBT" "not a valid extended VBT" -i "$host" --extended-vbt "$dump"
refuse "a bare VBT as the host OpRegion" "a bare VBT, not an OpRegion" -i "$big"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
