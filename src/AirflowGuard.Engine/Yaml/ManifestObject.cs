using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// One Kubernetes object from a manifest file, as JSON, with where it was written. The JSON may still be bytes
/// (<see cref="JsonSource.FromUtf8"/>), parsed when first read: <c>check</c> reads pods from the bytes in one pass
/// (<see cref="PodReader"/>) and never parses them.
/// </summary>
public sealed record ManifestObject(JsonSource Source, string File, int Line, int DocumentIndex)
{
    private readonly (bool Known, string? Value) _kind;

    public ManifestObject(JsonElement json, string file, int line, int documentIndex)
        : this(new JsonSource(json), file, line, documentIndex)
    {
    }

    /// <summary>The object (parsed on first use when it came as bytes).</summary>
    public JsonElement Json => Source.Element;

    /// <summary>The kind, as <see cref="KubeObjectReader.Kind"/> reads it, noted by a reader that saw it go by, so <see cref="Kind"/> needs no parse.</summary>
    public string? NotedKind
    {
        get => _kind.Value;
        init => _kind = (true, value);
    }

    public string? Kind => _kind.Known ? _kind.Value : KubeObjectReader.Kind(Json);

    /// <summary>apiVersion, metadata.namespace and metadata.name (each when a string), noted by a reader that saw them go by.</summary>
    public NotedIdentity? Noted { get; init; }

    public string Location => $"{File}:{Line}";

    /// <summary>For an object embedded in another (a pod_template_file in a ConfigMap): where.</summary>
    public EmbeddedTemplate? EmbeddedIn { get; init; }
}
