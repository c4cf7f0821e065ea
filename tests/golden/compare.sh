#!/usr/bin/env bash
# Compares every output of outputs.sh between REF (a commit, built in a temporary worktree) and this tree, and
# lists the files that differ. Exit 0 when all are byte-identical, 1 otherwise. Builds one tree at a time.
#
# Usage: tests/golden/compare.sh [--keep DIR] REF
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/../.."
KEEP=''
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=$2; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) REF=$1 ;;
  esac
  shift
done
WORK=${KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
cleanup() { git worktree remove --force "$WORK/ref" >/dev/null 2>&1 || true; [ -n "$KEEP" ] || rm -rf "$WORK"; }
trap cleanup EXIT
if [ ! -x "$WORK/ref-bin/airflowguard" ]; then
  git worktree add --detach -q "$WORK/ref" "$REF"
  dotnet publish "$WORK/ref/src/AirflowGuard/AirflowGuard.csproj" -c Release -o "$WORK/ref-bin" -p:UseAppHost=true >/dev/null
fi
dotnet publish src/AirflowGuard/AirflowGuard.csproj -c Release -o "$WORK/new-bin" -p:UseAppHost=true >/dev/null
rm -rf "$WORK/ref-out" "$WORK/new-out"
"$(dirname "$SCRIPT")/outputs.sh" "$WORK/ref-bin/airflowguard" "$WORK/ref-out"
"$(dirname "$SCRIPT")/outputs.sh" "$WORK/new-bin/airflowguard" "$WORK/new-out"
echo "$(ls "$WORK/ref-out" | wc -l) output files compared"
diff -rq "$WORK/ref-out" "$WORK/new-out" && echo "all identical"
