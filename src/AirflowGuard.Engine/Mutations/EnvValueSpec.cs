using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>An env var to set: a literal value, or a reference to a Secret or ConfigMap key.</summary>
internal sealed record EnvValueSpec(string Name, EnvValueSource Source, string? Value, string? RefName = null, string? RefKey = null)
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
