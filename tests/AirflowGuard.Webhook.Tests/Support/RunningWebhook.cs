using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using AirflowGuard.Webhook.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>How a test wants its webhook.</summary>
public sealed class WebhookSetup
{
    /// <summary>Serve certificate files signed by the test CA (default) rather than --dev.</summary>
    public bool Dev { get; set; }

    /// <summary>Policy files (name → YAML) for a watched folder; null serves the bundled pack.</summary>
    public Dictionary<string, string>? PolicyFiles { get; set; }

    public bool RequireClientCertificates { get; set; }

    public List<string> Arguments { get; } = [];

    public Action<IServiceCollection>? Services { get; set; }
}

/// <summary>
/// A real AirflowGuard webhook on a free localhost port, with real TLS and real Kestrel, as
/// `airflowguard serve` builds it; and HttpClients that speak to it over HTTP/1.1 or HTTP/2.
/// </summary>
public sealed class RunningWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private RunningWebhook(WebApplication app, string folder, TestCertificates certificates, LogCaptureStream logs, Uri address, Uri monitoringAddress)
    {
        MonitoringAddress = monitoringAddress;
        _app = app;
        Folder = folder;
        Certificates = certificates;
        Logs = logs;
        Address = address;
    }

    public string Folder { get; }

    public string PolicyFolder => Path.Combine(Folder, "policies");

    public string TlsFolder => Path.Combine(Folder, "tls");

    public TestCertificates Certificates { get; }

    public LogCaptureStream Logs { get; }

    public Uri Address { get; }

    /// <summary>The port of /healthz, /readyz and /metrics, which never asks for a client certificate.</summary>
    public Uri MonitoringAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Thumbprints of the server certificates presented in TLS handshakes, in order.</summary>
    public ConcurrentQueue<string> PresentedCertificates { get; } = new();

    public static async Task<RunningWebhook> StartAsync(Action<WebhookSetup>? configure = null)
    {
        var setup = new WebhookSetup();
        configure?.Invoke(setup);
        var folder = Directory.CreateTempSubdirectory("airflowguard-test-").FullName;
        var certificates = new TestCertificates();
        var args = new List<string> { "--address", "localhost", "--port", "0", "--monitoring-port", "0", "--shutdown-delay-seconds", "0", "--policy-reload-seconds", "0.5", "--tls-reload-seconds", "0.5" };
        if (setup.Dev)
        {
            args.Add("--dev");
        }
        else
        {
            TestCertificates.WritePem(certificates.Server(), Path.Combine(folder, "tls"));
            args.AddRange(["--tls-cert-file", Path.Combine(folder, "tls", "tls.crt"), "--tls-key-file", Path.Combine(folder, "tls", "tls.key")]);
        }
        if (setup.RequireClientCertificates)
        {
            var ca = Path.Combine(folder, "tls", "client-ca.crt");
            certificates.WriteAuthorityPem(ca);
            args.AddRange(["--tls-client-ca-file", ca]);
        }
        if (setup.PolicyFiles is { } files)
        {
            var policies = Directory.CreateDirectory(Path.Combine(folder, "policies")).FullName;
            foreach (var (name, text) in files)
            {
                File.WriteAllText(Path.Combine(policies, name), text);
            }
            args.AddRange(["--policies", policies]);
        }
        // a flag the test sets replaces the default above: serve refuses a flag given twice
        foreach (var flag in setup.Arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var index = args.IndexOf(flag);
            if (index >= 0)
            {
                args.RemoveRange(index, index + 1 < args.Count && !args[index + 1].StartsWith("--", StringComparison.Ordinal) ? 2 : 1);
            }
        }
        args.AddRange(setup.Arguments);

        var logs = new LogCaptureStream();
        var app = WebhookServer.Build([.. args], setup.Services, logStream: logs);
        await app.StartAsync();
        // in the order WebhookServer listens: admission, then monitoring
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        return new RunningWebhook(app, folder, certificates, logs, new Uri(addresses[0]), new Uri(addresses[1]));
    }

    /// <summary>A client that trusts the test CA (or the dev certificate), over <paramref name="version"/> only.</summary>
    public HttpClient Client(Version? version = null, X509Certificate2? clientCertificate = null) => Client(Address, version, clientCertificate);

    /// <summary>A client of the monitoring port, without a client certificate, as the kubelet and Prometheus call it.</summary>
    public HttpClient MonitoringClient() => Client(MonitoringAddress);

    private HttpClient Client(Uri address, Version? version = null, X509Certificate2? clientCertificate = null)
    {
        var devCertificate = Services.GetRequiredService<Tls.CertificateStore>().Current!;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Trust(certificate, devCertificate),
                // offline: the client must not fetch its own certificate's issuer (AIA) either
                ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            },
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = address,
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _clients.Add(client);
        return client;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, document.RootElement.Clone(), response);
    }

    public async Task<string> MetricsAsync()
    {
        var client = MonitoringClient();
        return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        try
        {
            await _app.StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // already stopped by the test
        }
        await _app.DisposeAsync();
        Certificates.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private bool Trust(X509Certificate? presented, X509Certificate2 devCertificate)
    {
        if (presented is null)
        {
            return false;
        }
        using var certificate = new X509Certificate2(presented);
        PresentedCertificates.Enqueue(certificate.Thumbprint);
        if (certificate.Thumbprint == devCertificate.Thumbprint)
        {
            return true;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificates.Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
