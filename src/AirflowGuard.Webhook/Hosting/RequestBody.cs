using System.Buffers;
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
    /// The whole body when it has already arrived (as a review of a few KB has, in one TLS read, by the time the
    /// request is routed): copied at once, without the timer and the asynchronous read that <see cref="ReadAsync"/>
    /// needs to wait for more. False when more is to come; what was seen stays in the pipe for <see cref="ReadAsync"/>.
    /// True with a null <paramref name="body"/> when the body is larger than <paramref name="limit"/>.
    /// </summary>
    public static bool TryReadArrived(HttpRequest request, int limit, ArrayPool<byte> pool, out RequestBody? body)
    {
        body = null;
        if (request.ContentLength > limit)
        {
            return true;
        }
        var reader = request.BodyReader;
        if (!reader.TryRead(out var result))
        {
            return false;
        }
        var buffer = result.Buffer;
        if (!result.IsCompleted || result.IsCanceled || buffer.Length > limit)
        {
            // nothing consumed: ReadAsync reads it again, with what follows, and applies the limit itself
            reader.AdvanceTo(buffer.Start);
            return false;
        }
        var length = (int)buffer.Length;
        var array = pool.Rent(Math.Max(length, 1));
        buffer.CopyTo(array);
        reader.AdvanceTo(buffer.End);
        body = new RequestBody(pool, array, length);
        return true;
    }

    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> (reading stops there).</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, int limit, ArrayPool<byte> pool, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        var array = pool.Rent((int)Math.Max(request.ContentLength ?? 16 * 1024, 1));
        var length = 0;
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
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
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            _pool.Return(array);
        }
    }
}
