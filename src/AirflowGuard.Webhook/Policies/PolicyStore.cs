using System.Security.Cryptography;
using System.Text;
using AirflowGuard.Engine.Policies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Policies;

/// <summary>
/// The policy set in force. A reload that fails leaves the last good set in force; until one load
/// succeeds there is no set, and the webhook is not ready.
/// </summary>
public sealed partial class PolicyStore(WebhookOptions options, WebhookMetrics metrics, ILogger<PolicyStore> logger)
{
    private readonly object _gate = new();
    private volatile PolicySet? _current;
    private byte[]? _fingerprint;

    public PolicySet? Current => _current;

    /// <summary>The errors of the last failed load, empty after a successful one.</summary>
    public IReadOnlyList<PolicyError> LastErrors { get; private set; } = [];

    /// <summary>Where policies come from: the bundled pack, or files the watcher keeps re-reading.</summary>
    public bool FromFiles => options.Policies is not null;

    public IReadOnlyList<string> Paths => options.Policies is null ? [] : WebhookOptionsValidator.SplitPaths(options.Policies);

    /// <summary>Loads the policies if they changed since the last load (always, the first time).</summary>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            var sources = ReadSources(out var readErrors);
            var fingerprint = Fingerprint(sources, readErrors);
            if (_fingerprint is not null && fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return false;
            }
            _fingerprint = fingerprint;
            var result = readErrors.Count > 0 ? new PolicyLoadResult(null, readErrors) : PolicyLoader.LoadTexts(sources, requirePolicies: !options.AllowEmptyPolicies, string.Join(", ", Paths));
            if (result.Set is { } set)
            {
                _current = set;
                LastErrors = [];
                metrics.PolicyReloads.WithLabels("success").Inc();
                metrics.PoliciesLoaded.Set(set.Policies.Count);
                metrics.PolicyLoadTime.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
                LogLoaded(set.Policies.Count, set.Files.Count, FromFiles ? string.Join(",", Paths) : BundledPolicies.Origin);
                return true;
            }
            LastErrors = result.Errors;
            foreach (var error in result.Errors)
            {
                LogPolicyError(error.File, error.Line, error.Column, error.Message);
            }
            LogRejected(result.Errors.Count, _current is null ? "none: the webhook is not ready" : "the last good policy set");
            metrics.PolicyReloads.WithLabels("failure").Inc();
            return false;
        }
    }

    private List<(string File, string Text)> ReadSources(out List<PolicyError> errors)
    {
        var problems = errors = [];
        if (!FromFiles)
        {
            return [.. BundledPolicies.Texts()];
        }
        var sources = new List<(string, string)>();
        foreach (var file in Paths.SelectMany(path => PolicyLoader.ExpandPath(path, problems)))
        {
            try
            {
                sources.Add((file, File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new PolicyError(file, 1, 1, $"cannot read the file: {ex.Message}"));
            }
        }
        return sources;
    }

    private static byte[] Fingerprint(List<(string File, string Text)> sources, List<PolicyError> errors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (file, text) in sources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        foreach (var error in errors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(error.ToString()));
        }
        return hash.GetHashAndReset();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "policy set loaded: {Policies} policies from {Files} files ({Source:l})")]
    private partial void LogLoaded(int policies, int files, string source);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "{File:l}:{Line}:{Column}: {Problem:l}")]
    private partial void LogPolicyError(string file, int line, int column, string problem);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "policy reload rejected with {Errors} error(s); in force: {InForce:l}")]
    private partial void LogRejected(int errors, string inForce);
}

/// <summary>
/// Re-reads the policy files when a file watcher sees a change and, because watchers miss the
/// symlink swaps of a mounted ConfigMap on some file systems, every few seconds anyway. A reload
/// only parses when the files' contents changed.
/// </summary>
public sealed class PolicyWatcher(PolicyStore store, WebhookOptions options, ILogger<PolicyWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly List<FileSystemWatcher> _watchers = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        store.ReloadIfChanged(); // before the server listens: ready as soon as it can be
        if (store.FromFiles)
        {
            foreach (var path in store.Paths)
            {
                Watch(path);
            }
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.FromFiles)
        {
            return;
        }
        var interval = TimeSpan.FromSeconds(options.PolicyReloadSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await _changed.WaitAsync(interval, stoppingToken).ConfigureAwait(false))
                {
                    // editors and kubelet write in several steps: let them finish
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            store.ReloadIfChanged();
        }
    }

    public override void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _changed.Dispose();
        base.Dispose();
    }

    private void Watch(string path)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is null || !Directory.Exists(folder))
        {
            return;
        }
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            watcher.Changed += (_, _) => Signal();
            watcher.Created += (_, _) => Signal();
            watcher.Deleted += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify limits: polling still catches every change
            logger.LogWarning("cannot watch {Folder} for changes ({Reason}); polling every {Seconds} s", folder, ex.Message, options.PolicyReloadSeconds);
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }
}
