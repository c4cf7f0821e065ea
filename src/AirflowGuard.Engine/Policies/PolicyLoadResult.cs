namespace AirflowGuard.Engine.Policies;

/// <summary>The outcome of loading policy files: a set when there were no errors, and every error found.</summary>
public sealed record PolicyLoadResult(PolicySet? Set, IReadOnlyList<PolicyError> Errors)
{
    public bool Succeeded => Set is not null && Errors.Count == 0;
}
