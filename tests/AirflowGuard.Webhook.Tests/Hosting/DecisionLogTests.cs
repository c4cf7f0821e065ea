using System.Globalization;
using System.Text;
using System.Text.Json;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Hosting;

namespace AirflowGuard.Webhook.Tests;

/// <summary>The decision line's duration, written from whole µs, reads as the ms value rounded to three places always did.</summary>
public class DecisionLogTests
{
    [Fact]
    public void DurationMs_reads_as_the_milliseconds_rounded_to_the_microsecond()
    {
        var random = new Random(27);
        long[] ticks = [0, 1, 4, 5, 6, 10, 15, 25, 9_999, 10_000, 10_005, 10_010, 12_345_670, 82_596_295, 1_000_000_000, TimeSpan.TicksPerDay];
        foreach (var elapsed in ticks.Concat(Enumerable.Range(0, 2_000).Select(_ => random.NextInt64(0, 100_000_000))).Select(TimeSpan.FromTicks))
        {
            var text = DurationOf(elapsed);
            Assert.Equal(Math.Round(elapsed.TotalMilliseconds, 3), double.Parse(text, CultureInfo.InvariantCulture)); // the same double
            // as a double was written: no trailing zeros after the point, no point for whole ms
            Assert.Matches(@"^(0|[1-9][0-9]*)(\.[0-9]{0,2}[1-9])?$", text);
        }
    }

    private static string DurationOf(TimeSpan elapsed)
    {
        var stream = new MemoryStream();
        var log = new DecisionLog(new Serilog.LoggerConfiguration().MinimumLevel.Information().CreateLogger(), new LogOutput(stream, TimeSpan.Zero));
        log.Write(AdmissionEndpoint.Validate, new AdmissionOutcome(200, AdmissionOutcome.JsonContentType, []) { Decision = "allowed", Uid = "u" }, elapsed);
        using var line = JsonDocument.Parse(Encoding.UTF8.GetString(stream.ToArray()));
        return line.RootElement.GetProperty("DurationMs").GetRawText();
    }
}
