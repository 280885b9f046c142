#!/bin/bash
# SPDX-License-Identifier: MIT
# libigdpt as an outsider gets it: `meson install` into a temporary DESTDIR,
# a C and a C++ consumer built with `pkg-config --cflags --libs igdpt` against
# the installed igdpt.pc and headers, linked with the shared library and run;
# then the shared library's exports: igdpt_* only, each one declared in an
# installed header.
# usage: consumer_test.sh BUILD_DIR PREFIX LIBDIR INCLUDEDIR SOURCE_DIR
set -u
build=$1 prefix=$2 libdir=$3 includedir=$4 src=$5
case $libdir in /*) ;; *) libdir=$prefix/$libdir ;; esac
case $includedir in /*) ;; *) includedir=$prefix/$includedir ;; esac

fail() { echo "FAIL: $*"; exit 1; }
for tool in pkg-config gcc g++ nm readelf; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed (scripts/install-deps)"; exit 77; }
done
tmp=$(mktemp -d /tmp/igdpt-consumer-XXXXXX) || fail "mktemp"
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

meson install -C "$build" --destdir "$root" --no-rebuild --quiet >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; fail "meson install --destdir"; }
lib=$root$libdir/libigdpt.so
[ -e "$lib" ] || fail "no $lib after install"
[ -e "$root$includedir/igdpt/igdpt.h" ] && [ -e "$root$includedir/igdpt/version.h" ] ||
	fail "igdpt/igdpt.h or the generated igdpt/version.h is not installed"

# Only the installed igdpt.pc, its paths under the DESTDIR.
export PKG_CONFIG_LIBDIR=$root$libdir/pkgconfig PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR=$root
flags=$(pkg-config --cflags --libs igdpt) || fail "pkg-config igdpt"
echo "pkg-config --cflags --libs igdpt: $flags"
requires=$(pkg-config --print-requires --print-requires-private igdpt)
[ -z "$requires" ] || fail "igdpt.pc requires '$requires': the API has no dependency"

# shellcheck disable=SC2086
gcc -std=c11 -Wall -Wextra -Werror "$src/consumer.c" $flags -o "$tmp/consumer-c" ||
	fail "the C consumer does not build against the installed library"
# shellcheck disable=SC2086
g++ -std=c++11 -Wall -Wextra -Werror "$src/consumer.cpp" $flags -o "$tmp/consumer-cpp" ||
	fail "the C++ consumer does not build against the installed library"
for exe in consumer-c consumer-cpp; do
	readelf -d "$tmp/$exe" | grep -q 'Shared library: \[libigdpt\.so' ||
		fail "$exe is not linked with the shared libigdpt"
	LD_LIBRARY_PATH=$root$libdir "$tmp/$exe" >"$tmp/$exe.out" 2>&1 ||
		{ cat "$tmp/$exe.out"; fail "$exe failed"; }
	tail -n 1 "$tmp/$exe.out"
done

# The exports: the version node and igdpt_* symbols, nothing internal.
nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u >"$tmp/exports"
count=$(grep -c '^igdpt_' "$tmp/exports")
[ "$count" -gt 100 ] || fail "only $count igdpt_* symbols exported"
others=$(grep -v -e '^igdpt_' -e '^IGDPT_0$' "$tmp/exports")
[ -z "$others" ] || fail "exported without the igdpt_ prefix: $(echo $others)"
while read -r sym; do
	case $sym in igdpt_*) ;; *) continue ;; esac
	grep -rqw -- "$sym" "$root$includedir/igdpt" || fail "$sym is exported but no installed header declares it"
done <"$tmp/exports"
echo "libigdpt.so exports $count igdpt_* symbols, all declared in the installed headers"
