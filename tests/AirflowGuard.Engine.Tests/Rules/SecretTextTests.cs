using AirflowGuard.Engine.Rules;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>Literal secrets are found however they are written, and commands, paths and references are not secrets.</summary>
public class SecretTextTests
{
    [Theory]
    [InlineData("postgresql+psycopg2://root:root@10.0.0.5:5432/airflow")]
    [InlineData("postgresql+psycopg2://airflow:p@ss/w#rd@db:5432/airflow")] // unencoded '@', '/' and '#' in the password
    [InlineData("postgresql://airflow:pa?ss@db/airflow")]
    [InlineData("mysql+mysqldb://u:a/b/c@mysql:3306/airflow?charset=utf8")]
    [InlineData("redis://:s3cret@redis:6379/0")]
    [InlineData("host=db user=airflow password=secret dbname=airflow")]
    [InlineData("""{"conn_type": "postgres", "host": "db", "login": "a", "password": "x"}""")]
    [InlineData("""{"conn_type": "aws", "extra": {"aws_secret_access_key": "abc"}}""")]
    [InlineData("""{"conn_type": "aws", "extra": "{\"aws_secret_access_key\": \"abc\"}"}""")]
    [InlineData("aws://?aws_access_key_id=AKIA&aws_secret_access_key=abc")]
    public void Credentials_AreFound(string value) => Assert.True(SecretText.HasCredentials(value), value);

    [Theory]
    [InlineData("postgresql+psycopg2://db:5432/airflow")]
    [InlineData("redis://redis:6379/0")]
    [InlineData("redis://redis:6379/0?ssl_cert_reqs=none&x=a@b")]
    [InlineData("sqlite:////opt/airflow/airflow.db")]
    [InlineData("host=db user=airflow dbname=airflow")]
    [InlineData("""{"conn_type": "http", "host": "example.com"}""")]
    [InlineData("")]
    public void PlainValues_AreNot(string value) => Assert.False(SecretText.HasCredentials(value), value);

    [Fact]
    public void CommandAndSecretBackendVariants_AndFilePaths_AreNotLiteralSecrets()
    {
        // the Bitnami chart: AIRFLOW__CORE__FERNET_KEY_CMD=cat /opt/bitnami/airflow/secrets/airflow-fernet-key
        var bundle = Bundle.FromText("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  env:
                    - { name: AIRFLOW__CORE__FERNET_KEY_CMD, value: cat /opt/airflow/secrets/fernet-key }
                    - { name: AIRFLOW__API__SECRET_KEY_CMD, value: cat /opt/airflow/secrets/api-key }
                    - { name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET, value: sql_alchemy_conn }
                    - { name: AIRFLOW_DATABASE_PASSWORD_FILE, value: /opt/airflow/secrets/password }
            """);

        Assert.DoesNotContain(bundle.Verdict(Packs.Default, "Pod", "s").Decision.Findings, f => f.Rule == "secrets-from-secret-objects");
    }

    /// <summary>A migrations Job reading ConfigMap airflow-env (a literal metadata URL) through envFrom, plus <paramref name="env"/>.</summary>
    private static Evaluation.Decision MigrationsJob(string env) =>
        Bundle.FromText("job.yaml", $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: airflow-env, namespace: airflow }
            data:
              AIRFLOW__CORE__SQL_ALCHEMY_CONN: postgresql+psycopg2://airflow:hunter2@db/airflow
              AIRFLOW__CORE__LOAD_EXAMPLES: "False"
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: { name: airflow-run-airflow-migrations, namespace: airflow }
            spec:
              template:
                metadata: { labels: { tier: airflow, component: run-airflow-migrations, release: airflow } }
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: run-airflow-migrations
                      image: apache/airflow:2.10.5
                      args: [bash, -c, exec airflow db migrate]
                      envFrom: [{ configMapRef: { name: airflow-env } }]
                      {{env}}
            """).Verdict(Packs.Default, "Job", "airflow-run-airflow-migrations").Decision;

    [Fact]
    public void ASecretInAConfigMapReadThroughEnvFrom_IsALiteralSecret_InJobsAsInEveryOtherReleasePod()
    {
        // the old stable chart kept the metadata connection in a ConfigMap consumed through envFrom
        var decision = MigrationsJob("");

        var finding = Assert.Single(decision.Findings, f => f.Rule == "secrets-from-secret-objects");
        Assert.Contains("AIRFLOW__CORE__SQL_ALCHEMY_CONN (from ConfigMap airflow-env)", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", finding.Message, StringComparison.Ordinal);
        Assert.False(decision.Allowed);
    }

    [Fact]
    public void AConfigMapKeyTheEnvListSetsAgain_IsNotALiteral_AsTheKubeletUsesTheEnvValue()
    {
        // the stable chart's default key stays in its ConfigMap when the user sets it from a Secret through airflow.extraEnv
        var decision = MigrationsJob("env: [{ name: AIRFLOW__CORE__SQL_ALCHEMY_CONN, valueFrom: { secretKeyRef: { name: airflow-db, key: url } } }]");

        Assert.DoesNotContain(decision.Findings, f => f.Rule == "secrets-from-secret-objects");
        Assert.True(decision.Allowed);
    }
}
