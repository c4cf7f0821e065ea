namespace AirflowGuard.Engine.Rules;

/// <summary>When a literal env value matching a pattern is a secret.</summary>
internal enum SecretCondition
{
    /// <summary>Any literal value is a secret (Fernet key, secret keys).</summary>
    Always,

    /// <summary>A secret only when the value carries credentials (a URI with user:password@).</summary>
    Credentials,
}
