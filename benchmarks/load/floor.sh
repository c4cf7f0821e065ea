#!/usr/bin/env bash
# The floor under the saturation targets: the empty handler (reads the body, fixed answer), the
# same handler tokenizing the whole body with Utf8JsonReader (the least any handler that reads the
# review pays), and AirflowGuard, alternating (empty, tokenize, product, empty, …), all Native AOT,
# wrk -t2 -c32 as run.sh. Prints, per review, each side's req/s and server CPU per request and the
# ratios to the empty handler: medians (min–max) of the rounds. With --previous BIN, a fourth side: an
# earlier AirflowGuard binary, to compare two builds in the same alternating run.
#
# Usage: benchmarks/load/floor.sh [--seconds N] [--rounds N] [--sizes LIST] [--endpoint E]
#          [--product BIN] [--baseline BIN] [--previous BIN]      (6 s, 3 rounds, medium,large, validate;
#          binaries default to artifacts/aot/airflowguard and artifacts/aot-baseline, published when missing)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
SECONDS_PER_RUN=6 ROUNDS=3 SIZES=medium,large ENDPOINT=validate WARMUP=2
PRODUCT_BIN=artifacts/aot/airflowguard BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline PREVIOUS_BIN=''
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --sizes) SIZES=$2 ;;
    --endpoint) ENDPOINT=$2 ;;
    --previous) PREVIOUS_BIN=$2 ;;
    *) load_option "$1" "${2:-}" ;;
  esac
  shift 2
done
begin_run wrk:wrk curl:curl

RAW=$WORK/raw.tsv
: >"$RAW"
for size in ${SIZES//,/ }; do
  review=$(review_file "$size") || exit 2
  for round in $(seq "$ROUNDS"); do
    for side in empty tokenize ${PREVIOUS_BIN:+previous} product; do
      case "$side" in
        empty) BASELINE_ARGS='' start_server baseline; url_side=baseline ;;
        tokenize)
          BASELINE_ARGS=--tokenize start_server baseline; url_side=baseline
          if ! grep -q 'tokenizing every body' "$WORK/server.err"; then
            echo "$BASELINE_BIN does not know --tokenize (built before it); publish it again: rm -rf $(dirname "$BASELINE_BIN")" >&2
            exit 1
          fi ;;
        product) start_server product; url_side=product ;;
        previous) PRODUCT_BIN=$PREVIOUS_BIN start_server product; url_side=product ;;
      esac
      read -r rps cpu _ <<<"$(saturation "$url_side" "$ENDPOINT" "$review" "$SECONDS_PER_RUN" "$WARMUP")"
      stop_server
      printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$round" "$side" "$rps" "$cpu" >>"$RAW"
      printf '%s round %s %-8s %6.0f req/s %7.1f µs CPU/request\n' "$size" "$round" "$side" "$rps" "$cpu"
    done
  done
done
echo
echo "command: benchmarks/load/floor.sh --seconds $SECONDS_PER_RUN --rounds $ROUNDS --sizes $SIZES --endpoint $ENDPOINT${PREVIOUS_BIN:+ --previous $PREVIOUS_BIN} ($(source_revision))"
python3 - "$RAW" <<'PY'
import statistics, sys
rows = [line.split('\t') for line in open(sys.argv[1]).read().splitlines()]
sides = list(dict.fromkeys(r[2] for r in rows))
def spread(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"
above = [s for s in sides if s not in ("empty", "tokenize")]
print("| review | " + " | ".join(f"{s} req/s" for s in sides) + " | " + " | ".join(f"{s} / empty" for s in sides[1:]) + " | "
      + " | ".join(f"{s} / tokenize" for s in above) + " | CPU µs per request, " + " / ".join(sides) + " | "
      + " | ".join(f"{s} CPU / tokenize CPU" for s in above) + " |")
print("|---|" + "---:|" * (2 * len(sides) - 1 + len(above)) + "---|" + "---:|" * len(above))
for size in dict.fromkeys(r[0] for r in rows):
    by = {}
    for s, rnd, side, rps, cpu in (r for r in rows if r[0] == size):
        by.setdefault(rnd, {})[side] = (float(rps), float(cpu))
    rounds = [v for v in by.values() if len(v) == len(sides)]
    med = lambda side, i: statistics.median(v[side][i] for v in rounds)
    print(f"| {size} | " + " | ".join(f"{med(s, 0):,.0f}" for s in sides) + " | "
          + " | ".join(spread([v[s][0] / v['empty'][0] for v in rounds]) for s in sides[1:]) + " | "
          + " | ".join(spread([v[s][0] / v['tokenize'][0] for v in rounds]) for s in above) + " | "
          + " / ".join(f"{med(s, 1):.0f}" for s in sides) + " | "
          + " | ".join(spread([v[s][1] / v['tokenize'][1] for v in rounds]) for s in above) + " |")
PY
