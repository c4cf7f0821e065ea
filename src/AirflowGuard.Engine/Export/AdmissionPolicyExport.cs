using System.Text;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Export;

/// <summary>A rule or mutation the export leaves to the webhook, and why the API server cannot run it alone.</summary>
public sealed record LeftOutRule(string Policy, string Rule, string Reason);

/// <summary>
/// The part of a policy set the API server can run alone, as <c>admissionregistration.k8s.io/v1</c>
/// ValidatingAdmissionPolicy and Binding objects: one policy each, with the rules whose CEL reads nothing but
/// <c>object</c>, <c>oldObject</c> and <c>request</c>. The policy's scope is CEL as well, so the API server picks the
/// objects AirflowGuard picks: which component a pod is (<see cref="ComponentCel"/>, the recogniser's labels, images,
/// env and commands), its namespaces, labels and own exceptions, and the rule's components. Every other rule is
/// listed in <see cref="LeftOut"/> with the reason; built-in rule kinds give theirs (<see cref="RuleKind.ApiServerGap"/>).
/// </summary>
public sealed class AdmissionPolicyExport
{
    /// <summary>The kinds whose pods AirflowGuard checks, as the API server names their resources.</summary>
    private static readonly (string Group, string Resource, string Kind)[] PodResources =
    [
        ("", "pods", "Pod"), ("", "podtemplates", "PodTemplate"), ("", "replicationcontrollers", "ReplicationController"),
        ("apps", "deployments", "Deployment"), ("apps", "statefulsets", "StatefulSet"), ("apps", "daemonsets", "DaemonSet"),
        ("apps", "replicasets", "ReplicaSet"), ("batch", "jobs", "Job"), ("batch", "cronjobs", "CronJob"),
    ];

