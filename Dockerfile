# syntax=docker/dockerfile:1
# AirflowGuard: the admission webhook (and the CI command line) as one Native AOT binary on a
# chiseled runtime-deps base: about 17 MB of binary, no shell, no package manager, non-root,
# read-only root file system friendly (it writes nothing but stdout).
#   docker build -t airflowguard .
#   docker run --rm -p 8443:8443 -p 8081:8081 airflowguard --dev
# (admission on 8443, /healthz /readyz /metrics on 8081). In a cluster the Helm chart passes the
# certificate files (--tls-cert-file, --tls-key-file) and every other setting as arguments.
# CI runs the same publish command (.ci/run) and smoke-tests the binary it produces.

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

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /out/airflowguard /app/airflowguard
# the default pack is embedded in the binary; this copy is for reference and for --policies
COPY policies/*.yaml /etc/airflowguard/policies/
USER 1654
EXPOSE 8443 8081
ENTRYPOINT ["/app/airflowguard", "serve"]
