using System.Collections.Concurrent;
using System.Text;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>
/// The webhook's log output as it would reach stdout (the production formatter and decision log, one
/// compact JSON object per line), captured as the stream the server writes to.
/// </summary>
public sealed class LogCaptureStream : Stream
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly List<byte> _partial = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public string All => string.Join(Environment.NewLine, _lines);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            foreach (var b in buffer)
            {
                if (b == (byte)'\n')
                {
                    _lines.Enqueue(Encoding.UTF8.GetString([.. _partial]));
                    _partial.Clear();
                }
                else
                {
                    _partial.Add(b);
                }
            }
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
