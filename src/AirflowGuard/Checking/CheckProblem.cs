using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>What kind of problem a check met.</summary>
internal enum CheckProblemKind
{
    /// <summary>An input that could not be read: a missing file, a YAML error (<see cref="CheckProblem.Manifest"/>).</summary>
    Read,

    /// <summary>An object read but not checkable (no kind, a field of the wrong type), or a failure inside AirflowGuard.</summary>
    Object,

    /// <summary>An object declared twice, differently: each file resolves against its own (not an error).</summary>
    Conflict,
}

/// <summary>A problem a check met, as the one line a user reads (file:line[:column]: what).</summary>
internal sealed record CheckProblem(CheckProblemKind Kind, string Text)
{
    /// <summary>For a YAML or JSON error in an input: where, to the column.</summary>
    public ManifestError? Manifest { get; init; }

    /// <summary>Problems that make the input wrong (exit 2); conflicts are reported but resolved.</summary>
    public bool IsError => Kind != CheckProblemKind.Conflict;

    public override string ToString() => Text;
}
