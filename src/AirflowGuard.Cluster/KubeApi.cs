using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace AirflowGuard.Cluster;

/// <summary>An HttpClient for the API server, configured the way KubernetesClient reads kubeconfig and in-cluster settings.</summary>
public static class KubeApi
{
    public static HttpClient Create(ClusterCacheOptions options)
    {
        if (options.Server is { } server)
        {
            return new HttpClient { BaseAddress = new Uri(server.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        }
        var config = options.Kubeconfig is { } file
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(file)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig() : KubernetesClientConfiguration.BuildConfigFromConfigFile();
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            config.SkipTlsVerify || errors == SslPolicyErrors.None || CertificateChains.IsSignedBy(certificate, config.SslCaCerts);
        if (ClientCertificate(config) is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }
        return new HttpClient(new Authentication(config) { InnerHandler = handler })
        {
            BaseAddress = new Uri(config.Host.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan, // watches are long requests
        };
    }

    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var certificate = !string.IsNullOrEmpty(config.ClientCertificateData)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData))
            : config.ClientCertificateFilePath is { Length: > 0 } certificateFile ? File.ReadAllText(certificateFile) : null;
        var key = !string.IsNullOrEmpty(config.ClientCertificateKeyData)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData))
            : config.ClientKeyFilePath is { Length: > 0 } keyFile ? File.ReadAllText(keyFile) : null;
        return certificate is null || key is null ? null : X509Certificate2.CreateFromPem(certificate, key);
    }

    /// <summary>Adds the bearer token (re-read from the projected token file in a cluster) to each request.</summary>
    private sealed class Authentication(KubernetesClientConfiguration config) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (config.TokenProvider is { } provider)
            {
                request.Headers.Authorization = await provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (!string.IsNullOrEmpty(config.AccessToken))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
            }
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
