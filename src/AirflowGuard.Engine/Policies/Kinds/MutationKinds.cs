namespace AirflowGuard.Engine.Policies;

/// <summary>
/// The registry of mutation kinds, made at build time from the files in <c>Mutations/Kinds/</c> as
/// <see cref="RuleKinds"/> is from <c>Rules/Kinds/</c>.
/// </summary>
internal static partial class MutationKinds
{
    /// <summary>Every kind, by key.</summary>
    public static readonly IReadOnlyList<MutationKind> All = [.. Registered().OrderBy(k => k.Key, StringComparer.Ordinal)];

    public static readonly IReadOnlyList<string> Keys = [.. All.Select(k => k.Key)];

    public static MutationKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    /// <summary>The <c>Definition</c> of every file in <c>Mutations/Kinds/</c> (generated: MutationKinds.g.cs).</summary>
    private static partial MutationKind[] Registered();
}
