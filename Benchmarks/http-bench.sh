#!/usr/bin/env bash
# HTTP benchmark: scribe-node against nginx serving a static file, on this
# machine, in the same run, driven by wrk.
#
#   Benchmarks/http-bench.sh [-d SECONDS] [-c CONNECTIONS] [--nginx-only]
#
#   -d SECONDS      length of each wrk run (default 10)
#   -c CONNECTIONS  concurrent connections (default 64)
#   --nginx-only    only the nginx baseline (checks wrk and nginx without the server)
#
# SCRIBE_NODE and SCRIBE_BENCH name other binaries to run instead of building
# the release products.
#
# Runs, each for -d seconds with -c connections, values of 100 bytes:
#   nginx GET            a 100-byte static file (nginx started as the current user
#                        with a temporary config on a free loopback port)
#   scribe GET           random keys among PRELOAD keys written before the run
#   scribe PUT synced    a distinct key per request, acknowledged after fdatasync
#                        (durability `local`)
#   scribe PUT buffered  the same with `X-Scribe-Durability: buffered`
#   scribe PUT replicated  the same with `X-Scribe-Durability: replicated`, on a
#                        second node whose object store is a moto_server (S3, in
#                        memory, started on a free loopback port): acknowledged once
#                        the WAL batch is an object in the bucket
# then `scribe-bench --benchmarks=fillsync --threads=16 --num=20000`, the engine's
# own synced-write rate without HTTP, and prints requests/s, p50 and p99 latency
# and the ratios scribe GET / nginx GET, scribe PUT synced / engine fillsync and
# scribe PUT replicated / scribe PUT synced.
#
# The server contract: `.build/release/scribe-node --port P --data-dir DIR`
# listens on 127.0.0.1:P, prints `listening on 127.0.0.1:P` when ready and stops
# on SIGTERM; `PUT /kv/{key}` stores the raw body, `GET /kv/{key}` returns it.
# wrk, nginx and curl are installed with apt-get, moto_server with pip, when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION=10
CONNECTIONS=64
NGINX_ONLY=0
PRELOAD=10000
VALUE_SIZE=100

while [ $# -gt 0 ]; do
    case "$1" in
        -d) DURATION="$2"; shift 2 ;;
        -d*) DURATION="${1#-d}"; shift ;;
        -c) CONNECTIONS="$2"; shift 2 ;;
        --nginx-only) NGINX_ONLY=1; shift ;;
        -h|--help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
DURATION="${DURATION%s}"
case "$DURATION$CONNECTIONS" in
    *[!0-9]*|"") echo "-d and -c take whole numbers" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    $SUDO apt-get update >&2
    $SUDO apt-get install -y "${missing[@]}" >&2
fi
if [ "$NGINX_ONLY" -eq 0 ] && ! command -v moto_server >/dev/null 2>&1; then
    echo "installing: moto[server]" >&2
    python3 -m pip install --quiet 'moto[server]' >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
THREADS="$(nproc)"
if [ "$THREADS" -gt "$CONNECTIONS" ]; then THREADS="$CONNECTIONS"; fi

WORK="$(mktemp -d /tmp/scribe-http-bench.XXXXXX)"
# nginx started by root runs its workers as nobody, which must read the file.
chmod 755 "$WORK"
NGINX_PID=""
NODE_PID=""
MOTO_PID=""
cleanup() {
    if [ -n "$NODE_PID" ]; then kill -TERM "$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; fi
    if [ -n "$MOTO_PID" ]; then kill -TERM "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true; fi
    if [ -n "$NGINX_PID" ]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A loopback port nothing listens on.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    echo "no free port found" >&2
    exit 1
}

# Waits until URL answers (any status), up to 30 s.
wait_for_http() {
    for _ in $(seq 1 300); do
        if curl -s -o /dev/null "$1"; then return 0; fi
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}

# A latency as wrk prints it (`635.91us`, `1.20ms`, `2.01s`) in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v == "") { print "-"; exit }
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
        printf "%.3f", n
    }'
}

# run_wrk NAME URL [LUA] -> prints "requests_per_sec p50_ms p99_ms errors"; keeps wrk's output in $WORK/NAME.wrk
run_wrk() {
    local name="$1" url="$2" script="${3:-}" out="$WORK/$1.wrk" rps p50 p99 non2xx socket
    local args=(-t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --latency)
    if [ -n "$script" ]; then args+=(-s "$script"); fi
    echo "running $name for ${DURATION}s..." >&2
    wrk "${args[@]}" "$url" >"$out"
    rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
    socket="$(awk '/Socket errors:/ { s = 0; for (i = 3; i <= NF; i += 2) s += $(i + 1); print s }' "$out")"
    echo "${rps:--} $p50 $p99 $(( ${non2xx:-0} + ${socket:-0} ))"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }

