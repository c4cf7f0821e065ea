namespace AirflowGuard.Engine.Kubernetes;

public sealed record EnvVarView(string Name, int Index, EnvValueSource Source, string? Value, string? RefName, string? RefKey)
{
    public bool IsLiteral => Source == EnvValueSource.Literal;
}
