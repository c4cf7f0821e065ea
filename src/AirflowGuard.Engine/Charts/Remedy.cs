using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Charts;

/// <summary>
/// What repairs a finding, said the same way whatever chart rendered the object; <see cref="ChartFixes"/> turns it into
/// the values keys of the chart that did. Rules state a remedy; only ChartFixes knows charts.
/// </summary>
internal abstract record Remedy;

/// <summary>Logs must stop depending on <see cref="Volume"/> and go to remote logging in <see cref="Store"/> (the store the mount stood for, if any).</summary>
/// <param name="FolderSetting">Where the logs folder was set ("Airflow default", "env AIRFLOW__LOGGING__BASE_LOG_FOLDER"): a folder moved by env is moved by an entry of the values' env lists.</param>
internal sealed record RemoteLoggingRemedy(string? Volume, string? Claim, ObjectStore Store, BackingClass Backing, string FolderSetting) : Remedy
{
    /// <summary>The Airflow major version of the container, from its image, when known: Airflow 1.10 reads the logging options from [core].</summary>
    public int? AirflowMajor { get; init; }
}

/// <summary>A sensitive value written in plain text must come from a Secret.</summary>
/// <param name="Name">The env var (AIRFLOW__SMTP__SMTP_PASSWORD) or, for airflow.cfg, the option's env name.</param>
/// <param name="Section">The option's section, when it is one of Airflow's options.</param>
/// <param name="Key">The option's key, when it is one of Airflow's options.</param>
/// <param name="Place">Where the plain text is.</param>
internal sealed record SecretRemedy(string Name, string? Section, string? Key, SecretPlace Place) : Remedy;

/// <summary>Where a plain-text secret was found.</summary>
internal enum SecretPlace
{
    /// <summary>A container's env list.</summary>
    Env,

    /// <summary>A ConfigMap the container reads through envFrom.</summary>
    EnvFromConfigMap,

    /// <summary>The airflow.cfg the container mounts from a ConfigMap.</summary>
    AirflowCfg,
}

/// <summary>A claim written from several nodes must be one that allows it (ReadWriteMany on a shared file system).</summary>
internal sealed record SharedClaimRemedy(string Volume, string? Claim) : Remedy;

/// <summary>DAGs on a host directory must come from a source every node sees: git-sync.</summary>
internal sealed record DagsFromGitRemedy(string? Volume) : Remedy;

/// <summary>A DAG claim nobody in the release writes: the pods must get DAGs some other way (git-sync into each pod).</summary>
internal sealed record UnwrittenDagClaimRemedy(string Volume) : Remedy;

/// <summary>A shared DAG volume must be mounted read-only where DAGs are only read.</summary>
internal sealed record ReadOnlyDagsRemedy(string Volume) : Remedy;

/// <summary>Airflow must read DAGs where the DAG volume is mounted: the DAGs folder set to <see cref="MountPath"/>.</summary>
internal sealed record DagsFolderRemedy(string MountPath) : Remedy;

/// <summary>Several git-sync writers on one volume: each pod syncs into its own emptyDir instead of the shared claim.</summary>
internal sealed record GitSyncIntoEachPodRemedy(string Volume) : Remedy;

/// <summary>Writers of a shared logs volume must share a group: the task pods (workers) join <see cref="Group"/>, the group most writers run as.</summary>
internal sealed record SharedGroupRemedy(long Group) : Remedy;

/// <summary>A release with an Airflow 3 scheduler must run the dag-processor.</summary>
internal sealed record DagProcessorRemedy : Remedy;

/// <summary>Every Airflow component must read the one signing key of its Airflow major version from one Secret.</summary>
/// <param name="AirflowVersion">The image's Airflow version, when its tag names one.</param>
/// <param name="Unset">The key is set nowhere (the chart did not set it); otherwise a component reads another key than the rest.</param>
/// <param name="OwnEnv">For a component whose env gives it its own key: that env var, which the values' env lists must not override.</param>
internal sealed record SigningKeyRemedy(int AirflowMajor, string? AirflowVersion, bool Unset, string? OwnEnv = null) : Remedy;

/// <summary>A long-running component's local logs must be bounded: the chart's log-cleaning sidecar for <see cref="Component"/>.</summary>
internal sealed record LogCleanupRemedy(Airflow.AirflowComponent Component) : Remedy;

/// <summary>The task pods' ServiceAccount must carry the workload identity (<see cref="Annotation"/>) the release reaches its log store with.</summary>
/// <param name="Value">The annotation's value on <see cref="FromAccount"/> (a role, not a secret).</param>
/// <param name="Component">The component whose account lacks the identity (task pods run as the workers' account in the official chart).</param>
internal sealed record TaskIdentityRemedy(Airflow.AirflowComponent Component, Kubernetes.CloudIdentity Cloud, string Annotation, string FromAccount, string? Value) : Remedy;

/// <summary>The api-server must be admitted to the log ports of workers and triggerer.</summary>
internal sealed record LogPortsRemedy : Remedy;

/// <summary>A pod_template_file written apart from the chart lacks what the chart's own would have: the chart must build it.</summary>
internal sealed record ChartPodTemplateRemedy : Remedy;
