using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>A problem a check met, as the one line a user reads (file:line[:column]: what).</summary>
internal sealed record CheckProblem(CheckProblemKind Kind, string Text)
{
    /// <summary>For a YAML or JSON error in an input: where, to the column.</summary>
    public ManifestError? Manifest { get; init; }

    /// <summary>Problems that make the input wrong (exit 2); conflicts are reported but resolved.</summary>
    public bool IsError => Kind is not (CheckProblemKind.Conflict or CheckProblemKind.Exception);

    public override string ToString() => Text;
}
