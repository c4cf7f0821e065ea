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
        json.WriteString("Uid"u8, outcome.Uid);
        json.WriteString("Operation"u8, outcome.Operation);
        json.WriteString("Kind"u8, outcome.Kind);
        json.WriteString("Namespace"u8, outcome.Namespace ?? "");
        json.WriteString("Name"u8, outcome.Name ?? "");
        json.WriteString("Component"u8, outcome.Component);
        json.WriteString("Decision"u8, outcome.Decision);
        json.WriteStartArray("Rules"u8);
        foreach (var rule in outcome.Rules)
        {
            json.WriteStringValue(rule);
        }
        json.WriteEndArray();
        json.WriteBoolean("DryRun"u8, outcome.DryRun);
        json.WriteNumber("DurationMs"u8, Math.Round(elapsed.TotalMilliseconds, 3));
        json.WriteString("SourceContext"u8, "AirflowGuard.Webhook.Admission.AdmissionHandler"u8);
        json.WriteEndObject();
        json.Flush();
        output.WriteLine(buffer.WrittenSpan);
    }

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewWriter()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}
