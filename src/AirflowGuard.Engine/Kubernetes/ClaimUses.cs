using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// How the workloads of a bundle mount one claim, summed up as they are indexed: what release-wide rules ask, in
/// memory that does not grow with the number of pods (a release can run 50,000 task pods on one DAG claim).
/// </summary>
internal sealed class ClaimUses(ManifestLocation first)
{
    /// <summary>Where the claim is first mounted.</summary>
    public ManifestLocation First { get; } = first;

    /// <summary>Workloads that mount the claim where DAGs are read: a volume named like a DAG volume, or a "dags" folder in the path.</summary>
    public DistinctNames DagWorkloads { get; } = new();

    /// <summary>The mount path of the first such mount.</summary>
    public string? DagMountPath { get; private set; }

    /// <summary>Workloads that mount the claim writable.</summary>
    public DistinctNames Writers { get; } = new();

    /// <summary>The pod volume name of the first mount where DAGs are read.</summary>
    public string? DagVolume { get; private set; }

    /// <summary>The chart of the first workload that mounts the claim.</summary>
    public Charts.ChartRelease? Chart { get; private set; }

    /// <summary>The pod volume name of the first writable mount ("logs" for the official chart's logs claim).</summary>
    public string? WriterVolume { get; private set; }

    /// <summary>The chart of the first workload that writes the claim.</summary>
    public Charts.ChartRelease? WriterChart { get; private set; }

    /// <summary>The workloads that write the claim at a logs folder (a mount path with a <c>logs</c> segment), with who each writes as (null when unknown).</summary>
    public List<(string Workload, WriterIdentity? Identity)> LogWriters { get; } = [];

    public void Add(ClaimUse use)
    {
        Chart ??= use.Chart;
        if (use.Writes && use.MountPath.Split('/').Any(segment => segment.Equals("logs", StringComparison.OrdinalIgnoreCase)) &&
            !LogWriters.Contains((use.Workload, use.Identity)))
        {
            LogWriters.Add((use.Workload, use.Identity));
        }
        if (IsDagMount(use))
        {
            DagWorkloads.Add(use.Workload);
            DagMountPath ??= use.MountPath;
            DagVolume ??= use.Volume;
        }
        if (use.Writes)
        {
            Writers.Add(use.Workload);
            WriterVolume ??= use.Volume;
            WriterChart ??= use.Chart;
        }
    }

    private static bool IsDagMount(ClaimUse use) =>
        Glob.AnyMatch(Rules.DagsFolderRule.DefaultDagVolumes, use.Volume) || // named like a DAG volume, as the DAGs-folder rule reads it
        use.MountPath.Split('/').Any(segment => segment.Equals("dags", StringComparison.OrdinalIgnoreCase));
}
