#!/usr/bin/env bash
# Load benchmark: AirflowGuard's /validate against an empty Kestrel handler with the same TLS
# setup, measured in the same run on the same machine, with a realistic official-chart
# scheduler pod (3 containers, 30 env vars, 6 volumes). HTTP/1.1 keep-alive over TLS, as the API
# server calls webhooks. Usage: benchmarks/load/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-15}
REVIEW=$PWD/benchmarks/load/scheduler-review.json
export REVIEW

for tool in wrk hey; do
  command -v "$tool" >/dev/null || { echo "installing $tool"; apt-get install -y "$tool" >/dev/null; }
done

dotnet build src/AirflowGuard -c Release -v quiet -nologo >/dev/null
dotnet build benchmarks/AirflowGuard.LoadBaseline -c Release -v quiet -nologo >/dev/null

dotnet src/AirflowGuard/bin/Release/net10.0/airflowguard.dll serve --dev --address localhost --port 8443 --shutdown-delay-seconds 0 >/tmp/airflowguard-load.log 2>&1 &
GUARD=$!
dotnet benchmarks/AirflowGuard.LoadBaseline/bin/Release/net10.0/AirflowGuard.LoadBaseline.dll 8444 >/dev/null 2>&1 &
BASELINE=$!
trap 'kill $GUARD $BASELINE 2>/dev/null || true' EXIT
for port in 8443 8444; do
  for _ in $(seq 50); do curl -sk -o /dev/null "https://localhost:$port/validate" -d '{}' && break; sleep 0.2; done
done
curl -sk -d @"$REVIEW" https://localhost:8443/validate | grep -q '"allowed":true' || { echo "AirflowGuard did not allow the benchmark pod"; exit 1; }

run() { # name url
  echo "== $1: throughput (wrk, 2 threads, 32 keep-alive connections, ${SECONDS_PER_RUN}s, after a 5s warm-up)"
  wrk -t2 -c32 -d5s -s benchmarks/load/post.lua "$2" >/dev/null
  wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --latency -s benchmarks/load/post.lua "$2" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|Socket errors"
  echo "== $1: latency at 1,000 requests/s (hey, 10 connections x 100 rps, ${SECONDS_PER_RUN}s)"
  hey -z "${SECONDS_PER_RUN}s" -c 10 -q 100 -m POST -T application/json -D "$REVIEW" "$2" | grep -E "Requests/sec|Status code|\[2|50%|90%|99%|Error"
}
run "empty Kestrel handler" https://localhost:8444/validate
run "AirflowGuard /validate" https://localhost:8443/validate
