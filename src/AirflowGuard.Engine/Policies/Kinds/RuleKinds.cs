namespace AirflowGuard.Engine.Policies;

/// <summary>
/// The registry of rule kinds: the one place a kind's key maps to its reader, schema and texts. The list is made at
/// build time from the files in <c>Rules/Kinds/</c> (each declares its <c>Definition</c>; see the Engine's project
/// file), so a new kind is registered by adding its file. A rule names exactly one of these keys; an unknown key is an
/// error with the closest name suggested, never another rule.
/// </summary>
internal static partial class RuleKinds
{
    /// <summary>Every kind, by key.</summary>
    public static readonly IReadOnlyList<RuleKind> All = [.. Registered().OrderBy(k => k.Key, StringComparer.Ordinal)];

    public static readonly IReadOnlyList<string> Keys = [.. All.Select(k => k.Key)];

    public static RuleKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    /// <summary>The <c>Definition</c> of every file in <c>Rules/Kinds/</c> (generated: RuleKinds.g.cs).</summary>
    private static partial RuleKind[] Registered();
}
