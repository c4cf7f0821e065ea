using Microsoft.AspNetCore.Http;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>The plain answers every part of the host writes: text, and RFC 9457 problems.</summary>
internal static class HttpAnswers
{
    public static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    public static Task Problem(HttpContext context, int status, string title, string detail, string? type = null)
    {
        var body = Admission.Problem.Write(status, title, detail, type: type ?? (status == 400 ? "bad-request" : "internal-error"));
        context.Response.StatusCode = status;
        context.Response.ContentType = Admission.Problem.ContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
