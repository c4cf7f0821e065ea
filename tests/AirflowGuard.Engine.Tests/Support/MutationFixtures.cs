using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Tests.Support;

/// <summary>The mutation tests' shared policy and pod, and the run that checks a patch applies cleanly and is idempotent.</summary>
internal static class MutationFixtures
{
    internal const string RemoteLogging = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: remote-logging }
        spec:
          mutations:
            - setEnv:
                values:
                  AIRFLOW__LOGGING__REMOTE_LOGGING: "True"
                  AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER: s3://logs/airflow
        """;

    internal const string SchedulerWithGitSync = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: scheduler-0
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
            - name: git-sync
              image: registry.k8s.io/git-sync/git-sync:v4.2.3
              env:
                - { name: GITSYNC_ROOT, value: /git }
        """;

    internal static (JsonNode Patched, IReadOnlyList<Mutations.PatchOperation> Patch) MutateOnce(string yaml, PolicySet policies, string kind, string name) =>
        MutateOnce(Bundle.FromText("test.yaml", yaml), policies, kind, name);

    /// <summary>Applies the engine's patch with the JSON Patch library and checks a second run patches nothing.</summary>
    internal static (JsonNode Patched, IReadOnlyList<Mutations.PatchOperation> Patch) MutateOnce(Bundle bundle, PolicySet policies, string kind, string name)
    {
        var obj = bundle.Objects.Single(o => o.Kind == kind && o.Json.GetProperty("metadata").GetProperty("name").GetString() == name);
        var first = ObjectEvaluator.Evaluate(obj.Json, "", policies, bundle.Cluster, "default");
        Assert.NotEmpty(first.Decision.Patch);

        var patched = Patches.Apply(obj.Json, first.Decision.Patch);

        var second = ObjectEvaluator.Evaluate(Patches.ToElement(patched), "", policies, bundle.Cluster, "default");
        Assert.Empty(second.Errors);
        Assert.Empty(second.Decision.Patch);
        return (patched, first.Decision.Patch);
    }

    internal static Decision Evaluate(JsonNode obj, PolicySet policies, IClusterState cluster) =>
        ObjectEvaluator.Evaluate(Patches.ToElement(obj), "", policies, cluster, "default").Decision;
}
