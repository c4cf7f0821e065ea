#!/usr/bin/env bash
# The engine alone in the Native AOT binary, two commits side by side: AirflowGuard.EngineLoop
# (PolicyEngine.Evaluate on EvaluationBenchmarks' scheduler pod, bundled pack, one thread, in a loop)
# published against this tree's engine and against REF's (from a temporary git worktree), then run
# alternately (REF, this tree, REF, …). Prints µs per evaluate, min and median (max) of the rounds,
# and bytes allocated per evaluate, for each side. The minimum is the figure least moved by other
# work on the machine; compare the two sides of one run, not runs.
#
# With --expression POLICY, one rule of the CEL cookbook instead (the expression alone, its airflow
# view built for the pod on each call; see AirflowGuard.EngineLoop). With --handler validate|mutate,
# the webhook's whole admission handler on a review from benchmarks/load (--review small, medium or
# large), without the network; each round then also times the floor's handler work on that review
# (every token read, as the tokenize-only server does) and prints the ratio to it.
#
# With --instructions, each side's instructions per call instead of its time: the loop run under valgrind
# (cachegrind, no cache model) with 500 calls and with 1,500 after the same warm-up, and the difference divided by
# 1,000. The count is the same from run to run within 0.7% (the text pool's hash seed is drawn per process), so
# a change of 1% shows, where timed rounds on these machines move by 5-10%; it says nothing of cache misses, which
# the timed rounds include. One run is enough; --rounds and --seconds are ignored.
#
# Usage: benchmarks/engine/ab.sh [--rounds N] [--seconds S] [--instructions] [--expression POLICY | --handler ENDPOINT [--review SIZE]] REF
#        (8 rounds of 3 s; REF: a commit)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
ROUNDS=8 SECONDS_PER_RUN=3 REF="" LOOP=() REVIEW=(--review medium) WHAT="µs per evaluate" COUNT=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --instructions) COUNT=true ;;
    --expression) LOOP=(--expression "$2"); shift ;;
    --handler) LOOP=(--handler "$2"); WHAT='µs per request'; shift ;;
    --review) REVIEW=(--review "$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) REF=$1 ;;
  esac
  shift
done
[ -n "$REF" ] || { echo "which commit to compare with? (see --help)" >&2; exit 2; }
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
HARNESS=benchmarks/AirflowGuard.EngineLoop
WORK=$(mktemp -d)
cleanup() { git worktree remove --force "$WORK/ref" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

git worktree add --detach -q "$WORK/ref" "$REF"
# the same harness and fixture on both sides; only the engine differs
rm -rf "$WORK/ref/$HARNESS"
cp -r "$HARNESS" "$WORK/ref/$HARNESS"
rm -rf "$WORK/ref/$HARNESS/bin" "$WORK/ref/$HARNESS/obj"
cp benchmarks/AirflowGuard.Benchmarks/Fixtures/scheduler-pod.yaml "$WORK/ref/benchmarks/AirflowGuard.Benchmarks/Fixtures/"
cp policies/examples/cel-cookbook.yaml "$WORK/ref/policies/examples/"
cp benchmarks/load/small-review.json benchmarks/load/scheduler-review.json benchmarks/load/large-review.json "$WORK/ref/benchmarks/load/"
echo "publishing the loop (Native AOT) against $REF's engine and this tree's"
publish_aot "$WORK/ref/$HARNESS/AirflowGuard.EngineLoop.csproj" "$WORK/old"
publish_aot "$HARNESS/AirflowGuard.EngineLoop.csproj" "$WORK/new"

SIDES=(old new)
[ "${LOOP[0]:-}" = --handler ] && SIDES+=(floor)
label_of() { case $1 in old) echo "$REF" ;; new) echo "this tree" ;; floor) echo "tokenizing the review (the floor's handler)" ;; esac; }

