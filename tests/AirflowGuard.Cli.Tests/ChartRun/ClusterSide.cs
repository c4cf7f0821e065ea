using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// The callers of a running chart pod, as a cluster has them: the API server calling a webhook
/// configuration's clientConfig through the Service, and Prometheus scraping the ServiceMonitor's
/// endpoint. Each trusts only what the rendered objects give it, connects to the name they give, and
/// is routed Service port → targetPort → container port → the pod's host port.
/// </summary>
internal static class ClusterSide
{
    /// <summary>An AdmissionReview POSTed as the API server does: trusting only caBundle, server name &lt;svc&gt;.&lt;ns&gt;.svc.</summary>
    public static async Task<(int Status, string Body)> AdmitAsync(RenderedChart chart, ChartPod pod, JsonObject webhook, string caBundle, string review, X509Certificate2? clientCertificate)
    {
        var service = webhook["clientConfig"]!["service"]!;
        var host = $"{(string)service["name"]!}.{(string)service["namespace"]!}.svc";
        var port = HostPortOf(chart, pod, (string)service["name"]!, service["port"] ?? 443);
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String(caBundle)));
        using var client = Client(host, port, trusted, clientCertificate);
        using var content = new StringContent(review, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"https://{host}{(string)service["path"]!}?timeout={(int?)webhook["timeoutSeconds"] ?? 10}s"), content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The ServiceMonitor's first endpoint scraped as Prometheus would: its scheme, path, CA and server name.</summary>
    public static async Task<(int Status, string Body)> ScrapeAsync(RenderedChart chart, ChartPod pod, JsonObject serviceMonitor, IReadOnlyDictionary<string, JsonObject> secrets)
    {
        var endpoint = serviceMonitor["spec"]!["endpoints"]![0]!;
        var service = chart.Single("Service");
        var tls = endpoint["tlsConfig"];
        if ((bool?)tls?["insecureSkipVerify"] == true)
        {
            throw new InvalidOperationException("the ServiceMonitor skips TLS verification");
        }
        var trusted = new X509Certificate2Collection();
        if (tls?["ca"]?["secret"] is { } caSecret)
        {
            var secret = chart.Find("Secret", (string)caSecret["name"]!) ?? secrets[(string)caSecret["name"]!];
            trusted.ImportFromPem(Encoding.ASCII.GetString(Convert.FromBase64String((string)secret["data"]![(string)caSecret["key"]!]!)));
        }
        var serverName = (string?)tls?["serverName"] ?? "localhost";
        var port = HostPortOf(chart, pod, (string)service["metadata"]!["name"]!, endpoint["port"]!);
        using var client = Client(serverName, port, trusted, null);
        using var response = await client.GetAsync(new Uri($"{(string?)endpoint["scheme"] ?? "http"}://{serverName}{(string?)endpoint["path"] ?? "/metrics"}"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Service port (by number or name) → its targetPort → the pod's host port.</summary>
    private static int HostPortOf(RenderedChart chart, ChartPod pod, string serviceName, JsonNode port)
    {
        var service = chart.Find("Service", serviceName) ?? throw new InvalidOperationException($"Service {serviceName} is not rendered");
        var servicePort = service["spec"]!["ports"]!.AsArray().Single(p => port.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? (int)p!["port"]! == (int)port
            : (string?)p!["name"] == (string)port!)!;
        return pod.HostPort(servicePort["targetPort"] ?? servicePort["port"]!);
    }

    private static HttpClient Client(string serverName, int hostPort, X509Certificate2Collection trusted, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync("127.0.0.1", hostPort, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null
                    && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && SignedBy(certificate, trusted),
                ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    private static bool SignedBy(X509Certificate presented, X509Certificate2Collection trusted)
    {
        if (trusted.Count == 0)
        {
            return false;
        }
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
