using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// Loads policy files into a compiled <see cref="PolicySet"/>. Every problem in every file is
/// reported with file:line:column; a set is returned only when there are none, so a broken file
/// never half-applies. The built-in driver catalogue is always loaded first; users' catalogue
/// entries override it.
/// </summary>
public static class PolicyLoader
{
    public const string ApiVersion = "airflowguard.dev/v1";

    private static readonly string[] Kinds = ["AirflowPolicy", "DriverCatalog", "AirflowRecognition", "PolicyTest"];

    /// <summary>
    /// Loads files and the *.yaml / *.yml files directly inside folders (not their subfolders: a mounted
    /// ConfigMap is flat, and policies/examples must not load by accident). Hidden entries and ConfigMap
    /// "..data" links are skipped. With <paramref name="requirePolicies"/> (what enforces: serve, check), a
    /// set without a single AirflowPolicy is refused: an emptied folder or ConfigMap would otherwise admit
    /// everything unchecked. lint and test read catalogue-only files, and do not require it.
    /// </summary>
    public static PolicyLoadResult LoadPaths(IEnumerable<string> paths, bool requirePolicies = false)
    {
        paths = paths.ToList();
        var sources = new List<(string File, string Text)>();
        var errors = new List<PolicyError>();
        foreach (var path in paths)
        {
            foreach (var file in ExpandPath(path, errors))
            {
                try
                {
                    sources.Add((file, File.ReadAllText(file)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    errors.Add(new PolicyError(file, 1, 1, $"cannot read the file: {ex.Message}"));
                }
            }
        }
        var result = LoadTexts(sources, requirePolicies, string.Join(", ", paths));
        return errors.Count == 0 ? result : new PolicyLoadResult(null, [.. errors, .. result.Errors]);
    }

    /// <summary>
    /// Loads policy texts; <paramref name="sources"/> pairs a file name (for errors) with its content. With
    /// <paramref name="requirePolicies"/>, a set without a single AirflowPolicy is refused.
    /// </summary>
    public static PolicyLoadResult LoadTexts(IEnumerable<(string File, string Text)> sources, bool requirePolicies = false, string? origin = null)
    {
        var builder = new PolicySetBuilder();
        builder.AddDocuments("built-in drivers.yaml", DriverCatalog.BuiltInText());
        var files = new List<string>();
        foreach (var (file, text) in sources)
        {
            files.Add(file);
            builder.AddDocuments(file, text);
        }
        var result = builder.Build();
        if (result.Set is { Policies.Count: 0 } && requirePolicies)
        {
            var where = origin ?? files.FirstOrDefault() ?? "(no policy files)";
            return new PolicyLoadResult(null, [new PolicyError(files.FirstOrDefault() ?? where, 1, 1,
                $"no AirflowPolicy in {where} ({files.Count} file(s)): an empty policy set would admit every pod unchecked, so it is refused")]);
        }
        return result;
    }

    public static PolicyLoadResult LoadText(string file, string text) => LoadTexts([(file, text)]);

    /// <summary>The policy files <paramref name="path"/> stands for, as <see cref="LoadPaths"/> picks them; a missing path is an error.</summary>
    public static List<string> ExpandPath(string path, List<PolicyError> errors)
    {
        if (File.Exists(path))
        {
            return [path];
        }
        if (!Directory.Exists(path))
        {
            errors.Add(new PolicyError(path, 1, 1, "no such file or folder"));
            return [];
        }
        var files = new List<string>();
        Walk(path, files);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static void Walk(string folder, List<string> files)
    {
        foreach (var entry in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(entry);
            if (!name.StartsWith('.') &&
                (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            {
                files.Add(entry);
            }
        }
    }

    /// <summary>Accumulates documents from several files and assembles the set.</summary>
    private sealed class PolicySetBuilder
    {
        private readonly List<PolicyError> _errors = [];
        private readonly List<Policy> _policies = [];
        private readonly Dictionary<string, SourceLocation> _names = new(StringComparer.Ordinal);
        private readonly List<DriverInfo> _drivers = [];
        private readonly List<string> _files = [];
        private RecognitionRules _recognition = RecognitionRules.Empty;

        public void AddDocuments(string file, string text)
        {
            _files.Add(file);
            var reader = new YamlNodeReader(file);
            var stream = YamlText.Load(text, out var syntaxError);
            if (stream is null)
            {
                reader.Error(syntaxError!.Value.Line, syntaxError.Value.Column, syntaxError.Value.Message);
                _errors.AddRange(reader.Errors);
                return;
            }
            if (!stream.Documents.Any(d => d.RootNode is not YamlScalarNode { Value: null or "" }))
            {
                // a file cut to nothing, or to its comments, by a bad edit or a truncated ConfigMap
                reader.Error(1, 1, "the file holds no YAML document (it is empty or only comments): a truncated policy file would silently drop its policies");
            }
            foreach (var document in stream.Documents)
            {
                AddDocument(reader, document.RootNode);
            }
            _errors.AddRange(reader.Errors);
        }

        private void AddDocument(YamlNodeReader reader, YamlNode root)
        {
            if (root is YamlScalarNode { Value: null or "" })
            {
                return; // an empty document between two "---"
            }
            var map = reader.Map(root, "the document", "apiVersion", "kind", "metadata", "spec");
            if (map is null)
            {
                return;
            }
            var apiVersion = map.String("apiVersion", required: true);
            if (apiVersion is not null && apiVersion != ApiVersion)
            {
                reader.Error(map.Get("apiVersion")!, $"apiVersion must be {ApiVersion}, found \"{apiVersion}\"");
                return;
            }
            var kind = map.String("kind", required: true);
            if (kind is null)
            {
                return;
            }
            if (Array.IndexOf(Kinds, kind) < 0)
            {
                var suggestion = NameSuggestion.Closest(kind, Kinds);
                reader.Error(map.Get("kind")!, $"unknown kind \"{kind}\"" + (suggestion is null ? $"; expected one of: {string.Join(", ", Kinds)}" : $"; did you mean \"{suggestion}\"?"));
                return;
            }
            var metadata = reader.Map(map.Get("metadata"), "metadata", "name", "description", "labels", "annotations");
            if (metadata is null)
            {
                reader.Error(map.Node, $"a {kind} needs metadata with a name");
                return;
            }
            var name = metadata.String("name", required: true);
            if (name is not null && !IsDnsLabelish(name))
            {
                reader.Error(metadata.Get("name")!, $"name \"{name}\" must be lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
            }
            switch (kind)
            {
                case "AirflowPolicy":
                    var errorsBefore = reader.ErrorCount;
                    var policy = PolicyReader.Read(reader, map, name ?? "", metadata.String("description"));
                    if (policy is not null && reader.ErrorCount == errorsBefore && name is not null)
                    {
                        if (_names.TryGetValue(name, out var first))
                        {
                            reader.Error(metadata.Get("name")!, $"a policy named \"{name}\" is already defined at {first}");
                        }
                        else
                        {
                            _names[name] = policy.Location;
                            _policies.Add(policy);
                        }
                    }
                    break;
                case "DriverCatalog":
                    _drivers.AddRange(CatalogReader.ReadDrivers(reader, map, name ?? ""));
                    break;
                case "AirflowRecognition":
                    _recognition = _recognition.Merge(CatalogReader.ReadRecognition(reader, map, name ?? ""));
                    break;
                default:
                    break; // PolicyTest documents belong to `airflowguard test`
            }
        }

        public PolicyLoadResult Build()
        {
            if (_errors.Count > 0)
            {
                return new PolicyLoadResult(null, _errors);
            }
            return new PolicyLoadResult(new PolicySet
            {
                Policies = _policies,
                Drivers = new DriverCatalog(_drivers),
                Recognition = _recognition,
                Files = _files,
            }, []);
        }

        private static bool IsDnsLabelish(string name) =>
            name.Length is > 0 and <= 253 && char.IsAsciiLetterLower(name[0]) | char.IsAsciiDigit(name[0]) &&
            char.IsAsciiLetterLower(name[^1]) | char.IsAsciiDigit(name[^1]) &&
            name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
    }
}
