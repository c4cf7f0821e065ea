namespace AirflowGuard.Reports;

/// <summary>One JUnit test case, its failures and what it printed.</summary>
internal sealed record JunitCase(string ClassName, string Name, IReadOnlyList<JunitFailure> Failures, string? SystemOut = null);
