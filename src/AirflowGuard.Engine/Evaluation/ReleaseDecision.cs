namespace AirflowGuard.Engine.Evaluation;

/// <summary>
/// The release-wide rules' decision on one claim (its namespace and name) and all who mount it, located where the claim
/// is declared, or first used when the bundle does not declare it.
/// </summary>
public sealed record ReleaseDecision(string Namespace, string Claim, Kubernetes.ManifestLocation Location, Decision Decision)
{
    /// <summary>What reports call the claim: "PersistentVolumeClaim airflow/airflow-logs".</summary>
    public string Subject => $"PersistentVolumeClaim {Namespace}/{Claim}";
}