row() { printf "%-30s %12s %10s %10s %8s\n" "$@"; }

# --- nginx: a 100-byte static file -------------------------------------------
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
head -c "$VALUE_SIZE" /dev/zero | tr '\0' 'v' >"$WORK/nginx/www/value"
NGINX_PORT="$(free_port)"
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/www;
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!
wait_for_http "http://127.0.0.1:$NGINX_PORT/value"
[ "$(curl -s "http://127.0.0.1:$NGINX_PORT/value" | wc -c)" -eq "$VALUE_SIZE" ] || { echo "nginx serves the wrong file" >&2; exit 1; }
read -r nginx_rps nginx_p50 nginx_p99 nginx_err <<<"$(run_wrk nginx-get "http://127.0.0.1:$NGINX_PORT/value")"
kill -QUIT "$NGINX_PID"
wait "$NGINX_PID" 2>/dev/null || true
NGINX_PID=""

if [ "$NGINX_ONLY" -eq 1 ]; then
    echo
    row "workload" "requests/s" "p50 ms" "p99 ms" "errors"
    row "nginx GET (static, ${VALUE_SIZE} B)" "$nginx_rps" "$nginx_p50" "$nginx_p99" "$nginx_err"
    exit 0
fi

# --- scribe-node ---------------------------------------------------------------
SCRIBE_NODE="${SCRIBE_NODE:-}"
SCRIBE_BENCH="${SCRIBE_BENCH:-}"
if [ -z "$SCRIBE_NODE" ] || [ -z "$SCRIBE_BENCH" ]; then
    echo "building scribe-node and scribe-bench (release)..." >&2
    (cd "$ROOT" && swift build -c release --product scribe-node >&2 && swift build -c release --product scribe-bench >&2)
fi
SCRIBE_NODE="${SCRIBE_NODE:-$ROOT/.build/release/scribe-node}"
SCRIBE_BENCH="${SCRIBE_BENCH:-$ROOT/.build/release/scribe-bench}"
# start_node NAME [ARGS...]: starts scribe-node with its data in $WORK/NAME-data on a
# free port, waits until it listens; sets NODE_PID and BASE.
start_node() {
    local name="$1" port
    shift
    port="$(free_port)"
    mkdir -p "$WORK/$name-data"
    # The overrides are SCRIBE_* variables, which scribe-node would refuse as unknown keys.
    env -u SCRIBE_NODE -u SCRIBE_BENCH "$SCRIBE_NODE" --port "$port" --data-dir "$WORK/$name-data" "$@" \
        >"$WORK/$name.out" 2>"$WORK/$name.err" &
    NODE_PID=$!
    for _ in $(seq 1 600); do
        grep -q "listening on 127.0.0.1:$port" "$WORK/$name.out" 2>/dev/null && break
        kill -0 "$NODE_PID" 2>/dev/null || { echo "scribe-node exited:" >&2; cat "$WORK/$name.err" >&2; exit 1; }
        sleep 0.1
    done
    grep -q "listening on 127.0.0.1:$port" "$WORK/$name.out" || { echo "scribe-node did not report listening" >&2; exit 1; }
    BASE="http://127.0.0.1:$port"
}

stop_node() {
    kill -TERM "$NODE_PID"
    wait "$NODE_PID" 2>/dev/null || true
    NODE_PID=""
}

start_node node

echo "preloading $PRELOAD keys..." >&2
failed="$(curl -s --no-progress-meter -X PUT -H "Content-Type: application/octet-stream" --data-binary "@$WORK/nginx/www/value" \
    --parallel --parallel-max 32 -o /dev/null -w '%{http_code}\n' "$BASE/kv/g[0-$((PRELOAD - 1))]" | grep -cv '^2' || true)"
[ "$failed" -eq 0 ] || { echo "$failed preload PUTs failed" >&2; exit 1; }
[ "$(curl -s "$BASE/kv/g0" | wc -c)" -eq "$VALUE_SIZE" ] || { echo "GET of a preloaded key is not ${VALUE_SIZE} bytes" >&2; exit 1; }

cat >"$WORK/get.lua" <<EOF
request = function()
    return wrk.format("GET", "/kv/g" .. math.random(0, $((PRELOAD - 1))))
end
EOF
# put.lua TAG HEADER: each wrk thread writes its own key range, one new key per request.
write_put_script() {
    cat >"$WORK/$1.lua" <<EOF
local threads = 0
function setup(thread)
    thread:set("id", threads)
    threads = threads + 1
end
local body = string.rep("v", $VALUE_SIZE)
local headers = { $2 }
local n = 0
function request()
    n = n + 1
    return wrk.format("PUT", "/kv/$1-" .. id .. "-" .. n, headers, body)
end
EOF
}
write_put_script put-synced ""
write_put_script put-buffered '["X-Scribe-Durability"] = "buffered"'
write_put_script put-replicated '["X-Scribe-Durability"] = "replicated"'

read -r get_rps get_p50 get_p99 get_err <<<"$(run_wrk scribe-get "$BASE" "$WORK/get.lua")"
read -r sput_rps sput_p50 sput_p99 sput_err <<<"$(run_wrk scribe-put-synced "$BASE" "$WORK/put-synced.lua")"
read -r bput_rps bput_p50 bput_p99 bput_err <<<"$(run_wrk scribe-put-buffered "$BASE" "$WORK/put-buffered.lua")"
stop_node

# --- scribe-node shipping to moto_server (S3) ----------------------------------
MOTO_PORT="$(free_port)"
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.out" 2>&1 &
MOTO_PID=$!
wait_for_http "http://127.0.0.1:$MOTO_PORT/"
curl -sf -X PUT -o /dev/null "http://127.0.0.1:$MOTO_PORT/bench" || { echo "cannot create the moto bucket" >&2; exit 1; }
start_node s3-node \
    --set storage.s3.endpoint="http://127.0.0.1:$MOTO_PORT" --set storage.s3.bucket=bench \
    --set storage.s3.access_key_id=bench --set storage.s3.secret_access_key=bench \
    --set storage.s3.path_style=true --set storage.s3.prefix=http-bench
code="$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "X-Scribe-Durability: replicated" --data-binary x "$BASE/kv/probe")"
[ "$code" = 200 ] || { echo "a replicated PUT answered $code" >&2; cat "$WORK/s3-node.err" >&2; exit 1; }
read -r rput_rps rput_p50 rput_p99 rput_err <<<"$(run_wrk scribe-put-replicated "$BASE" "$WORK/put-replicated.lua")"
stop_node
kill -TERM "$MOTO_PID"
wait "$MOTO_PID" 2>/dev/null || true
MOTO_PID=""

echo "running scribe-bench fillsync..." >&2
"$SCRIBE_BENCH" --benchmarks=fillsync --threads=16 --num=20000 --db="$WORK/bench-db" >"$WORK/fillsync.out" 2>"$WORK/fillsync.err"
fillsync="$(awk '/^fillsync +:/ { for (i = 1; i < NF; i++) if ($(i + 1) == "ops/sec") { print $i; exit } }' "$WORK/fillsync.out")"
fillsync="${fillsync:--}"

echo
row "workload" "requests/s" "p50 ms" "p99 ms" "errors"
row "nginx GET (static, ${VALUE_SIZE} B)" "$nginx_rps" "$nginx_p50" "$nginx_p99" "$nginx_err"
row "scribe GET (${VALUE_SIZE} B)" "$get_rps" "$get_p50" "$get_p99" "$get_err"
row "scribe PUT synced (${VALUE_SIZE} B)" "$sput_rps" "$sput_p50" "$sput_p99" "$sput_err"
row "scribe PUT buffered (${VALUE_SIZE} B)" "$bput_rps" "$bput_p50" "$bput_p99" "$bput_err"
row "scribe PUT replicated (moto)" "$rput_rps" "$rput_p50" "$rput_p99" "$rput_err"
row "engine fillsync (16 threads)" "$fillsync" "-" "-" "-"
echo
echo "scribe GET / nginx GET:             $(ratio "$get_rps" "$nginx_rps")"
echo "scribe PUT synced / engine fillsync: $(ratio "$sput_rps" "$fillsync")"
echo "scribe PUT replicated / PUT synced:  $(ratio "$rput_rps" "$sput_rps")"
echo "(${CONNECTIONS} connections, ${THREADS} wrk threads, ${DURATION}s per run, $(nproc) cores)"
