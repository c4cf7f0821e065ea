namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Where an object was written: a file and the line its document starts on.</summary>
public sealed record ManifestLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
