using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>A throwaway CA and the certificates it signs, written as PEM files like cert-manager writes them.</summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public TestCertificates(string name = "AirflowGuard test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A server certificate for localhost, 127.0.0.1 and ::1.</summary>
    public X509Certificate2 Server(string commonName = "airflowguard.test") => Issue(commonName, ServerAuth, server: true);

    /// <summary>A client certificate, as the API server presents with its admission configuration.</summary>
    public X509Certificate2 Client(string commonName = "kube-apiserver") => Issue(commonName, ClientAuth, server: false);

    /// <summary>A client certificate whose Authority Information Access names <paramref name="caIssuers"/> as where its issuer can be fetched.</summary>
    public X509Certificate2 ClientPointingAt(Uri caIssuers) => Issue("kube-apiserver", ClientAuth, server: false, caIssuers);

    /// <summary>Writes <paramref name="certificate"/> and its key as tls.crt / tls.key into <paramref name="folder"/> (replacing them atomically).</summary>
    public static void WritePem(X509Certificate2 certificate, string folder)
    {
        Directory.CreateDirectory(folder);
        var key = certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        Replace(Path.Combine(folder, "tls.key"), key);
        Replace(Path.Combine(folder, "tls.crt"), certificate.ExportCertificatePem());
    }

    public void WriteAuthorityPem(string path) => File.WriteAllText(path, Authority.ExportCertificatePem());

    public void Dispose() => Authority.Dispose();

    private X509Certificate2 Issue(string commonName, Oid usage, bool server, Uri? caIssuers = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        if (caIssuers is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuers.AbsoluteUri]));
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static void Replace(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
