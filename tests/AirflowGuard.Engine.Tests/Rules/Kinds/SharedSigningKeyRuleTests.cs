using static AirflowGuard.Engine.Tests.RenderFindings;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>sharedSigningKey: every Airflow component of a release signs with one key (secret_key in Airflow 2, jwt_secret in 3).</summary>
public class SharedSigningKeyRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: one-key, sharedSigningKey: {} }", mode: "Warn");

    [Fact]
    public void AnApiServerWithItsOwnJwtSecret_DisagreesWithEveryOtherComponent_NamingBothSources_NotTheKeys()
    {
        var found = Render("official-1.19/api-server-own-jwt-secret.yaml").Violations(Rule);

        Assert.Equal(["Deployment/airflow-api-server", "Deployment/airflow-dag-processor", "Deployment/airflow-scheduler", "StatefulSet/airflow-triggerer", "StatefulSet/airflow-worker"],
            found.Keys.Order(StringComparer.Ordinal));
        var apiServer = Assert.Single(found["Deployment/airflow-api-server"]);
        Assert.Contains("Secret airflow-api-server-jwt key jwt", apiServer.Message, StringComparison.Ordinal);
        Assert.Contains("Secret airflow-jwt-secret key jwt-secret", apiServer.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("an-api-server-only-key", apiServer.Message, StringComparison.Ordinal); // keys are compared, never shown
        Assert.Equal("remove env AIRFLOW__API_AUTH__JWT_SECRET from the values' env lists", Assert.Single(apiServer.Values!.ListEdits).Describe()); // the override goes
        Assert.Contains("jwtSecretName", apiServer.Values.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/jwt-secret-name.yaml")] // one Secret for all, through jwtSecretName
    [InlineData("official-1.19/celery-stock.yaml")]
    [InlineData("official-1.16/celery-stock.yaml")] // Airflow 2: secret_key from the chart's Secret everywhere
    [InlineData("community-8.9/celery-defaults.yaml")] // from the envFrom Secret every component reads
    [InlineData("bitnami-25.1/defaults.yaml")] // _CMD: read at start, nothing to compare
    [InlineData("stable-7.16/celery-defaults.yaml")] // Airflow 1.10: one fixed default key
    public void ReleasesWhoseComponentsShareTheKey_AreClean(string render) =>
        Assert.Empty(Render(render).Violations(Rule));

    [Fact]
    public void AnAirflow3ReleaseThatSetsNoJwtSecret_HasEveryProcessMakeUpItsOwn()
    {
        var found = Render("official-1.16/airflow3-image-no-dag-processor.yaml").Violations(Rule);

        Assert.Equal(["Deployment/airflow-scheduler", "StatefulSet/airflow-triggerer", "StatefulSet/airflow-worker"], found.Keys.Order(StringComparer.Ordinal));
        var scheduler = Assert.Single(found["Deployment/airflow-scheduler"]);
        Assert.Contains("sets no [api_auth] jwt_secret", scheduler.Message, StringComparison.Ordinal);
        Assert.Contains("renders no jwt Secret", scheduler.Values!.Reason, StringComparison.Ordinal); // chart 1.16 has none to give
    }

    [Fact]
    public void AnAirflow2WorkerWhoseSecretKeyIsOverriddenByALiteral_DisagreesWithTheWebserver()
    {
        // workers.env as a user writes it: the last of two entries with one name is the one the container gets
        var bundle = Edited("official-1.16/celery-stock.yaml", text => ReplaceInWorker(text,
            "            - name: AIRFLOW__WEBSERVER__SECRET_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: airflow-webserver-secret-key\n                  key: webserver-secret-key",
            "            - name: AIRFLOW__WEBSERVER__SECRET_KEY\n              value: another-key"));

        var worker = Assert.Single(bundle.Violations(Rule)["StatefulSet/airflow-worker"]);

        Assert.Contains("[webserver] secret_key from env AIRFLOW__WEBSERVER__SECRET_KEY", worker.Message, StringComparison.Ordinal);
        Assert.Contains("answer the webserver's requests with 403", worker.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("another-key", worker.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneComponentAlone_AsTheWebhookSeesItWithoutACache_IsNotJudgedOnAnUnsetKey()
    {
        var verdict = Render("official-1.16/airflow3-image-no-dag-processor.yaml").Evaluate(Rule)
            .Single(v => v.Object.Kind == "Deployment" && v.Object.Json.GetProperty("metadata").GetProperty("name").GetString() == "airflow-scheduler");

        var alone = Evaluation.ObjectEvaluator.Evaluate(verdict.Object.Source, "Deployment", Evaluation.ObjectEvaluator.RoleOf("Deployment", Rule), "", Rule,
            Kubernetes.NoClusterState.Instance, "airflow");

        Assert.DoesNotContain(alone.Decision.Findings, f => f.Kind == Evaluation.FindingKind.Violation);
    }

    /// <summary>Replaces <paramref name="from"/> in the worker StatefulSet's document only.</summary>
    internal static string ReplaceInWorker(string text, string from, string to)
    {
        var start = text.IndexOf("kind: StatefulSet\nmetadata:\n  name: airflow-worker\n", StringComparison.Ordinal);
        Assert.True(start > 0, "no worker StatefulSet in the render");
        var end = text.IndexOf("\n---", start, StringComparison.Ordinal);
        var document = text[start..end];
        Assert.Contains(from, document, StringComparison.Ordinal);
        return text[..start] + document.Replace(from, to, StringComparison.Ordinal) + text[end..];
    }
}
