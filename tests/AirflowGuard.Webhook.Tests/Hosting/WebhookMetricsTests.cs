using System.Globalization;
using System.Text;
using AirflowGuard.Webhook.Admission;
using Prometheus;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The per-request metrics are tallied per thread and added into Prometheus when /metrics is collected. What a scrape
/// shows must be what counting straight into Prometheus would have shown: every count from every thread (threads that
/// have ended included), each duration in the bucket Prometheus puts it in, and the same sums.
/// </summary>
public class WebhookMetricsTests
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    [Fact]
    public async Task A_scrape_shows_what_counting_straight_into_Prometheus_shows_whatever_thread_counted()
    {
        var metrics = new WebhookMetrics();
        var reference = new ReferenceMetrics();
        var seen = new List<(AdmissionEndpoint, AdmissionOutcome, TimeSpan)>();
        // threads that end before the scrape, and threads still alive at it; durations on bucket bounds and between them
        var threads = Enumerable.Range(0, 6).Select(t => new Thread(() => Count(metrics, seen, t, 3_000))).ToList();
        threads.ForEach(t => t.Start());
        var scrapes = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await Export(metrics.Registry); // scrapes while counting: nothing counted twice or lost
            }
        });
        threads.ForEach(t => t.Join());
        await scrapes;
        using (var stop = new ManualResetEventSlim())
        using (var counted = new ManualResetEventSlim())
        {
            var alive = new Thread(() =>
            {
                Count(metrics, seen, 6, 500);
                counted.Set();
                stop.Wait(); // alive at the scrape
            });
            alive.Start();
            counted.Wait();
            foreach (var (endpoint, outcome, elapsed) in seen)
            {
                reference.Observe(endpoint, outcome, elapsed);
            }
            AssertSame(Lines(await Export(reference.Registry)), Lines(await Export(metrics.Registry)));
            stop.Set();
            alive.Join();
        }
        // the ended threads' cells are folded into the totals once: a later scrape shows the same counts
        AssertSame(Lines(await Export(reference.Registry)), Lines(await Export(metrics.Registry)));
    }

    [Fact]
    public async Task A_duration_on_a_bucket_bound_is_in_that_bucket_as_Prometheus_puts_it()
    {
        var metrics = new WebhookMetrics();
        var reference = new ReferenceMetrics();
        foreach (var bound in Buckets)
        {
            metrics.ObserveEvaluation(TimeSpan.FromSeconds(bound));
            reference.Evaluation.Observe(TimeSpan.FromSeconds(bound).TotalSeconds);
        }
        var samples = Lines(await Export(metrics.Registry), "airflowguard_evaluation_duration_seconds");
        AssertSame(Lines(await Export(reference.Registry), "airflowguard_evaluation_duration_seconds"), samples);
        Assert.Equal(4, samples["airflowguard_evaluation_duration_seconds_bucket{le=\"0.005\"}"]);
    }

    private static void Count(WebhookMetrics metrics, List<(AdmissionEndpoint, AdmissionOutcome, TimeSpan)> seen, int thread, int requests)
    {
        var random = new Random(thread);
        var mine = new List<(AdmissionEndpoint, AdmissionOutcome, TimeSpan)>();
        for (var i = 0; i < requests; i++)
        {
            var endpoint = (AdmissionEndpoint)random.Next(Enum.GetValues<AdmissionEndpoint>().Length);
            var decision = random.Next(3) switch { 0 => "allowed", 1 => "warned", _ => "denied" };
            var outcome = new AdmissionOutcome(200, AdmissionOutcome.JsonContentType, [])
            {
                Decision = decision,
                Kind = random.Next(4) == 0 ? "Deployment" : "Pod",
                Operation = "CREATE",
                Rules = decision == "allowed" ? [] : [$"policy-{random.Next(3)}/rule", "other/rule"],
            };
            var elapsed = random.Next(4) == 0
                ? TimeSpan.FromSeconds(Buckets[random.Next(Buckets.Length)]) // on a bound
                : TimeSpan.FromTicks(random.Next(1, 2_000_000));
            metrics.Observe(endpoint, outcome, elapsed);
            metrics.ObserveEvaluation(elapsed / 2);
            mine.Add((endpoint, outcome, elapsed));
        }
        lock (seen)
        {
            seen.AddRange(mine);
        }
    }

    /// <summary>The same metrics, counted straight into Prometheus.</summary>
    private sealed class ReferenceMetrics
    {
        public ReferenceMetrics()
        {
            var factory = Metrics.WithCustomRegistry(Registry);
            factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
            Requests = factory.CreateCounter("airflowguard_admission_requests_total", "", new CounterConfiguration { LabelNames = ["endpoint", "kind", "operation", "decision", "dry_run"] });
            Findings = factory.CreateCounter("airflowguard_admission_findings_total", "", new CounterConfiguration { LabelNames = ["endpoint", "rule"] });
            Duration = factory.CreateHistogram("airflowguard_admission_duration_seconds", "", new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Buckets });
            Evaluation = factory.CreateHistogram("airflowguard_evaluation_duration_seconds", "", new HistogramConfiguration { Buckets = Buckets });
        }

        public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();
        public Counter Requests { get; }
        public Counter Findings { get; }
        public Histogram Duration { get; }
        public Histogram Evaluation { get; }

        public void Observe(AdmissionEndpoint endpoint, AdmissionOutcome outcome, TimeSpan elapsed)
        {
            Requests.WithLabels(endpoint.Name(), outcome.Kind, outcome.Operation, outcome.Decision, "false").Inc();
            foreach (var rule in outcome.Rules)
            {
                Findings.WithLabels(endpoint.Name(), rule).Inc();
            }
            Duration.WithLabels(endpoint.Name()).Observe(elapsed.TotalSeconds);
            Evaluation.Observe((elapsed / 2).TotalSeconds);
        }
    }

    private static async Task<string> Export(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The samples of the per-request metrics (those whose name starts with <paramref name="prefix"/>), by series.</summary>
    private static SortedDictionary<string, double> Lines(string text, string prefix = "airflowguard_")
    {
        string[] names = ["airflowguard_admission_requests_total", "airflowguard_admission_findings_total", "airflowguard_admission_duration_seconds", "airflowguard_evaluation_duration_seconds"];
        var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal) && names.Any(n => line.StartsWith(n, StringComparison.Ordinal)))
            {
                var space = line.LastIndexOf(' ');
                samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
            }
        }
        return samples;
    }

    /// <summary>The same series with the same counts; sums equal to 1e-9 (added in another order, their last bits may differ).</summary>
    private static void AssertSame(SortedDictionary<string, double> expected, SortedDictionary<string, double> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (series, value) in expected)
        {
            if (series.Contains("_sum", StringComparison.Ordinal))
            {
                Assert.True(Math.Abs(value - actual[series]) <= 1e-9 * Math.Max(1, Math.Abs(value)), $"{series}: {actual[series]}, expected {value}");
            }
            else
            {
                Assert.True(value == actual[series], $"{series}: {actual[series]}, expected {value}");
            }
        }
    }
}
