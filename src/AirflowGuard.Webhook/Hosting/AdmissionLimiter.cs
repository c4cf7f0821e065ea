using System.Buffers;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Bounds what admission requests can hold at once: at most
/// <see cref="WebhookOptions.MaxConcurrentAdmissions"/> bodies are read and evaluated together, each
/// in a buffer from a pool that keeps no more than that many. A request that finds no free slot
/// within <see cref="WebhookOptions.AdmissionQueueSeconds"/> is answered 429 at once, so memory
/// stays under the limit the chart sets from measurements (docs/reliability.md) whatever the load.
/// Small bodies (a declared length up to <see cref="SmallBodyBytes"/>, nearly every review) do not queue
/// for those slots: as many of them as fit in half the slots' bytes (slots × max-request-bytes / 2) run at
/// once, so ordinary reviews never wait behind each other, nor behind a slow sender of a large body.
/// </summary>
public sealed class AdmissionLimiter : IDisposable
{
    /// <summary>The largest declared body that goes without a slot.</summary>
    public const int SmallBodyBytes = 64 * 1024;

    private readonly WebhookOptions _options;
    private readonly SemaphoreSlim _slots;
    // small bodies in flight: half the slots' bytes, so the worst case (every slot and every small body at once)
    // stays within 1.5× the memory the slots alone were sized for (docs/reliability.md)
    private readonly int _smallLimit;
    private int _small;

    public AdmissionLimiter(WebhookOptions options, WebhookMetrics metrics)
    {
        _options = options;
        _slots = new(options.MaxConcurrentAdmissions, options.MaxConcurrentAdmissions);
        _smallLimit = (int)Math.Max(1, (long)options.MaxConcurrentAdmissions * options.MaxRequestBytes / (2 * SmallBodyBytes));
        Buffers = ArrayPool<byte>.Create(options.MaxRequestBytes, options.MaxConcurrentAdmissions);
        // read when /metrics is collected, not kept up to date on every request (two more updates of a line both cores write)
        metrics.Registry.AddBeforeCollectCallback(() => metrics.AdmissionsInFlight.Set(InFlight));
    }

    /// <summary>Admission requests holding a slot or running as a small body.</summary>
    public int InFlight => Math.Max(0, Volatile.Read(ref _small)) + _options.MaxConcurrentAdmissions - _slots.CurrentCount;

    /// <summary>
    /// Lets a body whose declared length is small in without a slot while the small ones in flight fit in the slots'
    /// bytes; give it back with <see cref="ExitSmall"/>. False for a large, unknown (chunked) or one too many: take a slot.
    /// </summary>
    public bool TryEnterSmall(long? contentLength)
    {
        if (contentLength is not (>= 0 and <= SmallBodyBytes))
        {
            return false;
        }
        if (Interlocked.Increment(ref _small) > _smallLimit)
        {
            Interlocked.Decrement(ref _small);
            return false;
        }
        return true;
    }

    public void ExitSmall() => Interlocked.Decrement(ref _small);

    public ArrayPool<byte> Buffers { get; }

    /// <summary>Takes a free slot at once, without waiting or allocating; false when all are busy (then wait with <see cref="EnterAsync"/>).</summary>
    public bool TryEnter()
    {
        if (!_slots.Wait(0))
        {
            return false;
        }
        return true;
    }

    /// <summary>True when a slot was taken (give it back with <see cref="Exit"/>); false when none came free in time.</summary>
    public async Task<bool> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(TimeSpan.FromSeconds(_options.AdmissionQueueSeconds), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        return true;
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
