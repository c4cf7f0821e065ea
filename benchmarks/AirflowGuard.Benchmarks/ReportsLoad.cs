using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// The PolicyReports loop of the shipped binary against a cluster of N running pods (one in five an Airflow pod, half of
/// those with hostPath DAGs, over 50 namespaces): a local endpoint answers the lists in pages and takes the Lease and
/// PolicyReport writes, and the binary runs <c>serve --reports</c> for a while. Prints the report writes of the first
/// round and of the steady state (per minute), the list requests, and the binary's CPU time and peak resident memory.
/// Run: <c>dotnet run -c Release -- reports-load BINARY [pods] [seconds] [period]</c>.
/// </summary>
internal static class ReportsLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var binary = args[1];
        var pods = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5_000;
        var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 70;
        var period = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
        var items = Enumerable.Range(0, pods).Select(i => Encoding.UTF8.GetBytes(Pod(i))).ToArray();
        var writes = new ConcurrentQueue<(TimeSpan At, string Request)>();
        var lists = 0;
        var clock = Stopwatch.StartNew();
        var stored = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/api/v1/{resource}", async (HttpContext context, string resource) =>
        {
            Interlocked.Increment(ref lists);
            if (context.Request.Query["watch"] == "true")
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            await PagedList.WriteAsync(context, resource == "pods" ? items : []);
        });
        app.MapGet("/apis/storage.k8s.io/v1/{resource}", (HttpContext context) => context.Response.WriteAsync("""{"kind":"List","metadata":{"resourceVersion":"1"},"items":[]}"""));
        app.MapGet("/apis/{group}/{version}/{resource}", (HttpContext context) => context.Response.WriteAsync("""{"kind":"List","metadata":{"resourceVersion":"1"},"items":[]}"""));
        app.MapGet("/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}", async (HttpContext context) =>
        {
            if (stored.TryGetValue(context.Request.Path.Value!, out var body))
            {
                await context.Response.Body.WriteAsync(body);
                return;
            }
            context.Response.StatusCode = 404;
        });
        app.MapPost("/apis/{group}/{version}/namespaces/{ns}/{resource}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync();
            var name = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("metadata").GetProperty("name").GetString();
            var path = $"{context.Request.Path.Value}/{name}";
            writes.Enqueue((clock.Elapsed, $"POST {path}"));
            stored[path] = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = 201;
        });
        app.MapPut("/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value!;
            writes.Enqueue((clock.Elapsed, $"PUT {path}"));
            if (!stored.ContainsKey(path))
            {
                context.Response.StatusCode = 404;
                return;
            }
            stored[path] = Encoding.UTF8.GetBytes(text);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var process = Process.Start(new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "serve", "--dev", "--port", "0", "--monitoring-port", "0", "--log-level", "Warning",
                "--cluster-cache", "optional", "--cluster-server", address,
                "--reports", "--reports-period-seconds", period.ToString(CultureInfo.InvariantCulture), "--reports-identity", "load",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var (cpu, peak) = Usage(process.Id);
        process.Kill();
        await process.WaitForExitAsync();
        await app.DisposeAsync();

        var reports = writes.Where(w => w.Request.Contains("/policyreports", StringComparison.Ordinal)).ToList();
        var first = reports.Where(w => w.At < reports.FirstOrDefault().At + TimeSpan.FromSeconds(period / 2.0)).Count();
        var later = reports.Count - first;
        var steadyMinutes = Math.Max(1e-9, (seconds - reports.FirstOrDefault().At.TotalSeconds - period / 2.0) / 60);
        Console.WriteLine($"pods {pods:N0} ({pods / 5:N0} Airflow) in 50 namespaces, period {period} s, run {seconds} s");
        Console.WriteLine($"report writes: first round {first}, after it {later} ({later / steadyMinutes:F1} per minute); lease writes {writes.Count - reports.Count}; list requests {lists}");
        Console.WriteLine($"binary: CPU {cpu.TotalSeconds:F1} s over {seconds} s ({cpu.TotalSeconds / seconds * 100:F1} % of one core), peak RSS {peak / 1024.0:F0} MiB");
        return 0;
    }

    /// <summary>One in five pods is an Airflow scheduler or task pod (half of them with hostPath DAGs); the rest are not Airflow.</summary>
    private static string Pod(int i)
    {
        var ns = $"team-{i / 5 % 50}"; // every namespace runs Airflow pods
        if (i % 5 != 0)
        {
            return $$$"""{"metadata":{"name":"app-{{{i}}}","namespace":"{{{ns}}}"},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]},"status":{"phase":"Running"}}""";
        }
        var dags = i % 10 == 0 ? """{"name":"dags","hostPath":{"path":"/srv/dags"}}""" : """{"name":"dags","emptyDir":{}}""";
        return $$$"""{"metadata":{"name":"task-{{{i}}}","namespace":"{{{ns}}}","labels":{"kubernetes_executor":"True","dag_id":"d{{{i % 7}}}","task_id":"t"}},"spec":{"containers":[{"name":"base","image":"apache/airflow:2.10.5","volumeMounts":[{"name":"dags","mountPath":"/opt/airflow/dags"}]}],"volumes":[{{{dags}}}]},"status":{"phase":"Running"}}""";
    }

    /// <summary>CPU time (user + system) and peak resident set of a process, from /proc.</summary>
    private static (TimeSpan Cpu, long PeakKb) Usage(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var peak = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return (TimeSpan.FromSeconds(ticks / 100.0), long.Parse(peak.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
    }
}
