namespace AirflowGuard.Cluster;

/// <summary>What a <see cref="ResourceWatch{T}"/> reports as it works (the webhook exports it to Prometheus).</summary>
public interface IWatchMetrics
{
    /// <summary>The first list of <paramref name="resource"/> has been loaded.</summary>
    void Synced(string resource);

    /// <summary>The copy of <paramref name="resource"/> now holds <paramref name="count"/> objects.</summary>
    void Objects(string resource, int count);

    /// <summary>A watch event of <paramref name="type"/> (ADDED, MODIFIED, DELETED, BOOKMARK) was applied.</summary>
    void Event(string resource, string type);

    /// <summary>A list or watch failed and is retried with backoff.</summary>
    void Error(string resource);

    /// <summary>Reports nothing (the CLI, benchmarks).</summary>
    public static IWatchMetrics None { get; } = new NoMetrics();

    private sealed class NoMetrics : IWatchMetrics
    {
        public void Synced(string resource)
        {
        }

        public void Objects(string resource, int count)
        {
        }

        public void Event(string resource, string type)
        {
        }

        public void Error(string resource)
        {
        }
    }
}
