using System.Text.Json;

namespace AirflowGuard.Cli.Tests;

/// <summary>check --mutate manifests: every input object as the webhook would leave it, the pod_template_file patched inside its ConfigMap.</summary>
public class MutatedManifestsTests
{
    [Fact]
    public void MutateManifests_PatchesThePodTemplateFileInsideItsConfigMap()
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-mutate-").FullName;
        try
        {
            var policies = Path.Combine(folder, "policies");
            Directory.CreateDirectory(policies);
            foreach (var file in Directory.GetFiles(Path.Combine(Cli.Root, "policies"), "*.yaml"))
            {
                File.Copy(file, Path.Combine(policies, Path.GetFileName(file)));
            }
            File.WriteAllText(Path.Combine(policies, "remote.yaml"), File.ReadAllText(Path.Combine(Cli.Root, "policies", "examples", "remote-logging-oss.yaml"))
                .Replace("namespaces: [\"airflow*\"]", "namespaces: [\"*\"]", StringComparison.Ordinal));
            var render = Path.Combine("tests", "charts", "official-1.16", "k8s-stock.yaml");

            var (code, output, error) = Run("check", render, "--namespace", "airflow", "--policies", policies, "--mutate", "manifests");
            Assert.True(code == 0, error);
            var mutated = Path.Combine(folder, "mutated.yaml");
            File.WriteAllText(mutated, output);
            var again = Run("check", mutated, "--namespace", "airflow", "--policies", policies, "--output", "json");

            Assert.Contains("pod_template_file.yaml: |", output, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(again.Output);
            var template = report.RootElement.GetProperty("objects").EnumerateArray().Single(o => o.GetProperty("object").GetString()!.StartsWith("the pod template", StringComparison.Ordinal));
            Assert.Empty(template.GetProperty("patch").EnumerateArray()); // the template in the ConfigMap was patched
            Assert.DoesNotContain(template.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "persistent-task-logs");
            Assert.Equal(0, report.RootElement.GetProperty("summary").GetProperty("repaired").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MutateManifests_WritesWhatTheWebhookWouldAdmit_AndCheckingThatAgainPatchesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("airflowguard-mutate-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "pod.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
                spec:
                  securityContext: { runAsUser: 50000 }
                  containers:
                    - name: scheduler
                      image: apache/airflow:2.9.3
                      env: [{ name: FLAG, value: "True" }]
                      volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags, readOnly: true }]
                  volumes:
                    - name: dags
                      csi: { driver: ossplugin.csi.alibabacloud.com, readOnly: true, volumeAttributes: { bucket: dags } }
                """);

            var (code, mutated, _) = Run("check", Path.Combine(folder, "pod.yaml"), "--mutate", "manifests");
            File.WriteAllText(Path.Combine(folder, "mutated.yaml"), mutated);
            var (againCode, patches, againError) = Run("check", Path.Combine(folder, "mutated.yaml"), "--mutate", "patches");

            Assert.Equal(0, code);
            Assert.Contains("otherOpts: -o uid=50000 -o gid=0 -o umask=002 -o allow_other", mutated, StringComparison.Ordinal);
            Assert.Contains("value: \"True\"", mutated, StringComparison.Ordinal);
            Assert.True(againCode == 0, againError);
            Assert.Equal("[]", patches.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => Cli.Run(args);
}
