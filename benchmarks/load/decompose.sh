#!/usr/bin/env bash
# What AirflowGuard's CPU per request is made of, against handlers that only cost what they are told
# to: the tokenize-only handler (the floor), the same handler also computing on registers for SPIN µs
# per request, also allocating BYTES per request in small objects held until the answer is written,
# and both; then AirflowGuard. All Native AOT, same runtime settings, alternating rounds, wrk -t2 -c32
# as floor.sh. If tokenize + spin + allocate costs the server about what AirflowGuard does, its CPU
# is the handler's work plus its garbage; the difference between "+ allocate" and the floor is what
# that much garbage costs the whole server (collections, and the caches it pushes Kestrel and TLS out of).
#
# Usage: benchmarks/load/decompose.sh [--spin MICROS] [--allocate BYTES] [--seconds N] [--rounds N]
#          [--size S] [--endpoint E] [--product BIN] [--baseline BIN]
#        (60 µs, 18000 B: about AirflowGuard's handler time and bytes per medium request; 5 s, 3 rounds, medium, validate)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
SPIN=60 ALLOCATE=18000 SECONDS_PER_RUN=5 ROUNDS=3 SIZE=medium ENDPOINT=validate WARMUP=2
PRODUCT_BIN=artifacts/aot/airflowguard BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline
while [ $# -gt 0 ]; do
  case "$1" in
    --spin) SPIN=$2 ;;
    --allocate) ALLOCATE=$2 ;;
    --seconds) SECONDS_PER_RUN=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --size) SIZE=$2 ;;
    --endpoint) ENDPOINT=$2 ;;
    *) load_option "$1" "${2:-}" ;;
  esac
  shift 2
done
begin_run wrk:wrk curl:curl
review=$(review_file "$SIZE") || exit 2

RAW=$WORK/raw.tsv
: >"$RAW"
for round in $(seq "$ROUNDS"); do
  for side in tokenize spin allocate both product; do
    case "$side" in
      tokenize) BASELINE_ARGS=--tokenize start_server baseline ;;
      spin) BASELINE_ARGS="--tokenize --spin $SPIN" start_server baseline ;;
      allocate) BASELINE_ARGS="--tokenize --allocate $ALLOCATE" start_server baseline ;;
      both) BASELINE_ARGS="--tokenize --spin $SPIN --allocate $ALLOCATE" start_server baseline ;;
      product) start_server product ;;
    esac
    if [ "$side" != product ] && [ "$side" != tokenize ] && ! grep -q 'per request' "$WORK/server.err"; then
      echo "$BASELINE_BIN does not know --spin and --allocate (built before them); publish it again: rm -rf $(dirname "$BASELINE_BIN")" >&2
      exit 1
    fi
    url_side=baseline; [ "$side" = product ] && url_side=product
    read -r rps cpu _ <<<"$(saturation "$url_side" "$ENDPOINT" "$review" "$SECONDS_PER_RUN" "$WARMUP")"
    stop_server
    printf '%s\t%s\t%s\t%s\n' "$round" "$side" "$rps" "$cpu" >>"$RAW"
    printf 'round %s %-8s %6.0f req/s %7.1f µs CPU/request\n' "$round" "$side" "$rps" "$cpu"
  done
done
echo
echo "command: benchmarks/load/decompose.sh --spin $SPIN --allocate $ALLOCATE --seconds $SECONDS_PER_RUN --rounds $ROUNDS --size $SIZE --endpoint $ENDPOINT ($(source_revision))"
python3 - "$RAW" "$SPIN" "$ALLOCATE" <<'PY'
import statistics, sys
rows = [line.split('\t') for line in open(sys.argv[1]).read().splitlines()]
spin, allocate = sys.argv[2], int(sys.argv[3])
names = {"tokenize": "tokenize-only", "spin": f"+ {spin} µs on registers", "allocate": f"+ {allocate:,} B allocated",
         "both": "+ both", "product": "AirflowGuard"}
by = {}
for rnd, side, rps, cpu in rows:
    by.setdefault(rnd, {})[side] = (float(rps), float(cpu))
rounds = [v for v in by.values() if len(v) == len(names)]
print("| handler | req/s | CPU µs per request | over tokenize-only, µs (paired rounds) |")
print("|---|---:|---:|---:|")
for side, name in names.items():
    rps = statistics.median(v[side][0] for v in rounds)
    cpus = [v[side][1] for v in rounds]
    over = [v[side][1] - v["tokenize"][1] for v in rounds]
    print(f"| {name} | {rps:,.0f} | {statistics.median(cpus):.0f} ({min(cpus):.0f}–{max(cpus):.0f}) | "
          + ("" if side == "tokenize" else f"{statistics.median(over):+.0f} ({min(over):+.0f} to {max(over):+.0f})") + " |")
PY
