// The baseline for the webhook's load benchmark: Kestrel with the same TLS, protocols, limits and
// certificate handling as `airflowguard serve --dev` (the handshake options CertificateStore
// builds, the limits WebhookServer sets), answering POST /validate and /mutate with a fixed
// AdmissionReview after reading the whole body. Published as Native AOT with the same runtime
// settings as the product (workstation GC with a 16 MB gen0 budget, invariant globalization), so that what AirflowGuard adds
// is the difference. Usage: AirflowGuard.LoadBaseline [port] [--tokenize]   (8444)
// With --tokenize it also runs a Utf8JsonReader over every token of the body before answering: the
// floor, the least any handler that reads the review must pay (benchmarks/load/floor.sh).
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8444;
var tokenize = args.Contains("--tokenize");
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
app.MapPost("/validate", context => Answer(context, answer, tokenize));
app.MapPost("/mutate", context => Answer(context, answer, tokenize));
await app.RunAsync();

static async Task Answer(HttpContext context, byte[] answer, bool tokenize)
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
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer);
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
