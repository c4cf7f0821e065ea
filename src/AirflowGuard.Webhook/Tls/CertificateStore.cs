using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AirflowGuard.Cluster;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Tls;

/// <summary>
/// The serving certificate, read from PEM files and swapped in place when they change (cert-manager
/// renewals, Secret rotation). New TLS handshakes get the new certificate; connections already
/// open keep theirs, so no request fails during a rotation. A half-written pair (certificate and
/// key that do not match yet) is skipped and retried.
/// </summary>
public sealed partial class CertificateStore : IDisposable
{
    private readonly WebhookOptions _options;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger<CertificateStore> _logger;
    private readonly object _gate = new();
    private volatile Served? _served;
    private byte[]? _fingerprint;

    public CertificateStore(WebhookOptions options, WebhookMetrics metrics, ILogger<CertificateStore> logger)
    {
        _options = options;
        _metrics = metrics;
        _logger = logger;
        if (options.Dev)
        {
            var (certificate, pemPath) = DevCertificate.Create();
            Install(certificate, null);
            LogDevCertificate(pemPath, certificate.Thumbprint);
        }
        else
        {
            ReloadIfChanged();
        }
    }

    /// <summary>The certificate served to new connections, or null before one could be loaded.</summary>
    public X509Certificate2? Current => _served?.Certificate;

    public bool FromFiles => !_options.Dev;

    /// <summary>Kestrel's per-handshake callback: the current certificate and, when configured, client-certificate checks.</summary>
    public ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context)
    {
        var served = _served ?? throw new InvalidOperationException("no serving certificate is loaded");
        return ValueTask.FromResult(served.Options);
    }

    /// <summary>The monitoring listener's handshake: the same certificate, never a client certificate asked for.</summary>
    public ValueTask<SslServerAuthenticationOptions> OnMonitoringConnection(TlsHandshakeCallbackContext context)
    {
        var served = _served ?? throw new InvalidOperationException("no serving certificate is loaded");
        return ValueTask.FromResult(served.MonitoringOptions);
    }

    public bool ReloadIfChanged()
    {
        if (!FromFiles)
        {
            return false;
        }
        lock (_gate)
        {
            byte[] certPem, keyPem;
            byte[]? caPem = null;
            try
            {
                certPem = File.ReadAllBytes(_options.Tls.CertFile!);
                keyPem = File.ReadAllBytes(_options.Tls.KeyFile!);
                if (_options.Tls.ClientCaFile is { } caFile)
                {
                    caPem = File.ReadAllBytes(caFile);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail($"cannot read the certificate files: {ex.Message}");
                return false;
            }
            var fingerprint = SHA256.HashData([.. certPem, 0, .. keyPem, 0, .. caPem ?? []]);
            if (_fingerprint is not null && fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return false;
            }
            try
            {
                var certificate = X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(certPem), System.Text.Encoding.ASCII.GetString(keyPem));
                var chain = new X509Certificate2Collection();
                chain.ImportFromPem(System.Text.Encoding.ASCII.GetString(certPem));
                X509Certificate2Collection? clientCa = null;
                if (caPem is not null)
                {
                    clientCa = [];
                    clientCa.ImportFromPem(System.Text.Encoding.ASCII.GetString(caPem));
                    if (clientCa.Count == 0)
                    {
                        throw new CryptographicException($"{_options.Tls.ClientCaFile} holds no PEM certificate");
                    }
                }
                Install(certificate, clientCa, chain.Skip(1).ToArray());
                _fingerprint = fingerprint;
                LogLoaded(certificate.Subject, certificate.NotAfter, certificate.Thumbprint);
                return true;
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                // a rotation caught between writing the certificate and the key; the next poll retries
                Fail($"cannot load the certificate: {ex.Message}");
                return false;
            }
        }
    }

    public void Dispose() => _served?.Certificate.Dispose();

    private void Install(X509Certificate2 certificate, X509Certificate2Collection? clientCa, X509Certificate2[]? intermediates = null)
    {
        var monitoring = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(intermediates ?? []), offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CipherSuitesPolicy = TlsCipherSuites.Policy,
            ClientCertificateRequired = false,
        };
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(intermediates ?? []), offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CipherSuitesPolicy = TlsCipherSuites.Policy,
        };
        if (clientCa is not null)
        {
            options.ClientCertificateRequired = true;
            options.CertificateChainPolicy = CertificateChains.OfflinePolicy(clientCa, new Oid("1.3.6.1.5.5.7.3.2"));
            options.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                CertificateChains.IsSignedBy(presented, clientCa, new Oid("1.3.6.1.5.5.7.3.2")); // client authentication
        }
        _served = new Served(certificate, options, monitoring);
        _metrics.CertificateReloads.WithLabels("success").Inc();
        _metrics.CertificateExpiry.Set(new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).ToUnixTimeSeconds());
    }

    private void Fail(string reason)
    {
        _metrics.CertificateReloads.WithLabels("failure").Inc();
        LogFailed(reason, _served is null ? "none: the webhook is not ready" : "the previous certificate");
    }

    private sealed record Served(X509Certificate2 Certificate, SslServerAuthenticationOptions Options, SslServerAuthenticationOptions MonitoringOptions);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "serving certificate loaded: {Subject:l}, expires {NotAfter:O}, thumbprint {Thumbprint:l}")]
    private partial void LogLoaded(string subject, DateTime notAfter, string thumbprint);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Reason:l}; serving {InUse:l}")]
    private partial void LogFailed(string reason, string inUse);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "--dev: serving a self-signed localhost certificate (written to {PemPath:l}, thumbprint {Thumbprint:l}); never use it in a cluster")]
    private partial void LogDevCertificate(string pemPath, string thumbprint);
}
