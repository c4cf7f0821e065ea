namespace AirflowGuard.Engine.Charts;

/// <summary>The Helm chart an Airflow object was rendered from: each names the same settings with different values keys.</summary>
public enum ChartFamily
{
    /// <summary>No chart's labels: a hand-written manifest, or a chart AirflowGuard does not know.</summary>
    Unknown,

    /// <summary>The Apache Airflow project's chart (1.x): labels tier=airflow, component, release, chart=airflow-1.*.</summary>
    Official,

    /// <summary>The airflow-helm community chart (8.x): labels app=airflow, component, chart=airflow-8.*.</summary>
    Community,

    /// <summary>The old helm/charts stable/airflow chart (7.x, also the community chart's 7.x line): labels app=airflow, chart=airflow-7.*.</summary>
    Stable,

    /// <summary>Bitnami's chart: app.kubernetes.io/name=airflow, helm.sh/chart=airflow-*, images under /opt/bitnami.</summary>
    Bitnami,
}

/// <summary>The values-file names of <see cref="ChartFamily"/>, as <c>--chart</c> and the reports spell them.</summary>
public static class ChartFamilyNames
{
    public static string ToName(this ChartFamily family) => family switch
    {
        ChartFamily.Official => "official",
        ChartFamily.Community => "community",
        ChartFamily.Stable => "stable",
        ChartFamily.Bitnami => "bitnami",
        _ => "unknown",
    };

    public static bool TryParse(string text, out ChartFamily family)
    {
        family = text switch
        {
            "official" => ChartFamily.Official,
            "community" => ChartFamily.Community,
            "stable" => ChartFamily.Stable,
            "bitnami" => ChartFamily.Bitnami,
            _ => ChartFamily.Unknown,
        };
        return family != ChartFamily.Unknown;
    }

    /// <summary>How a report names the chart: "the official Apache Airflow chart".</summary>
    public static string Title(this ChartFamily family) => family switch
    {
        ChartFamily.Official => "the official Apache Airflow chart",
        ChartFamily.Community => "the airflow-helm community chart",
        ChartFamily.Stable => "the stable/airflow chart",
        ChartFamily.Bitnami => "Bitnami's Airflow chart",
        _ => "no known chart",
    };
}
