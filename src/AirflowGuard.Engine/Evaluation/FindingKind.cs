namespace AirflowGuard.Engine.Evaluation;

public enum FindingKind
{
    /// <summary>The rule is broken.</summary>
    Violation,

    /// <summary>The rule could not be checked because something it needs is unknown (never guessed).</summary>
    Unresolved,
}
