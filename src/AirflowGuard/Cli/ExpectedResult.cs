using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli;

/// <summary>What a PolicyTest expects of one resource: the result of a policy (or one of its rules), or its patched form.</summary>
internal sealed record ExpectedResult(string Resource, string? Policy, string? Rule, string? Result, string? PatchedResource, SourceLocation Location);
