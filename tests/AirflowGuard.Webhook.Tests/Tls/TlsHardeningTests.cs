using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>No TLS client can make the webhook call out, hold its threads, or talk it down to a weak cipher.</summary>
public class TlsHardeningTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ClientCertificate_WithAiaToAnUnknownIssuer_IsRefusedPromptly_WithoutFetchingIt()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.RequireClientCertificates = true);
        using var listener = new RecordingListener();
        using var stranger = new TestCertificates("someone else's CA");
        using var pointing = stranger.ClientPointingAt(listener.Address);

        var started = Stopwatch.GetTimestamp();
        var refused = await Record.ExceptionAsync(() => webhook.Client(clientCertificate: pointing).GetAsync(new Uri("/healthz", UriKind.Relative)));

        Assert.IsType<HttpRequestException>(refused);
        Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, Prompt);
        await Task.Delay(200);
        Assert.Equal(0, listener.Hits);
    }

    [Fact]
    public async Task ManyHandshakes_WithHangingAia_DoNotDelayTheApiServersAdmissions()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.RequireClientCertificates = true);
        using var listener = new RecordingListener();
        using var stranger = new TestCertificates("someone else's CA");
        using var pointing = stranger.ClientPointingAt(listener.Address);
        using var apiServer = webhook.Certificates.Client();
        var attackers = Enumerable.Range(0, 20)
            .Select(_ => Record.ExceptionAsync(() => webhook.Client(clientCertificate: pointing).GetAsync(new Uri("/healthz", UriKind.Relative))))
            .ToList();
        await Task.Delay(300);

        var started = Stopwatch.GetTimestamp();
        var (status, _, _) = await webhook.PostAsync(webhook.Client(clientCertificate: apiServer), "/validate", Reviews.Create(Reviews.SafeScheduler));
        var elapsed = Stopwatch.GetElapsedTime(started);
        await Task.WhenAll(attackers);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.InRange(elapsed, TimeSpan.Zero, Prompt);
        Assert.Equal(0, listener.Hits);
    }

    [Fact]
    public async Task SlowClients_ThatNeverFinishTheHandshake_DoNotBlockAdmissions_AndAreCutOff()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--tls-handshake-timeout-seconds", "1"]));
        var port = webhook.Address.Port;
        var stalled = new List<TcpClient>();
        for (var i = 0; i < 200; i++)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            await tcp.GetStream().WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 }); // the start of a ClientHello, and no more
            stalled.Add(tcp);
        }
        try
        {
            var started = Stopwatch.GetTimestamp();
            var (status, _, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SafeScheduler));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.InRange(Stopwatch.GetElapsedTime(started), TimeSpan.Zero, Prompt);

            // past the handshake timeout the server hangs up on them
            var first = stalled[0].GetStream();
            using var read = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var closed = await Record.ExceptionAsync(async () =>
            {
                var n = await first.ReadAsync(new byte[16], read.Token);
                Assert.Equal(0, n);
            });
            Assert.True(closed is null or IOException, $"expected the server to close the stalled connection, got {closed}");
        }
        finally
        {
            stalled.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task CbcOnlyClient_IsRefused_AndAeadClientsGetIn()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // cipher suite policies are set through OpenSSL (Linux only)
        }
        await using var webhook = await RunningWebhook.StartAsync();

        var cbc = await Record.ExceptionAsync(() => Handshake(webhook, SslProtocols.Tls12,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256));
        var gcm = await Record.ExceptionAsync(() => Handshake(webhook, SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));
        var tls13 = await Record.ExceptionAsync(() => Handshake(webhook, SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256));

        Assert.NotNull(cbc);
        Assert.Null(gcm);
        Assert.Null(tls13);
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static async Task Handshake(RunningWebhook webhook, SslProtocols protocol, params TlsCipherSuite[] suites)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, webhook.Address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocol,
            CipherSuitesPolicy = new CipherSuitesPolicy(suites),
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, timeout.Token);
    }
}
