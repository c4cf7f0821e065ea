namespace AirflowGuard.Engine.Airflow;

/// <summary>The component of a pod and why AirflowGuard thinks so.</summary>
internal readonly record struct Recognition(AirflowComponent Component, string Evidence)
{
    public bool IsAirflow => Component != AirflowComponent.NotAirflow;
}
