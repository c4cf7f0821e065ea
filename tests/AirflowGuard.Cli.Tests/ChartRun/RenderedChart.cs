using System.Diagnostics;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>The objects `helm template` rendered for one values file, as JSON, looked up by kind and name.</summary>
internal sealed class RenderedChart
{
    private RenderedChart(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    public const string Release = "airflowguard";

    public const string Namespace = "airflowguard";

    /// <summary>The helm binary deploy/tools/install-helm.sh installs.</summary>
    public static string Helm => HelmPath.Value;

    private static readonly Lazy<string> HelmPath = new(() => Run(Path.Combine(Cli.Root, "deploy", "tools", "install-helm.sh")).Output.Trim());

    /// <summary>Runs helm (installed by deploy/tools/install-helm.sh); a refusal comes back as its message.</summary>
    public static (RenderedChart? Chart, string Error) Render(string valuesFile, string chartFolder, params string[] extra)
    {
        var (code, output, error) = Run(Helm, ["template", Release, chartFolder, "-n", Namespace, "-f", valuesFile, .. extra]);
        return code == 0 ? (Parse(output), "") : (null, error);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject? Find(string kind, string name) => OfKind(kind).FirstOrDefault(o => (string?)o["metadata"]!["name"] == name);

    public JsonObject Single(string kind) => OfKind(kind).Single();

    private static RenderedChart Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return new RenderedChart(stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (JsonObject)ToJson(d.RootNode)!).ToList());
    }

    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when int.TryParse(scalar.Value, out var number) => JsonValue.Create(number),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } scalar => JsonValue.Create(scalar.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    internal static (int Code, string Output, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Cli.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}
