#!/usr/bin/env bash
# Issue 27's question: would a vectorised scanner take a webhook below the Utf8JsonReader floor?
# Publishes AirflowGuard.ScanLoop (Native AOT, the product's default instruction set) and runs it:
# first it checks that the simdjson-style prototype (StructuralScanner) and Utf8JsonReader give
# the same token counts on the three load reviews, on broken and valid bodies and on 64 shifts of
# the medium review (exit 1 on any disagreement, nothing measured); then it alternates the two
# over each review, one thread, and prints µs per body (median, min) and the ratio.
#
# Usage: benchmarks/scan/run.sh [ROUNDS] [SECONDS_PER_RUN]      (5 rounds of 1 s)
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
case "${1:-}" in -h|--help) sed -n '2,/^set -euo/p' "$SCRIPT" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
# shellcheck source=benchmarks/load/lib.sh
source benchmarks/load/lib.sh
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
publish_aot benchmarks/AirflowGuard.ScanLoop/AirflowGuard.ScanLoop.csproj "$OUT"
"$OUT/AirflowGuard.ScanLoop" "${1:-5}" "${2:-1}"
