#!/usr/bin/env bash
# Soak: wrk load on /validate (HTTP/1.1 keep-alive over TLS, loopback only) for SECONDS while the
# serving certificate is rotated, the policy folder is reloaded valid, broken, emptied and restored,
# and finally SIGTERM arrives (the shutdown delay keeps serving while /readyz fails). Reports
# requests, failures (non-2xx, socket errors), latency percentiles and RSS over time.
# Usage: benchmarks/soak/run.sh [seconds, default 150] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-150}
CONNECTIONS=${2:-16}
PORT=${PORT:-18473}
WORK=$(mktemp -d /tmp/airflowguard-soak.XXXXXX)
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y wrk >/dev/null; }
source benchmarks/common/server.sh

new_cert() { # a fresh self-signed localhost pair, swapped in atomically like a Secret update
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/tls/new.key" -out "$WORK/tls/new.crt" 2>/dev/null
  mv "$WORK/tls/new.key" "$WORK/tls/tls.key"; mv "$WORK/tls/new.crt" "$WORK/tls/tls.crt"
}
mkdir -p "$WORK/tls" "$WORK/policies" "$WORK/aside"
new_cert
cp policies/*.yaml "$WORK/policies/"
build
start_server --tls-cert-file "$WORK/tls/tls.crt" --tls-key-file "$WORK/tls/tls.key" --tls-reload-seconds 1 \
  --policies "$WORK/policies" --policy-reload-seconds 1 --shutdown-delay-seconds 10 --shutdown-timeout-seconds 10
trap 'kill $SERVER 2>/dev/null || true; kill $SAMPLER 2>/dev/null || true' EXIT
export REVIEW=$PWD/benchmarks/load/scheduler-review.json
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s benchmarks/load/post.lua "https://localhost:$PORT/validate" >"$WORK/wrk.txt" 2>&1 &
WRK=$!

events() {
  local step=$(( (DURATION - 15) / 8 ))
  log() { echo "t=$(( $(date +%s) - T0 ))s $*" | tee -a "$WORK/events.txt"; }
  T0=$(date +%s)
  sleep "$step"; log "rotate certificate"; new_cert
  sleep "$step"; log "reload policies (valid: touched)"; touch "$WORK"/policies/*.yaml
  sleep "$step"; log "reload policies (broken file added)"; printf 'apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nspec: [unclosed\n' >"$WORK/policies/broken.yaml"
  sleep "$step"; log "remove the broken file"; rm -f "$WORK/policies/broken.yaml"
  sleep "$step"; log "rotate certificate"; new_cert
  sleep "$step"; log "reload policies (emptied folder)"; mv "$WORK"/policies/*.yaml "$WORK/aside/"
  sleep "$step"; log "reload policies (restored)"; mv "$WORK"/aside/*.yaml "$WORK/policies/"
  sleep "$step"; log "rotate certificate"; new_cert
  local left=$(( DURATION - 8 * step - 8 ))
  sleep $(( left > 0 ? left : 1 )); log "SIGTERM (10 s shutdown delay: still serving, /readyz failing)"; kill -TERM "$SERVER"
}
events
wait $WRK || true
wait "$SERVER"; server_exit=$?
echo "== soak: ${DURATION}s, wrk 2 threads x $CONNECTIONS connections, events:"
cat "$WORK/events.txt"
echo "== wrk"
grep -E "requests in|Requests/sec|Latency  |50%|75%|90%|99%|Non-2xx|Socket errors" "$WORK/wrk.txt"
echo "== server exit code after SIGTERM: $server_exit"
echo "== server log: certificate loads, policy loads and failures"
grep -oE '"@mt":"[^"]*(certificate|polic)[^"]*"' "$WORK/server.log" | sort | uniq -c | head -20
RSS_EVERY=${RSS_EVERY:-15} rss_summary
echo "(files in $WORK)"
