using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Airflow;

/// <summary>
/// The options Airflow's configuration reference marks sensitive (<c>sensitive: true</c> in airflow-core's config.yml and
/// in the providers' provider.yaml, read at apache/airflow 2.10 and 3.1), with the older places Airflow still reads some
/// of them from. Airflow masks them in its UI and logs and reads each also from <c>_CMD</c> and <c>_SECRET</c> variants;
/// a literal value of one in the pod spec or in a ConfigMap's airflow.cfg is a secret in plain text.
/// </summary>
internal static class SensitiveOptions
{
    /// <summary>Each option: its section and key, and when a literal value of it is a secret.</summary>
    public static readonly IReadOnlyList<(string Section, string Key, SecretCondition When)> All =
    [
        ("core", "fernet_key", SecretCondition.Always),
        ("core", "internal_api_secret_key", SecretCondition.Always),
        ("core", "dataset_manager_kwargs", SecretCondition.Credentials),
        ("core", "asset_manager_kwargs", SecretCondition.Credentials),
        ("database", "sql_alchemy_conn", SecretCondition.Credentials),
        ("core", "sql_alchemy_conn", SecretCondition.Credentials), // before Airflow 2.3
        ("database", "sql_alchemy_conn_async", SecretCondition.Credentials),
        ("database", "sql_alchemy_engine_args", SecretCondition.Credentials),
        ("logging", "remote_task_handler_kwargs", SecretCondition.Credentials),
        ("secrets", "backend_kwargs", SecretCondition.Credentials),
        ("workers", "secrets_backend_kwargs", SecretCondition.Credentials),
        ("webserver", "secret_key", SecretCondition.Always),
        ("api", "secret_key", SecretCondition.Always),
        ("api_auth", "jwt_secret", SecretCondition.Always),
        ("sentry", "sentry_dsn", SecretCondition.Always),
        ("smtp", "smtp_password", SecretCondition.Always),
        ("celery", "broker_url", SecretCondition.Credentials),
        ("celery", "result_backend", SecretCondition.Credentials),
        ("celery", "celery_result_backend", SecretCondition.Credentials), // before Airflow 1.10.8
        ("celery", "flower_basic_auth", SecretCondition.Always),
        ("celery_broker_transport_options", "sentinel_kwargs", SecretCondition.Credentials),
        ("celery_result_backend_transport_options", "sentinel_kwargs", SecretCondition.Credentials),
        ("keycloak_auth_manager", "client_secret", SecretCondition.Always),
        ("opensearch", "password", SecretCondition.Always),
        ("atlas", "password", SecretCondition.Always), // Airflow 1.10
        ("ldap", "bind_password", SecretCondition.Always), // Airflow 1.10
    ];

    /// <summary>The env var that sets an option: AIRFLOW__SECTION__KEY.</summary>
    public static string EnvName(string section, string key) => $"AIRFLOW__{section.ToUpperInvariant()}__{key.ToUpperInvariant()}";
}
