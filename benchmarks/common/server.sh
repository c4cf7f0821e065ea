# Sourced by the reliability scripts: builds AirflowGuard, starts `serve` on loopback with a GC heap
# limit that mimics the chart's 256 MiB container limit (.NET takes 75% of a cgroup limit as its
# heap limit; 0xC000000 = 192 MiB), and samples its RSS every second into $RSS_CSV.
# Needs: PORT, WORK (a scratch folder); optional SERVE_ARGS (array).
set -euo pipefail
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build() {
  if command -v flock >/dev/null && [ -e /tmp/airflowguard-build.lock ] || [ -n "${AIRFLOWGUARD_BUILD_LOCK:-}" ]; then
    flock /tmp/airflowguard-build.lock dotnet build src/AirflowGuard -c Release -v quiet -nologo >/dev/null
  else
    dotnet build src/AirflowGuard -c Release -v quiet -nologo >/dev/null
  fi
}
start_server() { # args: extra serve flags
  RSS_CSV=$WORK/rss.csv
  DOTNET_GCHeapHardLimit=${GC_HEAP_LIMIT:-0xC000000} dotnet src/AirflowGuard/bin/Release/net10.0/airflowguard.dll serve \
    --address localhost --port "$PORT" --monitoring-port 0 --shutdown-delay-seconds 0 "$@" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -sk -o /dev/null "https://localhost:$PORT/healthz" && break; sleep 0.2; done
  echo "seconds,rss_kib" >"$RSS_CSV"
  ( start=$(date +%s); while kill -0 "$SERVER" 2>/dev/null; do
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || true)
      [ -n "$rss" ] && echo "$(( $(date +%s) - start )),$rss" >>"$RSS_CSV"; sleep 1; done ) &
  SAMPLER=$!
}
stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  kill "$SAMPLER" 2>/dev/null || true
}
rss_summary() { # peak (VmHWM) and RSS samples over time
  awk -F, 'NR>1 { n++; if (n==1) first=$2; last=$2; if ($2>max) max=$2; if (min==""||$2<min) min=$2 }
    END { printf "RSS over %d samples: first %.0f MiB, min %.0f MiB, max %.0f MiB, last %.0f MiB\n", n, first/1024, min/1024, max/1024, last/1024 }' "$RSS_CSV"
  awk -F, 'NR>1 && (NR-2)%'"${RSS_EVERY:-10}"'==0 { printf "  t=%ss %.0f MiB\n", $1, $2/1024 }' "$RSS_CSV"
}