    private static readonly Dictionary<string, string> OtherResources = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = "configmaps",
        ["Secret"] = "secrets",
    };

    /// <summary>What a ValidatingAdmissionPolicy's expressions may name, all of unknown type until evaluated.</summary>
    internal static readonly CelEnvironment Environment = new CelEnvironment()
        .Declare("object", CelStaticType.Dyn)
        .Declare("oldObject", CelStaticType.Dyn)
        .Declare("request", CelStaticType.Dyn)
        .Declare("variables", CelStaticType.Dyn);

    private AdmissionPolicyExport(IReadOnlyList<JsonObject> objects, IReadOnlyList<LeftOutRule> leftOut, int exported)
    {
        Objects = objects;
        LeftOut = leftOut;
        Exported = exported;
    }

    /// <summary>The ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects, a pair per policy with a rule to run.</summary>
    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>Every rule and mutation not exported, in policy order.</summary>
    public IReadOnlyList<LeftOutRule> LeftOut { get; }

    /// <summary>How many rules the objects run.</summary>
    public int Exported { get; }

    public static AdmissionPolicyExport Of(PolicySet set)
    {
        var objects = new List<JsonObject>();
        var leftOut = new List<LeftOutRule>();
        var exported = 0;
        foreach (var policy in set.Policies)
        {
            var validations = new JsonArray();
            var policyGap = PolicyGap(policy);
            foreach (var rule in policy.Rules)
            {
                if ((policyGap ?? RuleGap(rule)) is { } reason)
                {
                    leftOut.Add(new LeftOutRule(policy.Name, rule.Name, reason));
                    continue;
                }
                validations.Add((JsonNode)Validation(policy, (ExpressionRule)rule));
            }
            foreach (var mutation in policy.Mutations)
            {
                leftOut.Add(new LeftOutRule(policy.Name, mutation.Kind,
                    "a mutation: a ValidatingAdmissionPolicy only admits or refuses, and the repair needs the airflow view"));
            }
            if (validations.Count == 0)
            {
                continue;
            }
            exported += validations.Count;
            objects.Add(Policy(policy, set.Recognition, validations));
            objects.Add(Binding(policy));
        }
        return new AdmissionPolicyExport(objects, leftOut, exported);
    }

    /// <summary>Why no rule of the policy can be exported; null when each rule decides for itself.</summary>
    private static string? PolicyGap(Policy policy)
    {
        if (policy.Match.PersistentVolumes)
        {
            return "the policy checks PersistentVolumes, whose pods and claims are other objects";
        }
        if (policy.Exceptions.Any(e => e.Expires is not null))
        {
            return "the policy has an exception that expires: the API server's CEL has no clock";
        }
        return null;
    }

    /// <summary>Why a rule cannot run in the API server alone; null when it can.</summary>
    private static string? RuleGap(Rule rule)
    {
        if (rule is not ExpressionRule expression)
        {
            return RuleKinds.Find(rule.Kind)?.ApiServerGap ?? $"a built-in {rule.Kind} rule: it needs the airflow view";
        }
        if (Compiles(expression.Expression.Text) is { } error)
        {
            return error.Contains("'airflow'", StringComparison.Ordinal)
                ? "the expression reads the airflow view (components, folders, settings, what backs each mount), which only AirflowGuard builds"
                : $"the expression does not compile without the airflow view: {error}";
        }
        return null;
    }

    /// <summary>The compile error of <paramref name="text"/> among the API server's variables; null when it compiles.</summary>
    internal static string? Compiles(string text)
    {
        try
        {
            Environment.Compile(text);
            return null;
        }
        catch (CelSyntaxException ex)
        {
            return ex.Message;
        }
    }

    private static JsonObject Validation(Policy policy, ExpressionRule rule)
    {
        var guard = new List<string> { "!variables.applies" };
        if (rule.Components.Count > 0 && policy.Match.Pods)
        {
            guard.Add($"!(variables.component in {List(rule.Components.Select(c => c.ToName()).Order(StringComparer.Ordinal))})");
        }
        foreach (var exemption in policy.Exceptions.Where(e => e.Rules.Count > 0 && e.CoversRule(rule.Name)))
        {
            guard.Add(Covers(exemption, policy.Match.Pods));
        }
        var messageExpression = rule.MessageExpression is { } written && Compiles(written.Text) is null
            ? $"{Quote($"{policy.Name}/{rule.Name}: ")} + ({written.Text})"
            : MessageExpression(policy, rule);
        return new JsonObject
        {
            ["expression"] = $"{string.Join(" || ", guard)} ||\n({rule.Expression.Text})",
            ["messageExpression"] = messageExpression,
            // the API server refuses a message with line breaks
            ["message"] = $"{policy.Name}/{rule.Name}: {rule.Message.Text}".ReplaceLineEndings(" "),
            ["reason"] = "Invalid",
        };
    }

    /// <summary>The rule's message template as CEL: its placeholders read from the object and the variables.</summary>
    private static string MessageExpression(Policy policy, Rule rule)
    {
        var parts = new List<string> { Quote($"{policy.Name}/{rule.Name}: ") };
        foreach (var (text, isPlaceholder) in rule.Message.Parts)
        {
            parts.Add(!isPlaceholder ? Quote(text) : text switch
            {
                "pod" => "object.kind + ' ' + request.namespace + '/' + (has(object.metadata.name) ? object.metadata.name : '(unnamed)')",
                "component" => policy.Match.Pods ? "variables.component" : "object.kind",
                "kind" => "object.kind",
                _ => Quote("{" + text + "}"),
            });
        }
        return string.Join(" + ", parts);
    }

    private static JsonObject Policy(Policy policy, RecognitionRules recognition, JsonArray validations)
    {
        var rules = new JsonArray();
        if (policy.Match.Pods)
        {
            foreach (var group in PodResources.GroupBy(r => r.Group))
            {
                rules.Add((JsonNode)ResourceRule(group.Key, [.. group.Select(r => r.Resource)]));
            }
        }
        var others = policy.Match.OtherKinds.Where(OtherResources.ContainsKey).Order(StringComparer.Ordinal).Select(k => OtherResources[k]).ToArray();
        if (others.Length > 0)
        {
            rules.Add((JsonNode)ResourceRule("", others));
        }
        var spec = new JsonObject
        {
            ["failurePolicy"] = policy.Mode == PolicyMode.Enforce ? "Fail" : "Ignore",
            ["matchConstraints"] = new JsonObject { ["resourceRules"] = rules },
        };
        if (NamespaceCondition(policy.Match) is { } namespaces)
        {
            spec["matchConditions"] = new JsonArray(new JsonObject { ["name"] = "namespaces", ["expression"] = namespaces });
        }
        var variables = new JsonArray();
        if (policy.Match.Pods)
        {
            foreach (var (name, expression) in ComponentCel.Variables(recognition))
            {
                variables.Add((JsonNode)new JsonObject { ["name"] = name, ["expression"] = expression });
            }
        }
        variables.Add((JsonNode)new JsonObject { ["name"] = "applies", ["expression"] = Applies(policy) });
        spec["variables"] = variables;
        spec["validations"] = validations;
        return new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = "ValidatingAdmissionPolicy",
            ["metadata"] = Metadata(policy),
            ["spec"] = spec,
        };
    }

    private static JsonObject Binding(Policy policy) => new()
    {
        ["apiVersion"] = "admissionregistration.k8s.io/v1",
        ["kind"] = "ValidatingAdmissionPolicyBinding",
        ["metadata"] = Metadata(policy),
        ["spec"] = new JsonObject
        {
            ["policyName"] = Name(policy),
            ["validationActions"] = new JsonArray(policy.Mode switch
            {
                PolicyMode.Enforce => "Deny",
                PolicyMode.Warn => "Warn",
                _ => "Audit",
            }),
        },
    };

    private static JsonObject Metadata(Policy policy)
    {
        var metadata = new JsonObject
        {
            ["name"] = Name(policy),
            ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "airflowguard", ["airflowguard.dev/policy"] = policy.Name },
        };
        if (policy.Description is { Length: > 0 } description)
        {
            metadata["annotations"] = new JsonObject { ["airflowguard.dev/description"] = description };
        }
        return metadata;
    }

    private static string Name(Policy policy) => $"airflowguard-{policy.Name}";

    private static JsonObject ResourceRule(string group, string[] resources) => new()
    {
        ["apiGroups"] = new JsonArray(group),
        ["apiVersions"] = new JsonArray("*"),
        ["operations"] = new JsonArray("CREATE", "UPDATE"),
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
    };

    /// <summary>The policy's namespaces and excluded namespaces, as a match condition; null when it has neither.</summary>
    private static string? NamespaceCondition(PolicyMatch match)
    {
        var terms = new List<string>();
        if (match.Namespaces.Count > 0)
        {
            terms.Add(AnyGlob("request.namespace", match.Namespaces));
        }
        if (match.ExcludeNamespaces.Count > 0)
        {
            terms.Add($"!({AnyGlob("request.namespace", match.ExcludeNamespaces)})");
        }
        return terms.Count == 0 ? null : string.Join(" && ", terms);
    }

    /// <summary>
    /// Whether the policy applies to the object beyond its namespaces: a pod of one of its components with its labels,
    /// or another kind it checks with its labels; and no exception of its own covering the whole policy.
    /// </summary>
    private static string Applies(Policy policy)
    {
        var match = policy.Match;
        var kinds = new List<string>();
        if (match.Pods)
        {
            var components = match.Components.Count > 0
                ? match.Components.Select(c => c.ToName())
                : Enum.GetValues<AirflowComponent>().Where(match.MatchesComponent).Select(c => c.ToName());
            kinds.Add(string.Join(" && ", new[] { $"object.kind in {List(PodResources.Select(r => r.Kind))}", $"variables.component in {List(components.Order(StringComparer.Ordinal))}" }
                .Concat(Labels("variables.labels", match.Labels))));
        }
        var others = match.OtherKinds.Where(OtherResources.ContainsKey).Order(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            kinds.Add(string.Join(" && ", new[] { $"object.kind in {List(others)}" }.Concat(Labels(ObjectLabels, match.Labels))));
        }
        var applies = kinds.Count == 1 ? kinds[0] : string.Join(" || ", kinds.Select(k => $"({k})"));
        var whole = policy.Exceptions.Where(e => e.Rules.Count == 0).Select(e => Covers(e, match.Pods)).ToList();
        return whole.Count == 0 ? applies : $"({applies}) && !({string.Join(" || ", whole)})";
    }

    private const string ObjectLabels = "(has(object.metadata.labels) ? object.metadata.labels : {})";

    /// <summary>Whether an exception covers the object: its namespaces, labels (the pod's, for pods), kinds and names.</summary>
    private static string Covers(PolicyExemption exemption, bool pods)
    {
        var terms = new List<string>();
        if (exemption.Namespaces.Count > 0)
        {
            terms.Add(AnyGlob("request.namespace", exemption.Namespaces));
        }
        terms.AddRange(Labels(pods ? $"(object.kind in {List(OtherResources.Keys.Order(StringComparer.Ordinal))} ? {ObjectLabels} : variables.labels)" : ObjectLabels, exemption.Labels));
        if (exemption.Kinds.Count > 0)
        {
            terms.Add($"object.kind in {List(exemption.Kinds)}");
        }
        if (exemption.Names.Count > 0)
        {
            terms.Add(AnyGlob("(has(object.metadata.name) ? object.metadata.name : '')", exemption.Names));
        }
        return terms.Count == 0 ? "true" : $"({string.Join(" && ", terms)})";
    }

    private static IEnumerable<string> Labels(string labels, IReadOnlyDictionary<string, Glob> selector) =>
        selector.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"({Quote(s.Key)} in {labels} && {GlobTest($"{labels}[{Quote(s.Key)}]", s.Value)})");

    private static string AnyGlob(string text, IReadOnlyList<Glob> globs) =>
        globs.Count == 1 ? GlobTest(text, globs[0]) : $"({string.Join(" || ", globs.Select(g => GlobTest(text, g)))})";

    /// <summary>A glob as CEL: an equality for a plain word, a regular expression otherwise.</summary>
    internal static string GlobTest(string text, Glob glob) =>
        glob.Pattern.AsSpan().IndexOfAny('*', '?') < 0 ? $"{text} == {Quote(glob.Pattern)}" : $"{text}.matches({Quote(GlobRegex(glob.Pattern))})";

    /// <summary>A glob as an anchored RE2 expression: <c>*</c> any run, <c>?</c> one character, everything else itself.</summary>
    internal static string GlobRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ when "\\.^$|+()[]{}".Contains(c, StringComparison.Ordinal) => "\\" + c,
                _ => c.ToString(),
            });
        }
        return regex.Append('$').ToString();
    }

    /// <summary>A CEL string literal.</summary>
    internal static string Quote(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

    internal static string List(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(Quote))}]";
}
