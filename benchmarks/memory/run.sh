#!/usr/bin/env bash
# Peak memory at the largest body and full concurrency: SENDERS clients (default 8, twice the
# default admission slots) each POST a valid AdmissionReview of just under max-request-bytes
# (6 MiB) over and over for SECONDS, against `serve` under a 192 MiB GC heap limit (as under the
# chart's 256 MiB limit). Reports status codes (200 or 429 expected, never 5xx), peak RSS (VmHWM)
# and RSS over time. Usage: benchmarks/memory/run.sh [seconds] [senders] [extra serve flags…]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-30}
SENDERS=${2:-8}
shift $(( $# > 2 ? 2 : $# ))
PORT=${PORT:-18472}
WORK=$(mktemp -d /tmp/airflowguard-memory.XXXXXX)
source benchmarks/common/server.sh
python3 - "$WORK/big.json" <<'PY'
import json, sys
pod = json.load(open("benchmarks/load/scheduler-review.json"))
obj = pod["request"]["object"]
obj.setdefault("metadata", {}).setdefault("annotations", {})["pad"] = "x" * (6 * 1024 * 1024 - 16 * 1024)
json.dump(pod, open(sys.argv[1], "w"))
PY
echo "body: $(stat -c %s "$WORK/big.json") bytes"
build
start_server --dev "$@"
trap stop_server EXIT
end=$(( $(date +%s) + SECONDS_TO_RUN ))
for i in $(seq "$SENDERS"); do
  ( while [ "$(date +%s)" -lt "$end" ]; do
      curl -sk -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' --data-binary @"$WORK/big.json" "https://localhost:$PORT/validate" || echo 000
    done >"$WORK/codes.$i" ) &
done
wait $(jobs -p | grep -v "^$SERVER$" | grep -v "^$SAMPLER$") 2>/dev/null || true
echo "== $SENDERS senders x ${SECONDS_TO_RUN}s of $(stat -c %s "$WORK/big.json")-byte reviews: status codes"
cat "$WORK"/codes.* | sort | uniq -c
echo "== peak RSS (VmHWM): $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/$SERVER/status")"
RSS_EVERY=${RSS_EVERY:-5} rss_summary
curl -sk "https://localhost:$PORT/metrics" | grep -E '^airflowguard_(http_server_errors|admission_overload)_total' || true
