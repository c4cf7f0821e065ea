using System.Diagnostics.CodeAnalysis;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Namespaced objects by namespace, then name: two lookups of one text each, which a dictionary of texts hashes
/// without the per-process randomised hash a tuple key of two texts pays on every lookup (and switches to it by
/// itself when names collide too often). The engine looks up the same few objects for every container it checks.
/// </summary>
internal sealed class NamespacedMap<T>
{
    private readonly Dictionary<string, Dictionary<string, T>> _namespaces = [];

    public T this[(string Namespace, string Name) key]
    {
        set
        {
            if (!_namespaces.TryGetValue(key.Namespace, out var names))
            {
                names = [];
                _namespaces[key.Namespace] = names;
            }
            names[key.Name] = value;
        }
    }

    public bool TryGetValue((string Namespace, string Name) key, [MaybeNullWhen(false)] out T value)
    {
        if (_namespaces.TryGetValue(key.Namespace, out var names))
        {
            return names.TryGetValue(key.Name, out value);
        }
        value = default;
        return false;
    }

    public T? GetValueOrDefault((string Namespace, string Name) key) => TryGetValue(key, out var value) ? value : default;
}
