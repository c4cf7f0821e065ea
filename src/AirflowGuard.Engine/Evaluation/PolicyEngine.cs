using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>
/// The one place verdicts are made: the webhook and the command line both call it, so they always
/// agree. Pure and deterministic: no I/O except through <see cref="IClusterState"/>.
/// </summary>
public static class PolicyEngine
{
    /// <summary>Validates and mutates a pod (or a workload's pod template).</summary>
    /// <param name="raw">The object as submitted, for expression rules (<c>object</c>).</param>
    /// <param name="request">The request, for expression rules (<c>request</c>, <c>oldObject</c>).</param>
    /// <param name="mutations">False to skip mutations: a validating call never reads the patch or what mutations report.</param>
    public static Decision Evaluate(PodView pod, PolicySet policies, IClusterState cluster, EvaluationBudget budget = default,
        System.Text.Json.JsonElement? raw = null, Expressions.ExpressionRequest? request = null, bool mutations = true) =>
        Evaluate(pod, policies, cluster, budget, (JsonSource?)raw, request, mutations);

    /// <inheritdoc cref="Evaluate(PodView, PolicySet, IClusterState, EvaluationBudget, System.Text.Json.JsonElement?, Expressions.ExpressionRequest?, bool)"/>
    /// <param name="raw">The object as submitted, parsed only if an expression rule reads <c>object</c>.</param>
    /// <param name="owner">The metadata of the object the pod came from (a Deployment's own labels name the chart and its version).</param>
    public static Decision Evaluate(PodView pod, PolicySet policies, IClusterState cluster, EvaluationBudget budget,
        JsonSource? raw, Expressions.ExpressionRequest? request = null, bool mutations = true, ObjectMetadata? owner = null)
    {
        var recognition = ComponentRecognizer.Recognize(pod, policies.Recognition);
        EvaluationContext? context = null;
        PodEdits? edits = null;
        List<Finding>? findings = null;
        List<AppliedExemption>? exemptions = null;
        List<string>? applied = null;

        foreach (var policy in policies.Policies.AsReadOnlySpan())
        {
            var match = policy.Match;
            if (!match.Pods || !match.MatchesComponent(recognition.Component) || !match.MatchesNamespace(pod.Metadata.Namespace) ||
                !match.MatchesLabels(pod.Metadata.Labels))
            {
                continue;
            }
            var skippedRules = Exempted(policy, pod.Metadata.Namespace, pod.Metadata.Labels, ref exemptions, pod.SourceKind, pod.SourceName ?? pod.Metadata.Name);
            if (skippedRules is { Count: 0 })
            {
                continue; // the whole policy is exempted
            }
            context ??= new EvaluationContext(pod, recognition, cluster, policies.Drivers, policies.Recognition, raw, request);
            findings ??= [];
            (applied ??= new List<string>(policies.Policies.Count)).Add(policy.Name); // sized once: one array, not three as it grows
            foreach (var rule in policy.PodRules)
            {
                if ((skippedRules is null || !skippedRules.Contains(rule.Name)) && rule.AppliesTo(recognition.Component))
                {
                    budget.CheckBeforeRule(policy.Name, rule.Name);
                    rule.Check(context, new RuleReport(policy, rule, findings));
                }
            }
            if (policy.ReleaseRules.Count > 0)
            {
                ReleaseRulesAtAdmission(policy, context, skippedRules, findings);
            }
            if (!mutations)
            {
                continue;
            }
            foreach (var mutation in policy.Mutations.AsReadOnlySpan())
            {
                edits ??= new PodEdits(pod);
                budget.CheckBeforeMutation(mutation.Kind, policy.Name);
                mutation.Apply(context, edits, new MutationReport(policy, mutation.Kind, findings));
            }
        }

        var chart = recognition.IsAirflow ? ChartRecognizer.Recognize(owner, pod) : ChartRelease.Unknown;
        if (findings is not null && chart.Family != ChartFamily.Unknown)
        {
            AddValuesFixes(findings, chart);
        }
        return new Decision
        {
            Component = recognition.Component,
            Evidence = recognition.Evidence,
            Chart = chart,
            Findings = findings ?? (IReadOnlyList<Finding>)[],
            Patch = edits?.ToPatch() ?? [],
            Exceptions = exemptions ?? (IReadOnlyList<AppliedExemption>)[],
            PoliciesApplied = applied ?? (IReadOnlyList<string>)[],
        };
    }

