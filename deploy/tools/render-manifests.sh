#!/usr/bin/env bash
# Renders deploy/manifests/airflowguard.yaml (the kustomize base for users without Helm) from the
# chart, with cert-manager certificates (deterministic output). CI runs it with --check and fails
# when the committed file differs: the two are kept in step.
set -euo pipefail
cd "$(dirname "$0")/../.."
helm=$(deploy/tools/install-helm.sh)
rendered=$(mktemp)
{
  echo "# Rendered from deploy/helm/airflowguard by deploy/tools/render-manifests.sh; do not edit."
  "$helm" template airflowguard deploy/helm/airflowguard --namespace airflowguard --set certificates.mode=cert-manager --skip-tests
} > "$rendered"
if [ "${1:-}" = "--check" ]; then
  diff -u deploy/manifests/airflowguard.yaml "$rendered" || { echo "deploy/manifests is out of step with the chart: run deploy/tools/render-manifests.sh"; exit 1; }
  echo "deploy/manifests is in step with the chart"
else
  mv "$rendered" deploy/manifests/airflowguard.yaml
fi
