using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Hosting.Middleware;

/// <summary>
/// The outermost middleware: an exception nothing else caught becomes an answer, never a dropped connection. Kestrel's
/// own refusals (chunk framing, header limits), which surface here when the body is read, are a 4xx problem; anything
/// else is a 500 with one log line (the stack trace at Debug). Every 5xx is counted.
/// </summary>
internal sealed partial class ErrorAnswerMiddleware(RequestDelegate next, WebhookMetrics metrics, ILogger<ErrorAnswerMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            if ((ex as BadHttpRequestException ?? ex.InnerException as BadHttpRequestException) is { } bad)
            {
                metrics.BadRequests.WithLabels(WebhookMetrics.EndpointOf(context.Request.Path.Value), "bad-http").Inc();
                LogBadHttp(context.Request.Method, context.Request.Path.Value ?? "", bad.Message);
                await HttpAnswers.Problem(context, bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "bad HTTP request", bad.Message, "bad-http").ConfigureAwait(false);
            }
            else
            {
                LogUnexpected(context.Request.Method, context.Request.Path.Value ?? "", ex.GetType().Name, ex.Message);
                LogUnexpectedTrace(ex);
                await HttpAnswers.Problem(context, 500, "internal error", "AirflowGuard failed to answer this request; see its logs").ConfigureAwait(false);
            }
        }
        finally
        {
            if (context.Response.StatusCode >= 500)
            {
                metrics.ServerErrors.WithLabels(WebhookMetrics.EndpointOf(context.Request.Path.Value), context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "unexpected error answering {Method:l} {Path:l}: {ExceptionType:l}: {Reason:l}; answered 500")]
    private partial void LogUnexpected(string method, string path, string exceptionType, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "the stack trace of the unexpected error above")]
    private partial void LogUnexpectedTrace(Exception exception);

    [LoggerMessage(EventId = 33, Level = LogLevel.Debug, Message = "bad HTTP request {Method:l} {Path:l}: {Reason:l}")]
    private partial void LogBadHttp(string method, string path, string reason);
}
