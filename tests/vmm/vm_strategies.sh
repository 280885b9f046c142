#!/bin/sh
# SPDX-License-Identifier: MIT
# Option 1b on real QEMU + SeaBIOS through igdpt-device, whose OpRegion
# registers go through igdpt's VMM interface (igdpt/vmm.h): the firmware
# writes ASLS, the context cannot map host memory behind QEMU's proxy and
# places a private copy there. Also with an extended-VBT image (2.1, not a
# page multiple) and stolen memory; and 4b for contrast.
set -eu
igdpt="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$igdpt" build --vbt "$IGDPT_CORPUS/vbt/cb-google-brya-xol.vbt" --opregion-version 2.1 --guest \
	-o "$tmp/extended.bin"

run() { # name, expected guest_copy of the ASLS write, igdpt vm options...
	name=$1 want=$2
	shift 2
	"$igdpt" vm --json "$@" >"$tmp/$name.json" || { echo "$name: igdpt vm failed"; cat "$tmp/$name.json"; exit 1; }
	python3 "$IGDPT_SOURCE_ROOT/tests/lib/schema_check.py" vm "$tmp/$name.json" || exit 1
	python3 - "$tmp/$name.json" "$name" "$want" <<'PY'
import json, sys
from contract import EV
out, name, want = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
dev = out["device_log"]
start, asls_write, final = dev[EV["START"]], dev[EV["ASLS_WRITE"]], dev[EV["FINAL"]]
def check(ok, what):
    if not ok:
        sys.exit(f"{name}: {what}: {json.dumps(dev)}")
check(out["verdict"] == "pass", "guest verdict " + str(out.get("verdict")))
check(start[EV["STRATEGY"]] == out["strategy"], "device strategy")
check(asls_write[EV["GUEST_COPY"]] == want, "ASLS write")
check(final[EV["GUEST_COPY"]] == EV["COPY_IDENTICAL"], "guest copy at exit")
check(final[EV["HOST_IMAGE_UNCHANGED"]] is True, "host image")
check(final[EV["ASLS"]] == asls_write[EV["VALUE"]], "ASLS moved")
print(f"ok {name}: ASLS {final[EV['ASLS']]}, {want}")
PY
}

run 1b-reference placed --strategy 1b
run 1b-extended placed --strategy 1b --image "$tmp/extended.bin"
run 1b-stolen placed --strategy 1b --stolen-size 32M
run 4b-extended identical --strategy 4b --image "$tmp/extended.bin"
