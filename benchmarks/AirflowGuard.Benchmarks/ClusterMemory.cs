using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AirflowGuard.Cluster;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// What the webhook's cluster cache holds once synced, at 10,000 ConfigMaps (each an airflow.cfg of
/// about 1 KB) and 50,000 pods (one in ten running git-sync into a claim), listed in pages from a
/// local endpoint that speaks the API server's list format: retained managed memory per kind, with
/// the readers the cache uses (ConfigMaps keep their data; pods keep only their git-sync writers).
/// Run: <c>dotnet run -c Release -- cluster-memory [configMaps] [pods]</c>.
/// </summary>
internal static class ClusterMemory
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configMaps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var pods = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        var cfg = string.Concat(Enumerable.Repeat("[core]\\ndags_folder = /opt/airflow/dags\\nload_examples = False\\n[logging]\\nremote_logging = False\\n", 10));
        var lists = new Dictionary<string, byte[][]>
        {
            ["configmaps"] = Enumerable.Range(0, configMaps).Select(i => Encoding.UTF8.GetBytes(
                $$$"""{"metadata":{"name":"cm-{{{i}}}","namespace":"ns-{{{i % 50}}}","resourceVersion":"{{{i}}}"},"data":{"airflow.cfg":"{{{cfg}}}"}}""")).ToArray(),
            ["pods"] = Enumerable.Range(0, pods).Select(i => Encoding.UTF8.GetBytes(i % 10 == 0
                ? $$$"""{"metadata":{"name":"p-{{{i}}}","namespace":"ns-{{{i % 50}}}","ownerReferences":[{"kind":"ReplicaSet","name":"rs-{{{i}}}"}]},"spec":{"containers":[{"name":"scheduler","image":"apache/airflow:2.10.5","volumeMounts":[{"name":"dags","mountPath":"/opt/airflow/dags"}]},{"name":"git-sync","image":"registry.k8s.io/git-sync/git-sync:v4.2.3","volumeMounts":[{"name":"dags","mountPath":"/git"}]}],"volumes":[{"name":"dags","persistentVolumeClaim":{"claimName":"dags-{{{i}}}"}}]},"status":{"phase":"Running"}}"""
                : $$$"""{"metadata":{"name":"p-{{{i}}}","namespace":"ns-{{{i % 50}}}"},"spec":{"containers":[{"name":"app","image":"nginx:1.27","env":[{"name":"A","value":"b"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]}],"volumes":[{"name":"data","emptyDir":{}}]},"status":{"phase":"Running"}}""")).ToArray(),
        };
        await using var api = await Serve(lists);
        using var http = new HttpClient { BaseAddress = api.Address };

        var baseline = Retained();
        var watch = Stopwatch.StartNew();
        var configWatch = new ResourceWatch<ConfigData>("configmaps", "/api/v1/configmaps", http,
            e => KubeObjectReader.ReadConfigData(e, "", new InputErrors()), Key, IWatchMetrics.None, NullLogger.Instance);
        await configWatch.SyncOnceAsync(CancellationToken.None);
        var configTime = watch.Elapsed;
        var afterConfig = Retained();
        watch.Restart();
        var podWatch = new ResourceWatch<WatchedPod>("pods", "/api/v1/pods?fieldSelector=status.phase%21%3DSucceeded", http,
            e => WatchedPod.Read(e, RecognitionRules.Empty), Key, IWatchMetrics.None, NullLogger.Instance);
        await podWatch.SyncOnceAsync(CancellationToken.None);
        var podTime = watch.Elapsed;
        var afterPods = Retained();

        Console.WriteLine($"ConfigMaps: {configWatch.All.Count(),7:N0} held, {(afterConfig - baseline) / 1048576.0,6:F1} MiB retained, listed in {configTime.TotalSeconds:F2} s");
        Console.WriteLine($"pods:       {pods,7:N0} listed, {podWatch.All.Count(),6:N0} git-sync writers and Airflow components held, {(afterPods - afterConfig) / 1048576.0,6:F1} MiB retained, listed in {podTime.TotalSeconds:F2} s");
        Console.WriteLine($"peak working set of the process (endpoint included): {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        GC.KeepAlive(configWatch);
        GC.KeepAlive(podWatch);
        return 0;
    }

    private static (string, string) Key(JsonElement e)
    {
        var metadata = e.GetProperty("metadata");
        return (metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() ?? "" : "", metadata.GetProperty("name").GetString()!);
    }

    private static long Retained()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A local endpoint answering paged lists (limit / continue) from pre-built items.</summary>
    private static async Task<Endpoint> Serve(Dictionary<string, byte[][]> lists)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/v1/{resource}", (HttpContext context, string resource) => PagedList.WriteAsync(context, lists[resource]));
        await app.StartAsync();
        return new Endpoint(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/"));
    }

    private sealed record Endpoint(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }
}
