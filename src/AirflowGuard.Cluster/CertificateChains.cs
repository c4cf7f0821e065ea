using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AirflowGuard.Cluster;

/// <summary>
/// Chain checks against a private CA: the API server's client certificate, the API server's own.
/// The configured CA is the only trust anchor, and nothing is fetched: no issuer named by the
/// certificate's AIA extension, no CRL, no OCSP. A chain that cannot be built from what was
/// presented and the configured CA fails at once, so an unauthenticated client can neither make
/// the webhook send requests nor hold a handshake on a URL that never answers.
/// </summary>
public static class CertificateChains
{
    /// <summary>The chain policy for certificates checked against <paramref name="authorities"/> (also given to SslStream, which builds a chain before any callback).</summary>
    public static X509ChainPolicy OfflinePolicy(X509Certificate2Collection authorities, Oid? usage = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            UrlRetrievalTimeout = TimeSpan.FromMilliseconds(1),
        };
        policy.CustomTrustStore.AddRange(authorities);
        if (usage is not null)
        {
            policy.ApplicationPolicy.Add(usage);
        }
        return policy;
    }

    /// <summary>True when <paramref name="presented"/> chains to one of <paramref name="authorities"/> (and allows <paramref name="usage"/>, when given).</summary>
    public static bool IsSignedBy(X509Certificate? presented, X509Certificate2Collection? authorities, Oid? usage = null)
    {
        if (presented is null || authorities is null || authorities.Count == 0)
        {
            return false;
        }
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain { ChainPolicy = OfflinePolicy(authorities, usage) };
        return chain.Build(certificate);
    }
}
