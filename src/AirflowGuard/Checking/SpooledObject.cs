using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Checking;

/// <summary>One object as spooled: its compact JSON and where it was written.</summary>
internal sealed record SpooledObject(byte[] Json, string File, int Line, int Index, EmbeddedTemplate? EmbeddedIn, string? Kind);
