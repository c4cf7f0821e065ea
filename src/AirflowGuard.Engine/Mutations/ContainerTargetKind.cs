namespace AirflowGuard.Engine.Mutations;

/// <summary>How a mutation picks its containers: Airflow's, all, or by name.</summary>
public enum ContainerTargetKind
{
    Airflow,
    All,
    Named,
}
