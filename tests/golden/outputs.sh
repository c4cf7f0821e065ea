#!/usr/bin/env bash
# Writes every user-visible output of the command line over the repository's own inputs into OUT: check in every
# format (and --mutate both ways), explain, and the default pack's policy tests, for each chart render, example and
# seed, file by file and folder by folder, with stdout, stderr and the exit code of each. Two trees' outputs are
# compared by compare.sh; this script only writes them.
#
# Usage: tests/golden/outputs.sh AIRFLOWGUARD OUT       (AIRFLOWGUARD: the CLI binary or a command running it)
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/../.."
BIN=$1 OUT=$2
mkdir -p "$OUT"

run() { # name args...: runs the CLI, keeps stdout, stderr and the exit code under OUT/name.*
  local name=$1; shift
  $BIN "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
  echo $? >"$OUT/$name.rc"
}

inputs=()
for f in examples/seeds/*.yaml examples/release/*.yaml examples/charts/*.yaml tests/charts/*/*.yaml policies/tests/fixtures/*.yaml policies/tests/fixtures/*/*.yaml; do
  case "$f" in *.values.yaml|*/expectations.yaml) continue ;; esac
  inputs+=("$f")
done
folders=(examples/seeds examples/release tests/charts/official-1.16 tests/charts/official-1.19 tests/charts/community-8.9 tests/charts/bitnami-25.1 tests/charts/upstream-pod-templates policies/tests/fixtures)

for input in "${inputs[@]}" "${folders[@]}"; do
  key=$(echo "$input" | tr '/' '_')
  for format in text json sarif junit; do
    run "check.$format.$key" check "$input" --output "$format" --color never --namespace airflow
  done
  run "check.default-ns.$key" check "$input" --color never
  run "check.examples.$key" check "$input" --output json --namespace airflow --policies policies,policies/examples
  run "mutate.manifests.$key" check "$input" --mutate manifests --namespace airflow --policies policies,policies/examples
  run "mutate.patches.$key" check "$input" --mutate patches --namespace airflow --policies policies,policies/examples
  run "explain.$key" explain "$input" --namespace airflow
  run "explain.examples.$key" explain "$input" --namespace airflow --policies policies,policies/examples
done
run "check.all-at-once" check "${inputs[@]}" --output json --namespace airflow
run "test.text" test policies/tests
run "test.junit" test policies/tests --output junit
