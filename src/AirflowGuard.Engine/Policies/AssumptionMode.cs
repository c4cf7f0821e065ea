namespace AirflowGuard.Engine.Policies;

/// <summary>
/// What rules do when a setting rests on an assumption (Airflow's defaults for an airflow.cfg that is
/// not in view): decide on it and say so in the finding, or report the rule as not checked.
/// </summary>
public enum AssumptionMode
{
    Accept,
    Warn,
}
