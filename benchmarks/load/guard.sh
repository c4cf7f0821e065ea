#!/usr/bin/env bash
# CI guard against a gross throughput regression of the webhook: a short alternating run of the
# Native AOT AirflowGuard against the Native AOT tokenize-only handler (the load benchmark's empty
# handler with --tokenize: it runs Utf8JsonReader over every token of the body, the floor of any
# webhook that reads the review; see run.sh and floor.sh), medium review (scheduler-review.json),
# /validate, wrk -t2 -c32 at saturation. The figure is the ratio AirflowGuard / tokenize-only of
# each round (each product run against the baseline run just before it), so that a machine busy
# with other work slows both sides alike;
# the median over the rounds is compared with the ratio recorded in guard-reference.txt.
#
# It fails only when the median is below half of the recorded ratio, and only after a second set
# of rounds agrees (the median over all of them), and only when the best AirflowGuard run against
# the best tokenize-only run is below half too: a noisy two-core machine moves single rounds by
# tens of percent (seen: 0.095 to 0.232 in five rounds with a busy loop on one core), the median
# much less, and it only ever slows runs down, so the best runs are the least disturbed. It also fails when AirflowGuard does not allow the review or
# answers errors. It is not a benchmark: its figures are printed, never recorded, except with
# --record, which runs more rounds and writes the median as the new reference (do that after a
# change that moves the ratio on purpose, and commit the file).
#
# Usage: benchmarks/load/guard.sh [--product BIN] [--baseline BIN] [--seconds N] [--rounds N] [--record]
#   (defaults: artifacts/aot/airflowguard, artifacts/aot-baseline/AirflowGuard.LoadBaseline,
#   published when missing; 3 s runs after a 1 s warm-up; 3 rounds, 7 with --record)
# Installs wrk with apt-get when missing. About 30 s (a minute when it retries).
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
PRODUCT_BIN=artifacts/aot/airflowguard BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline
SECONDS_PER_RUN=3 ROUNDS='' RECORD=''
while [ $# -gt 0 ]; do
  case "$1" in
    --product) PRODUCT_BIN=$2; shift ;;
    --baseline) BASELINE_BIN=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --record) RECORD=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ROUNDS=${ROUNDS:-$([ -n "$RECORD" ] && echo 7 || echo 3)}
REFERENCE_FILE=benchmarks/load/guard-reference.txt
REVIEW=benchmarks/load/scheduler-review.json
ENDPOINT=validate
# ports of its own, so that it can run beside benchmarks/load/run.sh
PRODUCT_PORT=${PRODUCT_PORT:-18643} MONITORING_PORT=${MONITORING_PORT:-18681} BASELINE_PORT=${BASELINE_PORT:-18644}
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh

begin_run wrk:wrk curl:curl

start_server product
check_allowed "$ENDPOINT" "$REVIEW"
stop_server

RATIOS=() BEST_BASELINE=0 BEST_PRODUCT=0
run_rounds() { # N
  local side result rps errors baseline_rps=""
  for _ in $(seq "$1"); do
    for side in baseline product; do
      BASELINE_ARGS=--tokenize start_server "$side"
      if [ "$side" = baseline ] && ! grep -q 'tokenizing every body' "$WORK/server.err"; then
        echo "$BASELINE_BIN does not know --tokenize (built before it); publish it again: rm -rf $(dirname "$BASELINE_BIN")" >&2
        exit 1
      fi
      result=$(saturation "$side" "$ENDPOINT" "$REVIEW" "$SECONDS_PER_RUN" 1)
      stop_server
      read -r rps _ _ _ _ _ errors <<<"$result"
      if [ "$side" = product ] && awk -v e="$errors" -v r="$rps" -v s="$SECONDS_PER_RUN" 'BEGIN { exit !(e > 0.01 * r * s) }'; then
        echo "AirflowGuard answered $errors errors (socket errors, timeouts or non-2xx) in $SECONDS_PER_RUN s at $rps req/s" >&2
        exit 1
      fi
      if [ "$side" = baseline ]; then
        baseline_rps=$rps
        BEST_BASELINE=$(awk -v a="$BEST_BASELINE" -v b="$rps" 'BEGIN { print (b > a ? b : a) }')
      else
        BEST_PRODUCT=$(awk -v a="$BEST_PRODUCT" -v b="$rps" 'BEGIN { print (b > a ? b : a) }')
        RATIOS+=("$(awk -v p="$rps" -v b="$baseline_rps" 'BEGIN { printf "%.3f", p / b }')")
        printf '  round: tokenize-only %6.0f req/s, AirflowGuard %6.0f req/s, ratio %s\n' "$baseline_rps" "$rps" "${RATIOS[-1]}"
      fi
    done
  done
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "== load guard: AirflowGuard / tokenize-only handler, $(basename "$REVIEW"), /$ENDPOINT, wrk -t2 -c32, $ROUNDS alternating rounds of $SECONDS_PER_RUN s"
run_rounds "$ROUNDS"
MEDIAN=$(median "${RATIOS[@]}")

if [ -n "$RECORD" ]; then
  cat >"$REFERENCE_FILE" <<EOF
# The saturation ratio AirflowGuard / tokenize-only handler that benchmarks/load/guard.sh compares with
# (medium review, /validate, wrk -t2 -c32, both Native AOT; the median of $ROUNDS alternating rounds
# of $SECONDS_PER_RUN s), recorded with \`benchmarks/load/guard.sh --record\` on $(date -u +%Y-%m-%d),
# commit $(source_revision), rounds: ${RATIOS[*]}.
# The guard fails below half of it. Record it again after a change that moves it on purpose.
ratio=$MEDIAN
EOF
  echo "recorded ratio=$MEDIAN in $REFERENCE_FILE"
  exit 0
fi

REFERENCE=$(awk -F= '$1 == "ratio" { print $2 }' "$REFERENCE_FILE")
[ -n "$REFERENCE" ] || { echo "no ratio= line in $REFERENCE_FILE" >&2; exit 1; }
FLOOR=$(awk -v r="$REFERENCE" 'BEGIN { printf "%.3f", r / 2 }')
below() { awk -v m="$1" -v f="$FLOOR" 'BEGIN { exit !(m < f) }'; }
if below "$MEDIAN"; then
  echo "median ratio $MEDIAN is below $FLOOR (half of the recorded $REFERENCE): $ROUNDS more rounds before concluding"
  run_rounds "$ROUNDS"
  MEDIAN=$(median "${RATIOS[@]}")
fi
# other work on the machine only ever slows a run down: the best run of each side is the least
# disturbed, and a real regression lowers their ratio too
BEST=$(awk -v p="$BEST_PRODUCT" -v b="$BEST_BASELINE" 'BEGIN { printf "%.3f", p / b }')
if below "$MEDIAN" && below "$BEST"; then
  echo "FAIL: AirflowGuard made $MEDIAN of the tokenize-only handler's throughput (median of ${#RATIOS[@]} rounds: ${RATIOS[*]};" \
    "best against best $BEST); the recorded ratio is $REFERENCE ($REFERENCE_FILE), and the guard fails below half of it." \
    "A regression on the admission path?" >&2
  exit 1
fi
echo "ok: median ratio $MEDIAN (rounds: ${RATIOS[*]}; best against best $BEST); recorded $REFERENCE, fails below $FLOOR"
