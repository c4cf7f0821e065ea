#!/usr/bin/env bash
# Regenerates every render in tests/charts from the committed <case>.values.yaml files.
# The chart sources are not committed; extract them first (see README.md) and point these at them:
#   OFFICIAL_116_CHART   the official chart 1.16.0-dev folder   (SM-Huszain/Airflow-UI, chart/)
#   OFFICIAL_119_CHART   the official chart 1.19.0-dev folder   (astronomer/apc-airflow, chart/)
#   COMMUNITY_CHART      the community chart 8.9.0 folder       (airflow-helm/charts, charts/airflow)
#   BITNAMI_CHART        the Bitnami chart 25.1.0 folder        (bitnami/charts, bitnami/airflow)
#   BITNAMI_COMMON_CHART the Bitnami common library chart folder (bitnami/charts, bitnami/common)
#   UPSTREAM_POD_TEMPLATES the pod_template_file_examples folder of apache/airflow (any copy)
#   HELM                 helm binary (default: deploy/tools/install-helm.sh)
# Or pass them positionally in that order. A chart left unset is skipped. The folders whose chart is packaged in
# tests/chart-sources (community 8.5.2, 8.7.1, 8.8.0, stable 7.16.0) need nothing: see packaged() below.
# Subchart dependencies that are not vendored (postgresql, redis) are stubbed: an empty chart with the
# locked name and version is written into <chart>/charts/ when missing, so no objects of theirs render.
# Helm generates random secrets (Fernet key, webserver secret, passwords) and the official chart puts their
# checksums in pod annotations, so those lines differ from run to run; nothing else should.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
OFFICIAL_116_CHART=${OFFICIAL_116_CHART:-${1:-}}
OFFICIAL_119_CHART=${OFFICIAL_119_CHART:-${2:-}}
COMMUNITY_CHART=${COMMUNITY_CHART:-${3:-}}
BITNAMI_CHART=${BITNAMI_CHART:-${4:-}}
BITNAMI_COMMON_CHART=${BITNAMI_COMMON_CHART:-${5:-}}
UPSTREAM_POD_TEMPLATES=${UPSTREAM_POD_TEMPLATES:-${6:-}}
HELM=${HELM:-$("$repo/deploy/tools/install-helm.sh")}

stub() { # chart-dir name version apiVersion
  local d="$1/charts/$2"
  if [ ! -e "$d/Chart.yaml" ] && ! ls "$1/charts/$2"-*.tgz >/dev/null 2>&1; then
    mkdir -p "$d"
    printf 'apiVersion: %s\nname: %s\nversion: %s\ndescription: stub standing in for the %s subchart (no templates)\n' "$4" "$2" "$3" "$2" >"$d/Chart.yaml"
  fi
}

field() { # key chart-dir: a top-level Chart.yaml field (some copies have CRLF line ends)
  tr -d '\r' <"$2/Chart.yaml" | sed -n "s/^$1: *//p" | head -1 | tr -d '"'
}

render() { # chart-dir out-dir case label
  local chart="$1" dir="$here/$2" case="$3" label="$4"
  local name version
  name=$(field name "$chart")
  version=$(field version "$chart")
  local out="$dir/$case.yaml"
  if ! "$HELM" template airflow "$chart" -n airflow -f "$dir/$case.values.yaml" >"$out.helm"; then
    rm -f "$out.helm"; echo "FAILED $2/$case" >&2; return 1
  fi
  {
    echo "# helm template airflow <$label> -n airflow -f $2/$case.values.yaml   (chart: $name $version, $(field appVersion "$chart") app; helm $("$HELM" version --template '{{.Version}}'))"
    cat "$out.helm"
    if [ -f "$dir/$case.extra.yaml" ]; then
      echo "---"
      cat "$dir/$case.extra.yaml"
    fi
  } >"$out.tmp"
  rm -f "$out.helm"
  mv "$out.tmp" "$out"
  echo "rendered $2/$case.yaml"
}

