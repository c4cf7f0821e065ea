using System.Net;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Kestrel's two TLS listeners: admission (HTTP/1.1 and 2, the certificate the API server trusts, a client certificate
/// when asked for) and monitoring (probes and metrics: the same certificate, never a client one — the kubelet and
/// Prometheus present none); and the limits that cut off slow or stalled clients instead of letting them hold a slot.
/// </summary>
internal static class WebhookListeners
{
    /// <summary>The connection item that marks a connection to the monitoring port.</summary>
    public const string MonitoringListener = "airflowguard.monitoring";

    public static IWebHostBuilder ConfigureWebhookListeners(this IWebHostBuilder webHost, WebhookOptions options) =>
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            // admission first: tests read the bound addresses in this order
            kestrel.Listen(ListenAddress(options.Address), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(options.Tls.HandshakeTimeoutSeconds),
                    OnConnection = context => kestrel.ApplicationServices.GetRequiredService<CertificateStore>().OnConnection(context),
                });
            });
            kestrel.Listen(ListenAddress(options.Address), options.MonitoringPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => connection =>
                {
                    connection.Items[MonitoringListener] = true;
                    return next(connection);
                });
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(options.Tls.HandshakeTimeoutSeconds),
                    OnConnection = context => kestrel.ApplicationServices.GetRequiredService<CertificateStore>().OnMonitoringConnection(context),
                });
            });
        });

    private static IPAddress ListenAddress(string address) => address switch
    {
        "any" => IPAddress.IPv6Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(address),
    };
}
