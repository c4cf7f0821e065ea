using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Policies;

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
