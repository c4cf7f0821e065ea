using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Serilog's events, formatted as one line each, into the <see cref="LogOutput"/> the decision log also
/// writes to, so every line reaches stdout through one buffer and in one order. Meant to sit behind
/// Serilog's async wrapper, so requests only enqueue.
/// </summary>
public sealed class StdoutSink(ITextFormatter formatter, LogOutput output) : ILogEventSink, IDisposable
{
    private readonly StringWriter _text = new();
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            var builder = _text.GetStringBuilder();
            builder.Clear();
            formatter.Format(logEvent, _text);
            while (builder.Length > 0 && builder[^1] is '\n' or '\r')
            {
                builder.Length--; // the output adds the newline
            }
            // a rare path (decisions do not come this way): the plain conversion is fine
            output.WriteLine(Encoding.UTF8.GetBytes(builder.ToString()));
        }
    }

    public void Dispose() => output.Dispose();
}
