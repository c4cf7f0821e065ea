#!/usr/bin/env bash
# Rebuilds the packaged chart sources from the git directories of their repositories:
#   package.sh SM_HUSZAIN_GIT_DIR APC_AIRFLOW_GIT_DIR AIRFLOW_HELM_CHARTS_GIT_DIR BITNAMI_CHARTS_GIT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
HELM=${HELM:-$("$here/../../deploy/tools/install-helm.sh")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

stub() { # chart-dir name version apiVersion
  mkdir -p "$1/charts/$2"
  printf 'apiVersion: %s\nname: %s\nversion: %s\ndescription: stub standing in for the %s subchart (no templates)\n' "$4" "$2" "$3" "$2" >"$1/charts/$2/Chart.yaml"
}

pack() { # chart-dir out-name
  "$HELM" package "$1" -d "$work/out" >/dev/null
  mv "$work"/out/*.tgz "$here/$2"
  echo "packaged $2"
}

mkdir -p "$work/o116" "$work/o119" "$work/c89"
git --git-dir="$1" archive e22a67e893d195f713e8e13ff1371c506dafb211 chart | tar x -C "$work/o116"
grep -rlI $'\r' "$work/o116/chart" | while IFS= read -r f; do sed -i 's/\r$//' "$f"; done || true
rm -rf "$work/o116/chart/dockerfiles" "$work/o116/chart/RELEASE_NOTES.rst"
stub "$work/o116/chart" postgresql 13.2.24 v2
pack "$work/o116/chart" official-1.16.0-dev.tgz

git --git-dir="$2" archive 47a5d5e4cec3c5953b03f776513a2a1ffb576d5c chart | tar x -C "$work/o119"
rm -rf "$work/o119/chart/dockerfiles" "$work/o119/chart/docs" "$work/o119/chart/RELEASE_NOTES.rst"
stub "$work/o119/chart" postgresql 13.2.24 v2
pack "$work/o119/chart" official-1.19.0-dev.tgz

git --git-dir="$3" archive a5e146ba58136e19ce7c0c4dc0988894de111128 charts/airflow | tar x -C "$work/c89"
c="$work/c89/charts/airflow"
git --git-dir="$3" show a5e146ba58136e19ce7c0c4dc0988894de111128:LICENSE >"$c/LICENSE"
rm -rf "$c/docs" "$c/examples" "$c/ci" "$c/CHANGELOG.md" "$c"/sample-values-*
stub "$c" postgresql 8.6.4 v1
stub "$c" redis 10.5.7 v1
pack "$c" community-8.9.0.tgz

AIRFLOW_HELM_CHARTS="$3"
community() { # commit out-name: an older community chart, for the users' releases made with it
  mkdir -p "$work/$2"
  git --git-dir="$AIRFLOW_HELM_CHARTS" archive "$1" charts/airflow | tar x -C "$work/$2"
  local c="$work/$2/charts/airflow"
  git --git-dir="$AIRFLOW_HELM_CHARTS" show "$1:LICENSE" >"$c/LICENSE"
  rm -rf "$c/docs" "$c/examples" "$c/ci" "$c/CHANGELOG.md" "$c"/sample-values-*
  stub "$c" postgresql 8.6.4 v1
  stub "$c" redis 10.5.7 v1
  pack "$c" "$2"
}
community a55c4cd280f5aebef5c0dff9631e18a9fa23fc93 community-8.5.2.tgz # tag airflow-8.5.2
community f086860c27511a70b82ecce72179a237a460ea40 community-8.7.1.tgz # tag airflow-8.7.1
community c4ade4e5820cd9f3e8d26d6640da04fdff33b9c6 community-8.8.0.tgz # tag airflow-8.8.0

# the stable chart's last line: helm/charts stable/airflow as its maintainers moved it to airflow-helm/charts (tag airflow-7.16.0)
mkdir -p "$work/s716"
git --git-dir="$3" archive 0f40ffe1c1a2949463ff9c59549b4fdf75391cd1 charts/airflow | tar x -C "$work/s716"
c="$work/s716/charts/airflow"
git --git-dir="$3" show 0f40ffe1c1a2949463ff9c59549b4fdf75391cd1:LICENSE >"$c/LICENSE"
rm -rf "$c/examples" "$c/UPGRADE.md"
stub "$c" postgresql 8.6.4 v1
stub "$c" redis 10.5.7 v1
pack "$c" stable-7.16.0.tgz

# Bitnami's chart 25.1.0 with its common library vendored (bitnami/charts @ 5165628a); redis and postgresql are stubs
mkdir -p "$work/b251"
git --git-dir="$4" archive 5165628ae06697f8f68a670bef7739d93c4b7f44 bitnami/airflow bitnami/common | tar x -C "$work/b251"
c="$work/b251/bitnami/airflow"
mkdir -p "$c/charts" && cp -r "$work/b251/bitnami/common" "$c/charts/common"
git --git-dir="$4" show 5165628ae06697f8f68a670bef7739d93c4b7f44:LICENSE.md >"$c/LICENSE.md"
rm -f "$c/CHANGELOG.md"
stub "$c" redis 22.0.4 v2
stub "$c" postgresql 16.7.26 v2
pack "$c" bitnami-25.1.0.tgz
