namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A ServiceAccount: what rules ask of it is the cloud identity its annotations bind pods to.</summary>
public sealed record ServiceAccountInfo(string Namespace, string Name, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The annotation that gives pods of this account a cloud identity for <paramref name="cloud"/>, or null.</summary>
    public string? IdentityAnnotation(CloudIdentity cloud)
    {
        foreach (var key in CloudIdentities.AnnotationsOf(cloud))
        {
            if (Annotations.TryGetValue(key, out var value) && value.Length > 0)
            {
                return key;
            }
        }
        return null;
    }
}

/// <summary>The clouds whose object stores Airflow writes remote logs to, each reached through a workload identity.</summary>
public enum CloudIdentity
{
    /// <summary>S3 through EKS IAM roles for service accounts.</summary>
    Aws,

    /// <summary>GCS through GKE workload identity.</summary>
    Gcp,

    /// <summary>Azure Blob Storage through Azure workload identity.</summary>
    Azure,
}

/// <summary>Which remote log folders need which identity, and the annotations and env vars that give one.</summary>
public static class CloudIdentities
{
    /// <summary>The cloud of a remote base log folder (s3://, gs://, wasb://), or null for folders no workload identity reaches.</summary>
    public static CloudIdentity? OfRemoteFolder(string? folder) => folder switch
    {
        null => null,
        _ when folder.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) => CloudIdentity.Aws,
        _ when folder.StartsWith("gs://", StringComparison.OrdinalIgnoreCase) => CloudIdentity.Gcp,
        _ when folder.StartsWith("wasb", StringComparison.OrdinalIgnoreCase) || folder.StartsWith("abfs", StringComparison.OrdinalIgnoreCase) => CloudIdentity.Azure,
        _ => null,
    };

    /// <summary>The ServiceAccount annotations that bind a workload identity (EKS IRSA, GKE workload identity, Azure workload identity).</summary>
    public static IReadOnlyList<string> AnnotationsOf(CloudIdentity cloud) => cloud switch
    {
        CloudIdentity.Aws => ["eks.amazonaws.com/role-arn"],
        CloudIdentity.Gcp => ["iam.gke.io/gcp-service-account"],
        _ => ["azure.workload.identity/client-id"],
    };

    /// <summary>Env vars that hand a process credentials for <paramref name="cloud"/> without a workload identity.</summary>
    public static IReadOnlyList<string> CredentialEnvOf(CloudIdentity cloud) => cloud switch
    {
        CloudIdentity.Aws => ["AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE"],
        CloudIdentity.Gcp => ["GOOGLE_APPLICATION_CREDENTIALS"],
        _ => ["AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_KEY"],
    };

    /// <summary>"EKS IAM role", for messages ("carries no EKS IAM role").</summary>
    public static string Describe(CloudIdentity cloud) => cloud switch
    {
        CloudIdentity.Aws => "EKS IAM role",
        CloudIdentity.Gcp => "GKE workload identity",
        _ => "Azure workload identity",
    };
}
