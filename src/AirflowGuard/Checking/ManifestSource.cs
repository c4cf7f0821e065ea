using System.Text;

namespace AirflowGuard.Checking;

/// <summary>
/// One input of a check: the name reports locate its objects by (a path, <c>&lt;stdin&gt;</c>, the playground's
/// <c>manifests.yaml</c>) and how to read it, as often as need be (stdin is spooled to a file first).
/// </summary>
internal sealed record ManifestSource(string Name, Func<TextReader> Open)
{
    public static ManifestSource FromFile(string name, string path) =>
        new(name, () => new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 64 * 1024 }));

    public static ManifestSource FromText(string name, string text) => new(name, () => new StringReader(text));
}
