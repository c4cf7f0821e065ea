using System.Net;
using System.Net.Sockets;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>
/// A loopback TCP listener that counts the connections made to it and never answers: where a
/// client certificate's AIA extension points, to see whether the webhook goes there.
/// </summary>
public sealed class RecordingListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private int _hits;

    public RecordingListener()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/issuer.crt");

    public int Hits => Volatile.Read(ref _hits);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _hits);
                lock (_held)
                {
                    _held.Add(client); // held open, never answered: a URL that hangs
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }
}
