namespace AirflowGuard.Engine.Policies;

/// <summary>A problem in a policy file, located by file, line and column (both 1-based).</summary>
public sealed record PolicyError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
