using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions), as a claim's spec.selector.</summary>
public sealed record KubeLabelSelector(IReadOnlyDictionary<string, string> MatchLabels, IReadOnlyList<LabelRequirement> MatchExpressions)
{
    /// <summary>The selector at <paramref name="property"/>, or null when there is none.</summary>
    public static KubeLabelSelector? Read(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (Object(parent, property, path, errors) is not { } selector)
        {
            return null;
        }
        var selectorPath = path.Child(Name(property));
        var requirements = new List<LabelRequirement>();
        if (Array(selector, "matchExpressions"u8, selectorPath, errors) is { } expressions)
        {
            var index = 0;
            foreach (var expression in expressions.EnumerateArray())
            {
                var at = selectorPath.Child("matchExpressions").Index(index++);
                if (expression.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(at, "expected an object");
                    continue;
                }
                var key = String(expression, "key"u8, at, errors);
                var op = String(expression, "operator"u8, at, errors);
                if (key is null || op is not ("In" or "NotIn" or "Exists" or "DoesNotExist"))
                {
                    errors.Add(at, "a match expression needs a key and an operator In, NotIn, Exists or DoesNotExist");
                    continue;
                }
                requirements.Add(new LabelRequirement(key, op, StringList(expression, "values"u8, at, errors)));
            }
        }
        return new KubeLabelSelector(StringMap(selector, "matchLabels"u8, selectorPath, errors), requirements);
    }

    /// <summary>As the API server matches: every label and every expression (an empty selector matches everything).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        foreach (var requirement in MatchExpressions)
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var ok = requirement.Operator switch
            {
                "In" => has && requirement.Values.Contains(actual!),
                "NotIn" => !has || !requirement.Values.Contains(actual!),
                "Exists" => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString() =>
        string.Join(",", MatchLabels.Select(l => $"{l.Key}={l.Value}").Concat(MatchExpressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})")));
}
