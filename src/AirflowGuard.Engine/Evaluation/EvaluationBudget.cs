using System.Diagnostics;

namespace AirflowGuard.Engine.Evaluation;

/// <summary>Thrown when evaluating one object takes longer than its budget; the host answers per its failure mode.</summary>
public sealed class EvaluationBudgetExceededException(string message) : Exception(message);

/// <summary>
/// How long one object's evaluation may take. Checked between rules and mutations, so a pathological
/// object stops at the next step past its deadline instead of holding a request thread until the API
/// server gives up on the webhook.
/// </summary>
public readonly struct EvaluationBudget
{
    private readonly long _deadline;
    private readonly TimeSpan _limit;

    private EvaluationBudget(TimeSpan limit)
    {
        _limit = limit;
        _deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>No limit (the CLI: a slow check is better than none).</summary>
    public static EvaluationBudget Unlimited => default;

    public static EvaluationBudget StartingNow(TimeSpan limit) => new(limit);

    /// <exception cref="EvaluationBudgetExceededException">The deadline has passed.</exception>
    public void Check(string next)
    {
        if (_deadline != 0 && Stopwatch.GetTimestamp() > _deadline)
        {
            throw new EvaluationBudgetExceededException($"evaluation took longer than its budget of {_limit.TotalMilliseconds:0} ms (stopped before {next})");
        }
    }
}
