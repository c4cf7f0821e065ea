using System.Text.Json;
using AirflowGuard.Cli.Tests.ChartRun;

namespace AirflowGuard.Cli.Tests;

/// <summary>
/// The proof of `airflowguard fix`: for every render in tests/charts whose chart source is packaged in
/// tests/chart-sources, a render with deny or warn findings is fixed (the overlay `fix` prints, with the render's own
/// values file), rendered again by helm with the values plus the overlay, and checked: no deny or warn finding is
/// left, and every Airflow workload of the first render is still there (the overlay turns nothing off).
/// </summary>
public class FixProofTests
{
    /// <summary>Each folder of tests/charts and the packaged chart its renders came from.</summary>
    public static readonly IReadOnlyDictionary<string, string> Sources = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["official-1.16"] = "official-1.16.0-dev.tgz",
        ["official-1.19"] = "official-1.19.0-dev.tgz",
        ["community-8.9"] = "community-8.9.0.tgz",
        ["community-8.5"] = "community-8.5.2.tgz",
        ["community-8.7"] = "community-8.7.1.tgz",
        ["community-8.8"] = "community-8.8.0.tgz",
        ["stable-7.16"] = "stable-7.16.0.tgz",
        ["bitnami-25.1"] = "bitnami-25.1.0.tgz",
    };

    /// <summary>
    /// The findings no values key of the chart can repair, by render, each with why: <c>fix</c> must name them (exit 1),
    /// and they are the only ones left after its overlay. Every other finding of every unsafe render must be repaired.
    /// </summary>
    private static readonly Dictionary<string, string[]> Unrepairable = new(StringComparer.Ordinal)
    {
        // the chart's NetworkPolicies admit only the webserver and have no values key for another peer
        ["official-1.19/celery-network-policies.yaml"] = ["api-server-reaches-log-ports"],
        // chart 1.16 renders no jwt Secret for Airflow 3 (the dag-processor is repaired)
        ["official-1.16/airflow3-image-no-dag-processor.yaml"] = ["components-share-the-key"],
    };

    public static TheoryData<string> UnsafeRenders()
    {
        var data = new TheoryData<string>();
        foreach (var render in UnsafeRenderFiles.Value)
        {
            data.Add(render);
        }
        return data;
    }

    /// <summary>The renders with deny or warn findings, as tests/charts/FOLDER/CASE.yaml paths under tests/charts.</summary>
    private static readonly Lazy<List<string>> UnsafeRenderFiles = new(() =>
    {
        var renders = new List<string>();
        foreach (var folder in Sources.Keys)
        {
            foreach (var values in Directory.GetFiles(Path.Combine(Cli.Root, "tests", "charts", folder), "*.values.yaml").Order(StringComparer.Ordinal))
            {
                var render = $"{folder}/{Path.GetFileName(values)[..^".values.yaml".Length]}.yaml";
                if (Findings(File.ReadAllText(Path.Combine(Cli.Root, "tests", "charts", render))).Count > 0)
                {
                    renders.Add(render);
                }
            }
        }
        return renders;
    });

    [Fact]
    public void EveryFamilyWithAChartSource_HasUnsafeRendersToProveOn()
    {
        var renders = UnsafeRenderFiles.Value;

        Assert.True(renders.Count(r => r.StartsWith("official-1.16/", StringComparison.Ordinal)) >= 3, string.Join(", ", renders));
        Assert.True(renders.Count(r => r.StartsWith("official-1.19/", StringComparison.Ordinal)) >= 3, string.Join(", ", renders));
        Assert.True(renders.Any(r => r.StartsWith("community-", StringComparison.Ordinal)), string.Join(", ", renders));
        Assert.True(renders.Count(r => r.StartsWith("stable-7.16/", StringComparison.Ordinal)) >= 3, string.Join(", ", renders));
        Assert.True(renders.Count(r => r.StartsWith("bitnami-25.1/", StringComparison.Ordinal)) >= 3, string.Join(", ", renders));
    }

    [Theory]
    [MemberData(nameof(UnsafeRenders))]
    public void AnUnsafeRender_RenderedAgainWithTheOverlayFixPrints_ChecksClean_WithEveryWorkloadKept(string render)
    {
        var folder = render[..render.IndexOf('/', StringComparison.Ordinal)];
        var basePath = Path.Combine(Cli.Root, "tests", "charts", render[..^".yaml".Length]);
        var values = basePath + ".values.yaml";
        var before = File.ReadAllText(Path.Combine(Cli.Root, "tests", "charts", render));

        var (fixCode, overlayText, fixError) = Cli.Run("fix", Path.Combine("tests", "charts", render), "-n", "airflow", "-f", values);

        var unrepairable = Unrepairable.GetValueOrDefault(render, []);
        Assert.True(fixCode == (unrepairable.Length == 0 ? 0 : 1), $"fix left findings uncovered:\n{fixError}\n{overlayText}");
        Assert.All(unrepairable, rule => Assert.Contains($"/{rule} on ", fixError, StringComparison.Ordinal)); // named, with why
        var overlay = Path.GetTempFileName();
        try
        {
            File.WriteAllText(overlay, overlayText);
            var chart = Path.Combine(Cli.Root, "tests", "chart-sources", Sources[folder]);
            var (helmCode, after, helmError) = RenderedChart.Run(RenderedChart.Helm, "template", "airflow", chart, "-n", "airflow", "-f", values, "-f", overlay);
            Assert.True(helmCode == 0, $"helm refused the values plus the overlay: {helmError}\n{overlayText}");
            if (File.Exists(basePath + ".extra.yaml"))
            {
                after += "\n---\n" + File.ReadAllText(basePath + ".extra.yaml"); // the objects the user made beside the chart, as in the first render
            }

            var left = Findings(after).Where(f => !unrepairable.Any(rule => f.StartsWith(rule + " on ", StringComparison.Ordinal))).ToList();
            Assert.True(left.Count == 0, $"still found after the fix: {string.Join("; ", left)}\noverlay:\n{overlayText}");
            var kept = Workloads(after);
            Assert.All(Workloads(before), w => Assert.Contains(w, kept)); // nothing turned off (a fix may start one: the dag-processor)
        }
        finally
        {
            File.Delete(overlay);
        }
    }

    /// <summary>The deny and warn findings `check` gives the render (rule on object).</summary>
    private static List<string> Findings(string yaml)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml);
            var (_, output, _) = Cli.Run("check", file, "-n", "airflow", "-o", "json", "--fail-on", "never");
            using var document = JsonDocument.Parse(output);
            return document.RootElement.GetProperty("objects").EnumerateArray()
                .SelectMany(o => o.GetProperty("findings").EnumerateArray()
                    .Where(f => f.GetProperty("kind").GetString() == "violation" && f.GetProperty("level").GetString() is "error" or "warning")
                    .Select(f => $"{f.GetProperty("rule").GetString()} on {o.GetProperty("object").GetString()}"))
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The Airflow workloads `check` saw (kind/name), sorted.</summary>
    private static List<string> Workloads(string yaml)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, yaml);
            var (_, output, _) = Cli.Run("check", file, "-n", "airflow", "-o", "json", "--fail-on", "never");
            using var document = JsonDocument.Parse(output);
            return document.RootElement.GetProperty("objects").EnumerateArray()
                .Where(o => o.TryGetProperty("kind", out var kind) && kind.GetString() is "Deployment" or "StatefulSet" or "Job" or "CronJob" or "DaemonSet")
                .Select(o => $"{o.GetProperty("kind").GetString()}/{o.GetProperty("name").GetString()}")
                .Order(StringComparer.Ordinal).ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
