using AirflowGuard.Engine.Rules;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>How one kind of rule is read from its YAML body.</summary>
internal delegate Rule? RuleKindReader(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location);

/// <summary>One kind of rule: its YAML key, what it checks (for docs and errors), and its reader.</summary>
internal sealed record RuleKind(string Key, string Summary, RuleKindReader Read);

/// <summary>
/// The registry of rule kinds: the one place a kind's name maps to its reader. A rule names exactly
/// one of these keys; an unknown key is an error with the closest name suggested, never another rule.
/// </summary>
internal static class RuleKinds
{
    public static readonly IReadOnlyList<RuleKind> All =
    [
        new("forbidVolume", "a kind of storage (by class or driver) under the logs folder, the DAGs folder or a path", RuleReader.ReadForbidVolume),
        new("gitSyncSingleWriter", "git-sync writing a shared persistent volume from more than the single writer", RuleReader.ReadGitSync),
        new("readWriteOnceWrites", "a ReadWriteOnce claim written by pods that may land on several nodes", RuleReader.ReadReadWriteOnce),
        new("dagsFolderOnVolume", "a DAG volume mounted where Airflow does not read DAGs", RuleReader.ReadDagsFolder),
        new("forbidLiteralSecrets", "secrets written as literal env values or in envFrom ConfigMaps", RuleReader.ReadLiteralSecrets),
        new("dagClaimWriter", "(release-wide) a new DAG claim nothing writes", RuleReader.ReadDagClaimWriter),
        new("readWriteOnceAcrossWorkloads", "(release-wide) a ReadWriteOnce claim written by several workloads", RuleReader.ReadRwoAcrossWorkloads),
        new("validate", "a CEL expression over object, oldObject, request and the airflow view", ExpressionRuleReader.Read),
    ];

    public static readonly IReadOnlyList<string> Keys = [.. All.Select(k => k.Key)];

    public static RuleKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);
}
