using System.Buffers;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Bounds what admission requests can hold at once: at most
/// <see cref="WebhookOptions.MaxConcurrentAdmissions"/> bodies are read and evaluated together, each
/// in a buffer from a pool that keeps no more than that many. A request that finds no free slot
/// within <see cref="WebhookOptions.AdmissionQueueSeconds"/> is answered 429 at once, so memory
/// stays under the limit the chart sets from measurements (docs/reliability.md) whatever the load.
/// </summary>
public sealed class AdmissionLimiter(WebhookOptions options, WebhookMetrics metrics) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentAdmissions, options.MaxConcurrentAdmissions);

    public ArrayPool<byte> Buffers { get; } = ArrayPool<byte>.Create(options.MaxRequestBytes, options.MaxConcurrentAdmissions);

    /// <summary>Takes a free slot at once, without waiting or allocating; false when all are busy (then wait with <see cref="EnterAsync"/>).</summary>
    public bool TryEnter()
    {
        if (!_slots.Wait(0))
        {
            return false;
        }
        metrics.AdmissionsInFlight.Inc();
        return true;
    }

    /// <summary>True when a slot was taken (give it back with <see cref="Exit"/>); false when none came free in time.</summary>
    public async Task<bool> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(options.AdmissionQueueSeconds), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        metrics.AdmissionsInFlight.Inc();
        return true;
    }

    public void Exit()
    {
        metrics.AdmissionsInFlight.Dec();
        _slots.Release();
    }

    public void Dispose() => _slots.Dispose();
}
