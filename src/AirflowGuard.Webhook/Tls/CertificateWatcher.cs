using Microsoft.Extensions.Hosting;

namespace AirflowGuard.Webhook.Tls;

/// <summary>Polls the certificate files (a file watcher misses Secret volume symlink swaps on some file systems).</summary>
public sealed class CertificateWatcher(CertificateStore store, WebhookOptions options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.FromFiles)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Tls.ReloadSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                store.ReloadIfChanged();
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }
}
