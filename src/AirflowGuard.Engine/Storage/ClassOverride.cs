namespace AirflowGuard.Engine.Storage;

public sealed record ClassOverride(string Attribute, string Value, BackingClass Class);
