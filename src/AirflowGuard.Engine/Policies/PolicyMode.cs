namespace AirflowGuard.Engine.Policies;

/// <summary>What a violated rule does: deny the request, warn the user, or only record it.</summary>
public enum PolicyMode
{
    Enforce,
    Warn,
    Audit,
}
