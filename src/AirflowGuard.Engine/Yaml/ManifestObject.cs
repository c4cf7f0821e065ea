using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// One Kubernetes object from a manifest file, as JSON, with where it was written. The JSON may still be bytes
/// (<see cref="JsonSource.FromUtf8"/>), parsed when first read: <c>check</c> reads bare Pods from the bytes in one
/// pass (<see cref="TryReadBarePod"/>) and never parses them.
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

    /// <summary>The kind, as <see cref="Kubernetes.KubeObjectReader.Kind"/> reads it, noted by a reader that saw it go by, so <see cref="Kind"/> needs no parse.</summary>
    public string? NotedKind
    {
        get => _kind.Value;
        init => _kind = (true, value);
    }

    public string? Kind => _kind.Known ? _kind.Value : Kubernetes.KubeObjectReader.Kind(Json);

    /// <summary>apiVersion, metadata.namespace and metadata.name (each when a string), noted by a reader that saw them go by.</summary>
    public NotedIdentity? Noted { get; init; }

    /// <summary>
    /// A bare Pod read in one pass from the object's bytes, with its apiVersion (when a string); null when that
    /// does not apply (another kind, JSON already parsed, anything unusual or wrong): then read <see cref="Json"/>
    /// with <see cref="KubeObjectReader"/>, which gives the same view and says what is wrong.
    /// </summary>
    public PodView? TryReadBarePod(out string? apiVersion)
    {
        apiVersion = null;
        return _kind is (true, "Pod") && Source.Utf8 is { } utf8 ? PodStreamReader.TryReadDocument(utf8, out apiVersion) : null;
    }

    public string Location => $"{File}:{Line}";

    /// <summary>For an object embedded in another (a pod_template_file in a ConfigMap): where.</summary>
    public EmbeddedTemplate? EmbeddedIn { get; init; }
}
