# Scribe Ledger — build, test and run.
# `make test` installs the system packages the build needs (apt-get) and runs every test.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
SYSTEM_PACKAGES := liblz4-dev libssl-dev pkg-config

.PHONY: deps build release test bench-micro fuzz clean

deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Micro-benchmarks of the engine's inner loops (ordo-one/benchmark; see Benchmarks/README.md).
bench-micro: deps
	$(SWIFT) package benchmark --target LSMMicroBenchmarks --no-progress

# Every libFuzzer target in turn for SECONDS each (see Fuzz/run.sh and docs/design.md, Fuzzing).
SECONDS ?= 30
FUZZ_TARGETS := FuzzSegment FuzzSegmentMutation FuzzWAL FuzzManifest FuzzBlock

fuzz: deps
	@for t in $(FUZZ_TARGETS); do Fuzz/run.sh $$t $(SECONDS) || exit 1; done

clean:
	rm -rf .build .build-fuzz
