using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AirflowGuard.Webhook.Admission;

/// <summary>Writes the AdmissionReview response and the API server's limits on warnings.</summary>
public static class AdmissionResponse
{
    /// <summary>The API server truncates longer warnings; AirflowGuard shortens them itself, where it chooses.</summary>
    public const int MaxWarningLength = 120;

    /// <summary>Well under the API server's 4 KB limit for all warnings together.</summary>
    public const int MaxWarningsBytes = 3072;

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    public static byte[] Write(string uid, AdmissionAnswer answer)
    {
        // one buffer and writer per thread, reset for each answer: only the answer's own bytes are new
        var (buffer, writer) = t_writer ??= NewWriter();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("apiVersion"u8, AdmissionReviewReader.ApiVersion);
        writer.WriteString("kind"u8, "AdmissionReview"u8);
        writer.WriteStartObject("response"u8);
        writer.WriteString("uid"u8, uid);
        writer.WriteBoolean("allowed"u8, answer.Allowed);
        if (!answer.Allowed)
        {
            writer.WriteStartObject("status"u8);
            writer.WriteNumber("code"u8, 403);
            writer.WriteString("reason"u8, "Forbidden"u8);
            writer.WriteString("message"u8, answer.DenialMessage ?? "denied by AirflowGuard");
            writer.WriteEndObject();
        }
        if (answer.Warnings.Count > 0)
        {
            writer.WriteStartArray("warnings"u8);
            for (var i = 0; i < answer.Warnings.Count; i++)
            {
                writer.WriteStringValue(answer.Warnings[i]);
            }
            writer.WriteEndArray();
        }
        if (answer.Patch is { Length: > 0 } patch)
        {
            writer.WriteString("patchType"u8, "JSONPatch"u8);
            writer.WriteBase64String("patch"u8, patch);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
        {
            t_writer = null; // a large patch: do not keep its buffer for the thread's life
        }
        return bytes;
    }

    // JSON for the API server, not for a web page: only what JSON itself requires is escaped (quotes, backslashes, control
    // characters). The default encoder also escapes ', +, <, > and & and all text beyond ASCII, which put every warning
    // cut with "…" (and most messages) through the writer's slow escaping path and spelled them as \u2026 in the answer.
    // Problem writes the webhook's other answers (400, 503) with the same options.
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }

    /// <summary>
    /// One warning, "<paramref name="policy"/>/<paramref name="rule"/><paramref name="separator"/><paramref name="message"/>",
    /// already on one line and shortened to <see cref="MaxWarningLength"/>: the whole text is never built when the
    /// API server would see only its start. <see cref="FitWarnings"/> leaves such a line as it is.
    /// </summary>
    public static string Warning(string policy, string rule, string separator, string message)
    {
        var collapse = message.AsSpan().ContainsAny('\n', '\r', '\t') || separator.AsSpan().ContainsAny('\n', '\r', '\t');
        if (!collapse && policy.Length + 1 + rule.Length + separator.Length + message.Length <= MaxWarningLength)
        {
            return string.Concat(policy, "/", rule, separator, message);
        }
        var line = new FittedLine(stackalloc char[MaxWarningLength], collapse);
        line.Append(policy);
        line.Append("/");
        line.Append(rule);
        line.Append(separator);
        line.Append(message);
        return line.ToString();
    }

    /// <summary>
    /// Text on one line (when it has line breaks or tabs, every run of blanks and control characters becomes one space,
    /// none leading or trailing) and cut to the span's length with "…", written once into that span.
    /// </summary>
    private ref struct FittedLine(Span<char> line, bool collapse)
    {
        private readonly Span<char> _line = line;
        private int _written;
        private bool _space;
        private bool _full;

        public void Append(string part)
        {
            if (!collapse)
            {
                // nothing to fold: the part's start, copied as a block (character by character this was 2 µs a request)
                var fits = Math.Min(part.Length, _line.Length - _written);
                part.AsSpan(0, fits).CopyTo(_line[_written..]);
                _written += fits;
                _full |= fits < part.Length;
                return;
            }
            foreach (var c in part)
            {
                if (_full)
                {
                    return;
                }
                if (collapse && (char.IsControl(c) || c == ' '))
                {
                    _space = _written > 0; // runs of blanks become one space, none leading or trailing
                    continue;
                }
                if (_space)
                {
                    Put(' ');
                    _space = false;
                }
                Put(c);
            }
        }

        private void Put(char c)
        {
            if (_written == _line.Length)
            {
                _full = true; // one character more than fits: the line is shortened
                return;
            }
            _line[_written++] = c;
        }

        public override readonly string ToString()
        {
            if (!_full)
            {
                return new string(_line[.._written]);
            }
            _line[^1] = '…';
            return new string(_line);
        }
    }

    /// <summary>
    /// Fits warnings into the API server's limits: one line each, at most
    /// <see cref="MaxWarningLength"/> characters, all of them under <see cref="MaxWarningsBytes"/>;
    /// what does not fit is counted in a last warning.
    /// </summary>
    public static IReadOnlyList<string> FitWarnings(IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0)
        {
            return [];
        }
        var fitted = new List<string>(warnings.Count);
        var total = 0;
        for (var i = 0; i < warnings.Count; i++)
        {
            var line = Fit(warnings[i]);
            var bytes = Encoding.UTF8.GetByteCount(line);
            if (total + bytes > MaxWarningsBytes - 100)
            {
                fitted.Add($"AirflowGuard: {warnings.Count - i} more warning(s) not shown; see its logs");
                break;
            }
            fitted.Add(line);
            total += bytes;
        }
        return fitted;
    }

    /// <summary>One warning on one line and at most <see cref="MaxWarningLength"/> characters; a line that already fits is returned as it is.</summary>
    private static string Fit(string text)
    {
        var collapse = text.AsSpan().ContainsAny('\n', '\r', '\t');
        if (!collapse && text.Length <= MaxWarningLength)
        {
            return text;
        }
        var line = new FittedLine(stackalloc char[MaxWarningLength], collapse);
        line.Append(text);
        return line.ToString();
    }
}
