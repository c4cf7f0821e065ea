namespace AirflowGuard.Engine.Policies;

/// <summary>A problem in a policy file, located by file, line and column (both 1-based).</summary>
public sealed record PolicyError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>The outcome of loading policy files: a set when there were no errors, and every error found.</summary>
public sealed record PolicyLoadResult(PolicySet? Set, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Set is not null && Errors.Count == 0;
}
