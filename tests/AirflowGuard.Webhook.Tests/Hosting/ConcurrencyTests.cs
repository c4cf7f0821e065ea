using System.Net;
using System.Text;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>Past its admission slots the webhook answers 429 at once; large bodies from many senders never get a 5xx.</summary>
public class ConcurrencyTests
{
    [Fact]
    public async Task AllSlotsBusy_Is429Quickly_WithAProblem_AndCounted()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--max-concurrent-admissions", "1", "--admission-queue-seconds", "0.2"]));
        // a sender that takes the only slot and sends its body slowly
        var holder = RawHttps.SendAsync(webhook.Address, Encoding.ASCII.GetBytes(
            "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"pad\":\""), TimeSpan.FromSeconds(3));
        await Task.Delay(500);
        var large = Reviews.Object(Reviews.SafeScheduler);
        large["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["pad"] = new string('x', 100 * 1024) };

        var (status, problem, response) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Review("uid-large", "CREATE", large, null, false));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("https://airflowguard.dev/problems/overloaded", problem.GetProperty("type").GetString());
        Assert.Contains("max-concurrent-admissions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("airflowguard_admission_overload_total{endpoint=\"validate\"} 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
        await Record.ExceptionAsync(() => holder);
    }

    [Fact]
    public async Task SmallReviews_DoNotQueue_BehindASlowLargeBody()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--max-concurrent-admissions", "1", "--admission-queue-seconds", "0.2"]));
        var holder = RawHttps.SendAsync(webhook.Address, Encoding.ASCII.GetBytes(
            "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"pad\":\""), TimeSpan.FromSeconds(3));
        await Task.Delay(500);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SafeScheduler))));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.DoesNotContain("airflowguard_admission_overload_total{endpoint=\"validate\"} 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
        await Record.ExceptionAsync(() => holder);
    }

    [Fact]
    public async Task SlowBody_Is408_AndFreesItsSlot()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--max-concurrent-admissions", "1", "--body-timeout-seconds", "0.5"]));

        var (status, text) = await RawHttps.SendAsync(webhook.Address, Encoding.ASCII.GetBytes(
            "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"pad\":\""), TimeSpan.FromSeconds(5));
        var (after, _, _) = await webhook.PostAsync(webhook.Client(), "/validate", Reviews.Create(Reviews.SafeScheduler));

        Assert.True(status == 408, text);
        Assert.Equal(HttpStatusCode.OK, after);
        // the timed-out read is ended, not left open: Kestrel then drains the rest of the body instead of logging that the
        // body reader was in an invalid state ("Reading is already in progress"), an error for every slow sender
        Assert.DoesNotContain(webhook.Logs.Lines, l => l.Contains("\"@l\":\"Error\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MaxSizeBodies_FromManySenders_AreNever5xx()
    {
        await using var webhook = await RunningWebhook.StartAsync();
        var review = Reviews.Object(Reviews.SafeScheduler);
        review["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { ["pad"] = new string('x', 6 * 1024 * 1024 - 8 * 1024) };
        var body = Reviews.Review("uid-big", "CREATE", review, null, false);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), 5 * 1024 * 1024, 6 * 1024 * 1024);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var client = webhook.Client();
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                codes.Add((await webhook.PostAsync(client, "/validate", body)).Status);
            }
            return codes;
        }));

        var all = statuses.SelectMany(s => s).ToList();
        Assert.All(all, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"got {s}"));
        Assert.Contains(HttpStatusCode.OK, all);
    }
}
