using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Which component a pod is, from each chart's and executor's labels, and which containers are Airflow.</summary>
public class ComponentRecognizerTests
{
    [Fact]
    public void EveryComponent_HasABitOfItsOwn_InTheEnginesComponentMasks()
    {
        // ComponentMask gives each component one bit of a uint: a 33rd component would wrap onto the first one's bit
        var components = Enum.GetValues<AirflowComponent>();
        var bits = components.Select(ComponentMask.Bit).ToList();

        Assert.All(components, c => Assert.InRange((int)c, 0, 31));
        Assert.Equal(components.Length, bits.Distinct().Count());
        Assert.Equal(components.Length, System.Numerics.BitOperations.PopCount(ComponentMask.Of(components.ToHashSet())));
    }

    [Theory]
    [InlineData("{ tier: airflow, component: scheduler, release: airflow }", "scheduler", "official chart")]
    [InlineData("{ tier: airflow, component: webserver, release: airflow }", "webserver", "official chart")]
    [InlineData("{ tier: airflow, component: api-server, release: airflow }", "api-server", "official chart")]
    [InlineData("{ tier: airflow, component: dag-processor, release: airflow }", "dag-processor", "official chart")]
    [InlineData("{ tier: airflow, component: triggerer, release: airflow }", "triggerer", "official chart")]
    [InlineData("{ tier: airflow, component: statsd, release: airflow }", "other", "official chart")]
    [InlineData("{ app: airflow, component: web, release: airflow }", "webserver", "community chart")]
    [InlineData("{ app: airflow, component: worker, release: airflow }", "worker", "community chart")]
    [InlineData("{ app.kubernetes.io/name: airflow, app.kubernetes.io/component: scheduler }", "scheduler", "Bitnami chart")]
    [InlineData("{ app.kubernetes.io/name: airflow, app.kubernetes.io/component: web }", "webserver", "Bitnami chart")]
    [InlineData("{ tier: airflow, component: worker, kubernetes_executor: \"True\", dag_id: etl, task_id: load }", "task", "kubernetes_executor")]
    [InlineData("{ airflow-worker: \"12\", dag_id: etl, task_id: load }", "task", "airflow-worker")]
    [InlineData("{ kubernetes_pod_operator: \"True\", dag_id: etl, task_id: spark }", "pod-operator", "kubernetes_pod_operator")]
    [InlineData("{ app: nginx }", "not-airflow", "no Airflow labels")]
    public void Component_IsRecognisedFromLabels(string labels, string component, string evidence)
    {
        var pod = PodWith(labels, "image: nginx:1.27");

        var recognition = ComponentRecognizer.Recognize(pod, RecognitionRules.Empty);

        Assert.Equal(component, recognition.Component.ToName());
        Assert.Contains(evidence, recognition.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("args: [bash, -c, exec airflow scheduler]", "scheduler")]
    [InlineData("args: [airflow, celery, worker]", "worker")]
    [InlineData("args: [airflow, tasks, run, etl, load, manual__1]", "task")]
    [InlineData("args: [airflow, triggerer]", "triggerer")]
    [InlineData("env: [{ name: AIRFLOW_IS_K8S_EXECUTOR_POD, value: \"True\" }]", "task")]
    public void WithoutLabels_TheCommandOrEnvDecides(string containerLine, string component)
    {
        var pod = PodWith("{ app: in-house }", "image: apache/airflow:2.9.3\n      " + containerLine);

        Assert.Equal(component, ComponentRecognizer.Recognize(pod, RecognitionRules.Empty).Component.ToName());
    }

    [Theory]
    [InlineData("ghcr.io/airflowguard/airflowguard:0.1.0", "airflowguard", "not-airflow")]
    [InlineData("registry.example.com/acme/etl-airflow:7", "main", "worker")]
    [InlineData("bitnami/airflow-worker:2.9.3", "main", "worker")]
    [InlineData("quay.io/prometheus/statsd-exporter:v0.26.1", "airflow-statsd", "not-airflow")]
    public void ImagesAndNames_MustSayAirflowAsAWord(string image, string container, string component)
    {
        var pod = PodWith("{ app: something }", $"image: {image}", container);

        Assert.Equal(component, ComponentRecognizer.Recognize(pod, RecognitionRules.Empty).Component.ToName());
    }

    [Fact]
    public void RecognitionRulesFromPolicyFiles_ComeFirst()
    {
        var pod = PodWith("{ app.example.com/role: airflow-worker-gpu }", "image: registry.example.com/data/etl-airflow:7");

        var recognition = ComponentRecognizer.Recognize(pod, Packs.Examples.Recognition);

        Assert.Equal(AirflowComponent.Worker, recognition.Component);
        Assert.Contains("recognition.yaml", recognition.Evidence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scheduler", "apache/airflow:2.9.3", ContainerRole.Airflow)]
    [InlineData("base", "registry.example.com/etl:1", ContainerRole.Airflow)]
    [InlineData("git-sync", "registry.k8s.io/git-sync/git-sync:v4.1.0", ContainerRole.GitSync)]
    [InlineData("dags-sync", "registry.k8s.io/git-sync/git-sync:v3.6.9", ContainerRole.GitSync)]
    [InlineData("istio-proxy", "docker.io/istio/proxyv2:1.22.0", ContainerRole.Sidecar)]
    [InlineData("fluent-bit", "cr.fluentbit.io/fluent/fluent-bit:3.0", ContainerRole.Sidecar)]
    [InlineData("cloud-sql-proxy", "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0", ContainerRole.Sidecar)]
    public void Containers_AreToldApart(string name, string image, ContainerRole role)
    {
        var pod = PodWith("{ tier: airflow, component: scheduler }", $"image: {image}", name);

        Assert.Equal(role, ContainerClassifier.Classify(pod.Containers[0], RecognitionRules.Empty));
    }

    internal static Kubernetes.PodView PodWith(string labels, string containerBody, string containerName = "main")
    {
        var bundle = Bundle.FromText("pod.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              namespace: airflow
              labels: {labels}
            spec:
              containers:
                - name: {containerName}
                  {containerBody}
            """);
        return bundle.Pod("Pod", "p");
    }
}
