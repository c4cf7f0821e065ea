using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>Keeps every log event as the production formatter writes it (one compact JSON object per line).</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly CompactJsonFormatter _formatter = new();
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public string All => string.Join(Environment.NewLine, _lines);

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        _formatter.Format(logEvent, writer);
        _lines.Enqueue(writer.ToString().TrimEnd());
    }
}
