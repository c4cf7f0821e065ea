namespace AirflowGuard.Cli;

/// <summary>A PolicyTest document: which policies, which resources, and what should come of them.</summary>
internal sealed record PolicyTestCase(string Name, string File, IReadOnlyList<string> Policies, IReadOnlyList<string> Resources, string Namespace, IReadOnlyList<ExpectedResult> Results);
