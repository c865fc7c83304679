#!/usr/bin/env bash
# Runs RocksDB's db_bench and scribe-bench with identical flags and prints a
# comparison table: throughput, peak RSS and on-disk size per workload.
#
#   Benchmarks/compare-rocksdb.sh [WORKLOAD ...] [--flag=value ...] [--baseline=PATH]
#
# --baseline=PATH also runs PATH, another build of scribe-bench (say, one copied
# aside before a change), in the same run with the same flags, and adds its
# throughput and the ratio of this build to it: before and after against one anchor.
#
# Workloads default to: fillseq fillrandom overwrite readrandom readseq fillsync.
# Every workload that needs data runs after a fill in the same process
# (fillrandom for random reads and overwrites, fillseq for scans); only
# WORKLOAD's result line is compared.
# fillsync runs with --threads=16 --sync=1 --num=20000 appended.
# Flags are passed to both tools after the defaults below (the last one wins).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
    $SUDO apt-get update
    $SUDO apt-get install -y "$@"
}

command -v db_bench >/dev/null 2>&1 || apt_install rocksdb-tools
[ -x /usr/bin/time ] || apt_install time

echo "building scribe-bench (release)..." >&2
(cd "$ROOT" && swift build -c release --product scribe-bench >&2)
SCRIBE_BENCH="$ROOT/.build/release/scribe-bench"
DB_BENCH="$(command -v db_bench)"

DEFAULT_FLAGS=(--num=1000000 --key_size=16 --value_size=100 --compression_type=lz4 --bloom_bits=10 --cache_size=536870912)
WORKLOADS=()
EXTRA_FLAGS=()
SCRIBE_ONLY_FLAGS=()
BASELINE=""
for argument in "$@"; do
    case "$argument" in
        --baseline=*) BASELINE="${argument#--baseline=}" ;;
        --history_policy=*) SCRIBE_ONLY_FLAGS+=("$argument") ;;
        -*) EXTRA_FLAGS+=("$argument") ;;
        *) WORKLOADS+=("$argument") ;;
    esac
done
if [ -n "$BASELINE" ] && [ ! -x "$BASELINE" ]; then
    echo "--baseline=$BASELINE is not an executable scribe-bench" >&2
    exit 2
fi
if [ ${#WORKLOADS[@]} -eq 0 ]; then
    WORKLOADS=(fillseq fillrandom overwrite readrandom readseq fillsync)
fi

# The --benchmarks list for a workload: fills run alone; random reads and
# overwrites follow fillrandom (keys in random order, as after real use);
# sequential scans follow fillseq.
benchmark_list() {
    case "$1" in
        fillseq|fillrandom|fillsync) echo "$1" ;;
        readrandom|overwrite|seekrandom|readwhilewriting|deleterandom) echo "fillrandom,$1" ;;
        *) echo "fillseq,$1" ;;
    esac
}

# Flags a workload adds after the shared ones.
workload_flags() {
    case "$1" in
        fillsync) echo "--threads=16 --sync=1 --num=20000" ;;
        *) echo "" ;;
    esac
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/compare-rocksdb.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# run TOOL WORKLOAD -> prints "ops_per_sec rss_kib disk_bytes"
run_one() {
    local tool="$1" workload="$2" binary dir
    local -a own=()
    case "$tool" in
        rocksdb) binary="$DB_BENCH" ;;
        scribe) binary="$SCRIBE_BENCH"; own=(${SCRIBE_ONLY_FLAGS[@]+"${SCRIBE_ONLY_FLAGS[@]}"}) ;;
        baseline) binary="$BASELINE"; own=(${SCRIBE_ONLY_FLAGS[@]+"${SCRIBE_ONLY_FLAGS[@]}"}) ;;
    esac
    dir="$(mktemp -d "$WORK/$tool-$workload.XXXXXX")"
    local -a extra
    read -r -a extra <<<"$(workload_flags "$workload")"
    if ! /usr/bin/time -f %M -o "$dir/rss" "$binary" --benchmarks="$(benchmark_list "$workload")" \
        "${DEFAULT_FLAGS[@]}" ${EXTRA_FLAGS[@]+"${EXTRA_FLAGS[@]}"} ${extra[@]+"${extra[@]}"} ${own[@]+"${own[@]}"} --db="$dir/db" \
        >"$dir/out" 2>"$dir/err"; then
        echo "$tool $workload failed:" >&2
        tail -n 20 "$dir/err" >&2
        echo "- - -"
        return
    fi
    local line ops rss disk
    line="$(grep -E "^$workload +:" "$dir/out" | tail -n 1)"
    echo "$tool: $line" >&2
    ops="$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "ops/sec") { print $i; exit } }' <<<"$line")"
    rss="$(tail -n 1 "$dir/rss")"
    disk="$(du -sb "$dir/db" | cut -f1)"
    rm -rf "$dir"
    echo "${ops:--} $rss $disk"
}

