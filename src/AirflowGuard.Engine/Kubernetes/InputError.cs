namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A problem with a submitted object, located by a JSON path such as <c>spec.containers[1].env[0].value</c>.</summary>
public sealed record InputError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
