using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace AirflowGuard.Webhook.Hosting.Middleware;

/// <summary>
/// The monitoring port answers probes and metrics only (its connections are marked by <see cref="WebhookListeners"/>):
/// admission needs the admission port's TLS, so it is never answered here. <c>/metrics</c> is read-only on either port:
/// anything but GET or HEAD is 405, not a second way in.
/// </summary>
internal sealed class MonitoringPortMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(WebhookListeners.MonitoringListener) == true
            && path is not ("/healthz" or "/readyz" or "/metrics"))
        {
            return HttpAnswers.Problem(context, 404, "not found",
                $"the monitoring port answers GET /healthz, /readyz and /metrics only; {context.Request.Method} {path} is served on the admission port", "not-found");
        }
        if (path == "/metrics" && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return HttpAnswers.Problem(context, 405, "method not allowed", $"/metrics answers GET only, not {context.Request.Method}", "method-not-allowed");
        }
        return next(context);
    }
}
