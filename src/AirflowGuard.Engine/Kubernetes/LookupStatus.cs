namespace AirflowGuard.Engine.Kubernetes;

public enum LookupStatus
{
    Found,

    /// <summary>The object does not exist where AirflowGuard can see everything.</summary>
    NotFound,

    /// <summary>AirflowGuard cannot tell: not in the bundle, not readable, cache cold.</summary>
    Unknown,
}
