using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// Secrets given in plain text: SQL Alchemy connection strings with a password, the Fernet key, <c>AIRFLOW_CONN_*</c> URIs
/// with credentials (seed 004), every option Airflow's configuration reference marks sensitive — as literal env values,
/// in ConfigMaps consumed through envFrom, or in a ConfigMap's airflow.cfg — and, when asked, env vars whose names
/// Airflow's secrets masker treats as secrets. They end up in every task pod spec, in etcd in plain text, and in
/// <c>kubectl get pod -o yaml</c>. A value is judged as the kubelet expands it: <c>$(VAR)</c> references to variables
/// from a Secret add nothing a reader of the spec can see. The value itself never appears in a message.
/// </summary>
internal sealed class LiteralSecretRule : PodRule
{
    /// <summary>The names this rule knows by default: Airflow's connection and broker URLs, and its sensitive options.</summary>
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
        .. SensitiveOptions.All.Select(o => new SecretEnvPattern(new Glob(SensitiveOptions.EnvName(o.Section, o.Key)), o.When)),
    ];

    /// <summary>The built-in sets of names a rule can ask for with <c>names</c>.</summary>
    private static readonly string[] NameSets = ["airflow-options", "secret-words"];

    internal static RuleKind Definition { get; } = new("forbidLiteralSecrets", "secrets written as literal env values or in envFrom ConfigMaps")
    {
        ApiServerGap = "it reads the ConfigMaps a container takes env and airflow.cfg from (other objects), expands $(VAR) references and judges connection URIs as Airflow parses them",
        Placeholders = ["env", "container", "component", "pod"],
        DefaultMessage = "{env} in container {container} holds a secret as a literal value; it is stored in plain text in the pod spec and copied to every task pod",
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
                    "names": {
                      "description": "built-in names: airflow-options (Airflow's sensitive options and connection URLs, in env, envFrom ConfigMaps and airflow.cfg) and secret-words (env vars whose names Airflow's secrets masker hides, in Airflow containers)",
                      "type": "array",
                      "items": {
                        "enum": [
                          "airflow-options",
                          "secret-words"
                        ]
                      }
                    },
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

    /// <summary>Also env vars of Airflow containers whose names Airflow's secrets masker hides (<see cref="SecretWords"/>).</summary>
    public bool SecretWordNames { get; init; }

    /// <summary>Also Airflow's sensitive options written in the airflow.cfg a container mounts.</summary>
    public bool AirflowConfig { get; init; } = true;

    // made on first use, from the patterns the rule ended up with (a race makes two, and one is kept)
    private GlobSet Names => field ??= new GlobSet(Env.Select(p => p.Name));

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var configFiles = default(FewNames);
        foreach (var container in context.Pod.AllContainers)
        {
            var airflow = context.RoleOf(container) == ContainerRole.Airflow;
            foreach (var env in container.Env.AsReadOnlySpan())
            {
                // the name first: most names are no secret's, and the value is expanded only for those that are
                if (!env.IsLiteral || string.IsNullOrEmpty(env.Value) || SecretName(env.Name, airflow) is not { } condition ||
                    !IsSecretValue(condition, EnvExpansion.LiteralText(container, env)))
                {
                    continue;
                }
                report.Violation(Values($"env {env.Name}", container, context), JsonPlace.Of(container, "env", env.Index),
                    remedy: Remedy(env.Name, SecretPlace.Env));
            }
            CheckConfigMapSources(context, container, airflow, report);
            if (airflow && AirflowConfig)
            {
                CheckConfigFile(context, container, report, ref configFiles);
            }
        }
    }

    /// <summary>The remedy for a plain-text env var: an Airflow option (AIRFLOW__SECTION__KEY) is named with its section and key.</summary>
    private static SecretRemedy Remedy(string name, SecretPlace place)
    {
        var parts = name.Split("__");
        return parts.Length == 3 && parts[0] == "AIRFLOW"
            ? new SecretRemedy(name, parts[1].ToLowerInvariant(), parts[2].ToLowerInvariant(), place)
            : new SecretRemedy(name, null, null, place);
    }

    private static MessageValues Values(string what, ContainerView container, EvaluationContext context) => new()
    {
        Env = what,
        Container = container.Name,
        Component = context.Component.ToName(),
        Pod = context.Pod.DisplayName,
    };

    /// <summary>
    /// A ConfigMap consumed through envFrom is plain text too (the old stable chart kept the metadata
    /// connection there). Only ConfigMaps in view are read; Secrets are where secrets belong. A key the container's
    /// env list sets again is left alone, as the kubelet leaves it (the stable chart's default Fernet key, overridden
    /// from a Secret through airflow.extraEnv).
    /// </summary>
    private void CheckConfigMapSources(EvaluationContext context, ContainerView container, bool airflow, RuleReport report)
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
                if (string.IsNullOrEmpty(value) || container.FindEnv(name) is not null || SecretName(name, airflow) is not { } condition || !IsSecretValue(condition, value))
                {
                    continue; // a var of the container's env list wins over envFrom: the ConfigMap's value is never used
                }
                report.Violation(Values($"env {name} (from ConfigMap {source.Name})", container, context), JsonPlace.Of(container, "envFrom", i),
                    remedy: Remedy(name, SecretPlace.EnvFromConfigMap));
            }
        }
    }

    /// <summary>Airflow's sensitive options written in the airflow.cfg an Airflow container mounts, once per file and pod.</summary>
    private void CheckConfigFile(EvaluationContext context, ContainerView container, RuleReport report, ref FewNames seen)
    {
        if (context.SettingsOf(container).ConfigFileRead is not { } file || !seen.Add(file.Place))
        {
            return;
        }
        foreach (var (section, key, value, when) in file.Cfg.SensitiveValues)
        {
            if (when == SecretCondition.Always || SecretText.HasCredentials(value))
            {
                report.Violation(Values($"[{section}] {key} in {file.Place}", container, context), JsonPlace.Of(container),
                    remedy: new SecretRemedy($"AIRFLOW__{section.ToUpperInvariant()}__{key.ToUpperInvariant()}", section, key, SecretPlace.AirflowCfg));
            }
        }
    }

    /// <summary>
    /// Whether an env var named <paramref name="name"/> may hold a secret, and when its value is one: a name the rule knows
    /// (or, in an Airflow container, one the secrets masker hides: <see cref="SecretCondition.Always"/>); null for any
    /// other. <c>_CMD</c> and <c>_SECRET</c> variants of a known name hold a command or a secrets-backend key, and
    /// <c>_FILE</c> names a path: never the secret.
    /// </summary>
    private SecretCondition? SecretName(string name, bool airflowContainer)
    {
        if (name.EndsWith("_FILE", StringComparison.Ordinal))
        {
            return null;
        }
        if (Known(name) is { } known)
        {
            return known;
        }
        return SecretWordNames && airflowContainer && IsSecretWordName(name) ? SecretCondition.Always : null;
    }

    /// <summary>Whether the value (as the kubelet expands it) of a secret's name is a secret: never when blank, else always or when it carries credentials.</summary>
    private static bool IsSecretValue(SecretCondition condition, string value) =>
        !value.AsSpan().Trim().IsEmpty && (condition == SecretCondition.Always || SecretText.HasCredentials(value));

    /// <summary>When a value under <paramref name="name"/> is a secret, by the rule's patterns; null for a name they do not know, or for a variant of one.</summary>
    private SecretCondition? Known(string name)
    {
        // most names match no pattern, which the prefilter (one lookup for a name seen before) tells first
        if (!Names.MayMatch(name) || (VariantStem(name) is var stem and >= 0 && Match(name[..stem]) is not null))
        {
            return null;
        }
        return Match(name);
    }

    private SecretCondition? Match(string name)
    {
        var patterns = Env;
        SecretCondition? found = null;
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].Name.IsMatch(name))
            {
                if (patterns[i].When == SecretCondition.Always)
                {
                    return SecretCondition.Always;
                }
                found = SecretCondition.Credentials;
            }
        }
        return found;
    }

    /// <summary>
    /// For X_CMD or X_SECRET, the length of X: when X is itself a secret's name, the variant holds the command that prints
    /// it or its key in a secrets backend, not the secret. -1 for any other name.
    /// </summary>
    private static int VariantStem(string name) =>
        name.EndsWith("_CMD", StringComparison.Ordinal) ? name.Length - 4
        : name.EndsWith("_SECRET", StringComparison.Ordinal) ? name.Length - 7
        : -1;

    /// <summary>A name the secrets masker hides, that is not an Airflow option or connection (those are the options' business).</summary>
    private static bool IsSecretWordName(string name) =>
        !name.StartsWith("AIRFLOW__", StringComparison.Ordinal) && !name.StartsWith("AIRFLOW_CONN_", StringComparison.Ordinal) &&
        SecretWords.In(name) && !(VariantStem(name) is var stem and >= 0 && SecretWords.In(name.AsSpan(0, stem)));

    private static LiteralSecretRule? Read(KindBody body)
    {
        var patterns = new List<SecretEnvPattern>();
        List<string>? sets = null;
        if (!body.IsEmpty)
        {
            var map = body.Map("names", "env");
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
            if (map.Has("names"))
            {
                sets = [];
                foreach (var (set, node) in map.StringList("names"))
                {
                    if (Array.IndexOf(NameSets, set) < 0)
                    {
                        var suggestion = Policies.NameSuggestion.Closest(set, NameSets);
                        body.Reader.Error(node, $"names may be {string.Join(" or ", NameSets)}, found \"{set}\"" + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?"));
                        continue;
                    }
                    sets.Add(set);
                }
            }
        }
        // no names and no env: the defaults; env alone: those patterns only (as before names existed)
        var options = sets?.Contains("airflow-options") ?? patterns.Count == 0;
        return new LiteralSecretRule
        {
            Name = body.Name,
            Location = body.Location,
            Env = [.. options ? Defaults : [], .. patterns],
            SecretWordNames = sets?.Contains("secret-words") ?? false,
            AirflowConfig = options,
            Message = body.Message(),
            Fix = body.Fix(),
        };
    }
}
