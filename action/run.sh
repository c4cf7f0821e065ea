#!/usr/bin/env bash
# The GitHub Action's step (action.yml runs it; so does a test, and .ci/run): check the given paths or chart, write
# SARIF for code scanning and a job summary, and exit as `airflowguard check` exits (0 clean, 1 findings at or above
# fail-on, 2 broken input). Inputs come as the INPUT_* variables GitHub sets for an action's inputs:
#   INPUT_PATHS (space-separated; default .), INPUT_CHART, INPUT_VALUES (space-separated), INPUT_SET (space-separated),
#   INPUT_RELEASE (airflow), INPUT_NAMESPACE (airflow), INPUT_POLICIES, INPUT_FAIL_ON (enforce), INPUT_SARIF (airflowguard.sarif)
# AIRFLOWGUARD is the command to run (default: build this checkout's CLI once into $RUNNER_TEMP, then run it).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
sarif=${INPUT_SARIF:-airflowguard.sarif}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}

if [ -z "${AIRFLOWGUARD:-}" ]; then
  out="${RUNNER_TEMP:-/tmp}/airflowguard-cli"
  if [ ! -f "$out/airflowguard.dll" ]; then
    dotnet publish "$here/src/AirflowGuard/AirflowGuard.csproj" -c Release -o "$out" --nologo -v quiet >&2 || { echo "airflowguard action: building the CLI failed" >&2; exit 2; }
  fi
  AIRFLOWGUARD="dotnet $out/airflowguard.dll"
fi

args=(check)
if [ -n "${INPUT_CHART:-}" ]; then
  args+=(--chart "$INPUT_CHART" --release "${INPUT_RELEASE:-airflow}")
  for f in ${INPUT_VALUES:-}; do args+=(--values "$f"); done
  for s in ${INPUT_SET:-}; do args+=(--set "$s"); done
  for p in ${INPUT_PATHS:-}; do args+=("$p"); done
else
  for p in ${INPUT_PATHS:-.}; do args+=("$p"); done
fi
args+=(--namespace "${INPUT_NAMESPACE:-airflow}" --fail-on "${INPUT_FAIL_ON:-enforce}")
[ -n "${INPUT_POLICIES:-}" ] && args+=(--policies "$INPUT_POLICIES")

# one run for the SARIF, one for the people reading the job summary (the same pipeline: same findings)
$AIRFLOWGUARD "${args[@]}" --output sarif > "$sarif"
code=$?
text=$($AIRFLOWGUARD "${args[@]}" --output text --color never 2>&1)
{
  echo "## AirflowGuard"
  echo
  case $code in
    0) echo "No finding at or above \`${INPUT_FAIL_ON:-enforce}\`." ;;
    1) echo "**Findings at or above \`${INPUT_FAIL_ON:-enforce}\`** (SARIF: \`$sarif\`)." ;;
    *) echo "**The check could not run on all of its input** (exit $code)." ;;
  esac
  echo
  echo '```text'
  echo "$text" | tail -n 200
  echo '```'
} >> "$summary"
echo "$text"
exit $code
