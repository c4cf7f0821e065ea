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
    /// The component a chart's <c>component</c> label names. The official chart says "webserver",
    /// the community and Bitnami charts "web"; everything else that belongs to a release is Other.
    /// </summary>
    public static AirflowComponent FromChartLabel(string value) => value switch
    {
        "scheduler" => AirflowComponent.Scheduler,
        "webserver" or "web" => AirflowComponent.Webserver,
        "api-server" or "apiserver" or "api" => AirflowComponent.ApiServer,
        "worker" or "workers" => AirflowComponent.Worker,
        "triggerer" => AirflowComponent.Triggerer,
        "dag-processor" or "dagprocessor" or "dag-processor-manager" => AirflowComponent.DagProcessor,
        _ => AirflowComponent.Other,
    };
}
