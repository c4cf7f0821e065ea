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

/// <summary>
/// A set of components as one bit each: what the engine tests for every policy and rule on every pod, where the set's
/// own <c>Contains</c> is two interface calls and a hash.
/// </summary>
internal static class ComponentMask
{
    /// <summary>The bits of <paramref name="components"/>; 0 for none.</summary>
    public static uint Of(IReadOnlySet<AirflowComponent> components)
    {
        var mask = 0u;
        foreach (var component in components)
        {
            mask |= Bit(component);
        }
        return mask;
    }

    /// <summary>The component's bit; every component has one of its own while there are at most 32 (a test checks).</summary>
    public static uint Bit(AirflowComponent component) => 1u << (int)component;
}
