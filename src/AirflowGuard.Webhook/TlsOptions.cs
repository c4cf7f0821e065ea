namespace AirflowGuard.Webhook;

public sealed class TlsOptions
{
    /// <summary>PEM certificate (chain) file.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM CA bundle; when set, clients (the API server) must present a certificate it signed.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>How often the files are checked for rotation.</summary>
    public double ReloadSeconds { get; set; } = 10;

    /// <summary>How long a client may take to finish the TLS handshake before the connection is closed.</summary>
    public double HandshakeTimeoutSeconds { get; set; } = 10;
}
