#!/usr/bin/env bash
# `check` throughput and memory on generated manifest streams of growing size (generate.py: Airflow
# task, scheduler and triggerer pods with the ConfigMap, StorageClass and claim they refer to),
# with the Native AOT binary that ships (the Dockerfile's publish command), text output.
# Each round runs every size once (5k, 20k, 50k, then again), ROUNDS rounds; the table gives the
# median and min–max of the wall time, the overall rate (pods / wall time, start-up included) and
# the peak RSS (/usr/bin/time's maximum resident set), and the steady-state rate between
# consecutive sizes (extra pods / extra seconds, per round, then the median).
#
# Usage: benchmarks/check/run.sh [--rounds N] [--binary BIN] [--out DIR] [pods…]
#   --rounds N    rounds (3)
#   --binary BIN  this airflowguard instead of publishing one to artifacts/aot
#   --out DIR     where results.md and raw.tsv go (artifacts/check)
#   pods…         stream sizes (5000 20000 50000)
# Needs python3; installs /usr/bin/time (Debian's time) when missing.
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
COMMAND="benchmarks/check/run.sh${*:+ $*}"
ROUNDS=3 BINARY='' OUT=artifacts/check SIZES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --binary) BINARY=$2; shift ;;
    --out) OUT=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) SIZES+=("$1") ;;
  esac
  shift
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(5000 20000 50000)
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
ensure_tools /usr/bin/time:time
if [ -z "$BINARY" ]; then
  echo "== publishing airflowguard (Native AOT) to artifacts/aot"
  publish_aot "$PRODUCT_PROJECT" artifacts/aot
  BINARY=artifacts/aot/airflowguard
fi
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for n in "${SIZES[@]}"; do python3 benchmarks/check/generate.py "$n" >"$WORK/pods-$n.yaml"; done
RAW=$OUT/raw.tsv
printf 'pods\tbytes\tround\tseconds\tmax_rss_kib\n' >"$RAW"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$ROUNDS"); do
  for n in "${SIZES[@]}"; do
    file=$WORK/pods-$n.yaml
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$WORK/rss" "$BINARY" check "$file" --fail-on never >/dev/null
    end=$(date +%s.%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    rss=$(tail -1 "$WORK/rss")
    printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$(stat -c %s "$file")" "$round" "$seconds" "$rss" >>"$RAW"
    printf 'round %d: %6d pods  %6.2f s  %6.0f pods/s  max RSS %4d MiB\n' "$round" "$n" "$seconds" "$(awk -v n="$n" -v s="$seconds" 'BEGIN { print n / s }')" $((rss / 1024))
  done
done

python3 - "$RAW" "$COMMAND" "$("$BINARY" --version 2>/dev/null | head -1 || echo '?')" \
  "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(source_revision)" >"$OUT/results.md" <<'EOF'
import csv, statistics, sys
raw, command, version, machine, commit = sys.argv[1:6]
rows = list(csv.DictReader(open(raw), delimiter="\t"))
sizes = sorted({int(r["pods"]) for r in rows})
by = {(int(r["pods"]), int(r["round"])): r for r in rows}
rounds = sorted({int(r["round"]) for r in rows})
def spread(values, fmt):
    med = statistics.median(values)
    return fmt(med) if len(values) == 1 else f"{fmt(med)} ({fmt(min(values))}–{fmt(max(values))})"
print("# `check` on long manifest streams, Native AOT binary")
print()
print(f"- command: `{command}`")
print(f"- commit: {commit} (airflowguard {version})")
print(f"- machine: {machine}")
print(f"- {len(rounds)} rounds, each size once per round; median (min–max) over the rounds")
print()
print("| pods | input | wall time, s | overall rate, pods/s | max RSS, MiB | steady-state rate, pods/s |")
print("|---:|---:|---:|---:|---:|---:|")
previous = None
for n in sizes:
    secs = [float(by[(n, r)]["seconds"]) for r in rounds if (n, r) in by]
    rss = [int(by[(n, r)]["max_rss_kib"]) / 1024 for r in rounds if (n, r) in by]
    mb = int(by[(n, rounds[0])]["bytes"]) / 1e6
    steady = ""
    if previous is not None:
        marginal = [(n - previous) / (float(by[(n, r)]["seconds"]) - float(by[(previous, r)]["seconds"]))
                    for r in rounds if (n, r) in by and (previous, r) in by
                    and float(by[(n, r)]["seconds"]) > float(by[(previous, r)]["seconds"])]
        steady = spread(marginal, lambda v: f"{v:,.0f}") if marginal else "–"
    print(f"| {n:,} | {mb:.1f} MB | {spread(secs, lambda v: f'{v:.2f}')} | "
          f"{spread([n / s for s in secs], lambda v: f'{v:,.0f}')} | {spread(rss, lambda v: f'{v:.0f}')} | {steady} |")
    previous = n
EOF
echo
cat "$OUT/results.md"
echo
echo "written: $OUT/results.md (raw samples: $RAW)"
