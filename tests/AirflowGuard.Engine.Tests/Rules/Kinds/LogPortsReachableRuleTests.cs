using static AirflowGuard.Engine.Tests.RenderFindings;
using static AirflowGuard.Engine.Tests.RuleKindTest;

namespace AirflowGuard.Engine.Tests;

/// <summary>logPortsReachable: in Airflow 3 the api-server reaches the log ports of workers and triggerer through the release's NetworkPolicies.</summary>
public class LogPortsReachableRuleTests
{
    private static readonly Policies.PolicySet Rule = Policy("{ name: ports, logPortsReachable: {} }", mode: "Warn");

    private const string Unsafe = "official-1.19/celery-network-policies.yaml";

    [Fact]
    public void TheChartsPoliciesForAirflow2_KeepTheApiServerFromTheLogPorts()
    {
        var found = Render(Unsafe).Violations(Rule);

        Assert.Equal(["StatefulSet/airflow-triggerer", "StatefulSet/airflow-worker"], found.Keys.Order(StringComparer.Ordinal));
        var worker = Assert.Single(found["StatefulSet/airflow-worker"]);
        Assert.Contains("port 8793 (Airflow default)", worker.Message, StringComparison.Ordinal);
        Assert.Contains("NetworkPolicy airflow-worker-policy", worker.Message, StringComparison.Ordinal);
        Assert.Contains("port 8794", Assert.Single(found["StatefulSet/airflow-triggerer"]).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("official-1.19/celery-network-policies-api-server.yaml")] // one more policy admits the api-server
    [InlineData("official-1.19/celery-stock.yaml")] // no NetworkPolicy
    public void LogPortsTheApiServerReaches_AreClean(string render) =>
        Assert.Empty(Render(render).Violations(Rule));

    [Fact]
    public void AnAirflow2Release_IsLeftAlone_ItsWebserverFetchesTheLogs()
    {
        var bundle = Edited(Unsafe, text => text.Replace("image: apache/airflow:3.1.6", "image: apache/airflow:2.10.5", StringComparison.Ordinal));

        Assert.Empty(bundle.Violations(Rule));
    }

    [Theory]
    [InlineData("trigger_log_server_port")]
    [InlineData("triggerer_log_server_port")] // the other spelling Airflow reads (apache/airflow PR #67785)
    public void TheTriggerersPortIsRead_UnderBothSpellings(string option)
    {
        // the triggerer serves on 9999 and the policy opens 9999 to the api-server: nothing is closed any more
        var bundle = Edited(Unsafe, text => text
            .Replace("[logging]\n    colored_console_log = False", $"[logging]\n    colored_console_log = False\n    {option} = 9999", StringComparison.Ordinal)
            .Replace("          component: webserver\n    ports:\n    - protocol: TCP\n      port: 8794", "          component: api-server\n    ports:\n    - protocol: TCP\n      port: 9999", StringComparison.Ordinal));

        Assert.DoesNotContain("StatefulSet/airflow-triggerer", bundle.Violations(Rule).Keys);
    }
}
