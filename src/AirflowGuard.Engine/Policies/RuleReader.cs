using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Rules;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>Reads the rules of a policy: each has a name, exactly one check, and an optional message and fix.</summary>
internal static class RuleReader
{
    private static readonly string[] Keys = ["name", "message", "fix", "match", .. RuleKinds.Keys];

    public static List<Rule> ReadAll(YamlNodeReader reader, IReadOnlyList<YamlNode> nodes)
    {
        var rules = new List<Rule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var errorsBefore = reader.ErrorCount;
            var map = reader.Map(node, "a rule", Keys);
            var hadUnknownKeys = reader.ErrorCount > errorsBefore;
            if (map is null)
            {
                continue;
            }
            var name = map.String("name", required: true) ?? "";
            if (name.Length > 0 && !names.Add(name))
            {
                reader.Error(map.Get("name")!, $"this policy already has a rule named \"{name}\"");
            }
            var present = RuleKinds.Keys.Where(map.Has).ToList();
            if (present.Count == 0 && hadUnknownKeys)
            {
                continue; // a misspelt kind was already reported, with a suggestion
            }
            if (present.Count != 1)
            {
                reader.Error(map.Node, present.Count == 0
                    ? $"rule \"{name}\" needs one kind of check: {string.Join(", ", RuleKinds.Keys)}"
                    : $"rule \"{name}\" has {present.Count} checks ({string.Join(", ", present)}); write one rule per check");
                continue;
            }
            var kind = RuleKinds.Find(present[0])!;
            var components = ReadRuleMatch(reader, map);
            if (kind.Read(reader, map, map.Get(kind.Key)!, name, reader.Location(map.Node)) is { } rule)
            {
                if (components.Count > 0)
                {
                    rule.Components = components;
                }
                rules.Add(rule);
            }
        }
        return rules;
    }

    /// <summary>A rule's own <c>match: { components: [...] }</c>, narrowing its policy's match.</summary>
    private static HashSet<Airflow.AirflowComponent> ReadRuleMatch(YamlNodeReader reader, MapNode rule)
    {
        var match = reader.Map(rule.Get("match"), "a rule's match", "components");
        return match is null ? [] : PolicyReader.ReadComponents(reader, match, "components");
    }

    internal static Rule? ReadReadWriteOnce(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location) =>
        Parameterless(reader, rule, body, "readWriteOnceWrites", ReadWriteOnceRule.Placeholders, DefaultMessages.ReadWriteOnce, DefaultMessages.ReadWriteOnceFix,
            (message, fix) => new ReadWriteOnceRule { Name = name, Location = location, Message = message, Fix = fix });

    internal static Rule? ReadDagClaimWriter(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location) =>
        Parameterless(reader, rule, body, "dagClaimWriter", ReleaseRule.Placeholders, DefaultMessages.DagClaimWriter, DefaultMessages.DagClaimWriterFix,
            (message, fix) => new DagClaimWriterRule { Name = name, Location = location, Message = message, Fix = fix });

    internal static Rule? ReadRwoAcrossWorkloads(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location) =>
        Parameterless(reader, rule, body, "readWriteOnceAcrossWorkloads", ReleaseRule.Placeholders, DefaultMessages.ReadWriteOnceAcross, DefaultMessages.ReadWriteOnceFix,
            (message, fix) => new ReadWriteOnceAcrossWorkloadsRule { Name = name, Location = location, Message = message, Fix = fix });

    /// <summary>A kind that takes no parameters (<c>{}</c>): only its message and fix are read.</summary>
    private static Rule? Parameterless(YamlNodeReader reader, MapNode rule, YamlNode body, string kind, IReadOnlyCollection<string> placeholders,
        string message, string? fix, Func<MessageTemplate, MessageTemplate?, Rule> create) =>
        ReadEmptyCheck(reader, body, kind)
            ? create(Message(reader, rule, "message", placeholders, message)!, Message(reader, rule, "fix", placeholders, fix))
            : null;

    internal static Rule? ReadForbidVolume(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location)
    {
        var map = reader.Map(body, "forbidVolume", "at", "backing", "drivers", "access", "unlessRemoteLogging");
        if (map is null)
        {
            return null;
        }
        var at = map.String("at", required: true);
        FolderTarget? target = at switch
        {
            null => null,
            "logs" => FolderTarget.Logs,
            "dags" => FolderTarget.Dags,
            _ when at.StartsWith('/') => new FolderTarget(FolderKind.Path, Kubernetes.PathText.Normalize(at)),
            _ => null,
        };
        if (at is not null && target is null)
        {
            reader.Error(map.Get("at")!, $"at must be logs, dags or an absolute path, found \"{at}\"");
        }
        var backing = new HashSet<BackingClass>();
        var drivers = map.StringList("drivers").Select(d => new Glob(d.Value)).ToList();
        if (!map.Has("backing") && drivers.Count == 0)
        {
            reader.Error(map.Node, "forbidVolume needs backing (classes of storage), drivers (CSI driver or provisioner names), or both");
        }
        foreach (var (text, node) in map.StringList("backing"))
        {
            if (BackingClassNames.TryParse(text, out var classes))
            {
                backing.UnionWith(classes);
            }
            else
            {
                var suggestion = NameSuggestion.Closest(text, BackingClassNames.AllNames);
                reader.Error(node, $"unknown backing \"{text}\"" + (suggestion is null
                    ? $"; expected one of: {string.Join(", ", BackingClassNames.AllNames)}"
                    : $"; did you mean \"{suggestion}\"?"));
            }
        }
        var access = map.String("access") ?? "any";
        if (access is not ("any" or "write"))
        {
            reader.Error(map.Get("access")!, $"access must be write or any, found \"{access}\"");
        }
        return target is null ? null : new ForbidVolumeRule
        {
            Name = name,
            Location = location,
            At = target,
            Backing = backing,
            Drivers = drivers,
            WriteOnly = access == "write",
            UnlessRemoteLogging = map.Bool("unlessRemoteLogging") ?? false,
            Message = Message(reader, rule, "message", ForbidVolumeRule.Placeholders, DefaultMessages.ForbidVolume)!,
            Fix = Message(reader, rule, "fix", ForbidVolumeRule.Placeholders, null),
        };
    }

    internal static Rule? ReadGitSync(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location)
    {
        if (IsEmpty(body))
        {
            return new GitSyncWriterRule
            {
                Name = name,
                Location = location,
                Message = Message(reader, rule, "message", GitSyncWriterRule.Placeholders, DefaultMessages.GitSync)!,
                Fix = Message(reader, rule, "fix", GitSyncWriterRule.Placeholders, DefaultMessages.GitSyncFix),
            };
        }
        var map = reader.Map(body, "gitSyncSingleWriter", "writers");
        return map is null ? null : new GitSyncWriterRule
        {
            Name = name,
            Location = location,
            Writers = PolicyReader.ReadComponents(reader, map, "writers"),
            Message = Message(reader, rule, "message", GitSyncWriterRule.Placeholders, DefaultMessages.GitSync)!,
            Fix = Message(reader, rule, "fix", GitSyncWriterRule.Placeholders, DefaultMessages.GitSyncFix),
        };
    }

    internal static Rule? ReadDagsFolder(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location)
    {
        var volumes = new List<Glob>();
        if (!IsEmpty(body))
        {
            var map = reader.Map(body, "dagsFolderOnVolume", "dagVolumes");
            if (map is null)
            {
                return null;
            }
            volumes.AddRange(map.StringList("dagVolumes").Select(v => new Glob(v.Value)));
        }
        return new DagsFolderRule
        {
            Name = name,
            Location = location,
            DagVolumes = volumes.Count == 0 ? DagsFolderRule.DefaultDagVolumes : volumes,
            Message = Message(reader, rule, "message", DagsFolderRule.Placeholders, DefaultMessages.DagsFolder)!,
            Fix = Message(reader, rule, "fix", DagsFolderRule.Placeholders, DefaultMessages.DagsFolderFix),
        };
    }

    internal static Rule? ReadLiteralSecrets(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location)
    {
        var patterns = new List<SecretEnvPattern>();
        if (!IsEmpty(body))
        {
            var map = reader.Map(body, "forbidLiteralSecrets", "env");
            if (map is null)
            {
                return null;
            }
            foreach (var node in map.List("env"))
            {
                var entry = reader.Map(node, "an env pattern", "name", "when");
                if (entry?.String("name", required: true) is not { } pattern)
                {
                    continue;
                }
                var when = entry.String("when") ?? "always";
                if (when is not ("always" or "credentials"))
                {
                    reader.Error(entry.Get("when")!, $"when must be always or credentials, found \"{when}\"");
                }
                patterns.Add(new SecretEnvPattern(new Glob(pattern), when == "credentials" ? SecretCondition.Credentials : SecretCondition.Always));
            }
        }
        return new LiteralSecretRule
        {
            Name = name,
            Location = location,
            Env = patterns.Count == 0 ? LiteralSecretRule.Defaults : patterns,
            Message = Message(reader, rule, "message", LiteralSecretRule.Placeholders, DefaultMessages.LiteralSecret)!,
            Fix = Message(reader, rule, "fix", LiteralSecretRule.Placeholders, DefaultMessages.LiteralSecretFix),
        };
    }

    private static bool ReadEmptyCheck(YamlNodeReader reader, YamlNode body, string check)
    {
        if (IsEmpty(body))
        {
            return true;
        }
        reader.Map(body, check); // reports every key as unknown
        return body is YamlMappingNode { Children.Count: 0 };
    }

    internal static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Value: null or "" or "~" or "null" } or YamlMappingNode { Children.Count: 0 };

    internal static MessageTemplate? Message(YamlNodeReader reader, MapNode rule, string key, IReadOnlyCollection<string> placeholders, string? fallback)
    {
        var text = rule.String(key) ?? fallback;
        if (text is null)
        {
            return null;
        }
        var template = MessageTemplate.Parse(text.Trim(), placeholders, out var error);
        if (error is not null)
        {
            reader.Error(rule.Get(key) ?? rule.Node, $"{key}: {error}");
        }
        return template;
    }
}
