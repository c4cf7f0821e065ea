// The engine alone, as the Native AOT binary runs it: PolicyEngine.Evaluate on EvaluationBenchmarks' scheduler
// pod (3 containers, 30 env vars, 6 volumes, airflow.cfg in a ConfigMap, claims resolved) against the bundled
// pack, in a loop on one thread. Prints one line, "µs_per_evaluate bytes_per_evaluate", after a warm-up.
// BenchmarkDotNet's NativeAOT job measures the same call (EvaluationBenchmarks); this exists so that
// benchmarks/engine/ab.sh can build it against two commits' engines and alternate them in one run.
// With --expression POLICY it times one rule of the CEL cookbook (policies/examples/cel-cookbook.yaml, its match blocks
// dropped) instead: the expression alone, its airflow view built for the pod on each call, over an evaluation context
// whose settings and backing are already resolved (ExpressionBenchmarks' "one cookbook expression").
// With --handler ENDPOINT (validate or mutate) it times the webhook's whole admission handler instead, as `serve` builds
// it (bundled pack, no cluster, the decision line written to a null stream through the server's log writer):
// AdmissionHandler.Handle on the bytes of a review from benchmarks/load (--review small, medium or large), without
// the network. With --tokenize it times the floor's handler work on the same review: a Utf8JsonReader over every
// token, as AirflowGuard.LoadBaseline --tokenize does. The two side by side are the handler's cost over the floor's,
// measured on one core without Kestrel, TLS or wrk.
// With --tokenize --cursor, the same tokens read by the pod and review readers' JsonCursor instead.
// With --calls N it makes exactly N calls after a warm-up of 200 and prints "calls N": no clock decides how many, so
// that instructions counted under valgrind are the same on every run (benchmarks/engine/ab.sh --instructions).
// Usage: AirflowGuard.EngineLoop [seconds] [--expression POLICY | --handler ENDPOINT | --tokenize [--cursor]] [--review SIZE] [--calls N]   (2, medium)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Hosting;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Logging.Abstractions;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
var expressionPolicy = Option("--expression");
var handlerEndpoint = Option("--handler");
var reviewSize = Option("--review") ?? "medium";
var pack = BundledPolicies.Load().Set ?? throw new InvalidOperationException("the bundled pack did not load");
using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("scheduler-pod.yaml")!;
var (objects, errors) = ManifestBundle.Read("scheduler-pod.yaml", new StreamReader(stream).ReadToEnd());
if (errors.Count > 0)
{
    throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
}
var cluster = new ManifestClusterState(objects);
// the same call in every commit ab.sh compares with
var pod = ObjectEvaluator.Evaluate(objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod").Json, "", PolicySet.Empty, cluster).Pod
    ?? throw new InvalidOperationException("the fixture has no pod");
if (PolicyEngine.Evaluate(pod, pack, cluster).PoliciesApplied.Count == 0)
{
    throw new InvalidOperationException("no policy applied to the fixture");
}

Action call = () => PolicyEngine.Evaluate(pod, pack, cluster);
if (expressionPolicy is not null)
{
    try
    {
        call = CookbookExpression(expressionPolicy);
    }
    catch (InvalidOperationException ex)
    {
        Console.Error.WriteLine($"--expression {expressionPolicy}: {ex.Message}");
        return 2;
    }
}
else if (handlerEndpoint is not null || args.Contains("--tokenize"))
{
    if (Resource($"{reviewSize}-review.json") is not { } review)
    {
        Console.Error.WriteLine($"--review {reviewSize}: expected small, medium or large");
        return 2;
    }
    if (handlerEndpoint is null)
    {
#if HAS_JSON_CURSOR
        call = args.Contains("--cursor") ? () => TokenizeCursor(review) : () => Tokenize(review);
#else
        call = () => Tokenize(review);
#endif
    }
    else if (handlerEndpoint is not ("validate" or "mutate"))
    {
        Console.Error.WriteLine($"--handler {handlerEndpoint}: expected validate or mutate");
        return 2;
    }
    else
    {
        call = HandlerCall(review, handlerEndpoint == "mutate" ? AdmissionEndpoint.Mutate : AdmissionEndpoint.Validate);
    }
}

if (Option("--calls") is { } count)
{
    // a fixed number of calls after a fixed warm-up, for counting instructions (ab.sh --instructions runs this under
    // valgrind twice, with two counts, and divides the difference): the same work on every run, whatever the clock says
    for (var i = 0; i < 200; i++)
    {
        call();
    }
    var calls = int.Parse(count, CultureInfo.InvariantCulture);
    for (var i = 0; i < calls; i++)
    {
        call();
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls {calls}"));
    return 0;
}

Run(TimeSpan.FromSeconds(Math.Min(1, seconds / 2))); // warm-up: caches filled, pages touched
var (micros, bytes) = Run(TimeSpan.FromSeconds(seconds));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{micros:F2} {bytes}"));
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

static byte[]? Resource(string name)
{
    using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(name);
    if (resource is null)
    {
        return null;
    }
    var bytes = new MemoryStream();
    resource.CopyTo(bytes);
    return bytes.ToArray();
}

// the floor's handler work: every token of the body (AirflowGuard.LoadBaseline --tokenize)
static void Tokenize(byte[] body)
{
    var json = new Utf8JsonReader(body);
    var tokens = 0;
    while (json.Read())
    {
        tokens++;
    }
    if (tokens == 0)
    {
        throw new InvalidOperationException("no tokens");
    }
}

#if HAS_JSON_CURSOR
static void TokenizeCursor(byte[] body)
{
    var json = new JsonCursor(body);
    var tokens = 0;
    while (json.Read())
    {
        tokens++;
    }
    if (tokens == 0)
    {
        throw new InvalidOperationException("no tokens");
    }
}

#endif

// the handler as `serve --dev` builds it: bundled pack, no cluster, metrics, and the decision line at Information
// into the server's log writer (flushed every 200 ms, to a null stream)
static Action HandlerCall(byte[] review, AdmissionEndpoint endpoint)
{
    var options = new WebhookOptions { Dev = true };
    var metrics = new WebhookMetrics();
    var store = new PolicyStore(options, metrics, NullLogger<PolicyStore>.Instance);
    store.ReloadIfChanged();
    var levels = new Serilog.LoggerConfiguration().MinimumLevel.Information().CreateLogger();
    var decisions = new DecisionLog(levels, new LogOutput(Stream.Null, TimeSpan.FromMilliseconds(200)));
    var handler = new AdmissionHandler(store, NoClusterState.Instance, options, metrics, decisions, NullLogger<AdmissionHandler>.Instance);
    var answer = handler.Handle(review, endpoint);
    if (answer.StatusCode != 200 || answer.Decision is not ("denied" or "warned" or "patched" or "allowed"))
    {
        throw new InvalidOperationException($"the review was answered {answer.StatusCode} {answer.Decision}");
    }
    return () => handler.Handle(review, endpoint);
}

(double Micros, long Bytes) Run(TimeSpan length)
{
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var stopwatch = Stopwatch.StartNew();
    long calls = 0;
    while (stopwatch.Elapsed < length)
    {
        for (var i = 0; i < 1000; i++)
        {
            call();
        }
        calls += 1000;
    }
    return (stopwatch.Elapsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - allocated) / calls);
}

Action CookbookExpression(string policy)
{
    using var cookbookStream = Assembly.GetExecutingAssembly().GetManifestResourceStream("cel-cookbook.yaml")!;
    var document = new StreamReader(cookbookStream).ReadToEnd().Split("\n---\n").SingleOrDefault(d => d.Contains($"name: {policy}\n", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"the cookbook has no policy {policy}");
    var set = PolicyLoader.LoadText("cel-cookbook.yaml", AirflowGuard.Benchmarks.CookbookText.WithoutMatch(document)).Set ?? throw new InvalidOperationException($"{policy} does not load");
    var expression = set.Policies[0].Rules.OfType<AirflowGuard.Engine.Rules.ExpressionRule>().First().Expression;
    var raw = JsonDocument.Parse(Encoding.UTF8.GetBytes(objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod").Json.GetRawText())).RootElement;
    var context = new EvaluationContext(pod, ComponentRecognizer.Recognize(pod, pack.Recognition), cluster, pack.Drivers, pack.Recognition, raw);
    expression.Evaluate(context.Variables); // resolves what the built-in rules would have
    var request = ExpressionRequest.Create(pod.Metadata.Namespace);
    Func<AirflowView> view = () => AirflowView.Of(context);
    return () => expression.Evaluate(new ExpressionVariables(raw, request, view));
}
