namespace AirflowGuard.Engine.Airflow;

public static class AirflowComponentNames
{
    private static readonly (AirflowComponent Component, string Name)[] Names =
    [
        (AirflowComponent.Scheduler, "scheduler"),
        (AirflowComponent.Webserver, "webserver"),
        (AirflowComponent.ApiServer, "api-server"),
        (AirflowComponent.Worker, "worker"),
        (AirflowComponent.Triggerer, "triggerer"),
        (AirflowComponent.DagProcessor, "dag-processor"),
        (AirflowComponent.Task, "task"),
        (AirflowComponent.PodOperator, "pod-operator"),
        (AirflowComponent.Other, "other"),
        (AirflowComponent.NotAirflow, "not-airflow"),
    ];

    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static string ToName(this AirflowComponent component)
    {
        foreach (var (c, name) in Names)
        {
            if (c == component)
            {
                return name;
            }
        }
        return component.ToString();
    }

    public static bool TryParse(string name, out AirflowComponent component)
    {
        foreach (var (c, n) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                component = c;
                return true;
            }
        }
        component = AirflowComponent.NotAirflow;
        return false;
    }

    /// <summary>
    /// The words a chart's <c>component</c> label uses for each component. The official chart says "webserver", the
    /// community and Bitnami charts "web"; everything else that belongs to a release is Other. Read by
    /// <see cref="FromChartLabel"/> and by its CEL form (<c>Export.ComponentCel</c>).
    /// </summary>
    internal static readonly (string[] Words, AirflowComponent Component)[] ChartLabelWords =
    [
        (["scheduler"], AirflowComponent.Scheduler),
        (["webserver", "web"], AirflowComponent.Webserver),
        (["api-server", "apiserver", "api"], AirflowComponent.ApiServer),
        (["worker", "workers"], AirflowComponent.Worker),
        (["triggerer"], AirflowComponent.Triggerer),
        (["dag-processor", "dagprocessor", "dag-processor-manager"], AirflowComponent.DagProcessor),
    ];

    /// <summary>The component a chart's <c>component</c> label names (<see cref="ChartLabelWords"/>).</summary>
    public static AirflowComponent FromChartLabel(string value)
    {
        foreach (var (words, component) in ChartLabelWords)
        {
            if (Array.IndexOf(words, value) >= 0)
            {
                return component;
            }
        }
        return AirflowComponent.Other;
    }
}
