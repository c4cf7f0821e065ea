using System.Text;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Playground;

/// <summary>
/// The policy editor holds several files in one text: each starts with a marker line
/// <c># file: NAME</c>. Text before the first marker is the file <c>playground.yaml</c>.
/// </summary>
internal static class PolicyPack
{
    public const string Marker = "# file: ";

    /// <summary>The bundled pack as the editor shows it at first.</summary>
    public static string BundledText()
    {
        var text = new StringBuilder();
        foreach (var (file, content) in BundledPolicies.Texts())
        {
            text.Append(Marker).Append(file).Append('\n');
            text.Append(content.TrimEnd('\n')).Append('\n');
        }
        return text.ToString();
    }

    public static List<PolicyPackFile> Split(string text)
    {
        var files = new List<PolicyPackFile>();
        var name = "playground.yaml";
        var first = 1;
        var current = new StringBuilder();
        var line = 0;
        foreach (var raw in text.Split('\n'))
        {
            line++;
            if (raw.StartsWith(Marker, StringComparison.Ordinal))
            {
                Add(files, name, current, first);
                name = raw[Marker.Length..].Trim();
                first = line + 1;
                current.Clear();
                continue;
            }
            current.Append(raw).Append('\n');
        }
        Add(files, name, current, first);
        return files;
    }

    private static void Add(List<PolicyPackFile> files, string name, StringBuilder text, int first)
    {
        if (text.ToString().Trim().Length > 0)
        {
            files.Add(new PolicyPackFile(name.Length == 0 ? "playground.yaml" : name, text.ToString(), first));
        }
    }
}
