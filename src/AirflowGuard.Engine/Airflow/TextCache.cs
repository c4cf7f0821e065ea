using System.Collections.Concurrent;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// Texts made once per key and then shared (where a setting came from: "env AIRFLOW__CORE__DAGS_FOLDER",
/// "[core] dags_folder in /opt/airflow/airflow.cfg from ConfigMap …"), which every container that sets the
/// same thing would otherwise format again. Bounded: past <c>capacity</c> keys, texts are made each time.
/// </summary>
internal sealed class TextCache<TKey>(int capacity, Func<TKey, string> make) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, string> _texts = new();

    public string Get(TKey key) =>
        _texts.TryGetValue(key, out var text) ? text : _texts.Count < capacity ? _texts.GetOrAdd(key, make) : make(key);
}
