using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Tells what a pod is, from the labels the Airflow charts and executors set, falling back to
/// images, env and arguments when labels are missing. Order matters: executor labels beat chart
/// labels (a KubernetesExecutor pod built from the chart's template also says component=worker).
/// </summary>
internal static class ComponentRecognizer
{
    public static Recognition Recognize(PodView pod, RecognitionRules rules)
    {
        var labels = pod.Metadata.Labels;
        foreach (var selector in rules.Components)
        {
            if (Matches(selector, labels))
            {
                return new(selector.Component, $"recognition rule in {selector.Source}");
            }
        }

        if (IsTrue(labels, "kubernetes_executor"))
        {
            return new(AirflowComponent.Task, "label kubernetes_executor=True");
        }
        if (IsTrue(labels, "kubernetes_pod_operator"))
        {
            return new(AirflowComponent.PodOperator, "label kubernetes_pod_operator=True");
        }
        if (IsTrue(labels, "spark_kubernetes_operator") || IsTrue(labels, "ray-kubernetes-operator") || IsTrue(labels, "ray_kubernetes_operator"))
        {
            return new(AirflowComponent.PodOperator, "Spark/Ray operator label");
        }
        if (labels.ContainsKey("airflow-worker") && labels.ContainsKey("dag_id") && labels.ContainsKey("task_id"))
        {
            return new(AirflowComponent.Task, "labels airflow-worker, dag_id and task_id (KubernetesExecutor)");
        }

        if (labels.TryGetValue("component", out var component))
        {
            if (labels.TryGetValue("tier", out var tier) && tier == "airflow")
            {
                return new(AirflowComponentNames.FromChartLabel(component), $"labels tier=airflow, component={component} (official chart)");
            }
            if (labels.TryGetValue("app", out var app) && app == "airflow")
            {
                return new(AirflowComponentNames.FromChartLabel(component), $"labels app=airflow, component={component} (community chart)");
            }
        }
        if (labels.TryGetValue("app.kubernetes.io/name", out var name) && name == "airflow" &&
            labels.TryGetValue("app.kubernetes.io/component", out var bitnamiComponent))
        {
            return new(AirflowComponentNames.FromChartLabel(bitnamiComponent), $"label app.kubernetes.io/component={bitnamiComponent} (Bitnami chart)");
        }

        return RecognizeFromContainers(pod);
    }

    private static Recognition RecognizeFromContainers(PodView pod)
    {
        foreach (var container in pod.Containers.AsReadOnlySpan())
        {
            if (container.FindEnv("AIRFLOW_IS_K8S_EXECUTOR_POD") is not null)
            {
                return new(AirflowComponent.Task, $"env AIRFLOW_IS_K8S_EXECUTOR_POD in {container.DisplayName}");
            }
        }
        foreach (var container in pod.Containers.AsReadOnlySpan())
        {
            if (ComponentFromArgs(container) is { } fromArgs)
            {
                return new(fromArgs, $"command of {container.DisplayName}");
            }
        }
        // KubernetesExecutor runs each task in the pod_template_file's container named "base" (the
        // executor requires that name): a bare Pod shaped like that is a task pod, also on its own
        if (pod.SourceKind == "Pod" && pod.Containers.Count > 0 && pod.Containers.Any(c => c.Name == "base") &&
            pod.Containers.Any(c => c.Name == "base" && (ContainerClassifier.LooksLikeAirflowImage(c.Image) || HasAirflowEnv(c))))
        {
            return new(AirflowComponent.Task, "a bare Pod whose Airflow container is named base (KubernetesExecutor's pod_template_file)");
        }
        foreach (var container in pod.Containers.AsReadOnlySpan())
        {
            if (ContainerClassifier.LooksLikeAirflowImage(container.Image) || HasAirflowEnv(container))
            {
                return new(AirflowComponent.Worker, $"Airflow image or AIRFLOW__ env in {container.DisplayName}, no component label");
            }
        }
        return new(AirflowComponent.NotAirflow, "no Airflow labels, image or env");
    }

    private static AirflowComponent? ComponentFromArgs(ContainerView container)
    {
        if (!CommandMentionsAirflow(container.Command) && !CommandMentionsAirflow(container.Args))
        {
            return null;
        }
        var words = string.Join(' ', container.Command.Concat(container.Args));
        foreach (var word in TaskCommandWords)
        {
            if (words.Contains(word, StringComparison.Ordinal))
            {
                return AirflowComponent.Task;
            }
        }
        foreach (var (word, component) in CommandWords)
        {
            if (words.Contains(word, StringComparison.Ordinal))
            {
                return component;
            }
        }
        return null;
    }

    /// <summary>Words of a task's command line, asked before <see cref="CommandWords"/> (and by the recogniser's CEL form).</summary>
    internal static readonly string[] TaskCommandWords = ["execute_workload", "tasks run"];

    /// <summary>The words of an Airflow command line that name a component, in the order they are asked.</summary>
    internal static readonly (string Word, AirflowComponent Component)[] CommandWords =
    [
        ("dag-processor", AirflowComponent.DagProcessor), ("scheduler", AirflowComponent.Scheduler),
        ("api-server", AirflowComponent.ApiServer), ("webserver", AirflowComponent.Webserver),
        ("triggerer", AirflowComponent.Triggerer), ("celery worker", AirflowComponent.Worker),
    ];

    private static bool CommandMentionsAirflow(IReadOnlyList<string> words)
    {
        foreach (var word in words)
        {
            if (word.StartsWith("airflow", StringComparison.Ordinal) || word.Contains("airflow ", StringComparison.Ordinal) ||
                word.Contains("airflow.sdk", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasAirflowEnv(ContainerView container)
    {
        foreach (var env in container.Env.AsReadOnlySpan())
        {
            if (env.Name.StartsWith("AIRFLOW__", StringComparison.Ordinal) || env.Name == "AIRFLOW_HOME")
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsTrue(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool Matches(ComponentSelector selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, glob) in selector.Labels)
        {
            if (!labels.TryGetValue(key, out var value) || !glob.IsMatch(value))
            {
                return false;
            }
        }
        return true;
    }
}
