namespace AirflowGuard.Engine.Kubernetes;

/// <summary>An object declared twice with different content in one bundle, and where.</summary>
public sealed record ManifestConflict(string Object, ManifestLocation First, ManifestLocation Second)
{
    public override string ToString() =>
        $"{Second}: {Object} is also declared, differently, at {First}; each file's pods resolve against their own file's {Object}, and other files see it as unknown";
}