    /// <summary>
    /// Checks a ConfigMap or Secret (airflow.cfg, a pod_template_file, an envFrom source) against the
    /// expression rules of policies that match its kind; other rules are about pods and do not apply.
    /// </summary>
    public static Decision EvaluateObject(System.Text.Json.JsonElement obj, string kind, ObjectMetadata metadata, PolicySet policies,
        Expressions.ExpressionRequest? request = null, EvaluationBudget budget = default)
    {
        List<Finding>? findings = null;
        List<AppliedExemption>? exemptions = null;
        List<string>? applied = null;
        Expressions.ExpressionVariables? variables = null;
        foreach (var policy in policies.Policies.AsReadOnlySpan())
        {
            if (!policy.Match.MatchesKind(kind) || !policy.Match.MatchesNamespace(metadata.Namespace) || !policy.Match.MatchesLabels(metadata.Labels))
            {
                continue;
            }
            var skipped = Exempted(policy, metadata.Namespace, metadata.Labels, ref exemptions, kind, metadata.Name);
            if (skipped is { Count: 0 })
            {
                continue;
            }
            (applied ??= []).Add(policy.Name);
            variables ??= new Expressions.ExpressionVariables(obj, request ?? Expressions.ExpressionRequest.Create(metadata.Namespace),
                () => Expressions.AirflowView.OfObject(kind, metadata.Namespace));
            foreach (var rule in policy.ObjectRules)
            {
                if (skipped is null || !skipped.Contains(rule.Name))
                {
                    budget.CheckBeforeRule(policy.Name, rule.Name);
                    rule.Check(variables, $"{kind} {(metadata.Namespace is { Length: > 0 } ns ? ns + "/" : "")}{metadata.Name}", "", kind, new RuleReport(policy, (Rule)rule, findings ??= []));
                }
            }
        }
        return new Decision
        {
            Component = AirflowComponent.NotAirflow,
            Evidence = kind,
            Findings = findings ?? (IReadOnlyList<Finding>)[],
            Patch = [],
            Exceptions = exemptions ?? (IReadOnlyList<AppliedExemption>)[],
            PoliciesApplied = applied ?? (IReadOnlyList<string>)[],
        };
    }

    /// <summary>Mutates a PersistentVolume object (FUSE mount options); PersistentVolumes are never denied.</summary>
    public static Decision Evaluate(PersistentVolumeInfo volume, PolicySet policies)
    {
        List<Finding>? findings = null;
        List<PatchOperation>? operations = null;
        List<AppliedExemption>? exemptions = null;
        List<string>? applied = null;
        foreach (var policy in policies.Policies.AsReadOnlySpan())
        {
            if (!policy.Match.PersistentVolumes || !policy.Match.MatchesLabels(volume.Labels) ||
                (volume.ClaimNamespace is not null && !policy.Match.MatchesNamespace(volume.ClaimNamespace)))
            {
                continue;
            }
            if (Exempted(policy, volume.ClaimNamespace, volume.Labels, ref exemptions, "PersistentVolume", volume.Name) is { Count: 0 })
            {
                continue;
            }
            (applied ??= []).Add(policy.Name);
            foreach (var mutation in policy.Mutations.AsReadOnlySpan())
            {
                if (mutation is IPersistentVolumeMutation persistentVolumes)
                {
                    persistentVolumes.ApplyToPersistentVolume(volume, policies.Drivers, operations ??= [], new MutationReport(policy, mutation.Kind, findings ??= []));
                }
            }
        }
        return new Decision
        {
            Component = AirflowComponent.NotAirflow,
            Evidence = "PersistentVolume",
            Findings = findings ?? (IReadOnlyList<Finding>)[],
            Patch = operations ?? (IReadOnlyList<PatchOperation>)[],
            Exceptions = exemptions ?? (IReadOnlyList<AppliedExemption>)[],
            PoliciesApplied = applied ?? (IReadOnlyList<string>)[],
        };
    }

