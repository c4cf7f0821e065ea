namespace AirflowGuard.Engine.Mutations;

/// <summary>How a mutation picks its containers: Airflow's, all, or by name.</summary>
internal enum ContainerTargetKind
{
    Airflow,
    All,
    Named,
}
