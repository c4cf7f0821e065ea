using System.Net;
using System.Security.Cryptography;
using AirflowGuard.Checking;
using AirflowGuard.Cluster;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Cluster;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Reports;

/// <summary>
/// The standing report of what runs, in the webhook Deployment: one replica at a time (<see cref="LeaseElection"/>)
/// checks the running Airflow pods of the cluster cache (kept there, with reports on, as the watch sees them), with the
/// cache resolving their claims and ConfigMaps, as <c>audit</c> checks a snapshot (<see cref="RunningPodsCheck"/>), when
/// the pods change (at most every <see cref="MinInterval"/>) and every period; it writes a <c>wgpolicyk8s.io/v1alpha2</c>
/// PolicyReport per namespace (<see cref="PolicyReportOutput"/>, the writer of <c>audit --output policyreport</c>), as
/// Policy Reporter and <c>kubectl get polr</c> read them. A report is written only when its results changed, and deleted
/// when its namespace has nothing left to report. Nothing is listed: the cache's watch is the only read.
/// </summary>
internal sealed partial class PolicyReportsLoop(WebhookOptions options, PolicyStore policies, ILogger<PolicyReportsLoop> logger,
    ClusterConnection? cluster = null, ClusterCache? cache = null) : BackgroundService
{
    /// <summary>The least time between two rounds, however often the pods change.</summary>
    internal static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, byte[]> _written = new(StringComparer.Ordinal);

    /// <summary>Reports written (created or replaced) and deleted since start, for tests and the log.</summary>
    public int Writes { get; private set; }

    public int Deletes { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Reports.Enabled)
        {
            return;
        }
        if (cluster?.Api is not { } api || cache is null)
        {
            LogNoCluster(cluster?.Problem ?? "the cluster cache is off");
            return;
        }
        var reports = options.Reports;
        var election = new LeaseElection(api, reports.LeaseNamespace, reports.LeaseName, reports.Identity ?? Environment.MachineName, logger);
        await election.RunAsync(token => ReportAsync(api, token), stoppingToken).ConfigureAwait(false);
    }

    private async Task ReportAsync(HttpClient api, CancellationToken leading)
    {
        _written.Clear(); // a new leader knows nothing of what the last one wrote: the first round compares with nothing, and writes
        using var changed = new SemaphoreSlim(0, 1);
        void Signal()
        {
            if (changed.CurrentCount == 0)
            {
                try
                {
                    changed.Release();
                }
                catch (SemaphoreFullException)
                {
                    // already signalled
                }
            }
        }
        cache!.PodsChanged += Signal;
        try
        {
            while (!leading.IsCancellationRequested)
            {
                try
                {
                    if (!await RunOnceAsync(api, leading).ConfigureAwait(false))
                    {
                        // no policy set or no synced cache yet: look again soon, not a period later (the cache may have
                        // synced before this leader listened for its changes)
                        await Task.Delay(TimeSpan.FromSeconds(1), leading).ConfigureAwait(false);
                        continue;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or System.Text.Json.JsonException && !leading.IsCancellationRequested)
                {
                    LogRoundFailed(ex.Message);
                }
                var period = Task.Delay(TimeSpan.FromSeconds(options.Reports.PeriodSeconds), leading);
                await Task.Delay(MinInterval, leading).ConfigureAwait(false);
                await Task.WhenAny(period, changed.WaitAsync(leading)).ConfigureAwait(false);
            }
        }
        finally
        {
            cache.PodsChanged -= Signal;
        }
    }

    /// <summary>One round: check what runs, write the reports that changed, delete the ones whose namespace has none now. False when it could not run yet.</summary>
    internal async Task<bool> RunOnceAsync(HttpClient api, CancellationToken cancellationToken)
    {
        if (policies.Current is not { } set || cache is not { Synced: true } live)
        {
            return false; // no policy set yet, or the cache has not seen the cluster yet: nothing to report on
        }
        var pods = live.AirflowPods;
        var results = RunningPodsCheck.Run(set, pods, live: live);
        var now = DateTimeOffset.UtcNow;
        // what a report says, without its timestamps: a report is rewritten when that changes, not every round
        var said = PolicyReportOutput.Reports(results, DateTimeOffset.UnixEpoch, options.Reports.MaxResults).ToDictionary(r => r.Namespace, r => SHA256.HashData(r.Report), StringComparer.Ordinal);
        var written = 0;
        foreach (var (@namespace, report) in PolicyReportOutput.Reports(results, now, options.Reports.MaxResults))
        {
            if (_written.TryGetValue(@namespace, out var last) && last.AsSpan().SequenceEqual(said[@namespace]))
            {
                continue;
            }
            await PutAsync(api, @namespace, report, cancellationToken).ConfigureAwait(false);
            _written[@namespace] = said[@namespace];
            written++;
        }
        foreach (var gone in _written.Keys.Where(n => !said.ContainsKey(n)).ToList())
        {
            using var deleted = await api.DeleteAsync(new Uri(api.BaseAddress!, ReportPath(gone) + $"/airflowguard-{gone}"), cancellationToken).ConfigureAwait(false);
            _written.Remove(gone);
            Deletes++;
        }
        Writes += written;
        LogRound(pods.Count, said.Count, written);
        return true;
    }

    private static string ReportPath(string @namespace) => $"apis/wgpolicyk8s.io/v1alpha2/namespaces/{Uri.EscapeDataString(@namespace)}/policyreports";

    /// <summary>Replaces the namespace's report, or creates it when there is none.</summary>
    private static async Task PutAsync(HttpClient api, string @namespace, byte[] report, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(report);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var replaced = await api.PutAsync(new Uri(api.BaseAddress!, ReportPath(@namespace) + $"/airflowguard-{@namespace}"), content, cancellationToken).ConfigureAwait(false);
        if (replaced.StatusCode != HttpStatusCode.NotFound)
        {
            replaced.EnsureSuccessStatusCode();
            return;
        }
        using var fresh = new ByteArrayContent(report);
        fresh.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var created = await api.PostAsync(new Uri(api.BaseAddress!, ReportPath(@namespace)), fresh, cancellationToken).ConfigureAwait(false);
        created.EnsureSuccessStatusCode();
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "PolicyReports: {Pods} running pods checked, {Namespaces} namespaces reported, {Written} reports written")]
    private partial void LogRound(int pods, int namespaces, int written);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "PolicyReports: a round failed and is retried next period: {Problem:l}")]
    private partial void LogRoundFailed(string problem);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "PolicyReports are off: {Problem:l}")]
    private partial void LogNoCluster(string problem);
}
