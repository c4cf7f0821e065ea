namespace AirflowGuard.Webhook.Tests.Support.Oracle;

/// <summary>What the thorough reader read of a request: its fields, and the object and old object as JSON text.</summary>
internal sealed record ThoroughRequest(string Uid, string Operation, string Kind, string? Namespace, string? Name, bool DryRun, string? Object, string? OldObject);
