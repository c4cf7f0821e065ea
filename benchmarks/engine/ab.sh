#!/usr/bin/env bash
# The engine alone in the Native AOT binary, two commits side by side: AirflowGuard.EngineLoop
# (PolicyEngine.Evaluate on EvaluationBenchmarks' scheduler pod, bundled pack, one thread, in a loop)
# published against this tree's engine and against REF's (from a temporary git worktree), then run
# alternately (REF, this tree, REF, …). Prints µs per evaluate, min and median (max) of the rounds,
# and bytes allocated per evaluate, for each side. The minimum is the figure least moved by other
# work on the machine; compare the two sides of one run, not runs.
#
# With --expression POLICY, one rule of the CEL cookbook instead (the expression alone, its airflow
# view built for the pod on each call; see AirflowGuard.EngineLoop).
#
# Usage: benchmarks/engine/ab.sh [--rounds N] [--seconds S] [--expression POLICY] REF
#        (8 rounds of 3 s; REF: a commit)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
ROUNDS=8 SECONDS_PER_RUN=3 REF='' EXPRESSION=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --seconds) SECONDS_PER_RUN=$2; shift ;;
    --expression) EXPRESSION=(--expression "$2"); shift ;;
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
echo "publishing the loop (Native AOT) against $REF's engine and this tree's"
publish_aot "$WORK/ref/$HARNESS/AirflowGuard.EngineLoop.csproj" "$WORK/old"
publish_aot "$HARNESS/AirflowGuard.EngineLoop.csproj" "$WORK/new"

RAW=$WORK/raw.tsv
for round in $(seq "$ROUNDS"); do
  for side in old new; do
    read -r micros bytes <<<"$("$WORK/$side/AirflowGuard.EngineLoop" "$SECONDS_PER_RUN" "${EXPRESSION[@]}")"
    printf '%s\t%s\t%s\n' "$side" "$micros" "$bytes" >>"$RAW"
    printf 'round %s %-3s %8.2f µs %6s B\n' "$round" "$side" "$micros" "$bytes"
  done
done
echo
echo "command: benchmarks/engine/ab.sh --rounds $ROUNDS --seconds $SECONDS_PER_RUN ${EXPRESSION[*]} $REF ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ', src/ changed'))"
echo "| engine | µs per evaluate, min | median (max) | B per evaluate |"
echo "|---|---:|---:|---:|"
for side in old new; do
  label=$REF; [ "$side" = new ] && label="this tree"
  sort -t$'\t' -k2,2n "$RAW" | awk -F'\t' -v s="$side" -v l="$label" '$1 == s { v[n++] = $2; b = $3 }
    END { printf "| %s | %.2f | %.2f (%.2f) | %s |\n", l, v[0], v[int((n - 1) / 2)], v[n - 1], b }'
done
