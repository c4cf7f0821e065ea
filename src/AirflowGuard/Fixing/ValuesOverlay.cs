using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Fixing;

/// <summary>
/// One Helm values overlay built from the values fixes of a release's findings: each key once, with the findings it
/// resolves; list values (the official chart's <c>secret</c>, <c>airflow.extraEnv</c>) gathered into one list;
/// site values from <see cref="SiteValues"/> or placeholders that still render. Written as YAML with a comment above
/// every key.
/// </summary>
/// <param name="user">The user's values, when given: a list a fix adds to (the official chart's <c>secret</c>) keeps the user's items.</param>
internal sealed class ValuesOverlay(SiteValues site, ValuesFile? user = null)
{
    private sealed class Entry(string key)
    {
        public string Key { get; } = key;
        public JsonNode? Value { get => Final?.Invoke() ?? field; set; }
        public Func<JsonNode>? Final { get; set; }
        public ValuesSite Site { get; set; }
        public List<string> Resolves { get; } = [];
        public List<string> Reasons { get; } = [];
    }

    private readonly List<Entry> _entries = [];
    private readonly List<string> _conflicts = [];

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Keys set to the same key with different values by two findings: the first is kept, the rest listed here.</summary>
    public IReadOnlyList<string> Conflicts => _conflicts;

    /// <summary>Keys still holding a placeholder, with the option that fills each.</summary>
    public IEnumerable<(string Key, string Option)> Placeholders =>
        _entries.Where(e => e.Value is not null && e.Value.ToJsonString().Contains("REPLACE-ME", StringComparison.Ordinal))
            .Select(e => (e.Key, e.Site != ValuesSite.None ? ValuesSites.OptionOf(e.Site) : ValuesSites.OptionOf(ValuesSite.SecretName)));

    /// <summary>Adds a fix's changes, naming <paramref name="finding"/> ("policy/rule on Deployment airflow/airflow-scheduler") beside each key.</summary>
    public void Add(ValuesFix fix, string finding)
    {
        foreach (var change in fix.Changes)
        {
            if (change.Site != ValuesSite.None && change.Value is JsonValue && site.For(change.Site) is null &&
                user?.At(change.Key) is JsonValue own && own.ToString().Length > 0)
            {
                continue; // a site value the user's values already hold (their git repository, their bucket) stays theirs
            }
            var value = Filled(change);
            var entry = _entries.Find(e => e.Key == change.Key);
            if (entry is null)
            {
                if (value is JsonArray added && user?.ListAt(change.Key) is { } existing)
                {
                    // helm replaces a list whole: the overlay's list starts with the user's own items
                    var merged = new JsonArray(existing.Select(item => item?.DeepClone()).ToArray());
                    foreach (var item in added)
                    {
                        if (!merged.Any(e => JsonNode.DeepEquals(e, item)))
                        {
                            merged.Add(item?.DeepClone());
                        }
                    }
                    value = merged;
                }
                entry = new Entry(change.Key) { Value = value, Site = change.Site };
                _entries.Add(entry);
            }
            else if (entry.Value is JsonArray list && value is JsonArray more)
            {
                foreach (var item in more)
                {
                    if (!list.Any(existing => JsonNode.DeepEquals(existing, item)))
                    {
                        list.Add(item?.DeepClone());
                    }
                }
            }
            else if (!JsonNode.DeepEquals(entry.Value, value))
            {
                _conflicts.Add($"{change.Key}: {Json(entry.Value)} kept, {Json(value)} wanted by {finding}");
            }
            if (!entry.Resolves.Contains(finding))
            {
                entry.Resolves.Add(finding);
            }
            if (!entry.Reasons.Contains(fix.Reason))
            {
                entry.Reasons.Add(fix.Reason);
            }
        }
    }

    /// <summary>Names <paramref name="finding"/> beside a list of the user's values that <c>fix</c> edited; the list is written whole, as <paramref name="list"/> gives it at the end.</summary>
    public void AddList(string path, Func<JsonNode> list, string finding, string reason)
    {
        var entry = _entries.Find(e => e.Key == path);
        if (entry is null)
        {
            entry = new Entry(path);
            _entries.Add(entry);
        }
        entry.Final = list; // edited in place by later findings: read when written
        if (!entry.Resolves.Contains(finding))
        {
            entry.Resolves.Add(finding);
        }
        if (!entry.Reasons.Contains(reason))
        {
            entry.Reasons.Add(reason);
        }
    }

