using System.Net;
using System.Text.Json.Nodes;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// AirflowPolicyException objects waive a policy's rules for the objects they name, in their own namespace, until they
/// expire: the webhook honours what its cluster cache watches, against the fake API server.
/// </summary>
public class PolicyExceptionObjectTests
{
    /// <summary>A scheduler whose only problem is its DAGs on a hostPath volume (denied by no-host-path-dags-or-logs).</summary>
    private const string HostPathDags = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: airflow-scheduler-0
          namespace: airflow-dev
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              args: [bash, -c, exec airflow scheduler]
              volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags, readOnly: true }]
          volumes: [{ name: dags, hostPath: { path: /srv/airflow/dags } }]
        """;

    private static JsonObject Exception(string @namespace, string expires, string rule = "no-host-path-dags") => JsonNode.Parse($$"""
        { "metadata": { "name": "dev-cluster-host-path", "namespace": "{{@namespace}}" },
          "spec": { "policy": "no-host-path-dags-or-logs", "rules": ["{{rule}}"],
                    "match": { "kinds": ["Pod"], "names": ["airflow-scheduler-*"] },
                    "reason": "single-node dev cluster (PLAT-1234)", "expires": "{{expires}}" } }
        """)!.AsObject();

    private static async Task<(FakeApiServer Api, RunningWebhook Webhook, HttpClient Client)> StartAsync(Action<FakeApiServer> setup)
    {
        var api = await FakeApiServer.StartAsync();
        setup(api);
        var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--cluster-cache", "required", "--cluster-server", api.Address.ToString()]));
        var client = webhook.Client();
        await LifecycleTests.Eventually(async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK);
        return (api, webhook, client);
    }

    private static async Task<bool> AllowedAsync(RunningWebhook webhook, HttpClient client) =>
        Reviews.Response((await webhook.PostAsync(client, "/validate", Reviews.Create(HostPathDags))).Body).GetProperty("allowed").GetBoolean();

    [Fact]
    public async Task AnExceptionInTheCluster_WaivesTheRule_UntilItIsDeleted()
    {
        var (api, webhook, client) = await StartAsync(api => api.Add("airflowpolicyexceptions", Exception("airflow-dev", "2099-01-31")));
        await using (api)
        await using (webhook)
        {
            Assert.True(await AllowedAsync(webhook, client));
            Assert.Contains("airflowguard_policy_exceptions{state=\"active\"} 1", await webhook.MetricsAsync(), StringComparison.Ordinal);

            await api.PushAsync("airflowpolicyexceptions", "DELETED", Exception("airflow-dev", "2099-01-31"));

            await LifecycleTests.Eventually(async () => !await AllowedAsync(webhook, client));
        }
    }

    [Fact]
    public async Task AnExpiredException_WaivesNothing_AndIsCountedAsIgnored()
    {
        var (api, webhook, client) = await StartAsync(api => api.Add("airflowpolicyexceptions", Exception("airflow-dev", "2020-01-31")));
        await using (api)
        await using (webhook)
        {
            Assert.False(await AllowedAsync(webhook, client));
            Assert.Contains("airflowguard_policy_exceptions{state=\"ignored\"} 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnExceptionStopsWaiving_TheMomentItExpires_WithNoEventNeeded()
    {
        var expires = DateTimeOffset.UtcNow.AddSeconds(3).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var (api, webhook, client) = await StartAsync(api => api.Add("airflowpolicyexceptions", Exception("airflow-dev", expires)));
        await using (api)
        await using (webhook)
        {
            var before = await AllowedAsync(webhook, client);
            await LifecycleTests.Eventually(async () => !await AllowedAsync(webhook, client));

            Assert.True(before);
        }
    }

    [Theory]
    [InlineData("airflow-prod", "no-host-path-dags")] // another namespace's exception waives nothing here
    [InlineData("airflow-dev", "no-host-path-logs")] // another rule of the policy
    public async Task AnExceptionThatDoesNotCoverTheObject_WaivesNothing(string @namespace, string rule)
    {
        var (api, webhook, client) = await StartAsync(api => api.Add("airflowpolicyexceptions", Exception(@namespace, "2099-01-31", rule)));
        await using (api)
        await using (webhook)
        {
            Assert.False(await AllowedAsync(webhook, client));
        }
    }

    [Fact]
    public async Task WithoutTheCrd_TheCacheSyncs_AndNothingIsWaived()
    {
        var (api, webhook, client) = await StartAsync(api => api.ExceptionsCrd = false);
        await using (api)
        await using (webhook)
        {
            Assert.False(await AllowedAsync(webhook, client)); // ready (StartAsync waited for /readyz), and nothing waived
        }
    }
}
