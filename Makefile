# Scribe Ledger — build, test and run.
# `make test` installs the system packages the build needs (apt-get) and the Python
# packages the tests need (pip), and runs every test.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
SYSTEM_PACKAGES := liblz4-dev libssl-dev pkg-config python3 curl openssl

.PHONY: deps python-deps build release run test sanitize sanitize-thread sanitize-address bench-micro fuzz clean

deps:
	@missing=""; \
	for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing system packages:$$missing"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; \
	fi

# The object store tests run against moto_server and list with boto3; the S3
# benchmark also runs the AWS CLI.
python-deps: deps
	@python3 -c 'import moto.server, boto3' >/dev/null 2>&1 || { echo "installing moto[server] and boto3"; \
		python3 -m pip install 'moto[server]' boto3; }
	@command -v aws >/dev/null 2>&1 || { echo "installing awscli"; python3 -m pip install awscli; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# One node on the embedded default: 127.0.0.1:8080, data in ./data (config.toml).
run: deps
	$(SWIFT) build -c release --product scribe-node
	.build/release/scribe-node --config config.toml

# The proof test vectors also go through the independent Python verifier.
test: python-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	python3 docs/proofs/verify_proof.py --vectors Tests/ScribeVerifierTests/Vectors

# The test suite under ThreadSanitizer and AddressSanitizer, each in its own
# scratch directory (so the normal .build stays untouched). The tests find
# scribe-kv beside the test bundle, which is the sanitized build of it.
# SWIFT_BACKTRACE=enable=no: the Swift backtracer and the sanitizers both
# install fatal-signal handlers and the backtracer hides the sanitizer's report.
SANITIZER_ENV := SWIFT_BACKTRACE=enable=no

sanitize: sanitize-thread sanitize-address

sanitize-thread: python-deps
	$(SWIFT) build --build-tests --scratch-path .build-tsan --sanitize=thread
	$(SANITIZER_ENV) $(SWIFT) test --skip-build --scratch-path .build-tsan --sanitize=thread

sanitize-address: python-deps
	$(SWIFT) build --build-tests --scratch-path .build-asan --sanitize=address
	$(SANITIZER_ENV) LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp \
		$(SWIFT) test --skip-build --scratch-path .build-asan --sanitize=address

# Micro-benchmarks of the engine's inner loops (ordo-one/benchmark; see Benchmarks/README.md).
bench-micro: deps
	$(SWIFT) package benchmark --target LSMMicroBenchmarks --no-progress

# Every libFuzzer target in turn for SECONDS each (see Fuzz/run.sh and docs/design.md, Fuzzing).
SECONDS ?= 30
FUZZ_TARGETS := FuzzSegment FuzzSegmentMutation FuzzWAL FuzzManifest FuzzBlock FuzzProof FuzzObjects FuzzS3XML FuzzRouter

fuzz: deps
	@for t in $(FUZZ_TARGETS); do Fuzz/run.sh $$t $(SECONDS) || exit 1; done

clean:
	rm -rf .build .build-fuzz .build-tsan .build-asan
