namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Where in an object a finding is, as the JSON path it names ("spec.containers[0].volumeMounts[3]"), written out only
/// when read. A rule names a container, or an item of one of its lists, and the path is built from the container's
/// place if a report asks for it: the webhook's answers never do, and building it cost more than a rule's check.
/// Two places are equal when their paths are.
/// </summary>
internal readonly struct JsonPlace : IEquatable<JsonPlace>
{
    private readonly string? _path;
    private readonly ContainerView? _container;
    private readonly string? _list;
    private readonly int _index;

    private JsonPlace(string? path) => _path = path;

    private JsonPlace(ContainerView container, string? list, int index) => (_container, _list, _index) = (container, list, index);

    /// <summary>A path already written out (or none).</summary>
    public static implicit operator JsonPlace(string? path) => new(path);

    /// <summary>The container itself ("spec.containers[0]").</summary>
    public static JsonPlace Of(ContainerView container) => new(container, null, 0);

    /// <summary>Item <paramref name="index"/> of the container's list <paramref name="list"/> ("spec.containers[0].env[4]").</summary>
    public static JsonPlace Of(ContainerView container, string list, int index) => new(container, list, index);

    /// <summary>The JSON path, or null for no place.</summary>
    public string? Path => _container is null ? _path : _list is null ? _container.Path : _container.PathOf(_list, _index);

    public bool Equals(JsonPlace other) => Path == other.Path;

    public override bool Equals(object? obj) => obj is JsonPlace other && Equals(other);

    public override int GetHashCode() => Path?.GetHashCode(StringComparison.Ordinal) ?? 0;

    public static bool operator ==(JsonPlace left, JsonPlace right) => left.Equals(right);

    public static bool operator !=(JsonPlace left, JsonPlace right) => !left.Equals(right);

    public override string? ToString() => Path;
}
