using System.Text;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// The webhook's log lines on their way to stdout, as UTF-8: appended to a 64 KiB buffer, which a
/// writer thread of its own writes when it fills and every <c>flushInterval</c>, so a request never waits
/// for a write system call (nor for a thread-pool turn: under load the pool is busy with requests). Up to
/// eight buffers ride out a burst or a slow reader; if all are full (stdout blocked), lines are dropped
/// rather than holding up admission, counted in <see cref="DroppedLines"/>, and reported in a line of
/// their own once stdout flows again. Serilog's asynchronous sink, which this replaces for decisions,
/// dropped too, but said nothing. With a zero interval every line is written at once (tests read their
/// logs straight after a request).
/// </summary>
public sealed class LogOutput : IDisposable
{
    private const int BufferBytes = 64 * 1024;
    private const int MaxBuffers = 8;

    private readonly Stream _output;
    private readonly TimeSpan _interval;
    private readonly Thread? _writer;
    // an event that blocks at once, not a SemaphoreSlim: the writer waits several dozen times a second under load, and
    // a SemaphoreSlim spins (yielding) before each wait, which cost about 1.5 µs of CPU per request (docs/performance.md)
    private readonly AutoResetEvent _wake = new(false);
    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private readonly Queue<(byte[] Buffer, int Length)> _full = new();
    private readonly Stack<byte[]> _free = new();
    private byte[] _current = [];
    private int _length;
    private int _buffers;
    private long _dropped;
    private long _droppedReported;
    private volatile bool _stopping;
    private bool _disposed;

    public LogOutput(Stream output, TimeSpan flushInterval)
    {
        _output = output;
        _interval = flushInterval;
        if (flushInterval > TimeSpan.Zero)
        {
            _current = new byte[BufferBytes];
            _buffers = 1;
            _writer = new Thread(WriteLoop) { IsBackground = true, Name = "log output" };
            _writer.Start();
        }
        else
        {
            _disposed = true; // write-through from the start
        }
    }

    /// <summary>Lines given up because stdout did not keep up (every buffer full).</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>Appends <paramref name="line"/> (without its newline) and a newline.</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        if (line.Length + 1 > BufferBytes)
        {
            WriteNow(line); // a line longer than a buffer (an exception's trace) is written as it comes
            return;
        }
        lock (_gate)
        {
            if (_disposed)
            {
                // after shutdown (and in write-through mode): one by one, in order
                WriteNow(line);
                return;
            }
            if (_length + line.Length + 1 > _current.Length)
            {
                if (!NextBuffer())
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }
                _wake.Set();
            }
            line.CopyTo(_current.AsSpan(_length));
            _current[_length + line.Length] = (byte)'\n';
            _length += line.Length + 1;
        }
    }

    /// <summary>Queues the current buffer for the writer and takes an empty one; false when none is left. Under the gate.</summary>
    private bool NextBuffer()
    {
        byte[] next;
        if (_free.Count > 0)
        {
            next = _free.Pop();
        }
        else if (_buffers < MaxBuffers)
        {
            next = new byte[BufferBytes];
            _buffers++;
        }
        else
        {
            return false;
        }
        _full.Enqueue((_current, _length));
        (_current, _length) = (next, 0);
        return true;
    }

    private void WriteLoop()
    {
        var batch = new List<(byte[] Buffer, int Length)>();
        while (!_stopping)
        {
            _wake.WaitOne(_interval);
            WriteQueued(batch);
        }
    }

    /// <summary>Writes the full buffers and what the current one holds, in order; the buffers then go back to the free list.</summary>
    private void WriteQueued(List<(byte[] Buffer, int Length)> batch)
    {
        lock (_gate)
        {
            if (_length > 0)
            {
                NextBuffer(); // when none is free the current one waits for the next round
            }
            while (_full.TryDequeue(out var full))
            {
                batch.Add(full);
            }
        }
        if (batch.Count == 0)
        {
            return;
        }
        foreach (var (buffer, length) in batch)
        {
            WriteOut(buffer.AsSpan(0, length), newline: false);
        }
        lock (_gate)
        {
            foreach (var (buffer, _) in batch)
            {
                _free.Push(buffer);
            }
        }
        batch.Clear();
        // once stdout keeps up again, say how much it missed: lines are never lost without a trace
        var dropped = Interlocked.Read(ref _dropped);
        if (dropped > _droppedReported)
        {
            _droppedReported = dropped;
            WriteNow(Encoding.UTF8.GetBytes(
                $$"""{"@t":"{{DateTime.UtcNow:O}}","@mt":"{Count} log lines dropped so far: stdout did not keep up","@l":"Warning","Count":{{dropped}},"SourceContext":"AirflowGuard.Webhook.Hosting.LogOutput"}"""));
        }
    }

    private void WriteNow(ReadOnlySpan<byte> line) => WriteOut(line, newline: true);

    private void WriteOut(ReadOnlySpan<byte> bytes, bool newline)
    {
        lock (_writeGate)
        {
            try
            {
                _output.Write(bytes);
                if (newline)
                {
                    _output.WriteByte((byte)'\n');
                }
                _output.Flush();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // stdout closed: nothing left to tell
            }
        }
    }

    /// <summary>Writes everything buffered; later lines are written one by one as they come.</summary>
    public void Dispose()
    {
        if (_writer is null || _stopping)
        {
            return;
        }
        _stopping = true;
        _wake.Set();
        _writer.Join(TimeSpan.FromSeconds(5));
        var batch = new List<(byte[] Buffer, int Length)>();
        WriteQueued(batch);
        WriteQueued(batch); // the current buffer, when every buffer was full the first time
        lock (_gate)
        {
            _disposed = true;
        }
    }
}
