using System.Buffers;
using System.Reflection;
using System.Text.Json;

namespace AirflowGuard.Playground;

/// <summary>
/// The page (<c>playground/…</c>) and the samples (<c>samples/…</c>: examples/ and the chart renders
/// of tests/charts), embedded in the binary at build time, so the playground needs no files and no network.
/// </summary>
internal static class PlaygroundAssets
{
    private const string PagePrefix = "playground/";
    private const string SamplePrefix = "samples/";
    private static readonly Assembly Assembly = typeof(PlaygroundAssets).Assembly;

    /// <summary>A page file's bytes and content type, or null.</summary>
    public static (byte[] Body, string ContentType)? Page(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".png" => "image/png",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        return type is null || Read(PagePrefix + name) is not { } body ? null : (body, type);
    }

    /// <summary>The samples menu: one entry per manifest file, grouped, with its cluster objects where a render has them (<c>*.extra.yaml</c>).</summary>
    public static byte[] SampleIndex()
    {
        var names = Assembly.GetManifestResourceNames().Where(n => n.StartsWith(SamplePrefix, StringComparison.Ordinal)).Select(n => n[SamplePrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var name in names.Order(StringComparer.Ordinal))
            {
                if (name.EndsWith(".values.yaml", StringComparison.Ordinal) || name.EndsWith(".extra.yaml", StringComparison.Ordinal) || name.EndsWith("expectations.yaml", StringComparison.Ordinal))
                {
                    continue;
                }
                json.WriteStartObject();
                json.WriteString("id", name);
                json.WriteString("group", Group(name));
                json.WriteString("title", Path.GetFileNameWithoutExtension(name));
                var extra = name[..^".yaml".Length] + ".extra.yaml";
                if (names.Contains(extra))
                {
                    json.WriteString("cluster", extra);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[]? Sample(string id) => id.Contains("..", StringComparison.Ordinal) ? null : Read(SamplePrefix + id);

    private static string Group(string name) => name switch
    {
        _ when name.StartsWith("examples/seeds/", StringComparison.Ordinal) => "Field reports (unsafe and safe twins)",
        _ when name.StartsWith("examples/", StringComparison.Ordinal) => "Examples",
        _ when name.StartsWith("policies/", StringComparison.Ordinal) => "Policy test fixtures (a mutation's patch)",
        _ => "Chart renders: " + name.Split('/')[2],
    };

    private static byte[]? Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
