using System.Text;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// The webhook's log lines on their way to stdout, as UTF-8. Each thread appends to a 16 KiB buffer of its own (under
/// a lock only the writer also takes, when it collects): the request threads of both cores used to append to one
/// shared buffer under one lock, which they contended for on nearly every request (futex calls included, about
/// 0.9 µs a request at the server; docs/performance.md). A writer thread of its own writes the buffers that fill and,
/// every <c>flushInterval</c>, what each thread holds, so a request never waits for a write system call (nor for a
/// thread-pool turn: under load the pool is busy with requests). Each thread's lines keep their order; lines of
/// different threads reach stdout a buffer at a time, each with its own timestamp. Up to 32 buffers handed to the
/// writer (512 KiB) ride out a burst or a slow reader; past them (stdout blocked) lines are dropped rather than
/// holding up admission, counted in <see cref="DroppedLines"/>, and reported in a line of their own once stdout
/// flows again. Serilog's asynchronous sink, which this replaces for decisions, dropped too, but said nothing. With
/// a zero interval every line is written at once (tests read their logs straight after a request); after
/// <see cref="Dispose"/>, too.
/// </summary>
public sealed class LogOutput : IDisposable
{
    private const int BufferBytes = 16 * 1024;
    private const int MaxHanded = 32;

    private readonly Stream _output;
    private readonly TimeSpan _interval;
    private readonly Thread? _writer;
    // an event that blocks at once, not a SemaphoreSlim: the writer waits several dozen times a second under load, and
    // a SemaphoreSlim spins (yielding) before each wait, which cost about 1.5 µs of CPU per request (docs/performance.md)
    private readonly AutoResetEvent _wake = new(false);
    private readonly PerThread<ThreadBuffer> _mine;
    // lock order: _flushGate, then a thread's buffer's gate, then _gate
    private readonly Lock _flushGate = new(); // one collection and write at a time, so that what is written keeps its order
    private readonly Lock _gate = new(); // the queue, the free buffers and the list of threads' buffers
    private readonly Lock _writeGate = new();
    private readonly Queue<(byte[] Buffer, int Length)> _full = new();
    private readonly Stack<byte[]> _free = new();
    private readonly List<ThreadBuffer> _threads = [];
    private int _handed; // buffers handed to the writer and not yet written: queued, or being written
    private long _dropped;
    private long _droppedReported;
    private volatile bool _stopping;
    private volatile bool _disposed;

    public LogOutput(Stream output, TimeSpan flushInterval)
    {
        _output = output;
        _interval = flushInterval;
        _mine = new PerThread<ThreadBuffer>(NewThreadBuffer);
        if (flushInterval > TimeSpan.Zero)
        {
            _writer = new Thread(WriteLoop) { IsBackground = true, Name = "log output" };
            _writer.Start();
        }
    }

    /// <summary>Lines given up because stdout did not keep up (every buffer full).</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>Appends <paramref name="line"/> (without its newline) and a newline.</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        if (_writer is null)
        {
            WriteNow(line); // write-through from the start
            return;
        }
        if (!_disposed && line.Length + 1 <= BufferBytes)
        {
            var mine = _mine.Value;
            lock (mine.Gate)
            {
                if (!_disposed) // else Dispose may have collected this buffer already: write at once, below
                {
                    Append(mine, line);
                    return;
                }
            }
        }
        // after shutdown, or a line longer than a buffer (an exception's trace): what is held first, then the line, at once
        lock (_flushGate)
        {
            WriteQueued();
            WriteNow(line);
        }
    }

    /// <summary>Appends a line to the thread's buffer, handing the buffer to the writer first when the line does not fit. Under its gate.</summary>
    private void Append(ThreadBuffer mine, ReadOnlySpan<byte> line)
    {
        if (mine.Length + line.Length + 1 > mine.Buffer.Length)
        {
            var queued = mine.Length > 0;
            if (!Hand(mine))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            if (queued)
            {
                _wake.Set();
            }
        }
        line.CopyTo(mine.Buffer.AsSpan(mine.Length));
        mine.Buffer[mine.Length + line.Length] = (byte)'\n';
        mine.Length += line.Length + 1;
    }

    /// <summary>Queues what a thread's buffer holds for the writer and gives it an empty one; false when 32 are handed and unwritten. Under the buffer's gate.</summary>
    private bool Hand(ThreadBuffer buffer)
    {
        lock (_gate)
        {
            if (buffer.Length > 0)
            {
                if (_handed >= MaxHanded)
                {
                    return false;
                }
                _full.Enqueue((buffer.Buffer, buffer.Length));
                _handed++;
            }
            buffer.Buffer = _free.Count > 0 ? _free.Pop() : new byte[BufferBytes];
            buffer.Length = 0;
            return true;
        }
    }

    private ThreadBuffer NewThreadBuffer()
    {
        var buffer = new ThreadBuffer(Thread.CurrentThread);
        lock (_gate)
        {
            _threads.Add(buffer);
        }
        return buffer;
    }

    private void WriteLoop()
    {
        while (!_stopping)
        {
            _wake.WaitOne(_interval);
            lock (_flushGate)
            {
                WriteQueued();
            }
        }
    }

    /// <summary>
    /// Hands the writer what each thread's buffer holds, then writes every full buffer, in order; the buffers then go
    /// back to the free list. Under <see cref="_flushGate"/>.
    /// </summary>
    private void WriteQueued()
    {
        ThreadBuffer[] threads;
        lock (_gate)
        {
            threads = [.. _threads];
        }
        foreach (var thread in threads)
        {
            lock (thread.Gate)
            {
                if (thread.Length > 0)
                {
                    Hand(thread); // when every buffer is taken, this one waits for the next round
                }
                if (thread.Length == 0 && !thread.Owner.IsAlive)
                {
                    lock (_gate)
                    {
                        _threads.Remove(thread); // an ended thread's buffer, emptied: nothing more comes to it
                    }
                }
            }
        }
        var batch = new List<(byte[] Buffer, int Length)>();
        lock (_gate)
        {
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
            _handed -= batch.Count;
        }
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
        _disposed = true;
        lock (_flushGate)
        {
            WriteQueued();
            WriteQueued(); // what waited for room in the queue the first time
        }
    }

    /// <summary>One thread's lines not yet handed to the writer.</summary>
    private sealed class ThreadBuffer(Thread owner)
    {
        public readonly Lock Gate = new();
        public readonly Thread Owner = owner;
        public byte[] Buffer = [];
        public int Length;
    }
}
