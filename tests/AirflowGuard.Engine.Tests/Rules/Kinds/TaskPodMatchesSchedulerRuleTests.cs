using static AirflowGuard.Engine.Tests.RenderFindings;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>taskPodMatchesScheduler: a pod_template_file sees the DAGs the release parses and logs where the UI reads.</summary>
public class TaskPodMatchesSchedulerRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: drift, taskPodMatchesScheduler: {} }", mode: "Warn");

    [Fact]
    public void AnOwnPodTemplateWithoutTheDagClaim_IsAViolation_NamingTheDagProcessorsVolume()
    {
        var found = Render("official-1.19/k8s-pvc-dags-own-pod-template.yaml").Violations(Rule);

        var template = Assert.Single(Assert.Single(found, f => f.Key == "ConfigMap/airflow-config").Value);
        Assert.Single(found);
        Assert.Contains("has no volume at its DAGs folder", template.Message, StringComparison.Ordinal);
        Assert.Contains("airflow-dag-processor reads DAGs from volume dags (claim airflow-dags)", template.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/k8s-pvc-dags-pod-template-with-dags.yaml")] // the same template with the claim mounted
    [InlineData("official-1.19/k8s-logs-pvc-gitsync.yaml")] // the chart's own template
    [InlineData("official-1.16/k8s-logs-pvc-gitsync.yaml")] // Airflow 2: the scheduler parses
    [InlineData("official-1.19/k8s-stock.yaml")] // DAGs in the image for every component
    public void TemplatesThatSeeTheParsedDags_AreClean(string render) =>
        Assert.Empty(Render(render).Violations(Rule));

    [Fact]
    public void TaskLogsUploadedWhereTheUiDoesNotRead_AreAViolation()
    {
        // remote logging for the whole release, and another bucket written into the pod_template_file's env only
        var bundle = Edited("official-1.19/k8s-s3-logs-irsa-all.yaml", text => text.Replace(
            "          env:\n            - name: AIRFLOW__CORE__EXECUTOR\n              value: \"KubernetesExecutor\"",
            "          env:\n            - name: AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER\n              value: s3://another-bucket/logs\n            - name: AIRFLOW__CORE__EXECUTOR\n              value: \"KubernetesExecutor\"",
            StringComparison.Ordinal));

        var template = Assert.Single(bundle.Violations(Rule)["ConfigMap/airflow-config"]);

        Assert.Contains("uploads task logs to s3://another-bucket/logs", template.Message, StringComparison.Ordinal);
        Assert.Contains("reads them from s3://example-airflow-logs/prod", template.Message, StringComparison.Ordinal);
    }
}
