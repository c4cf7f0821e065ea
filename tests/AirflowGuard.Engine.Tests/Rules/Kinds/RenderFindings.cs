using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>The violations one rule finds on the objects of a chart render in tests/charts, read as <c>check</c> reads the release.</summary>
internal static class RenderFindings
{
    public static Bundle Render(string render) => Bundle.FromFile(Repo.Path("tests", "charts", render));

    /// <summary>The render with <paramref name="edit"/> applied to its text: a variant the chart could render, made without a values file.</summary>
    public static Bundle Edited(string render, Func<string, string> edit)
    {
        var path = Repo.Path("tests", "charts", render);
        var text = File.ReadAllText(path);
        var edited = edit(text);
        Assert.NotEqual(text, edited); // the edit must change something, or the test proves nothing
        return Bundle.FromText(path, edited);
    }

    /// <summary>Violations by object ("StatefulSet/airflow-worker"; "ConfigMap/airflow-config" for the pod_template_file in it), for the objects that have any.</summary>
    public static Dictionary<string, List<Finding>> Violations(this Bundle bundle, PolicySet policy) =>
        bundle.Evaluate(policy)
            .Select(v => (Name: v.Object.EmbeddedIn is { } template
                    ? $"ConfigMap/{template.ConfigMap}"
                    : $"{v.Object.Kind}/{v.Object.Json.GetProperty("metadata").GetProperty("name").GetString()}",
                Findings: v.Verdict.Decision.Findings.Where(f => f.Kind == FindingKind.Violation).ToList()))
            .Where(v => v.Findings.Count > 0)
            .ToDictionary(v => v.Name, v => v.Findings);
}
