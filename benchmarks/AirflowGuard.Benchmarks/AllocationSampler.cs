using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace AirflowGuard.Benchmarks;

/// <summary>Counts the runtime's allocation samples (one per ~100 KB allocated) by type: what the garbage is made of.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, int> _samples = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: GCAllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (data.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && data.PayloadNames is { } names)
        {
            var type = data.Payload![names.IndexOf("TypeName")] as string ?? "?";
            _samples.AddOrUpdate(type, 1, (_, n) => n + 1);
        }
    }

    public void Print(int top = 25)
    {
        var total = _samples.Values.Sum();
        foreach (var (type, count) in _samples.OrderByDescending(p => p.Value).Take(top))
        {
            Console.WriteLine($"{100.0 * count / total,5:F1}%  {type}");
        }
    }
}
