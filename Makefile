# SPDX-License-Identifier: MIT
# Convenience wrapper around Meson. `make demo` and `make check` install the
# Debian packages they need first (scripts/install-deps).
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 30
IGDPT_CORPUS ?= $(CURDIR)/../shared/corpus
MESON_OPTS ?=

.PHONY: all deps build demo check test asan fuzz bench install clean guest-linux

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

# Benchmarks (bench/): numbers go to bench/results/*.txt and *.json.
bench: build
	meson test -C $(BUILD) --benchmark --print-errorlogs

# Debian's kernel (apt-get download, unpacked, not installed) and the
# initramfs that igdpt vm --guest linux boots.
guest-linux: build
	meson compile -C $(BUILD) guest-linux

install: build
	meson install -C $(BUILD)

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true -De2e=false -Db_lundef=false $(MESON_OPTS)

# libFuzzer (clang): each target for FUZZ_TIME seconds, starting from the
# committed synthetic seeds and the real corpus. New inputs collect in
# $(FUZZ_BUILD)/corpus-TARGET; a crash stops the run and is saved as
# $(FUZZ_BUILD)/crash-TARGET-*: make it a seed (tests/fuzz/seeds) and a unit test.
fuzz: deps $(FUZZ_BUILD)/build.ninja
	meson compile -C $(FUZZ_BUILD) fuzz-vbt fuzz-opregion fuzz-relocate fuzz-pci_rom
	for t in vbt opregion relocate pci_rom; do \
		mkdir -p $(FUZZ_BUILD)/corpus-$$t && \
		$(FUZZ_BUILD)/tests/fuzz/fuzz-$$t -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$$t- \
			$(FUZZ_BUILD)/corpus-$$t tests/fuzz/seeds \
			$(IGDPT_CORPUS)/vbt $(IGDPT_CORPUS)/opregion || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
