#!/usr/bin/env bash
# The playground's browser tests, as CI runs them: installs what is missing (Debian's chromium, Node.js
# and npm through apt-get; playwright-core from the committed package-lock.json through npm ci), then
# runs the tests against the built binary (AIRFLOWGUARD_BIN, default the Release build). Where no
# Chromium can be installed the tests are skipped with the reason printed, and the script succeeds.
set -euo pipefail
cd "$(dirname "$0")"

apt_install() {
  local runner=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || return 1
    runner=(sudo -n)
  fi
  command -v apt-get >/dev/null || return 1
  "${runner[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${runner[@]}" apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  echo "chromium missing: apt-get install chromium"
  apt_install chromium || echo "SKIP reason: chromium could not be installed (no apt-get, or not root and no sudo)"
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node/npm missing: apt-get install nodejs npm"
  if ! apt_install nodejs npm; then
    echo "SKIPPED browser tests: Node.js could not be installed (no apt-get, or not root and no sudo)"
    exit 0
  fi
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
node --test playground.test.mjs
