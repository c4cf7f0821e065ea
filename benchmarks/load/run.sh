#!/usr/bin/env bash
# Load benchmark of what ships: `airflowguard serve --dev` published as Native AOT (the Dockerfile's
# command) against an empty Kestrel handler published the same way with the same TLS, Kestrel
# limits and runtime settings (benchmarks/AirflowGuard.LoadBaseline: reads the body, returns a
# fixed AdmissionReview). HTTP/1.1 keep-alive over TLS, as the API server calls webhooks.
#
# For each review (small 2 KB task pod, medium 5.6 KB scheduler pod, large 208 KB pod with 45
# containers) and endpoint (/validate, /mutate), ROUNDS rounds alternate a fresh baseline server,
# the same handler tokenizing every body with Utf8JsonReader (--tokenize: the least any handler that
# reads the review pays, the floor issue 27's targets stand against; saturation only) and a fresh
# AirflowGuard server (baseline, tokenize, product, baseline, …), each measured with:
#   - saturation: wrk -t2 -c32 (post.lua), SECONDS after a WARMUP s warm-up;
#   - server CPU per request: utime + stime of the server (/proc/PID/stat) over the wrk run,
#     divided by the requests wrk completed;
#   - memory: VmHWM (peak, reset before the wrk run) and VmRSS after it (/proc/PID/status);
#   - latency at a constant rate: h2load --h1 with RATE/100 connections sending 100 requests/s
#     each, SECONDS after a 1 s warm-up, percentiles from its per-request log.
# Ratios are taken per round (product / the baseline and tokenize runs just before it); the table gives
# medians and min–max. Decision logging stays on, as in production (stdout to /dev/null).
#
# Usage: benchmarks/load/run.sh [options]
#   --seconds N        measured seconds of each wrk and h2load run (10)
#   --warmup N         wrk warm-up seconds before each measured run (2)
#   --rounds N         alternating rounds (3)
#   --sizes LIST       small,medium,large
#   --endpoints LIST   validate,mutate
#   --rates LIST       constant rates for the small and medium reviews, req/s (1000,5000)
#   --large-rates LIST constant rates for the large review, req/s (100); "" for none
#   --out DIR          where raw.tsv and results.md go (artifacts/load)
#   --product BIN, --baseline BIN   use these binaries instead of publishing them to artifacts/aot
#                      and artifacts/aot-baseline (where .ci/run and guard.sh have them)
# A bare number as the first argument is --seconds. Installs wrk and h2load (nghttp2-client) with
# apt-get when missing. Takes about 19 minutes with the defaults (about 6.3 × rounds × (seconds + 2)
# seconds more generally, plus the two publishes).
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
COMMAND="benchmarks/load/run.sh${*:+ $*}"
SECONDS_PER_RUN=10 WARMUP=2 ROUNDS=3 SIZES=small,medium,large ENDPOINTS=validate,mutate
RATES=1000,5000 LARGE_RATES=100 OUT=artifacts/load PRODUCT_BIN='' BASELINE_BIN=''
if [[ ${1:-} =~ ^[0-9]+$ ]]; then SECONDS_PER_RUN=$1; shift; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2 ;;
    --warmup) WARMUP=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --sizes) SIZES=$2 ;;
    --endpoints) ENDPOINTS=$2 ;;
    --rates) RATES=$2 ;;
    --large-rates) LARGE_RATES=$2 ;;
    --out) OUT=$2 ;;
    *) load_option "$1" "${2:-}" ;;
  esac
  shift 2
done

ensure_tools wrk:wrk h2load:nghttp2-client curl:curl
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
if [ -z "$PRODUCT_BIN" ]; then
  echo "== publishing AirflowGuard (Native AOT) to artifacts/aot"
  publish_aot "$PRODUCT_PROJECT" artifacts/aot
  PRODUCT_BIN=artifacts/aot/airflowguard
fi
if [ -z "$BASELINE_BIN" ]; then
  echo "== publishing the empty handler (Native AOT) to artifacts/aot-baseline"
  publish_aot "$BASELINE_PROJECT" artifacts/aot-baseline
  BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline
fi

# every review is allowed by the bundled pack: the benchmark measures the normal path
start_server product
for size in ${SIZES//,/ }; do
  for endpoint in ${ENDPOINTS//,/ }; do check_allowed "$endpoint" "$(review_file "$size")"; done
done
stop_server

RAW=$OUT/raw.tsv
printf 'size\tendpoint\tmetric\tside\tround\tvalue\n' >"$RAW"
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$endpoint" "$1" "$side" "$round" "$2" >>"$RAW"; }
started=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for size in ${SIZES//,/ }; do
  review=$(review_file "$size")
  rates=$RATES; [ "$size" = large ] && rates=$LARGE_RATES
  for endpoint in ${ENDPOINTS//,/ }; do
    for round in $(seq "$ROUNDS"); do
      for side in baseline tokenize product; do
        case "$side" in
          tokenize) BASELINE_ARGS=--tokenize start_server baseline; url_side=baseline ;;
          *) BASELINE_ARGS='' start_server "$side"; url_side=$side ;;
        esac
        result=$(saturation "$url_side" "$endpoint" "$review" "$SECONDS_PER_RUN" "$WARMUP")
        read -r rps cpu hwm rss p50 p99 errors <<<"$result"
        record rps "$rps"; record cpu_us "$cpu"; record hwm_kib "$hwm"; record rss_kib "$rss"
        record wrk_p50_us "$p50"; record wrk_p99_us "$p99"; record errors "$errors"
        line="$size /$endpoint round $round $side: $(printf '%.0f' "$rps") req/s, $(printf '%.0f' "$cpu") µs CPU/request, peak RSS $((hwm / 1024)) MiB"
        # the tokenize-only handler is the floor for throughput and CPU; latency at a rate is compared with the empty one
        [ "$side" = tokenize ] && rates_now='' || rates_now=$rates
        for rate in ${rates_now//,/ }; do
          result=$(constant_rate "$side" "$endpoint" "$review" "$rate" "$SECONDS_PER_RUN")
          read -r achieved c50 c90 c99 cmax cerrors <<<"$result"
          record "rate${rate}_achieved" "$achieved"; record "rate${rate}_p50_us" "$c50"
          record "rate${rate}_p90_us" "$c90"; record "rate${rate}_p99_us" "$c99"
          record "rate${rate}_max_us" "$cmax"; record "rate${rate}_errors" "$cerrors"
          line+=", p99 at $rate/s $(awk -v v="$c99" 'BEGIN { printf "%.2f", v / 1000 }') ms"
        done
        stop_server
        if [ "$errors" -gt 0 ]; then line+=", $errors errors"; fi
        echo "$line"
      done
    done
  done
done

python3 benchmarks/load/summarize.py "$RAW" \
  --command "$COMMAND" \
  --commit "$(source_revision)" \
  --machine "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)" \
  --tools "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(h2load --version | head -1), .NET SDK $(dotnet --version 2>/dev/null || echo '?')" \
  --settings "$SECONDS_PER_RUN s per run after a $WARMUP s warm-up, $ROUNDS rounds, $(( $(date +%s) - started )) s in all" \
  >"$OUT/results.md"
echo
cat "$OUT/results.md"
echo
echo "written: $OUT/results.md (raw samples: $RAW)"
