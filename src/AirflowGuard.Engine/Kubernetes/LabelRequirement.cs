namespace AirflowGuard.Engine.Kubernetes;

/// <summary>One matchExpressions entry: key, operator (In, NotIn, Exists, DoesNotExist) and values.</summary>
public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values);
