using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>One thing a rule found, with the message a user reads and how to fix it.</summary>
public sealed record Finding(string Policy, string Rule, PolicyMode Mode, FindingKind Kind, string Message)
{
    public string? Fix { get; init; }

    /// <summary>JSON path of the part of the object at fault: "spec.volumes[2]", "spec.containers[0].env[4]".</summary>
    public string? Path
    {
        get => Place.Path;
        init => Place = value;
    }

    /// <summary>The part of the object at fault, its <see cref="Path"/> written out when read.</summary>
    internal JsonPlace Place { get; init; }

    /// <summary>What the finding rests on that AirflowGuard did not see but assumed (Airflow's defaults for an airflow.cfg not in view).</summary>
    public string? Assumed { get; init; }

    /// <summary>True when a mutation held back (the finding explains why), false for rule findings.</summary>
    public bool FromMutation { get; init; }

    /// <summary>What repairs the finding, whatever chart rendered the object (turned into <see cref="Values"/> for the chart that did).</summary>
    internal Remedy? Remedy { get; init; }

    /// <summary>The values change of the chart that rendered the object that repairs the finding, or why none can.</summary>
    public ValuesFix? Values { get; init; }

    /// <summary>The values fix for <paramref name="chart"/> (the chart a user names, where the labels name none or another).</summary>
    public ValuesFix? ValuesFor(ChartRelease chart) => Remedy is null ? null : ChartFixes.For(Remedy, chart);

    public bool Denies => Kind == FindingKind.Violation && Mode == PolicyMode.Enforce;
}
