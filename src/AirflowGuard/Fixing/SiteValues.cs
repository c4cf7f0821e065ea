using AirflowGuard.Engine.Charts;

namespace AirflowGuard.Fixing;

/// <summary>What a site decides for a fix (a bucket, a StorageClass, a Secret), from <c>fix</c>'s options; unset ones stay REPLACE-ME placeholders.</summary>
internal sealed record SiteValues
{
    public string? RemoteBaseLogFolder { get; init; }
    public string? RemoteLogConnId { get; init; }
    public string? WasbLogContainer { get; init; }
    public string? RwxStorageClass { get; init; }
    public string? SecretName { get; init; }
    public string? GitRepo { get; init; }

    public string? For(ValuesSite site) => site switch
    {
        ValuesSite.RemoteBaseLogFolder => RemoteBaseLogFolder,
        ValuesSite.RemoteLogConnId => RemoteLogConnId,
        ValuesSite.WasbContainer => WasbLogContainer,
        ValuesSite.RwxStorageClass => RwxStorageClass,
        ValuesSite.SecretName => SecretName,
        ValuesSite.GitRepo => GitRepo,
        _ => null,
    };
}
