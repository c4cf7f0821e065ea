# shellcheck shell=bash
# Sourced by benchmarks/load/run.sh and guard.sh (from the repository root): publishing the two
# Native AOT servers, starting and stopping them, and the measurements (wrk at saturation, h2load
# at a constant rate, CPU and memory from /proc).
# Ports (override when they are taken): PRODUCT_PORT, MONITORING_PORT, BASELINE_PORT.
PRODUCT_PORT=${PRODUCT_PORT:-18543}
MONITORING_PORT=${MONITORING_PORT:-18581}
BASELINE_PORT=${BASELINE_PORT:-18544}
CLK_TCK=$(getconf CLK_TCK)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# ensure_tools wrk:wrk h2load:nghttp2-client   (command:Debian package)
ensure_tools() {
  local missing=() pair
  for pair; do command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  for pair; do command -v "${pair%%:*}" >/dev/null || { echo "cannot install ${pair#*:}" >&2; return 1; }; done
}

# load_option OPTION VALUE: the options the load scripts share, as the last case of each one's parser:
# --product BIN and --baseline BIN (the two servers), -h/--help (the script's header comment, from $SCRIPT),
# and a clear error for anything else
load_option() {
  case "$1" in
    --product) PRODUCT_BIN=$2 ;;
    --baseline) BASELINE_BIN=$2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
}

# builds share a two-core machine: one at a time
locked() {
  if command -v flock >/dev/null; then flock /tmp/airflowguard-build.lock "$@"; else "$@"; fi
}

# publish_aot PROJECT OUTPUT_DIR: the Dockerfile's command (Native AOT, linux-x64)
publish_aot() {
  local log
  log=$(mktemp)
  if ! locked dotnet publish "$1" -c Release -r linux-x64 -p:PublishAot=true -o "$2" -nologo >"$log" 2>&1; then
    tail -30 "$log" >&2; rm -f "$log"; return 1
  fi
  rm -f "$log"
}

# shellcheck disable=SC2034 # used by the scripts that source this file
PRODUCT_PROJECT=src/AirflowGuard/AirflowGuard.csproj
# shellcheck disable=SC2034
BASELINE_PROJECT=benchmarks/AirflowGuard.LoadBaseline/AirflowGuard.LoadBaseline.csproj

# begin_run TOOL:PACKAGE…: what every load script does before its first server starts: the tools checked,
# a $WORK folder removed (and any server stopped) on exit, the binaries published when missing
begin_run() {
  ensure_tools "$@"
  WORK=$(mktemp -d)
  trap 'stop_server; rm -rf "$WORK"' EXIT
  publish_missing
}

# publish_missing: publishes $PRODUCT_BIN and $BASELINE_BIN (the Dockerfile's command) when they are
# not there yet; binaries already there are used as they are
publish_missing() {
  [ -x "$PRODUCT_BIN" ] || { echo "publishing AirflowGuard (Native AOT) to $(dirname "$PRODUCT_BIN")"; publish_aot "$PRODUCT_PROJECT" "$(dirname "$PRODUCT_BIN")"; }
  [ -x "$BASELINE_BIN" ] || { echo "publishing the empty handler (Native AOT) to $(dirname "$BASELINE_BIN")"; publish_aot "$BASELINE_PROJECT" "$(dirname "$BASELINE_BIN")"; }
}

