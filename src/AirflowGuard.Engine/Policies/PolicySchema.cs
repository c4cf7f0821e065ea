using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// The JSON Schema of policy files that editors complete against (<c>policies/schema/airflowguard-policy.schema.json</c>,
/// written by <c>airflowguard schema</c>): the documents' shared parts from <c>PolicySchema.base.json</c>, and each rule
/// and mutation kind from its own descriptor, so the schema lists exactly the kinds the loader reads.
/// </summary>
public static class PolicySchema
{
    /// <summary>The whole schema, indented, with a final newline.</summary>
    public static string Text()
    {
        var root = JsonNode.Parse(Base())!.AsObject();
        var definitions = root["definitions"]!.AsObject();
        var rule = definitions["rule"]!.AsObject();
        var oneOf = rule["oneOf"]!.AsArray();
        var ruleProperties = rule["properties"]!.AsObject();
        foreach (var kind in RuleKinds.All)
        {
            oneOf.Add((JsonNode)new JsonObject { ["required"] = new JsonArray((JsonNode)JsonValue.Create(kind.Key)) });
            ruleProperties[kind.Key] = Body(kind.BodySchema, kind.Summary);
        }
        var mutationProperties = definitions["mutation"]!["properties"]!.AsObject();
        foreach (var kind in MutationKinds.All)
        {
            mutationProperties[kind.Key] = Body(kind.BodySchema, kind.Summary);
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            root.WriteTo(json);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>A kind's body schema, described by the kind's summary unless it describes itself (or only refers to a shared definition).</summary>
    private static JsonObject Body(string schema, string summary)
    {
        var body = JsonNode.Parse(schema)!.AsObject();
        if (!body.ContainsKey("description") && !body.ContainsKey("$ref"))
        {
            var described = new JsonObject { ["description"] = summary };
            foreach (var (key, value) in body.ToList())
            {
                body.Remove(key);
                described[key] = value;
            }
            return described;
        }
        return body;
    }

    private static string Base()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AirflowGuard.Engine.PolicySchema.base.json")
            ?? throw new InvalidOperationException("the policy schema's base is not embedded in the Engine");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
