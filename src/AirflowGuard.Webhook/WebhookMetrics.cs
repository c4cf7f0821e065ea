using AirflowGuard.Webhook.Admission;
using Prometheus;

namespace AirflowGuard.Webhook;

/// <summary>
/// The webhook's Prometheus metrics, in a registry of its own (so several servers in one process,
/// as in the tests, do not share counters). Latency buckets reach past the API server's longest
/// webhook timeout (30 s), so a slow webhook shows up as such rather than as an overflow bucket.
/// </summary>
public sealed class WebhookMetrics : AirflowGuard.Cluster.IWatchMetrics
{
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];

    public WebhookMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        // no exemplars: nothing traces requests, and the default looks up the current activity on every observation
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        Requests = factory.CreateCounter("airflowguard_admission_requests_total", "Admission requests answered.",
            new CounterConfiguration { LabelNames = ["endpoint", "kind", "operation", "decision", "dry_run"] });
        Findings = factory.CreateCounter("airflowguard_admission_findings_total", "Findings in admission answers, by endpoint and policy/rule (a denial, a warning, a note or a repair).",
            new CounterConfiguration { LabelNames = ["endpoint", "rule"] });
        RequestDuration = factory.CreateHistogram("airflowguard_admission_duration_seconds", "Time to answer an admission request, from the parsed body to the written answer.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = LatencyBuckets });
        EvaluationDuration = factory.CreateHistogram("airflowguard_evaluation_duration_seconds", "Time the policy engine spent on one object.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        EvaluationFailures = factory.CreateCounter("airflowguard_evaluation_failures_total", "Evaluations that failed with an internal error and were answered per the failure mode.");
        EvaluationBudgetExceeded = factory.CreateCounter("airflowguard_evaluation_budget_exceeded_total", "Evaluations stopped past their budget (--evaluation-budget-ms) and answered per the failure mode; also counted in airflowguard_evaluation_failures_total.");
        BadRequests = factory.CreateCounter("airflowguard_bad_requests_total", "Requests that were not AdmissionReviews AirflowGuard could answer.",
            new CounterConfiguration { LabelNames = ["endpoint", "reason"] });
        PolicyReloads = factory.CreateCounter("airflowguard_policy_reloads_total", "Policy loads, by result (success or failure).",
            new CounterConfiguration { LabelNames = ["result"] });
        PoliciesLoaded = factory.CreateGauge("airflowguard_policies_loaded", "Policies in the policy set in force.");
        PolicyLoadTime = factory.CreateGauge("airflowguard_policy_last_success_timestamp_seconds", "When the policy set in force was loaded (Unix time).");
        PolicyExceptions = factory.CreateGauge("airflowguard_policy_exceptions", "AirflowPolicyException objects in the cluster, by state: active, or ignored (expired, or naming a policy or rule not loaded).",
            new GaugeConfiguration { LabelNames = ["state"] });
        CertificateReloads = factory.CreateCounter("airflowguard_certificate_reloads_total", "Serving certificate loads, by result (success or failure).",
            new CounterConfiguration { LabelNames = ["result"] });
        CertificateExpiry = factory.CreateGauge("airflowguard_certificate_expiry_timestamp_seconds", "When the serving certificate in use expires (Unix time).");
        ServerErrors = factory.CreateCounter("airflowguard_http_server_errors_total", "Responses with a 5xx status (500: a bug caught at the edge; 503: not ready), by endpoint and status.",
            new CounterConfiguration { LabelNames = ["endpoint", "status"] });
        Overloaded = factory.CreateCounter("airflowguard_admission_overload_total", "Admission requests answered 429 because every admission slot stayed busy (max-concurrent-admissions).",
            new CounterConfiguration { LabelNames = ["endpoint"] });
        AdmissionsInFlight = factory.CreateGauge("airflowguard_admissions_in_flight", "Admission requests holding a slot (reading or being evaluated).");
        Ready = factory.CreateGauge("airflowguard_ready", "1 when /readyz succeeds, else 0.");
        ClusterCacheSynced = factory.CreateGauge("airflowguard_cluster_cache_synced", "1 once the copy of a kind of object has been listed.",
            new GaugeConfiguration { LabelNames = ["resource"] });
        ClusterCacheObjects = factory.CreateGauge("airflowguard_cluster_cache_objects", "Objects in the copy of a kind.",
            new GaugeConfiguration { LabelNames = ["resource"] });
        ClusterCacheEvents = factory.CreateCounter("airflowguard_cluster_cache_events_total", "Watch events applied.",
            new CounterConfiguration { LabelNames = ["resource", "type"] });
        ClusterCacheErrors = factory.CreateCounter("airflowguard_cluster_cache_errors_total", "Failed lists and watches (retried with backoff).",
            new CounterConfiguration { LabelNames = ["resource"] });
        Registry.AddBeforeCollectCallback(_tallies.Collect);
    }

    public CollectorRegistry Registry { get; }
    public Counter Requests { get; }
    public Histogram RequestDuration { get; }
    public Histogram EvaluationDuration { get; }
    public Counter EvaluationFailures { get; }

    public Counter EvaluationBudgetExceeded { get; }
    public Counter BadRequests { get; }
    public Counter Findings { get; }
    public Counter PolicyReloads { get; }
    public Gauge PoliciesLoaded { get; }
    public Gauge PolicyLoadTime { get; }
    public Gauge PolicyExceptions { get; }
    public Counter CertificateReloads { get; }
    public Gauge CertificateExpiry { get; }
    public Counter ServerErrors { get; }
    public Counter Overloaded { get; }
    public Gauge AdmissionsInFlight { get; }
    public Gauge Ready { get; }
    public Gauge ClusterCacheSynced { get; }
    public Gauge ClusterCacheObjects { get; }
    public Counter ClusterCacheEvents { get; }
    public Counter ClusterCacheErrors { get; }

    void AirflowGuard.Cluster.IWatchMetrics.Synced(string resource) => ClusterCacheSynced.WithLabels(resource).Set(1);

    void AirflowGuard.Cluster.IWatchMetrics.Objects(string resource, int count) => ClusterCacheObjects.WithLabels(resource).Set(count);

    void AirflowGuard.Cluster.IWatchMetrics.Event(string resource, string type) => ClusterCacheEvents.WithLabels(resource, type).Inc();

    void AirflowGuard.Cluster.IWatchMetrics.Error(string resource) => ClusterCacheErrors.WithLabels(resource).Inc();

    // The per-request metrics are tallied per thread (ThreadTallies) and added into these counters and histograms when
    // /metrics is collected. The label sets seen so far (a few dozen at most: endpoints × kinds × operations × decisions)
    // map to their tally slots, so that counting a request is one dictionary lookup and a write to the thread's own cells.
    private readonly ThreadTallies _tallies = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(AdmissionEndpoint, string, string, string, bool), int> _requestSlots = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(AdmissionEndpoint, string), int> _findingSlots = new();
    private readonly int[] _durationSlots = [.. Enum.GetValues<AdmissionEndpoint>().Select(_ => -1)];
    private int _evaluationSlot = -1;

    public void Observe(AdmissionEndpoint endpoint, AdmissionOutcome outcome, TimeSpan elapsed)
    {
        var kind = Engine.Kubernetes.KubeObjectReader.CarriesPods(outcome.Kind) || outcome.Kind == "PersistentVolume" ? outcome.Kind : outcome.Kind.Length == 0 ? "none" : "other";
        var operation = outcome.Operation.Length == 0 ? "none" : outcome.Operation;
        if (!_requestSlots.TryGetValue((endpoint, kind, operation, outcome.Decision, outcome.DryRun), out var requests))
        {
            requests = _requestSlots.GetOrAdd((endpoint, kind, operation, outcome.Decision, outcome.DryRun),
                key => _tallies.Counter(Requests.WithLabels(key.Item1.Name(), key.Item2, key.Item3, key.Item4, key.Item5 ? "true" : "false")));
        }
        _tallies.Count(requests);
        foreach (var rule in outcome.Rules)
        {
            if (!_findingSlots.TryGetValue((endpoint, rule), out var findings))
            {
                findings = _findingSlots.GetOrAdd((endpoint, rule), key => _tallies.Counter(Findings.WithLabels(key.Item1.Name(), key.Item2)));
            }
            _tallies.Count(findings);
        }
        var duration = _durationSlots[(int)endpoint];
        if (duration < 0)
        {
            // two threads may both make the slot: each adds into the same histogram child, so nothing is counted twice
            duration = _durationSlots[(int)endpoint] = _tallies.Histogram(RequestDuration.WithLabels(endpoint.Name()), LatencyBuckets);
        }
        _tallies.Observe(duration, LatencyBuckets, elapsed.TotalSeconds);
        if (outcome.StatusCode is >= 400 and < 500 and not 429)
        {
            BadRequests.WithLabels(endpoint.Name(), outcome.ProblemReason ?? "unknown").Inc();
        }
        if (outcome.StatusCode == 429)
        {
            Overloaded.WithLabels(endpoint.Name()).Inc();
        }
    }

    /// <summary>The policy engine's time on one object, in <see cref="EvaluationDuration"/>.</summary>
    public void ObserveEvaluation(TimeSpan elapsed)
    {
        var slot = _evaluationSlot;
        if (slot < 0)
        {
            slot = _evaluationSlot = _tallies.Histogram(EvaluationDuration, LatencyBuckets);
        }
        _tallies.Observe(slot, LatencyBuckets, elapsed.TotalSeconds);
    }

    public void BadRequest(AdmissionEndpoint endpoint, string reason) =>
        BadRequests.WithLabels(endpoint.Name(), reason).Inc();

    /// <summary>The endpoint label for a request path: validate, mutate, metrics, probes or other.</summary>
    public static string EndpointOf(string? path) => path switch
    {
        "/validate" => "validate",
        "/validate/enforce" => "validate-enforce",
        "/validate/warn" => "validate-warn",
        "/mutate" => "mutate",
        "/metrics" => "metrics",
        "/healthz" or "/readyz" => "probes",
        _ => "other",
    };
}
