namespace AirflowGuard.Engine.Evaluation;

/// <summary>A policy that was skipped for this object because of an exception, and the reason given for it.</summary>
public sealed record AppliedExemption(string Policy, IReadOnlyList<string> Rules, string Reason);