    /// <summary>The change's value with the site's own value put in; a remote base log folder given also picks its store's connection.</summary>
    private JsonNode? Filled(ValuesChange change)
    {
        if (change.Site == ValuesSite.None || change.Value is null)
        {
            return change.Value?.DeepClone();
        }
        if (change.Site == ValuesSite.RemoteLogConnId && site.RemoteLogConnId is null && site.RemoteBaseLogFolder is { } folder &&
            ObjectStores.FromRemoteFolder(folder) is var store and not ObjectStore.None)
        {
            return JsonValue.Create(store.DefaultConnectionId());
        }
        if (site.For(change.Site) is not { } given)
        {
            return change.Value.DeepClone();
        }
        // the placeholder inside a list entry (secretName / secretKeyRef.name, a repository's URL) or the value itself
        return change.Value is JsonArray ? Replace(change.Value.DeepClone(), given) : JsonValue.Create(given);
    }

    private static JsonNode? Replace(JsonNode? node, string value)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Replace(array[i]?.DeepClone(), value);
                }
                return array;
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = Replace(obj[key]?.DeepClone(), value);
                }
                return obj;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains("REPLACE-ME", StringComparison.Ordinal):
                return JsonValue.Create(value);
            default:
                return node;
        }
    }

    /// <summary>The overlay as YAML: nested maps from the dotted keys, a comment above each key naming the findings it resolves.</summary>
    public void Write(TextWriter output, string header)
    {
        foreach (var line in header.Split('\n'))
        {
            output.WriteLine($"# {line}".TrimEnd());
        }
        var root = new Node();
        foreach (var entry in _entries)
        {
            var node = root;
            foreach (var part in entry.Key.Split('.'))
            {
                node = node.Children.Find(c => c.Name == part) ?? node.Add(part);
            }
            node.Entry = entry;
        }
        string? lastComment = null;
        foreach (var child in root.Children)
        {
            Write(child, 0, output, ref lastComment);
        }
    }

    private sealed class Node
    {
        public string Name { get; init; } = "";
        public List<Node> Children { get; } = [];
        public Entry? Entry { get; set; }

        public Node Add(string name)
        {
            var node = new Node { Name = name };
            Children.Add(node);
            return node;
        }
    }

    private static void Write(Node node, int depth, TextWriter output, ref string? lastComment)
    {
        var indent = new string(' ', depth * 2);
        if (node.Entry is { } entry)
        {
            const int Shown = 3;
            var resolves = entry.Resolves.Count <= Shown ? string.Join("; ", entry.Resolves) : $"{string.Join("; ", entry.Resolves.Take(Shown))} and {entry.Resolves.Count - Shown} more";
            var comment = $"# resolves {resolves}\n" + string.Concat(entry.Reasons.Select(r => $"#   {r}\n"));
            if (comment != lastComment)
            {
                // keys set for the same findings share the comment of the first
                foreach (var line in comment.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    output.WriteLine($"{indent}{line}");
                }
                lastComment = comment;
            }
            if (entry.Value is null)
            {
                output.WriteLine($"{indent}{Key(node.Name)}: null   # removes the key (helm drops a key set to null)");
                return;
            }
            output.WriteLine($"{indent}{Key(node.Name)}: {Json(entry.Value)}");
            return;
        }
        output.WriteLine($"{indent}{Key(node.Name)}:");
        foreach (var child in node.Children)
        {
            Write(child, depth + 1, output, ref lastComment);
        }
    }

    /// <summary>A key as YAML: plain when it is a simple name, else double-quoted.</summary>
    private static string Key(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? name : JsonValue.Create(name).ToJsonString(Plain);

    /// <summary>JSON text as written, without the HTML-safe escapes (+, &lt;, ') that YAML readers would show as \u002B.</summary>
    private static readonly JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A value as YAML flow (JSON is YAML): strings stay strings ("True" is not read as a boolean).</summary>
    private static string Json(JsonNode? value) => value is null ? "null" : value.ToJsonString(Plain);
}
