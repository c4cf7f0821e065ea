using System.Diagnostics;

namespace AirflowGuard.Engine.Evaluation;

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

    /// <exception cref="EvaluationBudgetExceededException">The deadline has passed before rule <paramref name="rule"/> of <paramref name="policy"/>.</exception>
    public void CheckBeforeRule(string policy, string rule)
    {
        if (Spent)
        {
            throw Exceeded($"rule {policy}/{rule}");
        }
    }

    /// <exception cref="EvaluationBudgetExceededException">The deadline has passed before a <paramref name="kind"/> mutation of <paramref name="policy"/>.</exception>
    public void CheckBeforeMutation(string kind, string policy)
    {
        if (Spent)
        {
            throw Exceeded($"mutation {kind} of policy {policy}");
        }
    }

    // the step's name is formatted only when the budget is spent: checks run before every rule of every request
    private bool Spent => _deadline != 0 && Stopwatch.GetTimestamp() > _deadline;

    private EvaluationBudgetExceededException Exceeded(string next) =>
        new($"evaluation took longer than its budget of {_limit.TotalMilliseconds:0} ms (stopped before {next})");
}
