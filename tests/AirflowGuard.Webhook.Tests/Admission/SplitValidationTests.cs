using System.Net;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// /validate/enforce and /validate/warn, which a chart whose policies mix modes registers with failurePolicy Fail and
/// Ignore: each judges with its part of the policy set, and together they answer what /validate answers.
/// </summary>
public class SplitValidationTests
{
    /// <summary>DAGs on a hostPath (no-host-path-dags-or-logs, Enforce) and logs on an emptyDir nothing bounds (local-logs-bounded, Warn).</summary>
    private const string Scheduler = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: airflow-scheduler-0
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              args: [bash, -c, exec airflow scheduler]
              volumeMounts:
                - { name: dags, mountPath: /opt/airflow/dags, readOnly: true }
                - { name: logs, mountPath: /opt/airflow/logs }
          volumes:
            - { name: dags, hostPath: { path: /srv/airflow/dags } }
            - { name: logs, emptyDir: {} }
        """;

    [Fact]
    public async Task TheEnforceEndpointDenies_TheWarnEndpointWarns_AndValidateDoesBoth()
    {
        await using var webhook = await RunningWebhook.StartAsync();
        var client = webhook.Client();

        var (enforceStatus, enforce, _) = await webhook.PostAsync(client, "/validate/enforce", Reviews.Create(Scheduler));
        var (warnStatus, warn, _) = await webhook.PostAsync(client, "/validate/warn", Reviews.Create(Scheduler));
        var (_, both, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(Scheduler));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (enforceStatus, warnStatus));
        var denied = Reviews.Response(enforce);
        Assert.False(denied.GetProperty("allowed").GetBoolean());
        Assert.Contains("no-host-path-dags-or-logs", denied.GetProperty("status").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(denied.TryGetProperty("warnings", out _)); // the Warn policies are the other endpoint's
        var warned = Reviews.Response(warn);
        Assert.True(warned.GetProperty("allowed").GetBoolean());
        Assert.Contains(warned.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("local-logs-bounded/logs-have-a-bound:", StringComparison.Ordinal));
        var whole = Reviews.Response(both);
        Assert.False(whole.GetProperty("allowed").GetBoolean());
        Assert.Contains(whole.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("local-logs-bounded/logs-have-a-bound:", StringComparison.Ordinal));
        var metrics = await webhook.MetricsAsync();
        Assert.Contains("endpoint=\"validate-enforce\"", metrics, StringComparison.Ordinal);
        Assert.Contains("endpoint=\"validate-warn\"", metrics, StringComparison.Ordinal);
    }
}
