using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Cluster;

public sealed partial class ResourceWatch<T>(
    string resource, string path, HttpClient http, Func<JsonElement, T?> read, Func<JsonElement, (string Namespace, string Name)> key,
    IWatchMetrics metrics, ILogger logger) : IResourceWatch
    where T : class
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private volatile ConcurrentDictionary<(string, string), T> _items = new();
    private string? _resourceVersion;

    public string Resource => resource;

    /// <summary>True once a list has been loaded; the copy may lag the cluster by a watch event.</summary>
    public bool Synced { get; private set; }

    public string? LastError { get; private set; }

    public event Action? Changed;

    /// <summary>
    /// For a kind whose CRD may not be installed: a 404 from the list counts as an empty, synced copy (with the reason in
    /// <see cref="LastError"/>), listed again after a while, instead of an error that keeps the cache unsynced.
    /// </summary>
    public bool AbsentIsEmpty { get; init; }

    private static readonly TimeSpan AbsentRetry = TimeSpan.FromSeconds(60);

    public T? Get(string @namespace, string name) => _items.GetValueOrDefault((@namespace, name));

    public IEnumerable<T> All => _items.Values;

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (_resourceVersion is null)
                {
                    await ListAsync(stopping).ConfigureAwait(false);
                }
                if (_resourceVersion is null)
                {
                    await Task.Delay(AbsentRetry, stopping).ConfigureAwait(false); // the kind does not exist (yet)
                    continue;
                }
                await WatchAsync(stopping).ConfigureAwait(false);
                backoff = TimeSpan.FromSeconds(1); // the stream ended normally: resume at once
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException or OperationCanceledException)
            {
                LastError = ex.Message;
                metrics.Error(resource);
                LogWatchFailed(resource, ex.Message, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Objects per list page (limit/continue), so neither side holds a whole large list in one response.</summary>
    internal const int PageSize = 500;

    /// <summary>Lists once into the copy (benchmarks measure what a synced copy holds).</summary>
    internal Task SyncOnceAsync(CancellationToken stopping) => ListAsync(stopping);

    private async Task ListAsync(CancellationToken stopping)
    {
        var items = new ConcurrentDictionary<(string, string), T>();
        string? version = null;
        string? next = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = $"{path}{separator}limit={PageSize}" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            using var response = await http.GetAsync(new Uri(http.BaseAddress!, page), stopping).ConfigureAwait(false);
            if (AbsentIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
            {
                _items = new ConcurrentDictionary<(string, string), T>();
                _resourceVersion = null;
                Synced = true;
                LastError = $"the API server has no {resource} (its CRD is not installed): none";
                metrics.Synced(resource);
                metrics.Objects(resource, 0);
                Changed?.Invoke();
                return;
            }
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stopping).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: stopping).ConfigureAwait(false);
            foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
            {
                if (read(item) is { } value)
                {
                    items[key(item)] = value;
                }
            }
            var metadata = document.RootElement.GetProperty("metadata");
            version = metadata.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : version;
            next = metadata.TryGetProperty("continue", out var token) && token.GetString() is { Length: > 0 } more ? more : null;
        }
        while (next is not null);
        _items = items;
        _resourceVersion = version ?? "";
        Synced = true;
        LastError = null;
        metrics.Synced(resource);
        metrics.Objects(resource, items.Count);
        Changed?.Invoke();
    }

    private async Task WatchAsync(CancellationToken stopping)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = $"{path}{separator}watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(_resourceVersion ?? "")}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(http.BaseAddress!, uri));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            _resourceVersion = null; // too old: list again
            return;
        }
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(stopping).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(stopping).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var type = document.RootElement.GetProperty("type").GetString();
            var obj = document.RootElement.GetProperty("object");
            if (type == "ERROR")
            {
                if (obj.TryGetProperty("code", out var code) && code.GetInt32() == 410)
                {
                    _resourceVersion = null; // expired while watching: list again
                    return;
                }
                throw new InvalidOperationException($"watch error: {(obj.TryGetProperty("message", out var m) ? m.GetString() : line)}");
            }
            var version = obj.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
            switch (type)
            {
                case "ADDED" or "MODIFIED":
                    if (read(obj) is { } value)
                    {
                        _items[key(obj)] = value;
                    }
                    else
                    {
                        _items.TryRemove(key(obj), out _);
                    }
                    break;
                case "DELETED":
                    _items.TryRemove(key(obj), out _);
                    break;
            }
            _resourceVersion = version ?? _resourceVersion;
            metrics.Event(resource, type ?? "unknown");
            metrics.Objects(resource, _items.Count);
            if (type != "BOOKMARK")
            {
                Changed?.Invoke();
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "watching {Resource:l} failed ({Reason:l}); retrying in {Seconds} s, lookups answer from the last copy or 'unknown'")]
    private partial void LogWatchFailed(string resource, string reason, double seconds);
}
