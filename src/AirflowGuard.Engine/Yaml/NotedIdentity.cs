namespace AirflowGuard.Engine.Yaml;

/// <summary>What reports name an object by, read with it: each field as a JSON lookup of a string gives it, or null.</summary>
public sealed record NotedIdentity(string? ApiVersion, string? Namespace, string? Name);
