using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>The placeholder values a rule fills in; each rule documents which ones it sets.</summary>
internal sealed class MessageValues : IMessageValues
{
    public string? Volume { get; init; }
    public string? Driver { get; init; }
    public string? Backing { get; init; }
    public string? Container { get; init; }
    public string? Path { get; init; }
    public string? Claim { get; init; }
    public string? Component { get; init; }
    public string? Env { get; init; }
    public string? Folder { get; init; }
    public string? MountPath { get; init; }
    public string? Writers { get; init; }
    public string? Pod { get; init; }
    public string? Setting { get; init; }
    public string? AccessModes { get; init; }
    public string? Kind { get; init; }
    public string? RemoteLogging { get; init; }
    public string? Peer { get; init; }
    public string? Account { get; init; }
    public string? Detail { get; init; }

    public string? Get(string name) => name switch
    {
        "volume" => Volume,
        "driver" => Driver,
        "backing" => Backing,
        "container" => Container,
        "path" => Path,
        "claim" => Claim ?? Volume,
        "component" => Component,
        "env" => Env,
        "folder" => Folder,
        "mountPath" => MountPath,
        "writers" => Writers,
        "pod" => Pod,
        "setting" => Setting,
        "accessModes" => AccessModes,
        "kind" => Kind,
        "remoteLogging" => RemoteLogging,
        "peer" => Peer,
        "account" => Account,
        "detail" => Detail,
        _ => null,
    };
}
