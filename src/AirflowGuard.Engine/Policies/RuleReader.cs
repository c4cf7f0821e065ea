using AirflowGuard.Engine.Rules;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// Reads the rules of a policy: each has a name, exactly one check (a kind of <see cref="RuleKinds"/>, whose reader reads
/// its body), and an optional message and fix.
/// </summary>
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
            if (kind.Read(new KindBody(reader, map, kind.Key, reader.Location(map.Node)) { Name = name, Rule = kind }) is { } rule)
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
}
