using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>
/// A real HTTP endpoint that answers list and watch requests the way the Kubernetes API server
/// documents them: a list carries metadata.resourceVersion; a watch (?watch=true&amp;resourceVersion=N)
/// streams one JSON event per line ({"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":…}).
/// Tests add objects, push events, drop watch streams and expire resource versions (410 Gone).
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Resource> _resources = new();
    private int _version = 100;

    private FakeApiServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>How long a read of a stored object (a lease) takes to answer: a slow API server.</summary>
    public TimeSpan StoredReadDelay { get; set; }

    /// <summary>"GET path?query" of every request, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeApiServer(app);
        app.MapGet("/api/v1/{resource}", (HttpContext context, string resource) => server.Serve(context, resource));
        app.MapGet("/apis/storage.k8s.io/v1/{resource}", (HttpContext context, string resource) => server.Serve(context, resource));
        app.MapGet("/apis/airflowguard.dev/v1/{resource}", (HttpContext context, string resource) => server.ExceptionsCrd ? server.Serve(context, resource) : NotInstalled(context));
        app.MapGet("/api/v1/namespaces/{ns}/{resource}", (HttpContext context, string ns, string resource) => server.Serve(context, resource, ns));
        app.MapGet("/apis/apps/v1/{resource}", (HttpContext context, string resource) => server.Serve(context, resource));
        app.MapGet("/api/v1/namespaces/{ns}/{resource}/{name}", (HttpContext context, string ns, string resource, string name) => server.ServeOne(context, resource, ns, name));
        app.MapGet("/apis/airflowguard.dev/v1/namespaces/{ns}/{resource}", (HttpContext context, string ns, string resource) =>
            server.ExceptionsCrd ? server.Serve(context, resource, ns) : NotInstalled(context));
        // single objects written by clients (Leases, PolicyReports): read, created, replaced with the resourceVersion check, deleted
        app.MapGet("/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}", (HttpContext context) => server.ReadStored(context));
        app.MapPost("/apis/{group}/{version}/namespaces/{ns}/{resource}", (HttpContext context) => server.Create(context));
        app.MapPut("/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}", (HttpContext context) => server.Replace(context));
        app.MapDelete("/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}", (HttpContext context) => server.Delete(context));
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return server;
    }

    /// <summary>Objects clients wrote, by path (<c>/apis/coordination.k8s.io/v1/namespaces/ns/leases/name</c>).</summary>
    public ConcurrentDictionary<string, JsonObject> Stored { get; } = new(StringComparer.Ordinal);

    /// <summary>Every write, in order: "PUT path", "POST path", "DELETE path".</summary>
    public ConcurrentQueue<string> Writes { get; } = new();

    private readonly object _writeGate = new();

    private async Task ReadStored(HttpContext context)
    {
        Requests.Enqueue($"GET {context.Request.Path}");
        if (StoredReadDelay > TimeSpan.Zero)
        {
            await Task.Delay(StoredReadDelay, context.RequestAborted);
        }
        if (!Stored.TryGetValue(context.Request.Path.Value!, out var stored) &&
            !(context.Request.RouteValues["resource"] is string resource && _resources.TryGetValue(resource, out var listed) &&
              listed.Items.TryGetValue(((string)context.Request.RouteValues["ns"]!, (string)context.Request.RouteValues["name"]!), out stored)))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(stored.ToJsonString());
    }

    private async Task Create(HttpContext context)
    {
        var obj = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var path = $"{context.Request.Path.Value}/{obj["metadata"]!["name"]}";
        lock (_writeGate)
        {
            Writes.Enqueue($"POST {path}");
            if (Stored.ContainsKey(path))
            {
                context.Response.StatusCode = StatusCodes.Status409Conflict;
                return;
            }
            Stored[path] = Stamp(obj);
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        await context.Response.WriteAsync(obj.ToJsonString());
    }

    private async Task Replace(HttpContext context)
    {
        var obj = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var path = context.Request.Path.Value!;
        lock (_writeGate)
        {
            Writes.Enqueue($"PUT {path}");
            if (!Stored.TryGetValue(path, out var stored))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            // optimistic concurrency: a replace that names a resourceVersion must name the current one
            if ((string?)obj["metadata"]?["resourceVersion"] is { } version && version != (string?)stored["metadata"]!["resourceVersion"])
            {
                context.Response.StatusCode = StatusCodes.Status409Conflict;
                return;
            }
            Stored[path] = Stamp(obj);
        }
        await context.Response.WriteAsync(obj.ToJsonString());
    }

    private Task Delete(HttpContext context)
    {
        Writes.Enqueue($"DELETE {context.Request.Path.Value}");
        context.Response.StatusCode = Stored.TryRemove(context.Request.Path.Value!, out _) ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>Whether the AirflowPolicyException CRD is installed (its list answers); false answers 404, as an API server without it.</summary>
    public bool ExceptionsCrd { get; set; } = true;

    private static Task NotInstalled(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public int ListCount(string resource) => Requests.Count(r => r.StartsWith($"GET {Path(resource)}", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal));

    public IEnumerable<string> WatchVersions(string resource) => Requests
        .Where(r => r.StartsWith($"GET {Path(resource)}", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal))
        .Select(r => r[(r.IndexOf("resourceVersion=", StringComparison.Ordinal) + "resourceVersion=".Length)..].Split('&')[0]);

    /// <summary>Adds (or replaces) an object present at the next list.</summary>
    public void Add(string resource, JsonObject obj) => Get(resource).Items[Key(obj)] = Stamp(obj);

    /// <summary>Sends an event to the open watch of <paramref name="resource"/> (and applies it to later lists).</summary>
    public async Task PushAsync(string resource, string type, JsonObject obj)
    {
        var r = Get(resource);
        Stamp(obj);
        if (type == "DELETED")
        {
            r.Items.TryRemove(Key(obj), out _);
        }
        else
        {
            r.Items[Key(obj)] = obj;
        }
        await r.Events.Writer.WriteAsync(new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString());
    }

    /// <summary>Ends the open watch stream, as an API server or a load balancer does now and then.</summary>
    public Task DropWatchAsync(string resource) => Get(resource).Events.Writer.WriteAsync("DROP").AsTask();

    /// <summary>Answers the next watch with 410 Gone: the client must list again.</summary>
    public void ExpireNextWatch(string resource) => Get(resource).Expire = true;

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _resources.Values)
        {
            r.Events.Writer.TryComplete();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Path(string resource) => resource switch
    {
        "storageclasses" => "/apis/storage.k8s.io/v1/storageclasses",
        "deployments" => "/apis/apps/v1/deployments",
        "airflowpolicyexceptions" => "/apis/airflowguard.dev/v1/airflowpolicyexceptions",
        _ => $"/api/v1/{resource}",
    };

    private Resource Get(string resource) => _resources.GetOrAdd(resource, _ => new Resource());

    private JsonObject Stamp(JsonObject obj)
    {
        var metadata = (obj["metadata"] ??= new JsonObject()).AsObject();
        metadata["resourceVersion"] = Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return obj;
    }

    private static (string, string) Key(JsonObject obj) =>
        (obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]!["name"]!.GetValue<string>());

    /// <summary>One object added with <see cref="Add"/>, as GET .../namespaces/NS/RESOURCE/NAME answers; 404 when there is none.</summary>
    private async Task ServeOne(HttpContext context, string resource, string @namespace, string name)
    {
        Requests.Enqueue($"GET {context.Request.Path}");
        if (!Get(resource).Items.TryGetValue((@namespace, name), out var item))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(item.ToJsonString());
    }

    /// <summary>Whether an object carries every label of an equality selector (<c>k=v,k2=v2</c>), as <c>?labelSelector=</c> filters.</summary>
    private static bool Selected(JsonObject item, string? selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
            term.Split('=', 2) is [var key, var value] && (string?)item["metadata"]?["labels"]?[key] == value);

    private async Task Serve(HttpContext context, string resource, string? @namespace = null)
    {
        Requests.Enqueue($"GET {context.Request.Path}{context.Request.QueryString}");
        var r = Get(resource);
        if (context.Request.Query["watch"] != "true")
        {
            // pages as the API server gives them: ?limit=N, then ?continue=<token> until the token is empty
            var selector = (string?)context.Request.Query["labelSelector"];
            var all = r.Items.Where(i => (@namespace is null || i.Key.Item1 == @namespace) && Selected(i.Value, selector)).OrderBy(i => i.Key).Select(i => i.Value).ToList();
            var start = int.TryParse(context.Request.Query["continue"], out var from) ? from : 0;
            var limit = int.TryParse(context.Request.Query["limit"], out var l) && l > 0 ? l : int.MaxValue;
            var page = all.Skip(start).Take(limit).ToList();
            var metadata = new JsonObject { ["resourceVersion"] = _version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (start + page.Count < all.Count)
            {
                metadata["continue"] = (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var list = new JsonObject
            {
                ["kind"] = "List",
                ["apiVersion"] = "v1",
                ["metadata"] = metadata,
                ["items"] = new JsonArray(page.Select(i => (JsonNode)i.DeepClone()).ToArray()),
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(list.ToJsonString());
            return;
        }
        if (r.Expire)
        {
            r.Expire = false;
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync();
        try
        {
            await foreach (var line in r.Events.Reader.ReadAllAsync(context.RequestAborted))
            {
                if (line == "DROP")
                {
                    return;
                }
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
    }

    private sealed class Resource
    {
        public ConcurrentDictionary<(string, string), JsonObject> Items { get; } = new();
        public Channel<string> Events { get; } = Channel.CreateUnbounded<string>();
        public volatile bool Expire;
    }
}
