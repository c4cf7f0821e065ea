using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Policy exceptions: scoped by namespace or label, per rule or whole policy, always with their reason on record.</summary>
public class ExceptionTests
{
    private const string Policy = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: no-host-path }
        spec:
          mode: Enforce
          exceptions:
            - reason: CI kind clusters mount the checkout from the runner
              labels: { ci.example.com/ephemeral: "true" }
              rules: [dags]
            - reason: the sandbox is thrown away nightly
              namespaces: ["sandbox-*"]
          rules:
            - name: dags
              forbidVolume: { at: dags, backing: [host-path] }
            - name: logs
              forbidVolume: { at: logs, backing: [host-path] }
        """;

    [Fact]
    public void NoException_BothRulesFire()
    {
        var decision = Evaluate("airflow", "{}");

        Assert.False(decision.Allowed);
        Assert.Equal(["dags", "logs"], decision.Findings.Select(f => f.Rule).Order(StringComparer.Ordinal));
        Assert.Empty(decision.Exceptions);
    }

    [Fact]
    public void RuleLevelException_SkipsOnlyThatRule_AndRecordsTheReason()
    {
        var decision = Evaluate("airflow", "{ ci.example.com/ephemeral: \"true\" }");

        Assert.Equal("logs", Assert.Single(decision.Findings).Rule);
        var exemption = Assert.Single(decision.Exceptions);
        Assert.Equal(["dags"], exemption.Rules);
        Assert.Contains("CI kind clusters", exemption.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyLevelException_SkipsThePolicy()
    {
        var decision = Evaluate("sandbox-alice", "{}");

        Assert.True(decision.Allowed);
        Assert.Empty(decision.Findings);
        Assert.Equal("the sandbox is thrown away nightly", Assert.Single(decision.Exceptions).Reason);
    }

    [Theory]
    [InlineData("a/b", "a~1b")]
    [InlineData("a~b", "a~0b")]
    [InlineData("~/", "~0~1")]
    [InlineData("plain", "plain")]
    public void JsonPointerTokens_AreEscaped(string token, string escaped)
    {
        Assert.Equal(escaped, JsonPointer.Escape(token));
        Assert.Equal(token, JsonPointer.Unescape(escaped));
    }

    private static Evaluation.Decision Evaluate(string @namespace, string labels)
    {
        var bundle = Bundle.FromText("pod.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: s
              namespace: {{@namespace}}
              labels: {{labels}}
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.9.3
                  args: [airflow, scheduler]
                  volumeMounts:
                    - { name: dags, mountPath: /opt/airflow/dags }
                    - { name: logs, mountPath: /opt/airflow/logs }
              volumes:
                - { name: dags, hostPath: { path: /data/dags } }
                - { name: logs, hostPath: { path: /data/logs } }
            """);
        return bundle.Verdict(Packs.FromYaml(Policy), "Pod", "s").Decision;
    }
}
