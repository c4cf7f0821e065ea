using System.Net.Security;

namespace AirflowGuard.Webhook.Tls;

/// <summary>
/// The cipher suites the webhook offers: TLS 1.3's, and TLS 1.2's ECDHE suites with an AEAD cipher
/// (AES-GCM, ChaCha20-Poly1305) only; no CBC, no static RSA key exchange. Every Kubernetes API
/// server (Go's crypto/tls) offers these. Set through OpenSSL, so on Linux only; elsewhere the
/// platform's defaults apply (the webhook ships as a Linux image).
/// </summary>
public static class TlsCipherSuites
{
    public static readonly IReadOnlyList<TlsCipherSuite> Allowed =
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>The policy for <see cref="SslServerAuthenticationOptions.CipherSuitesPolicy"/>, or null where it cannot be set.</summary>
    public static CipherSuitesPolicy? Policy { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() ? new CipherSuitesPolicy(Allowed) : null;
}
