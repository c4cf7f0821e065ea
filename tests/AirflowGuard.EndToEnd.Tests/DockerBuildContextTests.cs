using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// The build context the K3s test sends to Docker (and `docker build .`): .dockerignore as Testcontainers applies it
/// keeps every file the Dockerfile copies and leaves out build output. Needs no Docker engine, so it runs everywhere.
/// </summary>
public class DockerBuildContextTests
{
    private static readonly IgnoreFile DockerIgnore = new(
        // what Testcontainers' DockerIgnoreFile adds around the file's own patterns
        ["**/.idea", "**/.vs", .. File.ReadAllLines(Path.Combine(Repository.Root, ".dockerignore")), "!.dockerignore", "!Dockerfile"],
        NullLogger.Instance);

    [Fact]
    public void DockerIgnore_KeepsEveryFileTheDockerfileCopies()
    {
        var copied = CopiedByTheDockerfile().ToList();

        Assert.Contains("src/AirflowGuard/AirflowGuard.csproj", copied);
        Assert.Contains("policies/no-host-path-dags-or-logs.yaml", copied);
        Assert.DoesNotContain(copied, DockerIgnore.Denies);
    }

    [Theory]
    [InlineData("src/AirflowGuard/bin/Release/net10.0/airflowguard.dll")]
    [InlineData("src/AirflowGuard.Engine/obj/project.assets.json")]
    [InlineData("tests/AirflowGuard.EndToEnd.Tests/bin/Release/net10.0/AirflowGuard.EndToEnd.Tests.dll")]
    [InlineData(".git/HEAD")]
    [InlineData(".tools/helm")]
    [InlineData("artifacts/aot/airflowguard")]
    public void DockerIgnore_LeavesOutBuildOutputAndLocalTools(string path)
    {
        Assert.True(DockerIgnore.Denies(path), $"{path} would be sent to the Docker build");
    }

    /// <summary>The sources of the Dockerfile's COPY lines (not COPY --from), as files relative to the repository, build output left aside.</summary>
    private static IEnumerable<string> CopiedByTheDockerfile()
    {
        var root = Repository.Root;
        foreach (var line in File.ReadLines(Path.Combine(root, "Dockerfile")).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal)))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in words[1..^1])
            {
                var full = Path.Combine(root, source);
                var files = Directory.Exists(full) ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                    : source.Contains('*', StringComparison.Ordinal) ? Directory.EnumerateFiles(Path.GetDirectoryName(full)!, Path.GetFileName(full))
                    : [full];
                foreach (var file in files)
                {
                    var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                    if (!relative.Split('/').Any(part => part is "bin" or "obj"))
                    {
                        yield return relative;
                    }
                }
            }
        }
    }
}
