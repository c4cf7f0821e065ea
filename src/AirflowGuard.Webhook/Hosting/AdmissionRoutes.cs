using System.Buffers;
using AirflowGuard.Webhook.Admission;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// <c>POST /validate</c> (<c>/validate/enforce</c>, <c>/validate/warn</c>) and <c>POST /mutate</c>: a slot from the limiter (or 429), the body read under its timeout and
/// size limit, the handler's answer written as it is.
/// </summary>
internal static class AdmissionRoutes
{
    public static IEndpointRouteBuilder MapAdmission(this IEndpointRouteBuilder endpoints)
    {
        // the singletons every admission call uses, resolved once instead of per request
        var services = endpoints.ServiceProvider;
        var admission = (services.GetRequiredService<AdmissionHandler>(), services.GetRequiredService<AdmissionLimiter>(), services.GetRequiredService<WebhookOptions>());
        endpoints.MapPost("/validate", context => Admit(context, AdmissionEndpoint.Validate, admission));
        endpoints.MapPost("/validate/enforce", context => Admit(context, AdmissionEndpoint.ValidateEnforce, admission));
        endpoints.MapPost("/validate/warn", context => Admit(context, AdmissionEndpoint.ValidateWarn, admission));
        endpoints.MapPost("/mutate", context => Admit(context, AdmissionEndpoint.Mutate, admission));
        return endpoints;
    }

    private static async Task Admit(HttpContext context, AdmissionEndpoint endpoint, (AdmissionHandler Handler, AdmissionLimiter Limiter, WebhookOptions Options) services)
    {
        var (handler, limiter, options) = services;
        var small = limiter.TryEnterSmall(context.Request.ContentLength);
        if (!small && !limiter.TryEnter() && !await limiter.EnterAsync(context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.Headers.RetryAfter = "1";
            await Answer(context, handler.Reject(AdmissionOutcome.Overloaded(
                $"all {options.MaxConcurrentAdmissions} admission slots stayed busy for {options.AdmissionQueueSeconds} s (max-concurrent-admissions, admission-queue-seconds); retry"), endpoint)).ConfigureAwait(false);
            return;
        }
        AdmissionOutcome outcome;
        try
        {
            outcome = await ReadAndDecide(context, endpoint, handler, small ? ArrayPool<byte>.Shared : limiter.Buffers, options).ConfigureAwait(false);
        }
        finally
        {
            // the slot bounds the bodies held and the evaluations running; writing the answer needs neither
            if (small)
            {
                limiter.ExitSmall();
            }
            else
            {
                limiter.Exit();
            }
        }
        await Answer(context, outcome).ConfigureAwait(false);
    }

    /// <summary>Reads the body under the body timeout, then decides.</summary>
    private static async ValueTask<AdmissionOutcome> ReadAndDecide(HttpContext context, AdmissionEndpoint endpoint, AdmissionHandler handler, ArrayPool<byte> buffers, WebhookOptions options)
    {
        RequestBody? body;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, buffers, TimeSpan.FromSeconds(options.BodyTimeoutSeconds), context.RequestAborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return handler.Reject(AdmissionOutcome.BodyTimeout(
                $"the request body did not arrive within {options.BodyTimeoutSeconds} s (body-timeout-seconds)"), endpoint);
        }
        catch (IOException ex) when (!context.RequestAborted.IsCancellationRequested && ex is not Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // Kestrel reports broken chunk framing ("Bad chunk size data.") as a plain IOException
            return handler.Reject(new BadAdmissionRequest("bad-http", $"the request body's framing is broken: {ex.Message}"), endpoint);
        }
        using (body)
        {
            return body is null
                ? handler.Reject(new BadAdmissionRequest("too-large", $"the request body is larger than {options.MaxRequestBytes} bytes (max-request-bytes)"), endpoint)
                : handler.Handle(body.Memory, endpoint);
        }
    }

    private static async Task Answer(HttpContext context, AdmissionOutcome outcome)
    {
        context.Response.StatusCode = outcome.StatusCode;
        context.Response.ContentType = outcome.ContentType;
        context.Response.ContentLength = outcome.Body.Length;
        await context.Response.Body.WriteAsync(outcome.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
