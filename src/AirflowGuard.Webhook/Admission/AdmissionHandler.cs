using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// Answers AdmissionReview v1 requests with the engine's decision. Never throws: a body that is not
/// an AdmissionReview gets a 400 problem saying what and where, and a failure inside the engine is
/// answered according to <see cref="WebhookOptions.FailureMode"/>.
/// </summary>
public sealed partial class AdmissionHandler(
    PolicyStore policies, IClusterState cluster, WebhookOptions options, WebhookMetrics metrics, DecisionLog decisions, ILogger<AdmissionHandler> logger)
{
    public AdmissionOutcome Handle(ReadOnlyMemory<byte> body, AdmissionEndpoint endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = Decide(body, endpoint);
        var elapsed = Stopwatch.GetElapsedTime(started);
        metrics.Observe(endpoint, outcome, elapsed);
        if (outcome.Uid is not null)
        {
            decisions.Write(endpoint, outcome, elapsed);
        }
        return outcome;
    }

    /// <summary>Answers a request refused before it was parsed (too large), counting it like the others.</summary>
    public AdmissionOutcome Reject(BadAdmissionRequest problem, AdmissionEndpoint endpoint) => Reject(AdmissionOutcome.BadRequest(problem), endpoint);

    /// <summary>Counts an answer given without parsing the body (overloaded, too slow) and returns it.</summary>
    public AdmissionOutcome Reject(AdmissionOutcome outcome, AdmissionEndpoint endpoint)
    {
        metrics.Observe(endpoint, outcome, TimeSpan.Zero);
        return outcome;
    }

    private AdmissionOutcome Decide(ReadOnlyMemory<byte> body, AdmissionEndpoint endpoint)
    {
        AdmissionRequest? request;
        BadAdmissionRequest? problem;
        try
        {
            if (!Utf8.IsValid(body.Span))
            {
                // a string that is not valid Unicode: first whether the body is JSON at all, then which string (escaped
                // lone surrogates, which valid UTF-8 can still spell, the reader finds as it checks the escapes)
                if (JsonCursor.Describe(body.Span, options.MaxJsonDepth) is { } notJson)
                {
                    return AdmissionOutcome.BadRequest(JsonProblem(notJson));
                }
                if (JsonStringCheck.FindInvalid(body.Span, options.MaxJsonDepth) is { } badString)
                {
                    return AdmissionOutcome.BadRequest(JsonStringCheck.Problem(badString));
                }
            }
            request = AdmissionReviewReader.Read(body, options.MaxJsonDepth, out problem);
        }
        catch (JsonException ex)
        {
            // said in Utf8JsonReader's words (line, byte, path), which the reader's own exception does not carry
            return AdmissionOutcome.BadRequest(JsonProblem(JsonCursor.Describe(body.Span, options.MaxJsonDepth) ?? ex));
        }
        return request is null ? AdmissionOutcome.BadRequest(problem!) : DecideRequest(request, endpoint);
    }

    /// <summary>The answer to a well-formed request, whichever way it was read; its JSON stays valid until this returns.</summary>
    private AdmissionOutcome DecideRequest(AdmissionRequest request, AdmissionEndpoint endpoint)
    {
        var set = policies.For(endpoint);
        if (set is null)
        {
            return new AdmissionOutcome(503, Problem.ContentType, Problem.Write(503, "not ready",
                "AirflowGuard has no valid policy set loaded yet; see its logs and /readyz", type: "not-ready"))
            {
                Decision = "not-ready",
                Uid = request.Uid,
                Operation = request.Operation,
                Kind = request.Kind,
                Namespace = request.Namespace,
                Name = request.Name,
                DryRun = request.DryRun,
            };
        }
        var basis = new AdmissionOutcome(200, AdmissionOutcome.JsonContentType, [])
        {
            Decision = "allowed",
            Uid = request.Uid,
            Operation = request.Operation,
            Kind = request.Kind,
            Namespace = request.Namespace,
            Name = request.Name ?? (request.PodRead ? request.ObjectName : request.Object is { } obj ? NameOf(obj.Element) : null),
            DryRun = request.DryRun,
        };
        var role = ObjectEvaluator.RoleOf(request.Kind, set);
        if (request.Operation is "DELETE" or "CONNECT" || role == ObjectRole.Unchecked)
        {
            return basis with { Body = AdmissionResponse.Write(request.Uid, AdmissionAnswer.Allow) };
        }
        try
        {
            return Evaluate(request, role, set, endpoint, basis);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            metrics.EvaluationFailures.Inc();
            if (ex is EvaluationBudgetExceededException)
            {
                metrics.EvaluationBudgetExceeded.Inc();
            }
            // one line naming the request and where it failed; the stack trace only at Debug
            LogEvaluationFailure(request.Uid, request.Kind, request.Namespace ?? "", basis.Name ?? "", options.FailureMode, ex.GetType().Name, ex.Message, Where(ex));
            LogEvaluationFailureTrace(ex, request.Uid);
            var answer = options.FailureMode == FailureMode.Allow
                ? new AdmissionAnswer { Allowed = true, Warnings = [$"AirflowGuard could not evaluate this object ({Why(ex)}); admitted unchecked"] }
                : new AdmissionAnswer { Allowed = false, DenialMessage = $"AirflowGuard could not evaluate this object ({Why(ex)}) and its failure mode is Deny; see the AirflowGuard logs" };
            return basis with { Decision = "error", Body = AdmissionResponse.Write(request.Uid, answer) };
        }
    }

    private static string Why(Exception ex) => ex is EvaluationBudgetExceededException ? ex.Message : "internal error";

    private AdmissionOutcome Evaluate(AdmissionRequest request, ObjectRole role, PolicySet set, AdmissionEndpoint endpoint, AdmissionOutcome basis)
    {
        var started = Stopwatch.GetTimestamp();
        var budget = EvaluationBudget.StartingNow(TimeSpan.FromMilliseconds(options.EvaluationBudgetMilliseconds));
        var expressionRequest = new Engine.Expressions.ExpressionRequest(request.Operation, request.Namespace, request.DryRun, request.OldObject);
        var mutations = endpoint == AdmissionEndpoint.Mutate;
        var verdict = role != ObjectRole.Pods || !request.PodRead
            ? ObjectEvaluator.Evaluate(request.Object!, request.Kind, role, "request.object", set, cluster, request.Namespace, budget, expressionRequest, mutations)
            : request.PodErrors.Count > 0
                ? new ObjectVerdict(request.Kind, request.Pod, Decision.NotApplicable, request.PodErrors)
                : ObjectEvaluator.EvaluatePod(request.Kind, request.Pod!, request.Object, set, cluster, request.Namespace, budget, expressionRequest, mutations);
        metrics.ObserveEvaluation(Stopwatch.GetElapsedTime(started));
        if (verdict.Errors.Count > 0)
        {
            var first = verdict.Errors[0];
            var detail = string.Join("; ", verdict.Errors.Take(10).Select(e => e.ToString())) +
                (verdict.Errors.Count > 10 ? $"; and {verdict.Errors.Count - 10} more" : "");
            return AdmissionOutcome.BadRequest(new BadAdmissionRequest("bad-object", detail, first.Path)) with
            {
                Uid = basis.Uid,
                Operation = basis.Operation,
                Kind = basis.Kind,
                Namespace = basis.Namespace,
                Name = basis.Name,
                DryRun = basis.DryRun,
            };
        }
        var decision = verdict.Decision;
        var outcome = basis with
        {
            Component = decision.Component.ToName(),
            Rules = RuleNames(decision.Findings) ?? (IReadOnlyList<string>)[],
        };
        return endpoint.Validates()
            ? Validate(request, set, verdict, outcome)
            : Mutate(request, verdict, outcome);
    }

    /// <summary>"policy/rule" of each finding, once each, in order; null (no allocation) for a clean object.</summary>
    private static List<string>? RuleNames(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return null;
        }
        var names = new List<string>(findings.Count);
        foreach (var finding in findings)
        {
            var name = string.Concat(finding.Policy, "/", finding.Rule);
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }
        return names;
    }

    private AdmissionOutcome Validate(AdmissionRequest request, PolicySet set, ObjectVerdict verdict, AdmissionOutcome outcome)
    {
        var preexisting = request.Operation == "UPDATE" ? PreexistingViolations(request, set) : null;
        var denials = new List<Finding>();
        var warnings = new List<string>();
        foreach (var finding in verdict.Decision.Findings)
        {
            if (finding.FromMutation || finding.Mode == PolicyMode.Audit)
            {
                continue;
            }
            if (finding.Denies)
            {
                if (preexisting?.Contains(Key(finding)) == true)
                {
                    warnings.Add(AdmissionResponse.Warning(finding.Policy, finding.Rule, " (already present before this update): ", finding.Message));
                }
                else
                {
                    denials.Add(finding);
                }
                continue;
            }
            // an unresolved finding's message already starts "not checked: "
            warnings.Add(AdmissionResponse.Warning(finding.Policy, finding.Rule, ": ", finding.Message));
            if (finding.Values is { Repairs: true } values)
            {
                // the chart's keys on a line of their own, so that the API server's cut of the message leaves them whole
                warnings.Add(AdmissionResponse.Warning(finding.Policy, finding.Rule, " fix: ", values.DescribeChanges()));
            }
        }
        var answer = new AdmissionAnswer
        {
            Allowed = denials.Count == 0,
            DenialMessage = denials.Count == 0 ? null : DenialMessage(verdict, denials),
            Warnings = AdmissionResponse.FitWarnings(warnings),
        };
        return outcome with
        {
            Decision = denials.Count > 0 ? "denied" : warnings.Count > 0 ? "warned" : "allowed",
            Body = AdmissionResponse.Write(request.Uid, answer),
        };
    }

    private static AdmissionOutcome Mutate(AdmissionRequest request, ObjectVerdict verdict, AdmissionOutcome outcome)
    {
        // Pods and PersistentVolumes are patched when they are created; a workload's pods are patched
        // as they are created from it, so the template itself is left as the user wrote it.
        var patchable = request.Operation == "CREATE" && request.Kind is "Pod" or "PersistentVolume";
        var patch = patchable && verdict.Decision.Patch.Count > 0 ? PatchDocument.ToUtf8Json(verdict.Decision.Patch) : null;
        var warnings = new List<string>();
        foreach (var finding in verdict.Decision.Findings)
        {
            if (finding.FromMutation && finding.Mode != PolicyMode.Audit)
            {
                warnings.Add(AdmissionResponse.Warning(finding.Policy, finding.Rule, " ", finding.Message));
            }
        }
        var answer = new AdmissionAnswer { Allowed = true, Patch = patch, Warnings = AdmissionResponse.FitWarnings(warnings) };
        return outcome with
        {
            Decision = patch is not null ? "patched" : warnings.Count > 0 ? "warned" : "allowed",
            Body = AdmissionResponse.Write(request.Uid, answer),
        };
    }

    /// <summary>
    /// On UPDATE, violations the old object already had are reported as warnings instead of denials:
    /// otherwise a pod admitted before a policy existed could not even have a label or finalizer changed.
    /// </summary>
    private HashSet<(string, string, string)>? PreexistingViolations(AdmissionRequest request, PolicySet set)
    {
        if (request.OldObject is not { } old)
        {
            return null;
        }
        var verdict = ObjectEvaluator.Evaluate(new JsonSource(old), request.Kind, ObjectEvaluator.RoleOf(request.Kind, set), "request.oldObject", set, cluster, request.Namespace, mutations: false);
        return verdict.Decision.Findings.Where(f => f.Denies).Select(Key).ToHashSet();
    }

    private static (string, string, string) Key(Finding finding) => (finding.Policy, finding.Rule, finding.Message);

    private static string DenialMessage(ObjectVerdict verdict, List<Finding> denials)
    {
        var what = verdict.Pod is { } pod
            ? verdict.Kind == "Pod" ? pod.DisplayName : $"the pod template of {pod.DisplayName}"
            : verdict.Kind ?? "the object";
        var message = new StringBuilder($"AirflowGuard denied {what}: ");
        for (var i = 0; i < denials.Count; i++)
        {
            var finding = denials[i];
            message.Append(i == 0 ? "" : "; ").Append('[').Append(finding.Policy).Append('/').Append(finding.Rule).Append("] ").Append(finding.Message);
            if (finding.Fix is not null)
            {
                message.Append(". Fix: ").Append(finding.Fix);
            }
            if (finding.Values is { Repairs: true } values)
            {
                message.Append(". Values: ").Append(values.Describe());
            }
        }
        return message.ToString();
    }

    private BadAdmissionRequest JsonProblem(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}" : "";
        if (ex.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return new BadAdmissionRequest("too-deep", $"the body is nested deeper than {options.MaxJsonDepth} levels (max-json-depth){where}", ex.Path ?? "$");
        }
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        reason = cut > 0 ? reason[..cut] : reason;
        return new BadAdmissionRequest("not-json", $"the body is not valid JSON{where}: {reason}", ex.Path ?? "$");
    }

    private static string? NameOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
        (metadata.TryGetProperty("name", out var name) || metadata.TryGetProperty("generateName", out name)) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>The innermost frame that threw, as "Type.Method", from the stack trace text (which Native AOT keeps).</summary>
    private static string Where(Exception ex)
    {
        var trace = ex.StackTrace;
        if (trace is null)
        {
            return "unknown";
        }
        var line = trace.AsSpan().TrimStart();
        var end = line.IndexOfAny('\n', '(');
        line = end < 0 ? line : line[..end];
        return line.StartsWith("at ") ? line[3..].Trim().ToString() : line.Trim().ToString();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "evaluating {Uid:l} {Kind:l} {Namespace:l}/{Name:l} failed; answered per failure mode {FailureMode}: {ExceptionType:l} in {Where:l}: {Reason:l}")]
    private partial void LogEvaluationFailure(string uid, string kind, string Namespace, string name, FailureMode failureMode, string exceptionType, string reason, string where);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "evaluating {Uid:l} failed; the stack trace")]
    private partial void LogEvaluationFailureTrace(Exception exception, string uid);
}
