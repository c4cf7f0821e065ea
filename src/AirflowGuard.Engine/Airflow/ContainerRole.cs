namespace AirflowGuard.Engine.Airflow;

/// <summary>What a container in an Airflow pod does. Mutations aimed at Airflow touch only <see cref="Airflow"/>.</summary>
public enum ContainerRole
{
    /// <summary>Runs Airflow: reads DAGs, writes task logs.</summary>
    Airflow,

    /// <summary>Runs git-sync (or a clone script) that writes DAGs into a volume.</summary>
    GitSync,

    /// <summary>Anything else: proxies, log shippers, the XCom sidecar, the log groomer.</summary>
    Sidecar,
}
