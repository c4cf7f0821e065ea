using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>
/// Reads a submitted object and evaluates it: Pods and the pod templates of workloads are validated and mutated,
/// PersistentVolumes mutated, ConfigMaps and Secrets a policy is about checked, everything else passed through. The CLI
/// and the webhook both go through here, so both decide an object's kind and read it the same way.
/// </summary>
public static class ObjectEvaluator
{
    /// <param name="obj">The object as submitted.</param>
    /// <param name="path">Its JSON path, for errors ("request.object", or "" for a manifest).</param>
    /// <param name="defaultNamespace">The namespace to assume when the object names none.</param>
    /// <param name="budget">How long the evaluation may take (the webhook's per-request budget); unlimited by default.</param>
    /// <param name="request">The request, for expression rules; the CLI checks objects as if created.</param>
    /// <param name="mutations">False to validate only (the validating webhook): no patch is worked out.</param>
    /// <param name="owner">For a pod embedded in another object (a pod_template_file in a ConfigMap): that object, whose labels name the chart.</param>
    public static ObjectVerdict Evaluate(JsonElement obj, string path, PolicySet policies, IClusterState cluster, string? defaultNamespace = null,
        EvaluationBudget budget = default, Expressions.ExpressionRequest? request = null, bool mutations = true, ObjectMetadata? owner = null)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            var errors = new InputErrors();
            errors.Add(path.Length == 0 ? "(document)" : path, $"expected an object, found {JsonRead.Describe(obj)}");
            return new ObjectVerdict(null, null, Decision.NotApplicable, errors.All);
        }
        var kind = KubeObjectReader.Kind(obj);
        return Evaluate(new JsonSource(obj), kind, RoleOf(kind, policies), path, policies, cluster, defaultNamespace, budget, request, mutations, owner);
    }

    /// <summary>What AirflowGuard does with an object of <paramref name="kind"/>: the one place that decides it, for the webhook and the command line.</summary>
    public static ObjectRole RoleOf(string? kind, PolicySet policies) => kind switch
    {
        "PersistentVolume" => ObjectRole.PersistentVolume,
        "ConfigMap" or "Secret" when policies.ChecksKind(kind) => ObjectRole.ConfigObject,
        _ when PodReader.CarriesPods(kind) => ObjectRole.Pods,
        _ => ObjectRole.Unchecked,
    };

    /// <summary>
    /// Evaluates an object whose kind and role the caller decided. A pod is read from the object's bytes in one pass
    /// (<see cref="PodReader"/>); the JSON is parsed only for the other roles, or when an expression rule reads <c>object</c>.
    /// </summary>
    /// <param name="owner">For a pod embedded in another object (a pod_template_file in a ConfigMap): that object, whose labels name the chart.</param>
    public static ObjectVerdict Evaluate(JsonSource obj, string? kind, ObjectRole role, string path, PolicySet policies, IClusterState cluster, string? defaultNamespace = null,
        EvaluationBudget budget = default, Expressions.ExpressionRequest? request = null, bool mutations = true, ObjectMetadata? owner = null)
    {
        var errors = new InputErrors();
        switch (role)
        {
            case ObjectRole.PersistentVolume:
                var volume = KubeObjectReader.ReadPersistentVolume(obj.Element, path, errors);
                return errors.Any
                    ? new ObjectVerdict(kind, null, Decision.NotApplicable, errors.All)
                    : new ObjectVerdict(kind, null, PolicyEngine.Evaluate(volume, policies), []);
            case ObjectRole.ConfigObject:
                var metadata = PodReader.ReadMetadata(obj.Element, path, errors);
                metadata = metadata.Namespace is null ? metadata with { Namespace = defaultNamespace } : metadata;
                return new ObjectVerdict(kind, null, PolicyEngine.EvaluateObject(obj.Element, kind!, metadata, policies, request, budget), []);
            case ObjectRole.Pods:
                var pod = PodReader.Read(obj.Text, kind, path, errors, out var header);
                if (pod is null || errors.Any)
                {
                    return new ObjectVerdict(kind, pod, Decision.NotApplicable, errors.All) { Header = header };
                }
                return EvaluatePod(kind ?? pod.SourceKind, pod, obj, policies, cluster, defaultNamespace, budget, request, mutations, owner ?? header?.Metadata) with { Header = header };
            default:
                return new ObjectVerdict(kind, null, Decision.NotApplicable, []);
        }
    }

    /// <summary>Evaluates a pod already read (in one pass over a review, by the webhook) from an object of <paramref name="kind"/>.</summary>
    /// <param name="raw">The object as submitted, for expression rules; read only if one reads <c>object</c>.</param>
    /// <param name="owner">The object's own metadata, when read (its labels name the chart that rendered it).</param>
    public static ObjectVerdict EvaluatePod(string kind, PodView pod, JsonSource? raw, PolicySet policies, IClusterState cluster, string? defaultNamespace = null,
        EvaluationBudget budget = default, Expressions.ExpressionRequest? request = null, bool mutations = true, ObjectMetadata? owner = null)
    {
        if (pod.Metadata.Namespace is null && defaultNamespace is not null)
        {
            pod = pod with { Metadata = pod.Metadata with { Namespace = defaultNamespace } };
        }
        return new ObjectVerdict(kind, pod, PolicyEngine.Evaluate(pod, policies, cluster, budget, raw, request, mutations, owner), []);
    }
}
