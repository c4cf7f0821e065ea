using System.Text.Json.Nodes;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// <c>check --policies-from-cluster</c> against an API server holding the webhook as the chart installs it: the
/// Deployment and policy ConfigMap of deploy/manifests/airflowguard.yaml (the chart's default render).
/// </summary>
public class PoliciesFromClusterTests
{
    private static readonly string Root = AdmissionContractTests.RepoRoot();

    /// <summary>The chart's Deployment and policy ConfigMap, the ConfigMap holding only <paramref name="policyFiles"/>.</summary>
    private static Task<FakeApiServer> ClusterWithWebhook(params (string Key, string Text)[] policyFiles) => ClusterWithWebhook(_ => { }, policyFiles);

    /// <summary>The same, with the Deployment changed by <paramref name="edit"/> before it is stored.</summary>
    private static async Task<FakeApiServer> ClusterWithWebhook(Action<JsonObject> edit, params (string Key, string Text)[] policyFiles)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Root, "deploy", "manifests", "airflowguard.yaml"))));
        var objects = stream.Documents.Select(d => YamlJson.ToJson(d.RootNode)).OfType<JsonObject>().ToList();
        var deployment = objects.Single(o => (string?)o["kind"] == "Deployment");
        var configMap = objects.Single(o => (string?)o["kind"] == "ConfigMap" && ((string)o["metadata"]!["name"]!).EndsWith("-policies", StringComparison.Ordinal));
        Assert.Contains("--policies=/etc/airflowguard/policies", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.True(configMap["data"]!.AsObject().Count >= 10, "the chart's ConfigMap carries the bundled pack");
        configMap["data"] = new JsonObject(policyFiles.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Text)));
        edit(deployment);
        var api = await FakeApiServer.StartAsync();
        api.Add("deployments", deployment);
        api.Add("configmaps", configMap);
        return api;
    }

    private static (string, string) Policy(string file) => (file, File.ReadAllText(Path.Combine(Root, "policies", file)));

    private static string Seed(string name) => Path.Combine(Root, "examples", "seeds", name);

    [Fact]
    public async Task Check_UsesThePoliciesTheWebhookServes_NotTheBundledPack()
    {
        await using var api = await ClusterWithWebhook(Policy("logs-not-on-object-storage.yaml"));

        // the webhook's one policy finds the FUSE log volume
        var (code, output, error) = Run("check", Seed("000-oss-logs-unsafe.yaml"), "--policies-from-cluster", "--server", api.Address.ToString());
        Assert.True(code == 1, output + error);
        Assert.Contains("logs-not-on-object-storage/no-fuse-logs", output, StringComparison.Ordinal);
        Assert.Contains("policies from ConfigMap airflowguard/airflowguard-policies (Deployment airflowguard/airflowguard): 1 policies", error, StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.StartsWith("GET /apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fname%3Dairflowguard", StringComparison.Ordinal));

        // hostPath DAGs are denied by the bundled pack, but this webhook does not check them
        (code, output, error) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--policies-from-cluster", "--server", api.Address.ToString());
        Assert.True(code == 0, output + error);
        (code, _, _) = Run("check", Seed("004-host-path-dags-unsafe.yaml"));
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Check_NamesTheWebhook_AsNamespaceSlashDeployment()
    {
        await using var api = await ClusterWithWebhook(Policy("no-host-path-dags-or-logs.yaml"));

        var (code, output, error) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--policies-from-cluster=airflowguard/airflowguard", "--server", api.Address.ToString());
        Assert.True(code == 1, output + error);
        Assert.Contains("no-host-path-dags-or-logs/", output, StringComparison.Ordinal);

        (code, output, error) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--policies-from-cluster=airflowguard/other", "--server", api.Address.ToString());
        Assert.Equal(2, code);
        Assert.Contains("--policies-from-cluster: Deployment airflowguard/other: not found", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task ABrokenPolicyInTheConfigMap_IsExit2_WithTheConfigMapKeyLineAndColumn()
    {
        await using var api = await ClusterWithWebhook(("broken.yaml", "apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: { name: broken }\nspec:\n  mode: Sometimes\n  rules: []\n"));

        var (code, output, error) = Run("check", Seed("000-oss-logs-unsafe.yaml"), "--policies-from-cluster", "--server", api.Address.ToString());

        Assert.Equal(2, code);
        Assert.Contains("ConfigMap airflowguard/airflowguard-policies: broken.yaml:5:", error, StringComparison.Ordinal);
        Assert.Contains("nothing was checked", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task AWebhookStartedWithoutPolicies_ServesTheBundledPack_AndCheckUsesItToo()
    {
        await using var api = await ClusterWithWebhook(
            deployment =>
            {
                var args = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray();
                args.Remove(args.Single(a => (string?)a == "--policies=/etc/airflowguard/policies"));
            },
            Policy("logs-not-on-object-storage.yaml"));

        var (code, output, error) = Run("check", Seed("004-host-path-dags-unsafe.yaml"), "--policies-from-cluster", "--server", api.Address.ToString());

        Assert.True(code == 1, output + error);
        Assert.Contains("policies from the bundled pack (Deployment airflowguard/airflowguard runs without --policies)", error, StringComparison.Ordinal);
        Assert.Contains("no-host-path-dags-or-logs/", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoWebhookInTheCluster_IsExit2_SayingHowToNameOne()
    {
        await using var api = await FakeApiServer.StartAsync();

        var (code, output, error) = Run("check", Seed("000-oss-logs-unsafe.yaml"), "--policies-from-cluster", "--server", api.Address.ToString());

        Assert.Equal(2, code);
        Assert.Contains("no AirflowGuard webhook in the cluster: no Deployment is labelled app.kubernetes.io/name=airflowguard; name yours with --policies-from-cluster NAMESPACE/DEPLOYMENT", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Fact]
    public void PoliciesAndPoliciesFromCluster_AreOneTooMany()
    {
        var (code, _, error) = Run("check", Seed("000-oss-logs-unsafe.yaml"), "--policies-from-cluster", "--policies", Path.Combine(Root, "policies"));

        Assert.Equal(2, code);
        Assert.Contains("--policies and --policies-from-cluster name two policy sets", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CommandLineRun.Run(args);
}
