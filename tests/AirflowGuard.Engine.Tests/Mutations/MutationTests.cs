using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.Support.MutationFixtures;

namespace AirflowGuard.Engine.Tests;

/// <summary>Mutations produce RFC 6902 patches that an independent implementation applies cleanly, that do what the policy says, and that are idempotent: the engine run on its own output patches nothing.</summary>
public class MutationTests
{
    [Fact]
    public void Mutations_OnADeploymentTemplate_AddressTheTemplate()
    {
        var deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: airflow-worker, namespace: airflow }
            spec:
              replicas: 2
              template:
                metadata: { labels: { tier: airflow, component: worker } }
                spec:
                  containers: [{ name: worker, image: apache/airflow:2.9.3, env: [] }]
            """;

        var (patched, patch) = MutateOnce(deployment, Packs.FromYaml(RemoteLogging), "Deployment", "airflow-worker");

        Assert.All(patch, op => Assert.StartsWith("/spec/template/spec/containers/0/env/-", op.Path, StringComparison.Ordinal));
        Assert.Equal(2, patched["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Count);
    }
}
