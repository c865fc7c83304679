#!/usr/bin/env bash
# Fuzz/run.sh TARGET SECONDS — builds TARGET with libFuzzer and ASan into
# .build-fuzz, fuzzes it for SECONDS from a temporary copy of its seed corpus
# (Fuzz/corpus/TARGET) with its dictionary (Fuzz/dict/TARGET.dict, if any), and
# exits non-zero, printing the artifact's path, if libFuzzer saved a crash.
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 TARGET SECONDS" >&2
    exit 2
fi
target=$1
seconds=$2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
SCRIBE_FUZZ=1 swift build --scratch-path .build-fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
    --product "$target"
binary=$(SCRIBE_FUZZ=1 swift build --scratch-path .build-fuzz --show-bin-path)/$target
work=$(mktemp -d "/tmp/scribe-fuzz-$target.XXXXXX")
mkdir -p "$work/corpus" "$work/artifacts"
if [ -d "Fuzz/corpus/$target" ]; then cp "Fuzz/corpus/$target"/* "$work/corpus/"; fi
dict=()
if [ -f "Fuzz/dict/$target.dict" ]; then dict=("-dict=Fuzz/dict/$target.dict"); fi
status=0
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" "${dict[@]}" -max_total_time="$seconds" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 || status=$?
artifacts=$(ls -A "$work/artifacts")
if [ -n "$artifacts" ] || [ "$status" -ne 0 ]; then
    echo "$target: libFuzzer exited with $status; artifacts:" >&2
    for a in $artifacts; do echo "$work/artifacts/$a" >&2; done
    exit 1
fi
rm -rf "$work"
echo "$target: no crash in $seconds s"
