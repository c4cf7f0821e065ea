#!/usr/bin/env bash
# `check` throughput and memory on generated manifest streams of growing size (text output).
# Besides each run's overall rate (which includes start-up and JIT), prints the steady-state rate
# between consecutive sizes: extra pods / extra seconds.
# Usage: benchmarks/check/run.sh [pods…]   (default: 5000 20000 50000)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/AirflowGuard -c Release -v quiet -nologo >/dev/null
previous_n=""; previous_s=""
for n in ${@:-5000 20000 50000}; do
  file=/tmp/airflowguard-check-$n.yaml
  python3 benchmarks/check/generate.py "$n" > "$file"
  size=$(du -h "$file" | cut -f1)
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o /tmp/airflowguard-check-rss dotnet src/AirflowGuard/bin/Release/net10.0/airflowguard.dll check "$file" --fail-on never >/dev/null
  end=$(date +%s.%N)
  seconds=$(echo "$end - $start" | bc -l)
  marginal=""
  if [ -n "$previous_n" ]; then
    marginal=$(printf '  steady state %6.0f pods/s' "$(echo "($n - $previous_n) / ($seconds - $previous_s)" | bc -l)")
  fi
  printf '%6d pods  %5s  %6.2f s  %6.0f pods/s  max RSS %4.0f MB%s\n' "$n" "$size" "$seconds" "$(echo "$n / $seconds" | bc -l)" "$(echo "$(cat /tmp/airflowguard-check-rss) / 1024" | bc -l)" "$marginal"
  previous_n=$n; previous_s=$seconds
done
