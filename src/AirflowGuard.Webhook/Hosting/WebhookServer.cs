using System.Buffers;
using System.Net;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Policies;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>A configuration problem found at start-up; its message says which setting and why.</summary>
public sealed class WebhookConfigurationException(string message) : Exception(message);

/// <summary>Builds the admission webhook: Kestrel over TLS, the admission endpoints, probes and metrics.</summary>
public static partial class WebhookServer
{
    private const string MonitoringListener = "airflowguard.monitoring";

    /// <param name="args">The flags of <c>airflowguard serve</c>.</param>
    /// <param name="customize">Extra service registrations (the cluster cache; test fault injection).</param>
    /// <param name="logging">Extra Serilog configuration (another sink).</param>
    /// <exception cref="WebhookConfigurationException">The flags or settings are invalid.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? customize = null, Action<LoggerConfiguration>? logging = null, Stream? logStream = null) =>
        Build(ServeCommandLine.Parse(args), customize, logging, logStream);

    /// <param name="commandLine">The settings given on the command line (configuration keys), parsed by <see cref="ServeCommandLine"/>.</param>
    /// <param name="customize">Extra service registrations (the cluster cache; test fault injection).</param>
    /// <param name="logging">Extra Serilog configuration (another sink).</param>
    /// <param name="logStream">Where the log lines go instead of stdout, each written at once (tests read them).</param>
    /// <exception cref="WebhookConfigurationException">The settings are invalid.</exception>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> commandLine, Action<IServiceCollection>? customize = null, Action<LoggerConfiguration>? logging = null,
        Stream? logStream = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("AIRFLOWGUARD_")
            .AddInMemoryCollection(commandLine);
        var options = BindOptions(builder.Configuration);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<PolicyStore>();
        builder.Services.AddSingleton<CertificateStore>();
        builder.Services.AddSingleton<Readiness>();
        builder.Services.AddSingleton<AdmissionHandler>();
        builder.Services.AddSingleton<AdmissionLimiter>();
        var cluster = options.ClusterCache.Mode == "off" ? null : AirflowGuard.Cluster.ClusterConnection.Open(options.ClusterCache);
        if (cluster is not null)
        {
            builder.Services.AddSingleton(cluster);
        }
        if (cluster?.Api is { } api)
        {
            builder.Services.AddSingleton(sp => new Cluster.ClusterCache(api, options,
                sp.GetRequiredService<PolicyStore>(), sp.GetRequiredService<WebhookMetrics>(), sp.GetRequiredService<ILogger<Cluster.ClusterCache>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Cluster.ClusterCache>());
            builder.Services.TryAddSingleton<IClusterState>(sp => sp.GetRequiredService<Cluster.ClusterCache>());
        }
        builder.Services.TryAddSingleton<IClusterState>(NoClusterState.Instance);
        builder.Services.AddHostedService<PolicyWatcher>();
        builder.Services.AddHostedService<CertificateWatcher>();
        builder.Services.AddHostedService<ShutdownDelay>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownDelaySeconds + options.ShutdownTimeoutSeconds));
        customize?.Invoke(builder.Services);

        var logOutput = logStream is null
            ? new LogOutput(Console.OpenStandardOutput(), TimeSpan.FromMilliseconds(200))
            : new LogOutput(logStream, TimeSpan.Zero);
        var log = new LoggerConfiguration()
            .MinimumLevel.Is(Enum.Parse<LogEventLevel>(options.LogLevel, ignoreCase: true))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext();
        // one JSON object per line; formatted by a background thread, off the request path, into the
        // buffer the decision lines also go to, written every 200 ms or when full (at once for tests)
        var stdout = new StdoutSink(new CompactJsonFormatter(), logOutput);
        log = logStream is null ? log.WriteTo.Async(sink => sink.Sink(stdout)) : log.WriteTo.Sink(stdout);
        logging?.Invoke(log);
        var serilog = log.CreateLogger();
        // each server owns its logger; none touches the global one. Through the MEL provider (not
        // Serilog's factory) so that MEL filters apply: with hosting diagnostics off, ASP.NET Core
        // creates no per-request log scope and activity that nobody reads.
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilog, dispose: true);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.AddSingleton(new DecisionLog(serilog, logOutput));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // slow or stalled clients are cut off instead of holding a connection (and a request slot)
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 4096, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            // admission first: tests read the bound addresses in this order
            kestrel.Listen(ListenAddress(options.Address), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(options.Tls.HandshakeTimeoutSeconds),
                    OnConnection = context => kestrel.ApplicationServices.GetRequiredService<CertificateStore>().OnConnection(context),
                });
            });
            // probes and metrics: the same certificate, never a client certificate (the kubelet and
            // Prometheus present none), and nothing else answered
            kestrel.Listen(ListenAddress(options.Address), options.MonitoringPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(next => connection =>
                {
                    connection.Items[MonitoringListener] = true;
                    return next(connection);
                });
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = TimeSpan.FromSeconds(options.Tls.HandshakeTimeoutSeconds),
                    OnConnection = context => kestrel.ApplicationServices.GetRequiredService<CertificateStore>().OnMonitoringConnection(context),
                });
            });
        });

        var app = builder.Build();
        var metrics = app.Services.GetRequiredService<WebhookMetrics>();
        var readiness = app.Services.GetRequiredService<Readiness>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AirflowGuard.Webhook");
        if (app.Services.GetRequiredService<CertificateStore>().Current is null)
        {
            throw new WebhookConfigurationException($"cannot load the TLS certificate from {options.Tls.CertFile} and {options.Tls.KeyFile}; see the log above");
        }

        if (cluster?.Problem is { } problem)
        {
            LogNoCluster(logger, options.ClusterCache.Mode, problem,
                options.ClusterCache.Mode == "required" ? "/readyz fails until the webhook is restarted with a cluster configuration" : "volume backing is answered \"unknown\" (a warning, never a denial)");
        }

        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // Kestrel's own refusals (chunk framing, header limits) surface here when the body is read
                if ((ex as Microsoft.AspNetCore.Http.BadHttpRequestException ?? ex.InnerException as Microsoft.AspNetCore.Http.BadHttpRequestException) is { } bad)
                {
                    metrics.BadRequests.WithLabels(WebhookMetrics.EndpointOf(context.Request.Path.Value), "bad-http").Inc();
                    LogBadHttp(logger, context.Request.Method, context.Request.Path.Value ?? "", bad.Message);
                    await WriteProblem(context, bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "bad HTTP request", bad.Message, "bad-http").ConfigureAwait(false);
                }
                else
                {
                    LogUnexpected(logger, context.Request.Method, context.Request.Path.Value ?? "", ex.GetType().Name, ex.Message);
                    LogUnexpectedTrace(logger, ex);
                    await WriteProblem(context, 500, "internal error", "AirflowGuard failed to answer this request; see its logs").ConfigureAwait(false);
                }
            }
            finally
            {
                if (context.Response.StatusCode >= 500)
                {
                    metrics.ServerErrors.WithLabels(WebhookMetrics.EndpointOf(context.Request.Path.Value), context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
                }
            }
        });
        // the monitoring port answers probes and metrics only: admission needs the admission port's TLS
        app.Use((context, next) =>
        {
            if (context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(MonitoringListener) == true
                && context.Request.Path.Value is not ("/healthz" or "/readyz" or "/metrics"))
            {
                return WriteProblem(context, 404, "not found",
                    $"the monitoring port answers GET /healthz, /readyz and /metrics only; {context.Request.Method} {context.Request.Path.Value} is served on the admission port", "not-found");
            }
            return next(context);
        });
        // /metrics is read-only: anything but GET or HEAD is 405, not a second way in
        app.Use((context, next) =>
        {
            if (context.Request.Path.Equals("/metrics", StringComparison.Ordinal) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.Headers.Allow = "GET, HEAD";
                return WriteProblem(context, 405, "method not allowed", $"/metrics answers GET only, not {context.Request.Method}", "method-not-allowed");
            }
            return next(context);
        });

        // the singletons every admission call uses, resolved once instead of per request
        var admission = (app.Services.GetRequiredService<AdmissionHandler>(), app.Services.GetRequiredService<AdmissionLimiter>(), options);
        app.MapPost("/validate", context => Admit(context, AdmissionEndpoint.Validate, admission));
        app.MapPost("/mutate", context => Admit(context, AdmissionEndpoint.Mutate, admission));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", context =>
        {
            var reasons = readiness.Check();
            metrics.Ready.Set(reasons.Count == 0 ? 1 : 0);
            return reasons.Count == 0
                ? WriteText(context, 200, "ready\n")
                : WriteProblem(context, 503, "not ready", string.Join("; ", reasons), "not-ready");
        });
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapFallback(context => WriteProblem(context, 404, "not found",
            $"{context.Request.Method} {context.Request.Path.Value} is not an AirflowGuard endpoint; use POST /validate, POST /mutate, GET /healthz, /readyz or /metrics", "not-found"));
        return app;
    }

    /// <summary>Runs until SIGTERM / Ctrl-C. Returns the process exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> commandLine, TextWriter error)
    {
        WebApplication app;
        try
        {
            app = Build(commandLine);
        }
        catch (WebhookConfigurationException ex)
        {
            await error.WriteLineAsync($"airflowguard serve: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await error.WriteLineAsync($"airflowguard serve: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
        }
        return 0;
    }

    private static WebhookOptions BindOptions(IConfiguration configuration)
    {
        var options = new WebhookOptions();
        try
        {
            configuration.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new WebhookConfigurationException($"invalid configuration: {ex.Message}");
        }
        var result = new WebhookOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new WebhookConfigurationException("invalid configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", result.Failures));
        }
        return options;
    }

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "cluster cache (mode {Mode:l}) not started: {Problem:l}; {Consequence:l}")]
    private static partial void LogNoCluster(Microsoft.Extensions.Logging.ILogger logger, string mode, string problem, string consequence);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "unexpected error answering {Method:l} {Path:l}: {ExceptionType:l}: {Reason:l}; answered 500")]
    private static partial void LogUnexpected(Microsoft.Extensions.Logging.ILogger logger, string method, string path, string exceptionType, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "the stack trace of the unexpected error above")]
    private static partial void LogUnexpectedTrace(Microsoft.Extensions.Logging.ILogger logger, Exception exception);

    [LoggerMessage(EventId = 33, Level = LogLevel.Debug, Message = "bad HTTP request {Method:l} {Path:l}: {Reason:l}")]
    private static partial void LogBadHttp(Microsoft.Extensions.Logging.ILogger logger, string method, string path, string reason);

    private static IPAddress ListenAddress(string address) => address switch
    {
        "any" => IPAddress.IPv6Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.Parse(address),
    };

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
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(options.BodyTimeoutSeconds));
            try
            {
                body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, buffers, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                return handler.Reject(AdmissionOutcome.BodyTimeout(
                    $"the request body did not arrive within {options.BodyTimeoutSeconds} s (body-timeout-seconds)"), endpoint);
            }
            catch (IOException ex) when (!context.RequestAborted.IsCancellationRequested && ex is not Microsoft.AspNetCore.Connections.ConnectionResetException)
            {
                // Kestrel reports broken chunk framing ("Bad chunk size data.") as a plain IOException
                return handler.Reject(new BadAdmissionRequest("bad-http", $"the request body's framing is broken: {ex.Message}"), endpoint);
            }
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

    private static Task WriteText(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static Task WriteProblem(HttpContext context, int status, string title, string detail, string? type = null)
    {
        var body = Problem.Write(status, title, detail, type: type ?? (status == 400 ? "bad-request" : "internal-error"));
        context.Response.StatusCode = status;
        context.Response.ContentType = Problem.ContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}

/// <summary>
/// On SIGTERM, fails /readyz and keeps serving for the configured delay before the listener
/// closes: endpoints drop the pod once its readiness fails, and until then the API server keeps
/// sending requests over its open keep-alive connections. Kestrel then lets in-flight requests
/// finish within the shutdown timeout.
/// </summary>
public sealed partial class ShutdownDelay(Readiness readiness, WebhookMetrics metrics, WebhookOptions options, ILogger<ShutdownDelay> logger) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.ShuttingDown = true;
        metrics.Ready.Set(0);
        LogShuttingDown(options.ShutdownDelaySeconds);
        return Task.Delay(TimeSpan.FromSeconds(options.ShutdownDelaySeconds), cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "shutting down: /readyz fails now, serving for {Delay} s more, then finishing in-flight requests")]
    private partial void LogShuttingDown(double delay);
}

