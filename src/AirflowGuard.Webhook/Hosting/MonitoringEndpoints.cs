using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AirflowGuard.Webhook.Hosting;

/// <summary><c>GET /healthz</c>, <c>/readyz</c> (with the reasons it is not ready), <c>/metrics</c>, and a 404 problem naming the endpoints for anything else.</summary>
internal static class MonitoringEndpoints
{
    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder endpoints)
    {
        var metrics = endpoints.ServiceProvider.GetRequiredService<WebhookMetrics>();
        var readiness = endpoints.ServiceProvider.GetRequiredService<Readiness>();
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", context =>
        {
            var reasons = readiness.Check();
            metrics.Ready.Set(reasons.Count == 0 ? 1 : 0);
            return reasons.Count == 0
                ? HttpAnswers.Text(context, 200, "ready\n")
                : HttpAnswers.Problem(context, 503, "not ready", string.Join("; ", reasons), "not-ready");
        });
        endpoints.MapMetrics("/metrics", metrics.Registry);
        endpoints.MapFallback(context => HttpAnswers.Problem(context, 404, "not found",
            $"{context.Request.Method} {context.Request.Path.Value} is not an AirflowGuard endpoint; use POST /validate, POST /mutate, GET /healthz, /readyz or /metrics", "not-found"));
        return endpoints;
    }
}
