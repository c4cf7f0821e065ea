namespace AirflowGuard.Engine.Airflow;

/// <summary>Pods whose labels match all of <see cref="Labels"/> are <see cref="Component"/>.</summary>
public sealed record ComponentSelector(AirflowComponent Component, IReadOnlyDictionary<string, Glob> Labels, string Source);
