using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Cli;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Fixing;

/// <summary>
/// The user's values (one or more <c>-f</c> files, merged as helm merges them: maps key by key, anything else replaced,
/// null removing a key), so that <c>fix</c> can edit items of their lists — an overlay can only replace a list whole.
/// Every list it edits is remembered with its dotted path, to be written whole into the overlay.
/// </summary>
internal sealed class ValuesFile
{
    private static readonly string[] EnvLists = ["env", "extraEnv", "extraEnvVars"];
    private static readonly string[] VolumeLists = ["volumes", "extraVolumes"];
    private static readonly string[] MountLists = ["volumeMounts", "extraVolumeMounts"];

    private readonly JsonObject _values;
    private readonly Dictionary<string, JsonArray> _edited = new(StringComparer.Ordinal);
    private readonly Dictionary<ListEdit, List<string>> _applied = [];

    private ValuesFile(JsonObject values) => _values = values;


    /// <summary>Reads and merges <paramref name="paths"/> in order; a file that is not a YAML map is an error with its file:line:column.</summary>
    public static ValuesFile Load(IReadOnlyList<string> paths)
    {
        var merged = new JsonObject();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new UsageException($"fix: values file {path} does not exist");
            }
            // the manifest reader reads any YAML document (a values file is one without kind), with file:line:column errors
            using var reader = new StreamReader(path);
            foreach (var (document, error) in ManifestReader.Read(reader, path))
            {
                if (error is not null)
                {
                    throw new UsageException(error.ToString());
                }
                if (document is null)
                {
                    continue;
                }
                if (document.Json.ValueKind != JsonValueKind.Object || JsonNode.Parse(document.Json.GetRawText()) is not JsonObject values)
                {
                    throw new UsageException($"{document.Location}: a values file must be a map of keys");
                }
                Merge(merged, values);
                break; // helm reads the first document of a values file
            }
        }
        return new ValuesFile(merged);
    }

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (key, value) in from.ToList())
        {
            if (value is JsonObject map && into[key] is JsonObject existing)
            {
                Merge(existing, map);
            }
            else
            {
                into[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>The list the values hold at <paramref name="dottedKey"/> ("secret", "airflow.extraEnv"), or null.</summary>
    public JsonArray? ListAt(string dottedKey) => At(dottedKey) as JsonArray;

    /// <summary>The value the values hold at <paramref name="dottedKey"/> ("dags.gitSync.repo"), or null.</summary>
    public JsonNode? At(string dottedKey)
    {
        JsonNode? node = _values;
        foreach (var part in dottedKey.Split('.'))
        {
            node = node is JsonObject map ? map[part] : null;
        }
        return node;
    }

    private readonly Dictionary<string, JsonArray?> _stringLists = new(StringComparer.Ordinal);

    /// <summary>The list a string value holds (parsed once), or null when it holds template code or no list.</summary>
    private JsonArray? StringList(string path, string text)
    {
        if (_stringLists.TryGetValue(path, out var parsed))
        {
            return parsed;
        }
        parsed = null;
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            // a manifest document is a map: read the list as the value of one key, indented under it
            var indented = "items:\n" + string.Concat(text.Split('\n').Select(line => $"  {line}\n"));
            using var reader = new StringReader(indented);
            var (document, error) = ManifestReader.Read(reader, path).FirstOrDefault();
            if (error is null && document is not null && document.Json.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                parsed = JsonNode.Parse(items.GetRawText()) as JsonArray;
            }
        }
        _stringLists[path] = parsed;
        return parsed;
    }

    /// <summary>An edited list as the overlay writes it: the list, or for a list the values hold as a string, that string.</summary>
    public JsonNode EditedValue(string path)
    {
        var list = _edited[path];
        if (!_stringLists.ContainsKey(path))
        {
            return list;
        }
        var text = new System.Text.StringBuilder();
        foreach (var item in list)
        {
            text.Append("- ").Append(item?.ToJsonString()).Append('\n'); // JSON is YAML: one item per line
        }
        return JsonValue.Create(text.ToString());
    }

    /// <summary>Makes <paramref name="edit"/> on every list of the values it concerns; the dotted paths of the lists it changed (none: no list holds the item).</summary>
    public List<string> Apply(ListEdit edit, string secretName)
    {
        if (_applied.TryGetValue(edit, out var done))
        {
            return done; // another finding asked for the same edit: made once, named for both
        }
        var changed = new List<string>();
        _applied[edit] = changed;
        foreach (var (path, list, name) in Lists(_values, ""))
        {
            var kind = EnvLists.Contains(name) ? 0 : VolumeLists.Contains(name) ? 1 : MountLists.Contains(name) ? 2 : -1;
            var concerned = edit.Kind switch
            {
                ListEditKind.RemoveEnv or ListEditKind.EnvFromSecret => kind == 0,
                ListEditKind.ReadOnlyMount => kind == 2,
                _ => kind is 1 or 2,
            };
            if (!concerned)
            {
                continue;
            }
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (list[i] is not JsonObject item || item["name"] is not JsonValue n || n.GetValueKind() != JsonValueKind.String || n.GetValue<string>() != edit.Name)
                {
                    continue;
                }
                _edited.TryAdd(path, list);
                if (!changed.Contains(path))
                {
                    changed.Add(path);
                }
                if (edit.Kind == ListEditKind.ReadOnlyMount)
                {
                    item["readOnly"] = true;
                }
                else if (edit.Kind == ListEditKind.EnvFromSecret)
                {
                    list[i] = new JsonObject
                    {
                        ["name"] = edit.Name,
                        ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secretName, ["key"] = edit.Name.ToLowerInvariant() } },
                    };
                }
                else
                {
                    list.RemoveAt(i);
                }
            }
        }
        return changed;
    }

    /// <summary>
    /// Every list under the values, with its dotted path and the key that holds it. An env list written as a YAML string
    /// (the official chart's <c>extraEnv</c>, a template) is read as the list it holds, unless it holds template code.
    /// </summary>
    private IEnumerable<(string Path, JsonArray List, string Name)> Lists(JsonObject map, string prefix)
    {
        foreach (var (key, value) in map)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is JsonArray list)
            {
                yield return (path, list, key);
            }
            else if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String && EnvLists.Contains(key) && StringList(path, text.GetValue<string>()) is { } parsed)
            {
                yield return (path, parsed, key);
            }
            else if (value is JsonObject child)
            {
                foreach (var inner in Lists(child, path))
                {
                    yield return inner;
                }
            }
        }
    }
}
