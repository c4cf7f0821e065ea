# syntax=docker/dockerfile:1
# Build: docker build -t airflowguard .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig AirflowGuard.sln ./
COPY src/ src/
COPY policies/ policies/
RUN dotnet publish src/AirflowGuard/AirflowGuard.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY policies/*.yaml /etc/airflowguard/policies/
USER 65532:65532
ENTRYPOINT ["/app/airflowguard"]
CMD ["--help"]
