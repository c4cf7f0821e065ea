namespace AirflowGuard.Engine.Policies;

/// <summary>Where something was written in a policy file.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
