using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// On SIGTERM, fails /readyz and keeps serving for the configured delay before the listener
/// closes: endpoints drop the pod once its readiness fails, and until then the API server keeps
/// sending requests over its open keep-alive connections. Kestrel then lets in-flight requests
/// finish within the shutdown timeout.
/// </summary>
public sealed partial class ShutdownDelay(Readiness readiness, WebhookMetrics metrics, WebhookOptions options, ILogger<ShutdownDelay> logger) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.ShuttingDown = true;
        metrics.Ready.Set(0);
        LogShuttingDown(options.ShutdownDelaySeconds);
        return Task.Delay(TimeSpan.FromSeconds(options.ShutdownDelaySeconds), cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "shutting down: /readyz fails now, serving for {Delay} s more, then finishing in-flight requests")]
    private partial void LogShuttingDown(double delay);
}
