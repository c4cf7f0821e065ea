using System.Buffers;
using System.Net;
using System.Text;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Playground;

/// <summary>
/// The playground's HTTP server: the page and samples from the binary, and <c>POST /api/evaluate</c>
/// with the webhook's limits (6 MiB bodies, one evaluation at a time, refused past a few seconds).
/// Plain HTTP, meant for the loopback address; it shares nothing with <c>serve</c>.
/// </summary>
internal static class PlaygroundServer
{
    public const int MaxBodyBytes = WebhookOptions.DefaultMaxRequestBytes;
    public static readonly TimeSpan DefaultEvaluationTimeout = TimeSpan.FromSeconds(5);

    /// <param name="evaluationTimeout">How long an evaluation may take before it is answered 503 (default 5 s; tests shorten it).</param>
    public static WebApplication Build(IPEndPoint endpoint, TimeSpan? evaluationTimeout = null)
    {
        var timeout = evaluationTimeout ?? DefaultEvaluationTimeout;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Listen(endpoint);
        });
        var app = builder.Build();
        // one evaluation at a time per server; a request waits as long as one evaluation may take
        var slot = new SemaphoreSlim(1, 1);
        app.Run(context => Handle(context, timeout, slot));
        return app;
    }

    /// <summary>The address the server listens on, once started (the port is chosen by the system when 0 was asked).</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    private static async Task Handle(HttpContext context, TimeSpan timeout, SemaphoreSlim slot)
    {
        var request = context.Request;
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        // the page talks only to this server: no CDN, no other origin
        response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
        var path = request.Path.Value ?? "/";
        if (HttpMethods.IsPost(request.Method) && path == "/api/evaluate")
        {
            await Evaluate(context, timeout, slot).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await Write(response, 405, Problem.ContentType, Problem.Write(405, "method not allowed", $"{request.Method} {path}")).ConfigureAwait(false);
            return;
        }
        switch (path)
        {
            case "/" or "/index.html":
                await Asset(response, "index.html").ConfigureAwait(false);
                return;
            case "/api/samples":
                await Write(response, 200, "application/json", PlaygroundAssets.SampleIndex()).ConfigureAwait(false);
                return;
            case "/api/sample":
                var id = request.Query["id"].ToString();
                if (PlaygroundAssets.Sample(id) is { } sample)
                {
                    await Write(response, 200, "text/yaml; charset=utf-8", sample).ConfigureAwait(false);
                    return;
                }
                break;
            case "/api/policies":
                await Write(response, 200, "text/yaml; charset=utf-8", Encoding.UTF8.GetBytes(PolicyPack.BundledText())).ConfigureAwait(false);
                return;
            default:
                if (path.StartsWith("/static/", StringComparison.Ordinal))
                {
                    await Asset(response, path["/static/".Length..]).ConfigureAwait(false);
                    return;
                }
                break;
        }
        await Write(response, 404, Problem.ContentType, Problem.Write(404, "not found", path, type: "not-found")).ConfigureAwait(false);
    }

    private static async Task Asset(HttpResponse response, string name)
    {
        if (PlaygroundAssets.Page(name) is { } page)
        {
            await Write(response, 200, page.ContentType, page.Body).ConfigureAwait(false);
            return;
        }
        await Write(response, 404, Problem.ContentType, Problem.Write(404, "not found", name, type: "not-found")).ConfigureAwait(false);
    }

    private static async Task Evaluate(HttpContext context, TimeSpan timeout, SemaphoreSlim slot)
    {
        var response = context.Response;
        // the webhook's reader and limit: reading stops past 6 MiB
        using var body = await RequestBody.ReadAsync(context.Request, MaxBodyBytes, ArrayPool<byte>.Shared, Timeout.InfiniteTimeSpan, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await Write(response, 413, Problem.ContentType, Problem.Write(413, "request too large",
                $"the request body is larger than {MaxBodyBytes} bytes, the webhook's limit too (max-request-bytes)", type: "too-large")).ConfigureAwait(false);
            return;
        }
        if (PlaygroundRequest.Read(body.Memory, context.Request.ContentType, out var problem) is not { } input)
        {
            await Write(response, 400, Problem.ContentType, Problem.Write(400, "not a playground request", problem!)).ConfigureAwait(false);
            return;
        }
        if (!await slot.WaitAsync(timeout, context.RequestAborted).ConfigureAwait(false))
        {
            await Write(response, 429, Problem.ContentType, Problem.Write(429, "busy", "another evaluation is still running; try again", type: "overloaded")).ConfigureAwait(false);
            return;
        }
        // past the time limit, or when the page goes away, the evaluation is stopped at its next object, not left running
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var evaluation = Task.Run(() => PlaygroundEvaluator.Evaluate(input, abandon.Token));
        // the slot is given back when the evaluation ends, even one that ran past the time limit
        _ = evaluation.ContinueWith(_ => slot.Release(), TaskScheduler.Default);
        byte[] answer;
        try
        {
            answer = await evaluation.WaitAsync(timeout, context.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await abandon.CancelAsync().ConfigureAwait(false);
            await Write(response, 503, Problem.ContentType, Problem.Write(503, "evaluation too slow",
                $"the evaluation took longer than {timeout.TotalSeconds:0.###} s and was abandoned; try a smaller input", type: "timeout")).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            await Write(response, 500, Problem.ContentType, Problem.Write(500, "internal error",
                $"AirflowGuard failed to evaluate this input ({ex.GetType().Name}: {ex.Message}); please report it", type: "internal")).ConfigureAwait(false);
            return;
        }
        await Write(response, 200, "application/json", answer).ConfigureAwait(false);
    }

    private static async Task Write(HttpResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
