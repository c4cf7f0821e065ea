namespace AirflowGuard.Engine.Kubernetes;

public readonly record struct Lookup<T>(LookupStatus Status, T? Value, string? Reason)
    where T : class
{
    public static Lookup<T> Found(T value) => new(LookupStatus.Found, value, null);

    public static Lookup<T> Unknown(string reason) => new(LookupStatus.Unknown, null, reason);

    public static Lookup<T> NotFound(string reason) => new(LookupStatus.NotFound, null, reason);

    public bool IsFound => Status == LookupStatus.Found;
}
