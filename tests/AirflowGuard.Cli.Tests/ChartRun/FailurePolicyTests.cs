namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// failurePolicy auto: the chart reads the policies it loads and registers its validating webhooks to match. Enforce
/// policies get a Fail webhook sent only what they check; Warn and Audit ones an Ignore webhook; a set without Enforce
/// policies, one Ignore webhook. An explicit Fail or Ignore registers one webhook, as before.
/// </summary>
public class FailurePolicyTests
{
    private static readonly string ChartFolder = Path.Combine(Cli.Root, "deploy", "helm", "airflowguard");

    private static List<(string Name, string FailurePolicy, string Path, List<string> Resources)> Webhooks(string values)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, values);
            var (chart, error) = RenderedChart.Render(file, ChartFolder);
            Assert.True(chart is not null, error);
            return [.. chart.Single("ValidatingWebhookConfiguration")["webhooks"]!.AsArray().Select(w => (
                (string)w!["name"]!, (string)w["failurePolicy"]!, (string)w["clientConfig"]!["service"]!["path"]!,
                w["rules"]!.AsArray().SelectMany(r => r!["resources"]!.AsArray().Select(x => (string)x!)).ToList()))];
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string WarnOnly = """
        policies:
          bundled: false
          extra:
            warn.yaml: |
              apiVersion: airflowguard.dev/v1
              kind: AirflowPolicy
              metadata: { name: host-path-logs }
              spec:
                mode: Warn
                rules:
                  - name: no-host-path-logs
                    forbidVolume: { at: logs, backing: [host-path] }
        """;

    [Fact]
    public void TheBundledPack_WithItsEnforcePolicies_GetsAFailWebhookForThem_AndAnIgnoreOneForTheRest()
    {
        var webhooks = Webhooks("webhook: { validating: { configObjects: true } }");

        Assert.Equal([("enforce.validate.airflowguard.dev", "Fail", "/validate/enforce"), ("warn.validate.airflowguard.dev", "Ignore", "/validate/warn")],
            webhooks.Select(w => (w.Name, w.FailurePolicy, w.Path)));
        Assert.DoesNotContain("configmaps", webhooks[0].Resources); // no Enforce policy of the pack checks ConfigMaps
        Assert.Contains("configmaps", webhooks[1].Resources);
        Assert.Contains("pods", webhooks[0].Resources);
    }

    [Fact]
    public void APolicySetWithNoEnforcePolicy_RegistersOneIgnoreWebhook()
    {
        var webhooks = Webhooks(WarnOnly);

        Assert.Equal([("validate.airflowguard.dev", "Ignore", "/validate")], webhooks.Select(w => (w.Name, w.FailurePolicy, w.Path)));
    }

    [Fact]
    public void APolicyWithoutAMode_IsEnforce_AsTheLoaderReadsIt()
    {
        var webhooks = Webhooks(WarnOnly.Replace("mode: Warn", "# no mode", StringComparison.Ordinal));

        Assert.Equal([("enforce.validate.airflowguard.dev", "Fail", "/validate/enforce")], webhooks.Select(w => (w.Name, w.FailurePolicy, w.Path)));
    }

    [Theory]
    [InlineData("Fail")]
    [InlineData("Ignore")]
    public void AnExplicitFailurePolicy_RegistersOneWebhookForEveryPolicy(string failurePolicy)
    {
        var webhooks = Webhooks($"webhook: {{ validating: {{ failurePolicy: {failurePolicy} }} }}");

        Assert.Equal([("validate.airflowguard.dev", failurePolicy, "/validate")], webhooks.Select(w => (w.Name, w.FailurePolicy, w.Path)));
    }
}
