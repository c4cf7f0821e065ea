using AirflowGuard.Webhook.Admission;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace AirflowGuard.Webhook.Hosting;

/// <summary>
/// Structured logs: one JSON object per line on stdout (or <c>logStream</c>), Serilog behind Microsoft.Extensions.Logging,
/// and the decision log writing one line per admission into the same buffer.
/// </summary>
internal static class WebhookLogging
{
    /// <summary>ASP.NET Core's per-request logger: while it is enabled at any level, every request gets an activity and a log scope.</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <param name="logStream">Where the log lines go instead of stdout, each written at once (tests read them).</param>
    /// <param name="extra">Extra Serilog configuration (another sink).</param>
    public static ILoggingBuilder AddWebhookLogging(this ILoggingBuilder logging, IServiceCollection services, WebhookOptions options, Stream? logStream, Action<LoggerConfiguration>? extra)
    {
        var logOutput = logStream is null
            ? new LogOutput(Console.OpenStandardOutput(), TimeSpan.FromMilliseconds(200))
            : new LogOutput(logStream, TimeSpan.Zero);
        var log = new LoggerConfiguration()
            .MinimumLevel.Is(Enum.Parse<LogEventLevel>(options.LogLevel, ignoreCase: true))
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext();
        // formatted by a background thread, off the request path, into the buffer the decision lines also go to,
        // written every 200 ms or when full (at once for tests)
        var stdout = new StdoutSink(new CompactJsonFormatter(), logOutput);
        log = logStream is null ? log.WriteTo.Async(sink => sink.Sink(stdout)) : log.WriteTo.Sink(stdout);
        extra?.Invoke(log);
        var serilog = log.CreateLogger();
        // each server owns its logger; none touches the global one. Through the MEL provider (not Serilog's factory) so
        // that MEL filters apply: with hosting diagnostics off, ASP.NET Core creates no per-request log scope and activity
        // that nobody reads (about 4 µs a request, docs/performance.md). The rule names Serilog's provider because
        // AddSerilog adds a rule of its own for that provider (everything from Trace), and a provider's own rules win
        // over rules for all providers: a rule without the provider is never consulted.
        logging.ClearProviders();
        logging.AddSerilog(serilog, dispose: true);
        logging.AddFilter<SerilogLoggerProvider>(HostingDiagnosticsCategory, LogLevel.None);
        services.AddSingleton(new DecisionLog(serilog, logOutput));
        return logging;
    }
}
