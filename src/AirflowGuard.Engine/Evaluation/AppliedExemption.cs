namespace AirflowGuard.Engine.Evaluation;

/// <summary>A policy that was skipped for this object because of an exception, and the reason given for it.</summary>
public sealed record AppliedExemption(string Policy, IReadOnlyList<string> Rules, string Reason)
{
    /// <summary>The AirflowPolicyException that waived the policy or rules ("AirflowPolicyException airflow-ci/allow-host-path"); null for the policy's own exception.</summary>
    public string? Source { get; init; }

    /// <summary>"no-host-path-dags-or-logs/no-host-path waived by AirflowPolicyException airflow-ci/allow-host-path: kind clusters in CI …".</summary>
    public string Describe() =>
        $"{Policy}{(Rules.Count == 0 ? "" : "/" + string.Join(",", Rules))} waived by {Source ?? "the policy's exception"}: {Reason}";
}
