#!/usr/bin/env bash
# S3 upload benchmark: scribe-upload-bench (S3ObjectStore.putFile) against the
# AWS CLI (`aws s3 cp --recursive`), same files, same moto_server, same run.
#
#   Benchmarks/s3-bench.sh [-n FILES] [-s MIB] [-c CONCURRENCY] [--part-size MIB]
#
#   -n FILES        segment-sized files to upload (default 8)
#   -s MIB          size of each file in MiB (default 64)
#   -c CONCURRENCY  files uploaded at once by scribe-upload-bench (default 4)
#   --part-size MIB multipart part size for both tools (default 8)
#
# SCRIBE_UPLOAD_BENCH names another binary to run instead of building the
# release product. Starts moto_server (PyPI moto[server]) on a free loopback
# port, makes FILES random files in a temporary directory, creates one bucket
# per tool, then times `aws s3 cp DIR s3://aws-bucket/ --recursive
# --endpoint-url ...` (multipart threshold and chunk size set to the part size,
# max_concurrent_requests = CONCURRENCY × 4, the AWS CLI's parts in flight) and
# `scribe-upload-bench --concurrency CONCURRENCY --part-concurrency 4`, and prints
# both in MiB/s and their ratio. moto[server], boto3 and awscli are installed
# with pip when missing. moto keeps every object in memory: FILES × MIB × 2 must
# fit in RAM.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FILES=8
SIZE_MIB=64
CONCURRENCY=4
PART_MIB=8

while [ $# -gt 0 ]; do
    case "$1" in
        -n) FILES="$2"; shift 2 ;;
        -s) SIZE_MIB="$2"; shift 2 ;;
        -c) CONCURRENCY="$2"; shift 2 ;;
        --part-size) PART_MIB="$2"; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$FILES$SIZE_MIB$CONCURRENCY$PART_MIB" in
    *[!0-9]*|"") echo "-n, -s, -c and --part-size take whole numbers" >&2; exit 2 ;;
esac

if ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then pip install 'moto[server]' boto3 >&2; fi
if ! command -v aws >/dev/null 2>&1; then pip install awscli >&2; fi

if [ -n "${SCRIBE_UPLOAD_BENCH:-}" ]; then
    BENCH="$SCRIBE_UPLOAD_BENCH"
else
    (cd "$ROOT" && swift build -c release --product scribe-upload-bench >&2)
    BENCH="$ROOT/.build/release/scribe-upload-bench"
fi

WORK="$(mktemp -d /tmp/scribe-s3-bench.XXXXXX)"
MOTO_PID=""
cleanup() {
    if [ -n "$MOTO_PID" ]; then kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
ENDPOINT="http://127.0.0.1:$PORT"
python3 -m moto.server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 200); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null; then break; fi
    sleep 0.1
done

mkdir -p "$WORK/files"
echo "making $FILES files of $SIZE_MIB MiB in $WORK/files" >&2
for i in $(seq 1 "$FILES"); do
    head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/files/$(printf 'segment-%06d.sst' "$i")"
done

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$WORK/aws-config"
cat >"$AWS_CONFIG_FILE" <<CONFIG
[default]
s3 =
    addressing_style = path
    multipart_threshold = ${PART_MIB}MB
    multipart_chunksize = ${PART_MIB}MB
    max_concurrent_requests = $((CONCURRENCY * 4))
CONFIG
aws --endpoint-url "$ENDPOINT" s3 mb s3://aws-bucket >/dev/null
aws --endpoint-url "$ENDPOINT" s3 mb s3://scribe-bucket >/dev/null

now() { python3 -c 'import time; print(time.monotonic())'; }
TOTAL_MIB=$((FILES * SIZE_MIB))

start=$(now)
aws --endpoint-url "$ENDPOINT" s3 cp "$WORK/files" s3://aws-bucket/ --recursive --only-show-errors
end=$(now)
AWS_RATE=$(python3 -c "print(f'{$TOTAL_MIB / ($end - $start):.1f}')")

SCRIBE_OUTPUT=$("$BENCH" --endpoint "$ENDPOINT" --bucket scribe-bucket --access-key test --secret-key test \
    --concurrency "$CONCURRENCY" --part-size "$PART_MIB" --part-concurrency 4 --threshold "$PART_MIB" \
    "$WORK"/files/*)
echo "$SCRIBE_OUTPUT" >&2
SCRIBE_RATE=$(echo "$SCRIBE_OUTPUT" | sed -n 's/^scribe-upload-bench MiB\/s: //p')

python3 - "$ENDPOINT" "$FILES" <<'CHECK'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id="test", aws_secret_access_key="test",
                  region_name="us-east-1")
for bucket in ("aws-bucket", "scribe-bucket"):
    count = s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0)
    if count != int(sys.argv[2]):
        sys.exit(f"{bucket} holds {count} objects, expected {sys.argv[2]}")
CHECK

echo "files: $FILES x $SIZE_MIB MiB, part size $PART_MIB MiB, file concurrency $CONCURRENCY"
echo "aws s3 cp            MiB/s: $AWS_RATE"
echo "scribe-upload-bench  MiB/s: $SCRIBE_RATE"
python3 -c "print(f'ratio scribe/aws: {$SCRIBE_RATE / $AWS_RATE:.2f}')"