mib() { awk -v v="$1" 'BEGIN { if (v == "-") print "-"; else printf "%.1f", v / 1048576 }'; }

ROWS=()
TOOLS=(rocksdb scribe)
if [ -n "$BASELINE" ]; then TOOLS+=(baseline); fi
turn=0
for workload in "${WORKLOADS[@]}"; do
    echo "== $workload" >&2
    # Rotate which tool goes first so none always gets the warmer page cache.
    b_ops="-"
    for ((i = 0; i < ${#TOOLS[@]}; i++)); do
        tool="${TOOLS[$(((turn + i) % ${#TOOLS[@]}))]}"
        read -r ops rss disk <<<"$(run_one "$tool" "$workload")"
        case "$tool" in
            rocksdb) r_ops=$ops r_rss=$rss r_disk=$disk ;;
            scribe) s_ops=$ops s_rss=$rss s_disk=$disk ;;
            baseline) b_ops=$ops ;;
        esac
    done
    turn=$((turn + 1))
    ratio="$(awk -v s="$s_ops" -v r="$r_ops" 'BEGIN { if (s == "-" || r == "-" || r == 0) print "-"; else printf "%.2f", s / r }')"
    b_ratio="$(awk -v s="$s_ops" -v b="$b_ops" 'BEGIN { if (s == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", s / b }')"
    r_rss_mib="$(awk -v v="$r_rss" 'BEGIN { if (v == "-") print "-"; else printf "%.1f", v / 1024 }')"
    s_rss_mib="$(awk -v v="$s_rss" 'BEGIN { if (v == "-") print "-"; else printf "%.1f", v / 1024 }')"
    ROWS+=("$workload|$r_ops|$s_ops|$ratio|$r_rss_mib|$s_rss_mib|$(mib "$r_disk")|$(mib "$s_disk")|$b_ops|$b_ratio")
done

echo
echo "flags: ${DEFAULT_FLAGS[*]} ${EXTRA_FLAGS[*]+${EXTRA_FLAGS[*]}} (scribe-bench only: ${SCRIBE_ONLY_FLAGS[*]:-none})"
printf '%-12s | %13s | %13s | %6s | %15s | %14s | %16s | %15s' \
    workload "rocksdb ops/s" "scribe ops/s" ratio "rocksdb RSS MiB" "scribe RSS MiB" "rocksdb disk MiB" "scribe disk MiB"
if [ -n "$BASELINE" ]; then printf ' | %14s | %9s' "baseline ops/s" "÷baseline"; fi
printf '\n%s' "-------------|---------------|---------------|--------|-----------------|----------------|------------------|----------------"
if [ -n "$BASELINE" ]; then printf '%s' "|----------------|-----------"; fi
printf '\n'
for row in "${ROWS[@]}"; do
    IFS='|' read -r w r s ratio rr sr rd sd b bratio <<<"$row"
    printf '%-12s | %13s | %13s | %6s | %15s | %14s | %16s | %15s' "$w" "$r" "$s" "$ratio" "$rr" "$sr" "$rd" "$sd"
    if [ -n "$BASELINE" ]; then printf ' | %14s | %9s' "$b" "$bratio"; fi
    printf '\n'
done
