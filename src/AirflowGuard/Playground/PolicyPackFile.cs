namespace AirflowGuard.Playground;

/// <summary>One policy file inside the playground's policy editor, and the editor line it starts on.</summary>
internal sealed record PolicyPackFile(string File, string Text, int FirstLine);
