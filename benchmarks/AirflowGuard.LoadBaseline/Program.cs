// The baseline for the webhook's load benchmark: Kestrel with the same TLS, protocols and
// certificate handling as `airflowguard serve --dev`, answering POST /validate with a fixed
// AdmissionReview after reading the body. What AirflowGuard adds is the difference.
using System.Net;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Server.Kestrel.Core;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8444;
var (certificate, _) = DevCertificate.Create();
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(certificate);
    });
});
var app = builder.Build();
var answer = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}"""u8.ToArray();
app.MapPost("/validate", async context =>
{
    var result = await context.Request.BodyReader.ReadAsync();
    while (!result.IsCompleted)
    {
        context.Request.BodyReader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        result = await context.Request.BodyReader.ReadAsync();
    }
    context.Request.BodyReader.AdvanceTo(result.Buffer.End);
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = answer.Length;
    await context.Response.Body.WriteAsync(answer);
});
await app.RunAsync();
