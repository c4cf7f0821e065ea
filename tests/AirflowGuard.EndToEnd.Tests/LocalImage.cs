using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// The AirflowGuard image the chart installs: built by the local Docker engine from the repository's
/// Dockerfile (the Native AOT binary on the chiseled base, as released), or the image named by
/// AIRFLOWGUARD_E2E_IMAGE (name:tag, already in the local engine) when CI has built it in an earlier step.
/// </summary>
internal static class LocalImage
{
    public const string PrebuiltVariable = "AIRFLOWGUARD_E2E_IMAGE";

    /// <summary>Builds the image (Testcontainers removes it after the run); returns its name:tag.</summary>
    public static async Task<string> BuildAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable(PrebuiltVariable) is { Length: > 0 } prebuilt)
        {
            return prebuilt;
        }
        var image = new ImageFromDockerfileBuilder()
            .WithDockerfileDirectory(Repository.Root)
            .WithDockerfile("Dockerfile")
            .WithName($"airflowguard-e2e:{Guid.NewGuid():N}")
            .Build();
        await image.CreateAsync(ct);
        return image.FullName;
    }

    /// <summary>`docker save`: the image as a tar archive, which containerd's `ctr images import` reads.</summary>
    public static async Task SaveAsync(string image, string tarFile, CancellationToken ct)
    {
        using var docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientBuilder(Guid.NewGuid()).Build();
        await using var archive = await docker.Images.SaveImageAsync(image, ct);
        await using var file = File.Create(tarFile);
        await archive.CopyToAsync(file, ct);
    }

    /// <summary>The chart's image.repository and image.tag for a name:tag (a registry port is not a tag).</summary>
    public static (string Repository, string Tag) Split(string image)
    {
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
