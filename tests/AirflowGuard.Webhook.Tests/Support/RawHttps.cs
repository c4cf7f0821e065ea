using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>Bytes written as they are over TLS to the webhook (HTTP/1.1), for requests HttpClient refuses to send.</summary>
public static class RawHttps
{
    /// <summary>Sends <paramref name="request"/> and returns the status code of the answer (0 when the server closed without one).</summary>
    /// <param name="pieces">Where to cut the request into separate TLS writes, with a pause after each, as a slow client sends it.</param>
    public static async Task<(int Status, string Text)> SendAsync(Uri address, byte[] request, TimeSpan? timeout = null, int[]? pieces = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, address.Port);
        await using var tls = new SslStream(tcp.GetStream());
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }, cancel.Token);
        try
        {
            var start = 0;
            foreach (var cut in pieces ?? [])
            {
                await tls.WriteAsync(request.AsMemory(start, cut - start), cancel.Token);
                await tls.FlushAsync(cancel.Token);
                await Task.Delay(100, cancel.Token);
                start = cut;
            }
            await tls.WriteAsync(request.AsMemory(start), cancel.Token);
            await tls.FlushAsync(cancel.Token);
        }
        catch (IOException)
        {
            // the server may answer and close before reading everything
        }
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await tls.ReadAsync(buffer, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, n);
                var text = Encoding.UTF8.GetString(received.ToArray());
                if (Complete(text))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // closed after the answer
        }
        var answer = Encoding.UTF8.GetString(received.ToArray());
        return answer.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? (int.Parse(answer[9..12], System.Globalization.CultureInfo.InvariantCulture), answer) : (0, answer);
    }

    /// <summary>A POST with a chunked body written exactly as <paramref name="framedBody"/> (chunk framing included).</summary>
    public static byte[] Chunked(string path, string framedBody) =>
        Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{framedBody}");

    /// <summary>A POST with <paramref name="body"/> as its exact bytes.</summary>
    public static byte[] Post(string path, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"), .. body];

    private static bool Complete(string text)
    {
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }
        var headers = text[..end];
        var length = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null || text.Length - end - 4 >= int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
