using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Charts;

/// <summary>
/// Names the chart an Airflow object came from, from the labels the charts put on their objects (the object's own
/// labels first, then its pod template's) and, failing those, from Bitnami's image layout. A pod created from a
/// workload carries only the template's labels: the official chart's tier=airflow says the chart, not its version.
/// </summary>
public static class ChartRecognizer
{
    public static ChartRelease Recognize(ObjectMetadata? owner, PodView? pod)
    {
        if (owner is not null && FromLabels(owner.Labels) is { } fromOwner)
        {
            return fromOwner;
        }
        if (pod is not null && FromLabels(pod.Metadata.Labels) is { } fromPod)
        {
            return fromPod;
        }
        if (pod is not null && pod.Containers.Any(c => c.Mounts.Any(m => m.MountPath.StartsWith("/opt/bitnami/airflow", StringComparison.Ordinal))))
        {
            return new ChartRelease(ChartFamily.Bitnami, null, "mounts under /opt/bitnami/airflow");
        }
        return ChartRelease.Unknown;
    }

    /// <summary>The chart that <paramref name="labels"/> name, or null when they name none.</summary>
    public static ChartRelease? FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.TryGetValue("helm.sh/chart", out var helmChart) && Version(helmChart) is { } bitnamiVersion &&
            labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "airflow")
        {
            return new ChartRelease(ChartFamily.Bitnami, bitnamiVersion, $"labels helm.sh/chart={helmChart}, app.kubernetes.io/name=airflow");
        }
        labels.TryGetValue("chart", out var chart);
        var version = chart is null ? null : Version(chart);
        if (labels.TryGetValue("tier", out var tier) && tier == "airflow")
        {
            return new ChartRelease(ChartFamily.Official, version, chart is null ? "label tier=airflow" : $"labels tier=airflow, chart={chart}");
        }
        // the community chart labels its pod_template ConfigMap app/chart/release/heritage without a component
        if (labels.TryGetValue("app", out var app) && app == "airflow" && (labels.ContainsKey("component") || version is not null))
        {
            // the community chart's 8.x line rewrote the values; its 7.x line kept the stable chart's layout
            if (version is null)
            {
                return new ChartRelease(ChartFamily.Community, null, "labels app=airflow, component (no chart label: taken as the community chart)");
            }
            var family = version.StartsWith("7.", StringComparison.Ordinal) || version.StartsWith("6.", StringComparison.Ordinal) ? ChartFamily.Stable : ChartFamily.Community;
            return new ChartRelease(family, version, $"labels app=airflow, chart={chart}");
        }
        if (labels.TryGetValue("app.kubernetes.io/name", out var bitnamiName) && bitnamiName == "airflow" && labels.ContainsKey("app.kubernetes.io/component"))
        {
            return new ChartRelease(ChartFamily.Bitnami, null, "labels app.kubernetes.io/name=airflow, app.kubernetes.io/component");
        }
        return null;
    }

    /// <summary>"1.16.0-dev" from "airflow-1.16.0-dev"; null for another chart's name.</summary>
    private static string? Version(string chart) =>
        chart.StartsWith("airflow-", StringComparison.Ordinal) && chart.Length > 8 && char.IsAsciiDigit(chart[8]) ? chart[8..] : null;
}