if $COUNT; then
  ensure_tools valgrind:valgrind
  # valgrind gives up on a Native AOT binary's debug file (.dbg beside it): each binary is run from a copy without it
  for side in old new; do mkdir -p "$WORK/$side-bare"; cp "$WORK/$side/AirflowGuard.EngineLoop" "$WORK/$side-bare/"; done
  instructions() { # side N: the whole process's instructions with N calls
    local bin=$WORK/$1-bare/AirflowGuard.EngineLoop args=("${LOOP[@]}")
    [ "$1" = floor ] && bin=$WORK/new-bare/AirflowGuard.EngineLoop args=(--tokenize)
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$bin" 1 "${args[@]}" "${REVIEW[@]}" --calls "$2" 2>&1 \
      | awk '/I *refs:/ { gsub(",", "", $NF); print $NF }'
  }
  echo
  ARGS="${LOOP[*]}"; [ "${LOOP[0]:-}" = --handler ] && ARGS="$ARGS ${REVIEW[*]}"
  echo "command: benchmarks/engine/ab.sh --instructions ${ARGS:+$ARGS }$REF ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', src/ changed'))"
  echo "| side | instructions per call | over $REF |$([ ${#SIDES[@]} -gt 2 ] && echo ' over tokenizing |')"
  echo "|---|---:|---:|$([ ${#SIDES[@]} -gt 2 ] && echo '---:|')"
  declare -A per
  for side in "${SIDES[@]}"; do
    few=$(instructions "$side" 500); many=$(instructions "$side" 1500)
    per[$side]=$(( (many - few) / 1000 ))
  done
  for side in "${SIDES[@]}"; do
    label=$(label_of "$side")
    awk -v l="$label" -v n="${per[$side]}" -v o="${per[old]}" -v f="${per[floor]:-}" \
      'BEGIN { printf "| %s | %d | %.3f |", l, n, n / o; if (f != "") printf " %.2f |", n / f; printf "\n" }'
  done
  exit 0
fi
RAW=$WORK/raw.tsv
for round in $(seq "$ROUNDS"); do
  for side in "${SIDES[@]}"; do
    case $side in
      floor) read -r micros bytes <<<"$("$WORK/new/AirflowGuard.EngineLoop" "$SECONDS_PER_RUN" --tokenize "${REVIEW[@]}")" ;;
      *) read -r micros bytes <<<"$("$WORK/$side/AirflowGuard.EngineLoop" "$SECONDS_PER_RUN" "${LOOP[@]}" "${REVIEW[@]}")" ;;
    esac
    printf '%s\t%s\t%s\n' "$side" "$micros" "$bytes" >>"$RAW"
    printf 'round %s %-5s %8.2f µs %6s B\n' "$round" "$side" "$micros" "$bytes"
  done
done
echo
ARGS="${LOOP[*]}"; [ "${LOOP[0]:-}" = --handler ] && ARGS="$ARGS ${REVIEW[*]}"
echo "command: benchmarks/engine/ab.sh --rounds $ROUNDS --seconds $SECONDS_PER_RUN ${ARGS:+$ARGS }$REF ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', src/ changed'))"
floor=$(sort -t$'\t' -k2,2n "$RAW" | awk -F'\t' '$1 == "floor" { v[n++] = $2 } END { if (n) print v[int((n - 1) / 2)] }')
case "${LOOP[0]:-}" in --handler) what=handler ;; --expression) what=expression ;; *) what=engine ;; esac
echo "| $what | $WHAT, min | median (max) |${floor:+ median / tokenizing |} B per call |"
echo "|---|---:|---:|${floor:+---:|}---:|"
for side in "${SIDES[@]}"; do
  label=$(label_of "$side")
  sort -t$'\t' -k2,2n "$RAW" | awk -F'\t' -v s="$side" -v l="$label" -v f="$floor" '$1 == s { v[n++] = $2; b = $3 }
    END { m = v[int((n - 1) / 2)]; printf "| %s | %.2f | %.2f (%.2f) |", l, v[0], m, v[n - 1]; if (f != "") printf " %.2f |", m / f; printf " %s |\n", b }'
done
