namespace AirflowGuard.Engine.Airflow;

/// <summary>What an Airflow pod is for. Policies match on these names.</summary>
public enum AirflowComponent
{
    NotAirflow,
    Scheduler,
    Webserver,
    ApiServer,
    Worker,
    Triggerer,
    DagProcessor,

    /// <summary>A KubernetesExecutor task pod (one pod per task try).</summary>
    Task,

    /// <summary>A KubernetesPodOperator (or Spark/Ray operator) pod: a user workload, not an Airflow runtime pod.</summary>
    PodOperator,

    /// <summary>Part of an Airflow release that runs no Airflow code on DAGs or logs: flower, statsd, pgbouncer, redis.</summary>
    Other,
}
