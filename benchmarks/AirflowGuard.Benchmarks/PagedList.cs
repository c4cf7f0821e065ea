using System.Text;
using Microsoft.AspNetCore.Http;

namespace AirflowGuard.Benchmarks;

/// <summary>A list answered as the API server pages it (<c>?limit=N</c>, then <c>?continue=</c> until none), from pre-built items.</summary>
internal static class PagedList
{
    public static async Task WriteAsync(HttpContext context, byte[][] items)
    {
        var start = int.TryParse(context.Request.Query["continue"], out var from) ? from : 0;
        var limit = int.TryParse(context.Request.Query["limit"], out var l) ? l : items.Length;
        var end = Math.Min(items.Length, start + limit);
        context.Response.ContentType = "application/json";
        var body = context.Response.Body;
        await body.WriteAsync(Encoding.UTF8.GetBytes($$"""{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"{{(end < items.Length ? $",\"continue\":\"{end}\"" : "")}}},"items":["""));
        for (var i = start; i < end; i++)
        {
            if (i > start)
            {
                await body.WriteAsync(","u8.ToArray());
            }
            await body.WriteAsync(items[i]);
        }
        await body.WriteAsync("]}"u8.ToArray());
    }
}
