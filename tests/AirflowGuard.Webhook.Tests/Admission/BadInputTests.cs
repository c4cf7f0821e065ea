using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Tests;

/// <summary>Whatever it is sent, the webhook answers 400 with a problem that says what and where, never a 5xx.</summary>
public class BadInputTests(BundledWebhookFixture fixture) : IClassFixture<BundledWebhookFixture>
{
    private RunningWebhook Webhook => fixture.Webhook;

    [Theory]
    [InlineData("this is not json", "not-json", "not valid JSON at line 1")]
    [InlineData("{\"apiVersion\": \"admission.k8s.io/v1\", ", "not-json", "not valid JSON")]
    [InlineData("[1, 2, 3]", "not-an-admission-review", "found a list")]
    [InlineData("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", "not-an-admission-review", "found \"Pod\"")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{}}", "unsupported-version", "admissionReviewVersions: [v1]")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "missing-request", "found nothing")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}", "missing-uid", "non-empty string")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}", "missing-uid", "found the number 7")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"PATCH\"}}", "bad-operation", "found \"PATCH\"")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"}}}", "missing-object", "the object being admitted")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":[]}}", "missing-object", "found a list")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":5}]}}}}", "bad-object", "request.object.spec.containers[0].name")]
    public async Task BadBody_Is400_WithAProblemSayingWhatAndWhere(string body, string reason, string detail)
    {
        foreach (var path in new[] { "/validate", "/mutate" })
        {
            var (status, problem, response) = await Webhook.PostAsync(Webhook.Client(), path, body);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"https://airflowguard.dev/problems/{reason}", problem.GetProperty("type").GetString());
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingUid_NamesItsJsonPath()
    {
        var (_, problem, _) = await Webhook.PostAsync(Webhook.Client(), "/validate",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"\"}}");

        Assert.Equal("request.uid", problem.GetProperty("path").GetString());
    }

    [Fact]
    public async Task AbsurdlyDeepNesting_Is400_NamingTheBound()
    {
        var body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        var (status, problem, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("https://airflowguard.dev/problems/too-deep", problem.GetProperty("type").GetString());
        Assert.Contains("deeper than 64 levels", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TooLargeBody_Is400_NamingTheBound(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 7 * 1024 * 1024) + "\"}");
        using var content = chunked ? new StreamContent(new MemoryStream(body)) : (HttpContent)new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/validate") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await Webhook.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://airflowguard.dev/problems/too-large", problem.RootElement.GetProperty("type").GetString());
        Assert.Contains("larger than 6291456 bytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEndpoint_Is404Problem_AndWrongMethodIsNot5xx()
    {
        var client = Webhook.Client();

        using var unknown = await client.GetAsync(new Uri("/admit", UriKind.Relative));
        using var wrongMethod = await client.GetAsync(new Uri("/validate", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("POST /validate", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange((int)wrongMethod.StatusCode, 400, 499);
    }

    [Fact]
    public async Task BadRequests_AreCounted()
    {
        await Webhook.PostAsync(Webhook.Client(), "/validate", "not json");

        Assert.Contains("airflowguard_bad_requests_total{endpoint=\"validate\",reason=\"not-json\"}", await Webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Allow", true)]
    [InlineData("Deny", false)]
    public async Task EvaluationFailure_IsAnsweredPerTheFailureMode_LoggedAndCounted(string mode, bool allowed)
    {
        await using var webhook = await RunningWebhook.StartAsync(s =>
        {
            s.Arguments.AddRange(["--failure-mode", mode]);
            s.Services = services => services.AddSingleton<IClusterState>(new FailingClusterState());
        });
        var pod = Reviews.TaskPodWithEphemeralLogs.Replace("[{ name: logs, emptyDir: {} }]", "[{ name: logs, persistentVolumeClaim: { claimName: logs } }]", StringComparison.Ordinal);

        var (status, body, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(pod, uid: "uid-fail"));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = Reviews.Response(body);
        Assert.Equal("uid-fail", answer.GetProperty("uid").GetString());
        Assert.Equal(allowed, answer.GetProperty("allowed").GetBoolean());
        Assert.Contains("airflowguard_evaluation_failures_total 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
        Assert.True(webhook.Logs.Lines.Any(l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) && l.Contains("uid-fail", StringComparison.Ordinal)), webhook.Logs.All);
    }

    [Fact]
    public async Task AnEvaluationPastItsBudget_IsStopped_AnsweredPerTheFailureMode_AndCounted()
    {
        await using var webhook = await RunningWebhook.StartAsync(s =>
        {
            s.Arguments.AddRange(["--evaluation-budget-ms", "10"]);
            s.Services = services => services.AddSingleton<IClusterState>(new SlowClusterState());
        });
        var pod = Reviews.TaskPodWithEphemeralLogs.Replace("[{ name: logs, emptyDir: {} }]", "[{ name: logs, persistentVolumeClaim: { claimName: logs } }]", StringComparison.Ordinal);

        var (status, body, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(pod, uid: "uid-slow"));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = Reviews.Response(body);
        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.Contains("longer than its budget of 10 ms", Reviews.Warnings(body).Single(), StringComparison.Ordinal);
        Assert.Contains("airflowguard_evaluation_budget_exceeded_total 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    /// <summary>A cluster lookup that takes 200 ms: the first rule that resolves a claim uses up a small budget.</summary>
    private sealed class SlowClusterState : IClusterState
    {
        public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name)
        {
            Thread.Sleep(200);
            return Lookup<PersistentVolumeClaimInfo>.Unknown("slow");
        }

        public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) => Lookup<PersistentVolumeInfo>.Unknown("slow");

        public Lookup<StorageClassInfo> GetStorageClass(string? name) => Lookup<StorageClassInfo>.Unknown("slow");

        public Lookup<ConfigData> GetConfigMap(string @namespace, string name) => Lookup<ConfigData>.Unknown("slow");

        public Lookup<ConfigData> GetSecret(string @namespace, string name) => Lookup<ConfigData>.Unknown("slow");

        public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) => [];
    }

    /// <summary>A cluster lookup that breaks, standing in for a bug behind the engine.</summary>
    private sealed class FailingClusterState : IClusterState
    {
        private const string Broken = "cluster cache corrupted";

        public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) => throw new InvalidOperationException(Broken);

        public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) => throw new InvalidOperationException(Broken);

        public Lookup<StorageClassInfo> GetStorageClass(string? name) => throw new InvalidOperationException(Broken);

        public Lookup<ConfigData> GetConfigMap(string @namespace, string name) => throw new InvalidOperationException(Broken);

        public Lookup<ConfigData> GetSecret(string @namespace, string name) => throw new InvalidOperationException(Broken);

        public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) => throw new InvalidOperationException(Broken);
    }
}
