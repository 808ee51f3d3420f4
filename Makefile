# ChatSieve: `make demo` and `make test` install whatever is missing (Debian packages via apt-get), then run.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libpcre2-dev libhyperscan-dev pkg-config libsqlite3-dev zlib1g-dev
TEST_PACKAGES := chromium fonts-dejavu-core fonts-noto-color-emoji
BENCH_PACKAGES := ripgrep pcre2-utils hyperfine time python3-pip python3-venv gcc
BIN := .build/release/chatsieve
# The Swift runtime and Foundation linked statically: about 6 ms less start-up (no dynamic symbol binding; 35 -> 29 ms
# on a tiny scan) and 3-6% less CPU per scan (runtime calls without the PLT). benchmarks/run.sh and parse.sh build
# through this target, so every release binary is built the same way.
# -disable-concrete-type-metadata-mangled-name-accessors (a Swift frontend option, for every module including the
# dependencies): generic types are instantiated through their metadata accessors with the conformances passed in,
# instead of by demangling a type name and looking each conformance up among the executable's 7,000 conformance
# records; about 3 ms less per start (a tiny scan 19.1 -> 16.1 ms, `--version` 9.5 -> 8.2 ms, medians of 30
# alternating rounds); scanning itself is unchanged.
# -no-pie (linker): a position-dependent executable needs none of the 17,000 load-time relocations of Swift's metadata
# tables, which dirtied some 250 pages at every start; `--version` 5.9 -> 4.5 ms, a 10 MB scan 0.958 of the time
# (medians of 60 alternating rounds; 7.5 -> 3.0 ms CPU per start, `perf stat`). The cost: the executable's own image
# is not address-randomised (as with Go's default builds); the libraries, heap, stacks and mappings still are.
# The C and C++ libraries (Hyperscan, PCRE2, SQLite, zlib, libstdc++) are linked statically too; only glibc, libm and
# libgcc_s stay shared. Dynamic loading and binding their symbols (3,800 relocations, 2,600 symbol lookups) took about
# 2 ms of every start: `--version` 5.8 -> 3.6 ms, a tiny scan 0.86, a 10 MB scan 0.92 of the time (medians of 40
# alternating rounds), 100 MB 0.98. SwiftPM puts each package's pkg-config `-L` ahead of any flag given here, and
# ZIPFoundation's zlib.pc names /usr/lib/<arch>, where ld would take the shared libraries first; so the release build
# reads a zlib.pc of ours (PKG_CONFIG_PATH) that names $(STATIC_LIBS), a directory of links to the Debian archives.
# A library without an archive there is simply found shared, as before. The cost: a security update of one of those
# Debian packages reaches chatsieve when it is rebuilt (as with the Swift runtime, already static).
STATIC_LIBS := $(CURDIR)/.build/static-libs
STATIC_ARCHIVES = $(foreach a,libhs.a libpcre2-8.a libsqlite3.a libz.a libstdc++.a,$(shell clang -print-file-name=$(a)))
RELEASE_FLAGS := -c release --static-swift-stdlib \
	-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
	-Xswiftc -Xclang-linker -Xswiftc -no-pie

.PHONY: demo test tsan deps test-deps bench-deps build release clean bench quality

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install,$(APT_PACKAGES))

test-deps: deps
	$(call apt_install,$(TEST_PACKAGES))

bench-deps: deps
	$(call apt_install,$(BENCH_PACKAGES))

build: deps
	$(SWIFT) build

release: deps
	@rm -rf $(STATIC_LIBS) && mkdir -p $(STATIC_LIBS)/pkgconfig
	@for a in $(STATIC_ARCHIVES); do [ ! -f "$$a" ] || ln -s "$$a" $(STATIC_LIBS)/; done
	@printf 'Name: zlib\nDescription: zlib for the release build, from the static archives\nVersion: 1\nLibs: -L%s -lz\n' \
	  $(STATIC_LIBS) > $(STATIC_LIBS)/pkgconfig/zlib.pc
	PKG_CONFIG_PATH=$(STATIC_LIBS)/pkgconfig $(SWIFT) build $(RELEASE_FLAGS)

demo: release
	$(BIN) generate --demo corpora/demo
	$(BIN) scan corpora/demo --html out/demo-report.html --csv out/demo-hits.csv --jsonl out/demo-hits.jsonl --db out/demo-case.sqlite
	@echo "report written to out/demo-report.html"

test: test-deps
	$(SWIFT) build
	.build/debug/chatsieve rules lint rules
	.build/debug/chatsieve rules test rules
	$(SWIFT) test --parallel

# The whole suite under ThreadSanitizer (its own build folder; about 6 minutes on 2 cores). Not part of CI.
tsan: test-deps
	$(SWIFT) test --sanitize=thread --build-path .build/tsan --parallel

bench: bench-deps release
	./benchmarks/run.sh

quality: release
	./benchmarks/quality.sh

clean:
	rm -rf .build out
