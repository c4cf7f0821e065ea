using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AirflowGuard.Webhook.Hosting;
using Serilog.Events;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// The one log line per admission decision: uid, kind, namespace, name, component, decision, the
/// rules that fired, dry-run and duration, in the compact JSON the rest of the log uses. Written as UTF-8
/// straight into the log output, without Serilog's event objects or a background formatting pass,
/// because at thousands of decisions a second that path cost more than a quarter of deciding.
/// Never carries object content: only names, and rule names.
/// </summary>
/// <param name="levels">Decides whether Information is logged (the <c>--log-level</c>).</param>
public sealed class DecisionLog(Serilog.ILogger levels, LogOutput output)
{
    private const string Template = "{Endpoint} {Uid} {Operation} {Kind} {Namespace}/{Name} ({Component}): {Decision} {Rules} dryRun={DryRun} in {DurationMs} ms";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // encoded once, not on every line (130 characters to transcode and check for escapes)
    private static readonly JsonEncodedText EncodedTemplate = JsonEncodedText.Encode(Template, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    /// <summary>Writes nothing: for callers of the handler that are not the webhook (the playground, benchmarks).</summary>
    public static DecisionLog Off { get; } = new(Serilog.Core.Logger.None, new LogOutput(Stream.Null, TimeSpan.Zero));

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    public void Write(AdmissionEndpoint endpoint, AdmissionOutcome outcome, TimeSpan elapsed)
    {
        if (outcome.Uid is null || !levels.IsEnabled(LogEventLevel.Information))
        {
            return;
        }
        var (buffer, json) = t_writer ??= NewWriter();
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("@t"u8, DateTime.UtcNow);
        json.WriteString("@mt"u8, EncodedTemplate);
        json.WriteString("Endpoint"u8, endpoint switch
        {
            AdmissionEndpoint.Mutate => "Mutate"u8,
            AdmissionEndpoint.ValidateEnforce => "ValidateEnforce"u8,
            AdmissionEndpoint.ValidateWarn => "ValidateWarn"u8,
            _ => "Validate"u8,
        });
        json.WriteString(Names.Uid, outcome.Uid);
        json.WriteString(Names.Operation, outcome.Operation);
        json.WriteString(Names.Kind, outcome.Kind);
        json.WriteString(Names.Namespace, outcome.Namespace ?? "");
        json.WriteString(Names.Name, outcome.Name ?? "");
        json.WriteString(Names.Component, outcome.Component);
        json.WriteString(Names.Decision, outcome.Decision);
        json.WriteStartArray(Names.Rules);
        foreach (var rule in outcome.Rules)
        {
            json.WriteStringValue(rule);
        }
        json.WriteEndArray();
        json.WriteBoolean(Names.DryRun, outcome.DryRun);
        json.WritePropertyName(Names.DurationMs);
        WriteMilliseconds(json, elapsed);
        json.WriteString("SourceContext"u8, "AirflowGuard.Webhook.Admission.AdmissionHandler"u8);
        json.WriteEndObject();
        json.Flush();
        output.WriteLine(buffer.WrittenSpan);
    }

    /// <summary>
    /// The duration in ms to the µs, as <c>Math.Round(ms, 3)</c> written as a double reads ("0.081", "1.5", "2"), written
    /// from whole µs: formatting a double cost four times as much (1,400 instructions, DecisionLogTests).
    /// </summary>
    private static void WriteMilliseconds(Utf8JsonWriter json, TimeSpan elapsed)
    {
        // the µs of the rounded ms, so that the text reads as exactly the double it was (ties at half a µs round alike)
        var micros = Math.Max(0, (long)Math.Round(Math.Round(elapsed.TotalMilliseconds, 3) * 1000));
        Span<byte> text = stackalloc byte[24];
        var (whole, fraction) = Math.DivRem(micros, 1000L);
        whole.TryFormat(text, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            text[written++] = (byte)'.';
            for (var unit = 100L; fraction != 0; unit /= 10)
            {
                var (digit, rest) = Math.DivRem(fraction, unit);
                text[written++] = (byte)('0' + digit);
                fraction = rest;
            }
        }
        json.WriteRawValue(text[..written], skipInputValidation: true);
    }

    // the line's property names, encoded once
    private static class Names
    {
        public static readonly JsonEncodedText Uid = JsonEncodedText.Encode("Uid");
        public static readonly JsonEncodedText Operation = JsonEncodedText.Encode("Operation");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("Kind");
        public static readonly JsonEncodedText Namespace = JsonEncodedText.Encode("Namespace");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("Name");
        public static readonly JsonEncodedText Component = JsonEncodedText.Encode("Component");
        public static readonly JsonEncodedText Decision = JsonEncodedText.Encode("Decision");
        public static readonly JsonEncodedText Rules = JsonEncodedText.Encode("Rules");
        public static readonly JsonEncodedText DryRun = JsonEncodedText.Encode("DryRun");
        public static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("DurationMs");
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}
