using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace AirflowGuard.Webhook.Tests;

/// <summary>The AdmissionReview v1 contract, over real TLS to a real Kestrel, in HTTP/1.1 and HTTP/2.</summary>
public class AdmissionContractTests(BundledWebhookFixture fixture) : IClassFixture<BundledWebhookFixture>
{
    public static TheoryData<string> Versions => new() { "1.1", "2.0" };

    private RunningWebhook Webhook => fixture.Webhook;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SafePod_IsAllowed_WithTheUidEchoed_AndNothingElse(string version)
    {
        var client = Webhook.Client(Version.Parse(version));

        var (status, body, response) = await Webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SafeScheduler, uid: "uid-safe-1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Equal("admission.k8s.io/v1", body.GetProperty("apiVersion").GetString());
        Assert.Equal("AdmissionReview", body.GetProperty("kind").GetString());
        var answer = Reviews.Response(body);
        Assert.Equal("uid-safe-1", answer.GetProperty("uid").GetString());
        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.False(answer.TryGetProperty("status", out _));
        Assert.False(answer.TryGetProperty("warnings", out _));
        Assert.False(answer.TryGetProperty("patch", out _));
        Assert.False(answer.TryGetProperty("patchType", out _));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Denial_Is403_AndListsEveryViolatedRule(string version)
    {
        var (status, body, _) = await Webhook.PostAsync(Webhook.Client(Version.Parse(version)), "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = Reviews.Response(body);
        Assert.False(answer.GetProperty("allowed").GetBoolean());
        Assert.Equal(403, answer.GetProperty("status").GetProperty("code").GetInt32());
        var message = answer.GetProperty("status").GetProperty("message").GetString()!;
        Assert.StartsWith("AirflowGuard denied Pod airflow/airflow-scheduler-0: ", message, StringComparison.Ordinal);
        Assert.Contains("[no-host-path-dags-or-logs/no-host-path-dags]", message, StringComparison.Ordinal);
        Assert.Contains("[no-host-path-dags-or-logs/no-host-path-logs]", message, StringComparison.Ordinal);
        Assert.Contains("[no-literal-secrets/secrets-from-secret-objects]", message, StringComparison.Ordinal);
        Assert.Contains("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r-S3cret-Pw", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarnModeFinding_IsAWarning_WithinTheApiServersLimits()
    {
        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Create(Reviews.TaskPodWithEphemeralLogs));

        var answer = Reviews.Response(body);
        Assert.True(answer.GetProperty("allowed").GetBoolean());
        var warnings = Reviews.Warnings(body).ToList();
        Assert.StartsWith("task-logs-outlive-the-pod/persistent-task-logs: ", warnings[0], StringComparison.Ordinal);
        Assert.All(warnings, w => Assert.InRange(w.Length, 20, AdmissionResponse.MaxWarningLength));
        Assert.All(warnings, w => Assert.DoesNotContain('\n', w));
    }

    [Fact]
    public async Task Denial_OfAPodTheOfficialChartMade_NamesTheChartsValues()
    {
        var charted = Reviews.SchedulerWithHostPathAndPassword.Replace("release: airflow }", "release: airflow, chart: airflow-1.16.0, heritage: Helm }", StringComparison.Ordinal);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Create(charted));

        var message = Reviews.Response(body).GetProperty("status").GetProperty("message").GetString()!;
        Assert.Contains(". Values: official chart values: ", message, StringComparison.Ordinal);
        Assert.Contains("dags.gitSync.enabled=true", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("Sup3r-S3cret-Pw", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warning_OnATaskPodOfTheOfficialChart_IsFollowedByTheChartsValues_OnALineOfItsOwn()
    {
        var charted = Reviews.TaskPodWithEphemeralLogs.Replace("task_id: load }", "task_id: load, release: airflow, chart: airflow-1.16.0 }", StringComparison.Ordinal);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Create(charted));

        var warnings = Reviews.Warnings(body).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("task-logs-outlive-the-pod/persistent-task-logs: ", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("task-logs-outlive-the-pod/persistent-task-logs fix: official chart values: config.logging.remote_logging=True", warnings[1], StringComparison.Ordinal);
        Assert.All(warnings, w => Assert.InRange(w.Length, 20, AdmissionResponse.MaxWarningLength));
    }

    [Fact]
    public async Task DryRun_GetsTheSameVerdict()
    {
        var client = Webhook.Client();

        var (_, real, _) = await Webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "u1"));
        var (_, dry, _) = await Webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword, uid: "u1", dryRun: true));

        Assert.Equal(real.GetRawText(), dry.GetRawText());
        Assert.Contains("dry_run=\"true\"", await Webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_EvaluatesTheNewObject()
    {
        var unsafeTemplate = Reviews.SchedulerWithHostPathAndPassword.Replace("airflow-scheduler-0", "airflow-scheduler-1", StringComparison.Ordinal);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Update(unsafeTemplate, Reviews.SafeScheduler));

        Assert.False(Reviews.Response(body).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Update_OfAnObjectThatWasAlreadyUnsafe_WarnsInsteadOfBlockingIt()
    {
        var relabelled = Reviews.SchedulerWithHostPathAndPassword.Replace("release: airflow }", "release: airflow, team: data }", StringComparison.Ordinal);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Update(relabelled, Reviews.SchedulerWithHostPathAndPassword));

        Assert.True(Reviews.Response(body).GetProperty("allowed").GetBoolean());
        Assert.Equal(3, Reviews.Warnings(body).Count(w => w.Contains("already present before this update", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("CONNECT")]
    public async Task DeleteAndConnect_AreAllowedAtOnce(string operation)
    {
        var review = Reviews.Review("uid-del", operation, null, Reviews.Object(Reviews.SchedulerWithHostPathAndPassword), false);

        var (status, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", review);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("uid-del", true), (Reviews.Response(body).GetProperty("uid").GetString(), Reviews.Response(body).GetProperty("allowed").GetBoolean()));
    }

    [Theory]
    [InlineData("Deployment", "apps/v1", "spec.template")]
    [InlineData("StatefulSet", "apps/v1", "spec.template")]
    [InlineData("Job", "batch/v1", "spec.template")]
    [InlineData("CronJob", "batch/v1", "spec.jobTemplate.spec.template")]
    public async Task WorkloadTemplate_IsDenied_SayingTheTemplateIsWrong(string kind, string apiVersion, string templatePath)
    {
        var workload = Workload(kind, apiVersion, templatePath, Reviews.SchedulerWithHostPathAndPassword);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Review("uid-w", "CREATE", workload, null, false));

        var answer = Reviews.Response(body);
        Assert.False(answer.GetProperty("allowed").GetBoolean());
        Assert.StartsWith($"AirflowGuard denied the pod template of {kind} airflow/airflow-scheduler: ",
            answer.GetProperty("status").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Mutate_ReturnsAJsonPatch_ThatRepairsThePod_AndIsEmptyTheSecondTime(string version)
    {
        var client = Webhook.Client(Version.Parse(version));
        var pod = Reviews.Object(Reviews.SchedulerWithInlineOss);

        var (_, body, _) = await Webhook.PostAsync(client, "/mutate", Reviews.Review("uid-m", "CREATE", pod, null, false));

        var answer = Reviews.Response(body);
        Assert.True(answer.GetProperty("allowed").GetBoolean());
        Assert.Equal("JSONPatch", answer.GetProperty("patchType").GetString());
        var patchJson = Encoding.UTF8.GetString(Convert.FromBase64String(answer.GetProperty("patch").GetString()!));
        var patch = JsonSerializer.Deserialize<JsonPatchDocument>(patchJson)!;
        var patched = pod.DeepClone();
        patch.ApplyTo(patched);
        Assert.Equal("-o uid=50000 -o gid=0 -o umask=002 -o allow_other", patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["otherOpts"]!.GetValue<string>());

        var (_, again, _) = await Webhook.PostAsync(client, "/mutate", Reviews.Review("uid-m2", "CREATE", patched.AsObject(), null, false));
        Assert.False(Reviews.Response(again).TryGetProperty("patch", out _));
    }

    [Fact]
    public async Task Mutate_PersistentVolume_GetsMountOptionsInItsDriversSyntax()
    {
        var pv = Reviews.Object("""
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: airflow-logs, labels: { app.kubernetes.io/part-of: airflow } }
            spec:
              capacity: { storage: 20Gi }
              accessModes: [ReadWriteMany]
              csi: { driver: ossplugin.csi.alibabacloud.com, volumeHandle: airflow-logs, volumeAttributes: { bucket: airflow-logs } }
            """);
        await using var webhook = await RunningWebhook.StartAsync(s => s.PolicyFiles = new()
        {
            ["pv.yaml"] = File.ReadAllText(Path.Combine(RepoRoot(), "policies", "examples", "fuse-mount-options-persistent-volumes.yaml")),
        });

        var (_, body, _) = await webhook.PostAsync(webhook.Client(), "/mutate", Reviews.Review("uid-pv", "CREATE", pv, null, false));

        var patchJson = Encoding.UTF8.GetString(Convert.FromBase64String(Reviews.Response(body).GetProperty("patch").GetString()!));
        var patched = pv.DeepClone();
        JsonSerializer.Deserialize<JsonPatchDocument>(patchJson)!.ApplyTo(patched);
        Assert.Contains("uid=50000", patched["spec"]!["csi"]!["volumeAttributes"]!["otherOpts"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutate_LeavesWorkloadTemplatesAlone()
    {
        var workload = Workload("Deployment", "apps/v1", "spec.template", Reviews.SchedulerWithInlineOss);

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/mutate", Reviews.Review("uid-wm", "CREATE", workload, null, false));

        Assert.False(Reviews.Response(body).TryGetProperty("patch", out _));
    }

    [Fact]
    public async Task OtherKinds_AreAllowedUntouched()
    {
        var configMap = Reviews.Object("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: airflow }\ndata: { a: b }\n");

        var (_, body, _) = await Webhook.PostAsync(Webhook.Client(), "/validate", Reviews.Review("uid-cm", "CREATE", configMap, null, false));

        Assert.True(Reviews.Response(body).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task ProbesAndMetrics_Answer()
    {
        var client = Webhook.Client();
        await Webhook.PostAsync(client, "/validate", Reviews.Create(Reviews.SchedulerWithHostPathAndPassword));

        Assert.Equal("ok\n", await client.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
        Assert.Equal("ready\n", await client.GetStringAsync(new Uri("/readyz", UriKind.Relative)));
        var metrics = await Webhook.MetricsAsync();
        Assert.Contains("airflowguard_admission_requests_total{endpoint=\"validate\",kind=\"Pod\",operation=\"CREATE\",decision=\"denied\",dry_run=\"false\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("airflowguard_admission_duration_seconds_bucket{endpoint=\"validate\",le=\"30\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("airflowguard_policies_loaded 18", metrics, StringComparison.Ordinal);
        Assert.Contains("airflowguard_certificate_expiry_timestamp_seconds", metrics, StringComparison.Ordinal);
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AirflowGuard.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }

    private static JsonObject Workload(string kind, string apiVersion, string templatePath, string podYaml)
    {
        var pod = Reviews.Object(podYaml);
        var template = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = pod["metadata"]!["labels"]!.DeepClone() }, ["spec"] = pod["spec"]!.DeepClone() };
        JsonObject inner = new() { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["component"] = "scheduler" } } };
        var root = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "airflow-scheduler", ["namespace"] = "airflow" },
            ["spec"] = inner,
        };
        var parts = templatePath.Split('.');
        var node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = (JsonObject)(node[parts[i]] ??= new JsonObject());
        }
        node[parts[^1]] = template;
        return root;
    }
}
