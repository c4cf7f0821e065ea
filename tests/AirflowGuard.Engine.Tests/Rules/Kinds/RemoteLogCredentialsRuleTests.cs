using static AirflowGuard.Engine.Tests.RenderFindings;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>remoteLogCredentials: the pods that upload task logs have the cloud identity the rest of the release reaches the store with.</summary>
public class RemoteLogCredentialsRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: identity, remoteLogCredentials: {} }", mode: "Warn");

    private const string Unsafe = "official-1.19/k8s-s3-logs-irsa-scheduler-only.yaml";

    [Fact]
    public void TaskPodsAndTriggererWithoutTheSchedulersIamRole_AreViolations_RepairedOnTheWorkersAccount()
    {
        var found = Render(Unsafe).Violations(Rule);

        Assert.Equal(["ConfigMap/airflow-config", "StatefulSet/airflow-triggerer"], found.Keys.Order(StringComparer.Ordinal));
        var template = Assert.Single(found["ConfigMap/airflow-config"]);
        Assert.Contains("as ServiceAccount airflow-worker, which carries no EKS IAM role", template.Message, StringComparison.Ordinal);
        Assert.Contains("s3://example-airflow-logs/prod", template.Message, StringComparison.Ordinal);
        Assert.Contains("eks.amazonaws.com/role-arn", template.Message, StringComparison.Ordinal);
        Assert.Contains("workers.serviceAccount.annotations={\"eks.amazonaws.com/role-arn\":\"arn:aws:iam::123456789012:role/airflow-logs\"}", template.Values!.DescribeChanges(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/k8s-s3-logs-irsa-all.yaml")] // every uploader's account has the role
    [InlineData("official-1.19/remote-logging-env.yaml")] // no workload identity anywhere: keys come some other way
    [InlineData("official-1.19/k8s-stock.yaml")] // no remote logging
    public void ReleasesWhoseUploadersCanReachTheStore_AreClean(string render) =>
        Assert.Empty(Render(render).Violations(Rule));

    [Fact]
    public void AwsKeysInTheTaskPodsEnv_AreCredentials()
    {
        var bundle = Edited(Unsafe, text => text.Replace("          env:\n            - name: AIRFLOW__CORE__EXECUTOR\n              value: \"KubernetesExecutor\"",
                "          env:\n            - name: AWS_ACCESS_KEY_ID\n              valueFrom:\n                secretKeyRef:\n                  name: aws-keys\n                  key: id\n            - name: AIRFLOW__CORE__EXECUTOR\n              value: \"KubernetesExecutor\"",
                StringComparison.Ordinal));

        Assert.DoesNotContain("ConfigMap/airflow-config", bundle.Violations(Rule).Keys);
    }

    [Fact]
    public void AnAccountOutOfView_IsNotJudged()
    {
        // the workers' ServiceAccount removed from the manifests: it may exist in the cluster with the role
        var bundle = Edited(Unsafe, text => text.Replace("  name: \"airflow-worker\"\n", "  name: \"airflow-worker-elsewhere\"\n", StringComparison.Ordinal));

        Assert.DoesNotContain("ConfigMap/airflow-config", bundle.Violations(Rule).Keys);
    }
}
