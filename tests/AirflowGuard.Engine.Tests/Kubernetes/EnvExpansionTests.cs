using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>$(VAR) in env values, expanded as the kubelet expands them, keeping only what the pod spec shows in plain text.</summary>
public class EnvExpansionTests
{
    private static ContainerView Container(string env, string envFrom = "") => Bundle.FromText("p.yaml", $$"""
        apiVersion: v1
        kind: Pod
        metadata: { name: p, namespace: airflow }
        spec:
          containers:
            - name: base
              {{envFrom}}
              env:
        {{env}}
        """).Pod("Pod", "p").Containers[0];

    private static string Text(ContainerView container, string name) => EnvExpansion.LiteralText(container, container.FindEnv(name)!);

    [Fact]
    public void AReferenceToAnEarlierLiteral_IsExpanded_AsTheKubeletDoes()
    {
        var container = Container("""
                    - { name: USER, value: airflow }
                    - { name: PASS, value: hunter2 }
                    - { name: URL, value: "postgresql://$(USER):$(PASS)@db/airflow" }
            """);

        Assert.Equal("postgresql://airflow:hunter2@db/airflow", Text(container, "URL"));
    }

    [Fact]
    public void AReferenceToASecretKey_AddsNothingThePodSpecShows()
    {
        var container = Container("""
                    - { name: PGUSER, valueFrom: { secretKeyRef: { name: db, key: user } } }
                    - { name: PGPASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } }
                    - { name: URL, value: "postgresql://$(PGUSER):$(PGPASSWORD)@db/airflow" }
            """);

        Assert.Equal("postgresql://:@db/airflow", Text(container, "URL"));
    }

    [Theory]
    [InlineData("$$(PASS)", "$(PASS)")] // escaped: written as is
    [InlineData("$(LATER)", "$(LATER)")] // defined after it: not expanded
    [InlineData("$(NOWHERE)", "$(NOWHERE)")] // defined nowhere: kept as written
    [InlineData("$(PASS", "$(PASS")] // unclosed
    [InlineData("a$b", "a$b")] // a $ before anything else
    [InlineData("$(PASS)$(PASS)", "hunter2hunter2")]
    public void KubeletSyntax_IsFollowed(string value, string expanded)
    {
        var container = Container($$"""
                    - { name: PASS, value: hunter2 }
                    - { name: X, value: "{{value}}" }
                    - { name: LATER, value: later }
            """);

        Assert.Equal(expanded, Text(container, "X"));
    }

    [Fact]
    public void ANameOnlyEnvFromCanDefine_AddsNothingThePodSpecShows()
    {
        var container = Container("""
                    - { name: URL, value: "postgresql://app:$(DB_PASSWORD)@db/airflow" }
            """, envFrom: "envFrom: [{ secretRef: { name: db } }]");

        Assert.Equal("postgresql://app:@db/airflow", Text(container, "URL"));
    }
}