# review_file small|medium|large: the AdmissionReview of that size
review_file() {
  case "$1" in
    small) echo benchmarks/load/small-review.json ;;
    medium) echo benchmarks/load/scheduler-review.json ;;
    large) echo benchmarks/load/large-review.json ;;
    *) echo "unknown review size $1 (small, medium, large)" >&2; return 1 ;;
  esac
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server baseline|product: sets SERVER_PID, waits until it answers. Decision logging stays on
# (as in production); its stdout goes to /dev/null, stderr to $WORK/server.err.
start_server() {
  local side=$1 port
  for port in "$PRODUCT_PORT" "$MONITORING_PORT" "$BASELINE_PORT"; do
    if port_taken "$port"; then echo "port $port is taken; set PRODUCT_PORT, MONITORING_PORT or BASELINE_PORT" >&2; return 1; fi
  done
  if [ "$side" = product ]; then
    "$PRODUCT_BIN" serve --dev --address localhost --port "$PRODUCT_PORT" --monitoring-port "$MONITORING_PORT" \
      --shutdown-delay-seconds 0 >/dev/null 2>"$WORK/server.err" &
  else
    # shellcheck disable=SC2086 # BASELINE_ARGS: extra words for the baseline (floor.sh's --tokenize)
    "$BASELINE_BIN" "$BASELINE_PORT" ${BASELINE_ARGS:-} >/dev/null 2>"$WORK/server.err" &
  fi
  SERVER_PID=$!
  local _
  for _ in $(seq 100); do
    if [ "$side" = product ]; then
      curl -sk --max-time 2 "https://localhost:$MONITORING_PORT/readyz" 2>/dev/null | grep -q ready && break
    else
      [ "$(curl -sk --max-time 2 -o /dev/null -w '%{http_code}' -d '{}' "https://localhost:$BASELINE_PORT/validate" 2>/dev/null)" = 200 ] && break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the $side server did not start:" >&2; cat "$WORK/server.err" >&2; return 1
  fi
}

stop_server() {
  [ -n "${SERVER_PID:-}" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

url_of() { # side endpoint
  if [ "$1" = product ]; then echo "https://localhost:$PRODUCT_PORT/$2"; else echo "https://localhost:$BASELINE_PORT/$2"; fi
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; } # utime + stime, all threads
status_kib() { awk -v field="$2:" '$1 == field { print $2 }' "/proc/$1/status"; }
reset_peak_rss() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || true; } # VmHWM := VmRSS (Linux ≥ 4.0)

# wrk_run URL REVIEW SECONDS: HTTP/1.1 keep-alive over TLS, 2 threads, 32 connections; prints the
# WRK line of post.lua (requests=… duration_us=… errors=… non2xx=… p50_us=… p90_us=… p99_us=…)
wrk_run() {
  REVIEW=$2 wrk -t2 -c32 -d"$3s" --timeout 10s -s benchmarks/load/post.lua "$1" | grep '^WRK '
}

field() { # LINE NAME: the value of NAME=… in LINE
  local word
  for word in $1; do [ "${word%%=*}" = "$2" ] && { echo "${word#*=}"; return; }; done
  echo "no $2 in: $1" >&2; return 1
}

# saturation SIDE ENDPOINT REVIEW SECONDS WARMUP: wrk against the running server; prints
# "rps cpu_us_per_request peak_rss_kib rss_kib p50_us p99_us errors" (CPU and memory of the server
# process over the measured run only)
saturation() {
  local url line before after requests duration errors
  url=$(url_of "$1" "$2")
  [ "$5" -gt 0 ] && wrk_run "$url" "$3" "$5" >/dev/null
  reset_peak_rss "$SERVER_PID"
  before=$(cpu_ticks "$SERVER_PID")
  line=$(wrk_run "$url" "$3" "$4")
  after=$(cpu_ticks "$SERVER_PID")
  requests=$(field "$line" requests); duration=$(field "$line" duration_us)
  errors=$(( $(field "$line" errors) + $(field "$line" non2xx) ))
  awk -v r="$requests" -v d="$duration" -v t=$((after - before)) -v hz="$CLK_TCK" \
      -v hwm="$(status_kib "$SERVER_PID" VmHWM)" -v rss="$(status_kib "$SERVER_PID" VmRSS)" \
      -v p50="$(field "$line" p50_us)" -v p99="$(field "$line" p99_us)" -v e="$errors" \
    'BEGIN { printf "%.1f %.2f %d %d %d %d %d\n", r / (d / 1e6), (r > 0 ? t / hz * 1e6 / r : 0), hwm, rss, p50, p99, e }'
}

# constant_rate SIDE ENDPOINT REVIEW RATE SECONDS: h2load --h1 with CLIENTS connections each
# sending RATE/CLIENTS requests per second (one in flight per connection, as h2load does for a
# POST over HTTP/1.1) for SECONDS after a 1 s warm-up; prints "achieved_rps p50_us p90_us p99_us max_us errors"
# One h2load starts all its connections' timers together, so at 100 req/s each they fire in one
# burst every 10 ms. H2LOAD_GROUPS=G (latency.sh) splits the connections over G h2load processes
# started 10/G ms apart: bursts of CLIENTS/G, spread over the period, as independent callers arrive.
H2LOAD_RPS_PER_CLIENT=${H2LOAD_RPS_PER_CLIENT:-100}
constant_rate() {
  local url clients groups per out log g pids=()
  url=$(url_of "$1" "$2")
  clients=$(( ($4 + H2LOAD_RPS_PER_CLIENT - 1) / H2LOAD_RPS_PER_CLIENT ))
  groups=${H2LOAD_GROUPS:-1}
  [ "$groups" -gt "$clients" ] && groups=$clients
  per=$(( clients / groups ))
  log=$WORK/h2load.log; rm -f "$log" "$WORK"/h2load-*.log "$WORK"/h2load-*.out
  for g in $(seq "$groups"); do
    # the last group takes what the division leaves
    local these=$per
    [ "$g" -eq "$groups" ] && these=$(( clients - per * (groups - 1) ))
    h2load --h1 -t1 -c"$these" --rps "$(awk -v r="$4" -v c="$clients" 'BEGIN { printf "%g", r / c }')" \
      -D "$5" --warm-up-time 1 -d "$3" -H 'Content-Type: application/json' --log-file "$WORK/h2load-$g.log" "$url" \
      >"$WORK/h2load-$g.out" 2>&1 &
    pids+=($!)
    [ "$groups" -gt 1 ] && sleep "$(awk -v g="$groups" 'BEGIN { printf "%.4f", 0.010 / g }')"
  done
  wait "${pids[@]}" || true
  cat "$WORK"/h2load-*.log >"$log" 2>/dev/null || true
  out=$(cat "$WORK"/h2load-*.out)
  touch "$log"
  local transport
  # requests that errored or timed out never reach the log; the log's non-2xx answers are added below
  transport=$(echo "$out" | awk '/^requests:/ { n += $12 + $14 } END { print n + 0 }')
  # the log holds the measured requests only: start (µs since the epoch), status, µs to the response's end
  sort -n -k3,3 "$log" | awk -v s="$5" -v transport="${transport:-0}" '
    function pct(p,  i) { i = int(NR * p); if (i < NR * p) i++; if (i < 1) i = 1; return t[i] } # nearest rank
    { t[NR] = $3; if ($2 !~ /^2/) bad++ }
    END {
      if (NR == 0) { print "0 0 0 0 0 " transport + 0; exit }
      printf "%.1f %d %d %d %d %d\n", NR / s, pct(0.50), pct(0.90), pct(0.99), t[NR], transport + bad
    }'
}

# what was measured: the commit, the last commit that changed src/, and whether src/ has changes
# not committed yet
source_revision() {
  local head src
  head=$(git rev-parse --short HEAD 2>/dev/null) || { echo unknown; return; }
  src=$(git log -1 --format=%h -- src)
  printf '%s (src/ as of %s%s)' "$head" "$src" "$(git diff --quiet HEAD -- src || echo ', with uncommitted changes')"
}

# the fixed AdmissionReview answer must be what the product says about a review, or the
# benchmark measures an error path: check_allowed ENDPOINT REVIEW
check_allowed() {
  local answer
  answer=$(curl -sk --max-time 10 -H 'Content-Type: application/json' --data-binary @"$2" "$(url_of product "$1")")
  case "$answer" in
    *'"allowed":true'*) ;;
    *) echo "AirflowGuard did not allow $2 on /$1: ${answer:0:300}" >&2; return 1 ;;
  esac
}
