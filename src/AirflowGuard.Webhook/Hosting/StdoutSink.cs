using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Writes log lines to stdout through a buffer flushed every few hundred milliseconds (and
/// when full, and at exit) instead of a write system call per line, which at thousands of admission
/// decisions a second costs more than deciding them. Meant to sit behind Serilog's async wrapper,
/// so requests only enqueue.
/// </summary>
public sealed class StdoutSink : ILogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _writer;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public StdoutSink(ITextFormatter formatter, TimeSpan flushInterval, Stream? output = null)
    {
        _formatter = formatter;
        _writer = new StreamWriter(output ?? Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 64 * 1024, leaveOpen: true) { AutoFlush = false };
        _timer = new Timer(_ => Flush(), null, flushInterval, flushInterval);
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _formatter.Format(logEvent, _writer);
            }
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            try
            {
                _writer.Flush();
            }
            catch (IOException)
            {
                // stdout closed: nothing left to tell
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _writer.Dispose();
            }
        }
    }
}
