using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Secrets given as literal env values: SQL Alchemy connection strings with a password, the
/// Fernet key, <c>AIRFLOW_CONN_*</c> URIs with credentials (seed 004). They end up in every task
/// pod spec, in etcd in plain text, and in <c>kubectl get pod -o yaml</c>. The value itself never
/// appears in a message.
/// </summary>
public sealed class LiteralSecretRule : Rule
{
    public static readonly IReadOnlyCollection<string> Placeholders = ["env", "container", "component", "pod"];

    public static readonly IReadOnlyList<SecretEnvPattern> Defaults =
    [
        new(new Glob("*SQL_ALCHEMY_CONN*"), SecretCondition.Credentials),
        new(new Glob("*RESULT_BACKEND*"), SecretCondition.Credentials),
        new(new Glob("*BROKER_URL*"), SecretCondition.Credentials),
        new(new Glob("AIRFLOW_CONN_*"), SecretCondition.Credentials),
        new(new Glob("*FERNET_KEY*"), SecretCondition.Always),
        new(new Glob("*WEBSERVER__SECRET_KEY*"), SecretCondition.Always),
        new(new Glob("*API__SECRET_KEY*"), SecretCondition.Always),
        new(new Glob("*JWT_SECRET*"), SecretCondition.Always),
    ];

    public override string Kind => "forbidLiteralSecrets";

    public IReadOnlyList<SecretEnvPattern> Env { get; init; } = Defaults;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        foreach (var container in context.Pod.AllContainers)
        {
            foreach (var env in container.Env)
            {
                if (!env.IsLiteral || string.IsNullOrEmpty(env.Value) || !IsSecret(env))
                {
                    continue;
                }
                report.Violation(new MessageValues
                {
                    Env = env.Name,
                    Container = container.Name,
                    Component = context.Component.ToName(),
                    Pod = context.Pod.DisplayName,
                }, JsonPathText.FromPointer($"{container.Pointer}/env/{env.Index}"));
            }
        }
    }

    private bool IsSecret(EnvVarView env)
    {
        foreach (var pattern in Env)
        {
            if (pattern.Name.IsMatch(env.Name) && (pattern.When == SecretCondition.Always || HasCredentials(env.Value!)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True for "scheme://user:password@host…" and for Airflow's JSON connection form with a password.</summary>
    public static bool HasCredentials(string value)
    {
        var text = value.Trim();
        if (text.StartsWith('{'))
        {
            return JsonHasPassword(text);
        }
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return false;
        }
        var authorityStart = scheme + 3;
        var authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? text[authorityStart..] : text[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }
        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon < at - 1;
    }

    private static bool JsonHasPassword(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("password", out var password) &&
                   password.ValueKind == JsonValueKind.String && password.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

public enum SecretCondition
{
    /// <summary>Any literal value is a secret (Fernet key, secret keys).</summary>
    Always,

    /// <summary>A secret only when the value carries credentials (a URI with user:password@).</summary>
    Credentials,
}

public sealed record SecretEnvPattern(Glob Name, SecretCondition When);
