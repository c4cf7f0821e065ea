using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>The placeholders of a release-wide finding.</summary>
internal sealed class ReleaseValues : IMessageValues
{
    public required string Claim { get; init; }
    public required string Namespace { get; init; }
    public string Workloads { get; init; } = "";
    public string Writers { get; init; } = "";
    public string AccessModes { get; init; } = "";
    public string MountPath { get; init; } = "";
    public string Identities { get; init; } = "";

    public string? Get(string name) => name switch
    {
        "claim" => Claim,
        "namespace" => Namespace,
        "workloads" => Workloads,
        "writers" => Writers,
        "accessModes" => AccessModes,
        "mountPath" => MountPath,
        "identities" => Identities,
        _ => null,
    };
}
