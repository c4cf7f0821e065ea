using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AirflowGuard.Webhook.Tls;

/// <summary>A self-signed certificate for localhost, for <c>serve --dev</c> and nothing else.</summary>
public static class DevCertificate
{
    public static (X509Certificate2 Certificate, string PemPath) Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=AirflowGuard dev", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        var folder = Path.Combine(Path.GetTempPath(), "airflowguard-dev");
        Directory.CreateDirectory(folder);
        var pemPath = Path.Combine(folder, "tls.crt");
        File.WriteAllText(pemPath, certificate.ExportCertificatePem());
        return (certificate, pemPath);
    }
}
