using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Cluster;

/// <summary>
/// Leader election over a <c>coordination.k8s.io/v1</c> Lease, as client-go and KubernetesClient's LeaderElector do it
/// (KubernetesClient.Aot, which the Native AOT build uses, does not carry the LeaderElector): the holder renews
/// <c>spec.renewTime</c> every <see cref="RenewPeriod"/>; another replica takes the lease over, with the API server's
/// optimistic concurrency (the lease's resourceVersion) deciding races, once <c>renewTime + leaseDurationSeconds</c> has
/// passed. A leader that cannot renew within the lease duration stops leading before anyone else may start; on a clean
/// stop it gives the lease up at once, so the next replica starts within one retry.
/// </summary>
public sealed partial class LeaseElection(HttpClient api, string @namespace, string name, string identity, ILogger logger)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewPeriod { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string Identity => identity;

    /// <summary>True while this replica holds the lease.</summary>
    public bool IsLeader { get; private set; }

    /// <summary>Raised with true when this replica starts leading, false when it stops.</summary>
    public event Action<bool>? LeadershipChanged;

    private string Path => $"apis/coordination.k8s.io/v1/namespaces/{Uri.EscapeDataString(@namespace)}/leases";

    /// <summary>
    /// Campaigns until <paramref name="stopping"/>; while this replica leads, <paramref name="lead"/> runs with a token
    /// that is cancelled when leadership is lost (or on stop). Returns once stopped and the lease given up.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken stopping)
    {
        CancellationTokenSource? leading = null;
        Task? work = null;
        var lastRenewed = DateTimeOffset.MinValue;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                bool held;
                try
                {
                    held = await TryAcquireOrRenewAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break; // stopped while a request was in flight: a stop like any other (the lease is given up below)
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or TaskCanceledException && !stopping.IsCancellationRequested)
                {
                    LogLeaseError(identity, ex.Message);
                    held = false;
                    if (IsLeader && Time.GetUtcNow() - lastRenewed < LeaseDuration)
                    {
                        held = true; // the lease is still ours until it runs out: keep leading, retry sooner
                    }
                }
                if (held)
                {
                    lastRenewed = Time.GetUtcNow();
                    if (!IsLeader)
                    {
                        IsLeader = true;
                        LogStartedLeading(identity, name);
                        LeadershipChanged?.Invoke(true);
                        leading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                        work = Task.Run(() => lead(leading.Token), CancellationToken.None);
                    }
                }
                else if (IsLeader)
                {
                    await StopLeadingAsync(leading, work).ConfigureAwait(false);
                    (leading, work) = (null, null);
                }
                try
                {
                    await Task.Delay(IsLeader ? RenewPeriod : RetryPeriod, Time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            if (IsLeader)
            {
                await StopLeadingAsync(leading, work).ConfigureAwait(false);
                await ReleaseAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task StopLeadingAsync(CancellationTokenSource? leading, Task? work)
    {
        IsLeader = false;
        LogStoppedLeading(identity, name);
        LeadershipChanged?.Invoke(false);
        if (leading is not null)
        {
            await leading.CancelAsync().ConfigureAwait(false);
            try
            {
                await (work ?? Task.CompletedTask).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the leading work stops with its token
            }
            leading.Dispose();
        }
    }

    /// <summary>One round: create the lease, renew it, or take over an expired one. True when this replica holds it after.</summary>
    internal async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        using var current = await api.GetAsync(new Uri(api.BaseAddress!, $"{Path}/{Uri.EscapeDataString(name)}"), cancellationToken).ConfigureAwait(false);
        if (current.StatusCode == HttpStatusCode.NotFound)
        {
            var lease = Lease(null, now, now, transitions: 0);
            using var created = await api.PostAsync(new Uri(api.BaseAddress!, Path), Json(lease), cancellationToken).ConfigureAwait(false);
            return created.IsSuccessStatusCode; // 409: another replica created it first
        }
        current.EnsureSuccessStatusCode();
        var existing = JsonNode.Parse(await current.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!.AsObject();
        var spec = existing["spec"] as JsonObject ?? [];
        var holder = (string?)spec["holderIdentity"] ?? "";
        var version = (string?)existing["metadata"]?["resourceVersion"];
        var transitions = spec["leaseTransitions"]?.GetValue<int>() ?? 0;
        var acquired = ParseTime((string?)spec["acquireTime"]) ?? now;
        if (holder == identity)
        {
            return await ReplaceAsync(Lease(version, acquired, now, transitions), cancellationToken).ConfigureAwait(false);
        }
        var duration = TimeSpan.FromSeconds(spec["leaseDurationSeconds"]?.GetValue<int>() ?? (int)LeaseDuration.TotalSeconds);
        var renewed = ParseTime((string?)spec["renewTime"]) ?? DateTimeOffset.MinValue;
        if (holder.Length > 0 && renewed + duration > now)
        {
            return false; // held by another replica that renews it
        }
        return await ReplaceAsync(Lease(version, now, now, transitions + 1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the lease up (an empty holder), so another replica need not wait for it to run out.</summary>
    private async Task ReleaseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var current = await api.GetAsync(new Uri(api.BaseAddress!, $"{Path}/{Uri.EscapeDataString(name)}"), timeout.Token).ConfigureAwait(false);
            if (!current.IsSuccessStatusCode)
            {
                return;
            }
            var existing = JsonNode.Parse(await current.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false))!.AsObject();
            if ((string?)existing["spec"]?["holderIdentity"] != identity)
            {
                return;
            }
            existing["spec"]!["holderIdentity"] = "";
            using var released = await api.PutAsync(new Uri(api.BaseAddress!, $"{Path}/{Uri.EscapeDataString(name)}"), Json(existing), timeout.Token).ConfigureAwait(false);
            LogReleased(identity, name, (int)released.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or OperationCanceledException)
        {
            LogLeaseError(identity, ex.Message); // it runs out by itself
        }
    }

    private async Task<bool> ReplaceAsync(JsonObject lease, CancellationToken cancellationToken)
    {
        using var replaced = await api.PutAsync(new Uri(api.BaseAddress!, $"{Path}/{Uri.EscapeDataString(name)}"), Json(lease), cancellationToken).ConfigureAwait(false);
        return replaced.IsSuccessStatusCode; // 409: another replica changed it since it was read
    }

    private JsonObject Lease(string? resourceVersion, DateTimeOffset acquired, DateTimeOffset renewed, int transitions)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = @namespace };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }
        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["holderIdentity"] = identity,
                ["leaseDurationSeconds"] = (int)LeaseDuration.TotalSeconds,
                ["acquireTime"] = MicroTime(acquired),
                ["renewTime"] = MicroTime(renewed),
                ["leaseTransitions"] = transitions,
            },
        };
    }

    /// <summary>The API server's MicroTime: RFC 3339 with microseconds.</summary>
    private static string MicroTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static StringContent Json(JsonObject obj) => new(obj.ToJsonString(), Encoding.UTF8, "application/json");

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "{Identity:l} leads through Lease {Lease:l}")]
    private partial void LogStartedLeading(string identity, string lease);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "{Identity:l} no longer leads through Lease {Lease:l}")]
    private partial void LogStoppedLeading(string identity, string lease);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "{Identity:l}: the lease cannot be read or written: {Problem:l}")]
    private partial void LogLeaseError(string identity, string problem);

    [LoggerMessage(EventId = 53, Level = LogLevel.Information, Message = "{Identity:l} gave Lease {Lease:l} up ({Status})")]
    private partial void LogReleased(string identity, string lease, int status);
}
