using System.Text.Json.Nodes;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Sets env vars on the target containers (Airflow containers by default, never sidecars), under
/// the name the container's Airflow version reads. Without <see cref="Overwrite"/>, a variable the
/// container already sets — in env, through envFrom, or for an Airflow option in the airflow.cfg it
/// mounts with a value other than Airflow's default — is left alone, because env beats airflow.cfg
/// and injecting would silently override the chart's configuration. A config file that only restates
/// a default (the official chart's <c>remote_logging = False</c>) configures nothing, and the repair wins.
/// </summary>
public sealed class SetEnvMutation : Mutation
{
    public override string Kind => "setEnv";

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
                            JsonPathText.FromPointer(container.Pointer));
                    }
                    continue;
                }
                edits.AddEnv(container, value.Name, value.ToJson());
            }
        }
    }
}

/// <summary>An env var to set: a literal value, or a reference to a Secret or ConfigMap key.</summary>
public sealed record EnvValueSpec(string Name, EnvValueSource Source, string? Value, string? RefName = null, string? RefKey = null)
{
    public bool SameAs(EnvVarView existing) =>
        existing.Source == Source && (Source == EnvValueSource.Literal
            ? existing.Value == Value
            : existing.RefName == RefName && existing.RefKey == RefKey);

    public JsonObject ToJson()
    {
        var env = new JsonObject { ["name"] = Name };
        switch (Source)
        {
            case EnvValueSource.SecretKey:
                env["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = RefName, ["key"] = RefKey } };
                break;
            case EnvValueSource.ConfigMapKey:
                env["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = RefName, ["key"] = RefKey } };
                break;
            default:
                env["value"] = Value ?? "";
                break;
        }
        return env;
    }
}
