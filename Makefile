# SPDX-License-Identifier: MIT
# Convenience wrapper around Meson. `make demo` and `make check` install the
# Debian packages they need first (scripts/install-deps).
BUILD ?= build
ASAN_BUILD ?= build-asan
MESON_OPTS ?=

.PHONY: all deps build demo check test asan fuzz bench install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

# The main job on the built-in default: boot QEMU + SeaBIOS with the virtual
# IGD and the reference OpRegion, and report every stage.
demo: build
	$(BUILD)/tools/igdpt vm --reference

test: build
	meson test -C $(BUILD) --print-errorlogs

$(ASAN_BUILD)/build.ninja:
	CC=clang meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false -De2e=false $(MESON_OPTS)

# Unit, corpus and fuzz-replay suites under ASan+UBSan.
asan: deps $(ASAN_BUILD)/build.ninja
	meson compile -C $(ASAN_BUILD)
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
		meson test -C $(ASAN_BUILD) --print-errorlogs

# Everything: the normal build's suites (end-to-end boots included), then the
# sanitizer build.
check: test asan

install: build
	meson install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
