using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Rules written in CEL: compiled at load with located errors, evaluated against the same view the built-in rules use.</summary>
public class ExpressionRuleTests
{
    private static string Policy(string rule) => $$"""
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: p }
        spec:
          mode: Enforce
          rules:
        {{rule}}
        """;

    private const string TaskPod = """
        apiVersion: v1
        kind: Pod
        metadata: { name: t, namespace: airflow, labels: { kubernetes_executor: "True" } }
        spec:
          containers:
            - name: base
              image: apache/airflow:2.10.5
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
            - name: istio-proxy
              image: istio/proxyv2:1.22.0
          volumes: [{ name: logs, emptyDir: {} }]
        """;

    [Fact]
    public void ASyntaxError_IsReportedAtItsLineAndColumnInThePolicyFile_WithACaret()
    {
        var result = PolicyLoader.LoadText("p.yaml", Policy("""
                - name: broken
                  validate:
                    expression: "airflow.containers.all(c, c.role == 'airflow' && )"
            """));

        var error = Assert.Single(result.Errors);
        Assert.Equal(("p.yaml", 9), (error.File, error.Line));
        // the opening quote is at column 21, so the expression starts at 22 and its ')' (index 49) is at 71
        Assert.Equal(71, error.Column);
        Assert.Contains("^", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACheckErrorInABlockScalar_IsReportedAtItsPlaceInThePolicyFile()
    {
        var result = PolicyLoader.LoadText("p.yaml", Policy("""
                - name: nested
                  validate:
                    expression: >-
                      airflow.containers.all(c, c.role != 'airflow' ||
                        c.mounts.all(m, m.backing.clas == 'nfs'))
            """));

        var error = Assert.Single(result.Errors);
        // line 11 is "            c.mounts.all(m, m.backing.clas …": the block's content starts at column 11 (the key's
        // column 9 + 2), and "clas" is at column 29 of the expression's second line
        Assert.Equal((11, 39), (error.Line, error.Column));
        Assert.Contains("did you mean \"class\"?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExpressionOfTheWrongType_IsALoadError()
    {
        var result = PolicyLoader.LoadText("p.yaml", Policy("""
                - name: typed
                  validate:
                    expression: "size(airflow.containers)"
                    messageExpression: "airflow.containers.size() > 1"
            """));

        Assert.Equal(
            ["expression: gives int, and must give true or false (a bool)", "messageExpression: gives bool, and must give a string"],
            result.Errors.Select(e => e.Message.Split('\n')[0]));
    }

    [Fact]
    public void AMisspeltViewField_IsALoadError_WithASuggestion()
    {
        var result = PolicyLoader.LoadText("p.yaml", Policy("""
                - name: typo
                  validate:
                    expression: "airflow.containrs.size() > 0"
            """));

        Assert.Contains("did you mean \"containers\"?", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownRuleKind_IsAnErrorWithASuggestion_NotAnotherRule()
    {
        var result = PolicyLoader.LoadText("p.yaml", Policy("""
                - name: typo
                  validdate: { expression: "true" }
            """));

        Assert.Contains("did you mean \"validate\"?", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExpression_SeesComponentRolesFoldersAndBacking_AsTheBuiltInRulesDo()
    {
        var policies = Packs.FromYaml(Policy("""
                - name: view
                  match: { components: [task] }
                  validate:
                    expression: >-
                      airflow.component == 'task' && airflow.version == 2 &&
                      airflow.containers.exists(c, c.name == 'istio-proxy' && c.role == 'sidecar') &&
                      airflow.containers.exists(c, c.role == 'airflow' && c.folders.logs == '/opt/airflow/logs' &&
                        c.mounts.exists(m, m.holds == 'logs' && m.backing['class'] == 'empty-dir' && m.access == 'write') &&
                        c.settings.remoteLogging.value == 'False' && c.settings.remoteLogging.source == 'Airflow default') &&
                      object.metadata.name == 't' && request.operation == 'CREATE'
            """));

        var decision = Bundle.FromText("t.yaml", TaskPod).Verdict(policies, "Pod", "t").Decision;

        Assert.Empty(decision.Findings);
        Assert.Contains("p", decision.PoliciesApplied);
    }

    [Fact]
    public void AFalseExpression_IsAViolation_WithItsMessageExpression()
    {
        var policies = Packs.FromYaml(Policy("""
                - name: limits
                  validate:
                    expression: "airflow.containers.all(c, c.role != 'airflow' || has(c.resources.limits))"
                    message: static
                    messageExpression: "'container ' + airflow.containers[0].name + ' has no limits'"
            """));

        var decision = Bundle.FromText("t.yaml", TaskPod).Verdict(policies, "Pod", "t").Decision;

        var finding = Assert.Single(decision.Findings);
        Assert.Equal((FindingKind.Violation, "container base has no limits"), (finding.Kind, finding.Message));
        Assert.False(decision.Allowed);
    }

    [Fact]
    public void AnExpressionThatFailsToEvaluate_IsNotChecked_NeverADenial()
    {
        var policies = Packs.FromYaml(Policy("""
                - name: missing-key
                  validate:
                    expression: "object.spec.nodeSelector.zone == 'a'"
            """));

        var decision = Bundle.FromText("t.yaml", TaskPod).Verdict(policies, "Pod", "t").Decision;

        var finding = Assert.Single(decision.Findings);
        Assert.Equal(FindingKind.Unresolved, finding.Kind);
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void ARuleMatch_NarrowsThePolicysComponents()
    {
        var policies = Packs.FromYaml(Policy("""
                - name: only-schedulers
                  match: { components: [scheduler] }
                  validate: { expression: "false" }
            """));

        Assert.Empty(Bundle.FromText("t.yaml", TaskPod).Verdict(policies, "Pod", "t").Decision.Findings);
        var scheduler = Bundle.FromText("s.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers: [{ name: scheduler, image: apache/airflow:2.10.5 }]
            """).Verdict(policies, "Pod", "s").Decision;
        Assert.Equal("only-schedulers", Assert.Single(scheduler.Findings).Rule);
    }

    [Fact]
    public void ForbidVolumeByDriver_CatchesSmbDagVolumes_AndLeavesNfsAlone()
    {
        var policies = Packs.FromYaml(Policy("""
                - name: no-smb-dags
                  forbidVolume: { at: dags, drivers: [smb.csi.k8s.io] }
            """));
        string Pod(string volume) => $$"""
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags }]
              volumes: [{{volume}}]
            """;

        var smb = Bundle.FromText("smb.yaml", Pod("{ name: dags, csi: { driver: smb.csi.k8s.io, volumeAttributes: { source: //fs/dags } } }")).Verdict(policies, "Pod", "s").Decision;
        var nfs = Bundle.FromText("nfs.yaml", Pod("{ name: dags, nfs: { server: nas, path: /dags } }")).Verdict(policies, "Pod", "s").Decision;

        Assert.False(smb.Allowed);
        Assert.True(nfs.Allowed);
        Assert.Empty(nfs.Findings);
    }

    private const string EnvPod = """
        apiVersion: v1
        kind: Pod
        metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              env:
                - { name: AIRFLOW__CORE__LOAD_EXAMPLES, value: "True" }
                - { name: PYTHONPATH, value: /opt/airflow/plugins }
                - name: AIRFLOW__CORE__FERNET_KEY
                  valueFrom: { secretKeyRef: { name: airflow-fernet-key, key: fernet-key } }
                - { name: AIRFLOW__CORE__LOAD_EXAMPLES, value: "False" }
        """;

    [Theory]
    [InlineData("'AIRFLOW__CORE__LOAD_EXAMPLES' in c.env && c.env['AIRFLOW__CORE__LOAD_EXAMPLES'] == 'False'")] // the last duplicate, as Kubernetes keeps
    [InlineData("'AIRFLOW__CORE__FERNET_KEY' in c.env && c.env['AIRFLOW__CORE__FERNET_KEY'] == null")] // from a Secret: no literal value
    [InlineData("!('AIRFLOW_HOME' in c.env) && !has(c.env.AIRFLOW_HOME)")]
    [InlineData("size(c.env) == 3 && c.env.size() == 3")] // each name once
    [InlineData("c.env.all(k, k.startsWith('AIRFLOW__') || k == 'PYTHONPATH')")]
    public void ContainerEnv_IsAMapOfNamesToLiteralValues(string condition) =>
        AssertHolds($"airflow.containers.exists(c, c.name == 'scheduler' && {condition})", EnvPod);

    private const string MountsPod = """
        apiVersion: v1
        kind: Pod
        metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              env: [{ name: AIRFLOW__CORE__DAGS_FOLDER, value: "/opt/airflow/dags//repo/" }]
              volumeMounts:
                - { name: dags, mountPath: /opt/airflow/dags/repo/project }
                - { name: logs, mountPath: /opt/airflow/logs/ }
                - { name: home, mountPath: /opt/airflow }
                - { name: tmp, mountPath: /tmp }
            - name: git-sync
              image: registry.k8s.io/git-sync/git-sync:v4.2.4
              volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags/repo }]
          volumes:
            - { name: dags, emptyDir: {} }
            - { name: logs, emptyDir: {} }
            - { name: home, emptyDir: {} }
            - { name: tmp, emptyDir: {} }
        """;

    [Fact]
    public void AMountHolds_TheFolderItIsAtAboveOrInside_AndOnlyInAnAirflowContainer() =>
        // logs are asked first: a mount above both folders holds the logs
        AssertHolds("airflow.containers.filter(c, c.name == 'scheduler')[0].mounts.map(m, m.holds) == ['dags', 'logs', 'logs', ''] && " +
            "airflow.containers.filter(c, c.name == 'git-sync')[0].mounts.map(m, m.holds) == ['']", MountsPod);

    /// <summary>The expression, as a rule's, holds on pod s of <paramref name="pod"/>: the policy applies and finds nothing.</summary>
    private static void AssertHolds(string expression, string pod)
    {
        var policies = Packs.FromYaml(Policy($$"""
                - name: holds
                  validate:
                    expression: "{{expression}}"
            """));

        var decision = Bundle.FromText("s.yaml", pod).Verdict(policies, "Pod", "s").Decision;

        Assert.Empty(decision.Findings);
        Assert.Contains("p", decision.PoliciesApplied);
    }
}
