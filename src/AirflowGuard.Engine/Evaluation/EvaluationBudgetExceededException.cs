namespace AirflowGuard.Engine.Evaluation;

/// <summary>Thrown when evaluating one object takes longer than its budget; the host answers per its failure mode.</summary>
public sealed class EvaluationBudgetExceededException(string message) : Exception(message);
