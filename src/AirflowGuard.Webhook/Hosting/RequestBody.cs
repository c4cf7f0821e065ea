using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// A request body copied out of Kestrel's pipe into one buffer rented from a bounded pool, and
/// given back when disposed. The pipe's blocks are released as they are copied, so a body is held
/// once, not twice, and no new 6 MiB array is allocated per request.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _array;

    private RequestBody(ArrayPool<byte> pool, byte[] array, int length)
    {
        _pool = pool;
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => (_array ?? throw new ObjectDisposedException(nameof(RequestBody))).AsMemory(0, Length);

    /// <summary>
    /// The whole body, or null when it is larger than <paramref name="limit"/> (reading stops there). Throws a
    /// <see cref="TimeoutException"/> when the body has not all arrived within <paramref name="timeout"/> (unless it is
    /// <see cref="Timeout.InfiniteTimeSpan"/>). The deadline starts at the first read that has to wait: a body already
    /// in the connection's buffers, as a review of a few KB is by the time its request is routed, is read without a timer.
    /// </summary>
    public static async ValueTask<RequestBody?> ReadAsync(HttpRequest request, int limit, ArrayPool<byte> pool, TimeSpan timeout, CancellationToken aborted)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var array = pool.Rent((int)Math.Max(request.ContentLength ?? 16 * 1024, 1));
        var length = 0;
        var reader = request.BodyReader;
        CancellationTokenSource? deadline = null;
        try
        {
            while (true)
            {
                var pending = reader.ReadAsync(aborted);
                ReadResult result;
                if (pending.IsCompleted || timeout == Timeout.InfiniteTimeSpan)
                {
                    result = await pending.ConfigureAwait(false);
                }
                else
                {
                    // the rest of the body is still on its way: it has until the deadline, which cancels the read while it waits
                    deadline ??= new CancellationTokenSource(timeout);
                    using (deadline.Token.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), reader))
                    {
                        result = await pending.ConfigureAwait(false);
                    }
                }
                if (result.IsCanceled && deadline is { IsCancellationRequested: true })
                {
                    reader.AdvanceTo(result.Buffer.Start); // the read ends here, whatever it brought: the pipe is not left mid-read
                    throw new TimeoutException($"the request body did not arrive within {timeout.TotalSeconds} s");
                }
                var buffer = result.Buffer;
                if (length + buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.End);
                    pool.Return(array);
                    return null;
                }
                var needed = length + (int)buffer.Length;
                if (needed > array.Length)
                {
                    var larger = pool.Rent(Math.Min(Math.Max(array.Length * 2, needed), limit));
                    array.AsSpan(0, length).CopyTo(larger);
                    pool.Return(array);
                    array = larger;
                }
                buffer.CopyTo(array.AsSpan(length));
                length = needed;
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return new RequestBody(pool, array, length);
                }
            }
        }
        catch
        {
            pool.Return(array);
            throw;
        }
        finally
        {
            deadline?.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            _pool.Return(array);
        }
    }
}
