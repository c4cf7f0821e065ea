namespace AirflowGuard.Cluster;

/// <summary>
/// Keeps a local copy of one kind of object with the Kubernetes list-then-watch protocol: list
/// (remembering the list's resourceVersion), watch from there, apply ADDED / MODIFIED / DELETED,
/// follow BOOKMARKs, resume from the last resourceVersion when the stream drops, and list again
/// when the server says the version is gone (410). Lookups never call the API server.
/// </summary>
/// <summary>What the cache and /readyz need to know of a watch, whatever it watches.</summary>
public interface IResourceWatch
{
    string Resource { get; }
    bool Synced { get; }
    string? LastError { get; }
    Task RunAsync(CancellationToken stopping);
}
