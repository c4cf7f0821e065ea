#!/usr/bin/env bash
# Where AirflowGuard's CPU per request goes beyond the tokenize-only handler's: both Native AOT servers
# at saturation under wrk (-t2 -c32, as floor.sh), one after the other. For each, `perf stat` gives the
# server's CPU per request, then `perf record -g` samples its stacks; each sample is put in one part
# (the handler, the TLS read and what Kestrel runs inside it, the answer's write, the body's copy, the
# log writer, the garbage collector, the rest), scaled to µs per request by that CPU figure, and the
# functions whose own time differs most between the two servers outside the handlers are listed.
# This is how the per-request activity, the log writer's spinning and the character-by-character
# warning copy were found (docs/performance.md, "Issue 27: outside the handler").
#
# perf sees its own overhead too; compare the two columns of one run, not runs. For the effect of a
# change, alternate builds with floor.sh --previous.
#
# Usage: benchmarks/load/split.sh [--size small|medium|large] [--seconds N] [--endpoint E] [--top N]
#          [--product BIN] [--baseline BIN]      (medium, 8 s, validate, 25 frames; binaries as floor.sh)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
SIZE=medium SECONDS_PER_RUN=8 ENDPOINT=validate TOP=25
PRODUCT_BIN=artifacts/aot/airflowguard BASELINE_BIN=artifacts/aot-baseline/AirflowGuard.LoadBaseline
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2 ;;
    --seconds) SECONDS_PER_RUN=$2 ;;
    --endpoint) ENDPOINT=$2 ;;
    --top) TOP=$2 ;;
    *) load_option "$1" "${2:-}" ;;
  esac
  shift 2
done
begin_run wrk:wrk curl:curl perf:linux-perf
review=$(review_file "$SIZE") || exit 2

for side in tokenize product; do
  if [ "$side" = tokenize ]; then BASELINE_ARGS=--tokenize start_server baseline; url=$(url_of baseline "$ENDPOINT")
  else start_server product; url=$(url_of product "$ENDPOINT"); fi
  wrk_run "$url" "$review" 2 >/dev/null # warm-up
  # CPU per request without perf's sampling
  before=$(cpu_ticks "$SERVER_PID")
  line=$(wrk_run "$url" "$review" "$SECONDS_PER_RUN")
  after=$(cpu_ticks "$SERVER_PID")
  awk -v r="$(field "$line" requests)" -v t=$((after - before)) -v hz="$CLK_TCK" 'BEGIN { printf "%.2f\n", t / hz * 1e6 / r }' >"$WORK/$side.cpu"
  # stacks; µs per request below are scaled to the CPU figure above
  perf record -q -F 1999 -g -p "$SERVER_PID" -o "$WORK/$side.data" >/dev/null 2>&1 &
  recorder=$!
  sleep 0.3
  wrk_run "$url" "$review" "$SECONDS_PER_RUN" >/dev/null
  kill -INT "$recorder"; wait "$recorder" 2>/dev/null || true
  stop_server
  perf script -i "$WORK/$side.data" -F ip,sym 2>/dev/null >"$WORK/$side.stacks"
  printf '%s: %s µs CPU per request\n' "$side" "$(cat "$WORK/$side.cpu")"
done

echo
echo "command: benchmarks/load/split.sh --size $SIZE --seconds $SECONDS_PER_RUN --endpoint $ENDPOINT ($(source_revision))"
python3 - "$WORK" "$TOP" <<'PY'
import collections, re, sys
work, top = sys.argv[1], int(sys.argv[2])
HANDLER = ("AdmissionHandler__Handle", "__Tokens_")  # the product's decision, the baseline's tokenizing
PARTS = [("gc_heap", "garbage collector"), ("RequestBody__ReadAsync", "body copy"),
         ("AdmissionRoutes__Answer", "answer write"), ("g__Answer_", "answer write"),
         ("LogOutput", "log writer"), ("SslStream__Write", "TLS write"),
         ("SslStream__Read", "TLS read, and Kestrel inside it"), ("EnsureFullTlsFrame", "TLS read, and Kestrel inside it")]

sys.dont_write_bytecode = True  # no __pycache__ left in the tree
sys.path.insert(0, "benchmarks/load")  # the one reader of perf's stacks, shared with inflation.py
from inflation import stacks as perf_stacks

def stacks(path):
    for frames in perf_stacks(path):
        # one name for the two handlers' answer writers, so that they line up in the frame list
        yield [re.sub(r"^.*(AdmissionRoutes__Answer|g__Answer_0_\d+)_d__.*MoveNext$", "(answer writer)", f) for f in frames]

def part(frames):
    joined = " ".join(frames)
    if any(h in joined for h in HANDLER):
        return "handler (decision / tokenizing)"
    for key, name in PARTS:
        if key in joined:
            return name
    return "the rest (kernel, sockets, thread pool)"

def load(side):
    cpu = float(open(f"{work}/{side}.cpu").read())
    samples = list(stacks(f"{work}/{side}.stacks"))
    per = cpu / max(len(samples), 1)
    parts, outside = collections.Counter(), collections.Counter()
    for frames in samples:
        name = part(frames)
        parts[name] += per
        if not name.startswith("handler"):
            outside[frames[0]] += per  # the frame the sample was taken in: its own time
    return cpu, parts, outside

tok_cpu, tok_parts, tok_out = load("tokenize")
cpu, parts, out = load("product")
print(f"\n| part | tokenize-only µs/request | AirflowGuard µs/request | difference |\n|---|---:|---:|---:|")
for name in sorted(set(tok_parts) | set(parts), key=lambda n: -parts.get(n, 0)):
    print(f"| {name} | {tok_parts.get(name, 0):.1f} | {parts.get(name, 0):.1f} | {parts.get(name, 0) - tok_parts.get(name, 0):+.1f} |")
print(f"| all | {tok_cpu:.1f} | {cpu:.1f} | {cpu - tok_cpu:+.1f} |")
print(f"\nOutside the handlers, the functions AirflowGuard spends most more time in (their own time, µs/request):\n")
print("| frame | tokenize-only | AirflowGuard | difference |\n|---|---:|---:|---:|")
for frame in sorted(set(tok_out) | set(out), key=lambda f: -(out.get(f, 0) - tok_out.get(f, 0)))[:top]:
    print(f"| `{frame[:110]}` | {tok_out.get(frame, 0):.2f} | {out.get(frame, 0):.2f} | {out.get(frame, 0) - tok_out.get(frame, 0):+.2f} |")
PY
