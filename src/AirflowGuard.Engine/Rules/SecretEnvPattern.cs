using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Rules;

/// <summary>Env var names (a glob) whose literal values are secrets, always or when they carry credentials.</summary>
internal sealed record SecretEnvPattern(Glob Name, SecretCondition When);
