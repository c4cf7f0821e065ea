using Serilog.Events;
using Serilog.Parsing;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// The one log line per admission decision: uid, kind, namespace, name, component, decision, the
/// rules that fired, dry-run and duration. Written straight to Serilog with a template parsed once,
/// because at thousands of decisions a second the general logging path costs more than deciding.
/// Never carries object content: only names, and rule names.
/// </summary>
public sealed class DecisionLog(Serilog.ILogger logger)
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "{Endpoint} {Uid} {Operation} {Kind} {Namespace}/{Name} ({Component}): {Decision} {Rules} dryRun={DryRun} in {DurationMs} ms");

    private static readonly LogEventProperty Source = new("SourceContext", new ScalarValue(typeof(AdmissionHandler).FullName));
    private static readonly ScalarValue Validate = new("Validate");
    private static readonly ScalarValue Mutate = new("Mutate");

    public void Write(AdmissionEndpoint endpoint, AdmissionOutcome outcome, TimeSpan elapsed)
    {
        if (outcome.Uid is null || !logger.IsEnabled(LogEventLevel.Information))
        {
            return;
        }
        var rules = new LogEventPropertyValue[outcome.Rules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = new ScalarValue(outcome.Rules[i]);
        }
        logger.Write(new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template,
        [
            new LogEventProperty("Endpoint", endpoint == AdmissionEndpoint.Validate ? Validate : Mutate),
            new LogEventProperty("Uid", new ScalarValue(outcome.Uid)),
            new LogEventProperty("Operation", new ScalarValue(outcome.Operation)),
            new LogEventProperty("Kind", new ScalarValue(outcome.Kind)),
            new LogEventProperty("Namespace", new ScalarValue(outcome.Namespace ?? "")),
            new LogEventProperty("Name", new ScalarValue(outcome.Name ?? "")),
            new LogEventProperty("Component", new ScalarValue(outcome.Component)),
            new LogEventProperty("Decision", new ScalarValue(outcome.Decision)),
            new LogEventProperty("Rules", new SequenceValue(rules)),
            new LogEventProperty("DryRun", new ScalarValue(outcome.DryRun)),
            new LogEventProperty("DurationMs", new ScalarValue(Math.Round(elapsed.TotalMilliseconds, 3))),
            Source,
        ]));
    }
}
