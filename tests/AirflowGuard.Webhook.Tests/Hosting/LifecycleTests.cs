using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AirflowGuard.Webhook.Hosting;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>Certificate rotation, policy hot reload, start-up checks and graceful shutdown, on a real server.</summary>
public class LifecycleTests
{
    private const string HostPathPolicy = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: no-host-path }
        spec:
          mode: MODE
          rules:
            - name: dags
              forbidVolume: { at: dags, backing: [host-path] }
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CertificateRotation_WhileRequestsFlow_FailsNoRequest()
    {
        await using var webhook = await RunningWebhook.StartAsync();
        var before = webhook.Services.GetCertificate().Thumbprint;
        using var rotated = webhook.Certificates.Server("rotated.airflowguard.test");
        var failures = 0;
        var answered = 0;
        using var stop = new CancellationTokenSource();

        // several clients, each opening new connections now and then, so new handshakes happen throughout
        var load = Enumerable.Range(0, 4).Select(async i =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = webhook.Client(i % 2 == 0 ? HttpVersion.Version11 : HttpVersion.Version20);
                for (var n = 0; n < 10 && !stop.IsCancellationRequested; n++)
                {
                    try
                    {
                        var (status, _, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SafeScheduler));
                        Interlocked.Increment(ref status == HttpStatusCode.OK ? ref answered : ref failures);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        }).ToList();

        await Task.Delay(300);
        TestCertificates.WritePem(rotated, webhook.TlsFolder);
        await Eventually(() => webhook.Services.GetCertificate().Thumbprint == rotated.Thumbprint);
        await Eventually(() => webhook.PresentedCertificates.Contains(rotated.Thumbprint));
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.NotEqual(before, rotated.Thumbprint);
        Assert.Equal(0, failures);
        Assert.True(answered > 20, $"only {answered} requests were answered");
        Assert.Contains("airflowguard_certificate_reloads_total{result=\"success\"} 2", await webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HalfWrittenCertificate_IsSkipped_AndTheOldOneKeepsServing()
    {
        await using var webhook = await RunningWebhook.StartAsync();
        var before = webhook.Services.GetCertificate().Thumbprint;

        File.WriteAllText(Path.Combine(webhook.TlsFolder, "tls.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
        await Eventually(async () => (await webhook.MetricsAsync()).Contains("airflowguard_certificate_reloads_total{result=\"failure\"}", StringComparison.Ordinal));

        Assert.Equal(before, webhook.Services.GetCertificate().Thumbprint);
        var (status, _, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SafeScheduler));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task PolicyReload_ValidChangeTakesEffect_BrokenChangeIsRejectedAndCounted()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.PolicyFiles = new() { ["policy.yaml"] = HostPathPolicy.Replace("MODE", "Warn", StringComparison.Ordinal) });
        var client = webhook.Client();
        var review = Reviews.Create(Reviews.SchedulerWithHostPathAndPassword);
        Assert.True(Reviews.Response((await webhook.PostAsync(client, "/validate", review)).Body).GetProperty("allowed").GetBoolean());

        // a valid change: the same policy, now enforced
        File.WriteAllText(Path.Combine(webhook.PolicyFolder, "policy.yaml"), HostPathPolicy.Replace("MODE", "Enforce", StringComparison.Ordinal));
        await Eventually(async () => !Reviews.Response((await webhook.PostAsync(client, "/validate", review)).Body).GetProperty("allowed").GetBoolean());

        // a broken change: rejected with file:line:column, counted, and the enforced set stays
        File.WriteAllText(Path.Combine(webhook.PolicyFolder, "policy.yaml"), HostPathPolicy.Replace("MODE", "Enforced", StringComparison.Ordinal));
        await Eventually(async () => (await webhook.MetricsAsync()).Contains("airflowguard_policy_reloads_total{result=\"failure\"} 1", StringComparison.Ordinal));
        await Eventually(() => webhook.Logs.Lines.Any(l => l.Contains("policy.yaml\",\"Line\":5,\"Column\":9,\"Problem\":\"mode must be Enforce, Warn or Audit", StringComparison.Ordinal)));
        Assert.False(Reviews.Response((await webhook.PostAsync(client, "/validate", review)).Body).GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task PolicyReload_FollowsAConfigMapStyleSymlinkSwap()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.PolicyFiles = []);
        // kubelet's layout: policy.yaml -> ..data/policy.yaml, ..data -> ..2026_11_22_v1
        var folder = webhook.PolicyFolder;
        Directory.CreateDirectory(Path.Combine(folder, "..v1"));
        File.WriteAllText(Path.Combine(folder, "..v1", "policy.yaml"), HostPathPolicy.Replace("MODE", "Warn", StringComparison.Ordinal));
        File.CreateSymbolicLink(Path.Combine(folder, "..data"), "..v1");
        File.CreateSymbolicLink(Path.Combine(folder, "policy.yaml"), Path.Combine("..data", "policy.yaml"));
        var client = webhook.Client();
        var review = Reviews.Create(Reviews.SchedulerWithHostPathAndPassword);
        // the folder starts empty, which is refused (503) until the first policy appears
        await Eventually(async () => await webhook.PostAsync(client, "/validate", review) is { Status: HttpStatusCode.OK } answer &&
            Reviews.Warnings(answer.Body).Any(w => w.StartsWith("no-host-path/dags", StringComparison.Ordinal)));

        Directory.CreateDirectory(Path.Combine(folder, "..v2"));
        File.WriteAllText(Path.Combine(folder, "..v2", "policy.yaml"), HostPathPolicy.Replace("MODE", "Enforce", StringComparison.Ordinal));
        File.CreateSymbolicLink(Path.Combine(folder, "..data_tmp"), "..v2");
        Assert.Equal(0, Rename(Path.Combine(folder, "..data_tmp"), Path.Combine(folder, "..data"))); // atomic, as kubelet swaps it

        await Eventually(async () => !Reviews.Response((await webhook.PostAsync(client, "/validate", review)).Body).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task AnEmptiedPolicyFolder_KeepsTheLastGoodSet_AndAnEmptyOneNeverMakesAReplicaReady()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.PolicyFiles = new() { ["policy.yaml"] = HostPathPolicy.Replace("MODE", "Enforce", StringComparison.Ordinal) });
        var client = webhook.Client();
        var review = Reviews.Create(Reviews.SchedulerWithHostPathAndPassword);
        await Eventually(async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK);

        File.WriteAllText(Path.Combine(webhook.PolicyFolder, "policy.yaml"), "# truncated\n");
        await Eventually(async () => (await webhook.MetricsAsync()).Contains("airflowguard_policy_reloads_total{result=\"failure\"}", StringComparison.Ordinal));
        File.Delete(Path.Combine(webhook.PolicyFolder, "policy.yaml"));
        await Eventually(async () => webhook.Logs.All.Contains("no AirflowPolicy in", StringComparison.Ordinal));

        Assert.False(Reviews.Response((await webhook.PostAsync(client, "/validate", review)).Body).GetProperty("allowed").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);

        await using var fresh = await RunningWebhook.StartAsync(s => s.PolicyFiles = []);
        using var ready = await fresh.Client().GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("an empty policy set would admit every pod unchecked", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenPoliciesAtStart_NotReady_AndAdmissionIs503_NotAGuess()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.PolicyFiles = new() { ["policy.yaml"] = HostPathPolicy.Replace("MODE", "Sometimes", StringComparison.Ordinal) });
        var client = webhook.Client();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var (status, problem, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SafeScheduler));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("policy.yaml:5:9", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("https://airflowguard.dev/problems/not-ready", problem.GetProperty("type").GetString());

        File.WriteAllText(Path.Combine(webhook.PolicyFolder, "policy.yaml"), HostPathPolicy.Replace("MODE", "Enforce", StringComparison.Ordinal));
        await Eventually(async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task GracefulShutdown_ReadyzFailsFirst_InFlightRequestsFinish_ThenTheListenerCloses()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--shutdown-delay-seconds", "1.5"]));
        var client = webhook.Client();
        var probe = webhook.Client();
        var review = Encoding.UTF8.GetBytes(Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "uid-in-flight"));

        // a request whose body is still arriving when SIGTERM comes
        var body = new SlowStream(review, firstPart: 100);
        using var content = new StreamContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = review.Length;
        var inFlight = client.PostAsync(new Uri("/validate", UriKind.Relative), content);
        await body.FirstPartSent.Task.WaitAsync(Patience);

        var stopping = Task.Run(webhook.StopAsync); // SIGTERM arrives on another thread
        await Eventually(async () => (await probe.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.ServiceUnavailable);
        body.Release();
        using var response = await inFlight.WaitAsync(Patience);
        await stopping.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("uid-in-flight", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var fresh = webhook.Client();
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(new Uri("/healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task ClientCertificates_WhenRequired_OnlyTheCasClientsGetIn()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.RequireClientCertificates = true);
        using var apiServer = webhook.Certificates.Client();
        using var stranger = new TestCertificates("someone else's CA");
        using var strangerCertificate = stranger.Client();

        var (status, _, _) = await webhook.PostAsync(webhook.Client(clientCertificate: apiServer), "/validate", Reviews.Create(Reviews.SafeScheduler));
        var anonymous = await Record.ExceptionAsync(() => webhook.Client().GetAsync(new Uri("/healthz", UriKind.Relative)));
        var impostor = await Record.ExceptionAsync(() => webhook.Client(clientCertificate: strangerCertificate).GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.IsType<HttpRequestException>(anonymous);
        Assert.IsType<HttpRequestException>(impostor);
    }

    [Fact]
    public async Task MonitoringPort_WithClientCertificatesRequired_ProbesAndMetricsWithoutOne_AdmissionNotServed()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.RequireClientCertificates = true);
        var kubelet = webhook.MonitoringClient();

        var health = await kubelet.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        var ready = await kubelet.GetStringAsync(new Uri("/readyz", UriKind.Relative));
        var metrics = await kubelet.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var (status, body, _) = await webhook.PostAsync(kubelet, "/validate", Reviews.Create(Reviews.SafeScheduler));
        var admissionWithoutCertificate = await Record.ExceptionAsync(() => webhook.Client().GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.Equal("ok\n", health);
        Assert.Equal("ready\n", ready);
        Assert.Contains("airflowguard_ready 1", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("admission port", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(admissionWithoutCertificate);
    }

    [Theory]
    [InlineData(new string[0], "a TLS certificate is required")]
    [InlineData(new[] { "--dev", "--port", "8443", "--monitoring-port", "8443" }, "monitoring-port must differ from port")]
    [InlineData(new[] { "--dev", "--port", "70000" }, "port must be between 1 and 65535, found 70000")]
    [InlineData(new[] { "--dev", "--failure-mode", "Maybe" }, "FailureMode")]
    [InlineData(new[] { "--dev", "--policies", "/no/such/policies" }, "policies: no such file or folder: /no/such/policies")]
    [InlineData(new[] { "--dev", "--tls-cert-file", "/x.crt" }, "give either dev or tls cert-file / key-file, not both")]
    [InlineData(new[] { "--dev", "--colour", "blue" }, "Unrecognized command or argument '--colour'")]
    [InlineData(new[] { "--dev", "--port" }, "Required argument missing for option: '--port'")]
    [InlineData(new[] { "--tls-cert-file", "/no/tls.crt", "--tls-key-file", "/no/tls.key" }, "tls cert-file: no such file: /no/tls.crt")]
    [InlineData(new[] { "--dev", "--reports" }, "reports need the cluster's API server: set cluster-cache to optional or required")]
    [InlineData(new[] { "--dev", "--cluster-cache", "optional", "--reports", "--reports-period-seconds", "1" }, "reports-period-seconds must be at least 10, found 1")]
    public void BadConfiguration_FailsFastWithAClearMessage(string[] args, string message)
    {
        var error = Assert.Throws<WebhookConfigurationException>(() => WebhookServer.Build(args));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevMode_ServesASelfSignedLocalhostCertificate()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Dev = true);

        var (status, _, _) = await webhook.PostAsync(webhook.Client(HttpVersion.Version20), "/validate", Reviews.Create(Reviews.SafeScheduler));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("CN=localhost", webhook.Services.GetCertificate().Subject, StringComparison.Ordinal);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    internal static async Task Eventually(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Patience, "the condition did not become true in time");
            await Task.Delay(100);
        }
    }

    internal static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    /// <summary>Sends the first bytes of a body, then waits to be released before sending the rest.</summary>
    private sealed class SlowStream(byte[] data, int firstPart) : Stream
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public TaskCompletionSource FirstPartSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Release() => _release.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == firstPart)
            {
                FirstPartSent.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }
            var end = _position < firstPart ? firstPart : data.Length;
            var count = Math.Min(buffer.Length, end - _position);
            data.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

internal static class ServiceProviderExtensions
{
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 GetCertificate(this IServiceProvider services) =>
        ((Tls.CertificateStore)services.GetService(typeof(Tls.CertificateStore))!).Current!;
}
