using System.Globalization;
using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// An <c>AirflowPolicyException</c> object: a waiver a team asks for as a namespaced, RBAC-controlled, reviewable object
/// (as Kyverno's PolicyException), instead of an edit of the policy. It covers objects of its own namespace only.
/// </summary>
/// <param name="Namespace">The exception's namespace, the only one it covers.</param>
/// <param name="Policy">The policy it waives (or some of its rules).</param>
public sealed record PolicyExceptionObject(string Namespace, string Name, string Policy, PolicyExemption Exemption)
{
    public const string ApiVersion = "airflowguard.dev/v1";
    public const string Kind = "AirflowPolicyException";

    /// <summary>"AirflowPolicyException airflow-ci/allow-host-path".</summary>
    public string Describe() => $"{Kind} {Namespace}/{Name}";

    public bool ExpiredAt(DateTimeOffset now) => Exemption.Expires is { } expires && now >= expires;

    /// <summary>
    /// The exception <paramref name="obj"/> declares, or null with the problems in <paramref name="errors"/> (each at its
    /// JSON path: <c>spec.reason</c>, <c>spec.expires</c>). A list item from the API server carries no kind: it is taken
    /// as an exception.
    /// </summary>
    public static PolicyExceptionObject? Read(JsonElement obj, string defaultNamespace, InputErrors errors)
    {
        JsonPath path = "";
        var meta = PodReader.ReadMetadata(obj, path, errors);
        if (Object(obj, "spec"u8, path, errors) is not { } spec)
        {
            errors.Add(path.Child("spec"), "an AirflowPolicyException needs a spec with policy and reason");
            return null;
        }
        var specPath = path.Child("spec");
        var before = errors.All.Count;
        var policy = String(spec, "policy"u8, specPath, errors);
        if (string.IsNullOrWhiteSpace(policy))
        {
            errors.Add(specPath.Child("policy"), "name the policy the exception waives");
        }
        var reason = String(spec, "reason"u8, specPath, errors);
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(specPath.Child("reason"), "an exception needs a reason that says why the policy does not apply");
        }
        DateTimeOffset? expires = null;
        if (String(spec, "expires"u8, specPath, errors) is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var when))
            {
                expires = when;
            }
            else
            {
                errors.Add(specPath.Child("expires"), $"expected a date (2027-01-31 or 2027-01-31T00:00:00Z), found \"{text}\"");
            }
        }
        var rules = StringList(spec, "rules"u8, specPath, errors);
        IReadOnlyList<string> kinds = [];
        IReadOnlyList<Glob> names = [];
        var labels = new Dictionary<string, Glob>(StringComparer.Ordinal);
        if (Object(spec, "match"u8, specPath, errors) is { } match)
        {
            var matchPath = specPath.Child("match");
            kinds = StringList(match, "kinds"u8, matchPath, errors);
            names = [.. StringList(match, "names"u8, matchPath, errors).Select(n => new Glob(n))];
            foreach (var (key, value) in StringMap(match, "labels"u8, matchPath, errors))
            {
                labels[key] = new Glob(value);
            }
        }
        if (errors.All.Count > before || policy is null || reason is null)
        {
            return null;
        }
        var @namespace = meta.Namespace ?? defaultNamespace;
        var name = meta.Name ?? "";
        return new PolicyExceptionObject(@namespace, name, policy, new PolicyExemption
        {
            Reason = reason,
            Rules = rules,
            Namespaces = [new Glob(@namespace)],
            Labels = labels,
            Kinds = kinds,
            Names = names,
            Expires = expires,
            Source = $"{Kind} {@namespace}/{name}",
        });
    }

    /// <summary>
    /// <paramref name="policies"/> with the exceptions added to the policies they name. Problems (an unknown policy or
    /// rule, an expired exception, which then does not apply) are returned to be reported; none stops the others.
    /// </summary>
    public static (PolicySet Policies, IReadOnlyList<string> Problems) Apply(PolicySet policies, IEnumerable<PolicyExceptionObject> exceptions, DateTimeOffset now)
    {
        var problems = new List<string>();
        var added = new Dictionary<string, List<PolicyExemption>>(StringComparer.Ordinal);
        foreach (var exception in exceptions.OrderBy(e => e.Namespace, StringComparer.Ordinal).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            var policy = policies.Policies.FirstOrDefault(p => p.Name == exception.Policy);
            if (policy is null)
            {
                problems.Add($"{exception.Describe()}: no policy {exception.Policy} is loaded; the exception waives nothing");
                continue;
            }
            var unknown = exception.Exemption.Rules.Where(r => policy.Rules.All(rule => rule.Name != r)).ToList();
            if (unknown.Count > 0)
            {
                problems.Add($"{exception.Describe()}: policy {policy.Name} has no rule {string.Join(", ", unknown)}; the exception waives nothing");
                continue;
            }
            if (exception.ExpiredAt(now))
            {
                problems.Add($"{exception.Describe()}: expired at {exception.Exemption.Expires:yyyy-MM-ddTHH:mm:ssZ}; it no longer waives {policy.Name}");
                continue;
            }
            if (!added.TryGetValue(policy.Name, out var list))
            {
                added[policy.Name] = list = [];
            }
            list.Add(exception.Exemption);
        }
        if (added.Count == 0)
        {
            return (policies, problems);
        }
        return (policies with
        {
            Policies = [.. policies.Policies.Select(p => added.TryGetValue(p.Name, out var more) ? p with { Exceptions = [.. p.Exceptions, .. more] } : p)],
        }, problems);
    }
}
