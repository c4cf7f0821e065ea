using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AirflowGuard.Webhook.Tests.Support;
using Xunit.Abstractions;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// Mutated AdmissionReviews over real TLS to a real Kestrel: never a 5xx, never a dropped
/// connection, and the server still healthy afterwards. 20,000 bodies in CI; the long run
/// (benchmarks/fuzz/run.sh) sets AIRFLOWGUARD_FUZZ_BODIES and points AIRFLOWGUARD_FUZZ_URL at a
/// separate `airflowguard serve` whose memory it samples.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Framing =
    [
        "FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n", "7fffffffffffffff\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n",
        "2\r\n{}XX0\r\n\r\n", "2;ext=\"\r\n{}\r\n0\r\n\r\n", "3\r\n{}\r\n0\r\n\r\n", "0\r\nBad-Trailer\r\n\r\n",
    ];

    [Fact]
    public async Task MutatedAdmissionReviews_NeverGet5xx_AndTheServerStaysUp()
    {
        var count = int.Parse(Environment.GetEnvironmentVariable("AIRFLOWGUARD_FUZZ_BODIES") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);
        var seed = int.Parse(Environment.GetEnvironmentVariable("AIRFLOWGUARD_FUZZ_SEED") ?? "11", System.Globalization.CultureInfo.InvariantCulture);
        var external = Environment.GetEnvironmentVariable("AIRFLOWGUARD_FUZZ_URL");
        await using var webhook = external is null ? await RunningWebhook.StartAsync() : null;
        var address = external is null ? webhook!.Address : new Uri(external);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new() { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            MaxConnectionsPerServer = 8,
        };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        var statuses = new ConcurrentDictionary<(Mutation, int), int>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var fuzzer = new AdmissionFuzzer(seed * 100 + w);
            while (Interlocked.Increment(ref next) < count)
            {
                var (mutation, body) = fuzzer.Next();
                var path = body.Length % 2 == 0 ? "/validate" : "/mutate";
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate((mutation, status), 1, (_, n) => n + 1);
                    if (status >= 500 && failures.Count < 20)
                    {
                        failures.Enqueue($"{mutation} → {status}: {await response.Content.ReadAsStringAsync()} for {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 400)])}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    statuses.AddOrUpdate((mutation, -1), 1, (_, n) => n + 1);
                    failures.Enqueue($"{mutation} → {ex.Message}");
                }
            }
        })).ToList();
        // broken chunk framing, which HttpClient will not send: one raw connection per 500 bodies
        for (var i = 0; i < Math.Max(8, count / 500); i++)
        {
            var (status, text) = await RawHttps.SendAsync(address, RawHttps.Chunked(i % 2 == 0 ? "/validate" : "/mutate", Framing[i % Framing.Length]));
            statuses.AddOrUpdate(((Mutation)(-1), status), 1, (_, n) => n + 1);
            if (status is >= 500 or 0)
            {
                failures.Enqueue($"chunk framing {Framing[i % Framing.Length].ReplaceLineEndings("\\r\\n")} → {status}: {text}");
            }
        }
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        var summary = string.Join(Environment.NewLine, statuses.OrderBy(s => s.Key).Select(s =>
            $"{((int)s.Key.Item1 < 0 ? "ChunkFraming" : s.Key.Item1.ToString())} {(s.Key.Item2 < 0 ? "connection error" : s.Key.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {s.Value}"));
        output.WriteLine($"{count} bodies in {elapsed.TotalSeconds:F1} s (seed {seed}){Environment.NewLine}{summary}");
        if (Environment.GetEnvironmentVariable("AIRFLOWGUARD_FUZZ_REPORT") is { } report)
        {
            File.WriteAllText(report, $"{count} bodies in {elapsed.TotalSeconds:F1} s (seed {seed}){Environment.NewLine}{summary}{Environment.NewLine}{string.Join(Environment.NewLine, failures)}{Environment.NewLine}");
        }
        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.DoesNotContain(statuses.Keys, k => k.Item2 >= 500);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
