using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// A JSON value as expression rules see it: an element already parsed, or UTF-8 bytes parsed the first
/// time someone asks (most evaluations never do: the built-in rules read the pod view, not the JSON).
/// </summary>
public sealed class JsonSource
{
    private readonly ReadOnlyMemory<byte> _utf8;
    private readonly bool _fromBytes;
    private JsonElement? _element;

    public JsonSource(JsonElement element) => _element = element;

    private JsonSource(ReadOnlyMemory<byte> utf8) => (_utf8, _fromBytes) = (utf8, true);

    /// <summary>A value to parse when first read; <paramref name="utf8"/> must hold one complete, valid JSON value until then.</summary>
    public static JsonSource FromUtf8(ReadOnlyMemory<byte> utf8) => new(utf8);

    /// <summary>The bytes it was made from, if it was (<see cref="FromUtf8"/>); null when made from an element.</summary>
    public ReadOnlyMemory<byte>? Utf8 => _fromBytes ? _utf8 : null;

    /// <summary>The value as compact or original UTF-8 JSON: the bytes it was made from, or the element's own text.</summary>
    public ReadOnlyMemory<byte> Text => _fromBytes ? _utf8 : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(_element!.Value).ToArray();

    /// <summary>The value (parsed into memory of its own, so it outlives the bytes it came from).</summary>
    public JsonElement Element => _element ??= Parse(_utf8.Span);

    private static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 1024 });
        return JsonElement.ParseValue(ref reader);
    }

    public static implicit operator JsonSource?(JsonElement? element) => element is { } value ? new JsonSource(value) : null;
}