/// <summary>What /readyz checks: a policy set and a certificate in force, and not shutting down.</summary>
public sealed class Readiness(PolicyStore policies, CertificateStore certificates, WebhookOptions options, IServiceProvider services)
{
    private volatile bool _shuttingDown;

    public bool ShuttingDown
    {
        get => _shuttingDown;
        set => _shuttingDown = value;
    }

    public IReadOnlyList<string> Check()
    {
        var reasons = new List<string>();
        if (ShuttingDown)
        {
            reasons.Add("shutting down");
        }
        if (policies.Current is null)
        {
            var errors = policies.LastErrors;
            reasons.Add(errors.Count == 0
                ? "no policy set loaded yet"
                : $"no valid policy set loaded: {errors.Count} error(s), first {errors[0]}");
        }
        if (certificates.Current is null)
        {
            reasons.Add("no serving certificate loaded");
        }
        if (options.ClusterCache.Mode == "required" && services.GetService(typeof(AirflowGuard.Cluster.ClusterConnection)) is AirflowGuard.Cluster.ClusterConnection { Problem: { } problem })
        {
            reasons.Add("the cluster cache cannot start: " + problem);
        }
        if (options.ClusterCache.Mode == "required" && services.GetService(typeof(Cluster.ClusterCache)) is Cluster.ClusterCache { Synced: false } cache)
        {
            reasons.Add("the cluster cache has not synced: " + string.Join(", ",
                cache.Status.Where(s => !s.Synced).Select(s => s.Error is null ? s.Resource : $"{s.Resource} ({s.Error})")));
        }
        return reasons;
    }
}
