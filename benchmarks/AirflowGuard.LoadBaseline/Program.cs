// The baseline for the webhook's load benchmark: Kestrel with the same TLS, protocols, limits and
// certificate handling as `airflowguard serve --dev` (the handshake options CertificateStore
// builds, the limits WebhookServer sets), answering POST /validate and /mutate with a fixed
// AdmissionReview after reading the whole body. Published as Native AOT with the same runtime
// settings as the product (workstation GC with a 16 MB gen0 budget, invariant globalization), so that what AirflowGuard adds
// is the difference. Usage: AirflowGuard.LoadBaseline [port] [--tokenize] [--spin MICROS] [--allocate BYTES]   (8444)
// With --tokenize it also runs a Utf8JsonReader over every token of the body before answering: the
// floor, the least any handler that reads the review must pay (benchmarks/load/floor.sh).
// --spin and --allocate split what a handler costs the server (benchmarks/load/decompose.sh): --spin
// computes for about MICROS µs per request on registers alone (a loop calibrated at start), --allocate
// allocates BYTES per request in 64-byte objects held until the answer is written, as a request's views
// are. Their sum set beside AirflowGuard's CPU per request tells how much of it is the work itself and how
// much the garbage and what it does to the code around it.
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8444;
var tokenize = args.Contains("--tokenize");
var spinMicros = Option("--spin");
var allocateBytes = Option("--allocate");
var spinPerMicro = spinMicros > 0 ? Calibrate() : 0;
var (certificate, _) = DevCertificate.Create();
var tls = new SslServerAuthenticationOptions
{
    ServerCertificateContext = SslStreamCertificateContext.Create(certificate, [], offline: true),
    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    CipherSuitesPolicy = TlsCipherSuites.Policy,
};
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.Sources.Clear();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
    kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
    kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
    kestrel.Limits.MaxConcurrentConnections = 1000;
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnConnection = _ => ValueTask.FromResult(tls),
        });
    });
});
var app = builder.Build();
if (tokenize)
{
    Console.Error.WriteLine("tokenizing every body (--tokenize)"); // floor.sh checks for this line
}
var answer = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}"""u8.ToArray();
if (spinMicros > 0 || allocateBytes > 0)
{
    Console.Error.WriteLine($"spinning {spinMicros} µs ({spinPerMicro} steps per µs) and allocating {allocateBytes} B per request");
}
app.MapPost("/validate", context => Answer(context, answer, tokenize, spinMicros * spinPerMicro, allocateBytes));
app.MapPost("/mutate", context => Answer(context, answer, tokenize, spinMicros * spinPerMicro, allocateBytes));
await app.RunAsync();

long Option(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length
    ? long.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture)
    : 0;

// steps of Spin per µs on this machine: the best of five timed runs
static long Calibrate()
{
    const long steps = 20_000_000;
    var best = double.MaxValue;
    for (var i = 0; i < 5; i++)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        GC.KeepAlive(Spin(steps));
        best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds);
    }
    return (long)(steps / best);
}

// a dependent chain of register operations (xorshift): no memory touched, not optimised away
static ulong Spin(long steps)
{
    var x = 88172645463325252UL;
    for (var i = 0L; i < steps; i++)
    {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static async Task Answer(HttpContext context, byte[] answer, bool tokenize, long spinSteps = 0, long allocateBytes = 0)
{
    var reader = context.Request.BodyReader;
    var result = await reader.ReadAsync();
    while (!result.IsCompleted)
    {
        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        result = await reader.ReadAsync();
    }
    if (tokenize && Tokens(result.Buffer) == 0)
    {
        context.Response.StatusCode = 400;
    }
    reader.AdvanceTo(result.Buffer.End);
    // held until the answer is written, as a request's views are (a byte[40] is 64 bytes with its header and length)
    var held = allocateBytes > 0 ? new object[allocateBytes / 64] : null;
    for (var i = 0; held is not null && i < held.Length; i++)
    {
        held[i] = new byte[40];
    }
    if (spinSteps > 0)
    {
        GC.KeepAlive(Spin(spinSteps));
    }
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer);
    GC.KeepAlive(held);
}

// every token of the body, as a streaming reader of the review sees it; 0 for a body that is not JSON
static int Tokens(System.Buffers.ReadOnlySequence<byte> body)
{
    var json = new System.Text.Json.Utf8JsonReader(body);
    var tokens = 0;
    try
    {
        while (json.Read())
        {
            tokens++;
        }
    }
    catch (System.Text.Json.JsonException)
    {
        return 0;
    }
    return tokens;
}
