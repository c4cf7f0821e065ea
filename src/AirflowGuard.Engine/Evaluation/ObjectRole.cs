namespace AirflowGuard.Engine.Evaluation;

/// <summary>What AirflowGuard does with an object of a kind, decided once per object by <see cref="ObjectEvaluator.RoleOf"/>.</summary>
public enum ObjectRole
{
    /// <summary>Not checked: passed through untouched.</summary>
    Unchecked,

    /// <summary>A Pod, or a workload whose pod template is checked: validated and mutated.</summary>
    Pods,

    /// <summary>A PersistentVolume: repaired (FUSE mount options), never denied.</summary>
    PersistentVolume,

    /// <summary>A ConfigMap or Secret a policy's expression rules are about.</summary>
    ConfigObject,
}
