using System.Globalization;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The Airflow major version a container runs, read from its image tag (apache/airflow:1.10.15-python3.8,
/// bitnami/airflow:2.9.3-debian-12-r0, registry/airflow:slim-2.10.2): null when the tag does not say.
/// Option names differ between versions (Airflow 1.10 reads logging options from [core]).
/// </summary>
internal static class AirflowVersion
{
    /// <summary>The Airflow version the image tag names ("3.0.2" of apache/airflow:3.0.2-python3.12), or null when it names none.</summary>
    public static string? VersionOf(ContainerView container)
    {
        if (MajorOf(container) is null)
        {
            return null;
        }
        var image = container.Image!;
        image = image.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? image[..at] : image;
        var tag = image[(image.LastIndexOf(':') + 1)..];
        tag = tag.StartsWith("slim-", StringComparison.Ordinal) ? tag[5..] : tag;
        var end = 0;
        while (end < tag.Length && (char.IsAsciiDigit(tag[end]) || tag[end] == '.'))
        {
            end++;
        }
        return tag[..end].TrimEnd('.');
    }

    public static int? MajorOf(ContainerView container)
    {
        // the settings resolver and half a dozen rules ask of the same container in one evaluation: read once
        if (container.AirflowMajorRead is { } read && ReferenceEquals(read.Image, container.Image))
        {
            return read.Major;
        }
        var major = ReadMajor(container.Image);
        container.AirflowMajorRead = new AirflowMajorRead(container.Image, major);
        return major;
    }

    private static int? ReadMajor(string? image)
    {
        if (image is null || !ContainerClassifier.LooksLikeAirflowImage(image))
        {
            return null;
        }
        // read in place: no substring of the image is made (every Airflow container of every pod asks)
        var name = image.AsSpan();
        if (name.IndexOf('@') is var at and >= 0)
        {
            name = name[..at];
        }
        var colon = name.LastIndexOf(':');
        if (colon < 0 || colon < name.LastIndexOf('/'))
        {
            return null;
        }
        var tag = name[(colon + 1)..];
        if (tag.StartsWith("slim-", StringComparison.Ordinal))
        {
            tag = tag[5..];
        }
        var dot = tag.IndexOf('.');
        if (dot <= 0 || !int.TryParse(tag[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major is < 1 or > 9)
        {
            return null;
        }
        // a custom image's own version (airflow-custom:1.0.0) is no Airflow version: Airflow 1 was only ever 1.7-1.10
        return major != 1 || tag[(dot + 1)..].StartsWith("10") || tag[(dot + 1)..].StartsWith("9") || tag[(dot + 1)..].StartsWith("8")
            ? major
            : null;
    }
}

/// <summary>What <see cref="AirflowVersion.MajorOf"/> read from a container's image.</summary>
internal sealed record AirflowMajorRead(string? Image, int? Major);
