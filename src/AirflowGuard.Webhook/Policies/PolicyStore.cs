using System.Security.Cryptography;
using System.Text;
using AirflowGuard.Engine.Policies;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Policies;

/// <summary>
/// The policy set in force: the loaded policies with the cluster's AirflowPolicyException objects applied. A reload that
/// fails leaves the last good set in force; until one load succeeds there is no set, and the webhook is not ready.
/// </summary>
public sealed partial class PolicyStore(WebhookOptions options, WebhookMetrics metrics, ILogger<PolicyStore> logger)
{
    private readonly object _gate = new();
    private volatile PolicySet? _current;
    private PolicySet? _loaded;
    private IReadOnlyList<PolicyExceptionObject> _exceptions = [];
    private byte[]? _fingerprint;

    public PolicySet? Current => _current;

    private volatile PolicySet? _enforce;
    private volatile PolicySet? _warn;

    /// <summary>
    /// The set an endpoint judges with: every policy, or (for the split validating webhooks a chart registers when its
    /// policies mix modes) only the Enforce ones, or only the Warn and Audit ones.
    /// </summary>
    public PolicySet? For(Admission.AdmissionEndpoint endpoint) => endpoint switch
    {
        Admission.AdmissionEndpoint.ValidateEnforce => _enforce,
        Admission.AdmissionEndpoint.ValidateWarn => _warn,
        _ => _current,
    };

    /// <summary>The loaded policies, before exceptions (what /readyz and the metrics count).</summary>
    public PolicySet? Loaded => _loaded;

    /// <summary>
    /// Applies the cluster's AirflowPolicyException objects (from the cluster cache, on every change) to the policies in
    /// force; exceptions that waive nothing (expired, an unknown policy or rule) are logged and counted, never applied.
    /// </summary>
    public void SetExceptions(IReadOnlyList<PolicyExceptionObject> exceptions)
    {
        lock (_gate)
        {
            _exceptions = exceptions;
            Combine();
        }
    }

    private void Combine()
    {
        if (_loaded is not { } loaded)
        {
            return;
        }
        var (waived, problems) = PolicyExceptionObject.Apply(loaded, _exceptions, DateTimeOffset.UtcNow);
        _enforce = waived with { Policies = [.. waived.Policies.Where(p => p.Mode == PolicyMode.Enforce)] };
        _warn = waived with { Policies = [.. waived.Policies.Where(p => p.Mode != PolicyMode.Enforce)] };
        _current = waived;
        foreach (var problem in problems)
        {
            LogExceptionIgnored(problem);
        }
        metrics.PolicyExceptions.WithLabels("active").Set(_exceptions.Count - problems.Count);
        metrics.PolicyExceptions.WithLabels("ignored").Set(problems.Count);
    }

    /// <summary>The errors of the last failed load, empty after a successful one.</summary>
    public IReadOnlyList<PolicyError> LastErrors { get; private set; } = [];

    /// <summary>Where policies come from: the bundled pack, or files the watcher keeps re-reading.</summary>
    public bool FromFiles => options.Policies is not null;

    public IReadOnlyList<string> Paths => options.Policies is null ? [] : WebhookOptionsValidator.SplitPaths(options.Policies);

    /// <summary>Loads the policies if they changed since the last load (always, the first time).</summary>
    public bool ReloadIfChanged()
    {
        lock (_gate)
        {
            var sources = ReadSources(out var readErrors);
            var fingerprint = Fingerprint(sources, readErrors);
            if (_fingerprint is not null && fingerprint.AsSpan().SequenceEqual(_fingerprint))
            {
                return false;
            }
            _fingerprint = fingerprint;
            var result = readErrors.Count > 0 ? new PolicyLoadResult(null, readErrors) : PolicyLoader.LoadTexts(sources, requirePolicies: !options.AllowEmptyPolicies, string.Join(", ", Paths));
            if (result.Set is { } set)
            {
                _loaded = set;
                Combine();
                LastErrors = [];
                metrics.PolicyReloads.WithLabels("success").Inc();
                metrics.PoliciesLoaded.Set(set.Policies.Count);
                metrics.PolicyLoadTime.Set(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
                LogLoaded(set.Policies.Count, set.Files.Count, FromFiles ? string.Join(",", Paths) : BundledPolicies.Origin);
                return true;
            }
            LastErrors = result.Errors;
            foreach (var error in result.Errors)
            {
                LogPolicyError(error.File, error.Line, error.Column, error.Message);
            }
            LogRejected(result.Errors.Count, _current is null ? "none: the webhook is not ready" : "the last good policy set");
            metrics.PolicyReloads.WithLabels("failure").Inc();
            return false;
        }
    }

    private List<(string File, string Text)> ReadSources(out List<PolicyError> errors)
    {
        var problems = errors = [];
        if (!FromFiles)
        {
            return [.. BundledPolicies.Texts()];
        }
        var sources = new List<(string, string)>();
        foreach (var file in Paths.SelectMany(path => PolicyLoader.ExpandPath(path, problems)))
        {
            try
            {
                sources.Add((file, File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new PolicyError(file, 1, 1, $"cannot read the file: {ex.Message}"));
            }
        }
        return sources;
    }

    private static byte[] Fingerprint(List<(string File, string Text)> sources, List<PolicyError> errors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (file, text) in sources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        foreach (var error in errors)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(error.ToString()));
        }
        return hash.GetHashAndReset();
    }

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "{Problem:l}")]
    private partial void LogExceptionIgnored(string problem);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "policy set loaded: {Policies} policies from {Files} files ({Source:l})")]
    private partial void LogLoaded(int policies, int files, string source);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "{File:l}:{Line}:{Column}: {Problem:l}")]
    private partial void LogPolicyError(string file, int line, int column, string problem);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "policy reload rejected with {Errors} error(s); in force: {InForce:l}")]
    private partial void LogRejected(int errors, string inForce);
}
