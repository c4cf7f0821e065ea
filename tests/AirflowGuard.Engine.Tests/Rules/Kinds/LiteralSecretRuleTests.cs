using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>forbidLiteralSecrets: secrets as literal env values (seed 004), named without ever showing the value.</summary>
public class LiteralSecretRuleTests
{
    [Fact]
    public void AConnectionStringWithAPassword_IsAViolation_ThatNeverShowsTheValue()
    {
        var policy = Policy("{ name: no-literal-secrets, forbidLiteralSecrets: {} }");
        var bundle = Support.Bundle.Seed("004-host-path-dags-unsafe.yaml");
        var pod = bundle.Pod("Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6");
        var value = pod.Containers[0].FindEnv("SQL_ALCHEMY_CONN")!.Value!;

        var finding = Assert.Single(Findings(policy, "004-host-path-dags-unsafe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));

        Assert.Contains("env SQL_ALCHEMY_CONN in container base holds a secret as a literal value", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, finding.Message + finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSafeTwin_TakesItFromASecret_AndIsLeftAlone()
    {
        var policy = Policy("{ name: no-literal-secrets, forbidLiteralSecrets: {} }");

        Assert.Empty(Findings(policy, "004-host-path-dags-safe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));
    }

    [Fact]
    public void OwnPatterns_ReplaceTheDefaults()
    {
        var policy = Policy("{ name: only-mine, forbidLiteralSecrets: { env: [{ name: \"MY_TOKEN\" }] } }");

        Assert.Empty(Findings(policy, "004-host-path-dags-unsafe.yaml", "Pod", "samplek8stesttask001-a3149539979d4f10aee024c4a09e09f6"));
    }

    [Fact]
    public void Rejects_AWrongCondition()
    {
        var problem = Assert.Single(Errors("{ name: r, forbidLiteralSecrets: { env: [{ name: X, when: sometimes }] } }"));

        Assert.Contains("when must be always or credentials", problem.Message, StringComparison.Ordinal);
    }

    private static List<Evaluation.Finding> FindingsOn(string pod, Policies.PolicySet? policy = null, string extra = "") =>
        Support.Bundle.FromText("p.yaml", pod + extra).Verdict(policy ?? Support.Packs.Default, "Pod", "p").Decision.Findings
            .Where(f => f.Policy is "no-literal-secrets" or "no-literal-secret-names" or "p").ToList();

    private static string Scheduler(string env, string more = "") => $$"""
        apiVersion: v1
        kind: Pod
        metadata: { name: p, namespace: airflow, labels: { tier: airflow, component: scheduler, release: airflow } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              env:
        {{env}}
        {{more}}
        """;

    [Fact]
    public void AConnectionStringWhoseCredentialsAreReferencesToSecretKeys_HoldsNoSecret()
    {
        var findings = FindingsOn(Scheduler("""
                    - { name: PGUSER, valueFrom: { secretKeyRef: { name: db, key: user } } }
                    - { name: PGPASSWORD, valueFrom: { secretKeyRef: { name: db, key: password } } }
                    - { name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, value: "postgresql://$(PGUSER):$(PGPASSWORD)@db:5432/airflow" }
            """));

        Assert.Empty(findings);
    }

    [Fact]
    public void AConnectionStringWhosePasswordIsAReferenceToALiteral_HoldsTheSecret()
    {
        var finding = Assert.Single(FindingsOn(Scheduler("""
                    - { name: PGPASSWORD_VALUE, value: hunter2 }
                    - { name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, value: "postgresql://airflow:$(PGPASSWORD_VALUE)@db:5432/airflow" }
            """), Policy("{ name: r, forbidLiteralSecrets: {} }")));

        Assert.Contains("env AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AIRFLOW__SMTP__SMTP_PASSWORD", "s3cret")]
    [InlineData("AIRFLOW__SENTRY__SENTRY_DSN", "https://abc123@o1.ingest.sentry.io/42")]
    [InlineData("AIRFLOW__KEYCLOAK_AUTH_MANAGER__CLIENT_SECRET", "abc")]
    [InlineData("AIRFLOW__API_AUTH__JWT_SECRET", "abc")]
    [InlineData("AIRFLOW__CELERY__FLOWER_BASIC_AUTH", "admin:admin")]
    [InlineData("AIRFLOW__SECRETS__BACKEND_KWARGS", "{\"connections_prefix\": \"c\", \"aws_secret_access_key\": \"xyz\"}")]
    public void AirflowsSensitiveOptions_AreDenied(string name, string value)
    {
        var finding = Assert.Single(FindingsOn(Scheduler($"            - {{ name: {name}, value: '{value}' }}")));

        Assert.Equal(("no-literal-secrets", Policies.PolicyMode.Enforce), (finding.Policy, finding.Mode));
        Assert.DoesNotContain(value, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AIRFLOW__SMTP__SMTP_PASSWORD_CMD", "cat /secrets/smtp")]
    [InlineData("AIRFLOW__SMTP__SMTP_PASSWORD_SECRET", "smtp_password")]
    [InlineData("AIRFLOW__SECRETS__BACKEND", "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend")]
    [InlineData("AIRFLOW__SECRETS__BACKEND_KWARGS", "{\"connections_prefix\": \"airflow/connections\"}")]
    [InlineData("AIRFLOW__CORE__FERNET_KEY_FILE", "/secrets/fernet")]
    public void VariantsAndValuesWithoutASecret_AreLeftAlone(string name, string value)
    {
        Assert.Empty(FindingsOn(Scheduler($"            - {{ name: {name}, value: '{value}' }}")));
    }

    [Fact]
    public void EnvNamedLikeASecret_InAnAirflowContainer_IsWarned_InASidecar_LeftAlone()
    {
        var findings = FindingsOn(Scheduler("""
                    - { name: SLACK_API_TOKEN, value: xoxb-123 }
            """, """
                - name: git-sync
                  image: registry.k8s.io/git-sync/git-sync:v4.2.3
                  env: [{ name: GITSYNC_PASSWORD, value: pat-123 }]
            """));

        var finding = Assert.Single(findings);
        Assert.Equal(("no-literal-secret-names", Policies.PolicyMode.Warn), (finding.Policy, finding.Mode));
        Assert.Contains("env SLACK_API_TOKEN in container scheduler is named like a secret", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameLikeASecret_LeftAloneInASidecar_IsStillWarnedInTheAirflowContainer_EveryTime()
    {
        // the rule's answers for a name are remembered across pods (TextSearch): a name like a secret's is no secret in a
        // sidecar, and that must not carry over to the Airflow container after it, in this pod or the next
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: p, namespace: airflow, labels: { tier: airflow, component: scheduler, release: airflow } }
            spec:
              containers:
                - name: metrics-sidecar
                  image: prom/statsd-exporter:v0.26.0
                  env: [{ name: TEAM_API_TOKEN, value: side-123 }, { name: TEAM_REGION, value: eu }]
                - name: scheduler
                  image: apache/airflow:2.10.5
                  env: [{ name: TEAM_REGION, value: eu }, { name: TEAM_API_TOKEN, value: xoxb-123 }]
            """;

        for (var evaluation = 0; evaluation < 3; evaluation++)
        {
            var finding = Assert.Single(FindingsOn(Pod));
            Assert.Contains("env TEAM_API_TOKEN in container scheduler is named like a secret", finding.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ASensitiveOptionInTheAirflowCfgOfAConfigMap_IsDenied_OncePerPod()
    {
        var pod = Scheduler("            - { name: X, value: y }", """
                  volumeMounts: [{ name: config, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg }]
                - name: worker-log-groomer
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: config, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg }]
              volumes: [{ name: config, configMap: { name: airflow-config } }]
            """);
        var config = """

            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: airflow-config, namespace: airflow }
            data:
              airflow.cfg: |
                [webserver]
                secret_key = not-so-secret
                [core]
                dags_folder = /opt/airflow/dags
            """;

        var finding = Assert.Single(FindingsOn(pod, extra: config));

        Assert.Contains("[webserver] secret_key in /opt/airflow/airflow.cfg from ConfigMap airflow-config key airflow.cfg", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_AnUnknownNameSet()
    {
        var problem = Assert.Single(Errors("{ name: r, forbidLiteralSecrets: { names: [secret-word] } }"));

        Assert.Contains("did you mean \"secret-words\"?", problem.Message, StringComparison.Ordinal);
    }
}