if [ -n "$OFFICIAL_116_CHART" ]; then
  # The SM-Huszain/Airflow-UI copy was committed with CRLF line ends (a Windows checkout); the released
  # chart has LF. Convert the extracted copy so helm prints what the real chart prints.
  grep -rlI $'\r' "$OFFICIAL_116_CHART" | while IFS= read -r f; do sed -i 's/\r$//' "$f"; done || true
  stub "$OFFICIAL_116_CHART" postgresql 13.2.24 v2
  for v in "$here"/official-1.16/*.values.yaml; do
    render "$OFFICIAL_116_CHART" official-1.16 "$(basename "$v" .values.yaml)" "official chart 1.16.0-dev, SM-Huszain/Airflow-UI chart/"
  done || true
fi
if [ -n "$OFFICIAL_119_CHART" ]; then
  stub "$OFFICIAL_119_CHART" postgresql 13.2.24 v2
  for v in "$here"/official-1.19/*.values.yaml; do
    render "$OFFICIAL_119_CHART" official-1.19 "$(basename "$v" .values.yaml)" "official chart 1.19.0-dev, astronomer/apc-airflow chart/"
  done || true
fi
if [ -n "$COMMUNITY_CHART" ]; then
  stub "$COMMUNITY_CHART" postgresql 8.6.4 v1
  stub "$COMMUNITY_CHART" redis 10.5.7 v1
  for v in "$here"/community-8.9/*.values.yaml; do
    render "$COMMUNITY_CHART" community-8.9 "$(basename "$v" .values.yaml)" "community chart, airflow-helm/charts charts/airflow"
  done || true
fi
# Folders whose chart is packaged in tests/chart-sources (its stubs inside) render from the package, with no chart
# to point at; PACKAGED=0 skips them. The users' releases rendered from a chart their own repository vendors
# (stable-6.5/, stable-7.5/) name that chart and command in their first line.
packaged() { # folder package label
  local dir
  dir=$(mktemp -d)
  tar xzf "$repo/tests/chart-sources/$2" -C "$dir"
  for v in "$here/$1"/*.values.yaml; do
    render "$dir/airflow" "$1" "$(basename "$v" .values.yaml)" "$3, tests/chart-sources/$2"
  done
  rm -rf "$dir"
}
if [ "${PACKAGED:-1}" != 0 ]; then
  packaged community-8.5 community-8.5.2.tgz "community chart 8.5.2"
  packaged community-8.7 community-8.7.1.tgz "community chart 8.7.1"
  packaged community-8.8 community-8.8.0.tgz "community chart 8.8.0"
  packaged stable-7.16 stable-7.16.0.tgz "stable chart 7.16.0"
fi
if [ -n "$BITNAMI_CHART" ]; then
  if [ ! -e "$BITNAMI_CHART/charts/common/Chart.yaml" ]; then
    [ -n "$BITNAMI_COMMON_CHART" ] || { echo "BITNAMI_COMMON_CHART is needed (bitnami/common)" >&2; exit 1; }
    mkdir -p "$BITNAMI_CHART/charts" && cp -r "$BITNAMI_COMMON_CHART" "$BITNAMI_CHART/charts/common"
  fi
  stub "$BITNAMI_CHART" redis 22.0.4 v2
  stub "$BITNAMI_CHART" postgresql 16.7.26 v2
  for v in "$here"/bitnami-25.1/*.values.yaml; do
    render "$BITNAMI_CHART" bitnami-25.1 "$(basename "$v" .values.yaml)" "Bitnami chart, bitnami/charts bitnami/airflow"
  done || true
fi
if [ -n "$UPSTREAM_POD_TEMPLATES" ]; then
  for f in dags_in_image_template dags_in_volume_template git_sync_template; do
    cp "$UPSTREAM_POD_TEMPLATES/$f.yaml" "$here/upstream-pod-templates/$f.yaml"
    echo "copied upstream-pod-templates/$f.yaml"
  done || true
fi