    /// <summary>
    /// The release-wide rules over every claim a bundle's workloads mount: one decision per claim, with the policies
    /// whose release rules looked at it (each passes unless a finding names it). Each is located at the claim's
    /// declaration when the bundle has one, else at its first use.
    /// </summary>
    public static IReadOnlyList<ReleaseDecision> EvaluateRelease(PolicySet policies, ManifestClusterState bundle)
    {
        var decisions = new List<ReleaseDecision>();
        foreach (var usage in bundle.ClaimUsages())
        {
            List<Finding>? findings = null;
            List<AppliedExemption>? exemptions = null;
            List<string>? applied = null;
            foreach (var policy in policies.Policies.AsReadOnlySpan())
            {
                if (policy.ReleaseRules.Count == 0 || !policy.Match.Pods || !policy.Match.MatchesNamespace(usage.Namespace))
                {
                    continue;
                }
                var skipped = Exempted(policy, usage.Namespace, ObjectMetadata.NoEntries, ref exemptions, "PersistentVolumeClaim", usage.Claim);
                if (skipped is { Count: 0 })
                {
                    continue; // the whole policy is exempted
                }
                (applied ??= []).Add(policy.Name);
                foreach (var rule in policy.ReleaseRules)
                {
                    if (skipped is not null && skipped.Contains(rule.Name) || rule.Check(usage) is not { } values)
                    {
                        continue;
                    }
                    (findings ??= []).Add(ReleaseFinding(policy, rule, usage, values));
                }
            }
            if (applied is null && exemptions is null)
            {
                continue;
            }
            decisions.Add(new ReleaseDecision(usage.Namespace, usage.Claim, usage.DeclaredAt ?? usage.Uses.First, new Decision
            {
                Component = AirflowComponent.NotAirflow,
                Evidence = "release-wide",
                Findings = findings ?? (IReadOnlyList<Finding>)[],
                Exceptions = exemptions ?? (IReadOnlyList<AppliedExemption>)[],
                PoliciesApplied = applied ?? (IReadOnlyList<string>)[],
            }));
        }
        return decisions;
    }

    /// <summary>A release-wide rule's finding on a claim, in <c>check</c> and at admission alike; the values fix from the chart of the claim's writers when known.</summary>
    private static Finding ReleaseFinding(Policy policy, Rules.ReleaseRule rule, ClaimUsage usage, ReleaseValues values)
    {
        var remedy = rule.RemedyFor(usage);
        return new Finding(policy.Name, rule.Name, policy.Mode, FindingKind.Violation, rule.Message.Render(values))
        {
            Fix = rule.Fix?.Render(values),
            Remedy = remedy,
            Values = (usage.Uses.WriterChart ?? usage.Uses.Chart) is { } chart ? ChartFixes.For(remedy, chart) : null,
        };
    }

    /// <summary>
    /// The release-wide rules of <paramref name="policy"/> over the claims the pod shares with the running workloads of
    /// the cluster (<see cref="EvaluationContext.LiveClaimUsages"/>): a second workload writing a ReadWriteOnce claim, or
    /// a task pod whose user cannot write the scheduler's log folders, is warned when it is admitted.
    /// </summary>
    private static void ReleaseRulesAtAdmission(Policy policy, EvaluationContext context, HashSet<string>? skippedRules, List<Finding> findings)
    {
        var usages = context.LiveClaimUsages;
        if (usages.Count == 0)
        {
            return;
        }
        foreach (var rule in policy.ReleaseRules)
        {
            if (rule.NeedsWholeRelease || skippedRules?.Contains(rule.Name) == true)
            {
                continue;
            }
            foreach (var usage in usages)
            {
                if (rule.Check(usage) is { } values)
                {
                    findings.Add(ReleaseFinding(policy, rule, usage, values)); // the pod's own chart gives the values fix (AddValuesFixes)
                }
            }
        }
    }

    /// <summary>Gives every finding that states a remedy the values change of <paramref name="chart"/> that makes it (or why none can).</summary>
    private static void AddValuesFixes(List<Finding> findings, ChartRelease chart)
    {
        for (var i = 0; i < findings.Count; i++)
        {
            if (findings[i].Remedy is { } remedy && ChartFixes.For(remedy, chart) is { } values)
            {
                findings[i] = findings[i] with { Values = values };
            }
        }
    }

    /// <summary>
    /// Null when no exemption covers the object; an empty set when one covers the whole policy;
    /// otherwise the names of the exempted rules.
    /// </summary>
    private static HashSet<string>? Exempted(Policy policy, string? @namespace, IReadOnlyDictionary<string, string> labels, ref List<AppliedExemption>? applied,
        string? kind = null, string? name = null)
    {
        HashSet<string>? rules = null;
        foreach (var exemption in policy.Exceptions.AsReadOnlySpan())
        {
            if (!exemption.Covers(@namespace, labels, kind, name, DateTimeOffset.UtcNow))
            {
                continue;
            }
            (applied ??= []).Add(new AppliedExemption(policy.Name, exemption.Rules, exemption.Reason) { Source = exemption.Source });
            if (exemption.Rules.Count == 0)
            {
                return [];
            }
            rules ??= new HashSet<string>(StringComparer.Ordinal);
            rules.UnionWith(exemption.Rules);
        }
        return rules;
    }
}
