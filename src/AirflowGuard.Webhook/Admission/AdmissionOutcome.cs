namespace AirflowGuard.Webhook.Admission;

/// <summary>The HTTP answer to one admission call, and what the log line and metrics say about it.</summary>
public sealed record AdmissionOutcome(int StatusCode, string ContentType, byte[] Body)
{
    public const string JsonContentType = "application/json";

    /// <summary>allowed, warned, denied, patched, error, bad-request or not-ready.</summary>
    public required string Decision { get; init; }

    public string? Uid { get; init; }
    public string Operation { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string Component { get; init; } = "";
    public IReadOnlyList<string> Rules { get; init; } = [];
    public bool DryRun { get; init; }

    /// <summary>For a 400: the problem's short name ("missing-uid", "too-deep").</summary>
    public string? ProblemReason { get; init; }

    /// <summary>Refused before it was read: every admission slot stayed busy.</summary>
    public static AdmissionOutcome Overloaded(string detail) => new(
        429, Problem.ContentType, Problem.Write(429, "AirflowGuard is at capacity", detail, null, "overloaded"))
    {
        Decision = "overloaded",
        ProblemReason = "overloaded",
    };

    /// <summary>The client did not send its body in time.</summary>
    public static AdmissionOutcome BodyTimeout(string detail) => new(
        408, Problem.ContentType, Problem.Write(408, "request body too slow", detail, null, "body-timeout"))
    {
        Decision = "bad-request",
        ProblemReason = "body-timeout",
    };

    public static AdmissionOutcome BadRequest(BadAdmissionRequest problem) => new(
        400, Problem.ContentType, Problem.Write(400, "not an AdmissionReview AirflowGuard can answer", problem.Detail, problem.Path, problem.Reason))
    {
        Decision = "bad-request",
        ProblemReason = problem.Reason,
    };
}
