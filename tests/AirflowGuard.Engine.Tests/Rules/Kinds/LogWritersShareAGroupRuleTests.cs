using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.ReleaseRuleTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>logWritersShareAGroup (release-wide): a ReadWriteMany logs claim written by users with no group in common.</summary>
public class LogWritersShareAGroupRuleTests
{
    private const string Rule = "{ name: one-group, logWritersShareAGroup: {} }";

    private static string Render(string name) => Repo.Path("tests", "charts", "official-1.16", name);

    [Fact]
    public void TaskPodsOfAnotherUserAndGroup_OnTheChartsNfsLogsClaim_AreAViolation_NamingBothIdentities()
    {
        var decisions = Decisions(Rule, Render("k8s-nfs-logs-other-user.yaml"));

        var logs = Assert.Single(decisions, d => d.Decision.Findings.Count > 0);
        Assert.Equal("airflow-logs", logs.Claim);
        var finding = Assert.Single(logs.Decision.Findings);
        Assert.Contains("the pod template in ConfigMap ", finding.Message, StringComparison.Ordinal);
        Assert.Contains("/airflow-config as 1000:1000", finding.Message, StringComparison.Ordinal);
        Assert.Contains("as 50000:0", finding.Message, StringComparison.Ordinal);
        Assert.Contains("workers.securityContexts.pod.runAsGroup=0", finding.Values!.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void TaskPodsOfAnotherUser_InTheSchedulersGroup_AreLeftAlone()
    {
        var decisions = Decisions(Rule, Render("k8s-nfs-logs-shared-group.yaml"));

        Assert.Contains(decisions, d => d.Claim == "airflow-logs");
        Assert.All(decisions, d => Assert.Empty(d.Decision.Findings));
    }

    [Fact]
    public void AReadWriteOnceLogsClaim_IsLeftAlone_TheKubeletGivesItTheFsGroup()
    {
        var decisions = Decisions(Rule, Repo.Path("tests", "charts", "stable-6.5", "sureya-k8s-executor-rwo-claims.yaml"));

        Assert.All(decisions, d => Assert.Empty(d.Decision.Findings));
    }

    [Theory]
    [InlineData("securityContext: { runAsUser: 1000 }", "", "apache/airflow:2.10.5", "1000:0")] // the image's group
    [InlineData("securityContext: { runAsUser: 1000, runAsGroup: 5 }", "securityContext: { runAsUser: 7 }", "apache/airflow:2.10.5", "7:5")] // the container wins
    [InlineData("securityContext: { fsGroup: 3, supplementalGroups: [4, 3] }", "", "apache/airflow:2.10.5", "50000:0 (groups 0,3,4)")]
    [InlineData("", "", "bitnami/airflow:3.0.5", "1001:0")]
    public void TheWriterIdentity_IsTheContainersThenThePodsThenTheImagesUser(string podSecurity, string containerSecurity, string image, string expected)
    {
        var bundle = Bundle.FromText("pod.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: { name: p, namespace: airflow }
            spec:
              {{podSecurity}}
              containers:
                - name: c
                  image: {{image}}
                  {{containerSecurity}}
            """);
        var pod = bundle.Pod("Pod", "p");

        Assert.Equal(expected, WriterIdentity.Of(pod, pod.Containers[0])!.Describe());
    }

    [Fact]
    public void ACustomImageWithoutASecurityContext_HasNoKnownIdentity()
    {
        var bundle = Bundle.FromText("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: p, namespace: airflow }
            spec:
              containers: [{ name: c, image: my-airflow-dbt:1.0 }]
            """);
        var pod = bundle.Pod("Pod", "p");

        Assert.Null(WriterIdentity.Of(pod, pod.Containers[0]));
    }
}
