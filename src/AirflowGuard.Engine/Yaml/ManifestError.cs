namespace AirflowGuard.Engine.Yaml;

/// <summary>A problem reading a manifest file, located by file:line:column.</summary>
public sealed record ManifestError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
