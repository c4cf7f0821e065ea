using System.Net.Sockets;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// A test that needs a Docker engine. Where none is reachable it is skipped with the reason shown
/// in the test report — never passed silently.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (Docker.Unavailable() is { } reason)
        {
            Skip = $"no Docker engine reachable ({reason}): the K3s end-to-end tests need one and run wherever Docker exists";
        }
    }
}

internal static class Docker
{
    /// <summary>Null when a Docker engine answers; otherwise why not.</summary>
    public static string? Unavailable()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host) && !host.StartsWith("unix://", StringComparison.Ordinal))
        {
            return null; // a remote engine: let Testcontainers try it
        }
        var socket = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host["unix://".Length..];
        if (!File.Exists(socket))
        {
            return $"no {socket} and no DOCKER_HOST";
        }
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return null;
        }
        catch (SocketException ex)
        {
            return $"{socket}: {ex.Message}";
        }
    }
}
