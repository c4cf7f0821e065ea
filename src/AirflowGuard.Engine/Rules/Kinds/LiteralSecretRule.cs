using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Secrets given as literal env values: SQL Alchemy connection strings with a password, the
/// Fernet key, <c>AIRFLOW_CONN_*</c> URIs with credentials (seed 004). They end up in every task
/// pod spec, in etcd in plain text, and in <c>kubectl get pod -o yaml</c>. The value itself never
/// appears in a message.
/// </summary>
internal sealed class LiteralSecretRule : PodRule
{

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

    internal static RuleKind Definition { get; } = new("forbidLiteralSecrets", "secrets written as literal env values or in envFrom ConfigMaps")
    {
        Placeholders = ["env", "container", "component", "pod"],
        DefaultMessage = "env {env} in container {container} holds a secret as a literal value; it is stored in plain text in the pod spec and copied to every task pod",
        DefaultFix = "put the value in a Secret and reference it with valueFrom.secretKeyRef (or use the _SECRET / _CMD variant of the option)",
        BodySchema = """
            {
              "oneOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "env": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "name"
                        ],
                        "properties": {
                          "name": {
                            "type": "string",
                            "minLength": 1
                          },
                          "when": {
                            "enum": [
                              "always",
                              "credentials"
                            ]
                          }
                        }
                      }
                    }
                  }
                }
              ]
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    public IReadOnlyList<SecretEnvPattern> Env { get; init; } = Defaults;

    // made on first use, from the patterns the rule ended up with (a race makes two, and one is kept)
    private GlobSet Names => field ??= new GlobSet(Env.Select(p => p.Name));

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        foreach (var container in context.Pod.AllContainers)
        {
            foreach (var env in container.Env.AsReadOnlySpan())
            {
                if (!env.IsLiteral || string.IsNullOrEmpty(env.Value) || !IsSecret(env.Name, env.Value))
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
            CheckConfigMapSources(context, container, report);
        }
    }

    /// <summary>
    /// A ConfigMap consumed through envFrom is plain text too (the old stable chart kept the metadata
    /// connection there). Only ConfigMaps in view are read; Secrets are where secrets belong.
    /// </summary>
    private void CheckConfigMapSources(EvaluationContext context, ContainerView container, RuleReport report)
    {
        for (var i = 0; i < container.EnvFrom.Count; i++)
        {
            var source = container.EnvFrom[i];
            if (source.Kind != EnvFromKind.ConfigMap || context.Cluster.GetConfigMap(context.Namespace, source.Name) is not { IsFound: true, Value: { } data })
            {
                continue;
            }
            foreach (var (key, value) in data.Data)
            {
                var name = (source.Prefix ?? "") + key;
                if (string.IsNullOrEmpty(value) || !IsSecret(name, value))
                {
                    continue;
                }
                report.Violation(new MessageValues
                {
                    Env = $"{name} (from ConfigMap {source.Name})",
                    Container = container.Name,
                    Component = context.Component.ToName(),
                    Pod = context.Pod.DisplayName,
                }, JsonPathText.FromPointer($"{container.Pointer}/envFrom/{i}"));
            }
        }
    }

    private bool IsSecret(string name, string value)
    {
        // most names match no pattern, which the prefilter (one lookup for a name seen before) tells first;
        // AIRFLOW__CORE__FERNET_KEY_CMD / _SECRET hold a command or a secrets-backend key, *_FILE a path: never the secret
        if (!Names.MayMatch(name) ||
            name.EndsWith("_CMD", StringComparison.Ordinal) || name.EndsWith("_SECRET", StringComparison.Ordinal) && !name.EndsWith("JWT_SECRET", StringComparison.Ordinal) ||
            name.EndsWith("_FILE", StringComparison.Ordinal))
        {
            return false;
        }
        var patterns = Env;
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Name.IsMatch(name) && (patterns[i].When == SecretCondition.Always || SecretText.HasCredentials(value)))
            {
                return true;
            }
        }
        return false;
    }

    private static LiteralSecretRule? Read(KindBody body)
    {
        var patterns = new List<SecretEnvPattern>();
        if (!body.IsEmpty)
        {
            var map = body.Map("env");
            if (map is null)
            {
                return null;
            }
            foreach (var node in map.List("env"))
            {
                var entry = body.Reader.Map(node, "an env pattern", "name", "when");
                if (entry?.String("name", required: true) is not { } pattern)
                {
                    continue;
                }
                var when = entry.String("when") ?? "always";
                if (when is not ("always" or "credentials"))
                {
                    body.Reader.Error(entry.Get("when")!, $"when must be always or credentials, found \"{when}\"");
                }
                patterns.Add(new SecretEnvPattern(new Glob(pattern), when == "credentials" ? SecretCondition.Credentials : SecretCondition.Always));
            }
        }
        return new LiteralSecretRule
        {
            Name = body.Name,
            Location = body.Location,
            Env = patterns.Count == 0 ? Defaults : patterns,
            Message = body.Message(),
            Fix = body.Fix(),
        };
    }
}
