#!/usr/bin/env bash
# The long fuzz run: N mutated AdmissionReviews (default 200,000; the same mutation classes as the
# CI test FuzzTests, which sends 20,000) over TLS to a separate `airflowguard serve` on loopback,
# reporting status codes by mutation class and the server's RSS over time.
# Usage: benchmarks/fuzz/run.sh [bodies] [seed]
set -euo pipefail
cd "$(dirname "$0")/../.."
BODIES=${1:-200000}
PORT=${PORT:-18471}
WORK=$(mktemp -d /tmp/airflowguard-fuzz.XXXXXX)
source benchmarks/common/server.sh
build
flock /tmp/airflowguard-build.lock dotnet build tests/AirflowGuard.Webhook.Tests -c Release -v quiet -nologo >/dev/null
start_server --dev
trap stop_server EXIT
started=$(date +%s)
status=0
AIRFLOWGUARD_FUZZ_BODIES=$BODIES AIRFLOWGUARD_FUZZ_SEED=${2:-11} AIRFLOWGUARD_FUZZ_URL=https://localhost:$PORT AIRFLOWGUARD_FUZZ_REPORT=$WORK/report.txt \
  dotnet test tests/AirflowGuard.Webhook.Tests -c Release --no-build --filter "FullyQualifiedName~FuzzTests" >"$WORK/test.log" 2>&1 || status=$?
echo "== fuzz: $(head -1 "$WORK/report.txt") (wall $(( $(date +%s) - started )) s); test $( [ $status -eq 0 ] && echo passed || echo FAILED )"
tail -n +2 "$WORK/report.txt"
echo "== server alive after the run: $(kill -0 "$SERVER" 2>/dev/null && curl -sk "https://localhost:$PORT/healthz" || echo NO)"
echo "== 5xx counted by the server: $(curl -sk "https://localhost:$PORT/metrics" | grep '^airflowguard_http_server_errors_total' || echo none)"
RSS_EVERY=${RSS_EVERY:-15} rss_summary
echo "(files in $WORK)"
exit $status
