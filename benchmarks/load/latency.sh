#!/usr/bin/env bash
# Latency at a constant rate with two kinds of arrivals, alternating the empty handler and
# AirflowGuard (both Native AOT, as run.sh): "together", one h2load whose connections fire in one
# burst every 10 ms (run.sh's figure), and "staggered", the same connections split over GROUPS h2load
# processes started 10/GROUPS ms apart, as independent callers (the API server's) arrive. Prints
# medians (min–max) of p50 / p99 over the rounds.
#
# Usage: benchmarks/load/latency.sh [--seconds N] [--rounds N] [--rates LIST] [--groups G]
#          [--review FILE] [--endpoint E] [--product BIN] [--baseline BIN]
#   (5 s, 3 rounds, 1000,5000 req/s, 10 groups, the medium review, validate; binaries as floor.sh)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
SECONDS_PER_RUN=5 ROUNDS=3 RATES=1000,5000 GROUPS_STAGGERED=10 REVIEW=benchmarks/load/scheduler-review.json ENDPOINT=validate
PRODUCT_BIN=artifacts/aot/airflowguard BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --rates) RATES=$2 ;;
    --groups) GROUPS_STAGGERED=$2 ;;
    --review) REVIEW=$2 ;;
    --endpoint) ENDPOINT=$2 ;;
    *) load_option "$1" "${2:-}" ;;
  esac
  shift 2
done
ensure_tools h2load:nghttp2-client curl:curl
WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
publish_missing

RAW=$WORK/raw.tsv
: >"$RAW"
for round in $(seq "$ROUNDS"); do
  for side in baseline product; do
    start_server "$side"
    for rate in ${RATES//,/ }; do
      for arrivals in together staggered; do
        groups=1; [ "$arrivals" = staggered ] && groups=$GROUPS_STAGGERED
        read -r achieved p50 _ p99 _ errors <<<"$(H2LOAD_GROUPS=$groups constant_rate "$side" "$ENDPOINT" "$REVIEW" "$rate" "$SECONDS_PER_RUN")"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$side" "$rate" "$arrivals" "$round" "$p50" "$p99" "$errors" >>"$RAW"
        printf 'round %s %-8s %5s req/s %-9s achieved %6.0f, p50 %5.2f ms, p99 %5.2f ms, %s errors\n' \
          "$round" "$side" "$rate" "$arrivals" "$achieved" "$(awk -v v="$p50" 'BEGIN { print v / 1000 }')" "$(awk -v v="$p99" 'BEGIN { print v / 1000 }')" "$errors"
      done
    done
    stop_server
  done
done
echo
echo "command: benchmarks/load/latency.sh --seconds $SECONDS_PER_RUN --rounds $ROUNDS --rates $RATES --groups $GROUPS_STAGGERED --review $REVIEW --endpoint $ENDPOINT ($(source_revision))"
python3 - "$RAW" <<'PY'
import statistics, sys
rows = [line.split('\t') for line in open(sys.argv[1]).read().splitlines()]
def cell(values):
    values = [v / 1000 for v in values]
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
print("| rate, req/s | arrivals | empty handler p50 / p99, ms | AirflowGuard p50 / p99, ms | errors |")
print("|---:|---|---|---|---:|")
for rate in dict.fromkeys(r[1] for r in rows):
    for arrivals in ("together", "staggered"):
        def of(side, i):
            return [float(r[i]) for r in rows if r[0] == side and r[1] == rate and r[2] == arrivals]
        errors = sum(int(r[6]) for r in rows if r[1] == rate and r[2] == arrivals)
        print(f"| {int(rate):,} | {arrivals} | {cell(of('baseline', 4))} / {cell(of('baseline', 5))} | {cell(of('product', 4))} / {cell(of('product', 5))} | {errors} |")
PY
