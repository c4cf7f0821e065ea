using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>Reads and compiles one <c>kind: AirflowPolicy</c> document.</summary>
internal static class PolicyReader
{
    public static Policy? Read(YamlNodeReader reader, MapNode document, string name, string? description)
    {
        var spec = reader.Map(document.Get("spec"), "spec", "mode", "assumptions", "match", "exceptions", "rules", "mutations");
        if (spec is null)
        {
            reader.Error(document.Node, "an AirflowPolicy needs a spec");
            return null;
        }
        var rules = RuleReader.ReadAll(reader, spec.List("rules"));
        var mutations = MutationReader.ReadAll(reader, spec.List("mutations"));
        if (!spec.Has("rules") && !spec.Has("mutations"))
        {
            reader.Error(spec.Node, "spec needs rules, mutations or both");
        }
        var policy = new Policy
        {
            Name = name,
            Description = description,
            Mode = ReadMode(reader, spec),
            Assumptions = ReadAssumptions(reader, spec),
            Match = ReadMatch(reader, spec.Get("match")),
            Exceptions = ReadExemptions(reader, spec.List("exceptions"), rules.Select(r => r.Name).ToHashSet(StringComparer.Ordinal)),
            Rules = rules,
            Mutations = mutations,
            Location = reader.Location(document.Node),
        };
        return policy;
    }

    private static PolicyMode ReadMode(YamlNodeReader reader, MapNode spec)
    {
        var text = spec.String("mode");
        if (text is null)
        {
            return PolicyMode.Enforce;
        }
        foreach (var mode in Enum.GetValues<PolicyMode>())
        {
            if (string.Equals(mode.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }
        reader.Error(spec.Get("mode")!, $"mode must be Enforce, Warn or Audit, found \"{text}\"");
        return PolicyMode.Enforce;
    }

    private static AssumptionMode ReadAssumptions(YamlNodeReader reader, MapNode spec)
    {
        var text = spec.String("assumptions");
        if (text is null)
        {
            return AssumptionMode.Accept;
        }
        foreach (var mode in Enum.GetValues<AssumptionMode>())
        {
            if (string.Equals(mode.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }
        reader.Error(spec.Get("assumptions")!, $"assumptions must be Accept or Warn, found \"{text}\"");
        return AssumptionMode.Accept;
    }

    public static PolicyMatch ReadMatch(YamlNodeReader reader, YamlNode? node)
    {
        if (node is null)
        {
            return PolicyMatch.All;
        }
        var match = reader.Map(node, "match", "kinds", "components", "namespaces", "excludeNamespaces", "labels");
        if (match is null)
        {
            return PolicyMatch.All;
        }
        var pods = true;
        var volumes = false;
        var others = new HashSet<string>(StringComparer.Ordinal);
        if (match.Has("kinds"))
        {
            pods = false;
            foreach (var (kind, kindNode) in match.StringList("kinds"))
            {
                switch (kind)
                {
                    case "Pod":
                        pods = true;
                        break;
                    case "PersistentVolume":
                        volumes = true;
                        break;
                    case "ConfigMap" or "Secret":
                        others.Add(kind); // checked by expression rules (airflow.cfg, pod_template_file, envFrom sources)
                        break;
                    default:
                        reader.Error(kindNode, $"kinds may be Pod (pods and the pod templates of workloads), PersistentVolume, ConfigMap or Secret, found \"{kind}\"");
                        break;
                }
            }
        }
        return new PolicyMatch
        {
            Pods = pods,
            PersistentVolumes = volumes,
            OtherKinds = others,
            Components = ReadComponents(reader, match, "components"),
            Namespaces = match.StringList("namespaces").Select(n => new Glob(n.Value)).ToList(),
            ExcludeNamespaces = match.StringList("excludeNamespaces").Select(n => new Glob(n.Value)).ToList(),
            Labels = ReadLabelGlobs(match, "labels"),
        };
    }

    public static HashSet<AirflowComponent> ReadComponents(YamlNodeReader reader, MapNode map, string key)
    {
        var components = new HashSet<AirflowComponent>();
        foreach (var (text, node) in map.StringList(key))
        {
            if (AirflowComponentNames.TryParse(text, out var component))
            {
                components.Add(component);
            }
            else
            {
                var suggestion = NameSuggestion.Closest(text, AirflowComponentNames.All);
                reader.Error(node, $"unknown component \"{text}\"" + (suggestion is null
                    ? $"; expected one of: {string.Join(", ", AirflowComponentNames.All)}"
                    : $"; did you mean \"{suggestion}\"?"));
            }
        }
        return components;
    }

    public static Dictionary<string, Glob> ReadLabelGlobs(MapNode map, string key) =>
        map.StringMap(key).ToDictionary(l => l.Key, l => new Glob(l.Value), StringComparer.Ordinal);

    private static List<PolicyExemption> ReadExemptions(YamlNodeReader reader, IReadOnlyList<YamlNode> nodes, HashSet<string> ruleNames)
    {
        var list = new List<PolicyExemption>();
        foreach (var node in nodes)
        {
            var map = reader.Map(node, "an exception", "reason", "namespaces", "labels", "rules");
            if (map is null)
            {
                continue;
            }
            var reason = map.String("reason", required: true);
            if (reason is not null && string.IsNullOrWhiteSpace(reason))
            {
                reader.Error(map.Get("reason")!, "an exception needs a reason that says why the policy does not apply");
            }
            var rules = new List<string>();
            foreach (var (rule, ruleNode) in map.StringList("rules"))
            {
                if (!ruleNames.Contains(rule))
                {
                    var suggestion = NameSuggestion.Closest(rule, ruleNames);
                    reader.Error(ruleNode, $"the exception names rule \"{rule}\", which this policy does not have" + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?"));
                }
                rules.Add(rule);
            }
            if (!map.Has("namespaces") && !map.Has("labels"))
            {
                reader.Error(map.Node, "an exception needs namespaces, labels or both; an exception for everything is a disabled policy");
            }
            list.Add(new PolicyExemption
            {
                Reason = reason ?? "",
                Namespaces = map.StringList("namespaces").Select(n => new Glob(n.Value)).ToList(),
                Labels = ReadLabelGlobs(map, "labels"),
                Rules = rules,
                Location = reader.Location(node),
            });
        }
        return list;
    }
}
