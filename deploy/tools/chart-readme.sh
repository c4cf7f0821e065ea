#!/usr/bin/env bash
# Writes deploy/helm/airflowguard/README.md from values.yaml: every key documented with a `# --`
# comment (helm-docs style), its default and its description. --check fails when the committed
# README is out of step (CI runs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
chart=deploy/helm/airflowguard
generated=$(mktemp)
{
  echo "# AirflowGuard Helm chart"
  echo
  echo "<!-- Generated from values.yaml by deploy/tools/chart-readme.sh; do not edit. -->"
  echo
  echo "Admission webhook for Apache Airflow pods. Install, upgrade, GitOps and failure-policy notes"
  echo "are in the repository's README (\"Installing in a cluster\"); every value is checked by"
  echo "\`values.schema.json\`."
  echo
  echo "| key | default | description |"
  echo "|---|---|---|"
  awk '
    function flush_path(indent,   i) { for (i in path) if (i >= indent) delete path[i] }
    /^[[:space:]]*# -- / { sub(/^[[:space:]]*# -- /, ""); doc = $0; next }
    /^[[:space:]]*#/ { if (doc != "") { line = $0; sub(/^[[:space:]]*# ?/, "", line); doc = doc " " line }; next }
    /^[[:space:]]*[A-Za-z][A-Za-z0-9_]*:/ {
      match($0, /^[[:space:]]*/); indent = RLENGTH
      key = $0; sub(/^[[:space:]]*/, "", key); value = key
      sub(/:.*/, "", key); sub(/^[^:]*:[[:space:]]*/, "", value)
      flush_path(indent); path[indent] = key
      full = ""; for (i = 0; i <= indent; i++) if (i in path) full = (full == "" ? path[i] : full "." path[i])
      if (doc != "") {
        gsub(/\|/, "\\|", doc); gsub(/\|/, "\\|", value)
        printf "| `%s` | `%s` | %s |\n", full, (value == "" ? "(see below)" : value), doc
      }
      doc = ""
    }
  ' "$chart/values.yaml"
} > "$generated"
if [ "${1:-}" = "--check" ]; then
  diff -u "$chart/README.md" "$generated" || { echo "$chart/README.md is out of step with values.yaml: run deploy/tools/chart-readme.sh"; exit 1; }
  echo "$chart/README.md is in step with values.yaml"
else
  mv "$generated" "$chart/README.md"
fi
