namespace AirflowGuard.Reports;

/// <summary>A JUnit test suite: its cases, how many failed, and (when the format wants it said) how many errored.</summary>
internal sealed record JunitSuite(string Name, IReadOnlyList<JunitCase> Cases, int Failures)
{
    /// <summary>The <c>errors</c> attribute, written when not null.</summary>
    public int? Errors { get; init; }
}
