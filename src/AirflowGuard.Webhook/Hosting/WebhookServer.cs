using AirflowGuard.Webhook.Hosting.Middleware;
using AirflowGuard.Webhook.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// The admission webhook's composition root: configuration, services, logs, Kestrel's TLS listeners, middleware and
/// endpoints, one line each (the parts are in this folder).
/// </summary>
public static partial class WebhookServer
{
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
        var cluster = options.ClusterCache.Mode == "off" ? null : AirflowGuard.Cluster.ClusterConnection.Open(options.ClusterCache);

        builder.Services.AddWebhook(options, cluster);
        customize?.Invoke(builder.Services);
        builder.Logging.AddWebhookLogging(builder.Services, options, logStream, logging);
        builder.WebHost.ConfigureWebhookListeners(options);

        var app = builder.Build();
        CheckStart(app, options, cluster);
        app.UseMiddleware<ErrorAnswerMiddleware>();
        app.UseMiddleware<MonitoringPortMiddleware>();
        app.MapAdmission();
        app.MapMonitoring();
        return app;
    }

    /// <summary>A certificate that cannot be loaded stops the start; a cluster cache that cannot start is logged, and its consequence said.</summary>
    private static void CheckStart(WebApplication app, WebhookOptions options, AirflowGuard.Cluster.ClusterConnection? cluster)
    {
        if (app.Services.GetRequiredService<CertificateStore>().Current is null)
        {
            throw new WebhookConfigurationException($"cannot load the TLS certificate from {options.Tls.CertFile} and {options.Tls.KeyFile}; see the log above");
        }
        if (cluster?.Problem is { } problem)
        {
            LogNoCluster(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AirflowGuard.Webhook"), options.ClusterCache.Mode, problem,
                options.ClusterCache.Mode == "required" ? "/readyz fails until the webhook is restarted with a cluster configuration" : "volume backing is answered \"unknown\" (a warning, never a denial)");
        }
    }

    /// <summary>Runs until SIGTERM / Ctrl-C. Returns the process exit code.</summary>
    /// <param name="customize">Extra services (the CLI adds the PolicyReports loop, which runs its check pipeline).</param>
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string?> commandLine, TextWriter error, Action<IServiceCollection>? customize = null)
    {
        WebApplication app;
        try
        {
            app = Build(commandLine, customize);
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
}
