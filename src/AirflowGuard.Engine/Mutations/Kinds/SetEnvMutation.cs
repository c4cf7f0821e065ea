using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Sets env vars on the target containers (Airflow containers by default, never sidecars), under
/// the name the container's Airflow version reads. Without <see cref="Overwrite"/>, a variable the
/// container already sets — in env, through envFrom, or for an Airflow option in the airflow.cfg it
/// mounts with a value other than Airflow's default — is left alone, because env beats airflow.cfg
/// and injecting would silently override the chart's configuration. A config file that only restates
/// a default (the official chart's <c>remote_logging = False</c>) configures nothing, and the repair wins.
/// </summary>
internal sealed class SetEnvMutation : Mutation
{
    internal static MutationKind Definition { get; } = new("setEnv", "sets env vars on the target containers (Airflow containers by default)")
    {
        BodySchema = """
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "values"
              ],
              "not": {
                "required": [
                  "target",
                  "containers"
                ]
              },
              "properties": {
                "target": {
                  "$ref": "#/definitions/containerTarget/target"
                },
                "containers": {
                  "$ref": "#/definitions/stringList"
                },
                "includeInitContainers": {
                  "type": "boolean"
                },
                "overwrite": {
                  "type": "boolean"
                },
                "values": {
                  "type": "object",
                  "minProperties": 1,
                  "additionalProperties": {
                    "oneOf": [
                      {
                        "type": [
                          "string",
                          "number",
                          "boolean"
                        ]
                      },
                      {
                        "type": "object",
                        "additionalProperties": false,
                        "minProperties": 1,
                        "maxProperties": 1,
                        "properties": {
                          "secretKeyRef": {
                            "$ref": "#/definitions/keyRef"
                          },
                          "configMapKeyRef": {
                            "$ref": "#/definitions/keyRef"
                          }
                        }
                      }
                    ]
                  }
                }
              }
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    public ContainerTarget Target { get; init; } = ContainerTarget.AirflowOnly;
    public bool Overwrite { get; init; }
    public required IReadOnlyList<EnvValueSpec> Values { get; init; }

    internal override void Apply(EvaluationContext context, PodEdits edits, MutationReport report)
    {
        foreach (var container in Target.Select(context))
        {
            var major = AirflowVersion.MajorOf(container);
            foreach (var spec in Values)
            {
                // Airflow 1.10 reads AIRFLOW__CORE__REMOTE_LOGGING, not AIRFLOW__LOGGING__REMOTE_LOGGING
                var name = AirflowOption.EnvNameFor(spec.Name, major);
                var value = name == spec.Name ? spec : spec with { Name = name };
                var existing = container.FindEnv(value.Name);
                if (existing is not null)
                {
                    if (Overwrite && !value.SameAs(existing))
                    {
                        edits.ReplaceEnv(container, existing, value.ToJson());
                    }
                    continue;
                }
                if (!Overwrite && SettingsResolver.FindExisting(context.Pod, container, context.Cluster, value.Name) is { } elsewhere)
                {
                    if (!elsewhere.IsKnown)
                    {
                        report.Skipped($"{value.Name} in {container.DisplayName}: cannot tell whether it is already set ({elsewhere.Source})",
                            container.Path);
                    }
                    continue;
                }
                edits.AddEnv(container, value.Name, value.ToJson());
            }
        }
    }

    private static SetEnvMutation? Read(KindBody body)
    {
        var reader = body.Reader;
        var map = body.Map("target", "containers", "includeInitContainers", "overwrite", "values");
        if (map is null)
        {
            return null;
        }
        var values = new List<EnvValueSpec>();
        if (map.Get("values") is not YamlMappingNode valueMap || valueMap.Children.Count == 0)
        {
            reader.Error(map.Get("values") ?? map.Node, "setEnv needs values: a mapping of env var names to values");
            return null;
        }
        foreach (var (key, value) in valueMap.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (!IsEnvName(name))
            {
                reader.Error(key, $"\"{name}\" is not a valid env var name");
                continue;
            }
            if (ReadEnvValue(reader, name, value) is { } spec)
            {
                values.Add(spec);
            }
        }
        return new SetEnvMutation
        {
            Location = body.Location,
            Target = ContainerTarget.Read(reader, map),
            Overwrite = map.Bool("overwrite") ?? false,
            Values = values,
        };
    }

    private static EnvValueSpec? ReadEnvValue(YamlNodeReader reader, string name, YamlNode value)
    {
        if (value is YamlScalarNode scalar)
        {
            return new EnvValueSpec(name, EnvValueSource.Literal, scalar.Value ?? "");
        }
        var map = reader.Map(value, $"the value of {name}", "secretKeyRef", "configMapKeyRef");
        if (map is null)
        {
            return null;
        }
        var isSecret = map.Has("secretKeyRef");
        if (isSecret == map.Has("configMapKeyRef"))
        {
            reader.Error(value, $"the value of {name} needs exactly one of secretKeyRef, configMapKeyRef");
            return null;
        }
        var reference = reader.Map(map.Get(isSecret ? "secretKeyRef" : "configMapKeyRef"), isSecret ? "secretKeyRef" : "configMapKeyRef", "name", "key");
        if (reference?.String("name", required: true) is not { } refName || reference.String("key", required: true) is not { } refKey)
        {
            return null;
        }
        return new EnvValueSpec(name, isSecret ? EnvValueSource.SecretKey : EnvValueSource.ConfigMapKey, null, refName, refKey);
    }

    private static bool IsEnvName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
