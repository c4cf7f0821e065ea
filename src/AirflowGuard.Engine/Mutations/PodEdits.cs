using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Collects what mutations want to change in one pod and emits the JSON Patch at the end, so
/// several mutations touching the same list produce valid operations: the first addition to a
/// missing <c>env</c> creates the list, later ones append with "-". Names added once are not
/// added twice, whichever policy asks.
/// </summary>
internal sealed class PodEdits
{
    private readonly PodView _pod;

    // made on the first edit of each kind: most pods need no repair, and the pack's mutations run on every one
    private Dictionary<string, ContainerEdits>? _containers;
    private List<(string Name, JsonObject Volume)>? _volumes;
    private List<PatchOperation>? _direct;
    private HashSet<string>? _directPaths;

    public PodEdits(PodView pod) => _pod = pod;

    public bool IsEmpty => _containers is null && _volumes is null && _direct is null;

    public bool AddsVolume(string name) => Has(_volumes, name);

    public bool AddsEnv(ContainerView container, string name) =>
        Edits(container) is { } edits && (Has(edits.AddedEnv, name) || edits.ReplacedEnv.ContainsKey(name));

    public bool AddsMount(ContainerView container, string mountPath) => Edits(container) is { } edits && Has(edits.AddedMounts, mountPath);

    /// <summary>Whether an edit with this key (an env name, a mount path) is in the list.</summary>
    private static bool Has(List<(string Key, JsonObject Item)>? list, string key)
    {
        foreach (var (added, _) in (ReadOnlySpan<(string, JsonObject)>)CollectionsMarshal.AsSpan(list))
        {
            if (added == key)
            {
                return true;
            }
        }
        return false;
    }

    private ContainerEdits? Edits(ContainerView container) =>
        _containers is not null && _containers.TryGetValue(container.Pointer, out var edits) ? edits : null;

    public void AddEnv(ContainerView container, string name, JsonObject env)
    {
        if (!AddsEnv(container, name))
        {
            For(container).AddedEnv.Add((name, env));
        }
    }

    public void ReplaceEnv(ContainerView container, EnvVarView existing, JsonObject env)
    {
        if (!AddsEnv(container, existing.Name))
        {
            For(container).ReplacedEnv[existing.Name] = (existing.Index, env);
        }
    }

    public void AddMount(ContainerView container, string mountPath, JsonObject mount)
    {
        if (!AddsMount(container, mountPath))
        {
            For(container).AddedMounts.Add((mountPath, mount));
        }
    }

    public void AddVolume(string name, JsonObject volume)
    {
        if (!AddsVolume(name))
        {
            (_volumes ??= []).Add((name, volume));
        }
    }

    /// <summary>An operation at a fixed path (a volume attribute); the first edit of a path wins.</summary>
    public void Set(PatchOperation operation)
    {
        if ((_directPaths ??= new HashSet<string>(StringComparer.Ordinal)).Add(operation.Path))
        {
            (_direct ??= []).Add(operation);
        }
    }

    public IReadOnlyList<PatchOperation> ToPatch()
    {
        if (IsEmpty)
        {
            return [];
        }
        var operations = new List<PatchOperation>(_direct ?? []);
        AppendList(operations, _pod.SpecPointer + "/volumes", _pod.HasVolumesArray, _volumes?.ConvertAll(v => v.Volume) ?? []);
        foreach (var container in _pod.AllContainers)
        {
            if (Edits(container) is not { } edits)
            {
                continue;
            }
            foreach (var (_, (index, env)) in edits.ReplacedEnv)
            {
                operations.Add(PatchOperation.Replace(JsonPointer.Append(container.Pointer + "/env", index), env));
            }
            AppendList(operations, container.Pointer + "/env", container.HasEnvArray, edits.AddedEnv.ConvertAll(e => e.Env));
            AppendList(operations, container.Pointer + "/volumeMounts", container.HasMountsArray, edits.AddedMounts.ConvertAll(m => m.Mount));
        }
        return operations;
    }

    private static void AppendList(List<PatchOperation> operations, string listPointer, bool exists, List<JsonObject> items)
    {
        if (items.Count == 0)
        {
            return;
        }
        if (!exists)
        {
            var array = new JsonArray();
            foreach (var item in items)
            {
                array.Add((JsonNode)item);
            }
            operations.Add(PatchOperation.Add(listPointer, array));
            return;
        }
        foreach (var item in items)
        {
            operations.Add(PatchOperation.Add(listPointer + "/-", item));
        }
    }

    private ContainerEdits For(ContainerView container)
    {
        _containers ??= new Dictionary<string, ContainerEdits>(StringComparer.Ordinal);
        if (!_containers.TryGetValue(container.Pointer, out var edits))
        {
            edits = new ContainerEdits();
            _containers[container.Pointer] = edits;
        }
        return edits;
    }

    private sealed class ContainerEdits
    {
        public List<(string Name, JsonObject Env)> AddedEnv { get; } = [];
        public Dictionary<string, (int Index, JsonObject Env)> ReplacedEnv { get; } = new(StringComparer.Ordinal);
        public List<(string MountPath, JsonObject Mount)> AddedMounts { get; } = [];
    }
}
