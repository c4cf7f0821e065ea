namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A compiled expression or sub-expression: a closure over the activation.</summary>
internal delegate CelValue CelEval(CelActivation activation);
