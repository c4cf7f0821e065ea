using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AirflowGuard.Webhook.Tls;

/// <summary>Chain checks against a private CA: the API server's client certificate, the API server's own.</summary>
public static class CertificateChains
{
    /// <summary>True when <paramref name="presented"/> chains to one of <paramref name="authorities"/> (and allows <paramref name="usage"/>, when given).</summary>
    public static bool IsSignedBy(X509Certificate? presented, X509Certificate2Collection? authorities, Oid? usage = null)
    {
        if (presented is null || authorities is null || authorities.Count == 0)
        {
            return false;
        }
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (usage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(usage);
        }
        return chain.Build(certificate);
    }
}
