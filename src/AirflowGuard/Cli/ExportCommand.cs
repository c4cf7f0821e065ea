using System.CommandLine;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Export;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard export vap [--policies PATHS] [-o yaml|json]</c>: writes the rules the API server can run alone as
/// ValidatingAdmissionPolicy and Binding objects (<see cref="AdmissionPolicyExport"/>), and lists every rule left to
/// the webhook with the reason, at the top of the output and in the summary on stderr.
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string?> PoliciesOption = CommonOptions.Policies();
    private static readonly Option<string> OutputOption = CommonOptions.Output("yaml", "json");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var vap = new Command("vap", "write ValidatingAdmissionPolicy + Binding objects for the rules the API server can run alone (CEL over object, oldObject and request); every rule left out is listed with the reason")
        {
            PoliciesOption, OutputOption,
        };
        vap.SetAction(parsed => Run(parsed, output, error));
        return new Command("export", "write the policies in another engine's form") { vap };
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var policies = PolicySource.Load(parsed.GetValue(PoliciesOption), error);
        if (policies is null)
        {
            return CommandLine.UsageError;
        }
        var export = AdmissionPolicyExport.Of(policies);
        var vaps = export.Objects.Count(o => (string?)o["kind"] == "ValidatingAdmissionPolicy");
        if (parsed.GetValue(OutputOption) == "json")
        {
            var list = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "List",
                ["items"] = new JsonArray([.. export.Objects.Select(o => (JsonNode)o.DeepClone())]),
                ["leftOut"] = new JsonArray([.. export.LeftOut.Select(l => (JsonNode)new JsonObject { ["policy"] = l.Policy, ["rule"] = l.Rule, ["reason"] = l.Reason })]),
            };
            using var buffer = new MemoryStream();
            using (var json = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
            {
                list.WriteTo(json);
            }
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
        else
        {
            output.WriteLine($"# ValidatingAdmissionPolicies written by airflowguard export vap: {export.Exported} rule(s) of {policies.Policies.Count} policies, run by the API server alone.");
            output.WriteLine("# Keep the webhook for the rest: these rules and mutations need what only AirflowGuard sees.");
            foreach (var left in export.LeftOut)
            {
                output.WriteLine($"#   {left.Policy}/{left.Rule}: {left.Reason}");
            }
            YamlWriter.WriteDocuments(export.Objects, output);
        }
        error.WriteLine($"airflowguard export vap: {export.Exported} rule(s) in {vaps} ValidatingAdmissionPolicies; {export.LeftOut.Count} rule(s) and mutation(s) left to the webhook, each with the reason");
        return CommandLine.Clean;
    }
}
