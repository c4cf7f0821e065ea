namespace AirflowGuard.Reports;

/// <summary>One failure of a JUnit test case: its type (when there is one), a one-line message and the full text.</summary>
internal sealed record JunitFailure(string? Type, string Message, string Text);
